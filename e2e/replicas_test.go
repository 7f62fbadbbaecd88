package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/jackc/pgx/v5"
	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/internal/server"
	"github.com/switchboard-dev/switchboard/service"
	"github.com/switchboard-dev/switchboard/storage/postgres"
)

// These tests run two Switchboard replicas on one PostgreSQL database, as a
// load balancer would: two independent servers (each with its own store and
// connection pool, as two processes have), each on its own loopback port and
// driven by its own aws-sdk-go-v2 client. Every invariant is checked through
// the API only, with the requests of one scenario spread over both replicas.

// pgEnvURL names the environment variable holding the URL of a PostgreSQL
// database the tests may create databases from (scripts/test.sh sets it).
const pgEnvURL = "SWITCHBOARD_TEST_POSTGRES"

// pgAdminURL returns the test PostgreSQL's URL or skips the test.
func pgAdminURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv(pgEnvURL)
	if u == "" || u == "off" {
		t.Skipf("%s is not set: no PostgreSQL to run replicas on. Start a throwaway one with\n"+
			"\teval \"$(scripts/pg-test-server.sh)\"\n"+
			"or run bash scripts/test.sh, which does.", pgEnvURL)
	}
	return u
}

// freshDatabase creates an empty database on the server at adminURL, for
// this test alone, dropped when the test ends; it returns the database's
// URL (with adminURL's parameters, pool settings included).
func freshDatabase(t *testing.T, adminURL string) string {
	t.Helper()
	parsed, err := url.Parse(adminURL)
	if err != nil {
		t.Fatalf("%s is not a URL: %v", pgEnvURL, err)
	}
	var b [6]byte
	rand.Read(b[:])
	name := "sb_e2e_" + hex.EncodeToString(b[:])
	admin := adminConn(t, adminURL)
	if _, err := admin.Exec(context.Background(), "CREATE DATABASE "+name); err != nil {
		t.Fatalf("CREATE DATABASE: %v", err)
	}
	t.Cleanup(func() {
		// Runs after the servers' cleanups (registered later, run
		// earlier); FORCE ends any connection a pool still holds.
		if _, err := admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("DROP DATABASE %s: %v", name, err)
		}
	})
	parsed.Path = "/" + name
	return parsed.String()
}

// adminConn connects to adminURL with pgx, leaving out the pool_* settings
// a pgxpool URL may carry (a single connection rejects them).
func adminConn(t *testing.T, adminURL string) *pgx.Conn {
	t.Helper()
	parsed, err := url.Parse(adminURL)
	if err != nil {
		t.Fatal(err)
	}
	q := parsed.Query()
	for k := range q {
		if strings.HasPrefix(k, "pool_") {
			q.Del(k)
		}
	}
	parsed.RawQuery = q.Encode()
	c, err := pgx.Connect(context.Background(), parsed.String())
	if err != nil {
		t.Fatalf("connecting to %s: %v", pgEnvURL, err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// startReplica runs one server on the database at dbURL, with its own
// store (pool), listener and client.
func startReplica(t *testing.T, dbURL string, quotas service.Quotas) *env {
	t.Helper()
	store, err := postgres.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	h, svc := server.New(server.Config{Store: store, Quotas: quotas})
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); store.Close() })
	t.Cleanup(svc.Close) // runs first: no engine timer reaches a closed store
	return &env{t: t, url: srv.URL, client: newClient(srv.URL, "test", "test", region), store: store, srv: srv}
}

// startReplicas runs two replicas on a fresh database.
func startReplicas(t *testing.T, quotas service.Quotas) [2]*env {
	t.Helper()
	db := freshDatabase(t, pgAdminURL(t))
	return [2]*env{startReplica(t, db, quotas), startReplica(t, db, quotas)}
}

// replicaFixture creates an instance through the first replica and looks
// up its default profiles; user inputs are valid on both replicas.
func replicaFixture(t *testing.T, r [2]*env, alias string) *fixture {
	t.Helper()
	out, err := r[0].client.CreateInstance(ctx(t), &connect.CreateInstanceInput{
		IdentityManagementType: types.DirectoryTypeConnectManaged, InstanceAlias: aws.String(alias),
		InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{env: r[1], instance: *out.Id}
	sps, err := r[1].client.ListSecurityProfiles(ctx(t), &connect.ListSecurityProfilesInput{InstanceId: &f.instance})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sps.SecurityProfileSummaryList {
		if *s.Name == "Agent" {
			f.agent = *s.Id
		}
	}
	rps, err := r[0].client.ListRoutingProfiles(ctx(t), &connect.ListRoutingProfilesInput{InstanceId: &f.instance})
	if err != nil {
		t.Fatal(err)
	}
	f.routing = *rps.RoutingProfileSummaryList[0].Id
	if f.agent == "" {
		t.Fatal("no Agent security profile")
	}
	return f
}

// race runs n calls at once, call i through replica i%2, and returns their
// errors by call.
func race(n int, call func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = call(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// tally counts nil errors and errors of type T, and fails the test on any
// other error.
func tally[T error](t *testing.T, what string, errs []error) (ok, typed int) {
	t.Helper()
	for i, err := range errs {
		var want T
		switch {
		case err == nil:
			ok++
		case errors.As(err, &want):
			typed++
		default:
			t.Errorf("%s: call %d (replica %d): unexpected error %v", what, i, i%2, err)
		}
	}
	return ok, typed
}

// allUsers lists an instance's users through c, page by page.
func allUsers(t *testing.T, c *connect.Client, instance string) []types.UserSummary {
	t.Helper()
	var out []types.UserSummary
	p := connect.NewListUsersPaginator(c, &connect.ListUsersInput{InstanceId: &instance})
	for p.HasMorePages() {
		pg, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, pg.UserSummaryList...)
	}
	return out
}

// TestReplicasOneUsernameOneUser: the same username created at once
// through both replicas, round after round, yields one user; every other
// call gets DuplicateResourceException.
func TestReplicasOneUsernameOneUser(t *testing.T) {
	r := startReplicas(t, service.Quotas{})
	f := replicaFixture(t, r, "race-names")
	const rounds, racers = 12, 8
	for round := range rounds {
		name := fmt.Sprintf("agent.%02d", round)
		ids := make([]string, racers)
		errs := race(racers, func(i int) error {
			in := f.user(name)
			out, err := r[i%2].client.CreateUser(ctx(t), in)
			if err == nil {
				ids[i] = *out.UserId
			}
			return err
		})
		ok, dup := tally[*types.DuplicateResourceException](t, name, errs)
		if ok != 1 || dup != racers-1 {
			t.Fatalf("round %d: %d created, %d DuplicateResourceException; want 1 and %d", round, ok, dup, racers-1)
		}
	}
	for i, rep := range r {
		users := allUsers(t, rep.client, f.instance)
		names := map[string]int{}
		for _, u := range users {
			names[*u.Username]++
		}
		if len(users) != rounds || len(names) != rounds {
			t.Errorf("replica %d lists %d users with %d distinct names, want %d: %v", i, len(users), len(names), rounds, names)
		}
	}
}

// TestReplicasHoldQuotas: instance and user quotas hold when creations race
// through both replicas.
func TestReplicasHoldQuotas(t *testing.T) {
	const maxInstances, maxUsers = 3, 5
	r := startReplicas(t, service.Quotas{InstancesPerAccount: maxInstances, UsersPerInstance: maxUsers})

	instances := make([]string, 10)
	errs := race(len(instances), func(i int) error {
		out, err := r[i%2].client.CreateInstance(ctx(t), &connect.CreateInstanceInput{
			IdentityManagementType: types.DirectoryTypeConnectManaged, InstanceAlias: aws.String(fmt.Sprintf("quota-%d", i)),
			InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true),
		})
		if err == nil {
			instances[i] = *out.Id
		}
		return err
	})
	ok, over := tally[*types.ServiceQuotaExceededException](t, "CreateInstance", errs)
	if ok != maxInstances || over != len(instances)-maxInstances {
		t.Fatalf("CreateInstance: %d created, %d ServiceQuotaExceededException; want %d and %d", ok, over, maxInstances, len(instances)-maxInstances)
	}
	for i, rep := range r {
		l, err := rep.client.ListInstances(ctx(t), &connect.ListInstancesInput{})
		if err != nil {
			t.Fatal(err)
		}
		if len(l.InstanceSummaryList) != maxInstances {
			t.Errorf("replica %d lists %d instances, want %d", i, len(l.InstanceSummaryList), maxInstances)
		}
	}

	// Users per instance, on each created instance in turn.
	for _, inst := range instances {
		if inst == "" {
			continue
		}
		f := &fixture{env: r[0], instance: inst}
		sps, err := r[1].client.ListSecurityProfiles(ctx(t), &connect.ListSecurityProfilesInput{InstanceId: &inst})
		if err != nil {
			t.Fatal(err)
		}
		f.agent = *sps.SecurityProfileSummaryList[0].Id
		rps, err := r[0].client.ListRoutingProfiles(ctx(t), &connect.ListRoutingProfilesInput{InstanceId: &inst})
		if err != nil {
			t.Fatal(err)
		}
		f.routing = *rps.RoutingProfileSummaryList[0].Id
		const racers = 12
		errs := race(racers, func(i int) error {
			_, err := r[i%2].client.CreateUser(ctx(t), f.user(fmt.Sprintf("u%02d", i)))
			return err
		})
		ok, over := tally[*types.LimitExceededException](t, "CreateUser", errs)
		if ok != maxUsers || over != racers-maxUsers {
			t.Fatalf("CreateUser on %s: %d created, %d LimitExceededException; want %d and %d", inst, ok, over, maxUsers, racers-maxUsers)
		}
		for i, rep := range r {
			if n := len(allUsers(t, rep.client, inst)); n != maxUsers {
				t.Errorf("replica %d lists %d users on %s, want %d", i, n, inst, maxUsers)
			}
		}
		// Freeing one place through one replica lets exactly one more
		// creation through, whichever replica it races on.
		users := allUsers(t, r[1].client, inst)
		if _, err := r[1].client.DeleteUser(ctx(t), &connect.DeleteUserInput{InstanceId: &inst, UserId: users[0].Id}); err != nil {
			t.Fatal(err)
		}
		errs = race(6, func(i int) error {
			_, err := r[i%2].client.CreateUser(ctx(t), f.user(fmt.Sprintf("again%d", i)))
			return err
		})
		if ok, over := tally[*types.LimitExceededException](t, "CreateUser after a delete", errs); ok != 1 || over != 5 {
			t.Fatalf("after freeing one place: %d created, %d LimitExceededException; want 1 and 5", ok, over)
		}
	}
}

// TestReplicasClientTokenIdempotency: CreateInstance calls with one
// ClientToken, racing through both replicas and retried after, create one
// instance and all answer its id.
func TestReplicasClientTokenIdempotency(t *testing.T) {
	const rounds, racers = 4, 6
	r := startReplicas(t, service.Quotas{InstancesPerAccount: rounds})
	want := map[string]bool{}
	for round := range rounds {
		in := &connect.CreateInstanceInput{
			ClientToken:            aws.String(fmt.Sprintf("token-%d", round)),
			IdentityManagementType: types.DirectoryTypeConnectManaged, InstanceAlias: aws.String(fmt.Sprintf("idem-%d", round)),
			InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true),
		}
		ids := make([]string, racers)
		errs := race(racers, func(i int) error {
			out, err := r[i%2].client.CreateInstance(ctx(t), in)
			if err == nil {
				ids[i] = *out.Id
			}
			return err
		})
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d, call %d (replica %d): %v", round, i, i%2, err)
			}
			if ids[i] != ids[0] {
				t.Fatalf("round %d: one ClientToken answered two instances: %s and %s", round, ids[0], ids[i])
			}
		}
		// A retry after the fact, through either replica, answers it too.
		for i, rep := range r {
			out, err := rep.client.CreateInstance(ctx(t), in)
			if err != nil || *out.Id != ids[0] {
				t.Fatalf("round %d: retry through replica %d: %v %v, want %s", round, i, out, err, ids[0])
			}
		}
		want[ids[0]] = true
	}
	for i, rep := range r {
		l, err := rep.client.ListInstances(ctx(t), &connect.ListInstancesInput{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, s := range l.InstanceSummaryList {
			got[*s.Id] = true
		}
		if len(l.InstanceSummaryList) != rounds || len(got) != rounds {
			t.Fatalf("replica %d lists %d instances, want %d", i, len(l.InstanceSummaryList), rounds)
		}
		for id := range want {
			if !got[id] {
				t.Errorf("replica %d does not list %s", i, id)
			}
		}
	}
	// The quota is now full, yet a retried token still answers: it is
	// looked up before the quota is counted.
	_, err := r[1].client.CreateInstance(ctx(t), &connect.CreateInstanceInput{
		ClientToken: aws.String("token-new"), IdentityManagementType: types.DirectoryTypeConnectManaged, InstanceAlias: aws.String("idem-new"),
		InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true),
	})
	var over *types.ServiceQuotaExceededException
	if !errors.As(err, &over) {
		t.Fatalf("a new token past the quota: %v, want ServiceQuotaExceededException", err)
	}
}

// TestReplicasReadTheirWrites: what one replica acknowledges, the other
// reads in the very next request — Describe, List and Search — for
// creations, updates and deletions.
func TestReplicasReadTheirWrites(t *testing.T) {
	r := startReplicas(t, service.Quotas{})
	f := replicaFixture(t, r, "visible")
	const n = 20
	for i := range n {
		writer, reader := r[i%2].client, r[(i+1)%2].client
		name := fmt.Sprintf("seen.%02d", i)
		out, err := writer.CreateUser(ctx(t), f.user(name))
		if err != nil {
			t.Fatal(err)
		}
		id := *out.UserId
		d, err := reader.DescribeUser(ctx(t), &connect.DescribeUserInput{InstanceId: &f.instance, UserId: &id})
		if err != nil || *d.User.Username != name {
			t.Fatalf("user %d: DescribeUser on the other replica: %v", i, err)
		}
		if got := len(allUsers(t, reader, f.instance)); got != i+1 {
			t.Fatalf("user %d: the other replica lists %d users, want %d", i, got, i+1)
		}
		s, err := reader.SearchUsers(ctx(t), &connect.SearchUsersInput{InstanceId: &f.instance, SearchCriteria: &types.UserSearchCriteria{
			StringCondition: &types.StringCondition{FieldName: aws.String("Username"), ComparisonType: types.StringComparisonTypeExact, Value: aws.String(name)}}})
		if err != nil || len(s.Users) != 1 || *s.Users[0].Id != id {
			t.Fatalf("user %d: SearchUsers on the other replica: %v %+v", i, err, s)
		}

		// An update through the reader is seen by the writer.
		first := fmt.Sprintf("Renamed%d", i)
		if _, err := reader.UpdateUserIdentityInfo(ctx(t), &connect.UpdateUserIdentityInfoInput{InstanceId: &f.instance, UserId: &id,
			IdentityInfo: &types.UserIdentityInfo{FirstName: aws.String(first), LastName: aws.String("Major")}}); err != nil {
			t.Fatal(err)
		}
		d, err = writer.DescribeUser(ctx(t), &connect.DescribeUserInput{InstanceId: &f.instance, UserId: &id})
		if err != nil || *d.User.IdentityInfo.FirstName != first {
			t.Fatalf("user %d: update not seen on the other replica: %v", i, err)
		}
		s, err = writer.SearchUsers(ctx(t), &connect.SearchUsersInput{InstanceId: &f.instance, SearchCriteria: &types.UserSearchCriteria{
			StringCondition: &types.StringCondition{FieldName: aws.String("FirstName"), ComparisonType: types.StringComparisonTypeExact, Value: aws.String(first)}}})
		if err != nil || len(s.Users) != 1 || *s.Users[0].Id != id {
			t.Fatalf("user %d: SearchUsers by the new first name on the other replica: %v %+v", i, err, s)
		}
	}
	// Instance attributes, toggled through one replica and read through
	// the other (the service keeps decoded instance documents in memory).
	for i, v := range []string{"true", "false", "true", "false"} {
		writer, reader := r[i%2].client, r[(i+1)%2].client
		if _, err := writer.UpdateInstanceAttribute(ctx(t), &connect.UpdateInstanceAttributeInput{InstanceId: &f.instance,
			AttributeType: types.InstanceAttributeTypeContactflowLogs, Value: aws.String(v)}); err != nil {
			t.Fatal(err)
		}
		a, err := reader.DescribeInstanceAttribute(ctx(t), &connect.DescribeInstanceAttributeInput{InstanceId: &f.instance,
			AttributeType: types.InstanceAttributeTypeContactflowLogs})
		if err != nil || *a.Attribute.Value != v {
			t.Fatalf("attribute set to %s through one replica, the other reads %v (%v)", v, a, err)
		}
		in := &connect.UpdateInstanceAttributeInput{InstanceId: &f.instance, AttributeType: types.InstanceAttributeTypeInboundCalls, Value: aws.String(v)}
		if _, err := writer.UpdateInstanceAttribute(ctx(t), in); err != nil {
			t.Fatal(err)
		}
		d, err := reader.DescribeInstance(ctx(t), &connect.DescribeInstanceInput{InstanceId: &f.instance})
		if err != nil || fmt.Sprint(*d.Instance.InboundCallsEnabled) != v {
			t.Fatalf("InboundCalls set to %s through one replica, the other describes %v (%v)", v, d, err)
		}
	}

	// Deletions, likewise.
	users := allUsers(t, r[0].client, f.instance)
	for i, u := range users {
		writer, reader := r[i%2].client, r[(i+1)%2].client
		if _, err := writer.DeleteUser(ctx(t), &connect.DeleteUserInput{InstanceId: &f.instance, UserId: u.Id}); err != nil {
			t.Fatal(err)
		}
		_, err := reader.DescribeUser(ctx(t), &connect.DescribeUserInput{InstanceId: &f.instance, UserId: u.Id})
		var nf *types.ResourceNotFoundException
		if !errors.As(err, &nf) {
			t.Fatalf("deleted user %s: DescribeUser on the other replica: %v, want ResourceNotFoundException", *u.Username, err)
		}
		s, err := reader.SearchUsers(ctx(t), &connect.SearchUsersInput{InstanceId: &f.instance})
		if err != nil {
			t.Fatal(err)
		}
		if int(*s.ApproximateTotalCount) != len(users)-i-1 {
			t.Fatalf("after %d deletions the other replica's search counts %d users", i+1, *s.ApproximateTotalCount)
		}
	}
	if _, err := r[1].client.DeleteInstance(ctx(t), &connect.DeleteInstanceInput{InstanceId: &f.instance}); err != nil {
		t.Fatal(err)
	}
	_, err := r[0].client.DescribeInstance(ctx(t), &connect.DescribeInstanceInput{InstanceId: &f.instance})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("deleted instance: DescribeInstance on the other replica: %v, want ResourceNotFoundException", err)
	}
}

// TestReplicasContinueEachOthersPages: a ListUsers or SearchUsers walk whose
// pages alternate between replicas sees every user exactly once.
func TestReplicasContinueEachOthersPages(t *testing.T) {
	r := startReplicas(t, service.Quotas{})
	f := replicaFixture(t, r, "pages")
	const users = 23
	want := map[string]bool{}
	for i := range users {
		in := f.user(fmt.Sprintf("page.%02d", i))
		if i%3 == 0 {
			in.IdentityInfo.FirstName = aws.String("Third")
		}
		out, err := r[i%2].client.CreateUser(ctx(t), in)
		if err != nil {
			t.Fatal(err)
		}
		want[*out.UserId] = true
	}
	thirds := (users + 2) / 3

	type page struct {
		ids  []string
		next *string
	}
	listPage := func(c *connect.Client, token *string, size int32) page {
		out, err := c.ListUsers(ctx(t), &connect.ListUsersInput{InstanceId: &f.instance, MaxResults: aws.Int32(size), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		var p page
		for _, u := range out.UserSummaryList {
			p.ids = append(p.ids, *u.Id)
		}
		p.next = out.NextToken
		return p
	}
	searchPage := func(criteria *types.UserSearchCriteria) func(c *connect.Client, token *string, size int32) page {
		return func(c *connect.Client, token *string, size int32) page {
			out, err := c.SearchUsers(ctx(t), &connect.SearchUsersInput{InstanceId: &f.instance, SearchCriteria: criteria, MaxResults: aws.Int32(size), NextToken: token})
			if err != nil {
				t.Fatal(err)
			}
			var p page
			for _, u := range out.Users {
				p.ids = append(p.ids, *u.Id)
			}
			p.next = out.NextToken
			return p
		}
	}
	third := &types.UserSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String("FirstName"), ComparisonType: types.StringComparisonTypeExact, Value: aws.String("Third")}}
	for _, tc := range []struct {
		name  string
		fetch func(c *connect.Client, token *string, size int32) page
		want  int
	}{
		{"ListUsers", listPage, users},
		{"SearchUsers", searchPage(nil), users},
		{"SearchUsers by first name", searchPage(third), thirds},
	} {
		for _, size := range []int32{1, 4, 7} {
			for first := range 2 {
				seen := map[string]int{}
				var token *string
				pages := 0
				for {
					p := tc.fetch(r[(first+pages)%2].client, token, size)
					pages++
					if len(p.ids) > int(size) {
						t.Fatalf("%s: page of %d with MaxResults %d", tc.name, len(p.ids), size)
					}
					for _, id := range p.ids {
						seen[id]++
					}
					if p.next == nil {
						break
					}
					token = p.next
					if pages > users+1 {
						t.Fatalf("%s: more pages than users", tc.name)
					}
				}
				var dup []string
				for id, n := range seen {
					if n != 1 || !want[id] {
						dup = append(dup, id)
					}
				}
				sort.Strings(dup)
				if len(seen) != tc.want || len(dup) > 0 {
					t.Errorf("%s, MaxResults %d, first page on replica %d: saw %d distinct users of %d; repeated or unknown: %v",
						tc.name, size, first, len(seen), tc.want, dup)
				}
				if wantPages := (tc.want + int(size) - 1) / int(size); pages != wantPages {
					t.Errorf("%s, MaxResults %d: %d pages, want %d", tc.name, size, pages, wantPages)
				}
			}
		}
	}
}

// TestBinaryReplicasOnPostgres runs the real binary twice on one database,
// once with --store and once with the store in --config, and checks that
// what one process writes the other reads, that the start-up line names the
// store without its password, and that --ephemeral is refused beside it.
func TestBinaryReplicasOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	db, err := url.Parse(freshDatabase(t, pgAdminURL(t)))
	if err != nil {
		t.Fatal(err)
	}
	// The test server trusts local connections, so any password will do;
	// it must not show in the log.
	const secret = "not-to-be-logged"
	db.User = url.UserPassword(db.User.Username(), secret)
	storeURL := db.String()

	out, err := exec.Command(buildBinary(t), "--store", storeURL, "--ephemeral").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--ephemeral") || strings.Contains(string(out), secret) {
		t.Fatalf("--store with --ephemeral: want a refusal that names --ephemeral (and not the password), got %v: %s", err, out)
	}

	cmdA, a, logsA := runBinary(t, buildBinary(t), "--store", storeURL)
	cmdB, b, logsB := runBinary(t, buildBinary(t), "--config", writeConfig(t, `{"store": "`+storeURL+`"}`))

	created, err := a.CreateInstance(ctx(t), &connect.CreateInstanceInput{IdentityManagementType: types.DirectoryTypeConnectManaged,
		InstanceAlias: aws.String("two-processes"), InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	d, err := b.DescribeInstance(ctx(t), &connect.DescribeInstanceInput{InstanceId: created.Id})
	if err != nil || *d.Instance.InstanceAlias != "two-processes" {
		t.Fatalf("DescribeInstance through the other process: %v", err)
	}
	// The logs may be read once the processes are gone.
	for _, c := range []*exec.Cmd{cmdA, cmdB} {
		c.Process.Kill()
		c.Wait()
	}
	<-logsA.done
	<-logsB.done
	for name, logs := range map[string]*logBuf{"--store": logsA, "--config": logsB} {
		l := logs.String()
		if strings.Contains(l, secret) {
			t.Errorf("%s: the password is in the log:\n%s", name, l)
		}
		if !strings.Contains(l, `state="postgres://postgres:redacted@`+db.Host+db.Path) {
			t.Errorf("%s: the start-up line does not name the store:\n%s", name, l)
		}
	}
}

// TestReplicasShareUserStatus: a status set through one replica is what the
// other answers; concurrent PutUserStatus calls for one agent through both
// replicas leave exactly one of the statuses, the same on both; a custom
// status name taken on one is taken on the other.
func TestReplicasShareUserStatus(t *testing.T) {
	r := startReplicas(t, service.Quotas{})
	f := replicaFixture(t, r, "replica-status")
	c := ctx(t)
	mary := f.create(t, f.user("mary"))
	lunch := *call(r[0].client.CreateAgentStatus(c, &connect.CreateAgentStatusInput{InstanceId: &f.instance, Name: aws.String("Lunch"), State: types.AgentStatusStateEnabled})).must(t).AgentStatusId
	_, err := r[1].client.CreateAgentStatus(c, &connect.CreateAgentStatusInput{InstanceId: &f.instance, Name: aws.String("Lunch"), State: types.AgentStatusStateEnabled})
	wantErr[*types.DuplicateResourceException](t, err, "Lunch")

	statusOn := func(e *env) string {
		t.Helper()
		out := call(e.client.GetCurrentUserData(c, &connect.GetCurrentUserDataInput{InstanceId: &f.instance, Filters: &types.UserDataFilters{Agents: []string{mary}}})).must(t)
		if len(out.UserDataList) == 0 {
			return "(logged out)"
		}
		return *out.UserDataList[0].Status.StatusName
	}
	call(r[0].client.PutUserStatus(c, &connect.PutUserStatusInput{InstanceId: &f.instance, UserId: &mary, AgentStatusId: &lunch})).must(t)
	if got := statusOn(r[1]); got != "Lunch" {
		t.Fatalf("replica 1 answers %s after replica 0 set Lunch", got)
	}
	statuses := map[string]string{}
	for _, s := range call(r[1].client.ListAgentStatuses(c, &connect.ListAgentStatusesInput{InstanceId: &f.instance})).must(t).AgentStatusSummaryList {
		statuses[*s.Name] = *s.Id
	}
	names := []string{"Available", "Lunch", "Offline"}
	errs := race(12, func(i int) error {
		_, err := r[i%2].client.PutUserStatus(c, &connect.PutUserStatusInput{InstanceId: &f.instance, UserId: &mary, AgentStatusId: aws.String(statuses[names[i%3]])})
		return err
	})
	if ok, _ := tally[*types.InvalidRequestException](t, "PutUserStatus", errs); ok != 12 {
		t.Fatalf("%d of 12 concurrent PutUserStatus calls succeeded", ok)
	}
	if a, b := statusOn(r[0]), statusOn(r[1]); a != b {
		t.Fatalf("replicas disagree after concurrent updates: %s and %s", a, b)
	}
}

// TestReplicasGiveOlderInstancesTheirStatuses: an instance stored without
// system agent statuses (as by an earlier version) asked for them through
// both replicas at once gets exactly one Available and one Offline, with
// the same ids on both.
func TestReplicasGiveOlderInstancesTheirStatuses(t *testing.T) {
	db := freshDatabase(t, pgAdminURL(t))
	r := [2]*env{startReplica(t, db, service.Quotas{}), startReplica(t, db, service.Quotas{})}
	f := replicaFixture(t, r, "replica-older")
	c := ctx(t)
	before := map[string]string{}
	for _, s := range call(r[0].client.ListAgentStatuses(c, &connect.ListAgentStatusesInput{InstanceId: &f.instance})).must(t).AgentStatusSummaryList {
		before[*s.Name] = *s.Id
	}
	// Fresh replicas, which have not seen the statuses, on a store that
	// no longer has them.
	sc := switchboard.Scope{Account: "000000000000", Region: region}
	keys := []switchboard.Key{{Scope: sc, Kind: switchboard.KindInstanceDefaults, Parent: f.instance, ID: "statuses+flows+prompts"}}
	for _, id := range before {
		keys = append(keys, switchboard.Key{Scope: sc, Kind: switchboard.KindAgentStatus, Parent: f.instance, ID: id})
	}
	for _, k := range keys {
		if err := r[0].store.Update(c, func(tx switchboard.Tx) error { return tx.Delete(k) }); err != nil {
			t.Fatalf("deleting %v: %v", k, err)
		}
	}
	fresh := [2]*env{startReplica(t, db, service.Quotas{}), startReplica(t, db, service.Quotas{})}
	lists := make([]map[string]string, 12)
	errs := race(12, func(i int) error {
		out, err := fresh[i%2].client.ListAgentStatuses(c, &connect.ListAgentStatusesInput{InstanceId: &f.instance})
		if err == nil {
			lists[i] = map[string]string{}
			for _, s := range out.AgentStatusSummaryList {
				lists[i][*s.Name] = *s.Id
			}
		}
		return err
	})
	if ok, _ := tally[*types.InvalidRequestException](t, "ListAgentStatuses", errs); ok != 12 {
		t.Fatalf("%d of 12 concurrent first calls succeeded", ok)
	}
	for i, l := range lists {
		if len(l) != 2 || l["Available"] != before["Available"] || l["Offline"] != before["Offline"] {
			t.Fatalf("call %d listed %v, want %v", i, l, before)
		}
	}
}
