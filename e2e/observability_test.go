package e2e

// Health and metrics (docs/TESTING.md, "Health and metrics"): the
// Prometheus metrics count what clients did, by operation and status; the
// contact engine's gauges follow its queues and agents; readiness follows
// the store. Who may call them is tested in internal/server
// (observability_test.go), where a request can come from another host.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/connect"

	"github.com/switchboard-dev/switchboard/internal/server"
	"github.com/switchboard-dev/switchboard/storage/postgres"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

// sample is one line of the Prometheus text format.
type sample struct {
	name   string
	labels map[string]string
	value  float64
}

// scrape is one answer of GET /_switchboard/metrics.
type scrape []sample

// metrics scrapes the server, unsigned (the test runs on loopback).
func (e *env) metrics() scrape {
	e.t.Helper()
	resp, body := e.unsigned("GET", "/_switchboard/metrics", "")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		e.t.Fatalf("metrics: %d %s %.300s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	var s scrape
	for _, line := range strings.Split(string(body), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		smp, err := parseSample(line)
		if err != nil {
			e.t.Fatalf("metrics line %q: %v", line, err)
		}
		s = append(s, smp)
	}
	return s
}

// parseSample reads `name{k="v",...} value` (label values here never hold
// quotes, commas or backslashes).
func parseSample(line string) (sample, error) {
	smp := sample{labels: map[string]string{}}
	rest := line
	if i := strings.IndexAny(line, "{ "); i < 0 {
		return smp, errors.New("no value")
	} else {
		smp.name, rest = line[:i], line[i:]
	}
	if rest[0] == '{' {
		end := strings.IndexByte(rest, '}')
		if end < 0 {
			return smp, errors.New("unclosed labels")
		}
		for _, kv := range strings.Split(rest[1:end], ",") {
			if kv == "" {
				continue
			}
			k, v, ok := strings.Cut(kv, "=")
			uv, err := strconv.Unquote(v)
			if !ok || err != nil {
				return smp, fmt.Errorf("label %q", kv)
			}
			smp.labels[k] = uv
		}
		rest = rest[end+1:]
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
	smp.value = v
	return smp, err
}

// get returns the value of the sample with that name and exactly those
// labels (pairs of name and value), and whether there is one.
func (s scrape) get(name string, labels ...string) (float64, bool) {
	for _, smp := range s {
		if smp.name != name || len(smp.labels) != len(labels)/2 {
			continue
		}
		match := true
		for i := 0; i < len(labels); i += 2 {
			match = match && smp.labels[labels[i]] == labels[i+1]
		}
		if match {
			return smp.value, true
		}
	}
	return 0, false
}

// want is one expected sample.
type want struct {
	name   string
	labels []string
	value  float64
}

// check returns what differs from the expected samples ("" when nothing).
func (s scrape) check(ws ...want) string {
	var diffs []string
	for _, w := range ws {
		v, ok := s.get(w.name, w.labels...)
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("%s%v missing (want %v)", w.name, w.labels, w.value))
		case v != w.value:
			diffs = append(diffs, fmt.Sprintf("%s%v = %v, want %v", w.name, w.labels, v, w.value))
		}
	}
	sort.Strings(diffs)
	return strings.Join(diffs, "; ")
}

// eventually scrapes until the samples are as expected. A request is
// counted just after its answer is written, so a client can scrape before
// its last call is counted.
func (e *env) eventually(ws ...want) scrape {
	e.t.Helper()
	var s scrape
	var diff string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if s = e.metrics(); func() bool { diff = s.check(ws...); return diff == "" }() {
			return s
		}
	}
	e.t.Fatalf("metrics: %s", diff)
	return nil
}

// TestObservabilityRequestMetrics: SDK calls are counted by operation and
// status, a call refused by validation under its 400, every call once in
// its operation's latency histogram; Switchboard's own calls are counted
// by their names; the store's transactions are timed.
func TestObservabilityRequestMetrics(t *testing.T) {
	e := start(t, options{})
	c := ctx(t)
	before := e.metrics()
	if v, ok := before.get("switchboard_requests_total", "operation", "ListInstances", "code", "200"); ok {
		t.Fatalf("a new server has counted ListInstances already: %v", v)
	}
	updatesBefore, _ := before.get("switchboard_store_transaction_duration_seconds_count", "kind", "update")

	e.createInstance("observed")
	for range 2 {
		call(e.client.ListInstances(c, &connect.ListInstancesInput{})).must(t)
	}
	// MaxResults is at most 10: the server refuses it before the handler.
	_, err := e.client.ListInstances(c, &connect.ListInstancesInput{MaxResults: aws.Int32(11)})
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != 400 {
		t.Fatalf("ListInstances with MaxResults 11: %v", err)
	}
	// An unknown route: counted as operation "unknown".
	if resp, body := e.raw("GET", "/no-such-route", nil); resp.StatusCode != 404 {
		t.Fatalf("unknown route: %d %s", resp.StatusCode, body)
	}
	// A call of Switchboard's own API, signed.
	if a := e.testAPI("GET", "clock", ""); a.status != 200 {
		t.Fatalf("clock: %d %s", a.status, a.raw)
	}

	s := e.eventually(
		want{"switchboard_requests_total", []string{"operation", "CreateInstance", "code", "200"}, 1},
		want{"switchboard_requests_total", []string{"operation", "ListInstances", "code", "200"}, 2},
		want{"switchboard_requests_total", []string{"operation", "ListInstances", "code", "400"}, 1},
		want{"switchboard_requests_total", []string{"operation", "unknown", "code", "404"}, 1},
		want{"switchboard_requests_total", []string{"operation", "switchboard:GetClock", "code", "200"}, 1},
		want{"switchboard_request_duration_seconds_count", []string{"operation", "ListInstances"}, 3},
		want{"switchboard_request_duration_seconds_bucket", []string{"operation", "ListInstances", "le", "+Inf"}, 3},
		want{"switchboard_request_duration_seconds_count", []string{"operation", "CreateInstance"}, 1},
		// The scrapes before this one (at least the first) count too.
	)
	if v, _ := s.get("switchboard_requests_total", "operation", "switchboard:GetMetrics", "code", "200"); v < 1 {
		t.Errorf("scrapes counted: %v", v)
	}
	if _, ok := s.get("switchboard_requests_total", "operation", "DescribeInstance", "code", "200"); ok {
		t.Error("DescribeInstance counted, never called")
	}
	// The latency histogram's buckets are cumulative and end at the count.
	var last float64
	for _, smp := range s {
		if smp.name == "switchboard_request_duration_seconds_bucket" && smp.labels["operation"] == "ListInstances" {
			if smp.value < last {
				t.Errorf("bucket le=%s holds %v, less than the one before (%v)", smp.labels["le"], smp.value, last)
			}
			last = smp.value
		}
	}
	// CreateInstance wrote: the store timed at least one more update.
	if updates, _ := s.get("switchboard_store_transaction_duration_seconds_count", "kind", "update"); updates <= updatesBefore {
		t.Errorf("store updates timed: %v before, %v after CreateInstance", updatesBefore, updates)
	}
	if errs, ok := s.get("switchboard_store_transaction_errors_total", "kind", "update", "reason", "store"); ok && errs != 0 {
		t.Errorf("store errors on a healthy store: %v", errs)
	}
	for _, name := range []string{"go_goroutines", "process_resident_memory_bytes"} {
		if _, ok := s.get(name); !ok {
			t.Errorf("no %s", name)
		}
	}
}

// TestObservabilityEngineGauges: the queue depth follows a task waiting
// with no agent to take it, and the agents' gauge follows an agent's
// state.
func TestObservabilityEngineGauges(t *testing.T) {
	f := newEngineFixture(t)
	depth := func(v float64) want {
		return want{"switchboard_engine_contacts_in_queue", []string{"instance_id", f.instance, "queue_id", f.support}, v}
	}
	agents := func(state string, v float64) want {
		return want{"switchboard_engine_agents", []string{"instance_id", f.instance, "state", state}, v}
	}
	id := f.task(t, "waiting")
	if d := f.metrics().check(depth(1), agents("available", 0), agents("on_contact", 0), want{"switchboard_engine_state_up", nil, 1}); d != "" {
		t.Fatalf("a task queued with no agents: %s", d)
	}
	f.stop(t, id)
	if d := f.metrics().check(depth(0)); d != "" {
		t.Fatalf("the task stopped: %s", d)
	}

	mary := f.agent(t, "mary", agentSettings{autoAccept: true, acw: 10})
	if d := f.metrics().check(depth(0), agents("available", 1), agents("on_contact", 0)); d != "" {
		t.Fatalf("mary available: %s", d)
	}
	id = f.task(t, "for mary")
	if d := f.metrics().check(depth(0), agents("available", 0), agents("on_contact", 1)); d != "" {
		t.Fatalf("mary on the task: %s", d)
	}
	f.stop(t, id)
	if d := f.metrics().check(agents("after_contact_work", 1), agents("on_contact", 0)); d != "" {
		t.Fatalf("mary in after contact work: %s", d)
	}
	f.advance(t, 10)
	if d := f.metrics().check(agents("available", 1), agents("after_contact_work", 0)); d != "" {
		t.Fatalf("mary after ACW: %s", d)
	}
	// A second task, and mary gone offline: it waits.
	f.setStatus(t, mary, f.offline)
	f.task(t, "for nobody")
	if d := f.metrics().check(depth(1), agents("available", 0)); d != "" {
		t.Fatalf("mary offline: %s", d)
	}
}

// health reads /_switchboard/health/ready and /_switchboard/health.
func (e *env) readiness() (ready, health apiAnswer) {
	e.t.Helper()
	resp, body := e.unsigned("GET", "/_switchboard/health/ready", "")
	ready = answerOf(e.t, resp, body)
	resp, body = e.unsigned("GET", "/_switchboard/health", "")
	health = answerOf(e.t, resp, body)
	return ready, health
}

// waitReady polls readiness until it is as wanted; a result is reused
// for a second, so a change shows within about one.
func (e *env) waitReady(want bool) (ready, health apiAnswer) {
	e.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		ready, health = e.readiness()
		if ready.body["ready"] == want || time.Now().After(deadline) {
			break
		}
	}
	status := 200
	if !want {
		status = 503
	}
	if ready.status != status || ready.body["ready"] != want || health.status != status || health.body["ready"] != want || health.body["live"] != true {
		e.t.Fatalf("want ready=%v: ready %d %s, health %d %s", want, ready.status, ready.raw, health.status, health.raw)
	}
	return ready, health
}

// TestObservabilityReadinessStoreClosed: a server whose store is closed
// is live but not ready, says why, and its metrics still answer.
func TestObservabilityReadinessStoreClosed(t *testing.T) {
	store, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	e := start(t, options{store: store})
	if _, h := e.waitReady(true); h.raw != `{"status":"ok","live":true,"ready":true,"store":"ok"}` {
		t.Errorf("health: %s", h.raw)
	}
	e.createInstance("before")
	store.Close()
	_, h := e.waitReady(false)
	if h.body["status"] != "unavailable" || !strings.Contains(fmt.Sprint(h.body["store"]), "closed") {
		t.Errorf("health of a closed store: %s", h.raw)
	}
	resp, body := e.unsigned("GET", "/_switchboard/health/live", "")
	if live := answerOf(t, resp, body); live.status != 200 || live.raw != `{"live":true}` {
		t.Errorf("live: %d %s", live.status, live.raw)
	}
	// The engine's gauges cannot be read; the scrape still answers, and
	// says so.
	if _, err := e.client.ListInstances(ctx(t), &connect.ListInstancesInput{}); err == nil {
		t.Fatal("ListInstances on a closed store succeeded")
	}
	e.eventually(
		want{"switchboard_engine_state_up", nil, 0},
		want{"switchboard_requests_total", []string{"operation", "ListInstances", "code", "500"}, 1},
	)
	// ListInstances' view failed, and so did the engine's read of every
	// scrape before this one. (This scrape's own read may run after the
	// counters are gathered: a registry collects concurrently.)
	if v, _ := e.metrics().get("switchboard_store_transaction_errors_total", "kind", "view", "reason", "store"); v < 2 {
		t.Errorf("store errors: %v, want at least 2", v)
	}
}

// TestObservabilityReadinessPostgresOutage: readiness goes false while
// PostgreSQL is down and true again, by itself, when it is back.
func TestObservabilityReadinessPostgresOutage(t *testing.T) {
	pg := startOwnCluster(t)
	store, err := postgres.Open(context.Background(), pg.url)
	if err != nil {
		t.Fatal(err)
	}
	h, svc := server.New(server.Config{Store: store, Logger: slog.New(slog.DiscardHandler)})
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); svc.Close(); store.Close() })
	e := &env{t: t, url: srv.URL, client: newClient(srv.URL, "test", "test", region), store: store, srv: srv, svc: svc}

	e.waitReady(true)
	pg.stop()
	began := time.Now()
	_, health := e.waitReady(false)
	if took := time.Since(began); took > 5*time.Second {
		t.Errorf("readiness took %s to go false", took)
	}
	if !strings.Contains(fmt.Sprint(health.body["store"]), "unreachable") {
		t.Errorf("health while PostgreSQL is down: %s", health.raw)
	}
	pg.start()
	e.waitReady(true)
	e.createInstance("after")
}
