package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/google/uuid"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/engine"
	"github.com/switchboard-dev/switchboard/service"
)

// TestMetricDataV2Latency measures GetMetricDataV2 over many contact
// records when SWITCHBOARD_HISTORICAL_BENCH is set to their number
// (docs/PERFORMANCE.md): a day of ended contacts in 50 queues, written
// straight into the store as the engine writes them, then five metrics
// for all queues grouped by queue and channel in 15-minute intervals,
// through the SDK. The first request reads every record; the figure is
// the latency of the requests after it. The test command runs a small
// round.
func TestMetricDataV2Latency(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SWITCHBOARD_HISTORICAL_BENCH"))
	if n <= 0 {
		n = 3000
	}
	vc := engine.NewVirtualClock(clockStart.Add(25 * time.Hour))
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{clock: vc, quotas: service.Quotas{QueuesPerInstance: 100}})
	f.lookup(t)
	var queues []string
	for i := range 50 {
		queues = append(queues, f.newQueue(t, fmt.Sprintf("q%02d", i), f.hours))
	}
	agents := make([]string, 200)
	for i := range agents {
		agents[i] = uuid.NewString() // contact records name agents by id; none need to exist
	}
	rnd := rand.New(rand.NewSource(1))
	sc := switchboard.Scope{Account: "000000000000", Region: region}
	day := clockStart
	wall := time.Now()
	const batch = 5000
	channels := []string{"TASK", "CHAT", "VOICE"}
	for done := 0; done < n; done += batch {
		err := f.store.Update(ctx(t), func(tx switchboard.Tx) error {
			for i := done; i < min(done+batch, n); i++ {
				id := uuid.NewString()
				init := day.Add(time.Duration(rnd.Int63n(int64(24 * time.Hour))))
				enq := init.Add(time.Duration(1+rnd.Intn(10)) * time.Second)
				doc := map[string]any{"id": id, "instanceId": f.instance, "state": "ENDED", "channel": channels[rnd.Intn(3)], "initiationMethod": "API",
					"initialContactId": id, "queueId": queues[rnd.Intn(len(queues))], "initiationTimestamp": init, "enqueueTimestamp": enq,
					"lastUpdateTimestamp": init}
				if rnd.Intn(10) == 0 { // abandoned
					end := enq.Add(time.Duration(rnd.Intn(120)) * time.Second)
					doc["disconnectTimestamp"], doc["disconnectReason"] = end, "CUSTOMER_DISCONNECT"
				} else {
					conn := enq.Add(time.Duration(rnd.Intn(90)) * time.Second)
					disc := conn.Add(time.Duration(30+rnd.Intn(600)) * time.Second)
					acwEnd := disc.Add(time.Duration(rnd.Intn(60)) * time.Second)
					doc["agentId"], doc["connectedToAgentTimestamp"], doc["disconnectTimestamp"] = agents[rnd.Intn(len(agents))], conn, disc
					doc["afterContactWorkStartTimestamp"], doc["afterContactWorkEndTimestamp"], doc["disconnectReason"] = disc, acwEnd, "AGENT_DISCONNECT"
				}
				data, err := json.Marshal(doc)
				if err != nil {
					return err
				}
				if err := tx.Insert(&switchboard.Record{Scope: sc, Kind: switchboard.KindContact, Parent: f.instance, ID: id, Data: data, Created: init, Modified: init}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("set-up: %d contact records in %v", n, time.Since(wall).Round(time.Millisecond))
	start, end := day, day.Add(24*time.Hour)
	arn := "arn:aws:connect:" + region + ":000000000000:instance/" + f.instance
	in := &connect.GetMetricDataV2Input{ResourceArn: &arn, StartTime: &start, EndTime: &end,
		Filters:   []types.FilterV2{{FilterKey: aws.String("QUEUE"), FilterValues: queues}},
		Groupings: []string{"QUEUE", "CHANNEL"},
		Interval:  &types.IntervalDetails{IntervalPeriod: types.IntervalPeriodFifteenMin, TimeZone: aws.String("UTC")},
		Metrics: []types.MetricV2{{Name: aws.String("CONTACTS_CREATED")}, {Name: aws.String("CONTACTS_HANDLED")}, {Name: aws.String("AVG_HANDLE_TIME")},
			{Name: aws.String("AVG_QUEUE_ANSWER_TIME")}, {Name: aws.String("SERVICE_LEVEL"), Threshold: []types.ThresholdV2{{Comparison: aws.String("LT"), ThresholdValue: aws.Float64(20)}}}},
		MaxResults: aws.Int32(100)}
	// A client with the SDK's default retries, as TestCurrentMetricDataLatency
	// has (aws/aws-sdk-go-v2#2737), and a context long enough for the first
	// request, which reads every record.
	client := connect.New(connect.Options{Region: region, BaseEndpoint: aws.String(f.url), Credentials: f.client.Options().Credentials})
	long, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	ask := func() (time.Duration, float64, int) {
		t.Helper()
		began := time.Now()
		created, rows := 0.0, 0
		page := *in
		for {
			out := call(client.GetMetricDataV2(long, &page)).must(t)
			for _, r := range out.MetricResults {
				rows++
				if v := r.Collections[0].Value; v != nil {
					created += *v
				}
			}
			if out.NextToken == nil {
				break
			}
			page.NextToken = out.NextToken
		}
		return time.Since(began), created, rows
	}
	first, created, rows := ask()
	if int(created) != n {
		t.Fatalf("CONTACTS_CREATED over the day sums to %v, want %d", created, n)
	}
	// A further page of the answer just computed: cut from it.
	page := *in
	page.NextToken = encodeNextToken(50)
	began := time.Now()
	call(client.GetMetricDataV2(long, &page)).must(t)
	paged := time.Since(began)
	// A request that computes its answer: each asks for a range ending
	// 15 minutes earlier than the last, so none is answered from the
	// computation kept for paging (service/metricdatav2.go).
	single := func(i int) time.Duration {
		e := end.Add(-time.Duration(i+1) * 15 * time.Minute)
		q := *in
		q.EndTime = &e
		began := time.Now()
		call(client.GetMetricDataV2(long, &q)).must(t)
		return time.Since(began)
	}
	lat := make([]time.Duration, 10)
	for i := range lat {
		lat[i] = single(i)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	fmt.Printf("historical: %d contact records, 50 queues: GetMetricDataV2 (5 metrics by queue and channel, 15-minute intervals over a day, %d rows): first request, reading every record, with all its pages %v; a request computing its answer p50 %v, max %v; a later page %v\n",
		n, rows, first.Round(time.Millisecond), lat[len(lat)/2].Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond), paged.Round(time.Millisecond))
}

// encodeNextToken makes the page token of an offset, as the service does
// (service/paging.go): the benchmark asks for a page without reading the
// ones before it.
func encodeNextToken(offset int) *string {
	t := "sb1." + base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(offset)))
	return &t
}
