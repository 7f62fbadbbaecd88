package flow

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// doc builds a flow-language document starting at start with the given
// actions (JSON objects).
func doc(start string, actions ...string) string {
	return `{"Version":"2019-10-30","StartAction":"` + start + `","Actions":[` + strings.Join(actions, ",") + `]}`
}

// act builds an action; transitions and params are JSON objects.
func act(id, typ, params, transitions string) string {
	return fmt.Sprintf(`{"Identifier":%q,"Type":%q,"Parameters":%s,"Transitions":%s}`, id, typ, params, transitions)
}

const (
	hangUp = `{"Identifier":"end","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}`
	toEnd  = `{"NextAction":"end"}`
)

func say(id, next string) string {
	return act(id, "MessageParticipant", `{"Text":"hi"}`, `{"NextAction":"`+next+`"}`)
}

// fakeResolver knows the resources in have; it cannot check prompts.
type fakeResolver map[Resource][]string

func (f fakeResolver) Exists(r Resource, v string) (bool, bool) {
	if r == Prompt {
		return false, false
	}
	for _, x := range f[r] {
		if x == v {
			return true, true
		}
	}
	return false, true
}

func TestValidateReportsEveryProblem(t *testing.T) {
	manyActions := make([]string, MaxActions+1)
	for i := range manyActions {
		manyActions[i] = say(fmt.Sprint("m", i), "end")
	}
	manyActions[MaxActions] = hangUp
	long := strings.Repeat("é", MaxContentLength)

	cases := []struct {
		name    string
		kind    Kind
		r       Resolver
		content string
		want    []string
	}{
		{"valid", KindContactFlow, nil, doc("a", say("a", "end"), hangUp), nil},
		{"not JSON", KindContactFlow, nil, `{"Version":`,
			[]string{"Content is not valid JSON: unexpected end of JSON input (at offset 11)"}},
		{"trailing garbage", KindContactFlow, nil, `{} x`,
			[]string{"Content is not valid JSON: invalid character 'x' after top-level value (at offset 3)"}},
		{"not an object", KindContactFlow, nil, `["a"]`,
			[]string{"Content must be a JSON object, not an array"}},
		{"unknown flow type", "FOO", nil, doc("a", say("a", "end"), hangUp),
			[]string{`Flow type "FOO" is not one of CONTACT_FLOW, CUSTOMER_QUEUE, CUSTOMER_HOLD, CUSTOMER_WHISPER, AGENT_HOLD, AGENT_WHISPER, OUTBOUND_WHISPER, AGENT_TRANSFER, QUEUE_TRANSFER, CAMPAIGN, MODULE`}},
		{"version wrong", KindContactFlow, nil,
			strings.Replace(doc("a", say("a", "end"), hangUp), "2019-10-30", "2020-01-01", 1),
			[]string{`Version must be "2019-10-30", not "2020-01-01"`}},
		{"version missing", KindContactFlow, nil, `{"StartAction":"end","Actions":[` + hangUp + `]}`,
			[]string{"Version is missing"}},
		{"members mistyped", KindContactFlow, nil, `{"Version":1,"StartAction":["end"],"Metadata":[],"Actions":{}}`,
			[]string{"Version must be a string, not a number", "StartAction must be a string, not an array",
				"Metadata must be an object, not an array", "Actions must be an array, not an object"}},
		{"start missing", KindContactFlow, nil, `{"Version":"2019-10-30","Actions":[` + hangUp + `]}`,
			[]string{"StartAction is missing"}},
		{"start empty", KindContactFlow, nil, doc("", hangUp), []string{"StartAction is empty"}},
		{"start names nothing", KindContactFlow, nil, doc("nope", hangUp),
			[]string{`StartAction names no action: "nope"`}},
		{"actions missing", KindContactFlow, nil, `{"Version":"2019-10-30","StartAction":"a"}`,
			[]string{"Actions is missing"}},
		{"actions empty", KindContactFlow, nil, doc("a"), []string{"Actions is empty"}},
		{"too many actions", KindContactFlow, nil, doc("m0", manyActions...),
			[]string{"Actions has 251 actions; at most 250 are allowed"}},
		{"content too long", KindContactFlow, nil,
			doc("a", act("a", "MessageParticipant", `{"Text":"`+long+`"}`, toEnd), hangUp),
			[]string{fmt.Sprintf("Content is %d characters long; at most 256000 are allowed", MaxContentLength+len(doc("a", act("a", "MessageParticipant", `{"Text":""}`, toEnd), hangUp)))}},
		{"action not an object", KindContactFlow, nil, doc("end", hangUp, `7`),
			[]string{"Actions[1] must be an object, not a number"}},
		{"identifier missing", KindContactFlow, nil, doc("end", hangUp, `{"Type":"DisconnectParticipant","Transitions":{}}`),
			[]string{"Actions[1]: Identifier is missing"}},
		{"identifier empty", KindContactFlow, nil, doc("end", hangUp, act("", "DisconnectParticipant", `{}`, `{}`)),
			[]string{"Actions[1]: Identifier is empty"}},
		{"identifier mistyped", KindContactFlow, nil, doc("end", hangUp, `{"Identifier":5,"Type":"DisconnectParticipant"}`),
			[]string{"Actions[1]: Identifier must be a string, not a number"}},
		{"identifier too long", KindContactFlow, nil, doc("end", hangUp, act(strings.Repeat("x", 51), "DisconnectParticipant", `{}`, `{}`)),
			[]string{`Action "` + strings.Repeat("x", 51) + `": Identifier is longer than 50 characters`}},
		{"identifier of 50 characters", KindContactFlow, nil, doc("end", hangUp, act(strings.Repeat("é", 50), "DisconnectParticipant", `{}`, `{}`)), nil},
		{"identifier forbidden character", KindContactFlow, nil, doc("end", hangUp, act("a/b", "DisconnectParticipant", `{}`, `{}`)),
			[]string{`Action "a/b": Identifier may not contain any of the characters %:(\/)=$,;[]{}`}},
		{"identifier forbidden name", KindContactFlow, nil, doc("end", hangUp, act("constructor", "DisconnectParticipant", `{}`, `{}`)),
			[]string{`Action "constructor": Identifier may not be "constructor"`}},
		{"identifier not unique", KindContactFlow, nil, doc("end", hangUp, say("x", "end"), say("x", "end")),
			[]string{`Action "x": Identifier is not unique (Actions[1] and Actions[2])`}},
		{"next action names nothing", KindContactFlow, nil, doc("a", say("a", "nowhere"), hangUp),
			[]string{`Action "a": Transitions.NextAction names no action: "nowhere"`}},
		{"error next action names nothing", KindContactFlow, nil,
			doc("a", act("a", "MessageParticipant", `{"Text":"hi"}`, `{"NextAction":"end","Errors":[{"NextAction":"gone","ErrorType":"NoMatchingError"},{"ErrorType":"NoMatchingError"}]}`), hangUp),
			[]string{`Action "a": Transitions.Errors[0].NextAction names no action: "gone"`, `Action "a": Transitions.Errors[1].NextAction is missing`}},
		{"condition next action names nothing", KindContactFlow, nil,
			doc("a", act("a", "Compare", `{"ComparisonValue":"$.Channel"}`, `{"NextAction":"end","Conditions":[{"NextAction":"gone","Condition":{"Operator":"Equals","Operands":["VOICE"]}}]}`), hangUp),
			[]string{`Action "a": Transitions.Conditions[0].NextAction names no action: "gone"`}},
		{"terminal action with transitions", KindContactFlow, nil,
			doc("a", say("a", "end"), act("end", "DisconnectParticipant", `{}`, `{"NextAction":"a","Errors":[{"NextAction":"a","ErrorType":"NoMatchingError"}]}`)),
			[]string{`Action "end": DisconnectParticipant ends the flow and cannot have Transitions.NextAction`,
				`Action "end": DisconnectParticipant ends the flow and cannot have Transitions.Errors`}},
		{"type unknown", KindContactFlow, nil, doc("a", act("a", "PlayPrompt", `{}`, toEnd), hangUp),
			[]string{`Action "a": Type "PlayPrompt" is not a known action type`}},
		{"type missing", KindContactFlow, nil, doc("a", `{"Identifier":"a","Transitions":{"NextAction":"end"}}`, hangUp),
			[]string{`Action "a": Type is missing`}},
		{"type not in this kind", KindCustomerQueue, nil,
			doc("a", act("a", "TransferContactToQueue", `{}`, toEnd), act("end", "EndFlowExecution", `{}`, `{}`)),
			[]string{`Action "a": Type "TransferContactToQueue" is not supported in CUSTOMER_QUEUE flows`}},
		{"module invokes a module", Module, nil,
			doc("a", act("a", "InvokeFlowModule", `{"FlowModuleId":"m"}`, toEnd), hangUp),
			[]string{`Action "a": Type "InvokeFlowModule" is not supported in flow modules`}},
		{"return only in modules", KindContactFlow, nil, doc("end", act("end", "EndFlowModuleExecution", `{}`, `{}`)),
			[]string{`Action "end": Type "EndFlowModuleExecution" is not supported in CONTACT_FLOW flows`}},
		{"required parameter missing", KindContactFlow, nil,
			doc("a", act("a", "UpdateContactAttributes", `{}`, toEnd), hangUp),
			[]string{`Action "a": Parameters.Attributes is missing (UpdateContactAttributes requires it)`}},
		{"parameters absent", KindContactFlow, nil,
			doc("a", `{"Identifier":"a","Type":"TransferToFlow","Transitions":{"NextAction":"end"}}`, hangUp),
			[]string{`Action "a": Parameters.ContactFlowId is missing (TransferToFlow requires it)`}},
		{"parameter of the wrong type", KindContactFlow, nil,
			doc("a", act("a", "UpdateContactAttributes", `{"Attributes":"x"}`, toEnd), hangUp),
			[]string{`Action "a": Parameters.Attributes must be an object, not a string`}},
		{"parameter not in its enum", KindContactFlow, nil,
			doc("a", act("a", "UpdateFlowLoggingBehavior", `{"FlowLoggingBehavior":"On"}`, toEnd), hangUp),
			[]string{`Action "a": Parameters.FlowLoggingBehavior must be one of "Enabled", "Disabled", not "On"`}},
		{"parameter not an integer", KindContactFlow, nil,
			doc("a", act("a", "InvokeLambdaFunction", `{"LambdaFunctionARN":"arn:aws:lambda:us-east-1:111122223333:function:f","InvocationTimeLimitSeconds":"soon"}`, toEnd), hangUp),
			[]string{`Action "a": Parameters.InvocationTimeLimitSeconds must be an integer, not "soon"`}},
		{"parameter must be dynamic", KindContactFlow, nil,
			doc("a", act("a", "UpdateContactCallbackNumber", `{"CallbackNumber":"+15555550100"}`, toEnd), hangUp),
			[]string{`Action "a": Parameters.CallbackNumber must be a JSONPath reference ($.…), not a static value`}},
		{"parameters exclusive", KindContactFlow, nil,
			doc("a", act("a", "MessageParticipant", `{"Text":"hi","SSML":"<speak>hi</speak>"}`, toEnd), hangUp),
			[]string{`Action "a": only one of Parameters.Text, Parameters.SSML may be given`}},
		{"message missing", KindContactFlow, nil,
			doc("a", act("a", "MessageParticipant", `{}`, toEnd), hangUp),
			[]string{`Action "a": one of Parameters.PromptId, Parameters.Text, Parameters.SSML, Parameters.Media is required`}},
		{"one event hook", KindContactFlow, nil,
			doc("a", act("a", "UpdateContactEventHooks", `{"EventHooks":{"CustomerQueue":"q","CustomerHold":"h"}}`, toEnd), hangUp),
			[]string{`Action "a": Parameters.EventHooks may have at most 1 entry`}},
		{"error type not supported", KindContactFlow, nil,
			doc("a", act("a", "Compare", `{"ComparisonValue":"$.Channel"}`, `{"NextAction":"end","Errors":[{"NextAction":"end","ErrorType":"NoMatchingError"}]}`), hangUp),
			[]string{`Action "a": Transitions.Errors[0]: ErrorType "NoMatchingError" is not supported by Compare (supported: NoMatchingCondition)`}},
		{"errors on an action without errors", KindContactFlow, nil,
			doc("a", act("a", "UpdateFlowLoggingBehavior", `{"FlowLoggingBehavior":"Enabled"}`, `{"NextAction":"end","Errors":[{"NextAction":"end","ErrorType":"NoMatchingError"}]}`), hangUp),
			[]string{`Action "a": Transitions.Errors[0]: UpdateFlowLoggingBehavior has no errors, so ErrorType "NoMatchingError" is not supported`}},
		{"error type missing", KindContactFlow, nil,
			doc("a", act("a", "MessageParticipant", `{"Text":"hi"}`, `{"NextAction":"end","Errors":[{"NextAction":"end"}]}`), hangUp),
			[]string{`Action "a": Transitions.Errors[0].ErrorType is missing`}},
		{"required error missing", KindContactFlow, nil,
			doc("a", act("a", "GetParticipantInput", `{"Text":"press 1","StoreInput":"False","InputTimeLimitSeconds":"5"}`, toEnd), hangUp),
			[]string{`Action "a": Transitions.Errors has no NoMatchingError branch, which GetParticipantInput requires`}},
		{"conditions not supported", KindContactFlow, nil,
			doc("a", act("a", "MessageParticipant", `{"Text":"hi"}`, `{"NextAction":"end","Conditions":[{"NextAction":"end","Condition":{"Operator":"Equals","Operands":["x"]}}]}`), hangUp),
			[]string{`Action "a": MessageParticipant supports no Transitions.Conditions`}},
		{"operator unknown", KindContactFlow, nil,
			doc("a", act("a", "Compare", `{"ComparisonValue":"$.Channel"}`, `{"NextAction":"end","Conditions":[{"NextAction":"end","Condition":{"Operator":"Matches","Operands":["x"]}}]}`), hangUp),
			[]string{`Action "a": Transitions.Conditions[0].Condition.Operator "Matches" is not a known operator`}},
		{"operator not supported by the type", KindContactFlow, nil,
			doc("a", act("a", "DistributeByPercentage", `{}`, `{"NextAction":"end","Conditions":[{"NextAction":"end","Condition":{"Operator":"Equals","Operands":["50"]}}]}`), hangUp),
			[]string{`Action "a": Transitions.Conditions[0].Condition.Operator "Equals" is not supported by DistributeByPercentage (supported: NumberLessThan)`}},
		{"operands count", KindContactFlow, nil,
			doc("a", act("a", "Compare", `{"ComparisonValue":"$.Channel"}`, `{"NextAction":"end","Conditions":[{"NextAction":"end","Condition":{"Operator":"Equals","Operands":["x","y"]}},{"NextAction":"end","Condition":{"Operator":"Equals"}},{"NextAction":"end"}]}`), hangUp),
			[]string{`Action "a": Transitions.Conditions[0].Condition.Operands must hold exactly one operand, not 2`,
				`Action "a": Transitions.Conditions[1].Condition.Operands is missing`,
				`Action "a": Transitions.Conditions[2].Condition is missing`}},
		{"operand not supported and required one missing", KindContactFlow, nil,
			doc("a", act("a", "Loop", `{"LoopCount":"2"}`, `{"NextAction":"end","Conditions":[{"NextAction":"a","Condition":{"Operator":"Equals","Operands":["ContinueLooping"]}},{"NextAction":"end","Condition":{"Operator":"Equals","Operands":["Maybe"]}}]}`), hangUp),
			[]string{`Action "a": Transitions.Conditions[1].Condition.Operands: "Maybe" is not supported by Loop (supported: "ContinueLooping", "DoneLooping")`,
				`Action "a": Transitions.Conditions has no Equals "DoneLooping" condition, which Loop requires`}},
		{"hours needs both branches", KindContactFlow, nil,
			doc("a", act("a", "CheckHoursOfOperation", `{}`, `{"NextAction":"end","Conditions":[{"NextAction":"end","Condition":{"Operator":"Equals","Operands":["True"]}}]}`), hangUp),
			[]string{`Action "a": Transitions.Conditions has no Equals "False" condition, which CheckHoursOfOperation requires`}},
		{"resources checked", KindContactFlow, fakeResolver{Queue: {"q1"}, HoursOfOperation: {"h1"}, LambdaFunction: {}},
			doc("a",
				act("a", "UpdateContactTargetQueue", `{"QueueId":"q2"}`, `{"NextAction":"b"}`),
				act("b", "UpdateContactTargetQueue", `{"QueueId":"$.Attributes.queue"}`, `{"NextAction":"c"}`),
				act("c", "CheckHoursOfOperation", `{"HoursOfOperationId":"h2"}`, `{"NextAction":"d","Conditions":[{"NextAction":"d","Condition":{"Operator":"Equals","Operands":["True"]}},{"NextAction":"d","Condition":{"Operator":"Equals","Operands":["False"]}}]}`),
				act("d", "MessageParticipant", `{"PromptId":"p-unknown-to-the-resolver"}`, `{"NextAction":"e"}`),
				act("e", "UpdateContactEventHooks", `{"EventHooks":{"CustomerQueue":"f-gone"}}`, `{"NextAction":"f"}`),
				act("f", "InvokeLambdaFunction", `{"LambdaFunctionARN":"arn:aws:lambda:us-east-1:111122223333:function:gone","InvocationTimeLimitSeconds":3}`, `{"NextAction":"g"}`),
				act("g", "UpdateContactTargetQueue", `{"QueueId":"q1"}`, toEnd),
				hangUp),
			[]string{`Action "a": Parameters.QueueId names a queue that does not exist: "q2"`,
				`Action "c": Parameters.HoursOfOperationId names a hours of operation that does not exist: "h2"`,
				`Action "e": Parameters.EventHooks.CustomerQueue names a flow that does not exist: "f-gone"`,
				`Action "f": Parameters.LambdaFunctionARN names a Lambda function that does not exist: "arn:aws:lambda:us-east-1:111122223333:function:gone"`}},
		{"loop prompt resources", KindCustomerQueue, fakeResolver{Prompt: nil},
			doc("a", act("a", "MessageParticipantIteratively", `{"Messages":[{"PromptId":"p1"}]}`, `{"NextAction":"end"}`), act("end", "EndFlowExecution", `{}`, `{}`)), nil},
		{"transitions mistyped", KindContactFlow, nil,
			doc("a", act("a", "MessageParticipant", `{"Text":"hi"}`, `{"NextAction":1,"Errors":[3],"Conditions":{}}`), hangUp),
			[]string{`Action "a": Transitions.NextAction must be a string, not a number`,
				`Action "a": Transitions.Errors[0] must be an object, not a number`,
				`Action "a": Transitions.Conditions must be an array, not an object`}},
		{"several problems at once", KindCustomerHold, nil,
			`{"Version":"1","StartAction":"x","Actions":[{"Identifier":"a","Type":"Foo","Transitions":{"NextAction":"zz"}},{"Identifier":"b","Type":"DisconnectParticipant","Transitions":{"NextAction":"a"}}]}`,
			[]string{`Version must be "2019-10-30", not "1"`, `StartAction names no action: "x"`,
				`Action "a": Type "Foo" is not a known action type`, `Action "a": Transitions.NextAction names no action: "zz"`,
				`Action "b": DisconnectParticipant ends the flow and cannot have Transitions.NextAction`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := messages(Validate(tc.content, tc.kind, tc.r))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Validate:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func messages(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Message)
	}
	return out
}

// The fixtures are shaped like flows found in public repositories (the
// flow-language reference's example, Terraform's acceptance fixtures, the
// designer's exports); each validates as the kind its name starts with.
var fixtureKinds = map[string]Kind{
	"inbound_hours_queue.json": KindContactFlow,
	"simple_message.json":      KindContactFlow,
	"module_message.json":      Module,
	"customer_queue_loop.json": KindCustomerQueue,
	"agent_whisper.json":       KindAgentWhisper,
	"queue_transfer.json":      KindQueueTransfer,
	"module_lambda.json":       Module,
}

func TestFixturesValidate(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.json")
	if len(files) != len(fixtureKinds) {
		t.Fatalf("testdata has %d fixtures, fixtureKinds %d", len(files), len(fixtureKinds))
	}
	for _, f := range files {
		kind, ok := fixtureKinds[filepath.Base(f)]
		if !ok {
			t.Fatalf("%s: no kind in fixtureKinds", f)
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if ps := Validate(string(b), kind, nil); ps != nil {
			t.Errorf("%s: %q", f, messages(ps))
		}
	}
}

func TestDefaultsValidate(t *testing.T) {
	seen := map[Kind]bool{}
	for _, d := range Defaults {
		if ps := Validate(d.Content, d.Type, nil); ps != nil {
			t.Errorf("%s: %q", d.Name, messages(ps))
		}
		if !strings.HasPrefix(d.Name, "Default ") || d.Description == "" {
			t.Errorf("%s: name or description", d.Name)
		}
		seen[d.Type] = true
	}
	// Every contact flow type but the inbound one and campaigns has a default.
	for _, k := range Kinds {
		if k != KindContactFlow && k != KindCampaign && k != Module && !seen[k] {
			t.Errorf("no default flow of type %s", k)
		}
	}
}

func TestParse(t *testing.T) {
	f, ps := Parse(`{"Version":"2019-10-30","StartAction":"a","Metadata":{"x":1},"Extra":true,"Actions":[
	 {"Identifier":"a","Type":"Compare","Parameters":{"ComparisonValue":"$.Channel"},
	  "Transitions":{"NextAction":"b","Errors":[{"NextAction":"b","ErrorType":"NoMatchingCondition"}],
	   "Conditions":[{"NextAction":"b","Condition":{"Operator":"Equals","Operands":["CHAT"]}}]}},
	 {"Identifier":"b","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`)
	if ps != nil {
		t.Fatal(ps)
	}
	want := &Flow{Version: "2019-10-30", StartAction: "a", Metadata: []byte(`{"x":1}`), Actions: []Action{
		{Identifier: "a", Type: "Compare", Parameters: map[string]json.RawMessage{"ComparisonValue": []byte(`"$.Channel"`)},
			Transitions: Transitions{NextAction: "b", Errors: []ErrorTransition{{NextAction: "b", ErrorType: "NoMatchingCondition"}},
				Conditions: []Condition{{NextAction: "b"}}}},
		{Identifier: "b", Type: "DisconnectParticipant", Parameters: map[string]json.RawMessage{}},
	}}
	want.Actions[0].Transitions.Conditions[0].Condition.Operator = "Equals"
	want.Actions[0].Transitions.Conditions[0].Condition.Operands = []string{"CHAT"}
	if fmt.Sprintf("%s", mustJSON(f)) != fmt.Sprintf("%s", mustJSON(want)) {
		t.Errorf("Parse:\n got %s\nwant %s", mustJSON(f), mustJSON(want))
	}
	if f, ps := Parse(`nope`); f != nil || len(ps) != 1 {
		t.Errorf("Parse(nope) = %v, %v", f, ps)
	}
}

func TestCatalogIsConsistent(t *testing.T) {
	for name, a := range Catalog {
		if a.Type != name || a.Source == "" {
			t.Errorf("%s: Type %q, Source %q", name, a.Type, a.Source)
		}
		for _, k := range a.Kinds {
			if !containsKind(Kinds, k) {
				t.Errorf("%s: kind %q", name, k)
			}
		}
		if a.Terminal && (a.Errors != nil || a.Conditions != nil || a.AnyError) {
			t.Errorf("%s: terminal with branches", name)
		}
		if a.Conditions != nil {
			for _, op := range a.Conditions.Operators {
				if !containsString(Operators, op) {
					t.Errorf("%s: operator %q", name, op)
				}
			}
		}
	}
}

func containsKind(ks []Kind, k Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

func containsString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
