package e2e

// The contact engine's throughput figures (docs/PERFORMANCE.md, "Contact
// engine"). TestEngineThroughput measures them when
// SWITCHBOARD_ENGINE_BENCH is set (to the number of tasks to start; the
// test command runs a small round as a smoke test) and prints one line:
//
//	SWITCHBOARD_ENGINE_BENCH=5000 go test ./e2e -run TestEngineThroughput -v

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/engine"
	"github.com/switchboard-dev/switchboard/internal/server"
	"github.com/switchboard-dev/switchboard/service"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

// engineCenter is an instance with queues agents spread evenly over them,
// each agent Available and auto-accepting tasks (concurrency slots each).
type engineCenter struct {
	f      *fixture
	flows  []string // one per queue: transfers to it
	agents []string
	queues []string
}

func newEngineCenter(t testing.TB, f *fixture, queues, agents int, slots int32, acw int32) *engineCenter {
	c := ctx(t.(*testing.T))
	ec := &engineCenter{f: f}
	available := f.statusOf(t.(*testing.T), types.AgentStatusTypeRoutable)
	hours := *call(f.client.CreateHoursOfOperation(c, &connect.CreateHoursOfOperationInput{InstanceId: &f.instance, Name: aws.String("Always"),
		TimeZone: aws.String("UTC"), Config: everyDay(0, 0)})).must(t.(*testing.T)).HoursOfOperationId
	var profiles []string
	for i := range queues {
		q := *call(f.client.CreateQueue(c, &connect.CreateQueueInput{InstanceId: &f.instance, Name: aws.String(fmt.Sprintf("q%02d", i)), HoursOfOperationId: &hours})).must(t.(*testing.T)).QueueId
		ec.queues = append(ec.queues, q)
		ec.flows = append(ec.flows, f.newFlow(t.(*testing.T), fmt.Sprintf("to q%02d", i), types.ContactFlowTypeContactFlow, toQueue(q)))
		profiles = append(profiles, *call(f.client.CreateRoutingProfile(c, &connect.CreateRoutingProfileInput{InstanceId: &f.instance,
			Name: aws.String(fmt.Sprintf("rp%02d", i)), Description: aws.String("bench"), DefaultOutboundQueueId: &q,
			MediaConcurrencies: []types.MediaConcurrency{{Channel: types.ChannelTask, Concurrency: aws.Int32(slots)}},
			QueueConfigs:       []types.RoutingProfileQueueConfig{qc(q, types.ChannelTask, 1, 0)}})).must(t.(*testing.T)).RoutingProfileId)
	}
	var mu sync.Mutex
	errs := race(agents, func(i int) error {
		in := f.user(fmt.Sprintf("agent%04d", i))
		in.RoutingProfileId = &profiles[i%queues]
		in.AutoAcceptConfigs = []types.AutoAcceptConfig{{Channel: types.ChannelTask, AutoAccept: true}}
		in.AfterContactWorkConfigs = []types.AfterContactWorkConfigPerChannel{{Channel: types.ChannelTask, AfterContactWorkConfig: &types.AfterContactWorkConfig{AfterContactWorkTimeLimit: acw}}}
		out, err := f.client.CreateUser(c, in)
		if err != nil {
			return err
		}
		if _, err := f.client.PutUserStatus(c, &connect.PutUserStatusInput{InstanceId: &f.instance, UserId: out.UserId, AgentStatusId: &available}); err != nil {
			return err
		}
		mu.Lock()
		ec.agents = append(ec.agents, *out.UserId)
		mu.Unlock()
		return nil
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return ec
}

func percentile(d []time.Duration, p float64) time.Duration {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[int(float64(len(d)-1)*p)]
}

func TestEngineThroughput(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SWITCHBOARD_ENGINE_BENCH"))
	agents, queues := 1000, 50
	if n <= 0 {
		if testing.Short() {
			t.Skip("set SWITCHBOARD_ENGINE_BENCH to the number of tasks to start")
		}
		n, agents, queues = 200, 100, 10 // smoke round
	}
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{quotas: service.Quotas{UsersPerInstance: agents + 10, QueuesPerInstance: queues + 10, ContactFlowsPerInstance: queues + 20}})
	setup := time.Now()
	ec := newEngineCenter(t, f, queues, agents, 10, 0)
	t.Logf("set-up: %d agents in %d queues in %v", len(ec.agents), queues, time.Since(setup).Round(time.Millisecond))
	const workers = 8
	lat := make([]time.Duration, n)
	var next int64
	var mu sync.Mutex
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= int64(n) {
					return
				}
				t0 := time.Now()
				out, err := f.client.StartTaskContact(ctx(t), &connect.StartTaskContactInput{InstanceId: &f.instance, Name: aws.String("t"), ContactFlowId: &ec.flows[i%int64(queues)]})
				if err != nil {
					t.Error(err)
					return
				}
				// StartTaskContact answers after routing: the task is connected
				// when it returns, which the check below samples.
				lat[i] = time.Since(t0)
				if i%97 == 0 {
					d := call(f.client.DescribeContact(ctx(t), &connect.DescribeContactInput{InstanceId: &f.instance, ContactId: out.ContactId})).must(t).Contact
					if d.AgentInfo == nil || d.AgentInfo.ConnectedToAgentTimestamp == nil {
						t.Errorf("task %d not connected when StartTaskContact answered", i)
					}
				}
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	fmt.Printf("engine: %d agents, %d queues: %d tasks started and auto-accepted in %v: %.0f tasks/s, p50 %v, p99 %v start->CONNECTED\n",
		agents, queues, n, took.Round(time.Millisecond), float64(n)/took.Seconds(), percentile(lat, 0.5).Round(time.Microsecond), percentile(lat, 0.99).Round(time.Microsecond))
}

// TestCurrentMetricDataLatency measures GetCurrentMetricData with many
// agents when SWITCHBOARD_METRICS_BENCH is set to the number of agents
// (docs/PERFORMANCE.md): 200 requests grouped by queue and channel.
func TestCurrentMetricDataLatency(t *testing.T) {
	agents, _ := strconv.Atoi(os.Getenv("SWITCHBOARD_METRICS_BENCH"))
	if agents <= 0 {
		if testing.Short() {
			t.Skip("set SWITCHBOARD_METRICS_BENCH to the number of agents")
		}
		agents = 200 // smoke round
	}
	const queues = 50
	// The server's own time for each GetCurrentMetricData, from the
	// request's arrival to the last byte of its answer.
	var serverMu sync.Mutex
	var served []time.Duration
	wrap := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			t0 := time.Now()
			h.ServeHTTP(w, r)
			if strings.HasPrefix(r.URL.Path, "/metrics/current/") {
				serverMu.Lock()
				served = append(served, time.Since(t0))
				serverMu.Unlock()
			}
		})
	}
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{wrap: wrap, quotas: service.Quotas{UsersPerInstance: agents + 10, QueuesPerInstance: queues + 10, ContactFlowsPerInstance: queues + 20}})
	ec := newEngineCenter(t, f, queues, agents, 10, 0)
	for i := range 500 {
		call(f.client.StartTaskContact(ctx(t), &connect.StartTaskContactInput{InstanceId: &f.instance, Name: aws.String("t"), ContactFlowId: &ec.flows[i%queues]})).must(t)
	}
	in := &connect.GetCurrentMetricDataInput{InstanceId: &f.instance, CurrentMetrics: metricsOf(allCurrentMetrics...),
		Filters:   &types.Filters{Queues: ec.queues, Channels: []types.Channel{types.ChannelVoice, types.ChannelChat, types.ChannelTask}},
		Groupings: []types.Grouping{types.GroupingQueue, types.GroupingChannel}}
	// With the SDK's default retries, as a dashboard has them: net/http's
	// transport can close a connection from its write loop while the
	// answer is read, more often when the server answers fast and the CPU
	// is busy, and aws-sdk-go-v2 retries that error by default
	// (aws/aws-sdk-go-v2#2737, fixed by retrying net.ErrClosed in #2949);
	// the tests' clients make one attempt only.
	client := connect.New(connect.Options{Region: region, BaseEndpoint: aws.String(f.url), Credentials: f.client.Options().Credentials})
	// The client's figures leave out the calls the SDK had to retry: their
	// time is mostly its backoff (the error is the client's, its own
	// connection closed under the answer it was reading; see above).
	var lat []time.Duration
	retried := 0
	serverMu.Lock()
	served = served[:0]
	serverMu.Unlock()
	for range 200 {
		t0 := time.Now()
		out := call(client.GetCurrentMetricData(ctx(t), in)).must(t)
		took := time.Since(t0)
		if ar, ok := retry.GetAttemptResults(out.ResultMetadata); ok && len(ar.Results) > 1 {
			retried++
		} else {
			lat = append(lat, took)
		}
		if len(out.MetricResults) != 100 { // one page of the 150 groups
			t.Fatalf("%d results", len(out.MetricResults))
		}
	}
	serverMu.Lock()
	defer serverMu.Unlock()
	fmt.Printf("metrics: %d agents, %d queues: GetCurrentMetricData (13 metrics by queue and channel) in the server p50 %v, p99 %v; at the client p50 %v, p99 %v (%d calls retried by the SDK left out)\n",
		agents, queues, percentile(served, 0.5).Round(time.Microsecond), percentile(served, 0.99).Round(time.Microsecond),
		percentile(lat, 0.5).Round(time.Microsecond), percentile(lat, 0.99).Round(time.Microsecond), retried)
}

// TestEngineEightHourDay runs a day of traffic on the virtual clock when
// SWITCHBOARD_DAY_BENCH is set to the number of contacts (docs/PERFORMANCE.md):
// 1,000 auto-accepting agents in 50 queues with 30 s of after contact
// work, tasks arriving evenly over 8 simulated hours and stopped 180 s
// after they start, the clock moved a second at a time. The calls go to
// the service in process (no HTTP), as a load generator inside a test
// would; the test command runs a short day as a smoke test.
func TestEngineEightHourDay(t *testing.T) {
	contacts, _ := strconv.Atoi(os.Getenv("SWITCHBOARD_DAY_BENCH"))
	agents, queues, day := 1000, 50, 8*time.Hour
	if contacts <= 0 {
		if testing.Short() {
			t.Skip("set SWITCHBOARD_DAY_BENCH to the number of contacts")
		}
		contacts, agents, queues, day = 300, 50, 5, 20*time.Minute
	}
	// SWITCHBOARD_DAY_LENGTH shortens the day (a Go duration) for
	// profiling: the same traffic per hour, fewer hours.
	if v, err := time.ParseDuration(os.Getenv("SWITCHBOARD_DAY_LENGTH")); err == nil && v > 0 {
		day = v
	}
	// The garbage collector set as `switchboard serve` sets it
	// (server.TuneGC: GOGC 400, a 384 MiB soft limit), unless GOGC or
	// GOMEMLIMIT say otherwise; the test process's own settings come back
	// afterwards. With Go's default (GOGC=100) the day takes about a tenth
	// longer (docs/PERFORMANCE.md).
	gcPercent, memLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	debug.SetGCPercent(gcPercent)
	server.TuneGC()
	t.Cleanup(func() { debug.SetGCPercent(gcPercent); debug.SetMemoryLimit(memLimit) })
	vc := engine.NewVirtualClock(clockStart)
	o := options{clock: vc, quotas: service.Quotas{UsersPerInstance: agents + 10, QueuesPerInstance: queues + 10, ContactFlowsPerInstance: queues + 20}}
	if os.Getenv("SWITCHBOARD_DAY_FILE") != "" {
		s, err := sqlite.Open(filepath.Join(t.TempDir(), "day.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		o.store = s
	}
	f := newFixture(t, types.DirectoryTypeConnectManaged, o)
	ec := newEngineCenter(t, f, queues, agents, 1, 30)
	h := f.svc.Handlers()
	c := switchboard.WithScope(context.Background(), switchboard.Scope{Account: "000000000000", Region: region})
	const handle = 180
	every := day / time.Duration(contacts)
	type stop struct {
		at int
		id string
	}
	var stops []stop
	started, stopped := 0, 0
	wall := time.Now()
	end := int(day/time.Second) + handle + 60
	for sec := 1; sec <= end; sec++ {
		if err := vc.Advance(time.Second); err != nil {
			t.Fatal(err)
		}
		for started < contacts && time.Duration(started)*every <= time.Duration(sec)*time.Second {
			out, err := h["StartTaskContact"](c, &api.StartTaskContactRequest{InstanceId: &f.instance, Name: aws.String("t"), ContactFlowId: &ec.flows[started%queues]})
			if err != nil {
				t.Fatal(err)
			}
			stops = append(stops, stop{sec + handle, *out.(*api.StartTaskContactResponse).ContactId})
			started++
		}
		for len(stops) > 0 && stops[0].at <= sec {
			if _, err := h["StopContact"](c, &api.StopContactRequest{InstanceId: &f.instance, ContactId: &stops[0].id}); err != nil {
				t.Fatal(err)
			}
			stops = stops[1:]
			stopped++
		}
	}
	took := time.Since(wall)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	out := call(f.client.GetCurrentMetricData(ctx(t), &connect.GetCurrentMetricDataInput{InstanceId: &f.instance,
		CurrentMetrics: metricsOf(types.CurrentMetricNameContactsInQueue, types.CurrentMetricNameSlotsActive),
		Filters:        &types.Filters{Queues: ec.queues}})).must(t)
	if v := out.MetricResults[0].Collections; *v[0].Value != 0 || *v[1].Value != 0 {
		t.Errorf("at the end of the day: %v in queue, %v slots active; want 0 and 0", *v[0].Value, *v[1].Value)
	}
	fmt.Printf("day: %d agents, %d queues: %d contacts over %v simulated (%d stops, %d clock advances) in %v; Go heap at the end %d MiB, %d collections\n",
		agents, queues, started, day, stopped, end, took.Round(time.Millisecond), ms.HeapAlloc>>20, ms.NumGC)
}
