package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// op runs one unit of a workload for worker w (0..workers-1), i being the
// global index of the op. It returns how many items it handled (users
// listed or found; 1 for a plain call) so list and search report items/s.
type op func(ctx context.Context, w int, i int64) (items int, err error)

// runSpec says how long a workload runs.
type runSpec struct {
	Workers  int
	Duration time.Duration // stop after this long...
	Count    int64         // ...or after this many ops, whichever is first (0: no count)
	Warmup   time.Duration // ops run but not measured
}

// Result is what one workload measured against one target.
type Result struct {
	Workload   string  `json:"workload"`
	Target     string  `json:"target"`
	Workers    int     `json:"workers"`
	Ops        int64   `json:"ops"`
	Errors     int64   `json:"errors"`
	Seconds    float64 `json:"seconds"`
	OpsPerSec  float64 `json:"opsPerSec"`
	Items      int64   `json:"items"`
	ItemsPerS  float64 `json:"itemsPerSec"`
	P50ms      float64 `json:"p50Ms"`
	P90ms      float64 `json:"p90Ms"`
	P99ms      float64 `json:"p99Ms"`
	MaxMs      float64 `json:"maxMs"`
	FirstError string  `json:"firstError,omitempty"`
	// VsBaseline is OpsPerSec divided by the baseline's, when the baseline
	// ran in the same invocation.
	VsBaseline float64 `json:"vsBaseline,omitempty"`
}

// measure runs fn from spec.Workers goroutines and summarizes latencies.
// Latency samples are kept per worker (no locking on the hot path) and
// merged at the end.
func measure(ctx context.Context, workload, target string, spec runSpec, fn op) Result {
	if spec.Warmup > 0 {
		wctx, cancel := context.WithTimeout(ctx, spec.Warmup)
		drive(wctx, runSpec{Workers: spec.Workers}, fn, nil)
		cancel()
	}
	var rctx context.Context
	var cancel context.CancelFunc
	if spec.Duration > 0 {
		rctx, cancel = context.WithTimeout(ctx, spec.Duration)
	} else {
		rctx, cancel = context.WithCancel(ctx)
	}
	defer cancel()
	lat := make([][]time.Duration, spec.Workers)
	start := time.Now()
	ops, errs, items, first := drive(rctx, spec, fn, lat)
	elapsed := time.Since(start).Seconds()

	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	pct := func(p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		i := int(p*float64(len(all))+0.5) - 1
		i = min(max(i, 0), len(all)-1)
		return ms(all[i])
	}
	r := Result{Workload: workload, Target: target, Workers: spec.Workers, Ops: ops, Errors: errs, Seconds: elapsed,
		Items: items, P50ms: pct(0.50), P90ms: pct(0.90), P99ms: pct(0.99)}
	if len(all) > 0 {
		r.MaxMs = ms(all[len(all)-1])
	}
	if elapsed > 0 {
		r.OpsPerSec = float64(ops-errs) / elapsed
		r.ItemsPerS = float64(items) / elapsed
	}
	if first != nil {
		r.FirstError = first.Error()
		if len(r.FirstError) > 300 {
			r.FirstError = r.FirstError[:300]
		}
	}
	return r
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// drive runs the workers until ctx ends or spec.Count ops were started.
// Ops in flight when ctx ends run to completion (and are counted) rather
// than being cancelled: a cancelled request may still be executed by the
// server after the next workload started, which would disturb it.
func drive(ctx context.Context, spec runSpec, fn op, lat [][]time.Duration) (ops, errs, items int64, first error) {
	opCtx := context.WithoutCancel(ctx)
	var next, nops, nerr, nitems atomic.Int64
	var once sync.Once
	var wg sync.WaitGroup
	for w := range spec.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if spec.Count > 0 && i >= spec.Count {
					return
				}
				t0 := time.Now()
				n, err := fn(opCtx, w, i)
				d := time.Since(t0)
				nops.Add(1)
				if err != nil {
					nerr.Add(1)
					once.Do(func() { first = err })
					continue
				}
				nitems.Add(int64(n))
				if lat != nil {
					lat[w] = append(lat[w], d)
				}
			}
		}()
	}
	wg.Wait()
	return nops.Load(), nerr.Load(), nitems.Load(), first
}

// writeTable prints results as an aligned table; when several targets ran
// the same workload, a ratio line compares each to the first target.
func writeTable(w io.Writer, rs []Result) {
	fmt.Fprintf(w, "%-18s %-10s %4s %9s %6s %10s %12s %8s %8s %8s %8s %7s\n",
		"workload", "target", "wrk", "ops", "errors", "ops/s", "items/s", "p50ms", "p90ms", "p99ms", "maxms", "vsBase")
	for _, r := range rs {
		vs := ""
		if r.VsBaseline > 0 {
			vs = fmt.Sprintf("%.0f%%", 100*r.VsBaseline)
		}
		fmt.Fprintf(w, "%-18s %-10s %4d %9d %6d %10.0f %12.0f %8.2f %8.2f %8.2f %8.2f %7s\n",
			r.Workload, r.Target, r.Workers, r.Ops, r.Errors, r.OpsPerSec, r.ItemsPerS, r.P50ms, r.P90ms, r.P99ms, r.MaxMs, vs)
	}
	for _, r := range rs {
		if r.FirstError != "" {
			fmt.Fprintf(w, "  %s@%s first error: %s\n", r.Workload, r.Target, strings.TrimSpace(r.FirstError))
		}
	}
	byWorkload := map[string][]Result{}
	var order []string
	for _, r := range rs {
		if _, ok := byWorkload[r.Workload]; !ok {
			order = append(order, r.Workload)
		}
		byWorkload[r.Workload] = append(byWorkload[r.Workload], r)
	}
	for _, wl := range order {
		group := byWorkload[wl]
		for _, r := range group[1:] {
			if r.OpsPerSec > 0 {
				fmt.Fprintf(w, "ratio %-18s %s/%s = %.1fx\n", wl, group[0].Target, r.Target, group[0].OpsPerSec/r.OpsPerSec)
			}
		}
	}
}

// setBaselineRatios fills VsBaseline from a baseline result of the same
// run, if there is one.
func setBaselineRatios(rs []Result) {
	var base float64
	for _, r := range rs {
		if r.Workload == "baseline" {
			base = r.OpsPerSec
		}
	}
	if base == 0 {
		return
	}
	for i := range rs {
		if rs[i].Workload != "baseline" {
			rs[i].VsBaseline = rs[i].OpsPerSec / base
		}
	}
}

// Report is the JSON document the bench writes.
type Report struct {
	Started time.Time `json:"started"`
	Host    hostInfo  `json:"host"`
	Results []Result  `json:"results"`
}

type hostInfo struct {
	CPUs      int    `json:"cpus"`
	GoVersion string `json:"goVersion"`
}

func writeJSON(w io.Writer, rep Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
