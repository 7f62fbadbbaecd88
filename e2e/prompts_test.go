package e2e

import (
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/service"
)

// defaultPrompts are the prompts a new Connect instance lists.
var defaultPrompts = []string{
	"Beep.wav", "CustomerHold.wav", "CustomerQueue.wav", "Music_Jazz_MyTimetoFly_Inst.wav",
	"Music_Pop_ThisAndThatIsLife_Inst.wav", "Music_Pop_ThrowYourselfInFrontOfIt_Inst.wav",
	"Music_Rock_EverywhereTheSunShines_Inst.wav",
}

const promptURI = "s3://my-bucket/prompts/welcome.wav"

// callPromptOperations calls every implemented operation of this file's
// resources that has an output, for TestEveryAnswerSendsWhatAlwaysSentNames:
// with nothing to list first (checking the empty answers through rec),
// then filled in.
func callPromptOperations(t *testing.T, f *fixture, rec *recorder) {
	c := ctx(t)
	// An instance always has its default prompts: only a search can find
	// nothing.
	call(f.client.SearchPrompts(c, &connect.SearchPromptsInput{InstanceId: &f.instance, SearchCriteria: &types.PromptSearchCriteria{
		StringCondition: &types.StringCondition{FieldName: aws.String("name"), Value: aws.String("no such prompt"), ComparisonType: types.StringComparisonTypeExact}}})).must(t)
	if got := rec.last(t, "SearchPrompts"); mustJSON(got["Prompts"]) != "[]" || got["ApproximateTotalCount"] != float64(0) {
		t.Errorf("SearchPrompts with nothing found: %s", mustJSON(got))
	}
	id := *call(f.client.CreatePrompt(c, &connect.CreatePromptInput{InstanceId: &f.instance, Name: aws.String("Welcome"), S3Uri: aws.String(promptURI)})).must(t).PromptId
	call(f.client.DescribePrompt(c, &connect.DescribePromptInput{InstanceId: &f.instance, PromptId: &id})).must(t)
	if got := rec.last(t, "DescribePrompt")["Prompt"].(map[string]any); mustJSON(got["Tags"]) != "{}" {
		t.Errorf("DescribePrompt of an untagged prompt: Tags %s, want {}", mustJSON(got["Tags"]))
	}
	call(f.client.UpdatePrompt(c, &connect.UpdatePromptInput{InstanceId: &f.instance, PromptId: &id, Description: aws.String("d")})).must(t)
	call(f.client.GetPromptFile(c, &connect.GetPromptFileInput{InstanceId: &f.instance, PromptId: &id})).must(t)
	call(f.client.ListPrompts(c, &connect.ListPromptsInput{InstanceId: &f.instance})).must(t)
	call(f.client.SearchPrompts(c, &connect.SearchPromptsInput{InstanceId: &f.instance})).must(t)
	call(f.client.DeletePrompt(c, &connect.DeletePromptInput{InstanceId: &f.instance, PromptId: &id})).must(t)
}

// promptsByName lists an instance's prompts, walking ListPrompts one at a
// time.
func (f *fixture) promptsByName(t *testing.T) map[string]types.PromptSummary {
	t.Helper()
	out := map[string]types.PromptSummary{}
	p := connect.NewListPromptsPaginator(f.client, &connect.ListPromptsInput{InstanceId: &f.instance, MaxResults: aws.Int32(1)})
	for p.HasMorePages() {
		for _, s := range call(p.NextPage(ctx(t))).must(t).PromptSummaryList {
			if _, dup := out[*s.Name]; dup {
				t.Fatalf("%s listed twice", *s.Name)
			}
			out[*s.Name] = s
		}
	}
	return out
}

func (f *fixture) newPrompt(t *testing.T, name, uri string) string {
	t.Helper()
	return *call(f.client.CreatePrompt(ctx(t), &connect.CreatePromptInput{InstanceId: &f.instance, Name: &name, S3Uri: &uri})).must(t).PromptId
}

func (f *fixture) describePrompt(t *testing.T, id string) *types.Prompt {
	t.Helper()
	return call(f.client.DescribePrompt(ctx(t), &connect.DescribePromptInput{InstanceId: &f.instance, PromptId: &id})).must(t).Prompt
}

// TestDefaultPrompts: a new instance lists Connect's seven default prompts,
// each with an ARN of the instance, no description and no tags; they can
// be renamed and deleted, and a deleted one stays deleted.
func TestDefaultPrompts(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	all := f.promptsByName(t)
	var names []string
	for n := range all {
		names = append(names, n)
	}
	sort.Strings(names)
	if strings.Join(names, ",") != strings.Join(defaultPrompts, ",") {
		t.Fatalf("a new instance's prompts: %v, want %v", names, defaultPrompts)
	}
	for name, s := range all {
		if *s.Arn != arnOf(f, "prompt", *s.Id) || aws.ToString(s.LastModifiedRegion) != region || s.LastModifiedTime == nil {
			t.Errorf("%s: %+v", name, s)
		}
		p := f.describePrompt(t, *s.Id)
		if *p.Name != name || p.Description != nil || p.Tags == nil || len(p.Tags) != 0 || *p.PromptARN != *s.Arn {
			t.Errorf("DescribePrompt %s: %+v", name, p)
		}
	}
	other := f.env.createInstance("other-prompts")
	g := &fixture{env: f.env, instance: other}
	if g.promptsByName(t)["Beep.wav"].Id == all["Beep.wav"].Id {
		t.Error("two instances share the id of Beep.wav")
	}

	beep := *all["Beep.wav"].Id
	call(f.client.UpdatePrompt(c, &connect.UpdatePromptInput{InstanceId: &f.instance, PromptId: &beep, Name: aws.String("Tone.wav")})).must(t)
	hold := *all["CustomerHold.wav"].Id
	call(f.client.DeletePrompt(c, &connect.DeletePromptInput{InstanceId: &f.instance, PromptId: &hold})).must(t)
	f2 := &fixture{env: start(t, options{store: f.store}), instance: f.instance}
	got := f2.promptsByName(t)
	if _, back := got["CustomerHold.wav"]; back {
		t.Error("a deleted default prompt came back on a fresh server")
	}
	if _, back := got["Beep.wav"]; back || *got["Tone.wav"].Id != beep {
		t.Errorf("a renamed default prompt: %v", got)
	}
}

// TestDefaultPromptsOfOlderInstances: an instance stored before prompts
// existed gets the default prompts, with the ids a new one would have, on
// first use, and only once.
func TestDefaultPromptsOfOlderInstances(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	want := f.promptsByName(t)
	sc := switchboard.Scope{Account: "000000000000", Region: region}
	keys := []switchboard.Key{{Scope: sc, Kind: switchboard.KindInstanceDefaults, Parent: f.instance, ID: "statuses+flows+prompts"}}
	for _, p := range want {
		keys = append(keys, switchboard.Key{Scope: sc, Kind: switchboard.KindPrompt, Parent: f.instance, ID: *p.Id})
	}
	for _, k := range keys {
		if err := f.store.Update(ctx(t), func(tx switchboard.Tx) error { return tx.Delete(k) }); err != nil {
			t.Fatalf("deleting %v: %v", k, err)
		}
	}
	f2 := &fixture{env: start(t, options{store: f.store}), instance: f.instance}
	got := f2.promptsByName(t)
	if len(got) != len(want) {
		t.Fatalf("an older instance got %d prompts on first use, want %d", len(got), len(want))
	}
	for name, p := range want {
		if *got[name].Id != *p.Id {
			t.Errorf("%s given back as %s, want %s", name, *got[name].Id, *p.Id)
		}
	}
}

// TestPromptRules: one named case per rule of the prompt operations.
func TestPromptRules(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{quotas: service.Quotas{PromptsPerInstance: len(defaultPrompts) + 3}})
	c := ctx(t)
	out := call(f.client.CreatePrompt(c, &connect.CreatePromptInput{InstanceId: &f.instance, Name: aws.String("Welcome"), S3Uri: aws.String(promptURI),
		Description: aws.String("Greeting"), Tags: map[string]string{"team": "ops"}})).must(t)
	welcome := *out.PromptId
	if *out.PromptARN != arnOf(f, "prompt", welcome) {
		t.Fatalf("PromptARN %s", *out.PromptARN)
	}

	t.Run("Describe returns what Create stored", func(t *testing.T) {
		p := f.describePrompt(t, welcome)
		if *p.Name != "Welcome" || aws.ToString(p.Description) != "Greeting" || p.Tags["team"] != "ops" || *p.PromptARN != *out.PromptARN ||
			aws.ToString(p.LastModifiedRegion) != region || p.LastModifiedTime == nil {
			t.Errorf("%+v", p)
		}
	})
	t.Run("an instance ARN is accepted for the instance id", func(t *testing.T) {
		arn := "arn:aws:connect:" + region + ":000000000000:instance/" + f.instance
		p := call(f.client.DescribePrompt(c, &connect.DescribePromptInput{InstanceId: &arn, PromptId: &welcome})).must(t).Prompt
		if *p.PromptId != welcome {
			t.Errorf("%+v", p)
		}
	})
	t.Run("duplicate name is DuplicateResourceException", func(t *testing.T) {
		_, err := f.client.CreatePrompt(c, &connect.CreatePromptInput{InstanceId: &f.instance, Name: aws.String("Welcome"), S3Uri: aws.String(promptURI)})
		wantErr[*types.DuplicateResourceException](t, err, "Welcome")
	})
	t.Run("a default prompt's name is taken too", func(t *testing.T) {
		_, err := f.client.CreatePrompt(c, &connect.CreatePromptInput{InstanceId: &f.instance, Name: aws.String("Beep.wav"), S3Uri: aws.String(promptURI)})
		wantErr[*types.DuplicateResourceException](t, err)
	})
	t.Run("renaming onto a taken name is DuplicateResourceException, undeclared by UpdatePrompt", func(t *testing.T) {
		_, err := f.client.UpdatePrompt(c, &connect.UpdatePromptInput{InstanceId: &f.instance, PromptId: &welcome, Name: aws.String("CustomerQueue.wav")})
		wantCode(t, err, "DuplicateResourceException")
	})
	accepted := map[string]string{}
	for _, tc := range []struct{ name, uri string }{
		{"an S3 object URI", "s3://my-bucket/folder/hello world.wav"},
		{"a presigned virtual-hosted URL", "https://my-bucket.s3.eu-west-2.amazonaws.com/p.wav?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc"},
	} {
		t.Run("S3Uri may be "+tc.name, func(t *testing.T) {
			accepted[tc.name] = f.newPrompt(t, tc.name, tc.uri)
		})
	}
	for name, uri := range map[string]string{
		"an https URL outside S3":         "https://example.com/p.wav",
		"a bucket without a key":          "s3://my-bucket",
		"a path-style S3 URL":             "https://s3.us-east-1.amazonaws.com/my-bucket/p.wav",
		"an S3 URI with text before it":   "see s3://my-bucket/p.wav",
		"an S3 URI with a space in front": " s3://my-bucket/p.wav",
	} {
		t.Run("S3Uri that is "+name+" is InvalidParameterException", func(t *testing.T) {
			_, err := f.client.CreatePrompt(c, &connect.CreatePromptInput{InstanceId: &f.instance, Name: aws.String("bad"), S3Uri: aws.String(uri)})
			wantErr[*types.InvalidParameterException](t, err, "s3Uri")
			_, err = f.client.UpdatePrompt(c, &connect.UpdatePromptInput{InstanceId: &f.instance, PromptId: &welcome, S3Uri: aws.String(uri)})
			wantErr[*types.InvalidParameterException](t, err, "s3Uri")
		})
	}
	t.Run("S3Uri is required", func(t *testing.T) {
		resp, body := f.raw("PUT", "/prompts/"+f.instance, []byte(`{"Name":"NoFile"}`))
		if resp.StatusCode != 400 || resp.Header.Get("X-Amzn-ErrorType") != "InvalidParameterException" || !strings.Contains(string(body), "'s3Uri'") {
			t.Fatalf("%d %s %s", resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), body)
		}
	})
	t.Run("a name over 127 characters is InvalidParameterException", func(t *testing.T) {
		_, err := f.client.CreatePrompt(c, &connect.CreatePromptInput{InstanceId: &f.instance, Name: aws.String(strings.Repeat("n", 128)), S3Uri: aws.String(promptURI)})
		wantErr[*types.InvalidParameterException](t, err, "name")
	})
	t.Run("unknown instance is ResourceNotFoundException, undeclared by CreatePrompt", func(t *testing.T) {
		_, err := f.client.CreatePrompt(c, &connect.CreatePromptInput{InstanceId: aws.String("00000000-0000-0000-0000-000000000000"), Name: aws.String("x"), S3Uri: aws.String(promptURI)})
		wantCode(t, err, "ResourceNotFoundException")
		_, err = f.client.ListPrompts(c, &connect.ListPromptsInput{InstanceId: aws.String("00000000-0000-0000-0000-000000000000")})
		wantErr[*types.ResourceNotFoundException](t, err)
	})
	t.Run("unknown prompt is ResourceNotFoundException", func(t *testing.T) {
		missing := "00000000-0000-0000-0000-000000000000"
		_, err := f.client.DescribePrompt(c, &connect.DescribePromptInput{InstanceId: &f.instance, PromptId: &missing})
		wantErr[*types.ResourceNotFoundException](t, err)
		_, err = f.client.UpdatePrompt(c, &connect.UpdatePromptInput{InstanceId: &f.instance, PromptId: &missing, Name: aws.String("x")})
		wantErr[*types.ResourceNotFoundException](t, err)
		_, err = f.client.GetPromptFile(c, &connect.GetPromptFileInput{InstanceId: &f.instance, PromptId: &missing})
		wantErr[*types.ResourceNotFoundException](t, err)
		_, err = f.client.DeletePrompt(c, &connect.DeletePromptInput{InstanceId: &f.instance, PromptId: &missing})
		wantErr[*types.ResourceNotFoundException](t, err)
	})
	t.Run("prompts beyond the quota are LimitExceededException; default prompts count", func(t *testing.T) {
		// Welcome and the two accepted S3Uri forms fill the quota.
		_, err := f.client.CreatePrompt(c, &connect.CreatePromptInput{InstanceId: &f.instance, Name: aws.String("One too many"), S3Uri: aws.String(promptURI)})
		wantErr[*types.LimitExceededException](t, err, "10")
	})
	t.Run("Update changes the members given and answers the ARN", func(t *testing.T) {
		before := f.describePrompt(t, welcome)
		up := call(f.client.UpdatePrompt(c, &connect.UpdatePromptInput{InstanceId: &f.instance, PromptId: &welcome, Name: aws.String("Hello"),
			S3Uri: aws.String("s3://my-bucket/prompts/hello.wav")})).must(t)
		if *up.PromptId != welcome || *up.PromptARN != arnOf(f, "prompt", welcome) {
			t.Errorf("UpdatePrompt answered %+v", up)
		}
		p := f.describePrompt(t, welcome)
		if *p.Name != "Hello" || aws.ToString(p.Description) != "Greeting" || p.Tags["team"] != "ops" || p.LastModifiedTime.Before(*before.LastModifiedTime) {
			t.Errorf("%+v", p)
		}
	})
	t.Run("GetPromptFile answers a fake presigned URL, the same until the prompt changes, that CreatePrompt accepts", func(t *testing.T) {
		get := func() *connect.GetPromptFileOutput {
			return call(f.client.GetPromptFile(c, &connect.GetPromptFileInput{InstanceId: &f.instance, PromptId: &welcome})).must(t)
		}
		a, b := get(), get()
		u, err := url.Parse(aws.ToString(a.PromptPresignedUrl))
		if err != nil || u.Scheme != "https" || u.Host != "switchboard-fake-prompt-files.s3."+region+".amazonaws.com" ||
			u.Query().Get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" || !strings.HasPrefix(u.Query().Get("X-Amz-Credential"), "SWITCHBOARDFAKEKEY/") ||
			len(u.Query().Get("X-Amz-Signature")) != 64 || !strings.Contains(u.Path, welcome) {
			t.Fatalf("PromptPresignedUrl %s", aws.ToString(a.PromptPresignedUrl))
		}
		p := f.describePrompt(t, welcome)
		if *a.PromptPresignedUrl != *b.PromptPresignedUrl || !a.LastModifiedTime.Equal(*p.LastModifiedTime) || aws.ToString(a.LastModifiedRegion) != region {
			t.Errorf("%+v then %+v (prompt %+v)", a, b, p)
		}
		call(f.client.DeletePrompt(c, &connect.DeletePromptInput{InstanceId: &f.instance, PromptId: aws.String(accepted["an S3 object URI"])})).must(t)
		copied := f.newPrompt(t, "Copy", *a.PromptPresignedUrl)
		call(f.client.UpdatePrompt(c, &connect.UpdatePromptInput{InstanceId: &f.instance, PromptId: &welcome, S3Uri: aws.String("s3://my-bucket/other.wav")})).must(t)
		if after := get(); *after.PromptPresignedUrl == *a.PromptPresignedUrl {
			t.Error("the URL did not change with the prompt's file")
		}
		if other := call(f.client.GetPromptFile(c, &connect.GetPromptFileInput{InstanceId: &f.instance, PromptId: &copied})).must(t); *other.PromptPresignedUrl == *a.PromptPresignedUrl {
			t.Error("two prompts share a URL")
		}
	})
	t.Run("tags through the prompt ARN", func(t *testing.T) {
		arn := arnOf(f, "prompt", welcome)
		call(f.client.TagResource(c, &connect.TagResourceInput{ResourceArn: &arn, Tags: map[string]string{"env": "dev"}})).must(t)
		call(f.client.UntagResource(c, &connect.UntagResourceInput{ResourceArn: &arn, TagKeys: []string{"team"}})).must(t)
		tags := call(f.client.ListTagsForResource(c, &connect.ListTagsForResourceInput{ResourceArn: &arn})).must(t).Tags
		if len(tags) != 1 || tags["env"] != "dev" {
			t.Errorf("tags %v", tags)
		}
		if p := f.describePrompt(t, welcome); len(p.Tags) != 1 || p.Tags["env"] != "dev" {
			t.Errorf("DescribePrompt tags %v", p.Tags)
		}
	})
	t.Run("Delete removes the prompt and frees its name", func(t *testing.T) {
		call(f.client.DeletePrompt(c, &connect.DeletePromptInput{InstanceId: &f.instance, PromptId: &welcome})).must(t)
		_, err := f.client.DescribePrompt(c, &connect.DescribePromptInput{InstanceId: &f.instance, PromptId: &welcome})
		wantErr[*types.ResourceNotFoundException](t, err)
		_, err = f.client.DeletePrompt(c, &connect.DeletePromptInput{InstanceId: &f.instance, PromptId: &welcome})
		wantErr[*types.ResourceNotFoundException](t, err)
		f.newPrompt(t, "Hello", promptURI)
	})
}

// TestListAndSearchPrompts: ListPrompts pages; SearchPrompts matches on
// name, description and resourceID, ANDs and ORs its conditions, filters
// on tags and pages with an exact count.
func TestListAndSearchPrompts(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	a := *call(f.client.CreatePrompt(c, &connect.CreatePromptInput{InstanceId: &f.instance, Name: aws.String("Sales greeting"), S3Uri: aws.String(promptURI),
		Description: aws.String("Played to sales callers"), Tags: map[string]string{"dept": "sales"}})).must(t).PromptId
	b := *call(f.client.CreatePrompt(c, &connect.CreatePromptInput{InstanceId: &f.instance, Name: aws.String("Support greeting"), S3Uri: aws.String(promptURI),
		Tags: map[string]string{"dept": "support"}})).must(t).PromptId

	t.Run("ListPrompts pages through every prompt", func(t *testing.T) {
		if got := f.promptsByName(t); len(got) != len(defaultPrompts)+2 || *got["Sales greeting"].Id != a {
			t.Errorf("%v", got)
		}
		page := call(f.client.ListPrompts(c, &connect.ListPromptsInput{InstanceId: &f.instance, MaxResults: aws.Int32(60)})).must(t)
		if len(page.PromptSummaryList) != len(defaultPrompts)+2 || page.NextToken != nil {
			t.Errorf("one page of 60: %d, next %v", len(page.PromptSummaryList), page.NextToken)
		}
	})
	t.Run("a bad NextToken is InvalidParameterException", func(t *testing.T) {
		_, err := f.client.ListPrompts(c, &connect.ListPromptsInput{InstanceId: &f.instance, NextToken: aws.String("nope")})
		wantErr[*types.InvalidParameterException](t, err, "nextToken")
	})
	search := func(t *testing.T, crit *types.PromptSearchCriteria, filter *types.PromptSearchFilter) []string {
		t.Helper()
		var names []string
		var total int64
		p := connect.NewSearchPromptsPaginator(f.client, &connect.SearchPromptsInput{InstanceId: &f.instance, SearchCriteria: crit, SearchFilter: filter, MaxResults: aws.Int32(2)})
		for p.HasMorePages() {
			out := call(p.NextPage(c)).must(t)
			total = aws.ToInt64(out.ApproximateTotalCount)
			for _, pr := range out.Prompts {
				names = append(names, *pr.Name)
			}
		}
		if int(total) != len(names) {
			t.Errorf("ApproximateTotalCount %d, found %d", total, len(names))
		}
		sort.Strings(names)
		return names
	}
	cond := func(field, value string, cmp types.StringComparisonType) *types.PromptSearchCriteria {
		return &types.PromptSearchCriteria{StringCondition: &types.StringCondition{FieldName: &field, Value: &value, ComparisonType: cmp}}
	}
	for _, tc := range []struct {
		name   string
		crit   *types.PromptSearchCriteria
		filter *types.PromptSearchFilter
		want   string
	}{
		{"no criteria finds every prompt", nil, nil, strings.Join(append(append([]string{}, defaultPrompts...), "Sales greeting", "Support greeting"), ",")},
		{"name CONTAINS, case-insensitive", cond("name", "GREETING", types.StringComparisonTypeContains), nil, "Sales greeting,Support greeting"},
		{"name EXACT", cond("name", "Beep.wav", types.StringComparisonTypeExact), nil, "Beep.wav"},
		{"name STARTS_WITH", cond("name", "Music_Pop", types.StringComparisonTypeStartsWith), nil, "Music_Pop_ThisAndThatIsLife_Inst.wav,Music_Pop_ThrowYourselfInFrontOfIt_Inst.wav"},
		{"description", cond("description", "sales", types.StringComparisonTypeContains), nil, "Sales greeting"},
		{"resourceID", cond("resourceID", b, types.StringComparisonTypeExact), nil, "Support greeting"},
		{"OrConditions", &types.PromptSearchCriteria{OrConditions: []types.PromptSearchCriteria{*cond("resourceID", a, types.StringComparisonTypeExact), *cond("name", "Beep.wav", types.StringComparisonTypeExact)}}, nil, "Beep.wav,Sales greeting"},
		{"AndConditions", &types.PromptSearchCriteria{AndConditions: []types.PromptSearchCriteria{*cond("name", "greeting", types.StringComparisonTypeContains), *cond("name", "Supp", types.StringComparisonTypeStartsWith)}}, nil, "Support greeting"},
		{"tag filter", nil, &types.PromptSearchFilter{TagFilter: &types.ControlPlaneTagFilter{TagCondition: &types.TagCondition{TagKey: aws.String("dept"), TagValue: aws.String("sales")}}}, "Sales greeting"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(search(t, tc.crit, tc.filter), ","); got != tc.want {
				t.Errorf("found %s, want %s", got, tc.want)
			}
		})
	}
	t.Run("an undocumented field is InvalidParameterException", func(t *testing.T) {
		_, err := f.client.SearchPrompts(c, &connect.SearchPromptsInput{InstanceId: &f.instance, SearchCriteria: cond("s3Uri", "x", types.StringComparisonTypeExact)})
		wantErr[*types.InvalidParameterException](t, err, "s3Uri", "resourceID")
	})
	t.Run("unknown instance is ResourceNotFoundException", func(t *testing.T) {
		_, err := f.client.SearchPrompts(c, &connect.SearchPromptsInput{InstanceId: aws.String("00000000-0000-0000-0000-000000000000")})
		wantErr[*types.ResourceNotFoundException](t, err)
	})
}

// TestTerraformPromptDataSource replays terraform-provider-aws's
// TestAccConnectPromptDataSource_name: on a new instance, the
// aws_connect_prompt data source walks ListPrompts (MaxResults 60) for
// "Beep.wav" and sets arn and prompt_id from the summary.
func TestTerraformPromptDataSource(t *testing.T) {
	e := start(t, options{})
	f := &fixture{env: e, instance: e.createInstance("resource-test-terraform-prompt")}
	var found *types.PromptSummary
	p := connect.NewListPromptsPaginator(f.client, &connect.ListPromptsInput{InstanceId: &f.instance, MaxResults: aws.Int32(60)})
	for p.HasMorePages() && found == nil {
		for _, s := range call(p.NextPage(ctx(t))).must(t).PromptSummaryList {
			if aws.ToString(s.Name) == "Beep.wav" {
				found = &s
				break
			}
		}
	}
	if found == nil {
		t.Fatal("Beep.wav not found")
	}
	if aws.ToString(found.Arn) == "" || aws.ToString(found.Id) == "" || *found.Arn != arnOf(f, "prompt", *found.Id) {
		t.Errorf("Beep.wav summary: %+v", found)
	}
}
