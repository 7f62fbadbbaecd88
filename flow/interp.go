package flow

// The interpreter: Run steps through a flow from its StartAction, doing
// each action through an Env, so the contact engine and the tests share one
// reading of the flow language without a server. The semantics and their
// sources are in docs/BEHAVIOUR.md ("Running a flow").

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Env is what a running flow needs from the contact it runs for: the
// contact's data, and the side effects of its actions. Run calls it from
// one goroutine and never concurrently.
type Env interface {
	// Attribute returns the contact's user-defined attribute key
	// ($.Attributes.key); ok is false when it is not set.
	Attribute(key string) (value string, ok bool)
	// SetAttributes sets user-defined attributes, all or none
	// (UpdateContactAttributes). An error takes the error branch.
	SetAttributes(attrs map[string]string) error
	// System returns a system value by its reference without "$.", as
	// "Channel", "ContactId", "InitiationMethod", "Queue.Name",
	// "Queue.ARN", "CustomerEndpoint.Address"; ok is false when the
	// contact has none. $.Attributes, $.External and
	// $.StoredCustomerInput are answered by Run, not here.
	System(path string) (value string, ok bool)
	// SetTargetQueue sets the contact's target queue: r is Queue for a
	// queue id or ARN, User for an agent's queue (UpdateContactTargetQueue).
	SetTargetQueue(r Resource, idOrARN string) error
	// TransferToQueue puts the contact in its target queue and returns
	// the queue (TransferContactToQueue). ErrQueueAtCapacity, or any
	// *BranchError, picks the error branch; other errors NoMatchingError.
	TransferToQueue() (queue string, err error)
	// CheckHoursOfOperation reports whether the hours of operation (an
	// id or ARN; "" for the target queue's) are open now.
	CheckHoursOfOperation(idOrARN string) (open bool, err error)
	// Metric returns a CheckMetricData metric (NumberOfAgentsAvailable,
	// NumberOfContactsInQueue, ...) of a queue (r Queue) or an agent's
	// queue (r User); idOrARN "" means the target queue.
	Metric(metricType string, r Resource, idOrARN string) (int64, error)
	// InvokeLambda calls a Lambda function with the action's resolved
	// LambdaInvocationAttributes; its answer becomes $.External.
	InvokeLambda(arn string, params map[string]string, timeLimit time.Duration) (map[string]string, error)
	// UpdateRoutingBehavior changes the contact's queue priority or queue
	// time adjustment; 0 leaves the one not given unchanged.
	UpdateRoutingBehavior(priority, queueTimeAdjustmentSeconds int) error
	// TransferToFlow returns the published flow (id or ARN) the contact
	// continues in, and its type.
	TransferToFlow(idOrARN string) (*Flow, Kind, error)
	// InvokeModule returns the published flow module (id or ARN) to run.
	InvokeModule(idOrARN string) (*Flow, error)
	// Wait lets d of simulated time pass for the contact: Run never
	// sleeps. It returns false to stop the run (the contact was answered,
	// taken off hold or hung up), which ends it with OutcomeStopped.
	Wait(d time.Duration) (ok bool)
	// Disconnect ends the contact (DisconnectParticipant).
	Disconnect()
	// Trace receives each step as it completes, for the contact's record.
	Trace(s Step)
}

// InputSource is an Env that can answer GetParticipantInput. An Env that
// is not one has a participant who never enters anything.
type InputSource interface {
	// ParticipantInput returns what the participant entered within
	// timeLimit; ok is false when they entered nothing.
	ParticipantInput(timeLimit time.Duration) (input string, ok bool)
}

// BranchError is an error an Env returns to take a particular error branch
// (ErrorType, e.g. "QueueAtCapacity"); other errors take NoMatchingError.
type BranchError struct {
	ErrorType string
	Err       error
}

func (e *BranchError) Error() string {
	if e.Err != nil {
		return e.ErrorType + ": " + e.Err.Error()
	}
	return e.ErrorType
}

func (e *BranchError) Unwrap() error { return e.Err }

// ErrQueueAtCapacity is TransferToQueue's error when the queue is full.
var ErrQueueAtCapacity = &BranchError{ErrorType: "QueueAtCapacity"}

// Outcome is how a run ended.
type Outcome string

// The outcomes of a run.
const (
	OutcomeDisconnected       Outcome = "Disconnected"       // DisconnectParticipant
	OutcomeEnded              Outcome = "Ended"              // EndFlowExecution, or a module run on its own returned
	OutcomeQueued             Outcome = "Queued"             // TransferContactToQueue succeeded
	OutcomeTransferredToAgent Outcome = "TransferredToAgent" // TransferContactToAgent
	OutcomeStopped            Outcome = "Stopped"            // Env.Wait returned false
	OutcomeStepLimit          Outcome = "StepLimit"          // RunOptions.MaxSteps actions ran
	OutcomeError              Outcome = "Error"              // the flow could not go on (Result.Reason)
)

// Defaults of RunOptions.
const (
	DefaultMaxSteps = 1000
	// DefaultMessageDuration is the simulated time one message (a prompt,
	// text or SSML) takes to play, plus any SSML <break time="..."/>.
	DefaultMessageDuration = 3 * time.Second
)

// RunOptions tune a run; the zero value takes the defaults.
type RunOptions struct {
	// MaxSteps bounds the actions run (each further pass of
	// MessageParticipantIteratively counts as one); 0: DefaultMaxSteps.
	MaxSteps int
	// MessageDuration is the simulated time per message; 0:
	// DefaultMessageDuration.
	MessageDuration time.Duration
}

// Step is one action run, as Env.Trace and Result.Trace see it.
type Step struct {
	// Flow is the id or ARN the running flow was reached by (through
	// TransferToFlow or InvokeFlowModule); "" for the flow Run was given.
	Flow   string
	Action string // Identifier
	Type   string
	// Result is the action's run result the Conditions were matched
	// against ("True", "ContinueLooping", the compared value), if any.
	Result string
	// Branch says how the next action was chosen: "NextAction",
	// "Condition Equals True", "NoMatchingCondition", "Error
	// QueueAtCapacity", "Return" (a module's end); "" when the run ended.
	Branch string
	Next   string // the next action's Identifier, "" when the run ended
	// Detail is what the action did: the message played, the queue, the
	// attributes set.
	Detail string
	// Reason says why an error branch was taken or the run ended.
	Reason string
	Waited time.Duration // simulated time this step took
}

// Result is how a run ended.
type Result struct {
	Outcome Outcome
	Queue   string // OutcomeQueued: the queue TransferToQueue answered
	Flow    string // the flow the run ended in, as Step.Flow
	Action  string // the last action run
	Reason  string // why, for OutcomeError, OutcomeStepLimit and OutcomeStopped
	Steps   int
	Waited  time.Duration // simulated time waited in total
	Trace   []Step
}

// frame is a flow being run: the one Run was given or a module invoked
// from it.
type frame struct {
	f      *Flow
	kind   Kind
	name   string
	caller *Action // the InvokeFlowModule action a module returns to
}

type loopKey struct {
	f  *Flow
	id string
}

type run struct {
	env      Env
	opts     RunOptions
	stack    []frame
	index    map[*Flow]map[string]*Action
	loops    map[loopKey]int
	external map[string]string
	stored   *string
	res      Result
}

// done is what an action handler answers: how the run goes on.
type done struct {
	end     Outcome // non-empty: the run ends
	errType string  // non-empty: take this error branch
	result  string  // the run result Conditions are matched against
	cond    bool    // result is set and the Conditions apply
	jump    bool    // the stack changed: continue at the top frame's StartAction
	from    *Action // take this action's NextAction instead (a module's return)
}

func fail(errType, format string, args ...any) (done, string) {
	return done{errType: errType}, fmt.Sprintf(format, args...)
}

// Run runs f, a flow of the given kind, for one contact until it ends.
// It does not validate f: a published flow is valid, and whatever it
// cannot do at run time takes the action's error branch or ends the run
// with OutcomeError.
func Run(f *Flow, kind Kind, env Env, opts RunOptions) Result {
	if opts.MaxSteps <= 0 {
		opts.MaxSteps = DefaultMaxSteps
	}
	if opts.MessageDuration <= 0 {
		opts.MessageDuration = DefaultMessageDuration
	}
	r := &run{env: env, opts: opts, index: map[*Flow]map[string]*Action{}, loops: map[loopKey]int{}}
	if f == nil {
		r.res.Outcome, r.res.Reason = OutcomeError, "no flow"
		return r.res
	}
	r.stack = []frame{{f: f, kind: kind}}
	r.res.Trace = make([]Step, 0, min(len(f.Actions), opts.MaxSteps))
	a := r.start()
	for a != nil {
		if r.res.Steps >= opts.MaxSteps {
			r.end(OutcomeStepLimit, fmt.Sprintf("%d steps run without the flow ending", r.res.Steps))
			break
		}
		a = r.step(a)
	}
	return r.res
}

func (r *run) top() *frame { return &r.stack[len(r.stack)-1] }

func (r *run) end(o Outcome, reason string) {
	r.res.Outcome, r.res.Reason = o, reason
	r.res.Flow = r.top().name
}

// lookup finds the action id in the top frame's flow.
func (r *run) lookup(id string) *Action {
	f := r.top().f
	idx := r.index[f]
	if idx == nil {
		idx = make(map[string]*Action, len(f.Actions))
		for i := range f.Actions {
			idx[f.Actions[i].Identifier] = &f.Actions[i]
		}
		r.index[f] = idx
	}
	return idx[id]
}

// start returns the top frame's StartAction, ending the run if it has none.
func (r *run) start() *Action {
	fr := r.top()
	if a := r.lookup(fr.f.StartAction); a != nil {
		return a
	}
	r.end(OutcomeError, fmt.Sprintf("StartAction %q is not an action of the flow", fr.f.StartAction))
	return nil
}

// step runs a and returns the next action, or nil when the run ended.
func (r *run) step(a *Action) *Action {
	r.res.Steps++
	r.res.Action = a.Identifier
	st := Step{Flow: r.top().name, Action: a.Identifier, Type: a.Type}
	d, reason := r.do(a, &st)
	if reason != "" {
		st.Reason = reason
	}
	next := r.transition(a, d, &st)
	if next == nil && st.Reason == "" {
		st.Reason = r.res.Reason
	}
	r.res.Trace = append(r.res.Trace, st)
	r.env.Trace(st)
	return next
}

// transition picks the next action after a ran with answer d.
func (r *run) transition(a *Action, d done, st *Step) *Action {
	if d.end != "" {
		r.end(d.end, st.Reason)
		return nil
	}
	if d.jump {
		st.Branch = "StartAction"
		next := r.start()
		if next != nil {
			st.Next = next.Identifier
		}
		return next
	}
	t := &a.Transitions
	if d.from != nil {
		t, st.Branch = &d.from.Transitions, "Return"
	}
	var target string
	switch {
	case d.errType != "":
		target = errorBranch(t, d.errType, st)
		if target == "" {
			if st.Reason == "" {
				st.Reason = d.errType
			}
			branches := d.errType + " or NoMatchingError"
			if d.errType == "NoMatchingError" {
				branches = d.errType
			}
			r.end(OutcomeError, fmt.Sprintf("Action %q: %s, and it has no %s branch", a.Identifier, st.Reason, branches))
			return nil
		}
	case d.cond:
		st.Result = d.result
		for _, c := range t.Conditions {
			if c.Holds(d.result) {
				target = c.NextAction
				st.Branch = "Condition " + c.Condition.Operator + " " + strings.Join(c.Condition.Operands, ",")
				break
			}
		}
		if target == "" {
			// "NoMatchingCondition. This is invoked if no defined
			// condition resolves to true"; without one, NextAction.
			for _, e := range t.Errors {
				if e.ErrorType == "NoMatchingCondition" {
					target, st.Branch = e.NextAction, "NoMatchingCondition"
					break
				}
			}
		}
	}
	if target == "" {
		target = t.NextAction
		if st.Branch == "" {
			st.Branch = "NextAction"
		}
	}
	if target == "" {
		from := a
		if d.from != nil {
			from = d.from
		}
		st.Branch = ""
		r.end(OutcomeError, fmt.Sprintf("Action %q (%s) is not terminal and has no NextAction to go on to", from.Identifier, from.Type))
		return nil
	}
	next := r.lookup(target)
	if next == nil {
		r.end(OutcomeError, fmt.Sprintf("Action %q: next action %q is not an action of the flow", a.Identifier, target))
		return nil
	}
	st.Next = target
	return next
}

// errorBranch returns the branch for errType, falling back to
// NoMatchingError ("invoked when an error occurs and no other Error
// matches"), and records it in st.
func errorBranch(t *Transitions, errType string, st *Step) string {
	for _, want := range []string{errType, "NoMatchingError"} {
		for _, e := range t.Errors {
			if e.ErrorType == want {
				st.Branch = "Error " + want
				return e.NextAction
			}
		}
	}
	return ""
}

// branchOf is the error branch an Env's error takes.
func branchOf(err error) string {
	var be *BranchError
	if errors.As(err, &be) && be.ErrorType != "" {
		return be.ErrorType
	}
	return "NoMatchingError"
}

// wait lets d pass; false: the Env stopped the run.
func (r *run) wait(d time.Duration, st *Step) bool {
	if d <= 0 {
		return true
	}
	r.res.Waited += d
	st.Waited += d
	return r.env.Wait(d)
}

// noEffect are the actions whose effect is outside what the engine
// models (logging, recording, media, voice, tags): they go on to
// NextAction.
var noEffect = map[string]bool{
	"UpdateFlowLoggingBehavior":                  true,
	"UpdateContactRecordingBehavior":             true,
	"UpdateContactRecordingAndAnalyticsBehavior": true,
	"UpdateContactMediaStreamingBehavior":        true,
	"UpdateContactMediaProcessing":               true,
	"UpdateContactTextToSpeechVoice":             true,
	"UpdateContactEventHooks":                    true,
	"StartVoiceIdStream":                         true,
	"TagContact":                                 true,
	"UnTagContact":                               true,
}

// do runs one action. The reason, if any, says why it failed.
func (r *run) do(a *Action, st *Step) (done, string) {
	spec := Catalog[a.Type]
	if spec == nil {
		return fail("NoMatchingError", "unknown action type %q", a.Type)
	}
	if kind := r.top().kind; spec.Kinds != nil && !slices.Contains(spec.Kinds, kind) {
		return fail("NoMatchingError", "%s is not available in %s flows", a.Type, kindName(kind))
	}
	if noEffect[a.Type] {
		return done{}, ""
	}
	switch a.Type {
	case "DisconnectParticipant":
		r.env.Disconnect()
		return done{end: OutcomeDisconnected}, ""
	case "EndFlowExecution":
		return done{end: OutcomeEnded}, ""
	case "TransferContactToAgent":
		return done{end: OutcomeTransferredToAgent}, ""
	case "EndFlowModuleExecution":
		if len(r.stack) == 1 {
			return done{end: OutcomeEnded}, ""
		}
		caller := r.top().caller
		r.stack = r.stack[:len(r.stack)-1]
		return done{from: caller}, ""
	case "MessageParticipant":
		return r.message(a, st)
	case "MessageParticipantIteratively":
		return r.messageIteratively(a, st)
	case "GetParticipantInput":
		return r.input(a, st)
	case "Wait":
		n, err := r.intParam(a, "TimeoutSeconds")
		if err != nil {
			return fail("NoMatchingError", "%v", err)
		}
		if !r.wait(time.Duration(n)*time.Second, st) {
			return done{end: OutcomeStopped}, "the contact left during Wait"
		}
		return done{result: "WaitCompleted", cond: true}, ""
	case "Loop":
		return r.loop(a)
	case "Compare":
		v, _ := r.param(a, "ComparisonValue")
		return done{result: r.value(v), cond: true}, ""
	case "CheckHoursOfOperation":
		id, _ := r.param(a, "HoursOfOperationId")
		open, err := r.env.CheckHoursOfOperation(r.value(id))
		if err != nil {
			return fail(branchOf(err), "%v", err)
		}
		if open {
			return done{result: "True", cond: true}, ""
		}
		return done{result: "False", cond: true}, ""
	case "CheckMetricData":
		metric, _ := r.param(a, "MetricType")
		res, id := r.queueOrAgent(a)
		n, err := r.env.Metric(r.value(metric), res, id)
		if err != nil {
			return fail(branchOf(err), "%v", err)
		}
		return done{result: strconv.FormatInt(n, 10), cond: true}, ""
	case "UpdateContactAttributes":
		return r.setAttributes(a, st)
	case "UpdateContactTargetQueue":
		res, id := r.queueOrAgent(a)
		if id == "" {
			return fail("NoMatchingError", "neither QueueId nor AgentId is given")
		}
		if err := r.env.SetTargetQueue(res, id); err != nil {
			return fail(branchOf(err), "%v", err)
		}
		st.Detail = string(res) + " " + id
		return done{}, ""
	case "TransferContactToQueue":
		// No parameters are documented; a QueueId, if given, is set as
		// the target queue first.
		if id, ok := r.param(a, "QueueId"); ok {
			if err := r.env.SetTargetQueue(Queue, r.value(id)); err != nil {
				return fail(branchOf(err), "%v", err)
			}
		}
		q, err := r.env.TransferToQueue()
		if err != nil {
			return fail(branchOf(err), "%v", err)
		}
		r.res.Queue, st.Detail = q, q
		return done{end: OutcomeQueued}, ""
	case "UpdateContactRoutingBehavior":
		return r.routing(a, st)
	case "InvokeLambdaFunction":
		return r.lambda(a, st)
	case "TransferToFlow":
		id, _ := r.param(a, "ContactFlowId")
		id = r.value(id)
		f, kind, err := r.env.TransferToFlow(id)
		if err != nil {
			return fail(branchOf(err), "%v", err)
		}
		if f == nil {
			return fail("NoMatchingError", "flow %q has no content", id)
		}
		// "Execution jumps to a different flow, and continues running at
		// that flow's beginning": modules being run are left too.
		r.stack = append(r.stack[:0], frame{f: f, kind: kind, name: id})
		st.Detail = id
		return done{jump: true}, ""
	case "InvokeFlowModule":
		id, _ := r.param(a, "FlowModuleId")
		id = r.value(id)
		f, err := r.env.InvokeModule(id)
		if err != nil {
			return fail(branchOf(err), "%v", err)
		}
		if f == nil {
			return fail("NoMatchingError", "module %q has no content", id)
		}
		r.stack = append(r.stack, frame{f: f, kind: Module, name: id, caller: a})
		st.Detail = id
		return done{jump: true}, ""
	}
	return fail("NoMatchingError", "%s is not run by Switchboard's interpreter", a.Type)
}
