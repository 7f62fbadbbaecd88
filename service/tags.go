package service

import (
	"context"
	"errors"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// maxTags is Connect's limit of tags on one resource.
const maxTags = 50

func (s *Service) registerTags() {
	handle(s, "TagResource", s.tagResource)
	handle(s, "UntagResource", s.untagResource)
	handle(s, "ListTagsForResource", s.listTagsForResource)
}

// taggable loads the record an ARN names, or answers
// ResourceNotFoundException (also for ARNs of other accounts and regions:
// they are invisible, not forbidden). implied says the record is an AGENT
// queue its user implies (agentqueues.go): saveTags stores its tags.
func taggable(tx switchboard.Tx, sc switchboard.Scope, arn string) (rec *switchboard.Record, implied bool, err error) {
	k, ok := parseARN(sc, arn)
	if !ok {
		return nil, false, notFound("Resource %s not found", arn)
	}
	if k.Kind == switchboard.KindQueue {
		rec, implied, err = lookupQueue(tx, sc, k.Parent, k.ID)
	} else {
		rec, err = tx.Get(k)
	}
	if errors.Is(err, switchboard.ErrNotFound) {
		return nil, false, notFound("Resource %s not found", arn)
	}
	return rec, implied, err
}

// saveTags replaces the tags of a record taggable loaded.
func saveTags(tx switchboard.Tx, sc switchboard.Scope, rec *switchboard.Record, implied bool, tags map[string]string) error {
	if implied {
		return setImpliedQueueTags(tx, sc, rec, tags)
	}
	rec.Tags = tags
	return tx.Replace(rec)
}

func (s *Service) tagResource(ctx context.Context, in *api.TagResourceRequest) (*empty, error) {
	if in.Tags == nil {
		return nil, invalidMember("tags", "", "Member must not be null")
	}
	return s.change(ctx, func(tx switchboard.Tx) error {
		rec, implied, err := taggable(tx, scope(ctx), *in.ResourceArn)
		if err != nil {
			return err
		}
		tags := copyTags(rec.Tags)
		if tags == nil {
			tags = map[string]string{}
		}
		for k, v := range in.Tags {
			tags[k] = v
		}
		if len(tags) > maxTags {
			return invalidParameter("A resource can have at most %d tags; this request would leave %d", maxTags, len(tags))
		}
		return saveTags(tx, scope(ctx), rec, implied, tags)
	})
}

func (s *Service) untagResource(ctx context.Context, in *api.UntagResourceRequest) (*empty, error) {
	if len(in.TagKeys) == 0 {
		return nil, invalidMember("tagKeys", "", "Member must have length greater than or equal to 1")
	}
	return s.change(ctx, func(tx switchboard.Tx) error {
		rec, implied, err := taggable(tx, scope(ctx), *in.ResourceArn)
		if err != nil {
			return err
		}
		tags := copyTags(rec.Tags)
		for _, k := range in.TagKeys {
			delete(tags, k)
		}
		return saveTags(tx, scope(ctx), rec, implied, copyTags(tags))
	})
}

func (s *Service) listTagsForResource(ctx context.Context, in *api.ListTagsForResourceRequest) (*api.ListTagsForResourceResponse, error) {
	var out *api.ListTagsForResourceResponse
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		rec, _, err := taggable(tx, scope(ctx), *in.ResourceArn)
		if err != nil {
			return err
		}
		out = &api.ListTagsForResourceResponse{Tags: copyTags(rec.Tags)}
		if out.Tags == nil {
			out.Tags = map[string]string{}
		}
		return nil
	})
	return out, err
}
