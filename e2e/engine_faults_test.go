package e2e

// The contact engine's invariants under faults: no contact lost or
// connected to two agents, no agent above its concurrency — across two
// replicas routing at once on one PostgreSQL, and across kill -9 in the
// middle of traffic (the restarted process carries on with the queues and
// the timers).

import (
	"fmt"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-dev/switchboard/engine"
	"github.com/switchboard-dev/switchboard/service"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

// engineState is what the API shows of an instance's contacts and agents.
type engineState struct {
	agentOf map[string]string   // contact -> agent (DescribeContact), "" when none
	ended   map[string]bool     // contact -> has a DisconnectTimestamp
	holds   map[string][]string // agent -> contacts it holds (GetCurrentUserData, not missed)
	events  func(contact string) []string
}

// readState describes every contact and reads every agent.
func (f *engineFixture) readState(t *testing.T, c *connect.Client, contacts, agents []string) engineState {
	t.Helper()
	st := engineState{agentOf: map[string]string{}, ended: map[string]bool{}, holds: map[string][]string{},
		events: func(c string) []string { return f.events(t, c) }}
	describe := func(id string) {
		d := call(c.DescribeContact(ctx(t), &connect.DescribeContactInput{InstanceId: &f.instance, ContactId: &id})).must(t).Contact
		st.agentOf[id] = agentOf(d)
		st.ended[id] = d.DisconnectTimestamp != nil
	}
	for _, id := range contacts {
		describe(id)
	}
	for _, a := range agents {
		out := call(c.GetCurrentUserData(ctx(t), &connect.GetCurrentUserDataInput{InstanceId: &f.instance, Filters: &types.UserDataFilters{Agents: []string{a}}})).must(t)
		for _, ud := range out.UserDataList {
			for _, ac := range ud.Contacts {
				if ac.AgentContactState != types.ContactStateMissed {
					st.holds[a] = append(st.holds[a], aws.ToString(ac.ContactId))
				}
			}
		}
	}
	// A contact started just before a kill can be stored without its
	// caller having seen the answer: read the ones agents hold too.
	for _, cs := range st.holds {
		for _, id := range cs {
			if _, ok := st.agentOf[id]; !ok {
				describe(id)
			}
		}
	}
	return st
}

// check asserts the invariants: every contact held by at most one agent,
// agents within their TASK concurrency of one, and the contacts' and the
// agents' views agreeing. It returns how many contacts are held.
func (st engineState) check(t *testing.T, when string) int {
	t.Helper()
	heldBy := map[string]string{}
	n := 0
	for a, cs := range st.holds {
		if len(cs) > 1 {
			t.Errorf("%s: agent %s holds %d tasks, above its concurrency of 1: %v", when, a, len(cs), cs)
		}
		for _, c := range cs {
			if other, dup := heldBy[c]; dup {
				t.Errorf("%s: contact %s is held by agents %s and %s", when, c, other, a)
			}
			heldBy[c] = a
			n++
			if st.agentOf[c] != a {
				t.Errorf("%s: agent %s holds %s, whose AgentInfo names %q (events: %v)", when, a, c, st.agentOf[c], st.events(c))
			}
		}
	}
	for c, a := range st.agentOf {
		if a != "" && !st.ended[c] && heldBy[c] != a {
			t.Errorf("%s: contact %s names agent %s, who does not hold it", when, c, a)
		}
	}
	return n
}

func TestReplicasRouteEachContactToOneAgent(t *testing.T) {
	routeOnReplicas(t, startReplicas(t, service.Quotas{UsersPerInstance: 100}))
}

// The same with two stores on one SQLite file, as two processes would
// open it: each keeps its own caches and in-memory indexes (timers, queued
// contacts, decoded contacts, the writer's records), which must notice
// the other's writes.
func TestReplicasOnOneSQLiteFileRouteEachContactToOneAgent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "switchboard.db")
	var r [2]*env
	for i := range r {
		s, err := sqlite.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		r[i] = start(t, options{store: s, quotas: service.Quotas{UsersPerInstance: 100}})
	}
	routeOnReplicas(t, r)
}

func routeOnReplicas(t *testing.T, r [2]*env) {
	f := &engineFixture{fixture: fixtureOn(t, r[0], types.DirectoryTypeConnectManaged)}
	f.setUp(t)
	const agents, tasks = 6, 30
	var users []string
	for i := range agents {
		users = append(users, f.agent(t, fmt.Sprintf("agent%d", i), agentSettings{autoAccept: true}))
	}
	ids := make([]string, tasks)
	errs := race(tasks, func(i int) error {
		out, err := r[i%2].client.StartTaskContact(ctx(t), &connect.StartTaskContactInput{InstanceId: &f.instance, Name: aws.String("t"), ContactFlowId: &f.toSupport})
		if err == nil {
			ids[i] = *out.ContactId
		}
		return err
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("start %d: %v", i, err)
		}
	}
	st := f.readState(t, r[1].client, ids, users)
	if n := st.check(t, "after the starts"); n != agents {
		t.Fatalf("%d tasks connected, want one per agent (%d)", n, agents)
	}
	// Agents finish through both replicas at once, each finish routing the
	// next task, until every task has been handled.
	for round := 0; ; round++ {
		var held [][2]string
		for a, cs := range st.holds {
			for _, c := range cs {
				held = append(held, [2]string{a, c})
			}
		}
		if len(held) == 0 {
			break
		}
		if round > tasks {
			t.Fatal("tasks are not draining")
		}
		var wg sync.WaitGroup
		for i, h := range held {
			e := r[i%2]
			wg.Go(func() {
				for _, action := range []string{"hang-up", "clear"} {
					body := fmt.Sprintf(`{"InstanceId":%q,"ContactId":%q,"UserId":%q,"Action":%q}`, f.instance, h[1], h[0], action)
					if a := e.testAPI("POST", "agent/action", body); a.status != 200 {
						t.Errorf("%s %s: %d %s", action, h[1], a.status, a.raw)
					}
				}
			})
		}
		wg.Wait()
		st = f.readState(t, r[round%2].client, ids, users)
		st.check(t, fmt.Sprintf("round %d", round))
	}
	for _, id := range ids {
		if !st.ended[id] || st.agentOf[id] == "" {
			t.Errorf("task %s: handled by %q, ended %v; want every task handled and ended", id, st.agentOf[id], st.ended[id])
		}
	}
}

func TestBinaryEngineSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	args := []string{"--data-dir", dir, "--clock", "virtual", "--clock-start", clockStart.Format(time.RFC3339)}
	addr := freeAddr(t)
	cmd, client, _ := runBinaryAt(t, bin, addr, args...)
	e := &env{t: t, url: "http://" + addr, client: client}
	f := &engineFixture{fixture: fixtureOn(t, e, types.DirectoryTypeConnectManaged)}
	f.setUp(t)
	var users []string
	for i := range 3 {
		users = append(users, f.agent(t, fmt.Sprintf("agent%d", i), agentSettings{acw: 30}))
	}
	// Traffic while the process dies: tasks started from four goroutines
	// until the kill; every task the server acknowledged must survive.
	var mu sync.Mutex
	var ids []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				out, err := client.StartTaskContact(ctx(t), &connect.StartTaskContactInput{InstanceId: &f.instance, Name: aws.String("t"), ContactFlowId: &f.toSupport})
				if err != nil {
					return // the process is gone
				}
				mu.Lock()
				ids = append(ids, *out.ContactId)
				mu.Unlock()
			}
		})
	}
	for {
		mu.Lock()
		n := len(ids)
		mu.Unlock()
		if n >= 12 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	close(stop)
	wg.Wait()

	_, client2, _ := runBinaryAt(t, bin, addr, args...)
	e.client = client2
	f.fixture.env = e
	st := f.readState(t, client2, ids, users)
	if n := st.check(t, "after kill -9"); n != len(users) {
		t.Fatalf("%d tasks offered after the restart, want one per agent (%d)", n, len(users))
	}
	// The ring timers set before the kill fire after it: the offered tasks
	// are missed and go back to the queue; no agent holds a contact.
	f.advance(t, int(engine.RingTimeout/time.Second))
	st = f.readState(t, client2, ids, users)
	if n := st.check(t, "after the ring timeout"); n != 0 {
		t.Fatalf("%d tasks still held after the ring timeout", n)
	}
	for _, u := range users {
		if got := f.agentContacts(t, u); len(got) != 1 {
			t.Errorf("agent %s after missing: %v, want its one MISSED task", u, got)
		}
	}
	// Each agent sets its status again, takes a task, accepts and hangs
	// up; after contact work ends 30 s later and the next tasks follow.
	for _, u := range users {
		f.setStatus(t, u, f.available)
	}
	st = f.readState(t, client2, ids, users)
	st.check(t, "agents available again")
	for u, cs := range st.holds {
		for _, c := range cs {
			f.mustAct(t, c, u, "accept")
			f.mustAct(t, c, u, "hang-up")
		}
	}
	f.advance(t, 30)
	st = f.readState(t, client2, ids, users)
	if n := st.check(t, "after after-contact work"); n != len(users) {
		t.Errorf("%d tasks offered once after contact work ended, want %d", n, len(users))
	}
}
