package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/engine"
)

// contactFixture is a fixture whose instance has a CONTACT_FLOW flow
// (f.flows[CONTACT_FLOW]) to start contacts with, which keeps them in the
// flow (INITIATED) for an hour (holdOn).
func contactFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	f.ensureInbound(t)
	return f
}

// holdOn is a flow that keeps its contact for an hour, then ends it.
const holdOn = `{"Version":"2019-10-30","StartAction":"wait","Actions":[
 {"Identifier":"wait","Type":"Wait","Parameters":{"TimeoutSeconds":"3600"},"Transitions":{"NextAction":"bye","Conditions":[{"NextAction":"bye","Condition":{"Operator":"Equals","Operands":["WaitCompleted"]}}],"Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},
 {"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`

func (f *fixture) ensureInbound(t *testing.T) {
	t.Helper()
	if f.flows[types.ContactFlowTypeContactFlow] == "" {
		f.flows[types.ContactFlowTypeContactFlow] = f.newFlow(t, "Inbound", types.ContactFlowTypeContactFlow, holdOn)
	}
}

// task is a valid StartTaskContact input running the instance's default
// CONTACT_FLOW flow, which cases modify.
func (f *fixture) task(name string) *connect.StartTaskContactInput {
	return &connect.StartTaskContactInput{InstanceId: &f.instance, Name: aws.String(name), ContactFlowId: aws.String(f.flows[types.ContactFlowTypeContactFlow])}
}

func (f *fixture) startTask(t *testing.T, in *connect.StartTaskContactInput) string {
	t.Helper()
	return *call(f.client.StartTaskContact(ctx(t), in)).must(t).ContactId
}

func (f *fixture) chat(name string) *connect.StartChatContactInput {
	return &connect.StartChatContactInput{InstanceId: &f.instance, ContactFlowId: aws.String(f.flows[types.ContactFlowTypeContactFlow]),
		ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String(name)}}
}

func (f *fixture) describeContact(t *testing.T, id string) *types.Contact {
	t.Helper()
	return call(f.client.DescribeContact(ctx(t), &connect.DescribeContactInput{InstanceId: &f.instance, ContactId: &id})).must(t).Contact
}

func (f *fixture) contactAttributes(t *testing.T, id string) map[string]string {
	t.Helper()
	return call(f.client.GetContactAttributes(ctx(t), &connect.GetContactAttributesInput{InstanceId: &f.instance, InitialContactId: &id})).must(t).Attributes
}

func (f *fixture) stop(t *testing.T, id string) {
	t.Helper()
	call(f.client.StopContact(ctx(t), &connect.StopContactInput{InstanceId: &f.instance, ContactId: &id})).must(t)
}

// patchContact changes a stored contact behind the server's back, for
// states no operation reaches until routing exists.
func (f *fixture) patchContact(t *testing.T, id string, change func(doc map[string]any)) {
	t.Helper()
	key := switchboard.Key{Scope: switchboard.Scope{Account: "000000000000", Region: region}, Kind: switchboard.KindContact, Parent: f.instance, ID: id}
	err := f.store.Update(ctx(t), func(tx switchboard.Tx) error {
		r, err := tx.Get(key)
		if err != nil {
			return err
		}
		var doc map[string]any
		if err := json.Unmarshal(r.Data, &doc); err != nil {
			return err
		}
		change(doc)
		r.Data, _ = json.Marshal(doc)
		return tx.Replace(r)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func ref(typ types.ReferenceType, v string) types.Reference {
	return types.Reference{Type: typ, Value: aws.String(v)}
}

// TestStartTaskContact: a task is INITIATED through the API, described with
// what it was given, its ARN, and the system tag Connect adds.
func TestStartTaskContact(t *testing.T) {
	f := contactFixture(t)
	before := time.Now().Add(-time.Second)
	in := f.task("Call back Mary")
	in.Description = aws.String("About the invoice")
	in.Attributes = map[string]string{"customer-id": "42", "tier_level": "gold"}
	in.References = map[string]types.Reference{"invoice": ref(types.ReferenceTypeUrl, "https://example.com/i/1"), "amount": ref(types.ReferenceTypeNumber, "12.5")}
	id := f.startTask(t, in)
	c := f.describeContact(t, id)
	if aws.ToString(c.Id) != id || aws.ToString(c.Arn) != arnOf(f, "contact", id) || c.Channel != types.ChannelTask ||
		c.InitiationMethod != types.ContactInitiationMethodApi || aws.ToString(c.Name) != "Call back Mary" ||
		aws.ToString(c.Description) != "About the invoice" || aws.ToString(c.InitialContactId) != id {
		t.Fatalf("described: %+v", c)
	}
	if c.InitiationTimestamp == nil || c.InitiationTimestamp.Before(before) || c.LastUpdateTimestamp == nil || c.DisconnectTimestamp != nil || c.QueueInfo != nil || c.AgentInfo != nil {
		t.Errorf("timestamps and routing of a new task: %+v", c)
	}
	if len(c.Tags) != 1 || c.Tags["aws:connect:instanceId"] != f.instance {
		t.Errorf("tags %v", c.Tags)
	}
	if c.Attributes["customer-id"] != "42" || len(c.Attributes) != 2 {
		t.Errorf("attributes %v", c.Attributes)
	}
	if got := f.contactAttributes(t, id); got["tier_level"] != "gold" || len(got) != 2 {
		t.Errorf("GetContactAttributes %v", got)
	}
	refs := call(f.client.ListContactReferences(ctx(t), &connect.ListContactReferencesInput{InstanceId: &f.instance, ContactId: &id,
		ReferenceTypes: []types.ReferenceType{types.ReferenceTypeUrl}})).must(t)
	if len(refs.ReferenceSummaryList) != 1 || refs.NextToken != nil {
		t.Fatalf("URL references: %+v", refs)
	}
	if u, ok := refs.ReferenceSummaryList[0].(*types.ReferenceSummaryMemberUrl); !ok || aws.ToString(u.Value.Name) != "invoice" || aws.ToString(u.Value.Value) != "https://example.com/i/1" {
		t.Errorf("URL reference %#v", refs.ReferenceSummaryList[0])
	}
}

// TestStartTaskContactNamesExactlyOneFlow: one of ContactFlowId,
// QuickConnectId and TaskTemplateId, naming a flow that exists and is a
// CONTACT_FLOW.
func TestStartTaskContactNamesExactlyOneFlow(t *testing.T) {
	f := contactFixture(t)
	c := ctx(t)
	t.Run("none", func(t *testing.T) {
		in := f.task("x")
		in.ContactFlowId = nil
		_, err := f.client.StartTaskContact(c, in)
		wantErr[*types.InvalidRequestException](t, err, "ContactFlowId", "QuickConnectId", "TaskTemplateId")
	})
	t.Run("two", func(t *testing.T) {
		in := f.task("x")
		in.QuickConnectId = aws.String("qc")
		_, err := f.client.StartTaskContact(c, in)
		wantErr[*types.InvalidRequestException](t, err, "Exactly one")
	})
	t.Run("task template is not implemented", func(t *testing.T) {
		in := f.task("x")
		in.ContactFlowId, in.TaskTemplateId = nil, aws.String("tt-1")
		_, err := f.client.StartTaskContact(c, in)
		wantErr[*types.ResourceNotFoundException](t, err, "TaskTemplateId", "tt-1", "not implement")
	})
	t.Run("unknown flow", func(t *testing.T) {
		in := f.task("x")
		in.ContactFlowId = aws.String("no-such-flow")
		_, err := f.client.StartTaskContact(c, in)
		wantErr[*types.ResourceNotFoundException](t, err, "ContactFlowId", "no-such-flow")
	})
	t.Run("flow of another type", func(t *testing.T) {
		in := f.task("x")
		in.ContactFlowId = aws.String(f.flows[types.ContactFlowTypeQueueTransfer])
		_, err := f.client.StartTaskContact(c, in)
		wantErr[*types.InvalidParameterException](t, err, "ContactFlowId", "QUEUE_TRANSFER")
	})
	t.Run("unknown instance", func(t *testing.T) {
		in := f.task("x")
		in.InstanceId = aws.String("00000000-0000-0000-0000-000000000000")
		_, err := f.client.StartTaskContact(c, in)
		wantErr[*types.ResourceNotFoundException](t, err)
	})
	t.Run("name is required", func(t *testing.T) {
		in := f.task("x")
		in.Name = nil
		_, err := f.client.StartTaskContact(c, in)
		if err == nil {
			t.Fatal("accepted without Name")
		}
	})
}

// TestStartTaskContactThroughQuickConnect: a QUEUE quick connect's task
// runs the quick connect's queue transfer flow, which queues it in the
// quick connect's queue; a phone number quick connect has no flow.
func TestStartTaskContactThroughQuickConnect(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{clock: engine.NewVirtualClock(clockStart)})
	f.ensureInbound(t)
	f.lookup(t)
	c := ctx(t)
	qc := f.newQuickConnect(t, "To the queue", f.queueQC(f.queue))
	// The default queue transfer flow queues only when an agent is
	// available in the queue: one of the default routing profile, which
	// serves BasicQueue.
	agent := f.create(t, f.user("agent"))
	call(f.client.PutUserStatus(c, &connect.PutUserStatusInput{InstanceId: &f.instance, UserId: &agent, AgentStatusId: aws.String(f.statusOf(t, types.AgentStatusTypeRoutable))})).must(t)
	in := f.task("x")
	in.ContactFlowId, in.QuickConnectId = nil, &qc
	id := f.startTask(t, in)
	// The flow plays a message (3 simulated seconds), then transfers.
	if got := f.describeContact(t, id); got.QueueInfo != nil {
		t.Errorf("QueueInfo while the flow's message plays: %+v", got.QueueInfo)
	}
	f.testAPI("POST", "clock/advance", `{"seconds":3}`)
	if got := f.describeContact(t, id); got.QueueInfo == nil || aws.ToString(got.QueueInfo.Id) != f.queue || !sameTime(got.QueueInfo.EnqueueTimestamp, at(3)) {
		t.Errorf("QueueInfo %+v", got.QueueInfo)
	}
	phone := f.newQuickConnect(t, "Phone", phoneQC("+15555550100"))
	// The SDK wrote its generated ClientToken into in: a retry with it
	// would answer the first task.
	in.ClientToken = nil
	in.QuickConnectId = &phone
	_, err := f.client.StartTaskContact(c, in)
	wantErr[*types.InvalidParameterException](t, err, "QuickConnectId", "PHONE_NUMBER")
	in.QuickConnectId = aws.String("no-such-qc")
	_, err = f.client.StartTaskContact(c, in)
	wantErr[*types.ResourceNotFoundException](t, err, "QuickConnectId", "no-such-qc")
}

// TestStartTaskContactScheduledTime: in the future and at most 6 days
// ahead; a scheduled task records its time.
func TestStartTaskContactScheduledTime(t *testing.T) {
	f := contactFixture(t)
	c := ctx(t)
	for name, at := range map[string]time.Time{"past": time.Now().Add(-time.Hour), "beyond 6 days": time.Now().Add(6*24*time.Hour + time.Hour)} {
		t.Run(name, func(t *testing.T) {
			in := f.task("x")
			in.ScheduledTime = aws.Time(at)
			_, err := f.client.StartTaskContact(c, in)
			wantErr[*types.InvalidParameterException](t, err, "ScheduledTime")
		})
	}
	at := time.Now().Add(time.Hour).Truncate(time.Second)
	in := f.task("later")
	in.ScheduledTime = aws.Time(at)
	got := f.describeContact(t, f.startTask(t, in))
	if got.ScheduledTimestamp == nil || !got.ScheduledTimestamp.Equal(at) {
		t.Errorf("ScheduledTimestamp %v, want %v", got.ScheduledTimestamp, at)
	}
}

// TestContactReferenceRules: a task's references are URL, NUMBER, STRING,
// DATE or EMAIL with a value of that kind, 4,096 bytes in all.
func TestContactReferenceRules(t *testing.T) {
	f := contactFixture(t)
	c := ctx(t)
	for name, r := range map[string]types.Reference{
		"attachment at creation": ref(types.ReferenceTypeAttachment, "s3://bucket/file"),
		"URL that is not one":    ref(types.ReferenceTypeUrl, "not a url"),
		"NUMBER that is not one": ref(types.ReferenceTypeNumber, "twelve"),
		"DATE that is not epoch": ref(types.ReferenceTypeDate, "2026-01-01"),
		"EMAIL that is not one":  ref(types.ReferenceTypeEmail, "mary@"),
	} {
		t.Run(name, func(t *testing.T) {
			in := f.task("x")
			in.References = map[string]types.Reference{"r": r}
			_, err := f.client.StartTaskContact(c, in)
			wantErr[*types.InvalidParameterException](t, err, "References.r")
		})
	}
	t.Run("more than 4096 bytes", func(t *testing.T) {
		in := f.task("x")
		in.References = map[string]types.Reference{"a": ref(types.ReferenceTypeString, strings.Repeat("x", 2048)), "b": ref(types.ReferenceTypeString, strings.Repeat("x", 2048))}
		_, err := f.client.StartTaskContact(c, in)
		wantErr[*types.InvalidParameterException](t, err, "References", "4096")
	})
	in := f.task("ok")
	in.References = map[string]types.Reference{"d": ref(types.ReferenceTypeDate, "1767225600"), "e": ref(types.ReferenceTypeEmail, "mary@example.com"), "s": ref(types.ReferenceTypeString, "")}
	id := f.startTask(t, in)
	refs := call(f.client.ListContactReferences(c, &connect.ListContactReferencesInput{InstanceId: &f.instance, ContactId: &id,
		ReferenceTypes: []types.ReferenceType{types.ReferenceTypeDate, types.ReferenceTypeEmail, types.ReferenceTypeString}})).must(t)
	if len(refs.ReferenceSummaryList) != 3 {
		t.Fatalf("references %+v", refs.ReferenceSummaryList)
	}
	if _, ok := refs.ReferenceSummaryList[0].(*types.ReferenceSummaryMemberDate); !ok {
		t.Errorf("first by name is the DATE: %#v", refs.ReferenceSummaryList[0])
	}
	_, err := f.client.ListContactReferences(c, &connect.ListContactReferencesInput{InstanceId: &f.instance, ContactId: &id,
		ReferenceTypes: []types.ReferenceType{types.ReferenceTypeUrl}, NextToken: aws.String("made-up")})
	wantErr[*types.InvalidParameterException](t, err, "nextToken")
}

// TestContactAttributeRules: keys of letters, digits, '-' and '_'; 32,768
// bytes in all; updates merge, on ended contacts too.
func TestContactAttributeRules(t *testing.T) {
	f := contactFixture(t)
	c := ctx(t)
	id := f.startTask(t, f.task("x"))
	update := func(attrs map[string]string) error {
		_, err := f.client.UpdateContactAttributes(c, &connect.UpdateContactAttributesInput{InstanceId: &f.instance, InitialContactId: &id, Attributes: attrs})
		return err
	}
	wantErr[*types.InvalidParameterException](t, update(map[string]string{"has space": "x"}), "has space")
	wantErr[*types.InvalidParameterException](t, update(map[string]string{"big": strings.Repeat("x", 32766)}), "32768")
	in := f.task("x")
	in.Attributes = map[string]string{"a.b": "x"}
	_, err := f.client.StartTaskContact(c, in)
	wantErr[*types.InvalidParameterException](t, err, "a.b")

	if err := update(map[string]string{"a": "1", "b": "2"}); err != nil {
		t.Fatal(err)
	}
	if err := update(map[string]string{"b": "3", "c": ""}); err != nil {
		t.Fatal(err)
	}
	if got := f.contactAttributes(t, id); len(got) != 3 || got["a"] != "1" || got["b"] != "3" || got["c"] != "" {
		t.Errorf("merged %v", got)
	}
	f.stop(t, id)
	if err := update(map[string]string{"after": "end"}); err != nil {
		t.Fatalf("an ended contact's attributes: %v", err)
	}
	if got := f.contactAttributes(t, id); got["after"] != "end" {
		t.Errorf("after the end %v", got)
	}
	other := "00000000-0000-0000-0000-000000000001"
	_, err = f.client.GetContactAttributes(c, &connect.GetContactAttributesInput{InstanceId: &f.instance, InitialContactId: &other})
	wantErr[*types.ResourceNotFoundException](t, err, other)
	_, err = f.client.UpdateContactAttributes(c, &connect.UpdateContactAttributesInput{InstanceId: &f.instance, InitialContactId: &other, Attributes: map[string]string{"a": "b"}})
	wantErr[*types.ResourceNotFoundException](t, err, other)
}

// TestTaskChains: PreviousContactId joins the previous contact's chain,
// whose attributes every contact shares, 12 followers at most;
// RelatedContactId copies the related contact's attributes once.
func TestTaskChains(t *testing.T) {
	f := contactFixture(t)
	c := ctx(t)
	first := f.task("first")
	first.Attributes = map[string]string{"case": "7"}
	firstID := f.startTask(t, first)
	next := f.task("second")
	next.PreviousContactId, next.Attributes = &firstID, map[string]string{"step": "2"}
	secondID := f.startTask(t, next)
	second := f.describeContact(t, secondID)
	if aws.ToString(second.PreviousContactId) != firstID || aws.ToString(second.InitialContactId) != firstID {
		t.Fatalf("chain ids %+v", second)
	}
	if got := f.contactAttributes(t, firstID); got["case"] != "7" || got["step"] != "2" {
		t.Errorf("the chain's attributes %v", got)
	}
	call(f.client.UpdateContactAttributes(c, &connect.UpdateContactAttributesInput{InstanceId: &f.instance, InitialContactId: &secondID, Attributes: map[string]string{"shared": "yes"}})).must(t)
	if got := f.describeContact(t, firstID).Attributes; got["shared"] != "yes" {
		t.Errorf("an update through the second contact reaches the first: %v", got)
	}

	related := f.task("related")
	related.RelatedContactId = &firstID
	relID := f.startTask(t, related)
	call(f.client.UpdateContactAttributes(c, &connect.UpdateContactAttributesInput{InstanceId: &f.instance, InitialContactId: &relID, Attributes: map[string]string{"own": "1"}})).must(t)
	if got := f.contactAttributes(t, relID); got["case"] != "7" || got["own"] != "1" || aws.ToString(f.describeContact(t, relID).RelatedContactId) != firstID {
		t.Errorf("related copy %v", got)
	}
	if got := f.contactAttributes(t, firstID); got["own"] != "" {
		t.Errorf("a related contact's update reached the original: %v", got)
	}

	for i := 2; i <= 12; i++ {
		in := f.task("follower")
		in.PreviousContactId = &firstID
		f.startTask(t, in)
	}
	in := f.task("thirteenth")
	in.PreviousContactId = &firstID
	_, err := f.client.StartTaskContact(c, in)
	wantErr[*types.ServiceQuotaExceededException](t, err, "12", firstID)
	in.PreviousContactId = aws.String("no-such-contact")
	_, err = f.client.StartTaskContact(c, in)
	wantErr[*types.ResourceNotFoundException](t, err, "PreviousContactId")
}

// TestStartContactClientToken: a retry with the same ClientToken answers
// the contact the first call started.
func TestStartContactClientToken(t *testing.T) {
	f := contactFixture(t)
	c := ctx(t)
	in := f.task("once")
	in.ClientToken = aws.String("token-1")
	a, b := f.startTask(t, in), f.startTask(t, in)
	if a != b {
		t.Errorf("task retry started %s and %s", a, b)
	}
	ch := f.chat("Mary")
	ch.ClientToken = aws.String("token-1")
	x := call(f.client.StartChatContact(c, ch)).must(t)
	y := call(f.client.StartChatContact(c, ch)).must(t)
	if *x.ContactId != *y.ContactId || *x.ParticipantId != *y.ParticipantId || *x.ParticipantToken != *y.ParticipantToken || *x.ContactId == a {
		t.Errorf("chat retry: %+v and %+v", x, y)
	}
}

// TestStartChatContact: a chat answers a participant and its token; its
// messages, content types, duration and persistent-chat rules are checked.
func TestStartChatContact(t *testing.T) {
	f := contactFixture(t)
	c := ctx(t)
	in := f.chat("Mary")
	in.InitialMessage = &types.ChatMessage{ContentType: aws.String("text/plain"), Content: aws.String("Hello")}
	in.Attributes = map[string]string{"lang": "en"}
	in.CustomerId = aws.String("cust-1")
	out := call(f.client.StartChatContact(c, in)).must(t)
	if out.ParticipantId == nil || len(aws.ToString(out.ParticipantToken)) < 64 || out.ContinuedFromContactId != nil {
		t.Fatalf("answer %+v", out)
	}
	got := f.describeContact(t, *out.ContactId)
	if got.Channel != types.ChannelChat || got.InitiationMethod != types.ContactInitiationMethodApi || aws.ToString(got.CustomerId) != "cust-1" || got.Attributes["lang"] != "en" {
		t.Errorf("described %+v", got)
	}
	for name, tc := range map[string]struct {
		change func(*connect.StartChatContactInput)
		check  func(error)
	}{
		"interactive initial message": {func(in *connect.StartChatContactInput) {
			in.InitialMessage = &types.ChatMessage{ContentType: aws.String("application/vnd.amazonaws.connect.message.interactive"), Content: aws.String("{}")}
		}, func(err error) { wantErr[*types.InvalidParameterException](t, err, "InitialMessage.ContentType") }},
		"unknown content type": {func(in *connect.StartChatContactInput) {
			in.InitialMessage = &types.ChatMessage{ContentType: aws.String("text/html"), Content: aws.String("<b>")}
		}, func(err error) { wantErr[*types.InvalidParameterException](t, err, "text/html") }},
		"content types without text/plain": {func(in *connect.StartChatContactInput) {
			in.SupportedMessagingContentTypes = []string{"text/markdown"}
		}, func(err error) { wantErr[*types.InvalidParameterException](t, err, "text/plain") }},
		"duration under an hour": {func(in *connect.StartChatContactInput) { in.ChatDurationInMinutes = aws.Int32(59) },
			func(err error) { wantErr[*types.InvalidParameterException](t, err, "chatDurationInMinutes") }},
		"related and persistent": {func(in *connect.StartChatContactInput) {
			in.RelatedContactId = out.ContactId
			in.PersistentChat = &types.PersistentChat{RehydrationType: types.RehydrationTypeFromSegment, SourceContactId: out.ContactId}
		}, func(err error) { wantErr[*types.InvalidRequestException](t, err, "RelatedContactId", "PersistentChat") }},
		"persistent from an active chat": {func(in *connect.StartChatContactInput) {
			in.PersistentChat = &types.PersistentChat{RehydrationType: types.RehydrationTypeFromSegment, SourceContactId: out.ContactId}
		}, func(err error) { wantErr[*types.InvalidRequestException](t, err, "SourceContactId", "ended") }},
		"flow of another type": {func(in *connect.StartChatContactInput) {
			in.ContactFlowId = aws.String(f.flows[types.ContactFlowTypeCustomerQueue])
		}, func(err error) { wantErr[*types.InvalidParameterException](t, err, "ContactFlowId") }},
	} {
		t.Run(name, func(t *testing.T) {
			in := f.chat("Mary")
			tc.change(in)
			_, err := f.client.StartChatContact(c, in)
			tc.check(err)
		})
	}
	f.stop(t, *out.ContactId)
	p := f.chat("Mary")
	p.PersistentChat = &types.PersistentChat{RehydrationType: types.RehydrationTypeEntirePastSession, SourceContactId: out.ContactId}
	cont := call(f.client.StartChatContact(c, p)).must(t)
	if aws.ToString(cont.ContinuedFromContactId) != *out.ContactId || aws.ToString(f.describeContact(t, *cont.ContactId).PreviousContactId) != *out.ContactId {
		t.Errorf("continued chat %+v", cont)
	}
}

// TestStopContact: ends the contact now, a task with the reason API and a
// chat with none; stopping an
// ended task again changes nothing; an unknown contact is
// ContactNotFoundException.
func TestStopContact(t *testing.T) {
	f := contactFixture(t)
	c := ctx(t)
	id := f.startTask(t, f.task("x"))
	before := time.Now().Add(-time.Second)
	f.stop(t, id)
	got := f.describeContact(t, id)
	if got.DisconnectTimestamp == nil || got.DisconnectTimestamp.Before(before) || aws.ToString(got.DisconnectReason) != "API" {
		t.Fatalf("stopped: %+v", got)
	}
	f.stop(t, id)
	if again := f.describeContact(t, id); !again.DisconnectTimestamp.Equal(*got.DisconnectTimestamp) {
		t.Errorf("a second stop moved the disconnect from %v to %v", got.DisconnectTimestamp, again.DisconnectTimestamp)
	}
	_, err := f.client.StopContact(c, &connect.StopContactInput{InstanceId: &f.instance, ContactId: aws.String("no-such-contact")})
	wantErr[*types.ContactNotFoundException](t, err, "no-such-contact")
	_, err = f.client.StopContact(c, &connect.StopContactInput{InstanceId: aws.String("00000000-0000-0000-0000-000000000000"), ContactId: &id})
	wantErr[*types.ResourceNotFoundException](t, err)
	plain := *call(f.client.StartChatContact(c, f.chat("Mary"))).must(t).ContactId
	f.stop(t, plain)
	if got := f.describeContact(t, plain); got.DisconnectTimestamp == nil || got.DisconnectReason != nil {
		t.Errorf("a chat stopped by API has no disconnect reason: %+v", got)
	}
	chat := *call(f.client.StartChatContact(c, f.chat("Mary"))).must(t).ContactId
	call(f.client.StopContact(c, &connect.StopContactInput{InstanceId: &f.instance, ContactId: &chat, DisconnectReason: &types.DisconnectReason{Code: aws.String("CUSTOMER_DISCONNECT")}})).must(t)
	if got := f.describeContact(t, chat); aws.ToString(got.DisconnectReason) != "CUSTOMER_DISCONNECT" {
		t.Errorf("reason given: %v", aws.ToString(got.DisconnectReason))
	}
}

// TestUpdateContact: name, description and references change, on ended
// contacts too; something must be given; external-audio members are
// refused.
func TestUpdateContact(t *testing.T) {
	f := contactFixture(t)
	c := ctx(t)
	in := f.task("x")
	in.References = map[string]types.Reference{"a": ref(types.ReferenceTypeString, "1")}
	id := f.startTask(t, in)
	f.stop(t, id)
	call(f.client.UpdateContact(c, &connect.UpdateContactInput{InstanceId: &f.instance, ContactId: &id, Name: aws.String("renamed"), Description: aws.String("d"),
		References: map[string]types.Reference{"b": ref(types.ReferenceTypeUrl, "https://example.com")}})).must(t)
	got := f.describeContact(t, id)
	if aws.ToString(got.Name) != "renamed" || aws.ToString(got.Description) != "d" {
		t.Errorf("updated %+v", got)
	}
	refs := call(f.client.ListContactReferences(c, &connect.ListContactReferencesInput{InstanceId: &f.instance, ContactId: &id,
		ReferenceTypes: []types.ReferenceType{types.ReferenceTypeString, types.ReferenceTypeUrl}})).must(t)
	if len(refs.ReferenceSummaryList) != 2 {
		t.Errorf("references after the update: %+v", refs.ReferenceSummaryList)
	}
	_, err := f.client.UpdateContact(c, &connect.UpdateContactInput{InstanceId: &f.instance, ContactId: &id})
	wantErr[*types.InvalidRequestException](t, err, "At least one")
	_, err = f.client.UpdateContact(c, &connect.UpdateContactInput{InstanceId: &f.instance, ContactId: &id, QueueInfo: &types.QueueInfoInput{Id: aws.String("q")}})
	wantErr[*types.InvalidRequestException](t, err, "QueueInfo")
	_, err = f.client.UpdateContact(c, &connect.UpdateContactInput{InstanceId: &f.instance, ContactId: aws.String("nope"), Name: aws.String("n")})
	wantErr[*types.ResourceNotFoundException](t, err, "nope")
}

// TestContactTags: at most 6 user-defined tags; aws: keys are refused;
// untagging removes them; the system tag stays.
func TestContactTags(t *testing.T) {
	f := contactFixture(t)
	c := ctx(t)
	id := f.startTask(t, f.task("x"))
	call(f.client.TagContact(c, &connect.TagContactInput{InstanceId: &f.instance, ContactId: &id, Tags: map[string]string{"dept": "billing", "cost": "7"}})).must(t)
	if got := f.describeContact(t, id).Tags; len(got) != 3 || got["dept"] != "billing" {
		t.Errorf("tags %v", got)
	}
	five := map[string]string{"a": "1", "b": "2", "c": "3", "d": "4", "e": "5"}
	_, err := f.client.TagContact(c, &connect.TagContactInput{InstanceId: &f.instance, ContactId: &id, Tags: five})
	wantErr[*types.InvalidParameterException](t, err, "6")
	_, err = f.client.TagContact(c, &connect.TagContactInput{InstanceId: &f.instance, ContactId: &id, Tags: map[string]string{"aws:x": "1"}})
	wantErr[*types.InvalidParameterException](t, err, "tags")
	call(f.client.UntagContact(c, &connect.UntagContactInput{InstanceId: &f.instance, ContactId: &id, TagKeys: []string{"dept", "cost"}})).must(t)
	if got := f.describeContact(t, id).Tags; len(got) != 1 || got["aws:connect:instanceId"] != f.instance {
		t.Errorf("after untagging %v", got)
	}
	_, err = f.client.TagContact(c, &connect.TagContactInput{InstanceId: &f.instance, ContactId: aws.String("nope"), Tags: map[string]string{"a": "1"}})
	wantErr[*types.ResourceNotFoundException](t, err, "nope")
}

// TestContactsBelongToTheirInstance: another instance's contact is not
// found.
func TestContactsBelongToTheirInstance(t *testing.T) {
	f := contactFixture(t)
	id := f.startTask(t, f.task("x"))
	other := f.createInstance("other-center")
	_, err := f.client.DescribeContact(ctx(t), &connect.DescribeContactInput{InstanceId: &other, ContactId: &id})
	wantErr[*types.ResourceNotFoundException](t, err, id)
}

// TestDismissUserContact: until routing assigns contacts, a contact is
// never the user's to dismiss.
func TestDismissUserContact(t *testing.T) {
	f := contactFixture(t)
	c := ctx(t)
	user := f.create(t, f.user("agent.one"))
	id := f.startTask(t, f.task("x"))
	_, err := f.client.DismissUserContact(c, &connect.DismissUserContactInput{InstanceId: &f.instance, UserId: &user, ContactId: &id})
	wantErr[*types.InvalidRequestException](t, err, "not assigned", user)
	_, err = f.client.DismissUserContact(c, &connect.DismissUserContactInput{InstanceId: &f.instance, UserId: aws.String("no-such-user"), ContactId: &id})
	wantErr[*types.ResourceNotFoundException](t, err, "no-such-user")
	_, err = f.client.DismissUserContact(c, &connect.DismissUserContactInput{InstanceId: &f.instance, UserId: &user, ContactId: aws.String("nope")})
	wantErr[*types.ResourceNotFoundException](t, err, "nope")
}

// callContactOperations calls every implemented contact operation that has
// an output, for TestEveryAnswerSendsWhatAlwaysSentNames: empty answers
// first (through rec), then filled in.
func callContactOperations(t *testing.T, f *fixture, rec *recorder) {
	c := ctx(t)
	f.ensureInbound(t)
	id := f.startTask(t, f.task("walk"))
	call(f.client.ListContactReferences(c, &connect.ListContactReferencesInput{InstanceId: &f.instance, ContactId: &id, ReferenceTypes: []types.ReferenceType{types.ReferenceTypeUrl}})).must(t)
	if got := rec.last(t, "ListContactReferences"); mustJSON(got["ReferenceSummaryList"]) != "[]" {
		t.Errorf("ListContactReferences with nothing to list: %s", mustJSON(got))
	}
	call(f.client.DescribeContact(c, &connect.DescribeContactInput{InstanceId: &f.instance, ContactId: &id})).must(t)
	if got := rec.last(t, "DescribeContact"); got["Contact"] == nil {
		t.Errorf("DescribeContact: %s", mustJSON(got))
	}
	call(f.client.GetContactAttributes(c, &connect.GetContactAttributesInput{InstanceId: &f.instance, InitialContactId: &id})).must(t)
	call(f.client.StartChatContact(c, f.chat("walker"))).must(t)
	_, number := f.claim(t)
	dial := f.outbound("+14255550100")
	dial.SourcePhoneNumber = &number
	call(f.client.StartOutboundVoiceContact(c, dial)).must(t)
	scheduled := f.task("later")
	scheduled.ScheduledTime = aws.Time(time.Now().Add(time.Hour))
	later := f.startTask(t, scheduled)
	call(f.client.UpdateContactSchedule(c, &connect.UpdateContactScheduleInput{InstanceId: &f.instance, ContactId: &later, ScheduledTime: aws.Time(time.Now().Add(2 * time.Hour))})).must(t)
	queued := f.startTask(t, f.task("queued"))
	f.patchContact(t, queued, func(doc map[string]any) { doc["state"] = "QUEUED" })
	call(f.client.UpdateContactRoutingData(c, &connect.UpdateContactRoutingDataInput{InstanceId: &f.instance, ContactId: &queued, QueuePriority: aws.Int64(1)})).must(t)
	call(f.client.UpdateContactAttributes(c, &connect.UpdateContactAttributesInput{InstanceId: &f.instance, InitialContactId: &id, Attributes: map[string]string{"a": "1"}})).must(t)
	call(f.client.UpdateContact(c, &connect.UpdateContactInput{InstanceId: &f.instance, ContactId: &id,
		References: map[string]types.Reference{"u": ref(types.ReferenceTypeUrl, "https://example.com")}})).must(t)
	call(f.client.ListContactReferences(c, &connect.ListContactReferencesInput{InstanceId: &f.instance, ContactId: &id, ReferenceTypes: []types.ReferenceType{types.ReferenceTypeUrl}})).must(t)
	call(f.client.TagContact(c, &connect.TagContactInput{InstanceId: &f.instance, ContactId: &id, Tags: map[string]string{"k": "v"}})).must(t)
	call(f.client.UntagContact(c, &connect.UntagContactInput{InstanceId: &f.instance, ContactId: &id, TagKeys: []string{"k"}})).must(t)
	call(f.client.StopContact(c, &connect.StopContactInput{InstanceId: &f.instance, ContactId: &id})).must(t)
	call(f.client.DescribeContact(c, &connect.DescribeContactInput{InstanceId: &f.instance, ContactId: &id})).must(t)
	moved := f.startTask(t, f.task("moved"))
	call(f.client.TransferContact(c, &connect.TransferContactInput{InstanceId: &f.instance, ContactId: &moved, QueueId: &f.queue,
		ContactFlowId: aws.String(f.flows[types.ContactFlowTypeContactFlow])})).must(t)
	// Real-time metrics of a queue nobody serves: zeros, in a list.
	f.lookup(t)
	call(f.client.GetCurrentMetricData(c, &connect.GetCurrentMetricDataInput{InstanceId: &f.instance,
		CurrentMetrics: []types.CurrentMetric{{Name: types.CurrentMetricNameAgentsOnline, Unit: types.UnitCount}},
		Filters:        &types.Filters{Queues: []string{f.queue}}, Groupings: []types.Grouping{types.GroupingQueue}})).must(t)
	if got := rec.last(t, "GetCurrentMetricData"); mustJSON(got["MetricResults"]) == "[]" {
		t.Errorf("GetCurrentMetricData of a filtered queue: %s", mustJSON(got))
	}

	// A task its flow puts straight into a queue nobody serves: first in
	// line.
	waiting := f.startTask(t, &connect.StartTaskContactInput{InstanceId: &f.instance, Name: aws.String("waiting"),
		ContactFlowId: aws.String(f.newFlow(t, "Straight to the queue", types.ContactFlowTypeContactFlow, toQueue(f.queue)))})
	call(f.client.GetContactMetrics(c, &connect.GetContactMetricsInput{InstanceId: &f.instance, ContactId: &waiting,
		Metrics: []types.ContactMetricInfo{{Name: types.ContactMetricNamePositionInQueue}}})).must(t)
	if got := rec.last(t, "GetContactMetrics"); mustJSON(got["MetricResults"]) != `[{"Name":"POSITION_IN_QUEUE","Value":{"Number":1}}]` {
		t.Errorf("GetContactMetrics of a waiting task: %s", mustJSON(got))
	}

	// Historical metrics of the last hour for the queue.
	hourAgo, now := time.Now().Add(-time.Hour), time.Now().Add(-time.Second)
	call(f.client.GetMetricDataV2(c, &connect.GetMetricDataV2Input{ResourceArn: aws.String("arn:aws:connect:" + region + ":000000000000:instance/" + f.instance),
		StartTime: &hourAgo, EndTime: &now, Filters: []types.FilterV2{{FilterKey: aws.String("QUEUE"), FilterValues: []string{f.queue}}},
		Groupings: []string{"QUEUE"}, Metrics: []types.MetricV2{{Name: aws.String("CONTACTS_CREATED")}, {Name: aws.String("AVG_HANDLE_TIME")}}})).must(t)
	if got := rec.last(t, "GetMetricDataV2"); got["MetricResults"] == nil {
		t.Errorf("GetMetricDataV2: %s", mustJSON(got))
	}

	// The older historical metrics of the last 5-minute-aligned hour.
	to := time.Now().Truncate(5 * time.Minute)
	from := to.Add(-time.Hour)
	call(f.client.GetMetricData(c, &connect.GetMetricDataInput{InstanceId: &f.instance, StartTime: &from, EndTime: &to,
		Filters: &types.Filters{Queues: []string{f.queue}}, Groupings: []types.Grouping{types.GroupingQueue},
		HistoricalMetrics: []types.HistoricalMetric{{Name: types.HistoricalMetricNameContactsQueued, Unit: types.UnitCount, Statistic: types.StatisticSum}}})).must(t)
	if got := rec.last(t, "GetMetricData"); got["MetricResults"] == nil {
		t.Errorf("GetMetricData: %s", mustJSON(got))
	}

	// A search that finds nothing: an empty list and a count of 0.
	long := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	call(f.client.SearchContacts(c, &connect.SearchContactsInput{InstanceId: &f.instance, TimeRange: &types.SearchContactsTimeRange{
		Type: types.SearchContactsTimeRangeTypeInitiationTimestamp, StartTime: &long, EndTime: &long}})).must(t)
	if got := rec.last(t, "SearchContacts"); mustJSON(got["Contacts"]) != "[]" || mustJSON(got["TotalCount"]) != "0" {
		t.Errorf("SearchContacts finding nothing: %s", mustJSON(got))
	}

	// Until routing exists no contact is assigned to an agent: assign the
	// ended task behind the server's back so DismissUserContact answers.
	user := f.create(t, f.user("walk.agent"))
	f.patchContact(t, id, func(doc map[string]any) { doc["agentId"] = user })
	call(f.client.DismissUserContact(c, &connect.DismissUserContactInput{InstanceId: &f.instance, UserId: &user, ContactId: &id})).must(t)
	if got := f.describeContact(t, id); got.AgentInfo == nil || aws.ToString(got.AgentInfo.Id) != user {
		t.Errorf("AgentInfo of the assigned contact: %+v", got.AgentInfo)
	}
}

// statusOf returns the id of the instance's system status of the type.
func (f *fixture) statusOf(t *testing.T, typ types.AgentStatusType) string {
	t.Helper()
	for _, s := range call(f.client.ListAgentStatuses(ctx(t), &connect.ListAgentStatusesInput{InstanceId: &f.instance})).must(t).AgentStatusSummaryList {
		if s.Type == typ {
			return *s.Id
		}
	}
	t.Fatalf("no %s status", typ)
	return ""
}
