// Package restjson is Switchboard's wire layer for the restJson1 protocol:
// it routes a request by method and escaped path to a modelled operation,
// authenticates it, binds labels, query and body into the operation's input
// shape, validates it, calls the operation's handler and writes the result
// or the error the way AWS does (X-Amzn-ErrorType, x-amzn-RequestId).
package restjson

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// DefaultMaxBodyBytes is the request body limit when Config leaves it zero.
const DefaultMaxBodyBytes = 4 << 20

// Handler runs one operation. in is the operation's input shape, bound and
// validated; the result is the output shape (nil for operations without
// output). Errors that implement api.Error are sent as they are; any other
// error becomes InternalServiceException.
type Handler func(ctx context.Context, in api.Request) (any, error)

// Authenticator decides who sent a request. sigv4.Verifier implements it.
type Authenticator interface {
	// Verify returns the caller's account and region and the access key
	// that signed the request, or an error that is sent to the client as
	// it is (an api.Error such as a 403).
	Verify(r *http.Request, body []byte) (scope switchboard.Scope, accessKeyID string, err error)
}

// Authorizer decides whether an authenticated caller may run the call it
// sent. It runs after routing, authentication, binding and decoding, and
// before validation and the handler, so a refused caller learns nothing
// about what its input would have done.
type Authorizer interface {
	// Authorize returns nil to let the call through, or the error to send
	// (normally AccessDeniedException, 403).
	Authorize(c Call) error
}

// Call is what an Authorizer decides on.
type Call struct {
	Scope       switchboard.Scope
	AccessKeyID string
	Operation   *api.Operation
	// Labels are the unescaped URI labels by name.
	Labels map[string]string
	// Input is the bound and decoded input shape, not yet validated.
	Input api.Request
}

// Gate may hold up or refuse a call before it runs: throttling and fault
// injection (internal/server/gate.go). It runs after authentication and
// authorisation and before validation, for every routed call.
type Gate interface {
	// Admit returns a delay to wait before going on (0: none) and an
	// error to answer instead of running the call (nil: run it). Call's
	// Scope is zero when the server authenticates nobody.
	Admit(ctx context.Context, c Call) (delay time.Duration, err error)
}

// Config is what a Server serves.
type Config struct {
	// Operations is the routing table, normally api.Operations.
	Operations []*api.Operation
	// Handlers are keyed by operation name; an operation without one
	// answers 501.
	Handlers map[string]Handler
	// Auth authenticates every routed request; nil skips authentication
	// and puts no Scope in the handler's context.
	Auth Authenticator
	// Authz authorizes every authenticated request; nil lets every
	// authenticated caller run every operation. It is not consulted when
	// Auth is nil, since there is then no caller to decide about.
	Authz Authorizer
	// Gate, when set, may delay or refuse calls before validation.
	Gate Gate
	// Logger gets one line per request; nil discards.
	Logger *slog.Logger
	// Observe, when set, is called once per answered request, after the
	// answer is written, with the operation's name ("" when no route
	// matched), the HTTP status and the time taken; the server's metrics
	// (internal/telemetry) hang off it.
	Observe func(operation string, status int, took time.Duration)
	// MaxBodyBytes limits request bodies; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
}

// Server is the restJson1 HTTP handler.
type Server struct {
	routes   *routeTable
	handlers map[string]Handler
	auth     Authenticator
	authz    Authorizer
	gate     Gate
	log      *slog.Logger
	maxBody  int64
	observe  func(operation string, status int, took time.Duration)
}

// New builds a Server. It panics when two operations of cfg.Operations
// share a route or a URI template is not one it can route, because that is
// a defect of the generated table, not a run-time condition.
func New(cfg Config) *Server {
	routes, err := newRouteTable(cfg.Operations)
	if err != nil {
		panic(err)
	}
	s := &Server{routes: routes, handlers: cfg.Handlers, auth: cfg.Auth, authz: cfg.Authz, log: cfg.Logger, maxBody: cfg.MaxBodyBytes}
	s.gate = cfg.Gate
	s.observe = cfg.Observe
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBodyBytes
	}
	return s
}

// Route returns the operation that serves method and escapedPath (the
// path as sent, e.g. r.URL.EscapedPath()) and its unescaped label values.
func (s *Server) Route(method, escapedPath string) (op *api.Operation, labels map[string]string, ok bool) {
	return s.routes.lookup(method, escapedPath)
}

type requestIDKey struct{}

// RequestID returns the id of the request ctx belongs to, as sent in
// x-amzn-RequestId, so that handlers can log with it; "" outside a request.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// errNotImplemented is the error of a routed operation without a handler.
type errNotImplemented struct{ op string }

func (e *errNotImplemented) Error() string {
	return "Switchboard does not implement " + e.op + " yet"
}

// ServeHTTP serves one request. Whatever happens, including a panic, the
// client gets a JSON response with a request id.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rid := newRequestID()
	// Set directly to keep AWS's spelling; Header.Set would send
	// X-Amzn-Requestid.
	w.Header()["x-amzn-RequestId"] = []string{rid}
	ctx := context.WithValue(r.Context(), requestIDKey{}, rid)

	var op *api.Operation
	status := 0
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.log.LogAttrs(ctx, slog.LevelError, "handler panic", slog.String("request_id", rid),
				slog.String("operation", opName(op)), slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
			if status == 0 {
				status = s.writeError(ctx, w, op, fmt.Errorf("panic: %v", p))
			}
		}
		s.log.LogAttrs(ctx, slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("operation", opName(op)),
			slog.Int("status", status),
			slog.Duration("latency", time.Since(start)),
			slog.String("request_id", rid))
		if s.observe != nil {
			s.observe(opName(op), status, time.Since(start))
		}
	}()

	out, err := s.serve(ctx, w, r, &op)
	if err != nil {
		status = s.writeError(ctx, w, op, err)
		return
	}
	status = s.writeOutput(ctx, w, op, out)
}

// serve runs the request up to the handler's result; *op is set as soon as
// the request is routed so that errors can use the operation's declared
// error names.
func (s *Server) serve(ctx context.Context, w http.ResponseWriter, r *http.Request, opp **api.Operation) (any, error) {
	path := r.URL.EscapedPath()
	op, labels, ok := s.routes.lookup(r.Method, path)
	if !ok {
		return nil, &api.GenericError{Code: "UnknownOperationException", Status: http.StatusNotFound,
			Message: fmt.Sprintf("No operation matches %s %s", r.Method, clip(path))}
	}
	*opp = op

	body, err := s.readBody(w, r)
	if err != nil {
		return nil, err
	}

	var scope switchboard.Scope
	var accessKeyID string
	if s.auth != nil {
		scope, accessKeyID, err = s.auth.Verify(r, body)
		if err != nil {
			return nil, err
		}
		ctx = switchboard.WithScope(ctx, scope)
	}

	var in api.Request = emptyInput{}
	if op.NewInput != nil {
		in = op.NewInput()
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, serializationError("Malformed query string: " + err.Error())
	}
	if err := in.BindHTTP(&api.Binding{Labels: labels, Query: query, Header: r.Header}); err != nil {
		return nil, err
	}
	if err := decodeBody(body, in); err != nil {
		return nil, err
	}
	if s.auth != nil && s.authz != nil {
		c := Call{Scope: scope, AccessKeyID: accessKeyID, Operation: op, Labels: labels, Input: in}
		if err := s.authz.Authorize(c); err != nil {
			return nil, err
		}
	}
	if s.gate != nil {
		if err := s.admit(ctx, Call{Scope: scope, AccessKeyID: accessKeyID, Operation: op, Labels: labels, Input: in}); err != nil {
			return nil, err
		}
	}
	if err := api.Validate(in); err != nil {
		return nil, err
	}

	h := s.handlers[op.Name]
	if h == nil {
		return nil, &errNotImplemented{op: op.Name}
	}
	return h(ctx, in)
}

// admit asks the Gate about c and waits out the delay it gives, or until
// the client goes away.
func (s *Server) admit(ctx context.Context, c Call) error {
	delay, err := s.gate.Admit(ctx, c)
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
	return err
}

// readBody reads the whole body, refusing more than the configured limit
// before reading it when Content-Length already says so.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	tooLarge := &api.GenericError{Code: "RequestEntityTooLargeException", Status: http.StatusRequestEntityTooLarge,
		Message: fmt.Sprintf("Request body is larger than the limit of %d bytes", s.maxBody)}
	if r.ContentLength > s.maxBody {
		return nil, tooLarge
	}
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge
		}
		return nil, serializationError("Could not read the request body")
	}
	return body, nil
}

// emptyInput stands in for an operation without an input shape.
type emptyInput struct{}

func (emptyInput) BindHTTP(*api.Binding) error { return nil }
func (emptyInput) Validate(*api.Validator)     {}

// NewRequestID returns a fresh request id in AWS's form (a random UUID),
// for handlers outside this package that answer in the same style.
func NewRequestID() string { return newRequestID() }

func newRequestID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails: crypto/rand aborts the program instead
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

func opName(op *api.Operation) string {
	if op == nil {
		return ""
	}
	return op.Name
}

// clip shortens client text echoed in a message.
func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}

var _ http.Handler = (*Server)(nil)

// marshalJSON encodes v as AWS does, without escaping <, > and &.
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := encodeJSON(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// encodeJSON appends v to b as marshalJSON encodes it. On error b may hold
// part of the encoding.
func encodeJSON(b *bytes.Buffer, v any) error {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // Encode ends with a newline
	return nil
}
