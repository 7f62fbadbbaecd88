package e2e

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/aws/smithy-go"
	"github.com/switchboard-dev/switchboard/service"
)

func TestInstanceLifecycle(t *testing.T) {
	e := start(t, options{})
	before := time.Now().Add(-time.Second)
	id := e.createInstance("acme-support")

	d, err := e.client.DescribeInstance(ctx(t), &connect.DescribeInstanceInput{InstanceId: &id})
	if err != nil {
		t.Fatal(err)
	}
	in := d.Instance
	if *in.Id != id || in.IdentityManagementType != types.DirectoryTypeConnectManaged || *in.InstanceAlias != "acme-support" ||
		in.InstanceStatus != types.InstanceStatusActive || !*in.InboundCallsEnabled || !*in.OutboundCallsEnabled {
		t.Fatalf("described instance does not match what was created: %+v", in)
	}
	if want := "arn:aws:connect:us-east-1:000000000000:instance/" + id; *in.Arn != want {
		t.Errorf("Arn %s, want %s", *in.Arn, want)
	}
	if in.CreatedTime == nil || in.CreatedTime.Before(before) || in.CreatedTime.After(time.Now().Add(time.Second)) {
		t.Errorf("CreatedTime %v is not the creation time", in.CreatedTime)
	}
	if *in.InstanceAccessUrl != "https://acme-support.my.connect.aws/" {
		t.Errorf("InstanceAccessUrl %s", *in.InstanceAccessUrl)
	}
	if !regexp.MustCompile(`^arn:aws:iam::000000000000:role/aws-service-role/connect\.amazonaws\.com/AWSServiceRoleForAmazonConnect_`).MatchString(*in.ServiceRole) {
		t.Errorf("ServiceRole %s", *in.ServiceRole)
	}

	// Describe by ARN works as well as by id.
	if _, err := e.client.DescribeInstance(ctx(t), &connect.DescribeInstanceInput{InstanceId: in.Arn}); err != nil {
		t.Errorf("DescribeInstance by ARN: %v", err)
	}

	l, err := e.client.ListInstances(ctx(t), &connect.ListInstancesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.InstanceSummaryList) != 1 || *l.InstanceSummaryList[0].Id != id || !l.InstanceSummaryList[0].CreatedTime.Equal(*in.CreatedTime) {
		t.Fatalf("ListInstances: %+v", l.InstanceSummaryList)
	}

	if _, err := e.client.DeleteInstance(ctx(t), &connect.DeleteInstanceInput{InstanceId: &id}); err != nil {
		t.Fatal(err)
	}
	_, err = e.client.DescribeInstance(ctx(t), &connect.DescribeInstanceInput{InstanceId: &id})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("after delete: %v, want ResourceNotFoundException", err)
	}
	// The instance's resources went with it.
	_, err = e.client.ListSecurityProfiles(ctx(t), &connect.ListSecurityProfilesInput{InstanceId: &id})
	if !errors.As(err, &nf) {
		t.Fatalf("ListSecurityProfiles after delete: %v", err)
	}
}

// TestDirectoryInstanceKeepsItsAlias follows Terraform's
// testAccInstance_directory, which passes against AWS: EXISTING_DIRECTORY
// with an InstanceAlias is accepted and the alias is read back.
func TestDirectoryInstanceKeepsItsAlias(t *testing.T) {
	e := start(t, options{})
	c := ctx(t)
	out := call(e.client.CreateInstance(c, &connect.CreateInstanceInput{
		IdentityManagementType: types.DirectoryTypeExistingDirectory, DirectoryId: aws.String("d-906707e8a1"),
		InstanceAlias: aws.String("resource-test-terraform-8674665223082153551"), InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true),
	})).must(t)
	in := call(e.client.DescribeInstance(c, &connect.DescribeInstanceInput{InstanceId: out.Id})).must(t).Instance
	if aws.ToString(in.InstanceAlias) != "resource-test-terraform-8674665223082153551" || in.IdentityManagementType != types.DirectoryTypeExistingDirectory ||
		aws.ToString(in.InstanceAccessUrl) != "https://resource-test-terraform-8674665223082153551.my.connect.aws/" {
		t.Fatalf("directory instance with an alias: %+v", in)
	}
	bare := call(e.client.CreateInstance(c, &connect.CreateInstanceInput{
		IdentityManagementType: types.DirectoryTypeExistingDirectory, DirectoryId: aws.String("d-1234567890"),
		InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(false),
	})).must(t)
	if in := call(e.client.DescribeInstance(c, &connect.DescribeInstanceInput{InstanceId: bare.Id})).must(t).Instance; in.InstanceAlias != nil {
		t.Errorf("directory instance without an alias reads back alias %q", *in.InstanceAlias)
	}
}

func TestInstanceAttributes(t *testing.T) {
	e := start(t, options{})
	out, err := e.client.CreateInstance(ctx(t), &connect.CreateInstanceInput{
		IdentityManagementType: types.DirectoryTypeSaml, InstanceAlias: aws.String("samlco"),
		InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(false),
	})
	if err != nil {
		t.Fatal(err)
	}
	id := *out.Id
	get := func(a types.InstanceAttributeType) string {
		t.Helper()
		d, err := e.client.DescribeInstanceAttribute(ctx(t), &connect.DescribeInstanceAttributeInput{InstanceId: &id, AttributeType: a})
		if err != nil {
			t.Fatal(err)
		}
		return *d.Attribute.Value
	}
	if get(types.InstanceAttributeTypeInboundCalls) != "true" || get(types.InstanceAttributeTypeOutboundCalls) != "false" {
		t.Fatal("call attributes do not reflect CreateInstance")
	}
	if _, err := e.client.UpdateInstanceAttribute(ctx(t), &connect.UpdateInstanceAttributeInput{InstanceId: &id, AttributeType: types.InstanceAttributeTypeOutboundCalls, Value: aws.String("true")}); err != nil {
		t.Fatal(err)
	}
	if get(types.InstanceAttributeTypeOutboundCalls) != "true" {
		t.Fatal("UpdateInstanceAttribute did not stick")
	}
	d, _ := e.client.DescribeInstance(ctx(t), &connect.DescribeInstanceInput{InstanceId: &id})
	if !*d.Instance.OutboundCallsEnabled {
		t.Error("OutboundCallsEnabled does not follow the attribute")
	}
	_, err = e.client.UpdateInstanceAttribute(ctx(t), &connect.UpdateInstanceAttributeInput{InstanceId: &id, AttributeType: types.InstanceAttributeTypeEarlyMedia, Value: aws.String("maybe")})
	var ip *types.InvalidParameterException
	if !errors.As(err, &ip) {
		t.Errorf("non-boolean value: %v", err)
	}
	seen := map[types.InstanceAttributeType]int{}
	p := connect.NewListInstanceAttributesPaginator(e.client, &connect.ListInstanceAttributesInput{InstanceId: &id, MaxResults: aws.Int32(4)})
	for p.HasMorePages() {
		pg, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range pg.Attributes {
			seen[a.AttributeType]++
		}
	}
	if len(seen) != len(types.InstanceAttributeType("").Values()) {
		t.Errorf("ListInstanceAttributes walked %d attributes, the model has %d", len(seen), len(types.InstanceAttributeType("").Values()))
	}
	for a, n := range seen {
		if n != 1 {
			t.Errorf("%s listed %d times", a, n)
		}
	}
}

func TestDefaultResources(t *testing.T) {
	e := start(t, options{})
	id := e.createInstance("defaults")
	c := ctx(t)

	var spNames []string
	var adminID string
	sp := connect.NewListSecurityProfilesPaginator(e.client, &connect.ListSecurityProfilesInput{InstanceId: &id, MaxResults: aws.Int32(60)})
	for sp.HasMorePages() {
		pg, err := sp.NextPage(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range pg.SecurityProfileSummaryList {
			spNames = append(spNames, *s.Name)
			if *s.Name == "Admin" {
				adminID = *s.Id
			}
			if !strings.HasPrefix(*s.Arn, "arn:aws:connect:us-east-1:000000000000:instance/"+id+"/security-profile/") {
				t.Errorf("security profile ARN %s", *s.Arn)
			}
		}
	}
	if strings.Join(spNames, ",") != "Admin,Agent,CallCenterManager,QualityAnalyst" {
		t.Fatalf("default security profiles %v", spNames)
	}
	d, err := e.client.DescribeSecurityProfile(c, &connect.DescribeSecurityProfileInput{InstanceId: &id, SecurityProfileId: &adminID})
	if err != nil || *d.SecurityProfile.SecurityProfileName != "Admin" || *d.SecurityProfile.Id != adminID {
		t.Fatalf("DescribeSecurityProfile Admin: %v %+v", err, d)
	}
	perms, err := e.client.ListSecurityProfilePermissions(c, &connect.ListSecurityProfilePermissionsInput{InstanceId: &id, SecurityProfileId: &adminID})
	if err != nil || len(perms.Permissions) == 0 {
		t.Fatalf("Admin permissions: %v %v", err, perms)
	}

	hours, err := e.client.ListHoursOfOperations(c, &connect.ListHoursOfOperationsInput{InstanceId: &id})
	if err != nil || len(hours.HoursOfOperationSummaryList) != 1 || *hours.HoursOfOperationSummaryList[0].Name != "Basic Hours" {
		t.Fatalf("hours: %v %+v", err, hours)
	}
	hoursID := *hours.HoursOfOperationSummaryList[0].Id
	h, err := e.client.DescribeHoursOfOperation(c, &connect.DescribeHoursOfOperationInput{InstanceId: &id, HoursOfOperationId: &hoursID})
	if err != nil || len(h.HoursOfOperation.Config) != 7 || *h.HoursOfOperation.TimeZone == "" {
		t.Fatalf("DescribeHoursOfOperation: %v %+v", err, h)
	}

	queues, err := e.client.ListQueues(c, &connect.ListQueuesInput{InstanceId: &id, QueueTypes: []types.QueueType{types.QueueTypeStandard}})
	if err != nil || len(queues.QueueSummaryList) != 1 || *queues.QueueSummaryList[0].Name != "BasicQueue" || queues.QueueSummaryList[0].QueueType != types.QueueTypeStandard {
		t.Fatalf("queues: %v %+v", err, queues)
	}
	queueID := *queues.QueueSummaryList[0].Id
	q, err := e.client.DescribeQueue(c, &connect.DescribeQueueInput{InstanceId: &id, QueueId: &queueID})
	if err != nil || *q.Queue.HoursOfOperationId != hoursID || q.Queue.Status != types.QueueStatusEnabled {
		t.Fatalf("DescribeQueue: %v %+v", err, q)
	}

	rps, err := e.client.ListRoutingProfiles(c, &connect.ListRoutingProfilesInput{InstanceId: &id})
	if err != nil || len(rps.RoutingProfileSummaryList) != 1 || *rps.RoutingProfileSummaryList[0].Name != "Basic Routing Profile" {
		t.Fatalf("routing profiles: %v %+v", err, rps)
	}
	rp, err := e.client.DescribeRoutingProfile(c, &connect.DescribeRoutingProfileInput{InstanceId: &id, RoutingProfileId: rps.RoutingProfileSummaryList[0].Id})
	if err != nil {
		t.Fatal(err)
	}
	if *rp.RoutingProfile.DefaultOutboundQueueId != queueID || !rp.RoutingProfile.IsDefault || *rp.RoutingProfile.NumberOfAssociatedQueues != 1 || *rp.RoutingProfile.NumberOfAssociatedUsers != 0 {
		t.Errorf("Basic Routing Profile: %+v", rp.RoutingProfile)
	}
	if rp.RoutingProfile.LastModifiedTime == nil || *rp.RoutingProfile.LastModifiedRegion != region {
		t.Errorf("LastModified* missing: %+v", rp.RoutingProfile)
	}

	_, err = e.client.DescribeQueue(c, &connect.DescribeQueueInput{InstanceId: &id, QueueId: aws.String("no-such-queue")})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("unknown queue: %v", err)
	}
}

func TestTagsThroughEscapedARNs(t *testing.T) {
	e := start(t, options{})
	id := e.createInstance("tagged")
	c := ctx(t)
	arn := "arn:aws:connect:us-east-1:000000000000:instance/" + id
	sps, err := e.client.ListSecurityProfiles(c, &connect.ListSecurityProfilesInput{InstanceId: &id})
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{arn, *sps.SecurityProfileSummaryList[0].Arn} {
		if _, err := e.client.TagResource(c, &connect.TagResourceInput{ResourceArn: &target, Tags: map[string]string{"team": "support", "cost center": "42", "env": "dev"}}); err != nil {
			t.Fatalf("TagResource %s: %v", target, err)
		}
		if _, err := e.client.UntagResource(c, &connect.UntagResourceInput{ResourceArn: &target, TagKeys: []string{"env", "cost center"}}); err != nil {
			t.Fatal(err)
		}
		l, err := e.client.ListTagsForResource(c, &connect.ListTagsForResourceInput{ResourceArn: &target})
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Tags) != 1 || l.Tags["team"] != "support" {
			t.Errorf("tags of %s: %v", target, l.Tags)
		}
	}
	d, _ := e.client.DescribeInstance(c, &connect.DescribeInstanceInput{InstanceId: &id})
	if d.Instance.Tags["team"] != "support" {
		t.Errorf("DescribeInstance Tags %v", d.Instance.Tags)
	}

	var nf *types.ResourceNotFoundException
	for _, bad := range []string{
		arn + "/agent/nobody",
		"arn:aws:connect:eu-west-1:000000000000:instance/" + id,
		"arn:aws:connect:us-east-1:111111111111:instance/" + id,
	} {
		_, err := e.client.ListTagsForResource(c, &connect.ListTagsForResourceInput{ResourceArn: aws.String(bad)})
		if !errors.As(err, &nf) {
			t.Errorf("ListTagsForResource %s: %v, want ResourceNotFoundException", bad, err)
		}
	}
	_, err = e.client.TagResource(c, &connect.TagResourceInput{ResourceArn: &arn, Tags: map[string]string{"aws:reserved": "x"}})
	var ip *types.InvalidParameterException
	if !errors.As(err, &ip) || !strings.Contains(*ip.Message, "tags") {
		t.Errorf("aws: tag key: %v, want InvalidParameterException naming tags", err)
	}
}

func TestInstanceErrors(t *testing.T) {
	e := start(t, options{quotas: service.Quotas{InstancesPerAccount: 1}})
	e.createInstance("first")
	c := ctx(t)
	var ir *types.InvalidRequestException
	var sq *types.ServiceQuotaExceededException
	var nf *types.ResourceNotFoundException
	cases := []struct {
		name string
		call func() error
		want any
	}{
		{"unknown instance", func() error {
			_, err := e.client.DescribeInstance(c, &connect.DescribeInstanceInput{InstanceId: aws.String("00000000-0000-0000-0000-000000000000")})
			return err
		}, &nf},
		{"alias required for CONNECT_MANAGED", func() error {
			_, err := e.client.CreateInstance(c, &connect.CreateInstanceInput{IdentityManagementType: types.DirectoryTypeConnectManaged, InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true)})
			return err
		}, &ir},
		{"bad enum value", func() error {
			_, err := e.client.CreateInstance(c, &connect.CreateInstanceInput{IdentityManagementType: "LDAP", InstanceAlias: aws.String("x"), InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true)})
			return err
		}, &ir},
		{"alias pattern", func() error {
			_, err := e.client.CreateInstance(c, &connect.CreateInstanceInput{IdentityManagementType: types.DirectoryTypeConnectManaged, InstanceAlias: aws.String("d-bad"), InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true)})
			return err
		}, &ir},
		{"MaxResults above 10", func() error {
			_, err := e.client.ListInstances(c, &connect.ListInstancesInput{MaxResults: aws.Int32(11)})
			return err
		}, &ir},
		{"garbage NextToken", func() error {
			_, err := e.client.ListInstances(c, &connect.ListInstancesInput{NextToken: aws.String("garbage")})
			return err
		}, &ir},
		{"instances-per-account quota", func() error {
			_, err := e.client.CreateInstance(c, &connect.CreateInstanceInput{IdentityManagementType: types.DirectoryTypeConnectManaged, InstanceAlias: aws.String("second"), InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true)})
			return err
		}, &sq},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if err == nil || !errors.As(err, tc.want) {
				t.Fatalf("got %v, want %T", err, tc.want)
			}
		})
	}
}

func TestWireErrors(t *testing.T) {
	e := start(t, options{})
	id := e.createInstance("wire")
	cases := []struct {
		name, method, path string
		body               []byte
		status             int
		code, message      string
	}{
		{"malformed JSON", "PUT", "/instance", []byte(`{"IdentityManagementType":`), 400, "SerializationException", ""},
		{"wrong JSON type names the member", "PUT", "/instance", []byte(`{"IdentityManagementType":"SAML","InstanceAlias":"x","InboundCallsEnabled":"yes","OutboundCallsEnabled":true}`), 400, "SerializationException", "InboundCallsEnabled"},
		{"body not an object", "PUT", "/instance", []byte(`[1,2]`), 400, "SerializationException", ""},
		{"unknown route", "GET", "/no/such/route", nil, 404, "UnknownOperationException", ""},
		{"unimplemented operation names itself", "GET", "/rules/" + id + "/abc", nil, 501, "InvalidRequestException", "DescribeRule"},
		{"query integer that is not a number", "GET", "/instance?maxResults=ten", nil, 400, "InvalidRequestException", "maxResults"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.raw(tc.method, tc.path, tc.body)
			if resp.StatusCode != tc.status || resp.Header.Get("X-Amzn-ErrorType") != tc.code {
				t.Fatalf("%d %s %s, want %d %s", resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), body, tc.status, tc.code)
			}
			if resp.Header.Get("x-amzn-RequestId") == "" {
				t.Error("no x-amzn-RequestId")
			}
			var m struct{ Message string }
			if err := json.Unmarshal(body, &m); err != nil || m.Message == "" {
				t.Fatalf("error body %q is not {\"Message\":...}", body)
			}
			if !strings.Contains(m.Message, tc.message) {
				t.Errorf("message %q does not name %q", m.Message, tc.message)
			}
		})
	}

	// No Authorization at all.
	resp, err := http.Get(e.url + "/instance")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 || resp.Header.Get("X-Amzn-ErrorType") != "MissingAuthenticationTokenException" {
		t.Errorf("unsigned request: %d %s", resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"))
	}

	// The SDK decodes an unimplemented operation's error as a typed one.
	_, err = e.client.DescribeRule(ctx(t), &connect.DescribeRuleInput{InstanceId: &id, RuleId: aws.String("r")})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidRequestException" || !strings.Contains(ae.ErrorMessage(), "DescribeRule") {
		t.Errorf("DescribeRule: %v", err)
	}
}

func TestClientTokenIdempotency(t *testing.T) {
	e := start(t, options{})
	in := &connect.CreateInstanceInput{ClientToken: aws.String("retry-me"), IdentityManagementType: types.DirectoryTypeConnectManaged, InstanceAlias: aws.String("idem"), InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true)}
	a, err := e.client.CreateInstance(ctx(t), in)
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.client.CreateInstance(ctx(t), in)
	if err != nil {
		t.Fatal(err)
	}
	if *a.Id != *b.Id {
		t.Fatalf("same ClientToken created two instances: %s %s", *a.Id, *b.Id)
	}
	l, _ := e.client.ListInstances(ctx(t), &connect.ListInstancesInput{})
	if len(l.InstanceSummaryList) != 1 {
		t.Fatalf("%d instances", len(l.InstanceSummaryList))
	}
}

func TestPaginationWalksEachItemOnce(t *testing.T) {
	e := start(t, options{quotas: service.Quotas{InstancesPerAccount: 7}})
	want := map[string]bool{}
	for _, a := range []string{"p1", "p2", "p3", "p4", "p5", "p6", "p7"} {
		want[e.createInstance(a)] = true
	}
	for _, size := range []int32{1, 2, 3, 7, 10} {
		seen := map[string]int{}
		p := connect.NewListInstancesPaginator(e.client, &connect.ListInstancesInput{MaxResults: aws.Int32(size)})
		pages := 0
		for p.HasMorePages() {
			pg, err := p.NextPage(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			pages++
			if len(pg.InstanceSummaryList) > int(size) {
				t.Fatalf("page of %d with MaxResults %d", len(pg.InstanceSummaryList), size)
			}
			for _, s := range pg.InstanceSummaryList {
				seen[*s.Id]++
			}
		}
		if len(seen) != len(want) {
			t.Fatalf("MaxResults %d: saw %d of %d instances", size, len(seen), len(want))
		}
		for id, n := range seen {
			if !want[id] || n != 1 {
				t.Fatalf("MaxResults %d: %s seen %d times", size, id, n)
			}
		}
		if wantPages := (7 + int(size) - 1) / int(size); pages != wantPages {
			t.Errorf("MaxResults %d: %d pages, want %d", size, pages, wantPages)
		}
	}
	// Queues filtered by type page correctly too.
	id := e.createInstanceOr(t)
	p := connect.NewListSecurityProfilesPaginator(e.client, &connect.ListSecurityProfilesInput{InstanceId: &id, MaxResults: aws.Int32(1)})
	n := 0
	for p.HasMorePages() {
		pg, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		n += len(pg.SecurityProfileSummaryList)
	}
	if n != 4 {
		t.Errorf("walked %d security profiles one by one, want 4", n)
	}
}

func (e *env) createInstanceOr(t *testing.T) string {
	l, err := e.client.ListInstances(ctx(t), &connect.ListInstancesInput{})
	if err != nil || len(l.InstanceSummaryList) == 0 {
		t.Fatal(err)
	}
	return *l.InstanceSummaryList[0].Id
}

// TestStateSurvivesRestart writes through one server, stops it, and reads
// through a new one on the same data file.
func TestStateSurvivesRestart(t *testing.T) {
	e1, restart := durable(t, options{})
	id := e1.createInstance("durable")
	if _, err := e1.client.TagResource(ctx(t), &connect.TagResourceInput{ResourceArn: aws.String("arn:aws:connect:us-east-1:000000000000:instance/" + id), Tags: map[string]string{"k": "v"}}); err != nil {
		t.Fatal(err)
	}
	e2 := restart()
	d, err := e2.client.DescribeInstance(ctx(t), &connect.DescribeInstanceInput{InstanceId: &id})
	if err != nil {
		t.Fatal(err)
	}
	if *d.Instance.InstanceAlias != "durable" || d.Instance.Tags["k"] != "v" {
		t.Fatalf("after restart: %+v", d.Instance)
	}
}
