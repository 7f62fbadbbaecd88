package e2e

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/switchboard-dev/switchboard/service"
)

func (f *fixture) newVocabulary(t *testing.T, name string, lang types.VocabularyLanguageCode, content string) *connect.CreateVocabularyOutput {
	t.Helper()
	return call(f.client.CreateVocabulary(ctx(t), &connect.CreateVocabularyInput{InstanceId: &f.instance, VocabularyName: aws.String(name),
		LanguageCode: lang, Content: aws.String(content)})).must(t)
}

func (f *fixture) describeVocabulary(t *testing.T, id string) *types.Vocabulary {
	t.Helper()
	return call(f.client.DescribeVocabulary(ctx(t), &connect.DescribeVocabularyInput{InstanceId: &f.instance, VocabularyId: &id})).must(t).Vocabulary
}

// TestVocabularyStates: created CREATION_IN_PROGRESS, ACTIVE on the next
// read; content Amazon Transcribe refuses makes CREATION_FAILED with a
// FailureReason; deleted DELETE_IN_PROGRESS, then gone.
func TestVocabularyStates(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	out := f.newVocabulary(t, "terms", types.VocabularyLanguageCodeEnUs, vocabTable)
	if out.State != types.VocabularyStateCreationInProgress || *out.VocabularyArn != arnOf(f, "vocabulary", *out.VocabularyId) {
		t.Fatalf("created: %+v", out)
	}
	v := f.describeVocabulary(t, *out.VocabularyId)
	if v.State != types.VocabularyStateActive || *v.Content != vocabTable || v.LanguageCode != types.VocabularyLanguageCodeEnUs ||
		*v.Name != "terms" || v.FailureReason != nil || v.LastModifiedTime == nil || v.Tags == nil {
		t.Fatalf("described: %+v", v)
	}
	for name, content := range map[string]string{
		"CRLF line endings":       strings.ReplaceAll(vocabTable, "\n", "\r\n"),
		"unknown column":          "Phrase\tMeaning\nfoo\tbar\n",
		"no Phrase column":        "IPA\tDisplayAs\n\tx\n",
		"header only":             "Phrase\tIPA\tSoundsLike\tDisplayAs\n",
		"row wider than header":   "Phrase\tDisplayAs\nfoo\tFoo\textra\n",
		"phrase with a space":     "Phrase\nLos Angeles\n",
		"row without a phrase":    "Phrase\tDisplayAs\n\tFoo\n",
		"both IPA and SoundsLike": "Phrase\tIPA\tSoundsLike\nfoo\tf u\tfoo\n",
		"over 50 KB":              "Phrase\n" + strings.Repeat("word\n", 11000),
	} {
		t.Run(name, func(t *testing.T) {
			name := strings.NewReplacer(" ", "-", "/", "-").Replace(name)
			out := f.newVocabulary(t, name, types.VocabularyLanguageCodeEnUs, content)
			if out.State != types.VocabularyStateCreationInProgress {
				t.Fatalf("created %s", out.State)
			}
			v := f.describeVocabulary(t, *out.VocabularyId)
			if v.State != types.VocabularyStateCreationFailed || aws.ToString(v.FailureReason) == "" {
				t.Fatalf("described %s, %q", v.State, aws.ToString(v.FailureReason))
			}
		})
	}
	del := call(f.client.DeleteVocabulary(ctx(t), &connect.DeleteVocabularyInput{InstanceId: &f.instance, VocabularyId: out.VocabularyId})).must(t)
	if del.State != types.VocabularyStateDeleteInProgress || *del.VocabularyId != *out.VocabularyId || *del.VocabularyArn != *out.VocabularyArn {
		t.Fatalf("deleted: %+v", del)
	}
	_, err := f.client.DescribeVocabulary(ctx(t), &connect.DescribeVocabularyInput{InstanceId: &f.instance, VocabularyId: out.VocabularyId})
	wantErr[*types.ResourceNotFoundException](t, err, *out.VocabularyId)
}

// TestVocabularyRules: one case per rule of CreateVocabulary,
// SearchVocabularies, AssociateDefaultVocabulary, ListDefaultVocabularies
// and DeleteVocabulary.
func TestVocabularyRules(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{quotas: service.Quotas{VocabulariesPerInstance: 4}})
	c, in := ctx(t), &f.instance
	us := f.newVocabulary(t, "alpha", types.VocabularyLanguageCodeEnUs, vocabTable)
	t.Run("a taken name conflicts", func(t *testing.T) {
		_, err := f.client.CreateVocabulary(c, &connect.CreateVocabularyInput{InstanceId: in, VocabularyName: aws.String("alpha"),
			LanguageCode: types.VocabularyLanguageCodeEnGb, Content: aws.String(vocabTable)})
		wantErr[*types.ResourceConflictException](t, err, "alpha")
	})
	t.Run("a repeated ClientToken answers the first vocabulary", func(t *testing.T) {
		mk := func(name string) *connect.CreateVocabularyOutput {
			return call(f.client.CreateVocabulary(c, &connect.CreateVocabularyInput{InstanceId: in, VocabularyName: aws.String(name), ClientToken: aws.String("tok"),
				LanguageCode: types.VocabularyLanguageCodeEnGb, Content: aws.String(vocabTable)})).must(t)
		}
		a, b := mk("beta"), mk("beta-again")
		if *a.VocabularyId != *b.VocabularyId || b.State != types.VocabularyStateCreationInProgress {
			t.Errorf("%+v then %+v", a, b)
		}
	})
	failed := f.newVocabulary(t, "broken", types.VocabularyLanguageCodeEnUs, "Phrase\tNope\nx\ty\n")
	f.newVocabulary(t, "gamma", types.VocabularyLanguageCodeFrFr, vocabTable)
	t.Run("quota", func(t *testing.T) {
		_, err := f.client.CreateVocabulary(c, &connect.CreateVocabularyInput{InstanceId: in, VocabularyName: aws.String("delta"),
			LanguageCode: types.VocabularyLanguageCodeEnUs, Content: aws.String(vocabTable)})
		wantErr[*types.ServiceQuotaExceededException](t, err, "4")
	})
	search := func(in *connect.SearchVocabulariesInput) []string {
		in.InstanceId = &f.instance
		var names []string
		p := connect.NewSearchVocabulariesPaginator(f.client, in)
		for p.HasMorePages() {
			for _, v := range call(p.NextPage(c)).must(t).VocabularySummaryList {
				names = append(names, *v.Name)
			}
		}
		return names
	}
	for name, tc := range map[string]struct {
		in   connect.SearchVocabulariesInput
		want string
	}{
		"everything, paged":    {connect.SearchVocabulariesInput{MaxResults: aws.Int32(1)}, "alpha beta broken gamma"},
		"by state":             {connect.SearchVocabulariesInput{State: types.VocabularyStateCreationFailed}, "broken"},
		"by language":          {connect.SearchVocabulariesInput{LanguageCode: types.VocabularyLanguageCodeEnUs}, "alpha broken"},
		"by name prefix":       {connect.SearchVocabulariesInput{NameStartsWith: aws.String("b")}, "beta broken"},
		"prefix is case-exact": {connect.SearchVocabulariesInput{NameStartsWith: aws.String("B")}, ""},
		"filters combine":      {connect.SearchVocabulariesInput{NameStartsWith: aws.String("b"), State: types.VocabularyStateActive}, "beta"},
	} {
		t.Run("search "+name, func(t *testing.T) {
			if got := strings.Join(search(&tc.in), " "); got != tc.want {
				t.Errorf("found %q, want %q", got, tc.want)
			}
		})
	}
	setDefault := func(lang types.VocabularyLanguageCode, id *string) error {
		_, err := f.client.AssociateDefaultVocabulary(c, &connect.AssociateDefaultVocabularyInput{InstanceId: in, LanguageCode: lang, VocabularyId: id})
		return err
	}
	defaults := func(lang types.VocabularyLanguageCode) []types.DefaultVocabulary {
		return call(f.client.ListDefaultVocabularies(c, &connect.ListDefaultVocabulariesInput{InstanceId: in, LanguageCode: lang})).must(t).DefaultVocabularyList
	}
	t.Run("a default of another language", func(t *testing.T) {
		wantErr[*types.InvalidRequestException](t, setDefault(types.VocabularyLanguageCodeEnGb, us.VocabularyId), "LanguageCode")
	})
	t.Run("a failed vocabulary cannot be the default", func(t *testing.T) {
		wantErr[*types.InvalidRequestException](t, setDefault(types.VocabularyLanguageCodeEnUs, failed.VocabularyId), "CREATION_FAILED")
	})
	t.Run("an unknown vocabulary", func(t *testing.T) {
		wantErr[*types.ResourceNotFoundException](t, setDefault(types.VocabularyLanguageCodeEnUs, aws.String("nope")), "nope")
	})
	t.Run("default set and listed", func(t *testing.T) {
		if err := setDefault(types.VocabularyLanguageCodeEnUs, us.VocabularyId); err != nil {
			t.Fatal(err)
		}
		d := defaults(types.VocabularyLanguageCodeEnUs)
		if len(d) != 1 || *d[0].VocabularyId != *us.VocabularyId || *d[0].VocabularyName != "alpha" || *d[0].InstanceId != f.instance || d[0].LanguageCode != types.VocabularyLanguageCodeEnUs {
			t.Errorf("defaults %+v", d)
		}
		if d := defaults(types.VocabularyLanguageCodeFrFr); len(d) != 0 {
			t.Errorf("fr-FR defaults %+v", d)
		}
	})
	t.Run("the default cannot be deleted", func(t *testing.T) {
		_, err := f.client.DeleteVocabulary(c, &connect.DeleteVocabularyInput{InstanceId: in, VocabularyId: us.VocabularyId})
		wantErr[*types.ResourceInUseException](t, err, *us.VocabularyId)
	})
	t.Run("no VocabularyId: no default", func(t *testing.T) {
		if err := setDefault(types.VocabularyLanguageCodeEnUs, nil); err != nil {
			t.Fatal(err)
		}
		if d := defaults(""); len(d) != 0 {
			t.Errorf("defaults %+v", d)
		}
		call(f.client.DeleteVocabulary(c, &connect.DeleteVocabularyInput{InstanceId: in, VocabularyId: us.VocabularyId})).must(t)
	})
	t.Run("tags through the ARN", func(t *testing.T) {
		arn := arnOf(f, "vocabulary", *failed.VocabularyId)
		call(f.client.TagResource(c, &connect.TagResourceInput{ResourceArn: &arn, Tags: map[string]string{"team": "qa"}})).must(t)
		if v := f.describeVocabulary(t, *failed.VocabularyId); v.Tags["team"] != "qa" {
			t.Errorf("tags %v", v.Tags)
		}
	})
}

// TestTerraformVocabulary replays aws_connect_vocabulary: CreateVocabulary
// with a ClientToken and tags, the create waiter polling DescribeVocabulary
// while CREATION_IN_PROGRESS (target ACTIVE or CREATION_FAILED), the read,
// a tag update, DeleteVocabulary, the delete waiter polling while
// DELETE_IN_PROGRESS until ResourceNotFoundException, and the refresh that
// finds it gone.
func TestTerraformVocabulary(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	out := call(f.client.CreateVocabulary(c, &connect.CreateVocabularyInput{InstanceId: &f.instance, ClientToken: aws.String("terraform-20240101"),
		VocabularyName: aws.String("tf-acc-test"), LanguageCode: types.VocabularyLanguageCodeEnUs, Content: aws.String(vocabTable),
		Tags: map[string]string{"Name": "tf"}})).must(t)
	polls := 0
	var v *types.Vocabulary
	for v == nil || v.State == types.VocabularyStateCreationInProgress {
		if polls++; polls > 5 {
			t.Fatal("still CREATION_IN_PROGRESS after 5 polls")
		}
		v = f.describeVocabulary(t, *out.VocabularyId)
	}
	if v.State != types.VocabularyStateActive || v.Tags["Name"] != "tf" || *v.Arn != *out.VocabularyArn {
		t.Fatalf("after the waiter: %+v", v)
	}
	call(f.client.TagResource(c, &connect.TagResourceInput{ResourceArn: v.Arn, Tags: map[string]string{"Env": "test"}})).must(t)
	if v := f.describeVocabulary(t, *out.VocabularyId); len(v.Tags) != 2 {
		t.Fatalf("tags after update: %v", v.Tags)
	}
	del := call(f.client.DeleteVocabulary(c, &connect.DeleteVocabularyInput{InstanceId: &f.instance, VocabularyId: out.VocabularyId})).must(t)
	if del.State != types.VocabularyStateDeleteInProgress {
		t.Fatalf("delete answered %s", del.State)
	}
	for polls = 0; ; polls++ {
		if polls > 5 {
			t.Fatal("still DELETE_IN_PROGRESS after 5 polls")
		}
		got, err := f.client.DescribeVocabulary(c, &connect.DescribeVocabularyInput{InstanceId: &f.instance, VocabularyId: out.VocabularyId})
		if err != nil {
			wantErr[*types.ResourceNotFoundException](t, err)
			break
		}
		if got.Vocabulary.State != types.VocabularyStateDeleteInProgress {
			t.Fatalf("unexpected state %s while deleting", got.Vocabulary.State)
		}
	}
	_, err := f.client.DeleteVocabulary(c, &connect.DeleteVocabularyInput{InstanceId: &f.instance, VocabularyId: out.VocabularyId})
	wantErr[*types.ResourceNotFoundException](t, err)
}
