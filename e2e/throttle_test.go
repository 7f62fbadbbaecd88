package e2e

// Throttling (Connect's per-account API rate limits) and fault injection
// (docs/TESTING.md, "Throttling and fault injection"), through real
// clients: aws-sdk-go-v2 with and without its default retryer, and boto3
// with its default retry configuration.

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-dev/switchboard/internal/faults"
	"github.com/switchboard-dev/switchboard/internal/server"
	"github.com/switchboard-dev/switchboard/internal/throttle"
)

// startGated runs a server with limiter (nil: no throttling) and the fault
// rules of inj (nil: the server's own, empty), restricted by policyJSON
// when it is not "".
func startGated(t *testing.T, limiter *throttle.Limiter, inj *faults.Injector, policyJSON string) *env {
	t.Helper()
	return startConfig(t, server.Config{Throttling: limiter, Faults: inj}, policyJSON)
}

// frozen is a clock that never moves: buckets never refill, so exactly
// the burst gets through.
func frozen() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) }

func newLimiter(t *testing.T, cfg throttle.Config, now func() time.Time) *throttle.Limiter {
	t.Helper()
	l, err := throttle.New(cfg, now)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// burst sends n ListUsers calls at once through c and returns their errors.
func burst(t *testing.T, c *connect.Client, instanceID string, n int) []error {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = c.ListUsers(ctx(t), &connect.ListUsersInput{InstanceId: aws.String(instanceID)})
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// TestThrottlingDefaultRetryerAbsorbsBurst: a burst above ListUsers' quota
// completes without an error reaching the caller of a client with the
// SDK's default retryer, while the server throttled part of it.
func TestThrottlingDefaultRetryerAbsorbsBurst(t *testing.T) {
	lim := newLimiter(t, throttle.Config{Enabled: true}, time.Now)
	e := startGated(t, lim, nil, "")
	id := e.createInstance("throttle-retry")
	calls := lim.LimitOf("ListUsers").Burst + 5
	c := connect.New(connect.Options{ // the default retryer: no RetryMaxAttempts
		Region:       region,
		BaseEndpoint: aws.String(e.url),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	for i, err := range burst(t, c, id, calls) {
		if err != nil {
			t.Errorf("call %d: %v", i, err)
		}
	}
	if n := lim.Counts()["ListUsers"]; n == 0 {
		t.Fatalf("%d calls at once against a burst of %d, and none was throttled", calls, lim.LimitOf("ListUsers").Burst)
	} else {
		t.Logf("%d of %d ListUsers calls throttled and retried", n, calls)
	}
}

// TestThrottlingAnswerWithoutRetry: a client that does not retry sees
// ThrottlingException as Connect sends it: 429, X-Amzn-ErrorType, a
// request id and {"Message":"Rate exceeded"}, for exactly the calls past
// the burst.
func TestThrottlingAnswerWithoutRetry(t *testing.T) {
	lim := newLimiter(t, throttle.Config{Enabled: true, Operations: map[string]throttle.Limit{"ListViews": {Rate: 1, Burst: 1}}}, frozen)
	e := startGated(t, lim, nil, "")
	id := e.createInstance("throttle-raw")
	b := lim.LimitOf("ListUsers").Burst
	calls := b + 5
	failed := 0
	for _, err := range burst(t, e.client, id, calls) {
		if err == nil {
			continue
		}
		failed++
		var te *types.ThrottlingException
		if !errors.As(err, &te) {
			t.Errorf("error %v (%T), want *types.ThrottlingException", err, err)
			continue
		}
		if te.ErrorMessage() != "Rate exceeded" {
			t.Errorf("message %q", te.ErrorMessage())
		}
		var re *awshttp.ResponseError
		if !errors.As(err, &re) {
			t.Fatalf("no HTTP response in %v", err)
		}
		if re.HTTPStatusCode() != 429 || re.Response.Header.Get("X-Amzn-ErrorType") != "ThrottlingException" || re.ServiceRequestID() == "" {
			t.Errorf("status %d, X-Amzn-ErrorType %q, request id %q", re.HTTPStatusCode(), re.Response.Header.Get("X-Amzn-ErrorType"), re.ServiceRequestID())
		}
	}
	if failed != calls-b || lim.Counts()["ListUsers"] != uint64(failed) {
		t.Fatalf("%d of %d calls failed, %d counted throttled; want %d (the burst is %d)", failed, calls, lim.Counts()["ListUsers"], calls-b, b)
	}

	// The bytes on the wire.
	resp, body := e.raw("GET", "/users-summary/"+id, nil)
	if resp.StatusCode != 429 || resp.Header.Get("X-Amzn-ErrorType") != "ThrottlingException" ||
		resp.Header.Get("Content-Type") != "application/json" || string(body) != `{"Message":"Rate exceeded"}` {
		t.Errorf("raw answer: %d %v %s", resp.StatusCode, resp.Header, body)
	}

	// The view operations model TooManyRequestsException instead.
	e.client.ListViews(ctx(t), &connect.ListViewsInput{InstanceId: aws.String(id)})
	_, err := e.client.ListViews(ctx(t), &connect.ListViewsInput{InstanceId: aws.String(id)})
	var tm *types.TooManyRequestsException
	if !errors.As(err, &tm) {
		t.Errorf("second ListViews with a burst of 1: %v, want *types.TooManyRequestsException", err)
	}
}

// setFaults replaces the fault rules through the test API.
func setFaults(t *testing.T, e *env, body string) apiAnswer {
	t.Helper()
	a := e.testAPI("POST", "faults", body)
	if a.status != 200 {
		t.Fatalf("POST /_switchboard/faults %s: %d %s", body, a.status, a.raw)
	}
	return a
}

// failures runs n sequential calls and returns the 1-based numbers of
// those that failed, checking each error with check.
func failures(t *testing.T, n int, call func() error, check func(error)) []int {
	t.Helper()
	var out []int
	for i := 1; i <= n; i++ {
		if err := call(); err != nil {
			check(err)
			out = append(out, i)
		}
	}
	return out
}

// TestFaultRulesThroughTestAPI: rules set through /_switchboard/faults
// fail exactly the configured calls with the modelled error and status,
// reproducibly for a seeded probability, add latency, refuse errors the
// operation does not model, and are counted.
func TestFaultRulesThroughTestAPI(t *testing.T) {
	inj := server.NewFaults()
	e := startGated(t, nil, inj, "")
	id := e.createInstance("faults")
	listUsers := func() error {
		_, err := e.client.ListUsers(ctx(t), &connect.ListUsersInput{InstanceId: aws.String(id)})
		return err
	}
	listQueues := func() error {
		_, err := e.client.ListQueues(ctx(t), &connect.ListQueuesInput{InstanceId: aws.String(id)})
		return err
	}

	t.Run("every Nth call", func(t *testing.T) {
		setFaults(t, e, `{"rules":[{"operation":"ListUsers","error":"InternalServiceException","everyNth":3}]}`)
		got := failures(t, 9, listUsers, func(err error) {
			var ise *types.InternalServiceException
			var re *awshttp.ResponseError
			if !errors.As(err, &ise) || !errors.As(err, &re) || re.HTTPStatusCode() != 500 ||
				ise.ErrorMessage() != "Switchboard injected this fault (rule 0)" {
				t.Errorf("error %v, want InternalServiceException (500) naming rule 0", err)
			}
		})
		if want := []int{3, 6, 9}; !reflect.DeepEqual(got, want) {
			t.Errorf("failed calls %v, want %v", got, want)
		}
		if got := failures(t, 4, listQueues, func(error) {}); got != nil {
			t.Errorf("ListQueues, which no rule names, failed on calls %v", got)
		}
	})

	t.Run("unmodelled error refused", func(t *testing.T) {
		a := e.testAPI("POST", "faults", `{"rules":[{"operation":"ListUsers","error":"DuplicateResourceException"}]}`)
		msg, _ := a.body["Message"].(string)
		if a.status != 400 || a.errorType != "InvalidRequestException" ||
			!strings.Contains(msg, "faults.rules[0].error: ListUsers does not model DuplicateResourceException; it models ") {
			t.Errorf("%d %s %s", a.status, a.errorType, a.raw)
		}
		// The rules in force are unchanged.
		g := e.testAPI("GET", "faults", "")
		rules, _ := g.body["rules"].([]any)
		if g.status != 200 || len(rules) != 1 || rules[0].(map[string]any)["everyNth"] != 3.0 {
			t.Errorf("GET after a refused POST: %s", g.raw)
		}
	})

	t.Run("seeded probability is reproducible", func(t *testing.T) {
		const rules = `{"seed":7,"rules":[{"operation":"ListQueues","error":"ResourceNotFoundException","probability":0.5}]}`
		check := func(err error) {
			var nf *types.ResourceNotFoundException
			var re *awshttp.ResponseError
			if !errors.As(err, &nf) || !errors.As(err, &re) || re.HTTPStatusCode() != 404 {
				t.Errorf("error %v, want ResourceNotFoundException (404)", err)
			}
		}
		setFaults(t, e, rules)
		first := failures(t, 16, listQueues, check)
		setFaults(t, e, rules) // sources start afresh
		second := failures(t, 16, listQueues, check)
		// What the rule decides, computed apart from the server.
		var cfg faults.Config
		if err := json.Unmarshal([]byte(rules), &cfg); err != nil {
			t.Fatal(err)
		}
		local := server.NewFaults()
		if err := local.Set(cfg); err != nil {
			t.Fatal(err)
		}
		var want []int
		for i := 1; i <= 16; i++ {
			if f, _ := local.Decide("ListQueues"); f.Error != "" {
				want = append(want, i)
			}
		}
		if !reflect.DeepEqual(first, want) || !reflect.DeepEqual(second, want) {
			t.Errorf("failed calls %v then %v, want %v both times", first, second, want)
		}
		if len(want) == 0 || len(want) == 16 {
			t.Errorf("seed 7 fails %d of 16 calls with p=0.5; pick a seed that tells the calls apart", len(want))
		}
	})

	t.Run("latency", func(t *testing.T) {
		const delay = 400 * time.Millisecond
		setFaults(t, e, fmt.Sprintf(`{"rules":[{"operation":"ListQueues","latencyMs":%d}]}`, delay.Milliseconds()))
		start := time.Now()
		if err := listQueues(); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d < delay {
			t.Errorf("ListQueues answered after %v, want at least %v", d, delay)
		}
	})

	t.Run("counted", func(t *testing.T) {
		counts := map[string]uint64{}
		for _, c := range inj.Counts() {
			counts[c.Operation+" "+c.Fault] = c.N
		}
		if counts["ListUsers InternalServiceException"] != 3 || counts["ListQueues latency"] != 1 || counts["ListQueues ResourceNotFoundException"] == 0 {
			t.Errorf("Counts() = %+v", inj.Counts())
		}
		g := e.testAPI("GET", "faults", "")
		injected, _ := g.body["injected"].([]any)
		if len(injected) != len(inj.Counts()) {
			t.Errorf("GET injected %s, want %d entries", g.raw, len(inj.Counts()))
		}
		setFaults(t, e, `{"rules":[]}`)
		if err := listUsers(); err != nil {
			t.Errorf("after removing the rules: %v", err)
		}
	})
}

// TestFaultAPIIsAuthorised: the fault API is signed and authorised like
// the rest of the test API, under switchboard:GetFaults and SetFaults.
func TestFaultAPIIsAuthorised(t *testing.T) {
	e := startGated(t, nil, nil, `[{"Effect": "Allow", "Action": ["connect:*", "switchboard:GetFaults"], "Resource": "*"}]`)
	if a := e.testAPI("GET", "faults", ""); a.status != 200 {
		t.Errorf("GET faults: %d %s", a.status, a.raw)
	}
	a := e.testAPI("POST", "faults", `{"rules":[]}`)
	if msg, _ := a.body["Message"].(string); a.status != 403 || a.errorType != "AccessDeniedException" || !strings.Contains(msg, "switchboard:SetFaults") {
		t.Errorf("POST faults: %d %s", a.status, a.raw)
	}
	if resp, _ := e.unsigned("GET", "/_switchboard/faults", ""); resp.StatusCode != 403 {
		t.Errorf("unsigned GET faults: %d", resp.StatusCode)
	}
}

// pythonWithBoto3 returns a python3 that imports boto3, or "".
func pythonWithBoto3() string {
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(py, "-c", "import boto3").Run() == nil {
			return py
		}
	}
	return ""
}

// TestThrottlingBoto3DefaultRetries: boto3 with its default retry
// configuration completes a burst above the quota without an error.
func TestThrottlingBoto3DefaultRetries(t *testing.T) {
	py := pythonWithBoto3()
	if py == "" {
		t.Skip("no python3 with boto3 (apt-get install python3-boto3)")
	}
	lim := newLimiter(t, throttle.Config{Enabled: true}, time.Now)
	e := startGated(t, lim, nil, "")
	id := e.createInstance("throttle-boto3")
	calls := lim.LimitOf("ListUsers").Burst + 5
	script, err := filepath.Abs(filepath.Join("testdata", "throttle_burst.py"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx(t), py, script, e.url, region, id, fmt.Sprint(calls))
	// Only what the script needs: no profile or retry settings of the
	// machine's user may change boto3's defaults.
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(),
		"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test",
		"AWS_CONFIG_FILE=" + filepath.Join(t.TempDir(), "none"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(t.TempDir(), "none"),
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("boto3 burst failed: %v\n%s", err, out)
	}
	t.Logf("%s", out)
	if n := lim.Counts()["ListUsers"]; n == 0 {
		t.Fatalf("%d calls at once against a burst of %d, and none was throttled", calls, lim.LimitOf("ListUsers").Burst)
	}
}
