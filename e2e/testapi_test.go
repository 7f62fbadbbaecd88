package e2e

// Switchboard's own API under /_switchboard/ (docs/TESTING.md): health,
// and the clock a virtual contact center runs on, signed and authorised
// like Connect calls.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/connect"

	"github.com/switchboard-dev/switchboard/engine"
	"github.com/switchboard-dev/switchboard/internal/policy"
	"github.com/switchboard-dev/switchboard/internal/server"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

// clockStart is where the virtual clocks of these tests start.
var clockStart = time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)

// startClock runs a server on clock with the built-in test/test key,
// restricted by policyJSON when it is not "".
func startClock(t *testing.T, clock engine.Clock, policyJSON string) *env {
	t.Helper()
	return startConfig(t, server.Config{Clock: clock}, policyJSON)
}

// startConfig runs a server of cfg on a new in-memory store with the
// built-in test/test key, restricted by policyJSON when it is not "".
func startConfig(t *testing.T, cfg server.Config, policyJSON string) *env {
	t.Helper()
	store, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	cfg.Store = store
	if policyJSON != "" {
		p, err := policy.Parse([]byte(policyJSON))
		if err != nil {
			t.Fatal(err)
		}
		cfg.Policies = map[string]policy.Policy{"test": p}
	}
	h, svc := server.New(cfg)
	t.Cleanup(svc.Close)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{t: t, url: srv.URL, client: newClient(srv.URL, "test", "test", region), store: store, srv: srv, svc: svc}
}

// apiAnswer is a /_switchboard/ response.
type apiAnswer struct {
	status    int
	errorType string
	body      map[string]any
	raw       string
}

func answerOf(t *testing.T, resp *http.Response, body []byte) apiAnswer {
	t.Helper()
	a := apiAnswer{status: resp.StatusCode, errorType: resp.Header.Get("X-Amzn-ErrorType"), raw: string(body)}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	if resp.Header.Get("X-Amzn-Requestid") == "" {
		t.Error("no x-amzn-RequestId")
	}
	if err := json.Unmarshal(body, &a.body); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", body, err)
	}
	return a
}

// testAPI sends a signed /_switchboard/ call (through env.raw, which signs as
// test/test).
func (e *env) testAPI(method, path, body string) apiAnswer {
	e.t.Helper()
	var b []byte
	if body != "" {
		b = []byte(body)
	}
	resp, rb := e.raw(method, "/_switchboard/"+path, b)
	return answerOf(e.t, resp, rb)
}

// unsigned sends a call without any signature.
func (e *env) unsigned(method, path, body string) (*http.Response, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// signedAs sends a call signed with any key and secret.
func (e *env) signedAs(key, secret, method, path, body string) (*http.Response, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: key, SecretAccessKey: secret}, req, hex.EncodeToString(sum[:]), "connect", region, time.Now()); err != nil {
		e.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// clockAt checks a clock answer.
func clockAt(t *testing.T, a apiAnswer, want time.Time, virtual bool) {
	t.Helper()
	if a.status != 200 {
		t.Fatalf("clock call: %d %s %s", a.status, a.errorType, a.raw)
	}
	now, _ := a.body["now"].(float64)
	got := time.UnixMilli(int64(now*1000 + 0.5)).UTC()
	if !got.Equal(want) || a.body["virtual"] != virtual {
		t.Errorf("clock %s: now %v virtual %v, want %v %v", a.raw, got, a.body["virtual"], want, virtual)
	}
}

func TestTestAPIHealth(t *testing.T) {
	e := startClock(t, nil, "")
	resp, body := e.unsigned("GET", "/_switchboard/health", "")
	a := answerOf(t, resp, body)
	if a.status != 200 || a.raw != `{"status":"ok","live":true,"ready":true,"store":"ok"}` {
		t.Errorf("health: %d %s", a.status, a.raw)
	}
	if a := e.testAPI("GET", "health", ""); a.status != 200 {
		t.Errorf("signed health: %d %s", a.status, a.raw)
	}
	for _, c := range []struct{ method, path string }{
		{"POST", "/_switchboard/health"},
		{"GET", "/_switchboard/nothing"},
		{"GET", "/_switchboard/clock/advance"},
		{"GET", "/_switchboard/"},
	} {
		resp, body := e.unsigned(c.method, c.path, "")
		if a := answerOf(t, resp, body); a.status != 404 || a.errorType != "UnknownOperationException" {
			t.Errorf("%s %s: %d %s %s", c.method, c.path, a.status, a.errorType, a.raw)
		}
	}
}

func TestTestAPIClockRead(t *testing.T) {
	t.Run("virtual", func(t *testing.T) {
		e := startClock(t, engine.NewVirtualClock(clockStart), "")
		clockAt(t, e.testAPI("GET", "clock", ""), clockStart, true)
	})
	t.Run("real", func(t *testing.T) {
		e := startClock(t, nil, "")
		before := time.Now().Truncate(time.Millisecond)
		a := e.testAPI("GET", "clock", "")
		after := time.Now()
		now, _ := a.body["now"].(float64)
		got := time.UnixMilli(int64(now*1000 + 0.5))
		if a.status != 200 || a.body["virtual"] != false || got.Before(before) || got.After(after) {
			t.Errorf("real clock: %d %s, want now between %v and %v", a.status, a.raw, before, after)
		}
	})
}

// TestTestAPIClockAdvance: advancing the virtual clock moves what
// resources are stamped with, and fires the clock's timers.
func TestTestAPIClockAdvance(t *testing.T) {
	vc := engine.NewVirtualClock(clockStart)
	e := startClock(t, vc, "")
	c := ctx(t)
	instance := e.createInstance("clocked")
	hours, err := e.client.ListHoursOfOperations(c, &connect.ListHoursOfOperationsInput{InstanceId: &instance})
	if err != nil || len(hours.HoursOfOperationSummaryList) == 0 {
		t.Fatalf("ListHoursOfOperations: %v", err)
	}
	fired := make(chan time.Time, 1)
	vc.AfterFunc(time.Hour, func() { fired <- vc.Now() })

	later := clockStart.Add(time.Hour + 500*time.Millisecond)
	clockAt(t, e.testAPI("POST", "clock/advance", `{"seconds": 3600.5}`), later, true)
	select {
	case at := <-fired:
		if !at.Equal(clockStart.Add(time.Hour)) {
			t.Errorf("timer fired at %v", at)
		}
	default:
		t.Error("the timer due in the advanced hour did not fire")
	}
	clockAt(t, e.testAPI("GET", "clock", ""), later, true)

	q, err := e.client.CreateQueue(c, &connect.CreateQueueInput{InstanceId: &instance, Name: aws.String("Night shift"),
		HoursOfOperationId: hours.HoursOfOperationSummaryList[0].Id})
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.client.DescribeQueue(c, &connect.DescribeQueueInput{InstanceId: &instance, QueueId: q.QueueId})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Queue.LastModifiedTime; got == nil || !got.Equal(later) {
		t.Errorf("queue LastModifiedTime %v, want the virtual time %v", got, later)
	}

	to := clockStart.Add(48 * time.Hour)
	clockAt(t, e.testAPI("POST", "clock/advance", fmt.Sprintf(`{"to": %d}`, to.Unix())), to, true)
	clockAt(t, e.testAPI("POST", "clock/advance", fmt.Sprintf(`{"to": %d.25}`, to.Unix())), to.Add(250*time.Millisecond), true)
	clockAt(t, e.testAPI("POST", "clock/advance", `{"seconds": 0}`), to.Add(250*time.Millisecond), true)
}

func TestTestAPIClockAdvanceRefused(t *testing.T) {
	t.Run("real clock", func(t *testing.T) {
		e := startClock(t, nil, "")
		a := e.testAPI("POST", "clock/advance", `{"seconds": 60}`)
		if a.status != 400 || a.errorType != "InvalidRequestException" || !strings.Contains(a.body["Message"].(string), "--clock virtual") {
			t.Errorf("advance of a real clock: %d %s %s", a.status, a.errorType, a.raw)
		}
	})
	e := startClock(t, engine.NewVirtualClock(clockStart), "")
	for _, body := range []string{
		``,
		`{}`,
		`null`,
		`[]`,
		`not json`,
		`{"seconds": -1}`,
		`{"seconds": "60"}`,
		`{"seconds": 1e300}`,
		`{"seconds": 1, "to": 1900000000}`,
		`{"Seconds": 1, "extra": true}`,
		`{"sec": 1}`,
		`{"seconds": 1}{"seconds": 1}`,
		fmt.Sprintf(`{"to": %d}`, clockStart.Unix()-1),
		`{"to": "2030-01-02T00:00:00Z"}`,
	} {
		a := e.testAPI("POST", "clock/advance", body)
		if a.status != 400 || a.errorType != "InvalidRequestException" || a.body["Message"] == "" {
			t.Errorf("advance %s: %d %s %s", body, a.status, a.errorType, a.raw)
		}
	}
	clockAt(t, e.testAPI("GET", "clock", ""), clockStart, true)
}

// TestTestAPIAuthentication: the signed calls refuse what Connect calls
// refuse, with the same status, error type and message.
func TestTestAPIAuthentication(t *testing.T) {
	e := startClock(t, engine.NewVirtualClock(clockStart), "")
	cases := []struct {
		name      string
		send      func(method, path, body string) (*http.Response, []byte)
		errorType string
	}{
		{"unsigned", e.unsigned, "MissingAuthenticationTokenException"},
		{"wrong secret", func(m, p, b string) (*http.Response, []byte) { return e.signedAs("test", "wrong", m, p, b) }, "InvalidSignatureException"},
		{"unknown key", func(m, p, b string) (*http.Response, []byte) { return e.signedAs("AKIDNOBODY", "x", m, p, b) }, "UnrecognizedClientException"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := c.send("GET", "/instance", "")
			connectCall := answerOf(t, resp, body)
			for _, call := range []struct{ method, path, body string }{
				{"POST", "/_switchboard/clock/advance", `{"seconds": 60}`},
				{"GET", "/_switchboard/clock", ""},
			} {
				resp, body := c.send(call.method, call.path, call.body)
				a := answerOf(t, resp, body)
				if a.status != 403 || a.errorType != c.errorType || a.raw != connectCall.raw || connectCall.errorType != c.errorType {
					t.Errorf("%s %s: %d %s %s; Connect: %d %s %s", call.method, call.path, a.status, a.errorType, a.raw,
						connectCall.status, connectCall.errorType, connectCall.raw)
				}
			}
		})
	}
	clockAt(t, e.testAPI("GET", "clock", ""), clockStart, true)
}

func TestTestAPIPolicy(t *testing.T) {
	cases := []struct {
		name            string
		policy          string
		getOK, advOK    bool
		advDenyExplicit bool
	}{
		{"connect only", `[{"Effect": "Allow", "Action": "connect:*", "Resource": "*"}]`, false, false, false},
		{"read the clock", `[{"Effect": "Allow", "Action": ["connect:*", "switchboard:GetClock"], "Resource": "*"}]`, true, false, false},
		{"everything but advancing", `[{"Effect": "Allow", "Action": "*", "Resource": "*"},
			{"Effect": "Deny", "Action": "switchboard:AdvanceClock", "Resource": "*"}]`, true, false, true},
		{"switchboard wildcard", `[{"Effect": "Allow", "Action": "switchboard:*", "Resource": "*"}]`, true, true, false},
		{"ARN resources do not cover the clock", `[{"Effect": "Allow", "Action": "switchboard:*", "Resource": "arn:aws:connect:*"}]`, false, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := startClock(t, engine.NewVirtualClock(clockStart), c.policy)
			check := func(a apiAnswer, ok bool, action string, explicit bool) {
				t.Helper()
				if ok {
					if a.status != 200 {
						t.Errorf("%s refused: %d %s", action, a.status, a.raw)
					}
					return
				}
				msg, _ := a.body["Message"].(string)
				want := "because no identity-based policy allows the " + action + " action"
				if explicit {
					want = "with an explicit deny in an identity-based policy"
				}
				if a.status != 403 || a.errorType != "AccessDeniedException" ||
					!strings.Contains(msg, "arn:aws:iam::000000000000:user/test is not authorized to perform: "+action+" on resource: *") ||
					!strings.Contains(msg, want) {
					t.Errorf("%s: %d %s %s", action, a.status, a.errorType, a.raw)
				}
			}
			check(e.testAPI("GET", "clock", ""), c.getOK, "switchboard:GetClock", false)
			check(e.testAPI("POST", "clock/advance", `{"seconds": 60}`), c.advOK, "switchboard:AdvanceClock", c.advDenyExplicit)
			// A refused advance leaves the clock alone; health needs no
			// permission.
			want := clockStart
			if c.advOK {
				want = want.Add(time.Minute)
			}
			if c.getOK {
				clockAt(t, e.testAPI("GET", "clock", ""), want, true)
			}
			if a := e.testAPI("GET", "health", ""); a.status != 200 {
				t.Errorf("health: %d %s", a.status, a.raw)
			}
		})
	}
}
