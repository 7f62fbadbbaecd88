// Package flow is Amazon Connect's flow language: the JSON document a
// contact flow or flow module holds (Version 2019-10-30, StartAction,
// Metadata, Actions), parsed into Go types and validated as Connect
// validates a published flow. It knows nothing of HTTP or storage: the
// resources a flow names are checked through a Resolver, so the service
// layer, the `switchboard flow validate` command and (later) the contact
// engine's interpreter share one parser.
package flow

import (
	"encoding/json"
)

// Version is the flow-language version Connect accepts.
const Version = "2019-10-30"

// Flow is a parsed flow-language document.
type Flow struct {
	Version     string          `json:"Version"`
	StartAction string          `json:"StartAction"`
	Metadata    json.RawMessage `json:"Metadata,omitempty"`
	Actions     []Action        `json:"Actions"`
	// Settings is a flow module's interface (InputParameters,
	// OutputParameters, Transitions); contact flows have none.
	Settings json.RawMessage `json:"Settings,omitempty"`
}

// Action is one block of a flow.
type Action struct {
	Identifier  string                     `json:"Identifier"`
	Type        string                     `json:"Type"`
	Parameters  map[string]json.RawMessage `json:"Parameters"`
	Transitions Transitions                `json:"Transitions"`
}

// Transitions says where a flow goes after an action.
type Transitions struct {
	NextAction string            `json:"NextAction,omitempty"`
	Errors     []ErrorTransition `json:"Errors,omitempty"`
	Conditions []Condition       `json:"Conditions,omitempty"`
}

// ErrorTransition is the branch taken on one kind of error.
type ErrorTransition struct {
	NextAction string `json:"NextAction"`
	ErrorType  string `json:"ErrorType"`
}

// Condition is a branch taken when its condition holds.
type Condition struct {
	NextAction string `json:"NextAction"`
	Condition  struct {
		Operator string   `json:"Operator"`
		Operands []string `json:"Operands"`
	} `json:"Condition"`
}

// Problem is one thing wrong with a flow, as InvalidContactFlowException
// lists them.
type Problem struct {
	Message string
}

// Kind is what a document is for: one of Connect's contact flow types
// (CONTACT_FLOW, CUSTOMER_QUEUE, ...) or Module for a flow module.
type Kind string

// Module is the Kind of a flow module's content.
const Module Kind = "MODULE"

// Resource is a kind of resource a flow may name.
type Resource string

// The resources a flow may name.
const (
	Queue            Resource = "queue"
	HoursOfOperation Resource = "hours-of-operation"
	ContactFlow      Resource = "contact-flow"
	FlowModule       Resource = "flow-module"
	User             Resource = "user"
	Prompt           Resource = "prompt"
	LambdaFunction   Resource = "lambda-function"
)

// Resolver tells the validator whether a resource a flow names exists. A
// nil Resolver checks nothing (the offline `switchboard flow validate`).
type Resolver interface {
	// Exists reports whether the resource, named by id or ARN, exists.
	// known is false for kinds the caller cannot check (not implemented
	// yet), which the validator then accepts.
	Exists(r Resource, idOrARN string) (exists, known bool)
}

// Parse reads a flow-language document: it must be JSON, a JSON object,
// and each member the flow language defines must have its JSON type.
// Members it does not define are kept out of Flow and not reported. The
// Flow is nil only when content is not a JSON object.
func Parse(content string) (*Flow, []Problem) {
	c := newChecker(content, "", nil)
	c.parse()
	return c.flow, c.problems
}

// Validate parses content and checks it as Connect checks a published flow
// of that kind, returning every problem found (none: valid).
func Validate(content string, kind Kind, r Resolver) []Problem {
	c := newChecker(content, kind, r)
	c.parse()
	if c.flow != nil {
		c.validate()
	}
	return c.problems
}
