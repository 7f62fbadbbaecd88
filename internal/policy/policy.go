// Package policy evaluates IAM-style identity policies attached to access
// keys, as small pure functions: Parse reads a policy document strictly,
// Evaluate decides one action on one resource the way IAM does (an explicit
// Deny wins, then any Allow, else the implicit deny), and Resource names
// the ARN an operation addresses.
//
// Only Effect, Action and Resource are understood. Conditions, NotAction,
// NotResource and Principal are refused when the policy is read rather than
// ignored, because ignoring them would grant more than the author meant.
package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Effect is what a matching statement does.
type Effect string

// The two effects IAM knows.
const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Statement is one policy statement: Effect applies to every action
// matching one of Actions on every resource matching one of Resources.
type Statement struct {
	Sid       string
	Effect    Effect
	Actions   []string // patterns such as connect:Describe* (case-insensitive)
	Resources []string // ARN patterns with * and ? (case-sensitive)
}

// Policy is a set of statements. The zero Policy allows nothing.
type Policy struct {
	Statements []Statement
}

// Decision is the outcome of evaluating a policy.
type Decision int

// Decisions, in IAM's terms.
const (
	// ImplicitDeny: no statement matched.
	ImplicitDeny Decision = iota
	// Allowed: an Allow statement matched and no Deny did.
	Allowed
	// ExplicitDeny: a Deny statement matched.
	ExplicitDeny
)

func (d Decision) String() string {
	switch d {
	case Allowed:
		return "Allowed"
	case ExplicitDeny:
		return "ExplicitDeny"
	}
	return "ImplicitDeny"
}

// Evaluate decides whether p allows action on resource.
func (p Policy) Evaluate(action, resource string) Decision {
	d := ImplicitDeny
	for _, s := range p.Statements {
		if !s.matches(action, resource) {
			continue
		}
		if s.Effect == Deny {
			// Nothing can override an explicit deny, so stop here.
			return ExplicitDeny
		}
		d = Allowed
	}
	return d
}

func (s Statement) matches(action, resource string) bool {
	return matchAny(s.Actions, action, true) && matchAny(s.Resources, resource, false)
}

func matchAny(patterns []string, s string, foldCase bool) bool {
	for _, p := range patterns {
		if Match(p, s, foldCase) {
			return true
		}
	}
	return false
}

// Match reports whether s matches pattern, where * stands for any run of
// characters (including none and including '/' and ':') and ? for exactly
// one character, as in IAM's Action and Resource elements. foldCase
// compares ASCII letters case-insensitively, as IAM does for actions.
func Match(pattern, s string, foldCase bool) bool {
	// Iterative glob matching with one backtrack point: linear in
	// practice and never exponential, whatever a config holds.
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && (pattern[p] == '?' || sameByte(pattern[p], s[i], foldCase)):
			p++
			i++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

func sameByte(a, b byte, foldCase bool) bool {
	if a == b {
		return true
	}
	if !foldCase {
		return false
	}
	return lower(a) == lower(b)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Parse reads a policy in IAM's JSON form, either a document
// {"Version": "2012-10-17", "Statement": [...]} or a bare list of
// statements. Action and Resource may each be a string or a list, as in
// IAM. Anything Switchboard would not enforce is an error.
func Parse(raw []byte) (Policy, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return Policy{}, errors.New("policy is empty")
	}
	var stmts []json.RawMessage
	if raw[0] == '[' {
		if err := json.Unmarshal(raw, &stmts); err != nil {
			return Policy{}, fmt.Errorf("policy: %w", err)
		}
	} else {
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(raw, &doc); err != nil {
			return Policy{}, fmt.Errorf("policy: %w", err)
		}
		if err := onlyKeys(doc, "policy", "Version", "Statement", "Id"); err != nil {
			return Policy{}, err
		}
		if v, ok := doc["Version"]; ok {
			var version string
			if err := json.Unmarshal(v, &version); err != nil || (version != "2012-10-17" && version != "2008-10-17") {
				return Policy{}, fmt.Errorf("policy: Version must be \"2012-10-17\" or \"2008-10-17\", got %s", v)
			}
		}
		st, ok := doc["Statement"]
		if !ok {
			return Policy{}, errors.New("policy: Statement is missing")
		}
		var err error
		if stmts, err = oneOrMany[json.RawMessage](st); err != nil {
			return Policy{}, fmt.Errorf("policy: Statement: %w", err)
		}
	}
	if len(stmts) == 0 {
		return Policy{}, errors.New("policy: no statements")
	}
	var p Policy
	for i, raw := range stmts {
		s, err := parseStatement(raw)
		if err != nil {
			return Policy{}, fmt.Errorf("policy: statement %d: %w", i+1, err)
		}
		p.Statements = append(p.Statements, s)
	}
	return p, nil
}

func parseStatement(raw json.RawMessage) (Statement, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return Statement{}, errors.New("a statement must be a JSON object")
	}
	if err := onlyKeys(m, "statement", "Sid", "Effect", "Action", "Resource"); err != nil {
		return Statement{}, err
	}
	var s Statement
	if v, ok := m["Sid"]; ok {
		if err := json.Unmarshal(v, &s.Sid); err != nil {
			return Statement{}, errors.New("Sid must be a string")
		}
	}
	var effect string
	if err := json.Unmarshal(m["Effect"], &effect); err != nil || (effect != string(Allow) && effect != string(Deny)) {
		return Statement{}, fmt.Errorf("Effect must be \"Allow\" or \"Deny\", got %s", orMissing(m["Effect"]))
	}
	s.Effect = Effect(effect)
	var err error
	if s.Actions, err = patterns(m, "Action"); err != nil {
		return Statement{}, err
	}
	for _, a := range s.Actions {
		if a != "*" && !strings.Contains(a, ":") {
			return Statement{}, fmt.Errorf("Action %q must be \"*\" or \"service:Operation\" (such as \"connect:DescribeUser\")", a)
		}
	}
	if s.Resources, err = patterns(m, "Resource"); err != nil {
		return Statement{}, err
	}
	for _, r := range s.Resources {
		if r != "*" && !strings.HasPrefix(r, "arn:") {
			return Statement{}, fmt.Errorf("Resource %q must be \"*\" or an ARN pattern", r)
		}
	}
	return s, nil
}

// patterns reads a required string-or-list member of non-empty strings.
func patterns(m map[string]json.RawMessage, name string) ([]string, error) {
	v, ok := m[name]
	if !ok {
		return nil, fmt.Errorf("%s is missing", name)
	}
	list, err := oneOrMany[string](v)
	if err != nil || len(list) == 0 {
		return nil, fmt.Errorf("%s must be a string or a non-empty list of strings", name)
	}
	for _, p := range list {
		if p == "" {
			return nil, fmt.Errorf("%s has an empty entry", name)
		}
	}
	return list, nil
}

// oneOrMany reads IAM's "a value or a list of values".
func oneOrMany[T any](raw json.RawMessage) ([]T, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '[' {
		var list []T
		err := json.Unmarshal(raw, &list)
		return list, err
	}
	var one T
	if err := json.Unmarshal(raw, &one); err != nil {
		return nil, err
	}
	return []T{one}, nil
}

// onlyKeys refuses members Switchboard does not enforce, naming them.
func onlyKeys(m map[string]json.RawMessage, what string, allowed ...string) error {
	var extra []string
	for k := range m {
		found := false
		for _, a := range allowed {
			if k == a {
				found = true
				break
			}
		}
		if !found {
			extra = append(extra, k)
		}
	}
	if len(extra) == 0 {
		return nil
	}
	sort.Strings(extra)
	return fmt.Errorf("%s: unsupported member(s) %s; Switchboard enforces only %s", what, strings.Join(extra, ", "), strings.Join(allowed, ", "))
}

func orMissing(v json.RawMessage) string {
	if v == nil {
		return "nothing"
	}
	return string(v)
}
