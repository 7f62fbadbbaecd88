package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/switchboard-dev/switchboard/internal/server"
	"github.com/switchboard-dev/switchboard/service"
	"github.com/switchboard-dev/switchboard/storage/postgres"
)

// outageBound is how long a request may take while the database is down:
// a refused connection fails at once, so anything near this is a hang.
const outageBound = 3 * time.Second

// pgCluster is a PostgreSQL cluster of this test's own, made by
// scripts/pg-test-server.sh in its own directory, so that stopping it
// leaves the shared test server (used by other packages at the same time)
// alone.
type pgCluster struct {
	t      *testing.T
	dir    string // SWITCHBOARD_PG_DIR: data/, bindir, postgres.log
	bindir string
	url    string
}

// startOwnCluster starts a cluster or skips the test when this machine has
// no PostgreSQL server binaries.
func startOwnCluster(t *testing.T) *pgCluster {
	t.Helper()
	// Where scripts/pg-test-server.sh looks (it would install them
	// otherwise, which a test must not do).
	if found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb"); len(found) == 0 {
		t.Skip("no PostgreSQL server binaries (/usr/lib/postgresql/N/bin/initdb): cannot start a PostgreSQL of the test's own to take down; apt-get install postgresql to run this test")
	}
	// Under a directory the cluster's owner (postgres, when we are root)
	// can reach: t.TempDir's are private to us.
	parent, err := os.MkdirTemp("", "switchboard-pgoutage-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(parent, 0o755); err != nil {
		t.Fatal(err)
	}
	c := &pgCluster{t: t, dir: filepath.Join(parent, "pg")}
	t.Cleanup(func() {
		if out, err := c.script("stop"); err != nil {
			t.Errorf("stopping the test's PostgreSQL: %v\n%s", err, out)
		}
		os.RemoveAll(parent)
	})
	out, err := c.script("start")
	if err != nil {
		t.Fatalf("starting a PostgreSQL of the test's own: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`SWITCHBOARD_TEST_POSTGRES=(\S+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pg-test-server.sh printed no URL:\n%s", out)
	}
	c.url = string(m[1])
	bindir, err := os.ReadFile(filepath.Join(c.dir, "bindir"))
	if err != nil {
		t.Fatal(err)
	}
	c.bindir = strings.TrimSpace(string(bindir))
	return c
}

// script runs scripts/pg-test-server.sh on this cluster's directory.
func (c *pgCluster) script(arg string) ([]byte, error) {
	cmd := exec.Command("bash", "../scripts/pg-test-server.sh", arg)
	cmd.Env = append(os.Environ(), "SWITCHBOARD_PG_DIR="+c.dir)
	return cmd.CombinedOutput()
}

// pgCtl runs pg_ctl on the cluster, as its owner (the script's runuser rule).
func (c *pgCluster) pgCtl(args ...string) {
	c.t.Helper()
	args = append([]string{"-D", filepath.Join(c.dir, "data"), "-w", "-t", "30"}, args...)
	name := filepath.Join(c.bindir, "pg_ctl")
	if os.Geteuid() == 0 {
		args = append([]string{"-u", "postgres", "--", name}, args...)
		name = "runuser"
	}
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		c.t.Fatalf("pg_ctl %v: %v\n%s", args, err, out)
	}
}

// The cluster keeps its port across a restart: it is in postgresql.conf.
func (c *pgCluster) stop()  { c.pgCtl("-m", "fast", "stop") }
func (c *pgCluster) start() { c.pgCtl("-l", filepath.Join(c.dir, "postgres.log"), "start") }

// syncBuffer is a log destination written by the server's goroutines and
// read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// writeAttempt is one CreateUser by the background writer.
type writeAttempt struct {
	name string
	id   string // set when acknowledged
	err  error
}

// TestPostgresOutage stops PostgreSQL under a serving replica and starts it
// again: requests fail quickly with InternalServiceException and a log line
// naming the database while it is down, the replica serves again by itself
// when it is back, every acknowledged write is there, and every write
// attempted meanwhile is there whole or not at all.
func TestPostgresOutage(t *testing.T) {
	began := time.Now()
	pg := startOwnCluster(t)
	store, err := postgres.Open(context.Background(), pg.url)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	h, _ := server.New(server.Config{Store: store, Quotas: service.Quotas{}, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); store.Close() })
	e := &env{t: t, url: srv.URL, client: newClient(srv.URL, "test", "test", region), store: store, srv: srv}
	f := replicaFixture(t, [2]*env{e, e}, "outage")

	before := map[string]string{} // id → username, acknowledged before the outage
	for i := range 5 {
		name := fmt.Sprintf("before.%d", i)
		before[f.create(t, f.user(name))] = name
	}

	// A writer keeps creating users through the whole outage, so that some
	// writes are in flight when the database goes away and when it returns.
	var (
		attempts []writeAttempt
		stopW    = make(chan struct{})
		stopOnce sync.Once
		wDone    = make(chan struct{})
	)
	stopWriter := func() { stopOnce.Do(func() { close(stopW) }); <-wDone }
	t.Cleanup(stopWriter) // when the test stops early
	go func() {
		defer close(wDone)
		for i := 0; ; i++ {
			select {
			case <-stopW:
				return
			case <-time.After(15 * time.Millisecond):
			}
			a := writeAttempt{name: fmt.Sprintf("during.%03d", i)}
			c, cancel := context.WithTimeout(context.Background(), 2*outageBound)
			out, err := e.client.CreateUser(c, f.user(a.name))
			cancel()
			if err == nil {
				a.id = *out.UserId
			}
			a.err = err
			attempts = append(attempts, a)
		}
	}()
	time.Sleep(100 * time.Millisecond)

	pg.stop()
	down := time.Now()

	// While it is down, reads and writes fail quickly, with the modelled
	// internal error and a log line that names the cause.
	anyUser := func() string {
		for id := range before {
			return id
		}
		return ""
	}()
	calls := map[string]func(context.Context) error{
		"DescribeUser": func(c context.Context) error {
			_, err := e.client.DescribeUser(c, &connect.DescribeUserInput{InstanceId: &f.instance, UserId: aws.String(anyUser)})
			return err
		},
		"ListUsers": func(c context.Context) error {
			_, err := e.client.ListUsers(c, &connect.ListUsersInput{InstanceId: &f.instance})
			return err
		},
		"SearchUsers": func(c context.Context) error {
			_, err := e.client.SearchUsers(c, &connect.SearchUsersInput{InstanceId: &f.instance})
			return err
		},
		"CreateUser": func(c context.Context) error {
			_, err := e.client.CreateUser(c, f.user("while.down"))
			return err
		},
		"DescribeInstance": func(c context.Context) error {
			_, err := e.client.DescribeInstance(c, &connect.DescribeInstanceInput{InstanceId: &f.instance})
			return err
		},
	}
	var slowest time.Duration
	for round := range 3 {
		for op, call := range calls {
			c, cancel := context.WithTimeout(context.Background(), 4*outageBound)
			t0 := time.Now()
			err := call(c)
			took := time.Since(t0)
			slowest = max(slowest, took)
			cancel()
			var ise *types.InternalServiceException
			if !errors.As(err, &ise) {
				t.Fatalf("%s with the database down (round %d): %v, want InternalServiceException", op, round, err)
			}
			if took > outageBound {
				t.Errorf("%s with the database down took %v, want under %v", op, took, outageBound)
			}
			var re *awshttp.ResponseError
			if !errors.As(err, &re) || re.HTTPStatusCode() != 500 {
				t.Fatalf("%s with the database down: want HTTP 500, got %v", op, err)
			}
			if strings.Contains(ise.ErrorMessage(), "postgres") {
				t.Errorf("%s: the client is told about the database: %q", op, ise.ErrorMessage())
			}
			// The log line of this very request says what went wrong.
			line := logLine(logs.String(), re.ServiceRequestID())
			if !strings.Contains(line, `msg="internal error"`) || !strings.Contains(line, "database unreachable") {
				t.Errorf("%s: log line of request %s does not name the database: %q", op, re.ServiceRequestID(), line)
			}
		}
	}
	// Let the writer try a few more times while the database is down;
	// its attempts are checked below.
	time.Sleep(50 * time.Millisecond)

	pg.start()
	up := time.Now()

	// The replica serves again by itself: no restart, no operator action.
	var lastErr error
	for {
		_, lastErr = e.client.ListUsers(ctx(t), &connect.ListUsersInput{InstanceId: &f.instance})
		if lastErr == nil {
			break
		}
		if time.Since(up) > 10*time.Second {
			t.Fatalf("the replica still fails 10s after the database came back: %v", lastErr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	recovered := time.Since(up)
	time.Sleep(200 * time.Millisecond) // a few writes after the return
	stopWriter()

	// Every acknowledged write is there, and each attempt is whole or
	// absent: a user with all its fields and its agent queue, or nothing.
	users := allUsers(t, e.client, f.instance)
	listed := map[string]string{}
	for _, u := range users {
		listed[*u.Username] = *u.Id
	}
	if len(listed) != len(users) {
		t.Errorf("ListUsers lists a username twice: %d users, %d names", len(users), len(listed))
	}
	for id, name := range before {
		if listed[name] != id {
			t.Errorf("user %s (%s), acknowledged before the outage, is gone", name, id)
		}
	}
	var acked, failed, failedButThere int
	for _, a := range attempts {
		id, there := listed[a.name]
		switch {
		case a.err == nil:
			acked++
			if !there || id != a.id {
				t.Errorf("user %s (%s) was acknowledged but is not there", a.name, a.id)
			}
		default:
			failed++
			var ise *types.InternalServiceException
			if !errors.As(a.err, &ise) {
				t.Errorf("CreateUser %s failed with %v, want InternalServiceException", a.name, a.err)
			}
			if there {
				// Possible only when the commit reached the database
				// and its answer did not come back.
				failedButThere++
			}
		}
		if there {
			d, err := e.client.DescribeUser(ctx(t), &connect.DescribeUserInput{InstanceId: &f.instance, UserId: aws.String(id)})
			if err != nil || *d.User.Username != a.name || *d.User.IdentityInfo.FirstName != "Mary" ||
				len(d.User.SecurityProfileIds) != 1 || *d.User.RoutingProfileId != f.routing {
				t.Errorf("user %s is there but not whole: %v %+v", a.name, err, d)
			}
		}
	}
	if _, there := listed["while.down"]; there {
		t.Error("a CreateUser answered InternalServiceException while the database was down, and its user exists")
	}
	q, err := e.client.ListQueues(ctx(t), &connect.ListQueuesInput{InstanceId: &f.instance, QueueTypes: []types.QueueType{types.QueueTypeAgent}, MaxResults: aws.Int32(1000)})
	if err != nil {
		t.Fatal(err)
	}
	if len(q.QueueSummaryList) != len(users) {
		t.Errorf("%d agent queues for %d users: a CreateUser was half written", len(q.QueueSummaryList), len(users))
	}
	if acked == 0 || failed == 0 {
		t.Errorf("the writer saw %d acknowledged and %d failed writes; the outage was not exercised", acked, failed)
	}
	if strings.Contains(logs.String(), "handler panic") {
		t.Errorf("a handler panicked:\n%s", logs.String())
	}
	// Every request that failed, the writer's included (some mid-way
	// through a transaction or its COMMIT), was logged with a cause that
	// names the database.
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, "level=ERROR") && !strings.Contains(l, "database unreachable") {
			t.Errorf("an error log line does not name the database: %s", l)
		}
	}

	// A quick restart between two bursts of requests: the pool's
	// connections, all recently used, are dead without the pool knowing.
	// The requests after the restart still succeed, each taking another
	// connection when BEGIN fails on a dead one.
	burst := func(when string) {
		errs := race(8, func(int) error {
			_, err := e.client.DescribeUser(ctx(t), &connect.DescribeUserInput{InstanceId: &f.instance, UserId: aws.String(anyUser)})
			return err
		})
		for i, err := range errs {
			if err != nil {
				t.Errorf("DescribeUser %d %s: %v", i, when, err)
			}
		}
	}
	burst("before a quick restart")
	t0 := time.Now()
	pg.stop()
	pg.start()
	burst(fmt.Sprintf("right after a restart that took %v", time.Since(t0).Round(time.Millisecond)))

	t.Logf("outage of %v, slowest failing request %v; served again %v after the database returned; writer: %d acknowledged, %d failed (%d of them committed nonetheless); whole test %v",
		up.Sub(down).Round(time.Millisecond), slowest.Round(time.Microsecond), recovered.Round(time.Millisecond), acked, failed, failedButThere, time.Since(began).Round(time.Millisecond))
}

// logLine returns the log line that carries request id rid and an error.
func logLine(logs, rid string) string {
	for _, l := range strings.Split(logs, "\n") {
		if rid != "" && strings.Contains(l, rid) && strings.Contains(l, "level=ERROR") {
			return l
		}
	}
	return ""
}
