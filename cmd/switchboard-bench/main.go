// Command switchboard-bench measures a Connect endpoint (Switchboard,
// moto_server, anything that speaks Connect's restJson1) with SigV4-signed
// requests from concurrent workers. docs/PERFORMANCE.md says how to use it
// and what it measured.
//
//	switchboard-bench run  [flags]      run workloads, print a table (and JSON)
//	switchboard-bench load [flags]      create N users through the API
//	switchboard-bench load-direct       create N users in a database file in-process
//	switchboard-bench serve [flags]     a Switchboard server with profiling hooks
//	switchboard-bench baseline-server   the trivial handler "baseline" measures
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/switchboard-dev/switchboard/internal/server"
)

func main() {
	args := os.Args[1:]
	cmd := "run"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if path := os.Getenv("SWITCHBOARD_BENCH_CPUPROFILE"); path != "" {
		// Profiles the bench command itself (load-direct, the client side).
		if f, err := os.Create(path); err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	var err error
	switch cmd {
	case "run":
		err = runCmd(ctx, args, os.Stdout, os.Stderr)
	case "load":
		err = loadCmd(ctx, args, os.Stderr)
	case "serve":
		server.TuneGC() // as cmd/switchboard serves
		err = serveCmd(ctx, args, os.Stderr)
	case "load-direct":
		err = loadDirectCmd(ctx, args, os.Stderr)
	case "baseline-server":
		err = baselineServerCmd(ctx, args, os.Stdout)
	default:
		err = fmt.Errorf("unknown command %q (want run, load, serve or baseline-server)", cmd)
	}
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "switchboard-bench:", err)
		os.Exit(1)
	}
}

// commonFlags are the connection flags every client command takes.
type commonFlags struct {
	endpoint, targets, region, key, secret, instance string
	workers                                          int
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.endpoint, "endpoint", "http://127.0.0.1:4599", "endpoint to measure")
	fs.StringVar(&c.targets, "targets", "", "several endpoints measured in one run, as name=url,name=url (overrides --endpoint); ratios compare each to the first")
	fs.StringVar(&c.region, "region", "us-east-1", "region to sign for")
	fs.StringVar(&c.key, "access-key", "test", "access key id")
	fs.StringVar(&c.secret, "secret-key", "test", "secret access key")
	fs.StringVar(&c.instance, "instance", "", "instance id to use (default: create one per target)")
	fs.IntVar(&c.workers, "workers", 16, "concurrent workers")
}

// parseTargets returns name -> endpoint in the order given.
func (c *commonFlags) parseTargets() ([][2]string, error) {
	if c.targets == "" {
		return [][2]string{{"target", c.endpoint}}, nil
	}
	var out [][2]string
	for _, part := range strings.Split(c.targets, ",") {
		name, u, ok := strings.Cut(part, "=")
		if !ok || name == "" || u == "" {
			return nil, fmt.Errorf("--targets: %q is not name=url", part)
		}
		out = append(out, [2]string{name, u})
	}
	return out, nil
}

type runOptions struct {
	commonFlags
	duration, warmup time.Duration
	count            int64
	workloads        string
	users            int
	sample           int
	jsonPath         string
	baselineEndpoint string
}

func runCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var o runOptions
	o.register(fs)
	fs.DurationVar(&o.duration, "duration", 5*time.Second, "how long each workload runs")
	fs.Int64Var(&o.count, "count", 0, "stop each workload after this many ops (0: only --duration)")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured run before each workload")
	fs.StringVar(&o.workloads, "workloads", "all", "comma-separated workloads, or all, or shared (those moto implements): "+strings.Join(workloadNames, ","))
	fs.IntVar(&o.users, "users", 1000, "make sure the instance has at least this many users before user workloads (created through the API)")
	fs.IntVar(&o.sample, "sample", 100000, "at most this many user ids are sampled for describe/update")
	fs.StringVar(&o.jsonPath, "json", "", "also write the results as JSON to this file (- for stdout)")
	fs.StringVar(&o.baselineEndpoint, "baseline-endpoint", "", "endpoint of the trivial handler (default: start `switchboard-bench baseline-server` as a child process)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return run(ctx, o, stdout, stderr)
}

func selectWorkloads(spec string) ([]string, error) {
	switch spec {
	case "all":
		return workloadNames, nil
	case "shared":
		return sharedWorkloads, nil
	}
	known := map[string]bool{}
	for _, w := range workloadNames {
		known[w] = true
	}
	var out []string
	for _, w := range strings.Split(spec, ",") {
		w = strings.TrimSpace(w)
		if !known[w] {
			return nil, fmt.Errorf("unknown workload %q (known: %s)", w, strings.Join(workloadNames, ", "))
		}
		out = append(out, w)
	}
	return out, nil
}

func run(ctx context.Context, o runOptions, stdout, stderr io.Writer) error {
	wls, err := selectWorkloads(o.workloads)
	if err != nil {
		return err
	}
	eps, err := o.parseTargets()
	if err != nil {
		return err
	}
	spec := runSpec{Workers: o.workers, Duration: o.duration, Count: o.count, Warmup: o.warmup}
	wantUsers := false
	for _, w := range wls {
		wantUsers = wantUsers || needsUsers[w] || w == "create-users"
	}

	var targets []*target
	for _, ep := range eps {
		c, err := newClient(ep[1], o.region, o.key, o.secret, o.workers)
		if err != nil {
			return err
		}
		t := &target{name: ep[0], c: c, log: stderr, gen: newUserGen()}
		if err := t.setupInstance(ctx, o.instance); err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
		if wantUsers {
			if err := t.setupProfiles(ctx); err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
			n, err := t.sampleUsers(ctx, o.sample)
			if err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
			if n < o.users {
				if err := t.load(ctx, int64(o.users-n), o.workers); err != nil {
					return fmt.Errorf("%s: %w", t.name, err)
				}
				if _, err := t.sampleUsers(ctx, o.sample); err != nil {
					return fmt.Errorf("%s: %w", t.name, err)
				}
			}
			fmt.Fprintf(stderr, "%s: instance %s, %d users sampled\n", t.name, t.instanceID, len(t.users))
		}
		targets = append(targets, t)
	}

	var results []Result
	for _, wl := range wls {
		if wl == "baseline" {
			r, err := runBaseline(ctx, o, spec, stderr)
			if err != nil {
				return err
			}
			results = append(results, r)
			continue
		}
		for _, t := range targets {
			if needsUsers[wl] && len(t.users) == 0 {
				return fmt.Errorf("%s: workload %s needs users; pass --users N", t.name, wl)
			}
			fn, err := t.workload(wl, o.workers)
			if err != nil {
				return err
			}
			fmt.Fprintf(stderr, "running %s against %s (%d workers, %s)\n", wl, t.name, o.workers, o.duration)
			results = append(results, measure(ctx, wl, t.name, spec, fn))
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	setBaselineRatios(results)
	writeTable(stdout, results)
	if o.jsonPath != "" {
		rep := Report{Started: time.Now().UTC(), Host: hostInfo{CPUs: runtime.NumCPU(), GoVersion: runtime.Version()}, Results: results}
		w := stdout
		if o.jsonPath != "-" {
			f, err := os.Create(o.jsonPath)
			if err != nil {
				return err
			}
			defer f.Close()
			w = f
		}
		if err := writeJSON(w, rep); err != nil {
			return err
		}
	}
	for _, r := range results {
		if r.Errors > 0 {
			return fmt.Errorf("%d workload(s) had errors", countErrors(results))
		}
	}
	return nil
}

func countErrors(rs []Result) int {
	n := 0
	for _, r := range rs {
		if r.Errors > 0 {
			n++
		}
	}
	return n
}

// runBaseline measures the trivial handler with the same client, signing
// and concurrency as every other workload.
func runBaseline(ctx context.Context, o runOptions, spec runSpec, stderr io.Writer) (Result, error) {
	ep := o.baselineEndpoint
	if ep == "" {
		addr, stop, err := startBaselineChild(ctx)
		if err != nil {
			return Result{}, fmt.Errorf("baseline: %w", err)
		}
		defer stop()
		ep = "http://" + addr
	}
	c, err := newClient(ep, o.region, o.key, o.secret, o.workers)
	if err != nil {
		return Result{}, err
	}
	t := &target{name: "baseline", c: c, log: stderr, instanceID: "baseline"}
	fn, _ := t.workload("baseline", o.workers)
	fmt.Fprintf(stderr, "running baseline against %s (%d workers, %s)\n", ep, o.workers, o.duration)
	return measure(ctx, "baseline", "baseline", spec, fn), nil
}

// startBaselineChild runs this executable's baseline-server on a free
// loopback port and returns its address. The handler runs in its own
// process, as the servers under test do, so it does not share the bench's
// CPU scheduler or garbage collector.
func startBaselineChild(ctx context.Context) (string, func(), error) {
	exe, err := os.Executable()
	if err != nil {
		return "", nil, err
	}
	cmd := exec.CommandContext(ctx, exe, "baseline-server", "--addr", "127.0.0.1:0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		stop()
		return "", nil, fmt.Errorf("baseline-server did not start: %w", err)
	}
	return strings.TrimSpace(strings.TrimPrefix(line, "listening ")), stop, nil
}

// baselineBody is what the trivial handler answers: a DescribeInstance-sized
// JSON document.
var baselineBody = []byte(`{"Instance":{"Arn":"arn:aws:connect:us-east-1:000000000000:instance/00000000-0000-4000-8000-000000000000","CreatedTime":1.7e9,"Id":"00000000-0000-4000-8000-000000000000","IdentityManagementType":"CONNECT_MANAGED","InboundCallsEnabled":true,"InstanceAlias":"baseline","InstanceStatus":"ACTIVE","OutboundCallsEnabled":true,"ServiceRole":"arn:aws:iam::000000000000:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect"}}`)

// BaselineHandler answers every request with a fixed JSON body after
// reading the request body: the least any server must do.
func BaselineHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		h := w.Header()
		h["Content-Type"] = []string{"application/json"}
		h["x-amzn-RequestId"] = []string{"00000000-0000-4000-8000-000000000000"}
		w.Write(baselineBody)
	})
}

func baselineServerCmd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("baseline-server", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "listening %s\n", ln.Addr())
	srv := &http.Server{Handler: BaselineHandler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { <-ctx.Done(); srv.Close() }()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func loadCmd(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	var c commonFlags
	c.register(fs)
	n := fs.Int64("n", 1000, "users to create")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cl, err := newClient(c.endpoint, c.region, c.key, c.secret, c.workers)
	if err != nil {
		return err
	}
	t := &target{name: c.endpoint, c: cl, log: stderr, gen: newUserGen()}
	if err := t.setupInstance(ctx, c.instance); err != nil {
		return err
	}
	if err := t.setupProfiles(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "instance %s\n", t.instanceID)
	return t.load(ctx, *n, c.workers)
}
