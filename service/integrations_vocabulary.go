package service

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// Contact Lens custom vocabularies: CreateVocabulary, DescribeVocabulary,
// SearchVocabularies, DeleteVocabulary, AssociateDefaultVocabulary,
// ListDefaultVocabularies; tags through .../vocabulary/{id}.
//
// Connect builds a vocabulary asynchronously: CreateVocabulary answers
// CREATION_IN_PROGRESS and the vocabulary later becomes ACTIVE, or
// CREATION_FAILED with a FailureReason when Amazon Transcribe refuses its
// content; DeleteVocabulary answers DELETE_IN_PROGRESS and the vocabulary
// later disappears. Switchboard finishes both at once: every read after
// CreateVocabulary sees the final state, and every read after
// DeleteVocabulary finds nothing. Waiters (Terraform's polls DescribeVocabulary
// until the state leaves CREATION_IN_PROGRESS, and after deleting until
// ResourceNotFoundException) therefore stop at their first poll, with no
// write on read and nothing for replicas to agree on.

// vocabularyDoc is what the store keeps of a vocabulary besides its id,
// name, tags and times.
type vocabularyDoc struct {
	LanguageCode  string  `json:"languageCode"`
	Content       string  `json:"content"`
	State         string  `json:"state"`
	FailureReason *string `json:"failureReason,omitempty"`
	// Default marks the instance's default vocabulary of its language.
	Default bool `json:"default,omitempty"`
}

// vocabularyMaxBytes is the documented size limit of Content (50 KB).
const vocabularyMaxBytes = 50 * 1024

// vocabularyColumns are the columns of Amazon Transcribe's table format.
var vocabularyColumns = map[string]bool{"Phrase": true, "IPA": true, "SoundsLike": true, "DisplayAs": true}

// vocabularyProblem is why Amazon Transcribe would refuse content in its
// table format, or "" when it accepts it.
func vocabularyProblem(content string) string {
	if len(content) > vocabularyMaxBytes {
		return "The vocabulary content exceeds the size limit of 50 KB"
	}
	if strings.Contains(content, "\r") {
		return "The vocabulary content must use LF line endings; CR characters are not accepted"
	}
	lines := strings.Split(strings.TrimRight(content, "\n"), "\n")
	header := strings.Split(lines[0], "\t")
	col := map[string]int{}
	for i, h := range header {
		if !vocabularyColumns[h] {
			return "The vocabulary table's header has an unknown column " + quoteq(h) + "; columns are Phrase, IPA, SoundsLike and DisplayAs, separated by TAB"
		}
		if _, dup := col[h]; dup {
			return "The vocabulary table's header repeats the column " + h
		}
		col[h] = i
	}
	if _, ok := col["Phrase"]; !ok {
		return "The vocabulary table's header must have a Phrase column"
	}
	rows := 0
	for n, line := range lines[1:] {
		if line == "" {
			continue
		}
		rows++
		fields := strings.Split(line, "\t")
		if len(fields) > len(header) {
			return "Row " + strconv.Itoa(n+2) + " of the vocabulary table has more fields than its header"
		}
		field := func(name string) string {
			if i, ok := col[name]; ok && i < len(fields) {
				return fields[i]
			}
			return ""
		}
		phrase := field("Phrase")
		if phrase == "" {
			return "Row " + strconv.Itoa(n+2) + " of the vocabulary table has no Phrase"
		}
		if strings.ContainsAny(phrase, " ") {
			return "Row " + strconv.Itoa(n+2) + " of the vocabulary table: a Phrase cannot contain spaces; separate words with hyphens"
		}
		if field("IPA") != "" && field("SoundsLike") != "" {
			return "Row " + strconv.Itoa(n+2) + " of the vocabulary table has both IPA and SoundsLike; give one of them"
		}
	}
	if rows == 0 {
		return "The vocabulary table has no rows"
	}
	return ""
}

func quoteq(s string) string { return "\"" + s + "\"" }

// createVocabulary: a request repeating an earlier one's ClientToken gets
// the earlier answer and creates nothing, as documented. A taken name is a
// ResourceConflictException (the operation declares no
// DuplicateResourceException).
func (s *Service) createVocabulary(ctx context.Context, in *api.CreateVocabularyRequest) (*api.CreateVocabularyResponse, error) {
	sc, id, now, token := scope(ctx), s.newID(), s.clock(), deref(in.ClientToken)
	var out *api.CreateVocabularyResponse
	err := s.store.Update(ctx, func(tx switchboard.Tx) error {
		out = nil
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		if token != "" {
			prev, err := tx.Get(instanceTokenKey(sc, inst.ID, "CreateVocabulary", token))
			if err == nil {
				vid := string(prev.Data)
				out = &api.CreateVocabularyResponse{VocabularyId: ptr(vid), VocabularyArn: ptr(resourceARN(sc, switchboard.KindVocabulary, inst.ID, vid)),
					State: ptr(api.VocabularyStateCreationInProgress)}
				return nil
			}
			if !errors.Is(err, switchboard.ErrNotFound) {
				return err
			}
		}
		n, err := tx.Count(sc, switchboard.KindVocabulary, inst.ID)
		if err != nil {
			return err
		}
		if n >= s.quotas.VocabulariesPerInstance {
			return quotaExceeded("The maximum number of vocabularies per instance (%d) has been reached", s.quotas.VocabulariesPerInstance)
		}
		doc := vocabularyDoc{LanguageCode: *in.LanguageCode, Content: *in.Content, State: api.VocabularyStateActive}
		if p := vocabularyProblem(*in.Content); p != "" {
			doc.State, doc.FailureReason = api.VocabularyStateCreationFailed, ptr(p)
		}
		err = tx.Insert(&switchboard.Record{Scope: sc, Kind: switchboard.KindVocabulary, Parent: inst.ID, ID: id, Name: *in.VocabularyName,
			Data: encode(doc), Tags: copyTags(in.Tags), Created: now, Modified: now})
		if errors.Is(err, switchboard.ErrAlreadyExists) {
			return conflict("A vocabulary named %s already exists in instance %s", *in.VocabularyName, inst.ID)
		}
		if err != nil {
			return err
		}
		if token != "" {
			k := instanceTokenKey(sc, inst.ID, "CreateVocabulary", token)
			if err := tx.Insert(&switchboard.Record{Scope: sc, Kind: k.Kind, Parent: k.Parent, ID: k.ID, Data: []byte(id), Created: now, Modified: now}); err != nil {
				return err
			}
		}
		out = &api.CreateVocabularyResponse{VocabularyId: ptr(id), VocabularyArn: ptr(resourceARN(sc, switchboard.KindVocabulary, inst.ID, id)),
			State: ptr(api.VocabularyStateCreationInProgress)}
		return nil
	})
	return out, err
}

func vocabularyOf(rec *switchboard.Record) (*vocabularyDoc, error) {
	var d vocabularyDoc
	return &d, decode(rec, &d)
}

func (s *Service) describeVocabulary(ctx context.Context, in *api.DescribeVocabularyRequest) (*api.DescribeVocabularyResponse, error) {
	var out *api.DescribeVocabularyResponse
	err := s.viewChild(ctx, *in.InstanceId, switchboard.KindVocabulary, *in.VocabularyId, func(_ switchboard.Tx, rec *switchboard.Record) error {
		d, err := vocabularyOf(rec)
		if err != nil {
			return err
		}
		sm := summarize(rec)
		out = &api.DescribeVocabularyResponse{Vocabulary: &api.Vocabulary{Id: sm.id, Arn: sm.arn, Name: sm.name, LanguageCode: ptr(d.LanguageCode),
			State: ptr(d.State), FailureReason: d.FailureReason, Content: ptr(d.Content), LastModifiedTime: sm.modified, Tags: copyTags(rec.Tags)}}
		return nil
	})
	return out, err
}

// searchVocabularies filters on State, LanguageCode and NameStartsWith (a
// case-sensitive prefix: vocabulary names are case-sensitive).
func (s *Service) searchVocabularies(ctx context.Context, in *api.SearchVocabulariesRequest) (*api.SearchVocabulariesResponse, error) {
	keep := func(r *switchboard.Record) bool {
		d, err := vocabularyOf(r)
		return err == nil && (in.State == nil || d.State == *in.State) && (in.LanguageCode == nil || d.LanguageCode == *in.LanguageCode) &&
			(in.NameStartsWith == nil || strings.HasPrefix(r.Name, *in.NameStartsWith))
	}
	list, next, err := listAssociations(s, ctx, *in.InstanceId, switchboard.KindVocabulary, in.NextToken, in.MaxResults, defaultPageSize, keep,
		func(r *switchboard.Record) (api.VocabularySummary, error) {
			d, err := vocabularyOf(r)
			sm := summarize(r)
			return api.VocabularySummary{Id: sm.id, Arn: sm.arn, Name: sm.name, LanguageCode: ptr(d.LanguageCode), State: ptr(d.State),
				FailureReason: d.FailureReason, LastModifiedTime: sm.modified}, err
		})
	if err != nil {
		return nil, err
	}
	return &api.SearchVocabulariesResponse{VocabularySummaryList: list, NextToken: next}, nil
}

// deleteVocabulary refuses the default vocabulary of its language
// (ResourceInUseException): AssociateDefaultVocabulary without a
// VocabularyId releases it first.
func (s *Service) deleteVocabulary(ctx context.Context, in *api.DeleteVocabularyRequest) (*api.DeleteVocabularyResponse, error) {
	sc := scope(ctx)
	var out *api.DeleteVocabularyResponse
	err := s.store.Update(ctx, func(tx switchboard.Tx) error {
		rec, err := getChild(tx, sc, *in.InstanceId, switchboard.KindVocabulary, *in.VocabularyId)
		if err != nil {
			return err
		}
		d, err := vocabularyOf(rec)
		if err != nil {
			return err
		}
		arn := resourceARN(sc, rec.Kind, rec.Parent, rec.ID)
		if d.Default {
			return &api.ResourceInUseException{Message: ptr("Vocabulary " + rec.ID + " is the default " + d.LanguageCode +
				" vocabulary of the instance; set another default or none (AssociateDefaultVocabulary) first"), ResourceId: ptr(arn)}
		}
		if err := tx.Delete(rec.Key()); err != nil {
			return err
		}
		out = &api.DeleteVocabularyResponse{VocabularyId: ptr(rec.ID), VocabularyArn: ptr(arn), State: ptr(api.VocabularyStateDeleteInProgress)}
		return nil
	})
	return out, err
}

// associateDefaultVocabulary makes an ACTIVE vocabulary of that language
// the default, replacing the previous one; without VocabularyId the
// language has no default afterwards.
func (s *Service) associateDefaultVocabulary(ctx context.Context, in *api.AssociateDefaultVocabularyRequest) (*api.AssociateDefaultVocabularyResponse, error) {
	sc, now := scope(ctx), s.clock()
	err := s.store.Update(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		var chosen *switchboard.Record
		if in.VocabularyId != nil {
			chosen, err = getChild(tx, sc, inst.ID, switchboard.KindVocabulary, *in.VocabularyId)
			if err != nil {
				return err
			}
			d, err := vocabularyOf(chosen)
			if err != nil {
				return err
			}
			if d.LanguageCode != *in.LanguageCode {
				return invalidRequest("Vocabulary %s is a %s vocabulary, not %s (LanguageCode)", chosen.ID, d.LanguageCode, *in.LanguageCode)
			}
			if d.State != api.VocabularyStateActive {
				return invalidRequest("Vocabulary %s is %s; only an ACTIVE vocabulary can be the default", chosen.ID, d.State)
			}
		}
		recs, err := tx.List(sc, switchboard.KindVocabulary, inst.ID, switchboard.ListOptions{})
		if err != nil {
			return err
		}
		for _, r := range recs {
			d, err := vocabularyOf(r)
			if err != nil {
				return err
			}
			want := chosen != nil && r.ID == chosen.ID
			if d.LanguageCode != *in.LanguageCode || d.Default == want {
				continue
			}
			d.Default = want
			r.Data, r.Modified = encode(d), now
			if err := tx.Replace(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &api.AssociateDefaultVocabularyResponse{}, nil
}

func (s *Service) listDefaultVocabularies(ctx context.Context, in *api.ListDefaultVocabulariesRequest) (*api.ListDefaultVocabulariesResponse, error) {
	keep := func(r *switchboard.Record) bool {
		d, err := vocabularyOf(r)
		return err == nil && d.Default && (in.LanguageCode == nil || d.LanguageCode == *in.LanguageCode)
	}
	list, next, err := listAssociations(s, ctx, *in.InstanceId, switchboard.KindVocabulary, in.NextToken, in.MaxResults, defaultPageSize, keep,
		func(r *switchboard.Record) (api.DefaultVocabulary, error) {
			d, err := vocabularyOf(r)
			return api.DefaultVocabulary{InstanceId: ptr(r.Parent), LanguageCode: ptr(d.LanguageCode), VocabularyId: ptr(r.ID), VocabularyName: ptr(r.Name)}, err
		})
	if err != nil {
		return nil, err
	}
	return &api.ListDefaultVocabulariesResponse{DefaultVocabularyList: list, NextToken: next}, nil
}
