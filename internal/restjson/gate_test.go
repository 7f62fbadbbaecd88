package restjson_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/internal/restjson"
)

// refuseNamed refuses calls whose Name is "stop" with a 429, delays
// those named "slow", and records what it was asked.
type refuseNamed struct{ calls []restjson.Call }

func (g *refuseNamed) Admit(ctx context.Context, c restjson.Call) (time.Duration, error) {
	g.calls = append(g.calls, c)
	in, _ := c.Input.(*thingInput)
	switch {
	case in != nil && in.Name != nil && *in.Name == "stop":
		return 0, &api.GenericError{Code: "ThrottlingException", Status: 429, Message: "Rate exceeded"}
	case in != nil && in.Name != nil && *in.Name == "slow":
		return 150 * time.Millisecond, nil
	}
	return 0, nil
}

// TestGateRunsAfterAuthorisationBeforeValidation: the Gate sees the
// authenticated caller and the routed operation, its error is sent as it
// is and before validation ("stop" is too long for Name), its delay holds
// the answer up, and refused or unauthenticated calls never reach it.
func TestGateRunsAfterAuthorisationBeforeValidation(t *testing.T) {
	gate := &refuseNamed{}
	authz := &denyNamed{}
	srv := httptest.NewServer(restjson.New(restjson.Config{
		Operations: testOperations(),
		Handlers:   testHandlers(),
		Auth:       headerAuth{},
		Authz:      authz,
		Gate:       gate,
		Logger:     slog.New(slog.DiscardHandler),
	}))
	defer srv.Close()
	f := &fixture{t: t, srv: srv}

	if got := f.do("POST", "/things/t1", strings.NewReader(`{"Name":"ok"}`)); got.Status != 200 {
		t.Fatalf("admitted call: %d %s", got.Status, got.Raw)
	}
	if len(gate.calls) != 1 {
		t.Fatalf("%d Admit calls, want 1", len(gate.calls))
	}
	if c := gate.calls[0]; c.Scope.Account != "111122223333" || c.Operation.Name != "PutThing" {
		t.Errorf("Admit got %+v", c)
	}

	got := f.do("POST", "/things/t1", strings.NewReader(`{"Name":"stop"}`))
	if got.Status != 429 || got.ErrorType != "ThrottlingException" || got.Body["Message"] != "Rate exceeded" {
		t.Errorf("refused call: %d %q %s", got.Status, got.ErrorType, got.Raw)
	}

	start := time.Now()
	if got := f.do("POST", "/things/t1", strings.NewReader(`{"Name":"slow"}`)); got.Status != 200 {
		t.Errorf("delayed call: %d %s", got.Status, got.Raw)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("delayed call answered after %v, want at least 150ms", d)
	}

	n := len(gate.calls)
	if got := f.do("POST", "/things/t1", strings.NewReader(`{"Name":"deny"}`)); got.Status != 403 {
		t.Errorf("unauthorised call: %d %s", got.Status, got.Raw)
	}
	req := httptest.NewRequest("POST", srv.URL+"/things/t1", strings.NewReader(`{}`))
	req.RequestURI = ""
	if got := f.send(req); got.Status != 403 {
		t.Errorf("unauthenticated call: %d %s", got.Status, got.Raw)
	}
	if len(gate.calls) != n {
		t.Error("the Gate was asked about a refused call")
	}
}
