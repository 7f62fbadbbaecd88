package flow

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// fakeEnv is a contact whose side effects are recorded.
type fakeEnv struct {
	attrs     map[string]string
	system    map[string]string
	attrsErr  error
	target    string // "queue id" or "user id"
	queueErr  error
	hours     map[string]bool // hours id ("" the target queue's) → open
	metrics   map[string]int64
	lambdas   map[string]map[string]string // ARN → answer; absent: an error
	params    map[string]string            // the last Lambda's parameters
	timeLimit time.Duration
	flows     map[string]*Flow
	modules   map[string]*Flow
	routing   [2]int
	stopAfter time.Duration // Wait answers false from then on; 0: never
	waited    time.Duration
	hungUp    bool
	traced    int
}

func newEnv() *fakeEnv {
	return &fakeEnv{
		attrs:  map[string]string{},
		system: map[string]string{"Channel": "VOICE", "ContactId": "c-1", "Queue.Name": "Sales", "Queue.ARN": "arn:q/sales"},
		hours:  map[string]bool{"": true, "closed": false},
	}
}

func (e *fakeEnv) Attribute(k string) (string, bool) { v, ok := e.attrs[k]; return v, ok }
func (e *fakeEnv) SetAttributes(m map[string]string) error {
	if e.attrsErr != nil {
		return e.attrsErr
	}
	for k, v := range m {
		e.attrs[k] = v
	}
	return nil
}
func (e *fakeEnv) System(p string) (string, bool) { v, ok := e.system[p]; return v, ok }
func (e *fakeEnv) SetTargetQueue(r Resource, id string) error {
	if id == "missing" {
		return errors.New("no such queue")
	}
	e.target = string(r) + " " + id
	e.system["Queue.Name"] = id
	return nil
}
func (e *fakeEnv) TransferToQueue() (string, error) {
	if e.queueErr != nil {
		return "", e.queueErr
	}
	if e.target == "" {
		return "", errors.New("no target queue")
	}
	return e.target, nil
}
func (e *fakeEnv) CheckHoursOfOperation(id string) (bool, error) {
	open, ok := e.hours[id]
	if !ok {
		return false, fmt.Errorf("no hours %q", id)
	}
	return open, nil
}
func (e *fakeEnv) Metric(m string, r Resource, id string) (int64, error) {
	n, ok := e.metrics[m]
	if !ok {
		return 0, fmt.Errorf("no metric %s", m)
	}
	return n, nil
}
func (e *fakeEnv) InvokeLambda(arn string, p map[string]string, limit time.Duration) (map[string]string, error) {
	e.params, e.timeLimit = p, limit
	out, ok := e.lambdas[arn]
	if !ok {
		return nil, errors.New("function failed")
	}
	return out, nil
}
func (e *fakeEnv) UpdateRoutingBehavior(prio, adj int) error {
	e.routing = [2]int{prio, adj}
	return nil
}
func (e *fakeEnv) TransferToFlow(id string) (*Flow, Kind, error) {
	f, ok := e.flows[id]
	if !ok {
		return nil, "", errors.New("no such flow")
	}
	return f, KindContactFlow, nil
}
func (e *fakeEnv) InvokeModule(id string) (*Flow, error) {
	f, ok := e.modules[id]
	if !ok {
		return nil, errors.New("no such module")
	}
	return f, nil
}
func (e *fakeEnv) Wait(d time.Duration) bool {
	e.waited += d
	return e.stopAfter == 0 || e.waited < e.stopAfter
}
func (e *fakeEnv) Disconnect() { e.hungUp = true }
func (e *fakeEnv) Trace(Step)  { e.traced++ }

// inputEnv is a contact whose participant enters inputs in turn.
type inputEnv struct {
	*fakeEnv
	inputs []string
}

func (e *inputEnv) ParticipantInput(time.Duration) (string, bool) {
	if len(e.inputs) == 0 {
		return "", false
	}
	in := e.inputs[0]
	e.inputs = e.inputs[1:]
	return in, true
}

var _ Env = (*fakeEnv)(nil)
var _ InputSource = (*inputEnv)(nil)

func mustParse(t testing.TB, content string) *Flow {
	t.Helper()
	f, ps := Parse(content)
	if len(ps) > 0 {
		t.Fatalf("parse: %v", ps)
	}
	return f
}

// path lists the actions a run took, "flow:action" inside another flow.
func path(res Result) []string {
	var out []string
	for _, s := range res.Trace {
		if s.Flow != "" {
			out = append(out, s.Flow+":"+s.Action)
		} else {
			out = append(out, s.Action)
		}
	}
	return out
}

// Small pieces of flows.
const (
	ended = `{"Identifier":"ended","Type":"EndFlowExecution","Parameters":{},"Transitions":{}}`
	oops  = `{"Identifier":"oops","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}`
	// toEndOrOops goes on to end, or to oops on any error.
	toEndOrOops = `{"NextAction":"end","Errors":[{"NextAction":"oops","ErrorType":"NoMatchingError"}]}`
)

func compare(id, value, equals, next string) string {
	return act(id, "Compare", `{"ComparisonValue":"`+value+`"}`,
		`{"NextAction":"oops","Conditions":[{"NextAction":"`+next+`","Condition":{"Operator":"Equals","Operands":["`+equals+`"]}}]}`)
}

func hours(id string) string {
	return act("hours", "CheckHoursOfOperation", `{`+id+`}`, `{"NextAction":"oops","Conditions":[
		{"NextAction":"end","Condition":{"Operator":"Equals","Operands":["True"]}},
		{"NextAction":"ended","Condition":{"Operator":"Equals","Operands":["False"]}}],
		"Errors":[{"NextAction":"oops","ErrorType":"NoMatchingError"}]}`)
}

func TestRunActions(t *testing.T) {
	d3 := DefaultMessageDuration
	cases := []struct {
		name    string
		kind    Kind
		content string
		setup   func(*fakeEnv)
		input   []string // inputs of an InputSource; nil: the Env is not one
		outcome Outcome
		path    []string
		waited  time.Duration
		check   func(*testing.T, *fakeEnv, Result)
	}{
		{
			name: "UpdateContactAttributes sets static and referenced keys and values",
			content: doc("set",
				act("set", "UpdateContactAttributes", `{"Attributes":{"plain":"1","channel":"$.Channel","$.Attributes.keyName":"k","none":"$.External.x","queue":"$['Queue']['Name']"}}`, toEndOrOops),
				hangUp, oops),
			setup:   func(e *fakeEnv) { e.attrs["keyName"] = "dyn" },
			outcome: OutcomeDisconnected,
			path:    []string{"set", "end"},
			check: func(t *testing.T, e *fakeEnv, r Result) {
				want := map[string]string{"keyName": "dyn", "plain": "1", "channel": "VOICE", "dyn": "k", "none": "", "queue": "Sales"}
				if !reflect.DeepEqual(e.attrs, want) {
					t.Errorf("attributes %v, want %v", e.attrs, want)
				}
				if r.Trace[0].Detail != "channel,dyn,none,plain,queue" {
					t.Errorf("detail %q", r.Trace[0].Detail)
				}
			},
		},
		{
			name:    "UpdateContactAttributes of the related contact takes NoMatchingError",
			content: doc("set", act("set", "UpdateContactAttributes", `{"Attributes":{"a":"1"},"TargetContact":"Related"}`, toEndOrOops), hangUp, oops),
			outcome: OutcomeDisconnected,
			path:    []string{"set", "oops"},
		},
		{
			name:    "UpdateContactAttributes failing takes NoMatchingError",
			content: doc("set", act("set", "UpdateContactAttributes", `{"Attributes":{"a":"1"}}`, toEndOrOops), hangUp, oops),
			setup:   func(e *fakeEnv) { e.attrsErr = errors.New("too large") },
			outcome: OutcomeDisconnected,
			path:    []string{"set", "oops"},
		},
		{
			name:    "a user-defined attribute is compared through $.Attributes",
			content: doc("cmp", compare("cmp", "$.Attributes.tier", "gold", "end"), hangUp, oops),
			setup:   func(e *fakeEnv) { e.attrs["tier"] = "gold" },
			outcome: OutcomeDisconnected,
			path:    []string{"cmp", "end"},
			check: func(t *testing.T, _ *fakeEnv, r Result) {
				if s := r.Trace[0]; s.Result != "gold" || s.Branch != "Condition Equals gold" {
					t.Errorf("step %+v", s)
				}
			},
		},
		{
			name:    "Compare with no condition holding takes NoMatchingCondition",
			content: doc("cmp", act("cmp", "Compare", `{"ComparisonValue":"$.Channel"}`, `{"NextAction":"oops","Conditions":[{"NextAction":"oops","Condition":{"Operator":"Equals","Operands":["CHAT"]}}],"Errors":[{"NextAction":"end","ErrorType":"NoMatchingCondition"}]}`), hangUp, oops),
			outcome: OutcomeDisconnected,
			path:    []string{"cmp", "end"},
		},
		{
			name:    "Compare with no condition holding and no NoMatchingCondition takes NextAction",
			content: doc("cmp", compare("cmp", "literal", "other", "oops"), act("oops", "EndFlowExecution", `{}`, `{}`)),
			outcome: OutcomeEnded,
			path:    []string{"cmp", "oops"},
		},
		{
			name: "UpdateContactTargetQueue and TransferContactToQueue queue the contact",
			content: doc("target",
				act("target", "UpdateContactTargetQueue", `{"QueueId":"$.Attributes.q"}`, `{"NextAction":"xfer","Errors":[{"NextAction":"oops","ErrorType":"NoMatchingError"}]}`),
				act("xfer", "TransferContactToQueue", `{}`, `{"NextAction":"oops","Errors":[{"NextAction":"oops","ErrorType":"NoMatchingError"}]}`),
				oops),
			setup:   func(e *fakeEnv) { e.attrs["q"] = "q-1" },
			outcome: OutcomeQueued,
			path:    []string{"target", "xfer"},
			check: func(t *testing.T, e *fakeEnv, r Result) {
				if r.Queue != "queue q-1" {
					t.Errorf("queued in %q", r.Queue)
				}
			},
		},
		{
			name:    "UpdateContactTargetQueue with an agent sets the agent's queue",
			content: doc("target", act("target", "UpdateContactTargetQueue", `{"AgentId":"agent-1"}`, toEndOrOops), hangUp, oops),
			outcome: OutcomeDisconnected,
			path:    []string{"target", "end"},
			check: func(t *testing.T, e *fakeEnv, _ Result) {
				if e.target != "user agent-1" {
					t.Errorf("target %q", e.target)
				}
			},
		},
		{
			name:    "UpdateContactTargetQueue failing takes NoMatchingError",
			content: doc("target", act("target", "UpdateContactTargetQueue", `{"QueueId":"missing"}`, toEndOrOops), hangUp, oops),
			outcome: OutcomeDisconnected,
			path:    []string{"target", "oops"},
		},
		{
			name: "TransferContactToQueue at capacity takes QueueAtCapacity",
			content: doc("xfer",
				act("xfer", "TransferContactToQueue", `{"QueueId":"q-2"}`, `{"NextAction":"oops","Errors":[{"NextAction":"oops","ErrorType":"NoMatchingError"},{"NextAction":"end","ErrorType":"QueueAtCapacity"}]}`),
				hangUp, oops),
			setup:   func(e *fakeEnv) { e.queueErr = fmt.Errorf("queue q-2: %w", ErrQueueAtCapacity) },
			outcome: OutcomeDisconnected,
			path:    []string{"xfer", "end"},
			check: func(t *testing.T, _ *fakeEnv, r Result) {
				if s := r.Trace[0]; s.Branch != "Error QueueAtCapacity" || !strings.Contains(s.Reason, "QueueAtCapacity") {
					t.Errorf("step %+v", s)
				}
			},
		},
		{
			name:    "TransferContactToQueue at capacity without that branch takes NoMatchingError",
			content: doc("xfer", act("xfer", "TransferContactToQueue", `{}`, toEndOrOops), hangUp, oops),
			setup:   func(e *fakeEnv) { e.queueErr = ErrQueueAtCapacity },
			outcome: OutcomeDisconnected,
			path:    []string{"xfer", "oops"},
		},
		{
			name:    "CheckHoursOfOperation of the target queue in hours is True",
			content: doc("hours", hours(""), hangUp, oops, ended),
			outcome: OutcomeDisconnected,
			path:    []string{"hours", "end"},
		},
		{
			name:    "CheckHoursOfOperation out of hours is False",
			content: doc("hours", hours(`"HoursOfOperationId":"closed"`), hangUp, oops, ended),
			outcome: OutcomeEnded,
			path:    []string{"hours", "ended"},
		},
		{
			name:    "CheckHoursOfOperation failing takes NoMatchingError",
			content: doc("hours", hours(`"HoursOfOperationId":"$.Attributes.none"`), hangUp, oops, ended),
			setup:   func(e *fakeEnv) { delete(e.hours, "") },
			outcome: OutcomeDisconnected,
			path:    []string{"hours", "oops"},
		},
		{
			name: "CheckMetricData compares the metric as a number",
			content: doc("m", act("m", "CheckMetricData", `{"MetricType":"NumberOfAgentsAvailable"}`,
				`{"NextAction":"oops","Conditions":[{"NextAction":"end","Condition":{"Operator":"NumberGreaterThan","Operands":["0"]}}],"Errors":[{"NextAction":"oops","ErrorType":"NoMatchingError"}]}`),
				hangUp, oops),
			setup:   func(e *fakeEnv) { e.metrics = map[string]int64{"NumberOfAgentsAvailable": 2} },
			outcome: OutcomeDisconnected,
			path:    []string{"m", "end"},
		},
		{
			name:    "UpdateContactRoutingBehavior sets the priority",
			content: doc("r", act("r", "UpdateContactRoutingBehavior", `{"QueuePriority":"2"}`, toEnd), hangUp),
			outcome: OutcomeDisconnected,
			path:    []string{"r", "end"},
			check: func(t *testing.T, e *fakeEnv, _ Result) {
				if e.routing != [2]int{2, 0} {
					t.Errorf("routing %v", e.routing)
				}
			},
		},
		{
			name:    "UpdateContactRoutingBehavior with a bad priority and no error branch ends the run",
			content: doc("r", act("r", "UpdateContactRoutingBehavior", `{"QueuePriority":0}`, toEnd), hangUp),
			outcome: OutcomeError,
			path:    []string{"r"},
		},
		{
			name: "InvokeLambdaFunction's answer is $.External",
			content: doc("fn",
				act("fn", "InvokeLambdaFunction", `{"LambdaFunctionARN":"arn:fn","InvocationTimeLimitSeconds":"8","LambdaInvocationAttributes":{"id":"$.ContactId","n":3}}`, `{"NextAction":"cmp","Errors":[{"NextAction":"oops","ErrorType":"NoMatchingError"}]}`),
				compare("cmp", "$.External.tier", "gold", "end"), hangUp, oops),
			setup:   func(e *fakeEnv) { e.lambdas = map[string]map[string]string{"arn:fn": {"tier": "gold"}} },
			outcome: OutcomeDisconnected,
			path:    []string{"fn", "cmp", "end"},
			check: func(t *testing.T, e *fakeEnv, _ Result) {
				if want := map[string]string{"id": "c-1", "n": "3"}; !reflect.DeepEqual(e.params, want) || e.timeLimit != 8*time.Second {
					t.Errorf("invoked with %v within %v", e.params, e.timeLimit)
				}
			},
		},
		{
			name: "InvokeLambdaFunction failing takes NoMatchingError and keeps the last answer",
			content: doc("fn1",
				act("fn1", "InvokeLambdaFunction", `{"LambdaFunctionARN":"arn:ok","InvocationTimeLimitSeconds":8}`, `{"NextAction":"fn2"}`),
				act("fn2", "InvokeLambdaFunction", `{"LambdaFunctionARN":"arn:broken","InvocationTimeLimitSeconds":8}`, `{"NextAction":"oops","Errors":[{"NextAction":"cmp","ErrorType":"NoMatchingError"}]}`),
				compare("cmp", "$.External.v", "1", "end"), hangUp, oops),
			setup:   func(e *fakeEnv) { e.lambdas = map[string]map[string]string{"arn:ok": {"v": "1"}} },
			outcome: OutcomeDisconnected,
			path:    []string{"fn1", "fn2", "cmp", "end"},
		},
		{
			name: "MessageParticipant plays references and takes the message duration plus SSML breaks",
			content: doc("m1",
				act("m1", "MessageParticipant", `{"Text":"Hello $.Attributes.name, you called $.Queue.Name."}`, `{"NextAction":"m2"}`),
				act("m2", "MessageParticipant", `{"SSML":"<speak>Hold on<break time=\"1500ms\"/></speak>"}`, toEnd),
				hangUp),
			setup:   func(e *fakeEnv) { e.attrs["name"] = "Ann" },
			outcome: OutcomeDisconnected,
			path:    []string{"m1", "m2", "end"},
			waited:  2*d3 + 1500*time.Millisecond,
			check: func(t *testing.T, _ *fakeEnv, r Result) {
				if got := r.Trace[0].Detail; got != "Hello Ann, you called Sales." {
					t.Errorf("played %q", got)
				}
			},
		},
		{
			name: "MessageParticipantIteratively is interrupted after InterruptFrequencySeconds",
			kind: KindCustomerQueue,
			content: doc("loop",
				act("loop", "MessageParticipantIteratively", `{"Messages":[{"Text":"a"},{"PromptId":"p-1"}],"InterruptFrequencySeconds":"10"}`,
					`{"NextAction":"oops","Conditions":[{"NextAction":"end","Condition":{"Operator":"Equals","Operands":["MessagesInterrupted"]}}]}`),
				hangUp, oops),
			outcome: OutcomeDisconnected,
			path:    []string{"loop", "end"},
			waited:  10 * time.Second,
		},
		{
			name:    "MessageParticipantIteratively plays until the contact leaves",
			kind:    KindCustomerQueue,
			content: doc("loop", act("loop", "MessageParticipantIteratively", `{"Messages":[{"Text":"a"}]}`, toEnd), hangUp),
			setup:   func(e *fakeEnv) { e.stopAfter = 30 * time.Second },
			outcome: OutcomeStopped,
			path:    []string{"loop"},
			waited:  30 * time.Second,
		},
		{
			name:    "MessageParticipantIteratively on chat takes the error branch",
			kind:    KindCustomerQueue,
			content: doc("loop", act("loop", "MessageParticipantIteratively", `{"Messages":[{"Text":"a"}]}`, `{"NextAction":"oops","Errors":[{"NextAction":"end","ErrorType":"NoMatchingError"}]}`), hangUp, oops),
			setup:   func(e *fakeEnv) { e.system["Channel"] = "CHAT" },
			outcome: OutcomeDisconnected,
			path:    []string{"loop", "end"},
		},
		{
			name: "GetParticipantInput with no input source times out to InputTimeLimitExceeded",
			content: doc("in", act("in", "GetParticipantInput", `{"Text":"Press 1","InputTimeLimitSeconds":"5","StoreInput":"False"}`,
				`{"NextAction":"oops","Errors":[{"NextAction":"oops","ErrorType":"NoMatchingError"},{"NextAction":"end","ErrorType":"InputTimeLimitExceeded"}]}`),
				hangUp, oops),
			outcome: OutcomeDisconnected,
			path:    []string{"in", "end"},
			waited:  d3 + 5*time.Second,
		},
		{
			name:    "GetParticipantInput with no input source and no timeout branch takes NoMatchingError",
			content: doc("in", act("in", "GetParticipantInput", `{"InputTimeLimitSeconds":5,"StoreInput":"False"}`, `{"NextAction":"oops","Errors":[{"NextAction":"end","ErrorType":"NoMatchingError"}]}`), hangUp, oops),
			outcome: OutcomeDisconnected,
			path:    []string{"in", "end"},
			waited:  5 * time.Second,
		},
		{
			name: "GetParticipantInput branches on the digit entered",
			content: doc("in", act("in", "GetParticipantInput", `{"Text":"Press 1 or 2","InputTimeLimitSeconds":5,"StoreInput":"False"}`,
				`{"NextAction":"oops","Conditions":[{"NextAction":"oops","Condition":{"Operator":"Equals","Operands":["1"]}},{"NextAction":"end","Condition":{"Operator":"Equals","Operands":["2"]}}],"Errors":[{"NextAction":"oops","ErrorType":"NoMatchingError"}]}`),
				hangUp, oops),
			input:   []string{"2"},
			outcome: OutcomeDisconnected,
			path:    []string{"in", "end"},
			waited:  d3,
		},
		{
			name: "GetParticipantInput storing input makes it $.StoredCustomerInput",
			content: doc("in",
				act("in", "GetParticipantInput", `{"InputTimeLimitSeconds":5,"StoreInput":"True"}`, `{"NextAction":"cmp","Errors":[{"NextAction":"oops","ErrorType":"NoMatchingError"}]}`),
				compare("cmp", "$.StoredCustomerInput", "12345", "end"), hangUp, oops),
			input:   []string{"12345"},
			outcome: OutcomeDisconnected,
			path:    []string{"in", "cmp", "end"},
		},
		{
			name: "Wait waits TimeoutSeconds and completes",
			content: doc("w", act("w", "Wait", `{"TimeoutSeconds":"$.Attributes.secs"}`,
				`{"NextAction":"oops","Conditions":[{"NextAction":"end","Condition":{"Operator":"Equals","Operands":["WaitCompleted"]}}],"Errors":[{"NextAction":"oops","ErrorType":"NoMatchingError"}]}`),
				hangUp, oops),
			setup:   func(e *fakeEnv) { e.attrs["secs"] = "120" },
			outcome: OutcomeDisconnected,
			path:    []string{"w", "end"},
			waited:  2 * time.Minute,
		},
		{
			name:    "Wait cut short by the Env stops the run",
			content: doc("w", act("w", "Wait", `{"TimeoutSeconds":600}`, toEnd), hangUp),
			setup:   func(e *fakeEnv) { e.stopAfter = time.Second },
			outcome: OutcomeStopped,
			path:    []string{"w"},
			waited:  10 * time.Minute,
		},
		{
			name: "Loop continues LoopCount times, then is done and resets",
			content: doc("loop",
				act("loop", "Loop", `{"LoopCount":"2"}`, `{"Conditions":[
					{"NextAction":"say","Condition":{"Operator":"Equals","Operands":["ContinueLooping"]}},
					{"NextAction":"again","Condition":{"Operator":"Equals","Operands":["DoneLooping"]}}]}`),
				say("say", "loop"),
				compare("again", "$.Attributes.round", "", "mark"),
				act("mark", "UpdateContactAttributes", `{"Attributes":{"round":"2"}}`, `{"NextAction":"loop"}`),
				act("oops", "EndFlowExecution", `{}`, `{}`)),
			outcome: OutcomeEnded,
			path:    []string{"loop", "say", "loop", "say", "loop", "again", "mark", "loop", "say", "loop", "say", "loop", "again", "oops"},
			waited:  4 * d3,
		},
		{
			name: "LoopCount 0 is done at once",
			content: doc("loop", act("loop", "Loop", `{"LoopCount":0}`, `{"Conditions":[
					{"NextAction":"oops","Condition":{"Operator":"Equals","Operands":["ContinueLooping"]}},
					{"NextAction":"end","Condition":{"Operator":"Equals","Operands":["DoneLooping"]}}]}`), hangUp, oops),
			outcome: OutcomeDisconnected,
			path:    []string{"loop", "end"},
		},
		{
			name:    "an action with no effect on the engine goes on to NextAction",
			content: doc("log", act("log", "UpdateFlowLoggingBehavior", `{"FlowLoggingBehavior":"Enabled"}`, toEnd), hangUp),
			outcome: OutcomeDisconnected,
			path:    []string{"log", "end"},
		},
		{
			name:    "an action the interpreter does not run takes NoMatchingError",
			content: doc("pct", act("pct", "CreateTask", `{}`, toEndOrOops), hangUp, oops),
			outcome: OutcomeDisconnected,
			path:    []string{"pct", "oops"},
			check: func(t *testing.T, _ *fakeEnv, r Result) {
				if !strings.Contains(r.Trace[0].Reason, "not run by") {
					t.Errorf("reason %q", r.Trace[0].Reason)
				}
			},
		},
		{
			name:    "an action the interpreter does not run, without an error branch, ends the run",
			content: doc("pct", act("pct", "DistributeByPercentage", `{}`, toEnd), hangUp),
			outcome: OutcomeError,
			path:    []string{"pct"},
		},
		{
			name:    "an action not available in the flow's type takes NoMatchingError",
			kind:    KindCustomerQueue,
			content: doc("xfer", act("xfer", "TransferContactToQueue", `{}`, toEndOrOops), act("end", "EndFlowExecution", `{}`, `{}`), oops),
			outcome: OutcomeDisconnected,
			path:    []string{"xfer", "oops"},
		},
		{
			name:    "a NextAction naming no action ends the run",
			content: doc("m", say("m", "nowhere")),
			outcome: OutcomeError,
			path:    []string{"m"},
			waited:  d3,
		},
		{
			name:    "a StartAction naming no action ends the run",
			content: doc("nowhere", hangUp),
			outcome: OutcomeError,
		},
		{
			name:    "TransferContactToAgent ends the run",
			kind:    KindAgentTransfer,
			content: doc("a", act("a", "TransferContactToAgent", `{}`, `{}`)),
			outcome: OutcomeTransferredToAgent,
			path:    []string{"a"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv()
			if c.setup != nil {
				c.setup(e)
			}
			var env Env = e
			if c.input != nil {
				env = &inputEnv{e, c.input}
			}
			kind := c.kind
			if kind == "" {
				kind = KindContactFlow
			}
			res := Run(mustParse(t, c.content), kind, env, RunOptions{})
			if res.Outcome != c.outcome {
				t.Errorf("outcome %s (%s), want %s", res.Outcome, res.Reason, c.outcome)
			}
			if got := path(res); !reflect.DeepEqual(got, c.path) {
				t.Errorf("path %q, want %q", got, c.path)
			}
			if res.Waited != c.waited || e.waited != c.waited {
				t.Errorf("waited %v (Env %v), want %v", res.Waited, e.waited, c.waited)
			}
			if e.traced != len(res.Trace) {
				t.Errorf("Env traced %d steps of %d", e.traced, len(res.Trace))
			}
			if (res.Outcome == OutcomeDisconnected) != e.hungUp {
				t.Errorf("outcome %s, Env disconnected: %v", res.Outcome, e.hungUp)
			}
			if c.check != nil {
				c.check(t, e, res)
			}
		})
	}
}

func TestRunStepLimit(t *testing.T) {
	loop := doc("a", say("a", "b"), say("b", "a"))
	res := Run(mustParse(t, loop), KindContactFlow, newEnv(), RunOptions{MaxSteps: 10})
	if res.Outcome != OutcomeStepLimit || res.Steps != 10 || len(res.Trace) != 10 || res.Waited != 10*DefaultMessageDuration {
		t.Errorf("got %s after %d steps (%d traced), waited %v", res.Outcome, res.Steps, len(res.Trace), res.Waited)
	}
	res = Run(mustParse(t, loop), KindContactFlow, newEnv(), RunOptions{})
	if res.Outcome != OutcomeStepLimit || res.Steps != DefaultMaxSteps {
		t.Errorf("default limit: %s after %d steps", res.Outcome, res.Steps)
	}

	// Messages played again and again count as steps too.
	iter := doc("loop", act("loop", "MessageParticipantIteratively", `{"Messages":[{"Text":"a"}]}`, toEnd), hangUp)
	res = Run(mustParse(t, iter), KindCustomerQueue, newEnv(), RunOptions{MaxSteps: 5, MessageDuration: time.Second})
	if res.Outcome != OutcomeStepLimit || res.Steps != 5 || res.Waited != 5*time.Second {
		t.Errorf("iterative messages: %s after %d steps, waited %v", res.Outcome, res.Steps, res.Waited)
	}
}

func TestRunModules(t *testing.T) {
	module := mustParse(t, doc("m-set",
		act("m-set", "UpdateContactAttributes", `{"Attributes":{"inModule":"yes"}}`, `{"NextAction":"m-hours"}`),
		act("m-hours", "CheckHoursOfOperation", `{}`, `{"Conditions":[
			{"NextAction":"m-return","Condition":{"Operator":"Equals","Operands":["True"]}},
			{"NextAction":"m-hangup","Condition":{"Operator":"Equals","Operands":["False"]}}]}`),
		act("m-return", "EndFlowModuleExecution", `{}`, `{}`),
		act("m-hangup", "DisconnectParticipant", `{}`, `{}`)))
	main := doc("invoke",
		act("invoke", "InvokeFlowModule", `{"FlowModuleId":"$.Attributes.module"}`, `{"NextAction":"after","Errors":[{"NextAction":"oops","ErrorType":"NoMatchingError"}]}`),
		compare("after", "$.Attributes.inModule", "yes", "end"), hangUp, oops)

	cases := []struct {
		name    string
		setup   func(*fakeEnv)
		outcome Outcome
		path    []string
	}{
		{"the module returns to the invoking action's NextAction", func(*fakeEnv) {}, OutcomeDisconnected,
			[]string{"invoke", "mod-1:m-set", "mod-1:m-hours", "mod-1:m-return", "after", "end"}},
		{"a module disconnecting ends the run", func(e *fakeEnv) { e.hours[""] = false }, OutcomeDisconnected,
			[]string{"invoke", "mod-1:m-set", "mod-1:m-hours", "mod-1:m-hangup"}},
		{"a module that cannot be found takes NoMatchingError", func(e *fakeEnv) { e.modules = nil }, OutcomeDisconnected,
			[]string{"invoke", "oops"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv()
			e.attrs["module"] = "mod-1"
			e.modules = map[string]*Flow{"mod-1": module}
			c.setup(e)
			res := Run(mustParse(t, main), KindContactFlow, e, RunOptions{})
			if res.Outcome != c.outcome || !reflect.DeepEqual(path(res), c.path) {
				t.Errorf("%s (%s) by %q, want %s by %q", res.Outcome, res.Reason, path(res), c.outcome, c.path)
			}
		})
	}

	// Run on its own, a module ends at EndFlowModuleExecution.
	res := Run(module, Module, newEnv(), RunOptions{})
	if res.Outcome != OutcomeEnded {
		t.Errorf("a module run on its own: %s (%s)", res.Outcome, res.Reason)
	}
	// A module may not invoke a module ("Modules do not allow invoking
	// another module").
	nested := mustParse(t, doc("invoke", act("invoke", "InvokeFlowModule", `{"FlowModuleId":"mod-1"}`, toEndOrOops), hangUp, oops))
	e := newEnv()
	e.modules = map[string]*Flow{"mod-1": module}
	if res := Run(nested, Module, e, RunOptions{}); !reflect.DeepEqual(path(res), []string{"invoke", "oops"}) {
		t.Errorf("a module invoking a module: %q", path(res))
	}
}

func TestRunTransferToFlow(t *testing.T) {
	// Both flows have an action "loop": each keeps its own counter.
	other := mustParse(t, doc("loop",
		act("loop", "Loop", `{"LoopCount":1}`, `{"Conditions":[
			{"NextAction":"loop","Condition":{"Operator":"Equals","Operands":["ContinueLooping"]}},
			{"NextAction":"end","Condition":{"Operator":"Equals","Operands":["DoneLooping"]}}]}`),
		hangUp))
	main := mustParse(t, doc("loop",
		act("loop", "Loop", `{"LoopCount":1}`, `{"Conditions":[
			{"NextAction":"go","Condition":{"Operator":"Equals","Operands":["ContinueLooping"]}},
			{"NextAction":"oops","Condition":{"Operator":"Equals","Operands":["DoneLooping"]}}]}`),
		act("go", "TransferToFlow", `{"ContactFlowId":"flow-2"}`, toEndOrOops), hangUp, oops))
	e := newEnv()
	e.flows = map[string]*Flow{"flow-2": other}
	res := Run(main, KindContactFlow, e, RunOptions{})
	want := []string{"loop", "go", "flow-2:loop", "flow-2:loop", "flow-2:end"}
	if res.Outcome != OutcomeDisconnected || !reflect.DeepEqual(path(res), want) || res.Flow != "flow-2" {
		t.Errorf("%s in %q by %q, want Disconnected in flow-2 by %q", res.Outcome, res.Flow, path(res), want)
	}

	e = newEnv()
	if res := Run(main, KindContactFlow, e, RunOptions{}); !reflect.DeepEqual(path(res), []string{"loop", "go", "oops"}) {
		t.Errorf("a flow that cannot be found: %q", path(res))
	}
}

func TestConditionHolds(t *testing.T) {
	cases := []struct {
		op, operand, result string
		want                bool
	}{
		{"Equals", "True", "True", true},
		{"Equals", "true", "True", false},
		{"Equals", "", "", true},
		{"TextStartsWith", "AB", "ABC", true},
		{"TextStartsWith", "BC", "ABC", false},
		{"TextEndsWith", "BC", "ABC", true},
		{"TextContains", "B", "ABC", true},
		{"TextContains", "D", "ABC", false},
		{"NumberGreaterThan", "3", "10", true},
		{"NumberGreaterThan", "10", "10", false},
		{"NumberGreaterOrEqualTo", "10", "10.0", true},
		{"NumberLessThan", "-1", "-2.5", true},
		{"NumberLessOrEqualTo", "1e3", "1000", true},
		{"NumberLessThan", "5", "abc", false},
		{"NumberLessThan", "abc", "1", false},
		{"NumberGreaterThan", "0", "0x10", false},
		{"NumberGreaterThan", "0", "Inf", false},
		{"NumberGreaterOrEqualTo", "0", "", false},
		{"Unknown", "a", "a", false},
	}
	for _, c := range cases {
		var cond Condition
		cond.Condition.Operator, cond.Condition.Operands = c.op, []string{c.operand}
		if got := cond.Holds(c.result); got != c.want {
			t.Errorf("%q %s %q: %v, want %v", c.result, c.op, c.operand, got, c.want)
		}
	}
	var two Condition
	two.Condition.Operator, two.Condition.Operands = "Equals", []string{"a", "a"}
	if two.Holds("a") {
		t.Error("a condition with two operands holds")
	}
}

func TestReferences(t *testing.T) {
	refs := []struct {
		in   string
		segs []string
	}{
		{"$.Channel", []string{"Channel"}},
		{"$.Queue.ARN", []string{"Queue", "ARN"}},
		{"$['AwsRegion']", []string{"AwsRegion"}},
		{`$.Attributes["my key"]`, []string{"Attributes", "my key"}},
		{"$.Attributes.a-b_c", []string{"Attributes", "a-b_c"}},
		{"$.", nil},
		{"$.a b", nil},
		{"$..a", nil},
		{"plain", nil},
		{"$.Attributes[x]", nil},
	}
	for _, c := range refs {
		segs, ok := parseRef(c.in)
		if ok != (c.segs != nil) || !reflect.DeepEqual(segs, c.segs) {
			t.Errorf("parseRef(%q) = %q, %v; want %q", c.in, segs, ok, c.segs)
		}
	}

	e := newEnv()
	e.attrs["first"] = "Ann"
	r := &run{env: e, external: map[string]string{"Last": "Lee"}}
	texts := map[string]string{
		"Hello $.Attributes.first $.External.Last.":  "Hello Ann Lee.",
		"Queue $.Queue.Name, contact $.ContactId":    "Queue Sales, contact c-1",
		"Unknown [$.Attributes.nobody] and $. and $": "Unknown [] and $. and $",
		"No references": "No references",
	}
	for in, want := range texts {
		if got := r.interpolate(in); got != want {
			t.Errorf("interpolate(%q) = %q, want %q", in, got, want)
		}
	}
	values := map[string]string{"$.Attributes.first": "Ann", "$.External.Last": "Lee", "literal": "literal", "$.Attributes": "", "$ x": "$ x"}
	for in, want := range values {
		if got := r.value(in); got != want {
			t.Errorf("value(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRunDefaultFlows runs every default flow with a contact an agent
// answers (or takes off hold) after five minutes.
func TestRunDefaultFlows(t *testing.T) {
	want := map[string]Outcome{
		"Default agent hold":       OutcomeStopped,
		"Default agent transfer":   OutcomeTransferredToAgent,
		"Default agent whisper":    OutcomeEnded,
		"Default customer hold":    OutcomeStopped,
		"Default customer queue":   OutcomeStopped,
		"Default customer whisper": OutcomeEnded,
		"Default outbound":         OutcomeEnded,
		"Default queue transfer":   OutcomeQueued,
	}
	for _, d := range Defaults {
		t.Run(d.Name, func(t *testing.T) {
			e := newEnv()
			e.target = "queue q-1"
			e.metrics = map[string]int64{"NumberOfAgentsAvailable": 1}
			e.stopAfter = 5 * time.Minute
			res := Run(mustParse(t, d.Content), d.Type, e, RunOptions{})
			if res.Outcome != want[d.Name] {
				t.Errorf("%s (%s) by %q, want %s", res.Outcome, res.Reason, path(res), want[d.Name])
			}
			for _, s := range res.Trace {
				if strings.HasPrefix(s.Branch, "Error") {
					t.Errorf("step %q took %s: %s", s.Action, s.Branch, s.Reason)
				}
			}
		})
	}
	// Out of hours, the default queue transfer says so and hangs up.
	e := newEnv()
	e.hours[""] = false
	var qt DefaultFlow
	for _, d := range Defaults {
		if d.Type == KindQueueTransfer {
			qt = d
		}
	}
	res := Run(mustParse(t, qt.Content), qt.Type, e, RunOptions{})
	if res.Outcome != OutcomeDisconnected || !reflect.DeepEqual(path(res), []string{"check-hours", "unavailable", "disconnect"}) {
		t.Errorf("queue transfer out of hours: %s by %q", res.Outcome, path(res))
	}
}

// BenchmarkRun250Actions runs a 250-action flow (bench_test.go's
// buildFlow: messages, Compare, InvokeLambdaFunction,
// UpdateContactTargetQueue, UpdateContactAttributes) from start to
// DisconnectParticipant: "bare" with one attribute per
// UpdateContactAttributes, "largest" padded with attributes to Connect's
// 256,000-character limit.
func BenchmarkRun250Actions(b *testing.B) {
	e := newEnv()
	e.lambdas = map[string]map[string]string{}
	for i := range MaxActions {
		e.lambdas[fmt.Sprintf("arn:aws:lambda:us-east-1:111122223333:function:step-%d", i)] = map[string]string{"ok": "1"}
	}
	for _, c := range []struct {
		name    string
		content string
	}{{"bare", buildFlow(60)}, {"largest", largestFlow()}} {
		b.Run(c.name, func(b *testing.B) {
			f := mustParse(b, c.content)
			res := Run(f, KindContactFlow, e, RunOptions{})
			if res.Outcome != OutcomeDisconnected || res.Steps != MaxActions {
				b.Fatalf("%s (%s) after %d steps", res.Outcome, res.Reason, res.Steps)
			}
			b.ReportAllocs()
			for b.Loop() {
				Run(f, KindContactFlow, e, RunOptions{})
			}
		})
	}
}
