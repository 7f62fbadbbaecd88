package flow

import (
	"fmt"
	"strings"
	"testing"
)

// largestFlow builds a flow as large as Connect accepts: MaxActions
// actions of the common kinds, with designer metadata, padded with
// contact attributes to just under MaxContentLength characters.
func largestFlow() string {
	padded := (MaxActions - 1 + 4) / 5 // the UpdateContactAttributes actions
	bare := len(buildFlow(0))
	return buildFlow((MaxContentLength - 1000 - bare) / padded)
}

// buildFlow builds the flow with about pad characters of attributes in
// each UpdateContactAttributes action.
func buildFlow(pad int) string {
	var b strings.Builder
	id := func(i int) string { return fmt.Sprintf("%08x-1234-4abc-8def-%012x", i, i) }
	b.WriteString(`{"Version":"2019-10-30","StartAction":"` + id(0) + `","Metadata":{"entryPointPosition":{"x":40,"y":40},"ActionMetadata":{`)
	for i := 0; i < MaxActions; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"%s":{"position":{"x":%d,"y":%d}}`, id(i), 100+i*10, 50+i%7*30)
	}
	b.WriteString(`}},"Actions":[`)
	last := MaxActions - 1
	for i := 0; i < last; i++ {
		next, end := id(i+1), id(last)
		switch i % 5 {
		case 0:
			fmt.Fprintf(&b, `{"Identifier":"%s","Type":"MessageParticipant","Parameters":{"Text":"Message number %d to the caller, read out with text-to-speech."},"Transitions":{"NextAction":"%s","Errors":[{"NextAction":"%s","ErrorType":"NoMatchingError"}],"Conditions":[]}},`, id(i), i, next, end)
		case 1:
			fmt.Fprintf(&b, `{"Identifier":"%s","Type":"Compare","Parameters":{"ComparisonValue":"$.Attributes.step%d"},"Transitions":{"NextAction":"%s","Conditions":[{"NextAction":"%s","Condition":{"Operator":"Equals","Operands":["a"]}},{"NextAction":"%s","Condition":{"Operator":"NumberGreaterThan","Operands":["3"]}}],"Errors":[{"NextAction":"%s","ErrorType":"NoMatchingCondition"}]}},`, id(i), i, next, next, end, next)
		case 2:
			fmt.Fprintf(&b, `{"Identifier":"%s","Type":"InvokeLambdaFunction","Parameters":{"LambdaFunctionARN":"arn:aws:lambda:us-east-1:111122223333:function:step-%d","InvocationTimeLimitSeconds":"8","LambdaInvocationAttributes":{"step":"%d","phone":"$.CustomerEndpoint.Address"}},"Transitions":{"NextAction":"%s","Errors":[{"NextAction":"%s","ErrorType":"NoMatchingError"}]}},`, id(i), i, i, next, end)
		case 3:
			fmt.Fprintf(&b, `{"Identifier":"%s","Type":"UpdateContactTargetQueue","Parameters":{"QueueId":"arn:aws:connect:us-east-1:111122223333:instance/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/queue/%s"},"Transitions":{"NextAction":"%s","Errors":[{"NextAction":"%s","ErrorType":"NoMatchingError"}]}},`, id(i), id(i), next, end)
		default:
			fmt.Fprintf(&b, `{"Identifier":"%s","Type":"UpdateContactAttributes","Parameters":{"Attributes":{`, id(i))
			remaining := pad
			for k := 0; remaining > 50; k++ {
				if k > 0 {
					b.WriteByte(',')
				}
				n, _ := fmt.Fprintf(&b, `"attribute%03d":"value %03d of step %03d padded"`, k, k, i)
				remaining -= n + 1
			}
			fmt.Fprintf(&b, `}},"Transitions":{"NextAction":"%s","Errors":[{"NextAction":"%s","ErrorType":"NoMatchingError"}]}},`, next, end)
		}
	}
	fmt.Fprintf(&b, `{"Identifier":"%s","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`, id(last))
	return b.String()
}

// allExist answers every resource as existing, as a service's Resolver
// with all of them in place.
type allExist struct{}

func (allExist) Exists(Resource, string) (bool, bool) { return true, true }

func BenchmarkValidateLargestFlow(b *testing.B) {
	content := largestFlow()
	if n := len(content); n > MaxContentLength || n < MaxContentLength-5000 {
		b.Fatalf("the flow is %d characters", n)
	}
	if ps := Validate(content, KindContactFlow, allExist{}); ps != nil {
		b.Fatalf("the largest flow is not valid: %q", messages(ps)[:1])
	}
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	for b.Loop() {
		Validate(content, KindContactFlow, allExist{})
	}
}
