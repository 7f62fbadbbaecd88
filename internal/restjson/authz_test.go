package restjson_test

import (
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/internal/restjson"
)

// denyNamed refuses calls whose Name member (decoded from the body) is
// "deny", and records what it was asked.
type denyNamed struct{ calls []restjson.Call }

func (d *denyNamed) Authorize(c restjson.Call) error {
	d.calls = append(d.calls, c)
	if in, ok := c.Input.(*thingInput); ok && in.Name != nil && *in.Name == "deny" {
		return api.NewError("AccessDeniedException", "User: x is not authorized to perform: connect:"+c.Operation.Name)
	}
	return nil
}

// TestAuthorizerRunsBeforeValidationAndHandler: the Authorizer sees the
// authenticated principal, the routed operation, its labels and the decoded
// input; its error is written as it is (403 AccessDeniedException), and it
// runs before validation, so a refused caller never learns whether its
// input was valid.
func TestAuthorizerRunsBeforeValidationAndHandler(t *testing.T) {
	authz := &denyNamed{}
	srv := httptest.NewServer(restjson.New(restjson.Config{
		Operations: testOperations(),
		Handlers:   testHandlers(),
		Auth:       headerAuth{},
		Authz:      authz,
		Logger:     slog.New(slog.DiscardHandler),
	}))
	defer srv.Close()
	f := &fixture{t: t, srv: srv}

	if got := f.do("POST", "/things/t1", strings.NewReader(`{"Name":"ok"}`)); got.Status != 200 {
		t.Fatalf("allowed call: %d %s", got.Status, got.Raw)
	}
	if len(authz.calls) != 1 {
		t.Fatalf("%d Authorize calls, want 1", len(authz.calls))
	}
	c := authz.calls[0]
	if c.Scope.Account != "111122223333" || c.AccessKeyID != "key-111122223333" || c.Operation.Name != "PutThing" || c.Labels["ThingArn"] != "t1" {
		t.Errorf("Authorize got %+v", c)
	}

	// "deny" is also too long for Name's constraint (at most 5): the
	// refusal comes first.
	got := f.do("POST", "/things/t1", strings.NewReader(`{"Name":"deny"}`))
	if got.Status != 403 || got.ErrorType != "AccessDeniedException" || !strings.Contains(got.Body["Message"].(string), "connect:PutThing") {
		t.Errorf("refused call: %d %q %s", got.Status, got.ErrorType, got.Raw)
	}
	if got := f.do("POST", "/things/t1", strings.NewReader(`{"Name":"toolong"}`)); got.Status != 400 {
		t.Errorf("allowed but invalid call: %d %s", got.Status, got.Raw)
	}

	// Authentication failures never reach the Authorizer.
	n := len(authz.calls)
	req := httptest.NewRequest("POST", srv.URL+"/things/t1", strings.NewReader(`{}`))
	req.RequestURI = ""
	if got := f.send(req); got.Status != 403 || got.ErrorType != "MissingAuthenticationTokenException" {
		t.Errorf("unauthenticated call: %d %s", got.Status, got.Raw)
	}
	if len(authz.calls) != n {
		t.Error("the Authorizer was asked about an unauthenticated call")
	}
}
