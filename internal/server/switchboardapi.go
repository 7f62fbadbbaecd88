package server

// Switchboard's own API, under /_switchboard/ (outside Connect's URL
// space, whose paths all start with a lowercase word): health, the clock,
// and later the rest of the test API. docs/TESTING.md documents it.
//
// Calls other than health's probes (and, from this host, health and
// metrics: observability.go) are authenticated by the same sigv4.Verifier
// as Connect calls and authorised by the same per-key policies, under
// actions named switchboard:<Name> on resource "*"; failures are the same
// 403 errors, in the same shape (X-Amzn-ErrorType, {"Message": ...},
// x-amzn-RequestId), as Connect's.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/engine"
	"github.com/switchboard-dev/switchboard/internal/policy"
	"github.com/switchboard-dev/switchboard/internal/restjson"
	"github.com/switchboard-dev/switchboard/service"
)

// SwitchboardPrefix starts the path of every call of Switchboard's own API.
const SwitchboardPrefix = "/_switchboard/"

// The IAM-style actions of Switchboard's own API, for access policies.
const (
	ActionGetClock     = "switchboard:GetClock"
	ActionAdvanceClock = "switchboard:AdvanceClock"
	// ActionAgentAction: act as an agent or a customer on a contact.
	ActionAgentAction = "switchboard:AgentAction"
	// ActionSetLambdaStub: set what a Lambda function answers flows.
	ActionSetLambdaStub = "switchboard:SetLambdaStub"
	// ActionListContactEvents: read an instance's contact events.
	ActionListContactEvents = "switchboard:ListContactEvents"
	// ActionStartInboundCall: call a claimed number (or a flow).
	ActionStartInboundCall = "switchboard:StartInboundCall"
)

// maxAdvance bounds one advance, far below time.Duration's ~292 years.
const maxAdvance = 100 * 365 * 24 * time.Hour

// switchboardAPI serves SwitchboardPrefix and hands every other request to
// next, the Connect API.
type switchboardAPI struct {
	next     *restjson.Server
	auth     restjson.Authenticator
	policies map[string]policy.Policy
	clock    engine.Clock
	svc      *service.Service
	log      *slog.Logger
	maxBody  int64
	routes   map[string]endpoint // by "METHOD /path"
	// observe, when set, hears of every answered call (internal/telemetry).
	observe func(operation string, status int, took time.Duration)
}

// endpoint is one call of the API.
type endpoint struct {
	name string // in the log line
	// action is the policy action; "" serves the call unsigned.
	action string
	// localUnsigned serves the call unsigned when it comes from this
	// host (fromLoopback); from elsewhere it is signed and authorised
	// under action (health and metrics, observability.go).
	localUnsigned bool
	// serve runs the call; ctx carries the caller's scope for signed
	// calls.
	serve func(ctx context.Context, body []byte) (any, error)
}

func newSwitchboardAPI(next *restjson.Server, auth restjson.Authenticator, policies map[string]policy.Policy, clock engine.Clock, svc *service.Service, log *slog.Logger, maxBody int64) *switchboardAPI {
	if maxBody <= 0 {
		maxBody = restjson.DefaultMaxBodyBytes
	}
	a := &switchboardAPI{next: next, auth: auth, policies: policies, clock: clock, svc: svc, log: log, maxBody: maxBody}
	a.routes = map[string]endpoint{
		"GET " + SwitchboardPrefix + "clock":           {name: ActionGetClock, action: ActionGetClock, serve: a.getClock},
		"POST " + SwitchboardPrefix + "clock/advance":  {name: ActionAdvanceClock, action: ActionAdvanceClock, serve: a.advanceClock},
		"POST " + SwitchboardPrefix + "agent/action":   {name: ActionAgentAction, action: ActionAgentAction, serve: a.agentAction},
		"POST " + SwitchboardPrefix + "lambda-stubs":   {name: ActionSetLambdaStub, action: ActionSetLambdaStub, serve: a.setLambdaStub},
		"POST " + SwitchboardPrefix + "contact-events": {name: ActionListContactEvents, action: ActionListContactEvents, serve: a.listContactEvents},
		"POST " + SwitchboardPrefix + "inbound-call":   {name: ActionStartInboundCall, action: ActionStartInboundCall, serve: a.startInboundCall},
	}
	return a
}

// Route is the Connect API's restjson.Server.Route, for tests that map
// requests to operations through the handler server.New returns.
func (a *switchboardAPI) Route(method, escapedPath string) (op *api.Operation, labels map[string]string, ok bool) {
	return a.next.Route(method, escapedPath)
}

func (a *switchboardAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, SwitchboardPrefix) {
		a.next.ServeHTTP(w, r)
		return
	}
	start := time.Now()
	rid := restjson.NewRequestID()
	w.Header()["x-amzn-RequestId"] = []string{rid}
	ep, ok := a.routes[r.Method+" "+r.URL.Path]
	status := 0
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			// A timer callback of the engine panicked during an advance.
			a.log.LogAttrs(r.Context(), slog.LevelError, "handler panic", slog.String("request_id", rid),
				slog.String("operation", ep.name), slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
			if status == 0 {
				status = a.writeError(r, w, rid, fmt.Errorf("panic: %v", p))
			}
		}
		a.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("operation", ep.name),
			slog.Int("status", status),
			slog.Duration("latency", time.Since(start)),
			slog.String("request_id", rid))
		if a.observe != nil {
			a.observe(ep.name, status, time.Since(start))
		}
	}()
	if !ok {
		status = a.writeError(r, w, rid, &api.GenericError{Code: "UnknownOperationException", Status: http.StatusNotFound,
			Message: fmt.Sprintf("No operation matches %s %s", r.Method, clipPath(r.URL.EscapedPath()))})
		return
	}
	out, err := a.serve(r, ep)
	if err != nil {
		status = a.writeError(r, w, rid, err)
		return
	}
	if raw, ok := out.(rawAnswer); ok {
		status = raw(w, r)
		return
	}
	body, err := json.Marshal(out)
	if err != nil {
		status = a.writeError(r, w, rid, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
	status = http.StatusOK
}

// serve authenticates and authorises the call, in that order and before
// its body is looked at, then runs it.
func (a *switchboardAPI) serve(r *http.Request, ep endpoint) (any, error) {
	body, err := readLimited(r, a.maxBody)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	if ep.action != "" && !(ep.localUnsigned && fromLoopback(r)) {
		scope, key, err := a.auth.Verify(r, body)
		if err != nil {
			return nil, err
		}
		if pol, ok := a.policies[key]; ok {
			if d := pol.Evaluate(ep.action, "*"); d != policy.Allowed {
				return nil, api.NewError("AccessDeniedException", policy.DeniedMessage(scope, key, ep.action, "*", d))
			}
		}
		ctx = switchboard.WithScope(ctx, scope)
	}
	return ep.serve(ctx, body)
}

type clockOutput struct {
	Now     api.Timestamp `json:"now"`
	Virtual bool          `json:"virtual"`
}

func (a *switchboardAPI) clockNow() clockOutput {
	_, virtual := a.clock.(*engine.VirtualClock)
	return clockOutput{Now: *api.NewTimestamp(a.clock.Now()), Virtual: virtual}
}

func (a *switchboardAPI) getClock(context.Context, []byte) (any, error) { return a.clockNow(), nil }

type advanceInput struct {
	Seconds *float64       `json:"seconds"`
	To      *api.Timestamp `json:"to"`
}

func (a *switchboardAPI) advanceClock(_ context.Context, body []byte) (any, error) {
	vc, ok := a.clock.(*engine.VirtualClock)
	if !ok {
		return nil, badRequest("The clock is real and cannot be advanced; start Switchboard with --clock virtual")
	}
	var in advanceInput
	if err := decodeBody(body, &in, `"seconds" or "to"`); err != nil {
		return nil, err
	}
	switch {
	case (in.Seconds == nil) == (in.To == nil):
		return nil, badRequest("Give exactly one of \"seconds\" (how far to advance) and \"to\" (epoch seconds to advance to)")
	case in.Seconds != nil:
		s := *in.Seconds
		if math.IsNaN(s) || s < 0 || s > maxAdvance.Seconds() {
			return nil, badRequest(fmt.Sprintf("\"seconds\" must be between 0 and %.0f", maxAdvance.Seconds()))
		}
		if err := vc.Advance(time.Duration(math.Round(s * float64(time.Second)))); err != nil {
			return nil, badRequest(err.Error())
		}
	default:
		to := in.To.Time
		if now := vc.Now(); to.Before(now) {
			return nil, badRequest(fmt.Sprintf("\"to\" (%s) is before the clock's time (%s); the clock never goes back",
				to.UTC().Format(time.RFC3339Nano), now.UTC().Format(time.RFC3339Nano)))
		} else if to.Sub(now) > maxAdvance {
			return nil, badRequest(fmt.Sprintf("\"to\" is more than %.0f seconds ahead of the clock", maxAdvance.Seconds()))
		}
		if err := vc.Set(to); err != nil {
			// Another call moved the clock past "to" meanwhile.
			return nil, badRequest(err.Error())
		}
	}
	return a.clockNow(), nil
}

// decodeBody reads a call's body, one JSON object with only the members
// want names.
func decodeBody(body []byte, v any, want string) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest("The body must be a JSON object with " + want + ": " + err.Error())
	}
	if dec.More() {
		return badRequest("The body must be a single JSON object")
	}
	return nil
}

type agentActionInput struct {
	InstanceId string `json:"InstanceId"`
	ContactId  string `json:"ContactId"`
	UserId     string `json:"UserId"`
	Action     string `json:"Action"`
}

// agentAction acts on a contact as its agent or its customer.
func (a *switchboardAPI) agentAction(ctx context.Context, body []byte) (any, error) {
	var in agentActionInput
	if err := decodeBody(body, &in, `"InstanceId", "ContactId", "Action" and, but for customer-hang-up, "UserId"`); err != nil {
		return nil, err
	}
	if in.InstanceId == "" || in.ContactId == "" || in.Action == "" {
		return nil, badRequest("InstanceId, ContactId and Action are required")
	}
	if err := a.svc.ActOnContact(ctx, in.InstanceId, in.UserId, in.ContactId, service.AgentAction(in.Action)); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

type lambdaStubInput struct {
	FunctionArn string            `json:"FunctionArn"`
	Response    map[string]string `json:"Response"`
	Error       string            `json:"Error"`
}

// setLambdaStub sets (or, with neither Response nor Error, removes) what
// a Lambda function answers flows.
func (a *switchboardAPI) setLambdaStub(ctx context.Context, body []byte) (any, error) {
	var in lambdaStubInput
	if err := decodeBody(body, &in, `"FunctionArn" and "Response" or "Error"`); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(in.FunctionArn, "arn:") {
		return nil, badRequest("FunctionArn must be a Lambda function ARN")
	}
	if in.Response != nil && in.Error != "" {
		return nil, badRequest("Give Response or Error, not both")
	}
	if err := a.svc.SetLambdaStub(ctx, in.FunctionArn, in.Response, in.Error); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

type contactEventsInput struct {
	InstanceId string  `json:"InstanceId"`
	ContactId  string  `json:"ContactId"`
	NextToken  *string `json:"NextToken"`
	MaxResults *int32  `json:"MaxResults"`
}

type contactEventsOutput struct {
	Events    []engine.Event `json:"Events"`
	NextToken *string        `json:"NextToken,omitempty"`
}

// listContactEvents pages an instance's (or one contact's) events.
func (a *switchboardAPI) listContactEvents(ctx context.Context, body []byte) (any, error) {
	var in contactEventsInput
	if err := decodeBody(body, &in, `"InstanceId" and optionally "ContactId", "NextToken", "MaxResults"`); err != nil {
		return nil, err
	}
	if in.InstanceId == "" {
		return nil, badRequest("InstanceId is required")
	}
	if m := in.MaxResults; m != nil && (*m < 1 || *m > 1000) {
		return nil, badRequest("MaxResults must be between 1 and 1000")
	}
	out, err := a.svc.ListContactEvents(ctx, in.InstanceId, in.ContactId, in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	return contactEventsOutput{Events: out.Events, NextToken: out.NextToken}, nil
}

type inboundCallInput struct {
	PhoneNumber         string            `json:"PhoneNumber"`
	InstanceId          string            `json:"InstanceId"`
	ContactFlowId       string            `json:"ContactFlowId"`
	CustomerPhoneNumber string            `json:"CustomerPhoneNumber"`
	Attributes          map[string]string `json:"Attributes"`
}

type contactIDOutput struct {
	ContactId string `json:"ContactId"`
}

// startInboundCall starts a call from a customer.
func (a *switchboardAPI) startInboundCall(ctx context.Context, body []byte) (any, error) {
	var in inboundCallInput
	if err := decodeBody(body, &in, `"CustomerPhoneNumber" and "PhoneNumber", or "InstanceId" and "ContactFlowId"`); err != nil {
		return nil, err
	}
	id, err := a.svc.StartInboundCall(ctx, service.InboundCall{PhoneNumber: in.PhoneNumber, InstanceID: in.InstanceId, ContactFlowID: in.ContactFlowId,
		CustomerPhoneNumber: in.CustomerPhoneNumber, Attributes: in.Attributes})
	if err != nil {
		return nil, err
	}
	return contactIDOutput{ContactId: id}, nil
}

func badRequest(msg string) error {
	return &api.GenericError{Code: "InvalidRequestException", Status: http.StatusBadRequest, Message: msg}
}

// readLimited reads the whole body, refusing more than limit bytes as the
// Connect API does.
func readLimited(r *http.Request, limit int64) ([]byte, error) {
	tooLarge := &api.GenericError{Code: "RequestEntityTooLargeException", Status: http.StatusRequestEntityTooLarge,
		Message: fmt.Sprintf("Request body is larger than the limit of %d bytes", limit)}
	if r.ContentLength > limit {
		return nil, tooLarge
	}
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, &api.GenericError{Code: "SerializationException", Status: http.StatusBadRequest, Message: "Could not read the request body"}
	}
	if int64(len(body)) > limit {
		return nil, tooLarge
	}
	return body, nil
}

// writeError writes err the way the Connect API writes its errors. It
// returns the status written.
func (a *switchboardAPI) writeError(r *http.Request, w http.ResponseWriter, rid string, err error) int {
	var apiErr api.Error
	var validation *api.ValidationError
	switch {
	case errors.As(err, &validation):
		// A member the service refused (a page token it never issued):
		// as Connect's operations answer it.
		apiErr = api.NewError("InvalidParameterException", err.Error())
	case !errors.As(err, &apiErr):
		a.log.LogAttrs(r.Context(), slog.LevelError, "internal error", slog.String("request_id", rid), slog.String("error", err.Error()))
		apiErr = &api.GenericError{Code: "InternalServiceException", Status: http.StatusInternalServerError,
			Message: "The service encountered an internal error. Request ID: " + rid}
	}
	body, merr := json.Marshal(apiErr)
	if merr != nil {
		body = []byte(`{"Message":"The service encountered an internal error."}`)
	}
	h := w.Header()
	h["X-Amzn-ErrorType"] = []string{apiErr.ErrorCode()}
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(apiErr.HTTPStatus())
	w.Write(body)
	return apiErr.HTTPStatus()
}

func clipPath(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}
