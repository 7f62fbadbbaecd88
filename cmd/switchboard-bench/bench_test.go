package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-dev/switchboard/internal/server"
	"github.com/switchboard-dev/switchboard/service"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

// TestSmoke runs every workload for a fraction of a second against an
// in-process Switchboard on a temporary SQLite file, and the baseline
// against an in-process trivial handler. It checks the harness works —
// setup, every request shape, the table and the JSON — not how fast.
func TestSmoke(t *testing.T) {
	store, err := sqlite.Open(t.TempDir() + "/switchboard.db")
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	h, _ := server.New(server.Config{Store: store, Quotas: service.Quotas{UsersPerInstance: 100000}})
	srv := httptest.NewServer(h)
	defer srv.Close()
	base := httptest.NewServer(BaselineHandler())
	defer base.Close()

	var out, log bytes.Buffer
	o := runOptions{
		commonFlags: commonFlags{endpoint: srv.URL, region: "us-east-1", key: "test", secret: "test", workers: 4},
		duration:    200 * time.Millisecond, workloads: "all", users: 50, sample: 1000,
		jsonPath: "-", baselineEndpoint: base.URL,
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, o, &out, &log); err != nil {
		t.Fatalf("run: %v\n%s\n%s", err, out.String(), log.String())
	}
	text := out.String()
	i := strings.Index(text, "{")
	if i < 0 {
		t.Fatalf("no JSON in output:\n%s", text)
	}
	var rep Report
	if err := json.Unmarshal([]byte(text[i:]), &rep); err != nil {
		t.Fatalf("JSON report: %v", err)
	}
	got := map[string]Result{}
	for _, r := range rep.Results {
		got[r.Workload] = r
	}
	for _, wl := range workloadNames {
		r, ok := got[wl]
		if !ok {
			t.Errorf("workload %s missing from the report", wl)
			continue
		}
		if r.Ops == 0 || r.Errors != 0 || r.OpsPerSec <= 0 || r.P99ms < r.P50ms || r.MaxMs < r.P99ms {
			t.Errorf("workload %s: implausible result %+v", wl, r)
		}
		if wl != "baseline" && r.VsBaseline <= 0 {
			t.Errorf("workload %s: no ratio to the baseline", wl)
		}
	}
	if r := got["list-users"]; r.Items < r.Ops*50 {
		t.Errorf("list-users listed %d users in %d pages of an instance with at least 50", r.Items, r.Ops)
	}
	if !strings.Contains(text, "describe-user") || !strings.Contains(text, "p99ms") {
		t.Errorf("table missing:\n%s", text)
	}
}

// TestTwoTargetsPrintRatio runs a shared workload against two endpoints in
// one run, as bench/compare.sh does with Switchboard and moto_server.
func TestTwoTargetsPrintRatio(t *testing.T) {
	mk := func() string {
		store, err := sqlite.OpenMemory()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { store.Close() })
		h, _ := server.New(server.Config{Store: store})
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return srv.URL
	}
	var out, log bytes.Buffer
	o := runOptions{
		commonFlags: commonFlags{targets: "a=" + mk() + ",b=" + mk(), region: "us-east-1", key: "test", secret: "test", workers: 2},
		duration:    100 * time.Millisecond, workloads: "describe-instance,list-instances,tag-roundtrip",
	}
	if err := run(context.Background(), o, &out, &log); err != nil {
		t.Fatalf("run: %v\n%s", err, log.String())
	}
	for _, wl := range []string{"describe-instance", "list-instances", "tag-roundtrip"} {
		if !strings.Contains(out.String(), "ratio "+wl) {
			t.Errorf("no ratio line for %s:\n%s", wl, out.String())
		}
	}
}
