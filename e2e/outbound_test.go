package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/switchboard-dev/switchboard"
)

func (f *fixture) outbound(to string) *connect.StartOutboundVoiceContactInput {
	return &connect.StartOutboundVoiceContactInput{InstanceId: &f.instance, DestinationPhoneNumber: aws.String(to),
		ContactFlowId: aws.String(f.flows[types.ContactFlowTypeContactFlow])}
}

// TestStartOutboundVoiceContact: a call from a claimed number, or from a
// queue's outbound caller ID number, is a VOICE contact initiated by the
// API whose endpoints are the callee and the caller ID.
func TestStartOutboundVoiceContact(t *testing.T) {
	f := contactFixture(t)
	c := ctx(t)
	numberID, number := f.claim(t)

	in := f.outbound("+14255550100")
	in.SourcePhoneNumber = &number
	in.Name, in.Attributes = aws.String("Renewal call"), map[string]string{"offer": "A"}
	in.References = map[string]types.Reference{"crm": ref(types.ReferenceTypeUrl, "https://example.com/c/1")}
	id := *call(f.client.StartOutboundVoiceContact(c, in)).must(t).ContactId
	got := f.describeContact(t, id)
	if got.Channel != types.ChannelVoice || got.InitiationMethod != types.ContactInitiationMethodApi || aws.ToString(got.Name) != "Renewal call" ||
		got.CustomerEndpoint == nil || aws.ToString(got.CustomerEndpoint.Address) != "+14255550100" || got.CustomerEndpoint.Type != types.EndpointTypeTelephoneNumber ||
		got.SystemEndpoint == nil || aws.ToString(got.SystemEndpoint.Address) != number || got.QueueInfo != nil {
		t.Fatalf("described: %+v", got)
	}
	if a := f.contactAttributes(t, id); a["offer"] != "A" || len(a) != 1 {
		t.Errorf("attributes: %v", a)
	}

	// Through a queue: the caller ID is the queue's number.
	q := f.newQueue(t, "Outbound", f.newHours(t, "Outbound hours"))
	call(f.client.UpdateQueueOutboundCallerConfig(c, &connect.UpdateQueueOutboundCallerConfigInput{InstanceId: &f.instance, QueueId: &q,
		OutboundCallerConfig: &types.OutboundCallerConfig{OutboundCallerIdNumberId: &numberID}})).must(t)
	in = f.outbound("+442071838750")
	in.QueueId = &q
	id = *call(f.client.StartOutboundVoiceContact(c, in)).must(t).ContactId
	got = f.describeContact(t, id)
	if got.QueueInfo == nil || aws.ToString(got.QueueInfo.Id) != q || aws.ToString(got.SystemEndpoint.Address) != number ||
		aws.ToString(got.CustomerEndpoint.Address) != "+442071838750" {
		t.Fatalf("through a queue: %+v", got)
	}

	// Answering-machine detection takes TrafficType CAMPAIGN, with or
	// without a campaign (API reference: "Use CAMPAIGN if
	// EnableAnswerMachineDetection is set to true").
	amd := f.outbound("+14255550101")
	amd.SourcePhoneNumber, amd.TrafficType = &number, types.TrafficTypeCampaign
	amd.AnswerMachineDetectionConfig = &types.AnswerMachineDetectionConfig{EnableAnswerMachineDetection: true}
	call(f.client.StartOutboundVoiceContact(c, amd)).must(t)

	// A retry with the same ClientToken is the same call.
	in.ClientToken = aws.String("dial-once")
	first := *call(f.client.StartOutboundVoiceContact(c, in)).must(t).ContactId
	if again := *call(f.client.StartOutboundVoiceContact(c, in)).must(t).ContactId; again != first {
		t.Errorf("retry answered %s, first %s", again, first)
	}
}

// TestStartOutboundVoiceContactErrors: each rule answers the service's
// error naming the member, and stores no contact.
func TestStartOutboundVoiceContactErrors(t *testing.T) {
	f := contactFixture(t)
	c := ctx(t)
	_, number := f.claim(t)
	bare := f.newQueue(t, "No caller ID", f.newHours(t, "Hours"))
	cases := []struct {
		name   string
		change func(in *connect.StartOutboundVoiceContactInput)
		check  func(t *testing.T, err error)
	}{
		{"destination not E.164", func(in *connect.StartOutboundVoiceContactInput) { in.DestinationPhoneNumber = aws.String("4255550100") },
			func(t *testing.T, err error) {
				wantErr[*types.InvalidParameterException](t, err, "destinationPhoneNumber", "pattern")
			}},
		{"source not E.164", func(in *connect.StartOutboundVoiceContactInput) { in.SourcePhoneNumber = aws.String("+0123") },
			func(t *testing.T, err error) {
				wantErr[*types.InvalidParameterException](t, err, "sourcePhoneNumber", "pattern")
			}},
		{"neither queue nor source", func(in *connect.StartOutboundVoiceContactInput) { in.SourcePhoneNumber = nil },
			func(t *testing.T, err error) {
				wantErr[*types.InvalidParameterException](t, err, "QueueId", "SourcePhoneNumber")
			}},
		{"source not claimed here", func(in *connect.StartOutboundVoiceContactInput) { in.SourcePhoneNumber = aws.String("+14255550199") },
			func(t *testing.T, err error) {
				wantErr[*types.InvalidParameterException](t, err, "SourcePhoneNumber", "+14255550199")
			}},
		{"queue without caller ID", func(in *connect.StartOutboundVoiceContactInput) { in.SourcePhoneNumber, in.QueueId = nil, &bare },
			func(t *testing.T, err error) {
				wantErr[*types.InvalidParameterException](t, err, "QueueId", "OutboundCallerIdNumberId")
			}},
		{"unknown queue", func(in *connect.StartOutboundVoiceContactInput) {
			in.QueueId = aws.String("11111111-2222-3333-4444-555555555555")
		},
			func(t *testing.T, err error) { wantErr[*types.ResourceNotFoundException](t, err, "QueueId") }},
		{"unknown flow", func(in *connect.StartOutboundVoiceContactInput) {
			in.ContactFlowId = aws.String("11111111-2222-3333-4444-555555555555")
		}, func(t *testing.T, err error) { wantErr[*types.ResourceNotFoundException](t, err, "ContactFlowId") }},
		{"ring timeout too short", func(in *connect.StartOutboundVoiceContactInput) { in.RingTimeoutInSeconds = aws.Int32(5) },
			func(t *testing.T, err error) {
				wantErr[*types.InvalidParameterException](t, err, "ringTimeoutInSeconds")
			}},
		{"bad attribute key", func(in *connect.StartOutboundVoiceContactInput) { in.Attributes = map[string]string{"a b": "1"} },
			func(t *testing.T, err error) { wantErr[*types.InvalidParameterException](t, err, "Attributes") }},
	}
	contacts := func() int {
		n := 0
		err := f.store.View(c, func(tx switchboard.Tx) error {
			var err error
			n, err = tx.Count(switchboard.Scope{Account: "000000000000", Region: region}, switchboard.KindContact, f.instance)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := contacts()
			in := f.outbound("+14255550100")
			in.SourcePhoneNumber = &number
			tc.change(in)
			_, err := f.client.StartOutboundVoiceContact(c, in)
			tc.check(t, err)
			if n := contacts(); n != before {
				t.Errorf("%d contacts stored, %d before", n, before)
			}
		})
	}

	// An instance with outbound calls turned off refuses every call.
	call(f.client.UpdateInstanceAttribute(c, &connect.UpdateInstanceAttributeInput{InstanceId: &f.instance,
		AttributeType: types.InstanceAttributeTypeOutboundCalls, Value: aws.String("false")})).must(t)
	in := f.outbound("+14255550100")
	in.SourcePhoneNumber = &number
	before := contacts()
	_, err := f.client.StartOutboundVoiceContact(c, in)
	wantErr[*types.OutboundContactNotPermittedException](t, err, "OUTBOUND_CALLS")
	if n := contacts(); n != before || before != 0 {
		t.Errorf("%d contacts stored, %d before", n, before)
	}
}
