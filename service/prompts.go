package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"regexp"
	"time"

	"github.com/google/uuid"
	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// Prompts: CreatePrompt, DescribePrompt, UpdatePrompt, DeletePrompt,
// ListPrompts, SearchPrompts and GetPromptFile; tags through the generic
// tag operations (ARN .../prompt/{id}).
//
// Switchboard keeps no audio. A prompt remembers the S3Uri it was created
// or last updated from, checked for its form only (never fetched), and
// GetPromptFile answers a presigned-looking URL that is derived from the
// prompt and leads nowhere (promptFileURL). Every instance has Connect's
// default prompts (defaultPromptNames), given at creation and, for an
// instance stored by an earlier version, on first use (ensureDefaults,
// instancedefaults.go).
//
// Flows name prompts inside their content only, so a prompt is not held
// by the flows that name it: DeletePrompt declares no
// ResourceInUseException. The flow validator checks prompts through flowResolver.

func (s *Service) registerPrompts() {
	handle(s, "CreatePrompt", s.createPrompt)
	handle(s, "DescribePrompt", s.describePrompt)
	handle(s, "UpdatePrompt", s.updatePrompt)
	handle(s, "DeletePrompt", s.deletePrompt)
	handle(s, "ListPrompts", s.listPrompts)
	handle(s, "SearchPrompts", s.searchPrompts)
	handle(s, "GetPromptFile", s.getPromptFile)
}

// promptDoc is what the store keeps of a prompt besides the record's id,
// name, tags and times.
type promptDoc struct {
	Description *string `json:"description,omitempty"`
	// S3Uri is where the prompt's audio was taken from; empty for the
	// default prompts, whose audio is Connect's own.
	S3Uri string `json:"s3Uri,omitempty"`
}

// defaultPromptNames are the prompts Connect gives every new instance, as
// ListPrompts names them.
var defaultPromptNames = []string{
	"Beep.wav",
	"CustomerHold.wav",
	"CustomerQueue.wav",
	"Music_Jazz_MyTimetoFly_Inst.wav",
	"Music_Pop_ThisAndThatIsLife_Inst.wav",
	"Music_Pop_ThrowYourselfInFrontOfIt_Inst.wav",
	"Music_Rock_EverywhereTheSunShines_Inst.wav",
}

// defaultPromptNamespace names the UUIDs defaultPromptID derives.
var defaultPromptNamespace = uuid.MustParse("9e3a51c2-4f7d-4b0e-8c26-d1a7f05b3e94")

// defaultPromptID is the id of the default prompt of that name in an
// instance: the same whenever it is asked, whatever it was renamed to.
func defaultPromptID(sc switchboard.Scope, instanceID, name string) string {
	return uuid.NewSHA1(defaultPromptNamespace, []byte(instanceARN(sc, instanceID)+"/"+name)).String()
}

// insertDefaultPrompts stores the default prompts an instance lacks
// (insertDefaults calls it; a prompt of another id holding a default's
// name keeps it).
func insertDefaultPrompts(tx switchboard.Tx, sc switchboard.Scope, instanceID string, now time.Time) error {
	for _, name := range defaultPromptNames {
		rec := &switchboard.Record{Scope: sc, Kind: switchboard.KindPrompt, Parent: instanceID, ID: defaultPromptID(sc, instanceID, name),
			Name: name, Data: encode(promptDoc{}), Created: now, Modified: now}
		if err := insertIfMissing(tx, rec); err != nil {
			return err
		}
	}
	return nil
}

// s3URIForm is the modelled S3Uri pattern held to the whole value: an S3
// object URI (s3://bucket/key) or an S3 virtual-hosted URL, such as the
// presigned URLs GetPromptFile answers. The generated check, like every
// Smithy pattern, accepts the form anywhere inside the value.
var s3URIForm = regexp.MustCompile(`^(?:s3://\S+/.+|https://\S+\.s3\.\S+\.amazonaws\.com/\S+)$`)

// checkS3Uri refuses an S3Uri that is not wholly of the documented form,
// as the generated check words it.
func checkS3Uri(v string) error {
	if s3URIForm.MatchString(v) {
		return nil
	}
	return invalidMember("s3Uri", v, "Member must satisfy regular expression pattern: "+s3URIForm.String())
}

func promptShape(rec *switchboard.Record) (*api.Prompt, error) {
	var doc promptDoc
	if err := decode(rec, &doc); err != nil {
		return nil, err
	}
	sm := summarize(rec)
	return &api.Prompt{
		PromptARN: sm.arn, PromptId: sm.id, Name: sm.name, Description: doc.Description, Tags: copyTags(rec.Tags),
		LastModifiedTime: sm.modified, LastModifiedRegion: sm.region,
	}, nil
}

// createPrompt stores a prompt. The instance's prompts, the default ones
// included, count against PromptsPerInstance.
func (s *Service) createPrompt(ctx context.Context, in *api.CreatePromptRequest) (*api.CreatePromptResponse, error) {
	instanceID, err := s.ensureDefaults(ctx, *in.InstanceId)
	if err != nil {
		return nil, err
	}
	if err := checkS3Uri(*in.S3Uri); err != nil {
		return nil, err
	}
	sc, id, now := scope(ctx), s.newID(), s.clock()
	var out *api.CreatePromptResponse
	err = s.store.Update(ctx, func(tx switchboard.Tx) error {
		n, err := tx.Count(sc, switchboard.KindPrompt, instanceID)
		if err != nil {
			return err
		}
		if n >= s.quotas.PromptsPerInstance {
			return limitExceeded("The maximum number of prompts per instance (%d) has been reached", s.quotas.PromptsPerInstance)
		}
		rec := &switchboard.Record{Scope: sc, Kind: switchboard.KindPrompt, Parent: instanceID, ID: id, Name: *in.Name,
			Data: encode(promptDoc{Description: in.Description, S3Uri: *in.S3Uri}), Tags: copyTags(in.Tags), Created: now, Modified: now}
		if err := insertNamed(tx, rec); err != nil {
			return err
		}
		out = &api.CreatePromptResponse{PromptId: ptr(id), PromptARN: ptr(resourceARN(sc, switchboard.KindPrompt, instanceID, id))}
		return nil
	})
	return out, err
}

func (s *Service) describePrompt(ctx context.Context, in *api.DescribePromptRequest) (*api.DescribePromptResponse, error) {
	if _, err := s.ensureDefaults(ctx, *in.InstanceId); err != nil {
		return nil, err
	}
	var out *api.DescribePromptResponse
	err := s.viewChild(ctx, *in.InstanceId, switchboard.KindPrompt, *in.PromptId, func(_ switchboard.Tx, rec *switchboard.Record) error {
		p, err := promptShape(rec)
		out = &api.DescribePromptResponse{Prompt: p}
		return err
	})
	return out, err
}

// updatePrompt changes the members given (none: only LastModifiedTime);
// a new S3Uri is checked as CreatePrompt checks it.
func (s *Service) updatePrompt(ctx context.Context, in *api.UpdatePromptRequest) (*api.UpdatePromptResponse, error) {
	instanceID, err := s.ensureDefaults(ctx, *in.InstanceId)
	if err != nil {
		return nil, err
	}
	if in.S3Uri != nil {
		if err := checkS3Uri(*in.S3Uri); err != nil {
			return nil, err
		}
	}
	_, err = s.updateChild(ctx, instanceID, switchboard.KindPrompt, *in.PromptId, func(_ switchboard.Tx, rec *switchboard.Record) error {
		var doc promptDoc
		if err := decode(rec, &doc); err != nil {
			return err
		}
		if in.Name != nil {
			rec.Name = *in.Name
		}
		if in.Description != nil {
			doc.Description = in.Description
		}
		if in.S3Uri != nil {
			doc.S3Uri = *in.S3Uri
		}
		rec.Data = encode(doc)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sc := scope(ctx)
	return &api.UpdatePromptResponse{PromptId: in.PromptId, PromptARN: ptr(resourceARN(sc, switchboard.KindPrompt, instanceID, *in.PromptId))}, nil
}

// deletePrompt deletes any prompt, a default one or one a flow names (see
// the file comment); a deleted default prompt is not given again.
func (s *Service) deletePrompt(ctx context.Context, in *api.DeletePromptRequest) (*empty, error) {
	instanceID, err := s.ensureDefaults(ctx, *in.InstanceId)
	if err != nil {
		return nil, err
	}
	return s.deleteChild(ctx, instanceID, switchboard.KindPrompt, *in.PromptId, nil)
}

func (s *Service) listPrompts(ctx context.Context, in *api.ListPromptsRequest) (*api.ListPromptsResponse, error) {
	if _, err := s.ensureDefaults(ctx, *in.InstanceId); err != nil {
		return nil, err
	}
	list, next, err := listSummaries(s, ctx, *in.InstanceId, switchboard.KindPrompt, in.NextToken, in.MaxResults, func(sm summary) api.PromptSummary {
		return api.PromptSummary{Id: sm.id, Arn: sm.arn, Name: sm.name, LastModifiedTime: sm.modified, LastModifiedRegion: sm.region}
	})
	if err != nil {
		return nil, err
	}
	return &api.ListPromptsResponse{PromptSummaryList: list, NextToken: next}, nil
}

// Prompts are searched on name, description and resourceID, the fields
// PromptSearchCriteria documents.
var promptSearch = &searchSpec[*promptDoc, api.Prompt]{
	kind: switchboard.KindPrompt,
	fields: []searchField[*promptDoc]{
		nameField[*promptDoc](),
		descriptionField(func(d *promptDoc) *string { return d.Description }),
		resourceIDField[*promptDoc](),
	},
	decode: func(rec *switchboard.Record) (*promptDoc, error) {
		var doc promptDoc
		return &doc, decode(rec, &doc)
	},
	result: func(_ switchboard.Tx, rec *switchboard.Record, _ *promptDoc) (api.Prompt, error) {
		p, err := promptShape(rec)
		if err != nil {
			return api.Prompt{}, err
		}
		return *p, nil
	},
}

func (s *Service) searchPrompts(ctx context.Context, in *api.SearchPromptsRequest) (*api.SearchPromptsResponse, error) {
	if _, err := s.ensureDefaults(ctx, *in.InstanceId); err != nil {
		return nil, err
	}
	r, err := runSearch(s, ctx, promptSearch, searchRequest{instanceID: *in.InstanceId, criteria: in.SearchCriteria, filter: in.SearchFilter, token: in.NextToken, max: in.MaxResults})
	if err != nil {
		return nil, err
	}
	return &api.SearchPromptsResponse{Prompts: r.items, NextToken: r.next, ApproximateTotalCount: r.total}, nil
}

func (s *Service) getPromptFile(ctx context.Context, in *api.GetPromptFileRequest) (*api.GetPromptFileResponse, error) {
	if _, err := s.ensureDefaults(ctx, *in.InstanceId); err != nil {
		return nil, err
	}
	var out *api.GetPromptFileResponse
	err := s.viewChild(ctx, *in.InstanceId, switchboard.KindPrompt, *in.PromptId, func(_ switchboard.Tx, rec *switchboard.Record) error {
		var doc promptDoc
		if err := decode(rec, &doc); err != nil {
			return err
		}
		sm := summarize(rec)
		out = &api.GetPromptFileResponse{PromptPresignedUrl: ptr(promptFileURL(rec, doc.S3Uri)), LastModifiedTime: sm.modified, LastModifiedRegion: sm.region}
		return nil
	})
	return out, err
}

// The URL GetPromptFile answers has the shape of an S3 presigned GET URL
// (virtual-hosted bucket in the caller's region, SigV4 query parameters)
// so that clients parse it and CreatePrompt/UpdatePrompt accept it back as
// an S3Uri, as Connect documents. It is fake and says so: the bucket is
// promptFileBucket, the access key promptFileAccessKey, and nothing is
// stored there. It is deterministic: the same for a prompt until the
// prompt changes (X-Amz-Date is its LastModifiedTime, the signature a
// digest of its ARN, LastModifiedTime and S3Uri).
const (
	promptFileBucket    = "switchboard-fake-prompt-files"
	promptFileAccessKey = "SWITCHBOARDFAKEKEY"
	promptFileExpires   = "3600"
)

func promptFileURL(rec *switchboard.Record, s3URI string) string {
	sc := rec.Scope
	arn := resourceARN(sc, rec.Kind, rec.Parent, rec.ID)
	when := rec.Modified.UTC()
	sum := sha256.Sum256([]byte(arn + "\n" + when.Format(time.RFC3339Nano) + "\n" + s3URI))
	q := url.Values{}
	q.Set("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
	q.Set("X-Amz-Credential", promptFileAccessKey+"/"+when.Format("20060102")+"/"+sc.Region+"/s3/aws4_request")
	q.Set("X-Amz-Date", when.Format("20060102T150405Z"))
	q.Set("X-Amz-Expires", promptFileExpires)
	q.Set("X-Amz-SignedHeaders", "host")
	q.Set("X-Amz-Signature", hex.EncodeToString(sum[:]))
	return "https://" + promptFileBucket + ".s3." + sc.Region + ".amazonaws.com/connect/" + rec.Parent + "/prompts/" + rec.ID + ".wav?" + q.Encode()
}
