package e2e

import (
	"regexp"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/google/uuid"
	"github.com/switchboard-dev/switchboard/service"
)

// callPhoneNumberOperations calls every implemented operation of this file's
// resources that has an output, for TestEveryAnswerSendsWhatAlwaysSentNames:
// with nothing to list first (checking the empty answers through rec),
// then filled in.
func callPhoneNumberOperations(t *testing.T, f *fixture, rec *recorder) {
	c := ctx(t)
	inst := instanceARNOf(f)
	call(f.client.SearchAvailablePhoneNumbers(c, &connect.SearchAvailablePhoneNumbersInput{TargetArn: &inst,
		PhoneNumberCountryCode: types.PhoneNumberCountryCodeFr, PhoneNumberType: types.PhoneNumberTypeDid})).must(t)
	call(f.client.ListPhoneNumbers(c, &connect.ListPhoneNumbersInput{InstanceId: &f.instance})).must(t)
	call(f.client.ListPhoneNumbersV2(c, &connect.ListPhoneNumbersV2Input{InstanceId: &f.instance})).must(t)
	call(f.client.ListFlowAssociations(c, &connect.ListFlowAssociationsInput{InstanceId: &f.instance})).must(t)
	for op, member := range map[string]string{"SearchAvailablePhoneNumbers": "AvailableNumbersList", "ListPhoneNumbers": "PhoneNumberSummaryList",
		"ListPhoneNumbersV2": "ListPhoneNumbersSummaryList", "ListFlowAssociations": "FlowAssociationSummaryList"} {
		if got, ok := rec.last(t, op)[member].([]any); !ok || len(got) != 0 {
			t.Errorf("%s with nothing to list: %s = %#v, want []", op, member, rec.last(t, op)[member])
		}
	}
	number := f.searchNumbers(t, "US", types.PhoneNumberTypeDid, "", 1)[0]
	claimed := call(f.client.ClaimPhoneNumber(c, &connect.ClaimPhoneNumberInput{TargetArn: &inst, PhoneNumber: &number})).must(t)
	call(f.client.DescribePhoneNumber(c, &connect.DescribePhoneNumberInput{PhoneNumberId: claimed.PhoneNumberId})).must(t)
	if got := rec.last(t, "DescribePhoneNumber")["ClaimedPhoneNumberSummary"].(map[string]any); mustJSON(got["Tags"]) != "{}" {
		t.Errorf("DescribePhoneNumber of an untagged number: Tags %s, want {}", mustJSON(got["Tags"]))
	}
	flow := f.newFlow(t, "Inbound for numbers", types.ContactFlowTypeContactFlow, hangUp)
	call(f.client.AssociatePhoneNumberContactFlow(c, &connect.AssociatePhoneNumberContactFlowInput{InstanceId: &f.instance, PhoneNumberId: claimed.PhoneNumberId, ContactFlowId: &flow})).must(t)
	sms := smsARN("phone-0123456789abcdef0123456789abcdef")
	call(f.client.AssociateFlow(c, &connect.AssociateFlowInput{InstanceId: &f.instance, ResourceId: &sms, FlowId: &flow, ResourceType: types.FlowAssociationResourceTypeSmsPhoneNumber})).must(t)
	call(f.client.GetFlowAssociation(c, &connect.GetFlowAssociationInput{InstanceId: &f.instance, ResourceId: &sms, ResourceType: types.FlowAssociationResourceTypeSmsPhoneNumber})).must(t)
	call(f.client.ListFlowAssociations(c, &connect.ListFlowAssociationsInput{InstanceId: &f.instance})).must(t)
	call(f.client.BatchGetFlowAssociation(c, &connect.BatchGetFlowAssociationInput{InstanceId: &f.instance, ResourceIds: []string{*claimed.PhoneNumberArn, sms}})).must(t)
	call(f.client.ListPhoneNumbers(c, &connect.ListPhoneNumbersInput{InstanceId: &f.instance})).must(t)
	call(f.client.ListPhoneNumbersV2(c, &connect.ListPhoneNumbersV2Input{InstanceId: &f.instance})).must(t)
	call(f.client.SearchAvailablePhoneNumbers(c, &connect.SearchAvailablePhoneNumbersInput{TargetArn: &inst,
		PhoneNumberCountryCode: types.PhoneNumberCountryCodeGb, PhoneNumberType: types.PhoneNumberTypeDid})).must(t)
	call(f.client.UpdatePhoneNumber(c, &connect.UpdatePhoneNumberInput{PhoneNumberId: claimed.PhoneNumberId, TargetArn: &inst})).must(t)
	call(f.client.UpdatePhoneNumberMetadata(c, &connect.UpdatePhoneNumberMetadataInput{PhoneNumberId: claimed.PhoneNumberId, PhoneNumberDescription: aws.String("d")})).must(t)
	call(f.client.DisassociateFlow(c, &connect.DisassociateFlowInput{InstanceId: &f.instance, ResourceId: &sms, ResourceType: types.FlowAssociationResourceTypeSmsPhoneNumber})).must(t)
	call(f.client.DisassociatePhoneNumberContactFlow(c, &connect.DisassociatePhoneNumberContactFlowInput{InstanceId: &f.instance, PhoneNumberId: claimed.PhoneNumberId})).must(t)
	call(f.client.ReleasePhoneNumber(c, &connect.ReleasePhoneNumberInput{PhoneNumberId: claimed.PhoneNumberId})).must(t)
}

func instanceARNOf(f *fixture) string {
	return "arn:aws:connect:" + region + ":000000000000:instance/" + f.instance
}

func phoneARN(id string) string {
	return "arn:aws:connect:" + region + ":000000000000:phone-number/" + id
}

func smsARN(id string) string {
	return "arn:aws:sms-voice:" + region + ":000000000000:phone-number/" + id
}

// searchNumbers pages SearchAvailablePhoneNumbers (two at a time) for the
// fixture's instance and returns up to n numbers (0: all).
func (f *fixture) searchNumbers(t *testing.T, country types.PhoneNumberCountryCode, typ types.PhoneNumberType, prefix string, n int) []string {
	t.Helper()
	in := &connect.SearchAvailablePhoneNumbersInput{InstanceId: &f.instance, PhoneNumberCountryCode: country, PhoneNumberType: typ, MaxResults: aws.Int32(2)}
	if prefix != "" {
		in.PhoneNumberPrefix = &prefix
	}
	var out []string
	p := connect.NewSearchAvailablePhoneNumbersPaginator(f.client, in)
	for p.HasMorePages() {
		for _, a := range call(p.NextPage(ctx(t))).must(t).AvailableNumbersList {
			if a.PhoneNumberCountryCode != country || a.PhoneNumberType != typ {
				t.Fatalf("searching %s %s found %+v", country, typ, a)
			}
			out = append(out, *a.PhoneNumber)
			if len(out) == n {
				return out
			}
		}
	}
	return out
}

// claim claims the first available US DID to the fixture's instance and
// returns its id.
func (f *fixture) claim(t *testing.T) (id, number string) {
	t.Helper()
	number = f.searchNumbers(t, "US", types.PhoneNumberTypeDid, "", 1)[0]
	out := call(f.client.ClaimPhoneNumber(ctx(t), &connect.ClaimPhoneNumberInput{InstanceId: &f.instance, PhoneNumber: &number})).must(t)
	return *out.PhoneNumberId, number
}

func (f *fixture) describeNumber(t *testing.T, id string) *types.ClaimedPhoneNumberSummary {
	t.Helper()
	return call(f.client.DescribePhoneNumber(ctx(t), &connect.DescribePhoneNumberInput{PhoneNumberId: &id})).must(t).ClaimedPhoneNumberSummary
}

// nanpFiction is a number of NANPA's fictitious 555-0100..0199 lines.
var nanpFiction = regexp.MustCompile(`^\+1[2-9]\d\d5550(1\d\d)$`)

// TestSearchAvailablePhoneNumbers: only numbers reserved for fiction are
// offered, in a fixed order, paged, filtered by prefix, and not once
// claimed.
func TestSearchAvailablePhoneNumbers(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	t.Run("US numbers are NANPA's fictitious 555-01XX lines", func(t *testing.T) {
		got := f.searchNumbers(t, "US", types.PhoneNumberTypeDid, "", 0)
		if len(got) != 1000 {
			t.Fatalf("%d US numbers, want 1000 (10 area codes x 100)", len(got))
		}
		seen := map[string]bool{}
		for _, n := range got {
			if !nanpFiction.MatchString(n) || seen[n] {
				t.Fatalf("%s offered (repeated: %v)", n, seen[n])
			}
			seen[n] = true
		}
		if again := f.searchNumbers(t, "US", types.PhoneNumberTypeDid, "", 3); again[0] != got[0] || again[2] != got[2] {
			t.Errorf("the order changed between searches: %v, then %v", got[:3], again)
		}
	})
	t.Run("the prefix narrows the search", func(t *testing.T) {
		got := f.searchNumbers(t, "GB", types.PhoneNumberTypeDid, "+44207946", 0)
		if len(got) != 1000 || got[0] != "+442079460000" || got[999] != "+442079460999" {
			t.Fatalf("London drama numbers: %d, %v..%v", len(got), got[0], got[len(got)-1])
		}
	})
	t.Run("Australian mobiles are ACMA's listed numbers", func(t *testing.T) {
		got := f.searchNumbers(t, "AU", types.PhoneNumberTypeDid, "+61491", 0)
		if len(got) != 30 || got[0] != "+61491570006" {
			t.Fatalf("AU mobiles: %v", got)
		}
	})
	t.Run("toll-free numbers exist where a fictitious range does", func(t *testing.T) {
		if got := f.searchNumbers(t, "GB", types.PhoneNumberTypeTollFree, "", 1); len(got) != 1 || got[0] != "+448081570000" {
			t.Errorf("GB toll-free: %v", got)
		}
		if got := f.searchNumbers(t, "US", types.PhoneNumberTypeTollFree, "", 0); len(got) != 0 {
			t.Errorf("US toll-free (no fictitious range): %v", got)
		}
	})
	t.Run("a country without a fictitious range has none", func(t *testing.T) {
		out := call(f.client.SearchAvailablePhoneNumbers(c, &connect.SearchAvailablePhoneNumbersInput{InstanceId: &f.instance,
			PhoneNumberCountryCode: types.PhoneNumberCountryCodeDe, PhoneNumberType: types.PhoneNumberTypeDid})).must(t)
		if len(out.AvailableNumbersList) != 0 || out.NextToken != nil {
			t.Errorf("DE: %+v", out)
		}
	})
	t.Run("a claimed number is no longer offered", func(t *testing.T) {
		_, number := f.claim(t)
		for _, n := range f.searchNumbers(t, "US", types.PhoneNumberTypeDid, "", 5) {
			if n == number {
				t.Fatalf("%s offered after it was claimed", n)
			}
		}
	})
	t.Run("a prefix without + is refused", func(t *testing.T) {
		_, err := f.client.SearchAvailablePhoneNumbers(c, &connect.SearchAvailablePhoneNumbersInput{InstanceId: &f.instance,
			PhoneNumberCountryCode: "US", PhoneNumberType: types.PhoneNumberTypeDid, PhoneNumberPrefix: aws.String("1202")})
		wantErr[*types.InvalidParameterException](t, err, "PhoneNumberPrefix")
	})
	t.Run("a target is required", func(t *testing.T) {
		_, err := f.client.SearchAvailablePhoneNumbers(c, &connect.SearchAvailablePhoneNumbersInput{PhoneNumberCountryCode: "US", PhoneNumberType: types.PhoneNumberTypeDid})
		wantErr[*types.InvalidParameterException](t, err, "TargetArn", "InstanceId")
	})
	t.Run("an unknown instance is an invalid parameter", func(t *testing.T) {
		_, err := f.client.SearchAvailablePhoneNumbers(c, &connect.SearchAvailablePhoneNumbersInput{InstanceId: aws.String("no-such-instance"),
			PhoneNumberCountryCode: "US", PhoneNumberType: types.PhoneNumberTypeDid})
		wantErr[*types.InvalidParameterException](t, err, "no-such-instance")
	})
}

// TestClaimPhoneNumber: one rule per case.
func TestClaimPhoneNumber(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	inst := instanceARNOf(f)
	t.Run("IN_PROGRESS on the first read, CLAIMED afterwards", func(t *testing.T) {
		number := f.searchNumbers(t, "GB", types.PhoneNumberTypeDid, "+44113", 1)[0]
		out := call(f.client.ClaimPhoneNumber(c, &connect.ClaimPhoneNumberInput{TargetArn: &inst, PhoneNumber: &number,
			PhoneNumberDescription: aws.String("Leeds line"), Tags: map[string]string{"team": "north"}})).must(t)
		if *out.PhoneNumberArn != phoneARN(*out.PhoneNumberId) {
			t.Errorf("ARN %s", *out.PhoneNumberArn)
		}
		first := f.describeNumber(t, *out.PhoneNumberId)
		if first.PhoneNumberStatus.Status != types.PhoneNumberWorkflowStatusInProgress {
			t.Errorf("first read: %s", first.PhoneNumberStatus.Status)
		}
		got := f.describeNumber(t, *out.PhoneNumberArn)
		if got.PhoneNumberStatus.Status != types.PhoneNumberWorkflowStatusClaimed || *got.PhoneNumber != number || got.PhoneNumberCountryCode != "GB" ||
			got.PhoneNumberType != types.PhoneNumberTypeDid || *got.TargetArn != inst || *got.InstanceId != f.instance ||
			aws.ToString(got.PhoneNumberDescription) != "Leeds line" || got.Tags["team"] != "north" || *got.PhoneNumberArn != *out.PhoneNumberArn {
			t.Errorf("second read: %+v %+v", got, got.PhoneNumberStatus)
		}
	})
	t.Run("a number not offered is not available", func(t *testing.T) {
		_, err := f.client.ClaimPhoneNumber(c, &connect.ClaimPhoneNumberInput{InstanceId: &f.instance, PhoneNumber: aws.String("+12065551234")})
		wantErr[*types.InvalidParameterException](t, err, "Phone number not available", "+12065551234")
	})
	t.Run("a claimed number is not available", func(t *testing.T) {
		_, number := f.claim(t)
		_, err := f.client.ClaimPhoneNumber(c, &connect.ClaimPhoneNumberInput{InstanceId: &f.instance, PhoneNumber: &number})
		wantErr[*types.InvalidParameterException](t, err, number)
	})
	t.Run("a ClientToken repeated with the same request answers the same number", func(t *testing.T) {
		number := f.searchNumbers(t, "US", types.PhoneNumberTypeDid, "", 1)[0]
		tok := uuid.NewString()
		in := &connect.ClaimPhoneNumberInput{InstanceId: &f.instance, PhoneNumber: &number, ClientToken: &tok}
		a := call(f.client.ClaimPhoneNumber(c, in)).must(t)
		b := call(f.client.ClaimPhoneNumber(c, in)).must(t)
		if *a.PhoneNumberId != *b.PhoneNumberId {
			t.Errorf("retry answered %s, first call %s", *b.PhoneNumberId, *a.PhoneNumberId)
		}
		in.PhoneNumberDescription = aws.String("other")
		_, err := f.client.ClaimPhoneNumber(c, in)
		wantErr[*types.IdempotencyException](t, err, tok)
	})
	t.Run("a ClientToken must be a UUID", func(t *testing.T) {
		number := f.searchNumbers(t, "US", types.PhoneNumberTypeDid, "", 1)[0]
		_, err := f.client.ClaimPhoneNumber(c, &connect.ClaimPhoneNumberInput{InstanceId: &f.instance, PhoneNumber: &number, ClientToken: aws.String("not-a-uuid")})
		wantErr[*types.InvalidParameterException](t, err, "clientToken")
	})
	t.Run("a traffic distribution group is not found", func(t *testing.T) {
		tdg := "arn:aws:connect:" + region + ":000000000000:traffic-distribution-group/" + uuid.NewString()
		_, err := f.client.ClaimPhoneNumber(c, &connect.ClaimPhoneNumberInput{TargetArn: &tdg, PhoneNumber: aws.String("+12025550100")})
		wantErr[*types.ResourceNotFoundException](t, err, tdg)
	})
	t.Run("an unknown instance is not found", func(t *testing.T) {
		_, err := f.client.ClaimPhoneNumber(c, &connect.ClaimPhoneNumberInput{InstanceId: aws.String("no-such-instance"), PhoneNumber: aws.String("+12025550100")})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-instance")
	})
	t.Run("TargetArn and InstanceId must agree", func(t *testing.T) {
		_, err := f.client.ClaimPhoneNumber(c, &connect.ClaimPhoneNumberInput{TargetArn: &inst, InstanceId: aws.String("other"), PhoneNumber: aws.String("+12025550100")})
		wantErr[*types.InvalidParameterException](t, err, "TargetArn", "InstanceId")
	})
	t.Run("a released number can be claimed again, with a new id", func(t *testing.T) {
		id, number := f.claim(t)
		call(f.client.ReleasePhoneNumber(c, &connect.ReleasePhoneNumberInput{PhoneNumberId: &id})).must(t)
		again := call(f.client.ClaimPhoneNumber(c, &connect.ClaimPhoneNumberInput{InstanceId: &f.instance, PhoneNumber: &number})).must(t)
		if *again.PhoneNumberId == id {
			t.Errorf("the new claim kept the id %s", id)
		}
	})
}

// TestPhoneNumberQuota: a claim past the instance's quota succeeds as
// FAILED (the model: a common reason for FAILED is a target at its limit),
// is not listed, and can be released; so can a move into a full instance.
func TestPhoneNumberQuota(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{quotas: service.Quotas{PhoneNumbersPerInstance: 1}})
	c := ctx(t)
	f.claim(t)
	failed, _ := f.claim(t)
	st := f.describeNumber(t, failed).PhoneNumberStatus
	if st.Status != types.PhoneNumberWorkflowStatusFailed || aws.ToString(st.Message) == "" {
		t.Fatalf("claim past the quota: %+v", st)
	}
	if got := f.describeNumber(t, failed).PhoneNumberStatus.Status; got != types.PhoneNumberWorkflowStatusFailed {
		t.Errorf("a FAILED number became %s", got)
	}
	if got := call(f.client.ListPhoneNumbersV2(c, &connect.ListPhoneNumbersV2Input{})).must(t).ListPhoneNumbersSummaryList; len(got) != 1 {
		t.Errorf("listed %d numbers, want the one CLAIMED", len(got))
	}
	call(f.client.ReleasePhoneNumber(c, &connect.ReleasePhoneNumberInput{PhoneNumberId: &failed})).must(t)

	other := f.createInstance("quota-two")
	otherNumber := f.searchNumbers(t, "GB", types.PhoneNumberTypeDid, "", 1)[0]
	moving := *call(f.client.ClaimPhoneNumber(c, &connect.ClaimPhoneNumberInput{InstanceId: &other, PhoneNumber: &otherNumber})).must(t).PhoneNumberId
	call(f.client.UpdatePhoneNumber(c, &connect.UpdatePhoneNumberInput{PhoneNumberId: &moving, InstanceId: &f.instance})).must(t)
	if got := f.describeNumber(t, moving); got.PhoneNumberStatus.Status != types.PhoneNumberWorkflowStatusFailed || *got.InstanceId != other {
		t.Errorf("a move into a full instance: %s in %s", got.PhoneNumberStatus.Status, *got.InstanceId)
	}
}

// TestListPhoneNumbers: V1 per instance with its instance-scoped ARNs and
// filters; V2 by target, for the whole Region, with filters and prefix.
func TestListPhoneNumbers(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	us, _ := f.claim(t)
	gbNumber := f.searchNumbers(t, "GB", types.PhoneNumberTypeTollFree, "", 1)[0]
	gb := *call(f.client.ClaimPhoneNumber(c, &connect.ClaimPhoneNumberInput{InstanceId: &f.instance, PhoneNumber: &gbNumber, PhoneNumberDescription: aws.String("free")})).must(t).PhoneNumberId
	other := f.createInstance("list-two")
	auNumber := f.searchNumbers(t, "AU", types.PhoneNumberTypeDid, "", 1)[0]
	au := *call(f.client.ClaimPhoneNumber(c, &connect.ClaimPhoneNumberInput{InstanceId: &other, PhoneNumber: &auNumber})).must(t).PhoneNumberId

	t.Run("V1 lists the instance's numbers with instance-scoped ARNs", func(t *testing.T) {
		got := call(f.client.ListPhoneNumbers(c, &connect.ListPhoneNumbersInput{InstanceId: &f.instance})).must(t).PhoneNumberSummaryList
		if len(got) != 2 || *got[0].Id != us || *got[1].Id != gb || *got[1].Arn != instanceARNOf(f)+"/phone-number/"+gb ||
			got[1].PhoneNumberType != types.PhoneNumberTypeTollFree || got[1].PhoneNumberCountryCode != "GB" {
			t.Fatalf("%+v", got)
		}
		_, err := f.client.TagResource(c, &connect.TagResourceInput{ResourceArn: got[0].Arn, Tags: map[string]string{"k": "v"}})
		wantErr[*types.ResourceNotFoundException](t, err)
	})
	t.Run("V1 filters by type and country", func(t *testing.T) {
		got := call(f.client.ListPhoneNumbers(c, &connect.ListPhoneNumbersInput{InstanceId: &f.instance, PhoneNumberTypes: []types.PhoneNumberType{types.PhoneNumberTypeDid}})).must(t).PhoneNumberSummaryList
		if len(got) != 1 || *got[0].Id != us {
			t.Errorf("DID: %+v", got)
		}
		got = call(f.client.ListPhoneNumbers(c, &connect.ListPhoneNumbersInput{InstanceId: &f.instance, PhoneNumberCountryCodes: []types.PhoneNumberCountryCode{"GB"}})).must(t).PhoneNumberSummaryList
		if len(got) != 1 || *got[0].Id != gb {
			t.Errorf("GB: %+v", got)
		}
	})
	t.Run("V2 without a target lists the whole Region", func(t *testing.T) {
		var ids []string
		p := connect.NewListPhoneNumbersV2Paginator(f.client, &connect.ListPhoneNumbersV2Input{MaxResults: aws.Int32(1)})
		for p.HasMorePages() {
			for _, n := range call(p.NextPage(c)).must(t).ListPhoneNumbersSummaryList {
				ids = append(ids, *n.PhoneNumberId)
			}
		}
		if len(ids) != 3 || ids[2] != au {
			t.Errorf("%v", ids)
		}
	})
	t.Run("V2 by target, with its members", func(t *testing.T) {
		otherARN := "arn:aws:connect:" + region + ":000000000000:instance/" + other
		got := call(f.client.ListPhoneNumbersV2(c, &connect.ListPhoneNumbersV2Input{TargetArn: &otherARN})).must(t).ListPhoneNumbersSummaryList
		if len(got) != 1 || *got[0].PhoneNumberId != au || *got[0].TargetArn != otherARN || *got[0].InstanceId != other ||
			*got[0].PhoneNumberArn != phoneARN(au) || *got[0].PhoneNumber != auNumber {
			t.Errorf("%+v", got)
		}
	})
	t.Run("V2 filters by prefix, type and country", func(t *testing.T) {
		got := call(f.client.ListPhoneNumbersV2(c, &connect.ListPhoneNumbersV2Input{PhoneNumberPrefix: aws.String("+44")})).must(t).ListPhoneNumbersSummaryList
		if len(got) != 1 || *got[0].PhoneNumberId != gb || aws.ToString(got[0].PhoneNumberDescription) != "free" {
			t.Errorf("prefix: %+v", got)
		}
		got = call(f.client.ListPhoneNumbersV2(c, &connect.ListPhoneNumbersV2Input{PhoneNumberTypes: []types.PhoneNumberType{types.PhoneNumberTypeDid},
			PhoneNumberCountryCodes: []types.PhoneNumberCountryCode{"AU", "US"}})).must(t).ListPhoneNumbersSummaryList
		if len(got) != 2 {
			t.Errorf("DID in AU or US: %+v", got)
		}
	})
	t.Run("an unknown target is not found", func(t *testing.T) {
		_, err := f.client.ListPhoneNumbersV2(c, &connect.ListPhoneNumbersV2Input{InstanceId: aws.String("no-such-instance")})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-instance")
		_, err = f.client.ListPhoneNumbers(c, &connect.ListPhoneNumbersInput{InstanceId: aws.String("no-such-instance")})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-instance")
	})
}

// TestUpdatePhoneNumbers: moving a number, its metadata, releasing it,
// tagging it through its ARN, and what DeleteInstance does to it.
func TestUpdatePhoneNumbers(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	t.Run("a move changes the target and drops the flow association", func(t *testing.T) {
		id, _ := f.claim(t)
		flow := f.newFlow(t, "Move inbound", types.ContactFlowTypeContactFlow, hangUp)
		call(f.client.AssociatePhoneNumberContactFlow(c, &connect.AssociatePhoneNumberContactFlowInput{InstanceId: &f.instance, PhoneNumberId: &id, ContactFlowId: &flow})).must(t)
		other := f.createInstance("move-two")
		out := call(f.client.UpdatePhoneNumber(c, &connect.UpdatePhoneNumberInput{PhoneNumberId: &id, InstanceId: &other})).must(t)
		if *out.PhoneNumberId != id || *out.PhoneNumberArn != phoneARN(id) {
			t.Errorf("%+v", out)
		}
		if st := f.describeNumber(t, id); st.PhoneNumberStatus.Status != types.PhoneNumberWorkflowStatusInProgress || *st.InstanceId != other {
			t.Errorf("after the move: %s in %s", st.PhoneNumberStatus.Status, *st.InstanceId)
		}
		if got := call(f.client.ListFlowAssociations(c, &connect.ListFlowAssociationsInput{InstanceId: &f.instance})).must(t).FlowAssociationSummaryList; len(got) != 0 {
			t.Errorf("the old instance keeps %+v", got)
		}
		call(f.client.DeleteContactFlow(c, &connect.DeleteContactFlowInput{InstanceId: &f.instance, ContactFlowId: &flow})).must(t)
		call(f.client.DeleteInstance(c, &connect.DeleteInstanceInput{InstanceId: &other})).must(t)
	})
	t.Run("a ClientToken reused for another move is refused", func(t *testing.T) {
		id, _ := f.claim(t)
		tok := uuid.NewString()
		call(f.client.UpdatePhoneNumber(c, &connect.UpdatePhoneNumberInput{PhoneNumberId: &id, InstanceId: &f.instance, ClientToken: &tok})).must(t)
		inst := instanceARNOf(f)
		call(f.client.UpdatePhoneNumber(c, &connect.UpdatePhoneNumberInput{PhoneNumberId: &id, TargetArn: &inst, ClientToken: &tok})).must(t)
		other := f.createInstance("token-two")
		_, err := f.client.UpdatePhoneNumber(c, &connect.UpdatePhoneNumberInput{PhoneNumberId: &id, InstanceId: &other, ClientToken: &tok})
		wantErr[*types.IdempotencyException](t, err, tok)
		call(f.client.DeleteInstance(c, &connect.DeleteInstanceInput{InstanceId: &other})).must(t)
	})
	t.Run("metadata sets and removes the description", func(t *testing.T) {
		id, _ := f.claim(t)
		call(f.client.UpdatePhoneNumberMetadata(c, &connect.UpdatePhoneNumberMetadataInput{PhoneNumberId: aws.String(phoneARN(id)), PhoneNumberDescription: aws.String("Sales")})).must(t)
		if got := f.describeNumber(t, id); aws.ToString(got.PhoneNumberDescription) != "Sales" {
			t.Errorf("description %v", got.PhoneNumberDescription)
		}
		call(f.client.UpdatePhoneNumberMetadata(c, &connect.UpdatePhoneNumberMetadataInput{PhoneNumberId: &id, PhoneNumberDescription: aws.String("")})).must(t)
		if got := f.describeNumber(t, id); got.PhoneNumberDescription != nil {
			t.Errorf("description %v after removing it", *got.PhoneNumberDescription)
		}
		_, err := f.client.UpdatePhoneNumberMetadata(c, &connect.UpdatePhoneNumberMetadataInput{PhoneNumberId: &id})
		wantErr[*types.InvalidRequestException](t, err, "PhoneNumberDescription")
	})
	t.Run("tags through the phone-number ARN", func(t *testing.T) {
		id, _ := f.claim(t)
		arn := phoneARN(id)
		call(f.client.TagResource(c, &connect.TagResourceInput{ResourceArn: &arn, Tags: map[string]string{"env": "test"}})).must(t)
		call(f.client.UntagResource(c, &connect.UntagResourceInput{ResourceArn: &arn, TagKeys: []string{"none"}})).must(t)
		if got := call(f.client.ListTagsForResource(c, &connect.ListTagsForResourceInput{ResourceArn: &arn})).must(t).Tags; len(got) != 1 || got["env"] != "test" {
			t.Errorf("tags %v", got)
		}
		if got := f.describeNumber(t, id).Tags; got["env"] != "test" {
			t.Errorf("DescribePhoneNumber tags %v", got)
		}
	})
	t.Run("release, then the number is gone; a retried release succeeds", func(t *testing.T) {
		id, _ := f.claim(t)
		tok := uuid.NewString()
		call(f.client.ReleasePhoneNumber(c, &connect.ReleasePhoneNumberInput{PhoneNumberId: &id, ClientToken: &tok})).must(t)
		call(f.client.ReleasePhoneNumber(c, &connect.ReleasePhoneNumberInput{PhoneNumberId: &id, ClientToken: &tok})).must(t)
		_, err := f.client.DescribePhoneNumber(c, &connect.DescribePhoneNumberInput{PhoneNumberId: &id})
		wantErr[*types.ResourceNotFoundException](t, err, id)
		_, err = f.client.ReleasePhoneNumber(c, &connect.ReleasePhoneNumberInput{PhoneNumberId: &id})
		wantErr[*types.ResourceNotFoundException](t, err, id)
	})
	t.Run("an unknown number is not found", func(t *testing.T) {
		for _, id := range []string{"no-such-number", phoneARN("no-such-number"), "arn:aws:connect:eu-west-1:000000000000:phone-number/x"} {
			_, err := f.client.DescribePhoneNumber(c, &connect.DescribePhoneNumberInput{PhoneNumberId: &id})
			wantErr[*types.ResourceNotFoundException](t, err, id)
			_, err = f.client.UpdatePhoneNumber(c, &connect.UpdatePhoneNumberInput{PhoneNumberId: &id, InstanceId: &f.instance})
			wantErr[*types.ResourceNotFoundException](t, err, id)
		}
	})
	t.Run("DeleteInstance releases the instance's numbers", func(t *testing.T) {
		other := f.createInstance("delete-two")
		number := f.searchNumbers(t, "CA", types.PhoneNumberTypeDid, "", 1)[0]
		id := *call(f.client.ClaimPhoneNumber(c, &connect.ClaimPhoneNumberInput{InstanceId: &other, PhoneNumber: &number})).must(t).PhoneNumberId
		call(f.client.DeleteInstance(c, &connect.DeleteInstanceInput{InstanceId: &other})).must(t)
		_, err := f.client.DescribePhoneNumber(c, &connect.DescribePhoneNumberInput{PhoneNumberId: &id})
		wantErr[*types.ResourceNotFoundException](t, err)
		if got := f.searchNumbers(t, "CA", types.PhoneNumberTypeDid, "", 1); got[0] != number {
			t.Errorf("%s is not offered again (first offered: %s)", number, got[0])
		}
	})
}

// TestPhoneNumberContactFlow: a number's inbound flow.
func TestPhoneNumberContactFlow(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	id, _ := f.claim(t)
	flow := f.newFlow(t, "Inbound", types.ContactFlowTypeContactFlow, hangUp)
	assoc := func(flow, instance string) error {
		_, err := f.client.AssociatePhoneNumberContactFlow(c, &connect.AssociatePhoneNumberContactFlowInput{InstanceId: &instance, PhoneNumberId: &id, ContactFlowId: &flow})
		return err
	}
	voice := func() []types.FlowAssociationSummary {
		return call(f.client.ListFlowAssociations(c, &connect.ListFlowAssociationsInput{InstanceId: &f.instance, ResourceType: types.ListFlowAssociationResourceTypeVoicePhoneNumber})).must(t).FlowAssociationSummaryList
	}
	t.Run("the association is listed with the number's and the flow's ARNs", func(t *testing.T) {
		if err := assoc(flow, f.instance); err != nil {
			t.Fatal(err)
		}
		got := voice()
		if len(got) != 1 || *got[0].ResourceId != phoneARN(id) || *got[0].FlowId != arnOf(f, "contact-flow", flow) || got[0].ResourceType != types.ListFlowAssociationResourceTypeVoicePhoneNumber {
			t.Fatalf("%+v", got)
		}
		for _, rid := range []string{id, phoneARN(id)} {
			b := call(f.client.BatchGetFlowAssociation(c, &connect.BatchGetFlowAssociationInput{InstanceId: &f.instance, ResourceIds: []string{rid, "missing"}})).must(t).FlowAssociationSummaryList
			if len(b) != 1 || *b[0].FlowId != *got[0].FlowId {
				t.Errorf("BatchGetFlowAssociation of %s: %+v", rid, b)
			}
		}
	})
	t.Run("a flow of another type is refused", func(t *testing.T) {
		wantErr[*types.InvalidParameterException](t, assoc(f.flows[types.ContactFlowTypeCustomerQueue], f.instance), "CONTACT_FLOW")
	})
	t.Run("an unknown flow is not found", func(t *testing.T) {
		wantErr[*types.ResourceNotFoundException](t, assoc("no-such-flow", f.instance), "no-such-flow")
	})
	t.Run("the number must be claimed to the instance", func(t *testing.T) {
		other := f.createInstance("flow-two")
		wantErr[*types.ResourceNotFoundException](t, assoc(flow, other), id, other)
		call(f.client.DeleteInstance(c, &connect.DeleteInstanceInput{InstanceId: &other})).must(t)
	})
	t.Run("a flow a number uses cannot be deleted", func(t *testing.T) {
		_, err := f.client.DeleteContactFlow(c, &connect.DeleteContactFlowInput{InstanceId: &f.instance, ContactFlowId: &flow})
		wantErr[*types.InvalidRequestException](t, err, flow, "associated with arn:aws:connect:"+region+":000000000000:phone-number/"+id)
	})
	t.Run("a second association replaces the first", func(t *testing.T) {
		second := f.newFlow(t, "Inbound 2", types.ContactFlowTypeContactFlow, hangUp)
		if err := assoc(second, f.instance); err != nil {
			t.Fatal(err)
		}
		if got := voice(); len(got) != 1 || *got[0].FlowId != arnOf(f, "contact-flow", second) {
			t.Fatalf("%+v", got)
		}
		call(f.client.DeleteContactFlow(c, &connect.DeleteContactFlowInput{InstanceId: &f.instance, ContactFlowId: &flow})).must(t)
	})
	t.Run("disassociating twice is not found the second time", func(t *testing.T) {
		in := &connect.DisassociatePhoneNumberContactFlowInput{InstanceId: &f.instance, PhoneNumberId: &id}
		call(f.client.DisassociatePhoneNumberContactFlow(c, in)).must(t)
		_, err := f.client.DisassociatePhoneNumberContactFlow(c, in)
		wantErr[*types.ResourceNotFoundException](t, err, id)
		if got := voice(); len(got) != 0 {
			t.Errorf("%+v", got)
		}
	})
	t.Run("releasing a number drops its association", func(t *testing.T) {
		if err := assoc(flow2(t, f), f.instance); err != nil {
			t.Fatal(err)
		}
		call(f.client.ReleasePhoneNumber(c, &connect.ReleasePhoneNumberInput{PhoneNumberId: &id})).must(t)
		if got := voice(); len(got) != 0 {
			t.Errorf("%+v", got)
		}
	})
}

func flow2(t *testing.T, f *fixture) string {
	return f.newFlow(t, "Inbound 3", types.ContactFlowTypeContactFlow, hangUp)
}

// TestAssociateFlow: SMS and WhatsApp numbers of AWS End User Messaging
// take any well-formed ARN of the account and Region; email addresses and
// analytics connectors are not kept, so none is found.
func TestAssociateFlow(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	flow := f.newFlow(t, "Messages", types.ContactFlowTypeContactFlow, hangUp)
	sms := smsARN("phone-0123456789abcdef0123456789abcdef")
	wa := "arn:aws:social-messaging:" + region + ":000000000000:phone-number-id/0123456789abcdef"
	associate := func(rt types.FlowAssociationResourceType, rid, flow string) error {
		_, err := f.client.AssociateFlow(c, &connect.AssociateFlowInput{InstanceId: &f.instance, ResourceId: &rid, FlowId: &flow, ResourceType: rt})
		return err
	}
	t.Run("an SMS number's flow is got, listed and batch-got", func(t *testing.T) {
		if err := associate(types.FlowAssociationResourceTypeSmsPhoneNumber, sms, arnOf(f, "contact-flow", flow)); err != nil {
			t.Fatal(err)
		}
		got := call(f.client.GetFlowAssociation(c, &connect.GetFlowAssociationInput{InstanceId: &f.instance, ResourceId: &sms, ResourceType: types.FlowAssociationResourceTypeSmsPhoneNumber})).must(t)
		if *got.ResourceId != sms || *got.FlowId != arnOf(f, "contact-flow", flow) || got.ResourceType != types.FlowAssociationResourceTypeSmsPhoneNumber {
			t.Errorf("%+v", got)
		}
		if err := associate(types.FlowAssociationResourceTypeWhatsappMessagingPhoneNumber, wa, flow); err != nil {
			t.Fatal(err)
		}
		var all []string
		p := connect.NewListFlowAssociationsPaginator(f.client, &connect.ListFlowAssociationsInput{InstanceId: &f.instance, MaxResults: aws.Int32(1)})
		for p.HasMorePages() {
			for _, a := range call(p.NextPage(c)).must(t).FlowAssociationSummaryList {
				all = append(all, *a.ResourceId)
			}
		}
		sort.Strings(all)
		if len(all) != 2 || all[0] != wa && all[1] != wa {
			t.Errorf("listed %v", all)
		}
		b := call(f.client.BatchGetFlowAssociation(c, &connect.BatchGetFlowAssociationInput{InstanceId: &f.instance, ResourceIds: []string{wa},
			ResourceType: types.ListFlowAssociationResourceTypeWhatsappMessagingPhoneNumber})).must(t).FlowAssociationSummaryList
		if len(b) != 1 || *b[0].ResourceId != wa {
			t.Errorf("%+v", b)
		}
	})
	t.Run("a malformed ResourceId is an invalid parameter", func(t *testing.T) {
		wantErr[*types.InvalidParameterException](t, associate(types.FlowAssociationResourceTypeSmsPhoneNumber, wa, flow), "ResourceId")
	})
	t.Run("another account's number is not found", func(t *testing.T) {
		wantErr[*types.ResourceNotFoundException](t, associate(types.FlowAssociationResourceTypeSmsPhoneNumber,
			"arn:aws:sms-voice:"+region+":111111111111:phone-number/phone-1", flow), "111111111111")
	})
	t.Run("email addresses are not found", func(t *testing.T) {
		email := "arn:aws:connect:" + region + ":000000000000:instance/" + f.instance + "/email-address/x"
		wantErr[*types.ResourceNotFoundException](t, associate(types.FlowAssociationResourceTypeInboundEmail, email, flow), "INBOUND_EMAIL")
	})
	t.Run("a flow of another type is refused", func(t *testing.T) {
		wantErr[*types.InvalidParameterException](t, associate(types.FlowAssociationResourceTypeSmsPhoneNumber, sms, f.flows[types.ContactFlowTypeCustomerQueue]), "FlowId")
	})
	t.Run("disassociate, then get and disassociate are not found", func(t *testing.T) {
		in := &connect.DisassociateFlowInput{InstanceId: &f.instance, ResourceId: &sms, ResourceType: types.FlowAssociationResourceTypeSmsPhoneNumber}
		call(f.client.DisassociateFlow(c, in)).must(t)
		_, err := f.client.DisassociateFlow(c, in)
		wantErr[*types.ResourceNotFoundException](t, err, sms)
		_, err = f.client.GetFlowAssociation(c, &connect.GetFlowAssociationInput{InstanceId: &f.instance, ResourceId: &sms, ResourceType: types.FlowAssociationResourceTypeSmsPhoneNumber})
		wantErr[*types.ResourceNotFoundException](t, err, sms)
	})
	t.Run("an unknown instance is not found", func(t *testing.T) {
		_, err := f.client.ListFlowAssociations(c, &connect.ListFlowAssociationsInput{InstanceId: aws.String("no-such-instance")})
		wantErr[*types.ResourceNotFoundException](t, err, "no-such-instance")
	})
}

// TestTerraformPhoneNumberSequence replays what Terraform's
// aws_connect_phone_number and aws_connect_phone_number_contact_flow_association
// do: search one number by TargetArn, claim it with a UUID ClientToken and
// tags, poll DescribePhoneNumber until CLAIMED (Pending IN_PROGRESS, Target
// CLAIMED), read, retag, move (and poll again), associate a flow and find
// it through ListFlowAssociations, then disassociate and release (Describe
// is then ResourceNotFoundException, which the delete waiter takes as done).
func TestTerraformPhoneNumberSequence(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	target := instanceARNOf(f)
	waitClaimed := func(id string) (polls int) {
		for polls = 1; polls < 10; polls++ {
			st := f.describeNumber(t, id).PhoneNumberStatus.Status
			switch st {
			case types.PhoneNumberWorkflowStatusClaimed:
				return polls
			case types.PhoneNumberWorkflowStatusInProgress:
			default:
				t.Fatalf("unexpected state %s", st)
			}
		}
		t.Fatal("never CLAIMED")
		return 0
	}
	found := call(f.client.SearchAvailablePhoneNumbers(c, &connect.SearchAvailablePhoneNumbersInput{MaxResults: aws.Int32(1), TargetArn: &target,
		PhoneNumberCountryCode: "US", PhoneNumberType: types.PhoneNumberTypeDid, PhoneNumberPrefix: aws.String("+1")})).must(t)
	if len(found.AvailableNumbersList) != 1 {
		t.Fatalf("%+v", found)
	}
	claimed := call(f.client.ClaimPhoneNumber(c, &connect.ClaimPhoneNumberInput{ClientToken: aws.String(uuid.NewString()), PhoneNumber: found.AvailableNumbersList[0].PhoneNumber,
		TargetArn: &target, Tags: map[string]string{"Name": "tf"}})).must(t)
	id := *claimed.PhoneNumberId
	if polls := waitClaimed(id); polls != 2 {
		t.Errorf("CLAIMED after %d polls, want 2 (IN_PROGRESS once)", polls)
	}
	read := f.describeNumber(t, id)
	if *read.TargetArn != target || read.Tags["Name"] != "tf" || *read.PhoneNumber != *found.AvailableNumbersList[0].PhoneNumber {
		t.Fatalf("%+v", read)
	}
	call(f.client.TagResource(c, &connect.TagResourceInput{ResourceArn: read.PhoneNumberArn, Tags: map[string]string{"Name": "tf2"}})).must(t)

	second := f.createInstance("tf-second")
	secondARN := "arn:aws:connect:" + region + ":000000000000:instance/" + second
	call(f.client.UpdatePhoneNumber(c, &connect.UpdatePhoneNumberInput{ClientToken: aws.String(uuid.NewString()), PhoneNumberId: &id, TargetArn: &secondARN})).must(t)
	waitClaimed(id)
	if got := f.describeNumber(t, id); *got.TargetArn != secondARN || got.Tags["Name"] != "tf2" {
		t.Errorf("after the move: %+v", got)
	}
	call(f.client.UpdatePhoneNumber(c, &connect.UpdatePhoneNumberInput{ClientToken: aws.String(uuid.NewString()), PhoneNumberId: &id, TargetArn: &target})).must(t)
	waitClaimed(id)

	// aws_connect_phone_number_contact_flow_association.
	flow := f.newFlow(t, "tf-inbound", types.ContactFlowTypeContactFlow, hangUp)
	call(f.client.AssociatePhoneNumberContactFlow(c, &connect.AssociatePhoneNumberContactFlowInput{ContactFlowId: &flow, InstanceId: &f.instance, PhoneNumberId: &id})).must(t)
	flowARN := *f.describeFlow(t, flow).Arn
	find := func() int {
		n := 0
		p := connect.NewListFlowAssociationsPaginator(f.client, &connect.ListFlowAssociationsInput{InstanceId: &f.instance, ResourceType: types.ListFlowAssociationResourceTypeVoicePhoneNumber})
		for p.HasMorePages() {
			for _, v := range call(p.NextPage(c)).must(t).FlowAssociationSummaryList {
				if aws.ToString(v.ResourceId) == *read.PhoneNumberArn && aws.ToString(v.FlowId) == flowARN {
					n++
				}
			}
		}
		return n
	}
	if n := find(); n != 1 {
		t.Fatalf("the association was found %d times", n)
	}
	call(f.client.DisassociatePhoneNumberContactFlow(c, &connect.DisassociatePhoneNumberContactFlowInput{InstanceId: &f.instance, PhoneNumberId: &id})).must(t)
	if n := find(); n != 0 {
		t.Fatalf("the association is still found")
	}
	call(f.client.ReleasePhoneNumber(c, &connect.ReleasePhoneNumberInput{ClientToken: aws.String(uuid.NewString()), PhoneNumberId: &id})).must(t)
	_, err := f.client.DescribePhoneNumber(c, &connect.DescribePhoneNumberInput{PhoneNumberId: &id})
	wantErr[*types.ResourceNotFoundException](t, err)
}
