// Package seed applies a declarative file of Connect resources — instances
// and, inside each, hours of operation, queues, routing and security
// profiles, the user hierarchy, flows and flow modules, agent statuses,
// predefined attributes, phone numbers, quick connects and users — to a
// Service, referring to each other by name (docs/SEED.md).
//
// Every change goes through the operation handlers after the generated
// validation, as a wire request would, so a bad value fails with Connect's
// own message, prefixed by the position of the entry in the file. Applying
// is idempotent: a resource that exists by name is left as it is and keeps
// its id; only what is missing is created.
package seed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/service"
)

// DefaultScope is the account and region a seed applies to when neither
// the file nor the caller names one: the built-in test credentials' account.
var DefaultScope = switchboard.Scope{Account: "000000000000", Region: "us-east-1"}

// Error is a problem with one place in a seed file. Err is the cause; it
// wraps the service's error (an api.Error, or *api.ValidationError) when
// an operation refused the entry, so errors.As finds it.
type Error struct {
	File         string
	Line, Column int
	// Path is where in the document the problem is, such as
	// instances[0].users[2].routingProfile.
	Path string
	Err  error
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %v", e.File, e.Line, e.Column, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Action says what applying did to one resource.
type Action string

// The actions a Resource reports.
const (
	Created Action = "created"
	// Unchanged is a resource that existed by name and was left as it
	// is: a seed never updates or deletes (docs/SEED.md, "Applying
	// twice").
	Unchanged Action = "unchanged"
)

// Resource is one resource of the file and what became of it.
type Resource struct {
	// Instance is the alias of the instance the resource is in (for an
	// instance, its own alias).
	Instance string
	// Kind is the kind as the file names it: instance, hoursOfOperation,
	// queue, routingProfile, securityProfile, hierarchyStructure,
	// hierarchyGroup, contactFlow, flowModule, agentStatus,
	// predefinedAttribute, phoneNumber, quickConnect or user.
	Kind   string
	Name   string
	ID     string
	Action Action
}

// Result lists the resources of the file in the order they were applied.
type Result struct {
	Scope     switchboard.Scope
	Resources []Resource
}

// Count returns how many resources had the given action.
func (r *Result) Count(a Action) int {
	n := 0
	for _, res := range r.Resources {
		if res.Action == a {
			n++
		}
	}
	return n
}

// ID returns the id of the resource of the given kind and name in the
// instance of the given alias, or "".
func (r *Result) ID(instance, kind, name string) string {
	for _, res := range r.Resources {
		if res.Instance == instance && res.Kind == kind && res.Name == name {
			return res.ID
		}
	}
	return ""
}

// Summary is a one-line account of the result, for logs.
func (r *Result) Summary() string {
	return fmt.Sprintf("%d created, %d unchanged", r.Count(Created), r.Count(Unchanged))
}

// ApplyFile reads the seed file at path (YAML or JSON) and applies it; see
// Apply.
func ApplyFile(ctx context.Context, svc *service.Service, scope switchboard.Scope, path string) (*Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Apply(ctx, svc, scope, data, path)
}

// Apply applies the seed document data to svc. name is the file name used
// in error positions, and the directory of name is where contentFile paths
// are read from. The account and region are the file's, else scope's
// fields, else DefaultScope's. It stops at the first error; what was
// created before it stays, and applying again after a fix carries on.
func Apply(ctx context.Context, svc *service.Service, scope switchboard.Scope, data []byte, name string) (*Result, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		return nil, yamlError(name, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &Error{File: name, Line: extra.Line, Column: extra.Column, Err: errors.New("a seed file holds one document")}
	}
	d := &decoder{file: name, pos: map[string]*yaml.Node{}}
	var spec fileSpec
	if err := d.decode(&root, reflectValue(&spec), ""); err != nil {
		return nil, err
	}
	if spec.Account != "" {
		scope.Account = spec.Account
	}
	if spec.Region != "" {
		scope.Region = spec.Region
	}
	if scope.Account == "" {
		scope.Account = DefaultScope.Account
	}
	if scope.Region == "" {
		scope.Region = DefaultScope.Region
	}
	r := &run{d: d, svc: svc, dir: filepath.Dir(name),
		ctx: switchboard.WithScope(ctx, scope), result: &Result{Scope: scope}}
	aliases := map[string]bool{}
	for i := range spec.Instances {
		path := fmt.Sprintf("instances[%d]", i)
		alias := spec.Instances[i].Alias
		if aliases[alias] {
			return nil, r.errAt(path+".alias", "instance %q appears twice", alias)
		}
		aliases[alias] = true
		if err := r.applyInstance(&spec.Instances[i], path); err != nil {
			return nil, err
		}
	}
	return r.result, nil
}

// yamlError gives a parse error of yaml.v3 ("yaml: line 3: ...") the
// file:line:column form of the other errors (yaml.v3 reports no column).
func yamlError(name string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = strings.TrimPrefix(msg, m[0])
	}
	if line == 0 {
		return fmt.Errorf("%s: %s", name, msg)
	}
	return &Error{File: name, Line: line, Column: 1, Err: errors.New(msg)}
}

var yamlLine = regexp.MustCompile(`^line (\d+): `)

// run is one application of a file.
type run struct {
	d      *decoder
	svc    *service.Service
	dir    string
	ctx    context.Context
	result *Result
}

// errAt is an error at the node read for path, or at the nearest enclosing
// node read (a member that was left out has no node of its own).
func (r *run) errAt(path, format string, args ...any) error {
	return r.wrapAt(path, fmt.Errorf(format, args...))
}

func (r *run) wrapAt(path string, err error) error {
	p := path
	for {
		if n, ok := r.d.pos[p]; ok {
			return &Error{File: r.d.file, Line: n.Line, Column: n.Column, Path: path, Err: err}
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			if n, ok := r.d.pos[""]; ok {
				return &Error{File: r.d.file, Line: n.Line, Column: n.Column, Path: path, Err: err}
			}
			return &Error{File: r.d.file, Line: 1, Column: 1, Path: path, Err: err}
		}
		p = p[:i]
	}
}

// call runs one operation as the wire layer does after binding: the
// generated validation, then the handler, in the seed's scope. A refusal
// is an error at the entry's position (or, for a validation error, at the
// member the first violation names, when the file wrote that member).
func (r *run) call(op string, in api.Request, entry string) (any, error) {
	out, err := r.svc.Invoke(r.ctx, op, in)
	if err == nil {
		return out, nil
	}
	at := entry
	var ve *api.ValidationError
	if errors.As(err, &ve) && len(ve.Violations) > 0 {
		if p := violationPath(entry, ve.Violations[0].Path); r.d.pos[p] != nil {
			at = p
		}
		err = &opError{op: op, entry: entry, err: err, code: "ValidationException"}
	} else {
		err = &opError{op: op, entry: entry, err: err}
	}
	return nil, r.wrapAt(at, err)
}

// opError is an operation's refusal of an entry.
type opError struct {
	op, entry, code string
	err             error
}

func (e *opError) Error() string {
	if e.code != "" {
		return fmt.Sprintf("%s: %s: %s: %v", e.entry, e.op, e.code, e.err)
	}
	return fmt.Sprintf("%s: %s: %v", e.entry, e.op, e.err)
}

func (e *opError) Unwrap() error { return e.err }

// violationPath turns a validation message's member path
// (autoAcceptConfigs.1.member.channel) into the seed's
// (entry.autoAcceptConfigs[0].channel).
func violationPath(entry, member string) string {
	var b strings.Builder
	b.WriteString(entry)
	for _, part := range strings.Split(member, ".") {
		if part == "member" {
			continue
		}
		if n, err := strconv.Atoi(part); err == nil {
			fmt.Fprintf(&b, "[%d]", n-1)
			continue
		}
		b.WriteString(".")
		b.WriteString(part)
	}
	return b.String()
}

func (r *run) record(instance, kind, name, id string, a Action) {
	r.result.Resources = append(r.result.Resources, Resource{Instance: instance, Kind: kind, Name: name, ID: id, Action: a})
}
