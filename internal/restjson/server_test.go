package restjson_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/internal/restjson"
	"github.com/switchboard-dev/switchboard/internal/sigv4"
)

// sigv4.Verifier is the Authenticator the server uses in production.
var _ restjson.Authenticator = (*sigv4.Verifier)(nil)

// thingInput is a hand-written input shape with a path label, a repeated
// query member, an integer query member and two body members, one of them
// constrained.
type thingInput struct {
	ThingArn *string  `json:"-"`
	Keys     []string `json:"-"`
	Limit    *int32   `json:"-"`
	Name     *string  `json:"Name,omitempty"`
	Count    *int32   `json:"Count,omitempty"`
}

func (r *thingInput) BindHTTP(b *api.Binding) error {
	v, ok := b.Labels["ThingArn"]
	r.ThingArn = api.BindString(v, ok)
	r.Keys = b.Query["keys"]
	if vs, ok := b.Query["maxResults"]; ok {
		n, err := api.BindInt32("querystring", "maxResults", vs[0])
		if err != nil {
			return err
		}
		r.Limit = n
	}
	return nil
}

func (r *thingInput) Validate(v *api.Validator) {
	if r.Name != nil {
		v.Push("Name")
		v.StrLen(*r.Name, 1, 5, false)
		v.Pop()
	}
}

// userInput has two labels.
type userInput struct {
	InstanceId *string `json:"-"`
	UserId     *string `json:"-"`
}

func (r *userInput) BindHTTP(b *api.Binding) error {
	r.InstanceId = api.BindString(b.Labels["InstanceId"], true)
	r.UserId = api.BindString(b.Labels["UserId"], true)
	return nil
}

func (r *userInput) Validate(v *api.Validator) {}

// thingOutput echoes what the handler received.
type thingOutput struct {
	ThingArn string
	Keys     []string
	Limit    *int32 `json:",omitempty"`
	Name     *string
	Count    *int32
	Account  string
	Note     string `json:",omitempty"`
}

var (
	invalidRequest   = api.ErrorRef{Name: "InvalidRequestException", Status: 400}
	invalidParameter = api.ErrorRef{Name: "InvalidParameterException", Status: 400}
	notFound         = api.ErrorRef{Name: "ResourceNotFoundException", Status: 404}
	internal         = api.ErrorRef{Name: "InternalServiceException", Status: 500}
)

func op(name, method, uri string, newInput func() api.Request, errs ...api.ErrorRef) *api.Operation {
	return &api.Operation{Name: name, Method: method, URI: uri, SuccessCode: 200, NewInput: newInput, Errors: errs}
}

func testOperations() []*api.Operation {
	things := func() api.Request { return new(thingInput) }
	users := func() api.Request { return new(userInput) }
	return []*api.Operation{
		op("PutThing", "POST", "/things/{ThingArn}", things, invalidParameter, invalidRequest, notFound, internal),
		op("PutThingStrict", "PUT", "/things/{ThingArn}", things, invalidRequest, internal),
		op("DescribeUser", "GET", "/users/{InstanceId}/{UserId}", users, invalidParameter, notFound, internal),
		op("DescribeUserHierarchy", "GET", "/users/{InstanceId}/hierarchy", users, invalidParameter, internal),
		op("DescribeContact", "GET", "/contacts/{InstanceId}/{ContactId}", users, invalidParameter, invalidRequest, internal),
		op("DescribeQueue", "GET", "/queues/{InstanceId}/{QueueId}", users, invalidParameter, internal),
		op("Fail", "GET", "/fail/{InstanceId}", users, invalidParameter, notFound, internal),
		op("Nothing", "DELETE", "/nothing", nil, invalidParameter, internal),
		op("Backtrack", "GET", "/x/{InstanceId}/tail", users),
		op("Literal", "GET", "/x/lit/other", users),
	}
}

func echoThing(ctx context.Context, in api.Request) (any, error) {
	t := in.(*thingInput)
	scope, _ := switchboard.ScopeFrom(ctx)
	out := &thingOutput{Keys: t.Keys, Limit: t.Limit, Name: t.Name, Count: t.Count, Account: scope.Account}
	if t.ThingArn != nil {
		out.ThingArn = *t.ThingArn
	}
	if restjson.RequestID(ctx) == "" {
		out.Note = "no request id in context"
	}
	return out, nil
}

func testHandlers() map[string]restjson.Handler {
	echoUser := func(ctx context.Context, in api.Request) (any, error) {
		u := in.(*userInput)
		return map[string]string{"InstanceId": *u.InstanceId, "UserId": *u.UserId}, nil
	}
	return map[string]restjson.Handler{
		"PutThing":              echoThing,
		"PutThingStrict":        echoThing,
		"DescribeUser":          echoUser,
		"DescribeUserHierarchy": func(context.Context, api.Request) (any, error) { return map[string]string{"Route": "hierarchy"}, nil },
		"Backtrack":             func(context.Context, api.Request) (any, error) { return map[string]string{"Route": "backtrack"}, nil },
		"Literal":               func(context.Context, api.Request) (any, error) { return map[string]string{"Route": "literal"}, nil },
		"Nothing":               func(context.Context, api.Request) (any, error) { return nil, nil },
		"Fail": func(ctx context.Context, in api.Request) (any, error) {
			switch *in.(*userInput).InstanceId {
			case "notfound":
				return nil, api.NewError("ResourceNotFoundException", "User not found")
			case "wrapped":
				return nil, fmt.Errorf("creating: %w", api.NewError("DuplicateResourceException", "dup <name> & co"))
			case "generic":
				return nil, &api.GenericError{Code: "ThrottlingException", Status: 429, Message: "slow down"}
			case "badbytes":
				return nil, &api.GenericError{Code: "LimitExceededException", Status: 429, Message: "bell\a here"}
			case "panic":
				panic("database exploded: password=hunter2")
			case "typednil":
				var out *thingOutput
				return out, nil
			default:
				return nil, errors.New("database connection refused: password=hunter2")
			}
		},
	}
}

// headerAuth is a stand-in Authenticator: the account travels in a header.
type headerAuth struct{}

func (headerAuth) Verify(r *http.Request, body []byte) (switchboard.Scope, string, error) {
	a := r.Header.Get("X-Test-Account")
	if a == "" {
		return switchboard.Scope{}, "", &api.GenericError{Code: "MissingAuthenticationTokenException", Status: 403, Message: "Missing Authentication Token"}
	}
	return switchboard.Scope{Account: a, Region: "us-east-1"}, "key-" + a, nil
}

type response struct {
	Status    int
	ErrorType string
	RequestID string
	Type      string
	Body      map[string]any
	Raw       string
}

type fixture struct {
	t   *testing.T
	srv *httptest.Server
	log *bytes.Buffer
}

func newFixture(t *testing.T, maxBody int64) *fixture {
	t.Helper()
	var logs bytes.Buffer
	h := restjson.New(restjson.Config{
		Operations:   testOperations(),
		Handlers:     testHandlers(),
		Auth:         headerAuth{},
		Logger:       slog.New(slog.NewJSONHandler(&logs, nil)),
		MaxBodyBytes: maxBody,
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &fixture{t: t, srv: srv, log: &logs}
}

func (f *fixture) do(method, target string, body io.Reader) response {
	f.t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+target, body)
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header.Set("X-Test-Account", "111122223333")
	return f.send(req)
}

func (f *fixture) send(req *http.Request) response {
	f.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := response{Status: resp.StatusCode, ErrorType: resp.Header.Get("X-Amzn-ErrorType"),
		RequestID: resp.Header.Get("X-Amzn-RequestId"), Type: resp.Header.Get("Content-Type"), Raw: string(raw)}
	if err := json.Unmarshal(raw, &r.Body); err != nil {
		f.t.Fatalf("%s %s: body %q is not a JSON object: %v", req.Method, req.URL, raw, err)
	}
	if r.Type != "application/json" {
		f.t.Errorf("%s %s: Content-Type %q", req.Method, req.URL, r.Type)
	}
	if !uuidRE.MatchString(r.RequestID) {
		f.t.Errorf("%s %s: x-amzn-RequestId %q is not a UUID", req.Method, req.URL, r.RequestID)
	}
	return r
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestServe(t *testing.T) {
	const arn = "arn%3Aaws%3Aconnect%3Aus-east-1%3A000000000000%3Ainstance%2Fabc"
	cases := []struct {
		name, method, target, body string
		status                     int
		errorType                  string
		want                       map[string]any // members the body must have
		message                    string         // substring of Message
	}{
		{name: "escaped ARN label, repeated query key, body", method: "POST",
			target: "/things/" + arn + "?keys=a&keys=b+c&keys=d%2Fe", body: `{"Name":"abc","Count":3}`, status: 200,
			want: map[string]any{"ThingArn": "arn:aws:connect:us-east-1:000000000000:instance/abc",
				"Keys": []any{"a", "b c", "d/e"}, "Name": "abc", "Count": 3.0, "Account": "111122223333"}},
		{name: "body cannot override a label", method: "POST", target: "/things/t1", body: `{"ThingArn":"evil"}`, status: 200,
			want: map[string]any{"ThingArn": "t1"}},
		{name: "empty body", method: "POST", target: "/things/t1", status: 200, want: map[string]any{"ThingArn": "t1", "Name": nil}},
		{name: "literal beats label", method: "GET", target: "/users/i1/hierarchy", status: 200,
			want: map[string]any{"Route": "hierarchy"}},
		{name: "label where no literal matches", method: "GET", target: "/users/i1/bob", status: 200,
			want: map[string]any{"InstanceId": "i1", "UserId": "bob"}},
		{name: "escaped label that spells a literal is still a label", method: "GET", target: "/users/i1/hier%61rchy", status: 200,
			want: map[string]any{"UserId": "hierarchy"}},
		{name: "backtracks from a dead-end literal", method: "GET", target: "/x/lit/tail", status: 200,
			want: map[string]any{"Route": "backtrack"}},
		{name: "literal route", method: "GET", target: "/x/lit/other", status: 200, want: map[string]any{"Route": "literal"}},
		{name: "nil output is an empty object", method: "DELETE", target: "/nothing", status: 200, want: map[string]any{}},
		{name: "typed nil output is an empty object", method: "GET", target: "/fail/typednil", status: 200, want: map[string]any{}},
		{name: "unknown route", method: "GET", target: "/nope/x", status: 404, errorType: "UnknownOperationException", message: "GET /nope/x"},
		{name: "known path, other method", method: "PATCH", target: "/things/t1", status: 404, errorType: "UnknownOperationException"},
		{name: "trailing slash", method: "GET", target: "/users/i1/u1/", status: 404, errorType: "UnknownOperationException"},
		{name: "empty label", method: "GET", target: "/users//u1", status: 404, errorType: "UnknownOperationException"},
		{name: "malformed JSON", method: "POST", target: "/things/t1", body: `{"Name":`, status: 400,
			errorType: "SerializationException", message: "Malformed JSON"},
		{name: "body not an object", method: "POST", target: "/things/t1", body: `["Name"]`, status: 400,
			errorType: "SerializationException", message: "JSON object"},
		{name: "wrong JSON type names the member", method: "POST", target: "/things/t1", body: `{"Count":"three"}`, status: 400,
			errorType: "SerializationException", message: "'Count': expected an integer, got JSON string"},
		{name: "validation error", method: "POST", target: "/things/t1", body: `{"Name":"toolong"}`, status: 400,
			errorType: "InvalidParameterException",
			message:   "1 validation error detected: Value 'toolong' at 'name' failed to satisfy constraint: Member must have length less than or equal to 5"},
		{name: "validation error without InvalidParameterException declared", method: "PUT", target: "/things/t1", body: `{"Name":""}`,
			status: 400, errorType: "InvalidRequestException", message: "Member must have length greater than or equal to 1"},
		{name: "unconvertible query value", method: "POST", target: "/things/t1?maxResults=ten", status: 400,
			errorType: "InvalidParameterException", message: "Value 'ten' at 'maxResults' could not be read as an integer"},
		{name: "malformed query string", method: "POST", target: "/things/t1?keys=%zz", status: 400, errorType: "SerializationException"},
		{name: "unimplemented, InvalidRequestException declared", method: "GET", target: "/contacts/i1/c1", status: 501,
			errorType: "InvalidRequestException", message: "Switchboard does not implement DescribeContact yet"},
		{name: "unimplemented, only InvalidParameterException declared", method: "GET", target: "/queues/i1/q1", status: 501,
			errorType: "InvalidParameterException", message: "Switchboard does not implement DescribeQueue yet"},
		{name: "modelled error", method: "GET", target: "/fail/notfound", status: 404, errorType: "ResourceNotFoundException",
			want: map[string]any{"Message": "User not found"}},
		{name: "wrapped modelled error", method: "GET", target: "/fail/wrapped", status: 409, errorType: "DuplicateResourceException",
			want: map[string]any{"Message": "dup <name> & co"}},
		{name: "generic error", method: "GET", target: "/fail/generic", status: 429, errorType: "ThrottlingException",
			want: map[string]any{"Message": "slow down"}},
		{name: "error message with bytes strconv.Quote cannot put in JSON", method: "GET", target: "/fail/badbytes", status: 429,
			errorType: "LimitExceededException", want: map[string]any{"Message": "bell\a here"}},
		{name: "plain error is internal", method: "GET", target: "/fail/plain", status: 500, errorType: "InternalServiceException",
			message: "internal error"},
		{name: "panic is internal", method: "GET", target: "/fail/panic", status: 500, errorType: "InternalServiceException",
			message: "internal error"},
	}
	f := newFixture(t, 0)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f.t = t
			var body io.Reader
			if c.body != "" {
				body = strings.NewReader(c.body)
			}
			got := f.do(c.method, c.target, body)
			if got.Status != c.status || got.ErrorType != c.errorType {
				t.Fatalf("got %d %q %s, want %d %q", got.Status, got.ErrorType, got.Raw, c.status, c.errorType)
			}
			for k, v := range c.want {
				if fmt.Sprint(got.Body[k]) != fmt.Sprint(v) {
					t.Errorf("%s = %#v, want %#v (body %s)", k, got.Body[k], v, got.Raw)
				}
			}
			if len(c.want) == 0 && c.errorType == "" && got.Raw != "{}" {
				t.Errorf("body = %s, want {}", got.Raw)
			}
			if c.errorType != "" {
				msg, _ := got.Body["Message"].(string)
				if !strings.Contains(msg, c.message) {
					t.Errorf("Message = %q, want it to contain %q", msg, c.message)
				}
				if strings.Contains(got.Raw, "hunter2") || strings.Contains(got.Raw, "database") {
					t.Errorf("internal detail leaked to the client: %s", got.Raw)
				}
			}
			if note, _ := got.Body["Note"].(string); note != "" {
				t.Error(note)
			}
		})
	}
}

func TestAuthenticationErrorIsWrittenAsIs(t *testing.T) {
	f := newFixture(t, 0)
	req, _ := http.NewRequest("POST", f.srv.URL+"/things/t1", strings.NewReader(`{"Name":"a"}`))
	got := f.send(req)
	if got.Status != 403 || got.ErrorType != "MissingAuthenticationTokenException" || got.Body["Message"] != "Missing Authentication Token" {
		t.Errorf("got %d %q %s", got.Status, got.ErrorType, got.Raw)
	}
}

func TestRequestIDsAreUniqueAndInEveryResponse(t *testing.T) {
	f := newFixture(t, 0)
	seen := map[string]bool{}
	for _, target := range []string{"/things/a", "/things/a", "/nope", "/fail/panic"} {
		got := f.do("POST", target, nil)
		if got.RequestID == "" || seen[got.RequestID] {
			t.Errorf("%s: request id %q missing or repeated", target, got.RequestID)
		}
		seen[got.RequestID] = true
	}
	// AWS spells the header x-amzn-RequestId; Go's client canonicalizes it
	// on read, so check the bytes a recorder keeps.
	rec := httptest.NewRecorder()
	restjson.New(restjson.Config{Operations: testOperations()}).ServeHTTP(rec, httptest.NewRequest("GET", "/nope", nil))
	if _, ok := rec.Header()["x-amzn-RequestId"]; !ok {
		t.Errorf("headers %v lack x-amzn-RequestId as AWS spells it", rec.Header())
	}
	if _, ok := rec.Header()["X-Amzn-ErrorType"]; !ok {
		t.Errorf("headers %v lack X-Amzn-ErrorType as AWS spells it", rec.Header())
	}
}

func TestBodyLimit(t *testing.T) {
	f := newFixture(t, 64)
	big := `{"Name":"` + strings.Repeat("x", 100) + `"}`
	for name, body := range map[string]io.Reader{
		"Content-Length over the limit": strings.NewReader(big),
		// io.MultiReader hides the length, so the client sends it chunked.
		"chunked over the limit": io.MultiReader(strings.NewReader(big)),
	} {
		got := f.do("POST", "/things/t1", body)
		if got.Status != http.StatusRequestEntityTooLarge || got.ErrorType != "RequestEntityTooLargeException" {
			t.Errorf("%s: got %d %q %s", name, got.Status, got.ErrorType, got.Raw)
		}
	}
	if got := f.do("POST", "/things/t1", strings.NewReader(`{"Name":"ok"}`)); got.Status != 200 {
		t.Errorf("small body: got %d %s", got.Status, got.Raw)
	}
}

func TestOneLogLinePerRequestWithoutBodies(t *testing.T) {
	f := newFixture(t, 0)
	f.do("POST", "/things/t1", strings.NewReader(`{"Name":"pw123"}`))
	f.do("GET", "/fail/panic", nil)
	var requests []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(f.log.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if m["msg"] == "request" {
			requests = append(requests, m)
		}
	}
	if len(requests) != 2 {
		t.Fatalf("got %d request lines, want 2:\n%s", len(requests), f.log)
	}
	for i, want := range []struct {
		op     string
		status float64
	}{{"PutThing", 200}, {"Fail", 500}} {
		m := requests[i]
		if m["operation"] != want.op || m["status"] != want.status || m["method"] == nil || m["latency"] == nil || m["request_id"] == "" {
			t.Errorf("line %d = %v, want operation %s status %v with method, latency and request_id", i, m, want.op, want.status)
		}
	}
	if strings.Contains(f.log.String(), "pw123") {
		t.Errorf("a request body reached the log:\n%s", f.log)
	}
	if !strings.Contains(f.log.String(), "handler panic") {
		t.Errorf("the panic was not logged:\n%s", f.log)
	}
}

func TestNewRejectsConflictingRoutes(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New accepted two operations with the same route")
		}
	}()
	restjson.New(restjson.Config{Operations: []*api.Operation{
		op("A", "GET", "/users/{InstanceId}", nil),
		op("B", "GET", "/users/{Other}", nil),
	}})
}
