package restjson_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-dev/switchboard/internal/restjson"
)

// observation is one call of Config.Observe.
type observation struct {
	op     string
	status int
	took   time.Duration
}

// TestObserveOncePerRequest: Observe hears of every answered request once,
// after its answer, with the operation ("" when none matched) and the
// status the client got, including refusals before the handler and
// panics.
func TestObserveOncePerRequest(t *testing.T) {
	var mu sync.Mutex
	var seen []observation
	h := restjson.New(restjson.Config{
		Operations: testOperations(),
		Handlers:   testHandlers(),
		Auth:       headerAuth{},
		Observe: func(op string, status int, took time.Duration) {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, observation{op, status, took})
		},
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	f := &fixture{t: t, srv: srv}
	cases := []struct {
		name       string
		send       func() response
		op         string
		wantStatus int
	}{
		{"success", func() response { return f.do("POST", "/things/t1", strings.NewReader(`{"Name":"ok"}`)) }, "PutThing", 200},
		{"validation", func() response { return f.do("POST", "/things/t1", strings.NewReader(`{"Name":"too long"}`)) }, "PutThing", 400},
		{"handler error", func() response { return f.do("GET", "/fail/notfound", nil) }, "Fail", 404},
		{"panic", func() response { return f.do("GET", "/fail/panic", nil) }, "Fail", 500},
		{"no route", func() response { return f.do("GET", "/nowhere", nil) }, "", 404},
		{"unauthenticated", func() response {
			req, _ := http.NewRequest("GET", srv.URL+"/users/i/u", nil)
			return f.send(req)
		}, "DescribeUser", 403},
	}
	for i, c := range cases {
		r := c.send()
		// Observe runs after the answer is written, so the client may
		// have it first.
		var got []observation
		for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(time.Millisecond) {
			mu.Lock()
			got = append([]observation(nil), seen...)
			mu.Unlock()
			if len(got) > i || time.Now().After(deadline) {
				break
			}
		}
		if len(got) != i+1 {
			t.Fatalf("%s: %d observations after %d requests", c.name, len(got), i+1)
		}
		o := got[i]
		if o.op != c.op || o.status != c.wantStatus || o.status != r.Status || o.took <= 0 {
			t.Errorf("%s: observed %+v, want operation %q status %d (the client got %d)", c.name, o, c.op, c.wantStatus, r.Status)
		}
	}
}
