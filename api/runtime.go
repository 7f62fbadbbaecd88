package api

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/dlclark/regexp2"
)

// Operation is one modelled operation: its route, its bindings and the
// errors it declares.
type Operation struct {
	Name        string
	Method      string
	URI         string // template such as /users/{InstanceId}/{UserId}
	SuccessCode int
	InputShape  string
	OutputShape string // "" when the operation has no output
	Members     []MemberBinding
	Errors      []ErrorRef
	// NewInput returns a zero input shape ready to bind and decode into.
	NewInput func() Request
	// NewOutput returns a zero output shape (nil when there is none), so
	// that tests can read an answer through the model's Go types.
	NewOutput func() any
}

// MemberBinding says where one input member travels.
type MemberBinding struct {
	Member       string
	Location     string // "uri", "querystring", "header" or "body"
	LocationName string // the label, query key, header or JSON name
	Required     bool
}

// ErrorRef is a declared error with its modelled HTTP status.
type ErrorRef struct {
	Name   string
	Status int
}

// Declares reports whether the operation declares the named error.
func (o *Operation) Declares(name string) bool {
	for _, e := range o.Errors {
		if e.Name == name {
			return true
		}
	}
	return false
}

// Request is implemented by every generated input shape.
type Request interface {
	// BindHTTP sets the members bound to the URI, the query string and
	// headers. The JSON body is decoded separately (those members carry
	// json:"-" tags so a body cannot override them).
	BindHTTP(b *Binding) error
	// Validate checks the modelled constraints of the shape and of every
	// shape below it, recording violations in v.
	Validate(v *Validator)
}

// Binding carries the non-body parts of a request.
type Binding struct {
	Labels map[string]string // unescaped URI labels by name
	Query  url.Values
	Header http.Header
}

// BindError is a URI, query or header value that cannot be converted to the
// member's modelled type.
type BindError struct {
	Location, Name, Value, Want string
}

func (e *BindError) Error() string {
	return fmt.Sprintf("Value '%s' at '%s' could not be read as %s", e.Value, e.Name, e.Want)
}

// Error is implemented by every modelled error shape.
type Error interface {
	error
	ErrorCode() string
	HTTPStatus() int
}

// Timestamp is a point in time that travels as a JSON number of epoch
// seconds, the restJson1 default.
type Timestamp struct{ time.Time }

// NewTimestamp wraps t, truncated to milliseconds as AWS sends them.
func NewTimestamp(t time.Time) *Timestamp { return &Timestamp{t.Truncate(time.Millisecond)} }

// MarshalJSON writes epoch seconds with up to millisecond fraction.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	return t.AppendJSON(nil), nil
}

// AppendJSON appends what MarshalJSON returns to b.
func (t Timestamp) AppendJSON(b []byte) []byte {
	ms := t.UnixMilli()
	if ms%1000 == 0 {
		return strconv.AppendInt(b, ms/1000, 10)
	}
	return strconv.AppendFloat(b, float64(ms)/1000, 'f', -1, 64)
}

// JSONAppender is an output shape that encodes itself: the wire layer
// appends its JSON to the response body instead of running encoding/json
// over it, which for large lists (a ListUsers page of 1000 summaries) is
// most of the cost of the response. The JSON must be exactly what
// encoding/json, without HTML escaping, would write for the output shape
// it stands for after FillAlwaysSent.
type JSONAppender interface {
	AppendJSON(b []byte) ([]byte, error)
}

// AlwaysSentFiller is an output shape with members Connect sends even when
// empty or unset (internal/apigen/alwayssent.txt). The wire layer calls
// FillAlwaysSent on every output before encoding it; the method only sets
// members that are nil, so a value a handler shares with a cache is read,
// never written, unless it lacks such a member.
type AlwaysSentFiller interface {
	FillAlwaysSent()
}

// AppendJSONString appends s as a JSON string, escaped as encoding/json
// does with HTML escaping off.
func AppendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			return appendJSONStringSlow(b, s)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendJSONStringSlow leaves escapes, non-ASCII and invalid UTF-8 to
// encoding/json.
func appendJSONStringSlow(b []byte, s string) []byte {
	var buf strings.Builder
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(s) // a string always encodes
	return append(b, strings.TrimSuffix(buf.String(), "\n")...)
}

// UnmarshalJSON reads epoch seconds (a JSON number).
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return fmt.Errorf("expected a timestamp as epoch seconds (a JSON number), got %s", truncate(string(b), 40))
	}
	// A float64 near 2e9 holds about a quarter of a microsecond, so the
	// fraction is rounded to the microsecond (clients send milliseconds or
	// microseconds): 1893488400.123 is .123000, not .122999906, and a
	// contact at .123 falls in a range ending at .123.
	sec, frac := math.Modf(f)
	t.Time = time.Unix(int64(sec), int64(math.Round(frac*1e6))*1e3).UTC()
	return nil
}

// TimestampISO is a timestamp the model marks as iso8601.
type TimestampISO struct{ time.Time }

// MarshalJSON writes RFC 3339 with milliseconds.
func (t TimestampISO) MarshalJSON() ([]byte, error) {
	return []byte(`"` + t.UTC().Format("2006-01-02T15:04:05.000Z") + `"`), nil
}

// UnmarshalJSON reads an RFC 3339 string.
func (t *TimestampISO) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	s, err := strconv.Unquote(string(b))
	if err == nil {
		t.Time, err = time.Parse(time.RFC3339Nano, s)
	}
	if err != nil {
		return fmt.Errorf("expected an ISO 8601 timestamp string, got %s", truncate(string(b), 40))
	}
	return nil
}

// Violation is one failed constraint.
type Violation struct {
	Path  string
	Value string // "" when the value is withheld (sensitive, or not a scalar)
	Null  bool   // the member was missing
	Rule  string // "Member must ..."
}

func (v Violation) String() string {
	switch {
	case v.Null:
		return fmt.Sprintf("Value null at '%s' failed to satisfy constraint: %s", v.Path, v.Rule)
	case v.Value != "":
		return fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: %s", v.Value, v.Path, v.Rule)
	default:
		return fmt.Sprintf("Value at '%s' failed to satisfy constraint: %s", v.Path, v.Rule)
	}
}

// ValidationError lists every violated constraint of a request.
type ValidationError struct{ Violations []Violation }

func (e *ValidationError) Error() string {
	n := len(e.Violations)
	var b strings.Builder
	if n == 1 {
		b.WriteString("1 validation error detected: ")
	} else {
		fmt.Fprintf(&b, "%d validation errors detected: ", n)
	}
	for i, v := range e.Violations {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(v.String())
	}
	return b.String()
}

// Validator walks a shape tree collecting violations. Paths use the
// lower-camel member names AWS puts in its messages.
type Validator struct {
	path       []string
	violations []Violation
}

// Validate runs r's checks and returns a *ValidationError, or nil.
func Validate(r Request) error {
	var v Validator
	r.Validate(&v)
	return v.Err()
}

// Err returns the collected violations as a *ValidationError, or nil.
func (v *Validator) Err() error {
	if len(v.violations) == 0 {
		return nil
	}
	return &ValidationError{Violations: v.violations}
}

// Push enters a member; Pop leaves it.
func (v *Validator) Push(member string) { v.path = append(v.path, lowerFirst(member)) }

// PushIndex enters list element i (0-based); AWS numbers members from 1.
func (v *Validator) PushIndex(i int) { v.path = append(v.path, strconv.Itoa(i+1)+".member") }

// PushKey enters a map entry.
func (v *Validator) PushKey(k string) { v.path = append(v.path, k) }

// Pop leaves the innermost member.
func (v *Validator) Pop() { v.path = v.path[:len(v.path)-1] }

// Path is the current member path.
func (v *Validator) Path() string { return strings.Join(v.path, ".") }

// Fail records a violation at the current path.
func (v *Validator) Fail(value string, rule string) {
	v.violations = append(v.violations, Violation{Path: v.Path(), Value: truncate(value, 128), Rule: rule})
}

// Missing records a required member that is absent.
func (v *Validator) Missing(member string) {
	v.Push(member)
	v.violations = append(v.violations, Violation{Path: v.Path(), Null: true, Rule: "Member must not be null"})
	v.Pop()
}

// StrLen checks a string's length in characters.
func (v *Validator) StrLen(s string, min, max int, sensitive bool) {
	n := utf8.RuneCountInString(s)
	if min >= 0 && n < min {
		v.Fail(shown(s, sensitive), fmt.Sprintf("Member must have length greater than or equal to %d", min))
	}
	if max >= 0 && n > max {
		v.Fail(shown(s, sensitive), fmt.Sprintf("Member must have length less than or equal to %d", max))
	}
}

// Size checks the number of entries of a list or map.
func (v *Validator) Size(n, min, max int) {
	if min >= 0 && n < min {
		v.Fail("", fmt.Sprintf("Member must have length greater than or equal to %d", min))
	}
	if max >= 0 && n > max {
		v.Fail("", fmt.Sprintf("Member must have length less than or equal to %d", max))
	}
}

// Pattern checks a string against a modelled pattern.
func (v *Validator) Pattern(s string, p *Pattern, sensitive bool) {
	if !p.MatchString(s) {
		v.Fail(shown(s, sensitive), "Member must satisfy regular expression pattern: "+p.Source)
	}
}

// Enum checks a string against a modelled enum.
func (v *Validator) Enum(s string, values []string, sensitive bool) {
	for _, e := range values {
		if s == e {
			return
		}
	}
	v.Fail(shown(s, sensitive), "Member must satisfy enum value set: ["+strings.Join(values, ", ")+"]")
}

// Range checks a number against modelled bounds (NaN bounds are absent).
func (v *Validator) Range(x float64, min, max float64) {
	if !math.IsNaN(min) && x < min {
		v.Fail(formatNum(x), "Member must have value greater than or equal to "+formatNum(min))
	}
	if !math.IsNaN(max) && x > max {
		v.Fail(formatNum(x), "Member must have value less than or equal to "+formatNum(max))
	}
}

// Union checks that exactly one member of a union is set.
func (v *Validator) Union(set int) {
	if set != 1 {
		v.Fail("", fmt.Sprintf("Member must have exactly one member set, found %d", set))
	}
}

// Pattern is a modelled regular expression, compiled on first use so that
// start-up does not pay for the hundreds the model declares. Patterns that
// Go's RE2 engine cannot express (lookahead) use a backtracking engine.
type Pattern struct {
	Source string // as modelled (after the overlay), for messages
	expr   string // the expression actually compiled
	re2    bool
	once   sync.Once
	std    *regexp.Regexp
	back   *regexp2.Regexp
}

// NewPattern declares a pattern; re2 says whether Go's regexp accepts expr.
func NewPattern(source, expr string, re2 bool) *Pattern {
	return &Pattern{Source: source, expr: expr, re2: re2}
}

// MatchString reports whether s contains a match (Smithy patterns are not
// implicitly anchored).
func (p *Pattern) MatchString(s string) bool {
	p.once.Do(func() {
		if p.re2 {
			p.std = regexp.MustCompile(p.expr)
		} else {
			p.back = regexp2.MustCompile(p.expr, regexp2.None)
			p.back.MatchTimeout = time.Second
		}
	})
	if p.std != nil {
		return p.std.MatchString(s)
	}
	ok, err := p.back.MatchString(s)
	return ok && err == nil
}

func shown(s string, sensitive bool) string {
	if sensitive {
		return ""
	}
	return s
}

func formatNum(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// Bind helpers used by generated BindHTTP methods.

// BindString returns a pointer to the value, or nil when absent.
func BindString(v string, ok bool) *string {
	if !ok {
		return nil
	}
	return &v
}

// BindInt32 parses an integer member.
func BindInt32(loc, name, v string) (*int32, error) {
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return nil, &BindError{Location: loc, Name: name, Value: truncate(v, 64), Want: "an integer"}
	}
	x := int32(n)
	return &x, nil
}

// BindInt64 parses a long member.
func BindInt64(loc, name, v string) (*int64, error) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, &BindError{Location: loc, Name: name, Value: truncate(v, 64), Want: "an integer"}
	}
	return &n, nil
}

// BindFloat64 parses a double member.
func BindFloat64(loc, name, v string) (*float64, error) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return nil, &BindError{Location: loc, Name: name, Value: truncate(v, 64), Want: "a number"}
	}
	return &f, nil
}

// BindBool parses a boolean member.
func BindBool(loc, name, v string) (*bool, error) {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return nil, &BindError{Location: loc, Name: name, Value: truncate(v, 64), Want: "a boolean"}
	}
	return &b, nil
}

// BindTimestamp parses a header or query timestamp: epoch seconds, RFC 3339
// or an HTTP date.
func BindTimestamp(loc, name, v string) (*Timestamp, error) {
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		sec, frac := math.Modf(f)
		return &Timestamp{time.Unix(int64(sec), int64(frac*1e9)).UTC()}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, http.TimeFormat} {
		if t, err := time.Parse(layout, v); err == nil {
			return &Timestamp{t}, nil
		}
	}
	return nil, &BindError{Location: loc, Name: name, Value: truncate(v, 64), Want: "a timestamp"}
}

// GenericError is an error the wire sends that no operation declares
// (SerializationException, UnknownOperationException, the SigV4 errors).
type GenericError struct {
	Code    string
	Status  int
	Message string
}

func (e *GenericError) Error() string     { return e.Code + ": " + e.Message }
func (e *GenericError) ErrorCode() string { return e.Code }
func (e *GenericError) HTTPStatus() int   { return e.Status }

// MarshalJSON writes the body restJson1 clients read: {"Message": "..."}.
func (e *GenericError) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct{ Message string }{e.Message})
}

// errorFactories builds modelled error shapes by name; generated code fills it.
var errorFactories = map[string]func(message string) Error{}

// NewError returns the modelled error shape called name carrying message, or
// a *GenericError with status 400 when the model has no such error.
func NewError(name, message string) Error {
	if f, ok := errorFactories[name]; ok {
		return f(message)
	}
	return &GenericError{Code: name, Status: http.StatusBadRequest, Message: message}
}
