package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/switchboard-dev/switchboard/service"
)

// moduleContent is a small module in the flow language: a message, then
// the end of the contact.
func moduleContent(text string) string {
	return `{"Version":"2019-10-30","StartAction":"say","Actions":[` +
		`{"Identifier":"say","Type":"MessageParticipant","Parameters":{"Text":"` + text + `"},"Transitions":{"NextAction":"end","Errors":[],"Conditions":[]}},` +
		`{"Identifier":"end","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`
}

func moduleSha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func (f *fixture) newModule(t *testing.T, name string) string {
	t.Helper()
	return *call(f.client.CreateContactFlowModule(ctx(t), &connect.CreateContactFlowModuleInput{InstanceId: &f.instance, Name: &name,
		Content: aws.String(moduleContent(name))})).must(t).Id
}

func (f *fixture) describeModule(t *testing.T, id string) *types.ContactFlowModule {
	t.Helper()
	return call(f.client.DescribeContactFlowModule(ctx(t), &connect.DescribeContactFlowModuleInput{InstanceId: &f.instance, ContactFlowModuleId: &id})).must(t).ContactFlowModule
}

// TestFlowModuleLifecycle: a module is created, read back as given,
// tagged through its ARN, changed and deleted.
func TestFlowModuleLifecycle(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	content := moduleContent("hello")
	settings := `{"transitions":{"results":[{"name":"Done","description":""}]}}`
	out := call(f.client.CreateContactFlowModule(c, &connect.CreateContactFlowModuleInput{InstanceId: &f.instance, Name: aws.String("Greeter"),
		Description: aws.String("Says hello"), Content: &content, Settings: &settings, Tags: map[string]string{"team": "ivr"},
		ExternalInvocationConfiguration: &types.ExternalInvocationConfiguration{Enabled: true}})).must(t)
	if *out.Arn != arnOf(f, "flow-module", *out.Id) {
		t.Fatalf("ARN %s", *out.Arn)
	}
	m := f.describeModule(t, *out.Id)
	if *m.Name != "Greeter" || aws.ToString(m.Description) != "Says hello" || *m.Content != content || aws.ToString(m.Settings) != settings ||
		m.State != types.ContactFlowModuleStateActive || m.Status != types.ContactFlowModuleStatusPublished || m.Tags["team"] != "ivr" ||
		aws.ToString(m.FlowModuleContentSha256) != moduleSha(content) || m.ExternalInvocationConfiguration == nil || !m.ExternalInvocationConfiguration.Enabled ||
		*m.Arn != *out.Arn || m.Version != nil {
		t.Fatalf("described: %+v", m)
	}
	// By ARN too.
	call(f.client.DescribeContactFlowModule(c, &connect.DescribeContactFlowModuleInput{InstanceId: &f.instance, ContactFlowModuleId: out.Arn})).must(t)

	call(f.client.TagResource(c, &connect.TagResourceInput{ResourceArn: out.Arn, Tags: map[string]string{"env": "test"}})).must(t)
	call(f.client.UntagResource(c, &connect.UntagResourceInput{ResourceArn: out.Arn, TagKeys: []string{"team"}})).must(t)
	if tags := call(f.client.ListTagsForResource(c, &connect.ListTagsForResourceInput{ResourceArn: out.Arn})).must(t).Tags; len(tags) != 1 || tags["env"] != "test" {
		t.Errorf("tags %v", tags)
	}

	changed := moduleContent("hello again")
	call(f.client.UpdateContactFlowModuleContent(c, &connect.UpdateContactFlowModuleContentInput{InstanceId: &f.instance, ContactFlowModuleId: out.Id, Content: &changed})).must(t)
	call(f.client.UpdateContactFlowModuleMetadata(c, &connect.UpdateContactFlowModuleMetadataInput{InstanceId: &f.instance, ContactFlowModuleId: out.Id,
		Name: aws.String("Greeter 2"), Description: aws.String("Says hello twice")})).must(t)
	m = f.describeModule(t, *out.Id)
	if *m.Content != changed || aws.ToString(m.Settings) != settings || *m.Name != "Greeter 2" || aws.ToString(m.Description) != "Says hello twice" ||
		aws.ToString(m.FlowModuleContentSha256) != moduleSha(changed) {
		t.Fatalf("after the updates: %+v", m)
	}
	list := call(f.client.ListContactFlowModules(c, &connect.ListContactFlowModulesInput{InstanceId: &f.instance})).must(t).ContactFlowModulesSummaryList
	if len(list) != 1 || *list[0].Id != *out.Id || *list[0].Name != "Greeter 2" || list[0].State != types.ContactFlowModuleStateActive || *list[0].Arn != *out.Arn {
		t.Fatalf("listed: %+v", list)
	}

	call(f.client.DeleteContactFlowModule(c, &connect.DeleteContactFlowModuleInput{InstanceId: &f.instance, ContactFlowModuleId: out.Id})).must(t)
	_, err := f.client.DescribeContactFlowModule(c, &connect.DescribeContactFlowModuleInput{InstanceId: &f.instance, ContactFlowModuleId: out.Id})
	wantErr[*types.ResourceNotFoundException](t, err, *out.Id)
	_, err = f.client.DeleteContactFlowModule(c, &connect.DeleteContactFlowModuleInput{InstanceId: &f.instance, ContactFlowModuleId: out.Id})
	wantErr[*types.ResourceNotFoundException](t, err, *out.Id)
	_, err = f.client.ListTagsForResource(c, &connect.ListTagsForResourceInput{ResourceArn: out.Arn})
	wantErr[*types.ResourceNotFoundException](t, err)
}

// TestFlowModuleRules: one case per rule a module's writes follow.
func TestFlowModuleRules(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	cases := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"content that is not a flow is InvalidContactFlowModuleException with its problems", func(t *testing.T) {
			_, err := f.client.CreateContactFlowModule(c, &connect.CreateContactFlowModuleInput{InstanceId: &f.instance, Name: aws.String("Broken"), Content: aws.String("{not json")})
			e := wantErr[*types.InvalidContactFlowModuleException](t, err)
			if len(e.Problems) == 0 || aws.ToString(e.Problems[0].Message) == "" {
				t.Fatalf("problems %+v", e.Problems)
			}
			id := f.newModule(t, "Valid")
			_, err = f.client.UpdateContactFlowModuleContent(c, &connect.UpdateContactFlowModuleContentInput{InstanceId: &f.instance, ContactFlowModuleId: &id, Content: aws.String("[")})
			if e := wantErr[*types.InvalidContactFlowModuleException](t, err); len(e.Problems) == 0 {
				t.Fatal("no problems")
			}
			if got := f.describeModule(t, id); *got.Content != moduleContent("Valid") {
				t.Errorf("refused content was stored: %s", *got.Content)
			}
		}},
		{"the resources the content names must exist in the instance", func(t *testing.T) {
			f.lookup(t)
			toQueue := func(q string) *string {
				return aws.String(`{"Version":"2019-10-30","StartAction":"q","Actions":[` +
					`{"Identifier":"q","Type":"UpdateContactTargetQueue","Parameters":{"QueueId":"` + q + `"},` +
					`"Transitions":{"NextAction":"end","Errors":[{"NextAction":"end","ErrorType":"NoMatchingError"}]}},` +
					`{"Identifier":"end","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`)
			}
			missing := "11111111-2222-3333-4444-555555555555"
			_, err := f.client.CreateContactFlowModule(c, &connect.CreateContactFlowModuleInput{InstanceId: &f.instance, Name: aws.String("To nowhere"), Content: toQueue(missing)})
			e := wantErr[*types.InvalidContactFlowModuleException](t, err)
			if len(e.Problems) != 1 || !strings.Contains(aws.ToString(e.Problems[0].Message), missing) {
				t.Fatalf("problems %+v", e.Problems)
			}
			call(f.client.CreateContactFlowModule(c, &connect.CreateContactFlowModuleInput{InstanceId: &f.instance, Name: aws.String("To the basic queue"),
				Content: toQueue(arnOf(f, "queue", f.queue))})).must(t)
		}},
		{"settings must be JSON", func(t *testing.T) {
			_, err := f.client.CreateContactFlowModule(c, &connect.CreateContactFlowModuleInput{InstanceId: &f.instance, Name: aws.String("BadSettings"),
				Content: aws.String(moduleContent("x")), Settings: aws.String("{")})
			e := wantErr[*types.InvalidContactFlowModuleException](t, err)
			if len(e.Problems) != 1 || !strings.Contains(aws.ToString(e.Problems[0].Message), "Settings") {
				t.Fatalf("problems %+v", e.Problems)
			}
		}},
		{"content longer than the model's 256000 characters is refused", func(t *testing.T) {
			_, err := f.client.CreateContactFlowModule(c, &connect.CreateContactFlowModuleInput{InstanceId: &f.instance, Name: aws.String("Huge"),
				Content: aws.String(strings.Repeat(" ", 256001))})
			wantErr[*types.InvalidParameterException](t, err, "content")
		}},
		{"names are unique per instance", func(t *testing.T) {
			f.newModule(t, "Twin")
			other := f.newModule(t, "Other")
			_, err := f.client.CreateContactFlowModule(c, &connect.CreateContactFlowModuleInput{InstanceId: &f.instance, Name: aws.String("Twin"), Content: aws.String(moduleContent("x"))})
			wantErr[*types.DuplicateResourceException](t, err, "Twin")
			_, err = f.client.UpdateContactFlowModuleMetadata(c, &connect.UpdateContactFlowModuleMetadataInput{InstanceId: &f.instance, ContactFlowModuleId: &other, Name: aws.String("Twin")})
			wantErr[*types.DuplicateResourceException](t, err, "Twin")
		}},
		{"a retried create with its ClientToken answers the first module", func(t *testing.T) {
			in := &connect.CreateContactFlowModuleInput{InstanceId: &f.instance, Name: aws.String("Retried"), Content: aws.String(moduleContent("x")), ClientToken: aws.String("token-1")}
			first := call(f.client.CreateContactFlowModule(c, in)).must(t)
			again := call(f.client.CreateContactFlowModule(c, in)).must(t)
			if *first.Id != *again.Id || *first.Arn != *again.Arn {
				t.Fatalf("%s then %s", *first.Id, *again.Id)
			}
		}},
		{"a ClientToken reused for another request is IdempotencyException", func(t *testing.T) {
			in := &connect.CreateContactFlowModuleInput{InstanceId: &f.instance, Name: aws.String("Token A"), Content: aws.String(moduleContent("x")), ClientToken: aws.String("token-2")}
			call(f.client.CreateContactFlowModule(c, in)).must(t)
			in.Name = aws.String("Token B")
			_, err := f.client.CreateContactFlowModule(c, in)
			wantErr[*types.IdempotencyException](t, err, "token-2")
		}},
		{"an archived module's content cannot change until it is active again", func(t *testing.T) {
			id := f.newModule(t, "Archived")
			call(f.client.UpdateContactFlowModuleMetadata(c, &connect.UpdateContactFlowModuleMetadataInput{InstanceId: &f.instance, ContactFlowModuleId: &id,
				State: types.ContactFlowModuleStateArchived})).must(t)
			if m := f.describeModule(t, id); m.State != types.ContactFlowModuleStateArchived {
				t.Fatalf("state %s", m.State)
			}
			_, err := f.client.UpdateContactFlowModuleContent(c, &connect.UpdateContactFlowModuleContentInput{InstanceId: &f.instance, ContactFlowModuleId: &id, Content: aws.String(moduleContent("y"))})
			wantErr[*types.InvalidRequestException](t, err, "ARCHIVED")
			call(f.client.UpdateContactFlowModuleMetadata(c, &connect.UpdateContactFlowModuleMetadataInput{InstanceId: &f.instance, ContactFlowModuleId: &id,
				State: types.ContactFlowModuleStateActive})).must(t)
			call(f.client.UpdateContactFlowModuleContent(c, &connect.UpdateContactFlowModuleContentInput{InstanceId: &f.instance, ContactFlowModuleId: &id, Content: aws.String(moduleContent("y"))})).must(t)
		}},
		{"updates need something to change", func(t *testing.T) {
			id := f.newModule(t, "Unchanged")
			_, err := f.client.UpdateContactFlowModuleContent(c, &connect.UpdateContactFlowModuleContentInput{InstanceId: &f.instance, ContactFlowModuleId: &id})
			wantErr[*types.InvalidRequestException](t, err, "Content")
			_, err = f.client.UpdateContactFlowModuleMetadata(c, &connect.UpdateContactFlowModuleMetadataInput{InstanceId: &f.instance, ContactFlowModuleId: &id})
			wantErr[*types.InvalidRequestException](t, err, "Name")
		}},
		{"an unknown module or instance is ResourceNotFoundException", func(t *testing.T) {
			_, err := f.client.DescribeContactFlowModule(c, &connect.DescribeContactFlowModuleInput{InstanceId: &f.instance, ContactFlowModuleId: aws.String("nope")})
			wantErr[*types.ResourceNotFoundException](t, err, "nope")
			_, err = f.client.UpdateContactFlowModuleContent(c, &connect.UpdateContactFlowModuleContentInput{InstanceId: &f.instance, ContactFlowModuleId: aws.String("nope"), Content: aws.String(moduleContent("x"))})
			wantErr[*types.ResourceNotFoundException](t, err, "nope")
			_, err = f.client.ListContactFlowModules(c, &connect.ListContactFlowModulesInput{InstanceId: aws.String("00000000-0000-0000-0000-000000000000")})
			wantErr[*types.ResourceNotFoundException](t, err)
		}},
		{"ListContactFlowModules filters by state and pages", func(t *testing.T) {
			seen := map[string]types.ContactFlowModuleState{}
			p := connect.NewListContactFlowModulesPaginator(f.client, &connect.ListContactFlowModulesInput{InstanceId: &f.instance, MaxResults: aws.Int32(1)})
			for p.HasMorePages() {
				for _, m := range call(p.NextPage(c)).must(t).ContactFlowModulesSummaryList {
					seen[*m.Name] = m.State
				}
			}
			n, err := f.client.ListContactFlowModules(c, &connect.ListContactFlowModulesInput{InstanceId: &f.instance, ContactFlowModuleState: types.ContactFlowModuleStateActive, MaxResults: aws.Int32(1000)})
			if err != nil {
				t.Fatal(err)
			}
			active := 0
			for _, st := range seen {
				if st == types.ContactFlowModuleStateActive {
					active++
				}
			}
			if len(seen) < 2 || len(n.ContactFlowModulesSummaryList) != active {
				t.Fatalf("all %v; ACTIVE %d", seen, len(n.ContactFlowModulesSummaryList))
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, tc.run)
	}
}

// TestFlowModuleQuota: creating more modules than the quota allows is
// LimitExceededException.
func TestFlowModuleQuota(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{quotas: service.Quotas{FlowModulesPerInstance: 2}})
	f.newModule(t, "One")
	f.newModule(t, "Two")
	_, err := f.client.CreateContactFlowModule(ctx(t), &connect.CreateContactFlowModuleInput{InstanceId: &f.instance, Name: aws.String("Three"), Content: aws.String(moduleContent("x"))})
	wantErr[*types.LimitExceededException](t, err, "2")
}

// TestFlowModuleVersionsAndAliases: versions are numbered snapshots,
// aliases point at them, a version an alias points at cannot be deleted,
// and the module takes its versions and aliases with it.
func TestFlowModuleVersionsAndAliases(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	id := f.newModule(t, "Versioned")
	moduleARN := arnOf(f, "flow-module", id)
	v1 := call(f.client.CreateContactFlowModuleVersion(c, &connect.CreateContactFlowModuleVersionInput{InstanceId: &f.instance, ContactFlowModuleId: &id,
		Description: aws.String("first")})).must(t)
	if aws.ToInt64(v1.Version) != 1 || *v1.ContactFlowModuleArn != moduleARN {
		t.Fatalf("version 1: %+v", v1)
	}
	second := moduleContent("second")
	call(f.client.UpdateContactFlowModuleContent(c, &connect.UpdateContactFlowModuleContentInput{InstanceId: &f.instance, ContactFlowModuleId: &id, Content: &second})).must(t)

	t.Run("a stale FlowModuleContentSha256 is refused", func(t *testing.T) {
		_, err := f.client.CreateContactFlowModuleVersion(c, &connect.CreateContactFlowModuleVersionInput{InstanceId: &f.instance, ContactFlowModuleId: &id,
			FlowModuleContentSha256: aws.String(moduleSha(moduleContent("Versioned")))})
		wantErr[*types.InvalidRequestException](t, err, "FlowModuleContentSha256")
	})
	v2 := call(f.client.CreateContactFlowModuleVersion(c, &connect.CreateContactFlowModuleVersionInput{InstanceId: &f.instance, ContactFlowModuleId: &moduleARN,
		FlowModuleContentSha256: aws.String(moduleSha(second))})).must(t)
	if aws.ToInt64(v2.Version) != 2 {
		t.Fatalf("version 2: %+v", v2)
	}

	t.Run("a version keeps the content it was made from", func(t *testing.T) {
		m := f.describeModule(t, id+":1")
		if *m.Content != moduleContent("Versioned") || aws.ToInt64(m.Version) != 1 || aws.ToString(m.VersionDescription) != "first" ||
			*m.Arn != moduleARN+":1" || *m.Id != id || *m.Name != "Versioned" {
			t.Fatalf("version 1: %+v", m)
		}
		if m := f.describeModule(t, moduleARN+":2"); *m.Content != second || aws.ToInt64(m.Version) != 2 {
			t.Fatalf("version 2: %+v", m)
		}
		_, err := f.client.DescribeContactFlowModule(c, &connect.DescribeContactFlowModuleInput{InstanceId: &f.instance, ContactFlowModuleId: aws.String(id + ":9")})
		wantErr[*types.ResourceNotFoundException](t, err)
	})
	t.Run("ListContactFlowModuleVersions lists them with their ARNs", func(t *testing.T) {
		vs := call(f.client.ListContactFlowModuleVersions(c, &connect.ListContactFlowModuleVersionsInput{InstanceId: &f.instance, ContactFlowModuleId: &id})).must(t).ContactFlowModuleVersionSummaryList
		if len(vs) != 2 || *vs[0].Arn != moduleARN+":1" || aws.ToInt64(vs[1].Version) != 2 || aws.ToString(vs[0].VersionDescription) != "first" || vs[1].VersionDescription != nil {
			t.Fatalf("versions %+v", vs)
		}
	})

	alias := call(f.client.CreateContactFlowModuleAlias(c, &connect.CreateContactFlowModuleAliasInput{InstanceId: &f.instance, ContactFlowModuleId: &id,
		AliasName: aws.String("live"), ContactFlowModuleVersion: aws.Int64(1), Description: aws.String("production")})).must(t)
	if *alias.ContactFlowModuleArn != moduleARN || aws.ToString(alias.Id) == "" {
		t.Fatalf("alias: %+v", alias)
	}
	t.Run("an alias is described and listed", func(t *testing.T) {
		a := call(f.client.DescribeContactFlowModuleAlias(c, &connect.DescribeContactFlowModuleAliasInput{InstanceId: &f.instance, ContactFlowModuleId: &id, AliasId: alias.Id})).must(t).ContactFlowModuleAlias
		if *a.AliasId != *alias.Id || *a.Name != "live" || aws.ToString(a.Description) != "production" || aws.ToInt64(a.Version) != 1 ||
			*a.ContactFlowModuleId != id || *a.ContactFlowModuleArn != moduleARN || a.LastModifiedTime == nil || aws.ToString(a.LastModifiedRegion) != region {
			t.Fatalf("alias %+v", a)
		}
		as := call(f.client.ListContactFlowModuleAliases(c, &connect.ListContactFlowModuleAliasesInput{InstanceId: &f.instance, ContactFlowModuleId: &id})).must(t).ContactFlowModuleAliasSummaryList
		if len(as) != 1 || *as[0].Arn != moduleARN+":"+*alias.Id || *as[0].AliasName != "live" || aws.ToInt64(as[0].Version) != 1 || aws.ToString(as[0].AliasDescription) != "production" {
			t.Fatalf("aliases %+v", as)
		}
		if m := f.describeModule(t, id+":live"); aws.ToInt64(m.Version) != 1 {
			t.Fatalf("the module through its alias: %+v", m)
		}
	})
	t.Run("alias names are unique per module", func(t *testing.T) {
		_, err := f.client.CreateContactFlowModuleAlias(c, &connect.CreateContactFlowModuleAliasInput{InstanceId: &f.instance, ContactFlowModuleId: &id,
			AliasName: aws.String("live"), ContactFlowModuleVersion: aws.Int64(2)})
		wantErr[*types.DuplicateResourceException](t, err, "live")
		other := f.newModule(t, "Other")
		call(f.client.CreateContactFlowModuleVersion(c, &connect.CreateContactFlowModuleVersionInput{InstanceId: &f.instance, ContactFlowModuleId: &other})).must(t)
		call(f.client.CreateContactFlowModuleAlias(c, &connect.CreateContactFlowModuleAliasInput{InstanceId: &f.instance, ContactFlowModuleId: &other,
			AliasName: aws.String("live"), ContactFlowModuleVersion: aws.Int64(1)})).must(t)
	})
	t.Run("an alias must point at an existing version", func(t *testing.T) {
		_, err := f.client.CreateContactFlowModuleAlias(c, &connect.CreateContactFlowModuleAliasInput{InstanceId: &f.instance, ContactFlowModuleId: &id,
			AliasName: aws.String("future"), ContactFlowModuleVersion: aws.Int64(7)})
		wantErr[*types.ResourceNotFoundException](t, err, "ContactFlowModuleVersion")
		_, err = f.client.UpdateContactFlowModuleAlias(c, &connect.UpdateContactFlowModuleAliasInput{InstanceId: &f.instance, ContactFlowModuleId: &id,
			AliasId: alias.Id, ContactFlowModuleVersion: aws.Int64(7)})
		wantErr[*types.ResourceNotFoundException](t, err, "ContactFlowModuleVersion")
	})
	t.Run("a version an alias points at cannot be deleted", func(t *testing.T) {
		_, err := f.client.DeleteContactFlowModuleVersion(c, &connect.DeleteContactFlowModuleVersionInput{InstanceId: &f.instance, ContactFlowModuleId: &id, ContactFlowModuleVersion: aws.Int64(1)})
		wantErr[*types.InvalidRequestException](t, err, "live")
		call(f.client.UpdateContactFlowModuleAlias(c, &connect.UpdateContactFlowModuleAliasInput{InstanceId: &f.instance, ContactFlowModuleId: &id,
			AliasId: alias.Id, ContactFlowModuleVersion: aws.Int64(2), Name: aws.String("prod")})).must(t)
		call(f.client.DeleteContactFlowModuleVersion(c, &connect.DeleteContactFlowModuleVersionInput{InstanceId: &f.instance, ContactFlowModuleId: &id, ContactFlowModuleVersion: aws.Int64(1)})).must(t)
		a := call(f.client.DescribeContactFlowModuleAlias(c, &connect.DescribeContactFlowModuleAliasInput{InstanceId: &f.instance, ContactFlowModuleId: &id, AliasId: alias.Id})).must(t).ContactFlowModuleAlias
		if *a.Name != "prod" || aws.ToInt64(a.Version) != 2 {
			t.Fatalf("updated alias %+v", a)
		}
	})
	t.Run("version numbers are not given twice", func(t *testing.T) {
		call(f.client.DeleteContactFlowModuleAlias(c, &connect.DeleteContactFlowModuleAliasInput{InstanceId: &f.instance, ContactFlowModuleId: &id, AliasId: alias.Id})).must(t)
		_, err := f.client.DescribeContactFlowModuleAlias(c, &connect.DescribeContactFlowModuleAliasInput{InstanceId: &f.instance, ContactFlowModuleId: &id, AliasId: alias.Id})
		wantErr[*types.ResourceNotFoundException](t, err)
		call(f.client.DeleteContactFlowModuleVersion(c, &connect.DeleteContactFlowModuleVersionInput{InstanceId: &f.instance, ContactFlowModuleId: &id, ContactFlowModuleVersion: aws.Int64(2)})).must(t)
		v := call(f.client.CreateContactFlowModuleVersion(c, &connect.CreateContactFlowModuleVersionInput{InstanceId: &f.instance, ContactFlowModuleId: &id})).must(t)
		if aws.ToInt64(v.Version) != 3 {
			t.Fatalf("after deleting 1 and 2, the next version is %d", aws.ToInt64(v.Version))
		}
	})
	t.Run("deleting the module deletes its versions and aliases", func(t *testing.T) {
		call(f.client.CreateContactFlowModuleAlias(c, &connect.CreateContactFlowModuleAliasInput{InstanceId: &f.instance, ContactFlowModuleId: &id,
			AliasName: aws.String("live"), ContactFlowModuleVersion: aws.Int64(3)})).must(t)
		call(f.client.DeleteContactFlowModule(c, &connect.DeleteContactFlowModuleInput{InstanceId: &f.instance, ContactFlowModuleId: &id})).must(t)
		_, err := f.client.ListContactFlowModuleVersions(c, &connect.ListContactFlowModuleVersionsInput{InstanceId: &f.instance, ContactFlowModuleId: &id})
		wantErr[*types.ResourceNotFoundException](t, err)
		// A new module of the same name starts again at version 1 with no aliases.
		again := f.newModule(t, "Versioned")
		if as := call(f.client.ListContactFlowModuleAliases(c, &connect.ListContactFlowModuleAliasesInput{InstanceId: &f.instance, ContactFlowModuleId: &again})).must(t).ContactFlowModuleAliasSummaryList; len(as) != 0 {
			t.Fatalf("aliases of a new module: %+v", as)
		}
		if v := call(f.client.CreateContactFlowModuleVersion(c, &connect.CreateContactFlowModuleVersionInput{InstanceId: &f.instance, ContactFlowModuleId: &again})).must(t); aws.ToInt64(v.Version) != 1 {
			t.Fatalf("first version of a new module: %d", aws.ToInt64(v.Version))
		}
	})
}

// TestSearchContactFlowModules: name and description conditions, the
// state and status conditions, and the tag filter.
func TestSearchContactFlowModules(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	call(f.client.CreateContactFlowModule(c, &connect.CreateContactFlowModuleInput{InstanceId: &f.instance, Name: aws.String("Payments"),
		Description: aws.String("Takes a card"), Content: aws.String(moduleContent("pay")), Tags: map[string]string{"team": "billing"}})).must(t)
	old := f.newModule(t, "Old payments")
	call(f.client.UpdateContactFlowModuleMetadata(c, &connect.UpdateContactFlowModuleMetadataInput{InstanceId: &f.instance, ContactFlowModuleId: &old,
		State: types.ContactFlowModuleStateArchived})).must(t)
	f.newModule(t, "Greeting")

	search := func(t *testing.T, crit *types.ContactFlowModuleSearchCriteria, filter *types.ContactFlowModuleSearchFilter) []string {
		t.Helper()
		out := call(f.client.SearchContactFlowModules(c, &connect.SearchContactFlowModulesInput{InstanceId: &f.instance, SearchCriteria: crit, SearchFilter: filter})).must(t)
		var names []string
		for _, m := range out.ContactFlowModules {
			names = append(names, *m.Name)
		}
		if aws.ToInt64(out.ApproximateTotalCount) != int64(len(names)) {
			t.Errorf("ApproximateTotalCount %d for %v", aws.ToInt64(out.ApproximateTotalCount), names)
		}
		return names
	}
	str := func(field, value string, cmp types.StringComparisonType) *types.StringCondition {
		return &types.StringCondition{FieldName: &field, Value: &value, ComparisonType: cmp}
	}
	cases := []struct {
		name   string
		crit   *types.ContactFlowModuleSearchCriteria
		filter *types.ContactFlowModuleSearchFilter
		want   string
	}{
		{"everything", nil, nil, "Payments,Old payments,Greeting"},
		{"name contains, case-insensitively", &types.ContactFlowModuleSearchCriteria{StringCondition: str("name", "PAYMENTS", types.StringComparisonTypeContains)}, nil, "Payments,Old payments"},
		{"description", &types.ContactFlowModuleSearchCriteria{StringCondition: str("description", "card", types.StringComparisonTypeContains)}, nil, "Payments"},
		{"state", &types.ContactFlowModuleSearchCriteria{StateCondition: types.ContactFlowModuleStateArchived}, nil, "Old payments"},
		{"state and name", &types.ContactFlowModuleSearchCriteria{StateCondition: types.ContactFlowModuleStateActive,
			StringCondition: str("name", "pay", types.StringComparisonTypeContains)}, nil, "Payments"},
		{"status published", &types.ContactFlowModuleSearchCriteria{StatusCondition: types.ContactFlowModuleStatusPublished}, nil, "Payments,Old payments,Greeting"},
		{"status saved", &types.ContactFlowModuleSearchCriteria{StatusCondition: types.ContactFlowModuleStatusSaved}, nil, ""},
		{"tag", nil, &types.ContactFlowModuleSearchFilter{TagFilter: &types.ControlPlaneTagFilter{TagCondition: &types.TagCondition{TagKey: aws.String("team"), TagValue: aws.String("billing")}}}, "Payments"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(search(t, tc.crit, tc.filter), ","); got != tc.want {
				t.Errorf("found %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("another field is InvalidParameterException", func(t *testing.T) {
		_, err := f.client.SearchContactFlowModules(c, &connect.SearchContactFlowModulesInput{InstanceId: &f.instance,
			SearchCriteria: &types.ContactFlowModuleSearchCriteria{StringCondition: str("state", "ACTIVE", types.StringComparisonTypeExact)}})
		wantErr[*types.InvalidParameterException](t, err, "FieldName")
	})
	t.Run("results carry the module", func(t *testing.T) {
		out := call(f.client.SearchContactFlowModules(c, &connect.SearchContactFlowModulesInput{InstanceId: &f.instance,
			SearchCriteria: &types.ContactFlowModuleSearchCriteria{StringCondition: str("name", "Payments", types.StringComparisonTypeExact)}})).must(t)
		if len(out.ContactFlowModules) != 1 {
			t.Fatalf("%+v", out.ContactFlowModules)
		}
		m := out.ContactFlowModules[0]
		if *m.Content != moduleContent("pay") || m.Tags["team"] != "billing" || m.State != types.ContactFlowModuleStateActive || *m.Arn != arnOf(f, "flow-module", *m.Id) {
			t.Fatalf("%+v", m)
		}
	})
}
