package service

import (
	"context"
	"errors"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// Reading the resources users point at: security profiles, routing
// profiles, queues and hours of operation.

const defaultPageSize = 100

func (s *Service) registerDefaults() {
	handle(s, "DescribeSecurityProfile", s.describeSecurityProfile)
	handle(s, "ListSecurityProfiles", s.listSecurityProfiles)
	handle(s, "ListSecurityProfilePermissions", s.listSecurityProfilePermissions)
	handle(s, "DescribeRoutingProfile", s.describeRoutingProfile)
	handle(s, "ListRoutingProfiles", s.listRoutingProfiles)
	handle(s, "DescribeQueue", s.describeQueue)
	handle(s, "ListQueues", s.listQueues)
	handle(s, "DescribeHoursOfOperation", s.describeHoursOfOperation)
	handle(s, "ListHoursOfOperations", s.listHoursOfOperations)
}

// getChild loads a record of an instance, answering ResourceNotFoundException
// for a missing instance or record.
//
// The record is read first: a record of an instance exists only while the
// instance does (deleting an instance deletes its records), so the instance
// is read only to choose the error when the record is missing.
func getChild(tx switchboard.Tx, sc switchboard.Scope, instanceIDOrARN string, kind switchboard.Kind, id string) (*switchboard.Record, error) {
	var rec *switchboard.Record
	var err error
	if kind == switchboard.KindQueue {
		rec, err = getQueue(tx, sc, instanceIDFrom(instanceIDOrARN), id)
	} else {
		rec, err = tx.Get(switchboard.Key{Scope: sc, Kind: kind, Parent: instanceIDFrom(instanceIDOrARN), ID: id})
	}
	if !errors.Is(err, switchboard.ErrNotFound) {
		return rec, err
	}
	inst, err := instanceRecord(tx, sc, instanceIDOrARN)
	if err != nil {
		return nil, err
	}
	return nil, notFound("%s %s not found in instance %s", kindLabel(kind), id, inst.ID)
}

// peeker is what a Tx may offer beyond Tx: Get without the copy
// (storage/sqlite's tx.Peek).
type peeker interface {
	Peek(k switchboard.Key) (*switchboard.Record, error)
}

// peek reads a record the caller will not change, without the copy Get
// makes where the store can (peeker): the record may be shared, so neither
// it nor what it points to may be changed.
func peek(tx switchboard.Tx, k switchboard.Key) (*switchboard.Record, error) {
	if p, ok := tx.(peeker); ok {
		return p.Peek(k)
	}
	return tx.Get(k)
}

// peekCopy reads a record the caller may change by assigning its fields
// (Data, Modified, Refs, as the engine does before writing it back) but
// not by changing what they point to: a copy of the record that shares
// its data.
func peekCopy(tx switchboard.Tx, k switchboard.Key) (*switchboard.Record, error) {
	r, err := peek(tx, k)
	if err != nil {
		return nil, err
	}
	cp := *r
	return &cp, nil
}

// peekChild is getChild for a caller that changes neither the record nor
// what it points to (peek): the record may be shared.
func peekChild(tx switchboard.Tx, sc switchboard.Scope, instanceIDOrARN string, kind switchboard.Kind, id string) (*switchboard.Record, error) {
	rec, err := peek(tx, switchboard.Key{Scope: sc, Kind: kind, Parent: instanceIDFrom(instanceIDOrARN), ID: id})
	if errors.Is(err, switchboard.ErrNotFound) {
		return getChild(tx, sc, instanceIDOrARN, kind, id) // its not found error, or an implied queue
	}
	return rec, err
}

// listChildren pages the records of one kind in an instance.
func listChildren(tx switchboard.Tx, sc switchboard.Scope, instanceIDOrARN string, kind switchboard.Kind, token *string, max *int32, keep func(*switchboard.Record) bool) ([]*switchboard.Record, *string, error) {
	inst, err := instanceRecord(tx, sc, instanceIDOrARN)
	if err != nil {
		return nil, nil, err
	}
	return page(tx, sc, kind, inst.ID, token, max, defaultPageSize, keep)
}

// summary is the Id/Arn/Name/LastModified part every *Summary shape has.
type summary struct {
	id, arn, name *string
	modified      *api.Timestamp
	region        *string
}

func summarize(rec *switchboard.Record) summary {
	return summary{
		id: ptr(rec.ID), arn: ptr(resourceARN(rec.Scope, rec.Kind, rec.Parent, rec.ID)), name: ptr(rec.Name),
		modified: ts(rec.Modified), region: ptr(rec.Region),
	}
}

// viewChild runs read on one record of an instance inside a read
// transaction, after the instance and the record are found.
func (s *Service) viewChild(ctx context.Context, instanceIDOrARN string, kind switchboard.Kind, id string, read func(tx switchboard.Tx, rec *switchboard.Record) error) error {
	return s.store.View(ctx, func(tx switchboard.Tx) error {
		rec, err := getChild(tx, scope(ctx), instanceIDOrARN, kind, id)
		if err != nil {
			return err
		}
		return read(tx, rec)
	})
}

// listSummaries pages the records of one kind in an instance and converts
// each record's summary to the operation's summary shape.
func listSummaries[T any](s *Service, ctx context.Context, instanceIDOrARN string, kind switchboard.Kind, token *string, max *int32, conv func(summary) T) ([]T, *string, error) {
	var out []T
	var next *string
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		recs, n, err := listChildren(tx, scope(ctx), instanceIDOrARN, kind, token, max, nil)
		if err != nil {
			return err
		}
		next = n
		out = make([]T, 0, len(recs))
		for _, r := range recs {
			out = append(out, conv(summarize(r)))
		}
		return nil
	})
	return out, next, err
}

func securityProfileShape(rec *switchboard.Record) (*securityProfileDoc, error) {
	var doc securityProfileDoc
	if err := decode(rec, &doc); err != nil {
		return nil, err
	}
	sm := summarize(rec)
	p := &doc.SecurityProfile
	p.Id, p.Arn, p.SecurityProfileName, p.LastModifiedTime, p.LastModifiedRegion = sm.id, sm.arn, sm.name, sm.modified, sm.region
	p.Tags = copyTags(rec.Tags)
	return &doc, nil
}

func (s *Service) describeSecurityProfile(ctx context.Context, in *api.DescribeSecurityProfileRequest) (*api.DescribeSecurityProfileResponse, error) {
	var out *api.DescribeSecurityProfileResponse
	err := s.viewChild(ctx, *in.InstanceId, switchboard.KindSecurityProfile, *in.SecurityProfileId, func(_ switchboard.Tx, rec *switchboard.Record) error {
		doc, err := securityProfileShape(rec)
		if err != nil {
			return err
		}
		out = &api.DescribeSecurityProfileResponse{SecurityProfile: &doc.SecurityProfile}
		return nil
	})
	return out, err
}

func (s *Service) listSecurityProfiles(ctx context.Context, in *api.ListSecurityProfilesRequest) (*api.ListSecurityProfilesResponse, error) {
	list, next, err := listSummaries(s, ctx, *in.InstanceId, switchboard.KindSecurityProfile, in.NextToken, in.MaxResults, func(sm summary) api.SecurityProfileSummary {
		return api.SecurityProfileSummary{Id: sm.id, Arn: sm.arn, Name: sm.name, LastModifiedTime: sm.modified, LastModifiedRegion: sm.region}
	})
	if err != nil {
		return nil, err
	}
	return &api.ListSecurityProfilesResponse{SecurityProfileSummaryList: list, NextToken: next}, nil
}

func (s *Service) listSecurityProfilePermissions(ctx context.Context, in *api.ListSecurityProfilePermissionsRequest) (*api.ListSecurityProfilePermissionsResponse, error) {
	var out *api.ListSecurityProfilePermissionsResponse
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		rec, err := getChild(tx, scope(ctx), *in.InstanceId, switchboard.KindSecurityProfile, *in.SecurityProfileId)
		if err != nil {
			return err
		}
		doc, err := securityProfileShape(rec)
		if err != nil {
			return err
		}
		start, err := decodeToken(in.NextToken)
		if err != nil {
			return err
		}
		all := doc.Permissions
		start = min(start, int64(len(all)))
		end := min(int(start)+int(derefOr(in.MaxResults, defaultPageSize)), len(all))
		out = &api.ListSecurityProfilePermissionsResponse{
			Permissions:      append([]string{}, all[start:end]...),
			LastModifiedTime: doc.LastModifiedTime, LastModifiedRegion: doc.LastModifiedRegion,
		}
		if end < len(all) {
			out.NextToken = encodeToken(int64(end))
		}
		return nil
	})
	return out, err
}

func routingProfileShape(tx switchboard.Tx, rec *switchboard.Record) (*routingProfileDoc, error) {
	var doc routingProfileDoc
	if err := decode(rec, &doc); err != nil {
		return nil, err
	}
	sm := summarize(rec)
	p := &doc.RoutingProfile
	p.RoutingProfileId, p.RoutingProfileArn, p.Name, p.LastModifiedTime, p.LastModifiedRegion = sm.id, sm.arn, sm.name, sm.modified, sm.region
	p.InstanceId = ptr(rec.Parent)
	p.Tags = copyTags(rec.Tags)
	queues := map[string]bool{}
	for _, c := range doc.QueueConfigs {
		queues[deref(c.QueueReference.QueueId)] = true
	}
	p.NumberOfAssociatedQueues = ptr(int64(len(queues)))
	users, err := countReferrers(tx, rec.Key(), switchboard.KindUser)
	if err != nil {
		return nil, err
	}
	p.NumberOfAssociatedUsers = ptr(int64(users))
	return &doc, nil
}

// referrerCounter is what a Tx may offer beyond switchboard.Tx: a count of
// the records of one kind that refer to a key, without listing them (see
// storage/sqlite's CountReferrers).
type referrerCounter interface {
	CountReferrers(k switchboard.Key, from switchboard.Kind) (int, error)
}

// countReferrers counts the records of kind that refer to k.
func countReferrers(tx switchboard.Tx, k switchboard.Key, kind switchboard.Kind) (int, error) {
	if rc, ok := tx.(referrerCounter); ok {
		return rc.CountReferrers(k, kind)
	}
	refs, err := tx.Referrers(k, 0)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range refs {
		if r.Kind == kind {
			n++
		}
	}
	return n, nil
}

func (s *Service) describeRoutingProfile(ctx context.Context, in *api.DescribeRoutingProfileRequest) (*api.DescribeRoutingProfileResponse, error) {
	var out *api.DescribeRoutingProfileResponse
	err := s.viewChild(ctx, *in.InstanceId, switchboard.KindRoutingProfile, *in.RoutingProfileId, func(tx switchboard.Tx, rec *switchboard.Record) error {
		doc, err := routingProfileShape(tx, rec)
		if err != nil {
			return err
		}
		out = &api.DescribeRoutingProfileResponse{RoutingProfile: &doc.RoutingProfile}
		return nil
	})
	return out, err
}

func (s *Service) listRoutingProfiles(ctx context.Context, in *api.ListRoutingProfilesRequest) (*api.ListRoutingProfilesResponse, error) {
	list, next, err := listSummaries(s, ctx, *in.InstanceId, switchboard.KindRoutingProfile, in.NextToken, in.MaxResults, func(sm summary) api.RoutingProfileSummary {
		return api.RoutingProfileSummary{Id: sm.id, Arn: sm.arn, Name: sm.name, LastModifiedTime: sm.modified, LastModifiedRegion: sm.region}
	})
	if err != nil {
		return nil, err
	}
	return &api.ListRoutingProfilesResponse{RoutingProfileSummaryList: list, NextToken: next}, nil
}

func queueShape(rec *switchboard.Record) (*queueDoc, error) {
	var doc queueDoc
	if err := decode(rec, &doc); err != nil {
		return nil, err
	}
	sm := summarize(rec)
	q := &doc.Queue
	q.QueueId, q.QueueArn, q.LastModifiedTime, q.LastModifiedRegion = sm.id, sm.arn, sm.modified, sm.region
	if doc.QueueType == api.QueueTypeAgent {
		// Agent queues have no name and their own ARN form.
		q.QueueArn = ptr(agentQueueARN(rec.Scope, rec.Parent, rec.ID))
	} else {
		q.Name = sm.name
	}
	q.Tags = copyTags(rec.Tags)
	return &doc, nil
}

func (s *Service) describeQueue(ctx context.Context, in *api.DescribeQueueRequest) (*api.DescribeQueueResponse, error) {
	var out *api.DescribeQueueResponse
	err := s.viewChild(ctx, *in.InstanceId, switchboard.KindQueue, *in.QueueId, func(_ switchboard.Tx, rec *switchboard.Record) error {
		doc, err := queueShape(rec)
		if err != nil {
			return err
		}
		out = &api.DescribeQueueResponse{Queue: &doc.Queue}
		return nil
	})
	return out, err
}

func (s *Service) listQueues(ctx context.Context, in *api.ListQueuesRequest) (*api.ListQueuesResponse, error) {
	out := &api.ListQueuesResponse{}
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		inst, idoc, err := s.viewInstance(tx, scope(ctx), *in.InstanceId)
		if err != nil {
			return err
		}
		want := map[string]bool{}
		for _, t := range in.QueueTypes {
			want[t] = true
		}
		var recs []*switchboard.Record
		var next *string
		if idoc.AgentQueuesImplied {
			all := len(want) == 0
			recs, next, err = s.listQueuesImplied(tx, inst, in.NextToken, in.MaxResults, all || want[api.QueueTypeStandard], all || want[api.QueueTypeAgent])
		} else {
			var keep func(*switchboard.Record) bool
			if len(want) > 0 {
				keep = func(r *switchboard.Record) bool {
					var d queueDoc
					return decode(r, &d) == nil && want[d.QueueType]
				}
			}
			recs, next, err = page(tx, inst.Scope, switchboard.KindQueue, inst.ID, in.NextToken, in.MaxResults, defaultPageSize, keep)
		}
		if err != nil {
			return err
		}
		out.NextToken = next
		out.QueueSummaryList = make([]api.QueueSummary, 0, len(recs))
		for _, r := range recs {
			doc, err := queueShape(r)
			if err != nil {
				return err
			}
			q := doc.Queue
			out.QueueSummaryList = append(out.QueueSummaryList, api.QueueSummary{
				Id: q.QueueId, Arn: q.QueueArn, Name: q.Name, QueueType: ptr(doc.QueueType),
				LastModifiedTime: q.LastModifiedTime, LastModifiedRegion: q.LastModifiedRegion,
			})
		}
		return nil
	})
	return out, err
}

func hoursShape(rec *switchboard.Record) (*hoursDoc, error) {
	var doc hoursDoc
	if err := decode(rec, &doc); err != nil {
		return nil, err
	}
	sm := summarize(rec)
	h := &doc.HoursOfOperation
	h.HoursOfOperationId, h.HoursOfOperationArn, h.Name, h.LastModifiedTime, h.LastModifiedRegion = sm.id, sm.arn, sm.name, sm.modified, sm.region
	h.Tags = copyTags(rec.Tags)
	return &doc, nil
}

func (s *Service) describeHoursOfOperation(ctx context.Context, in *api.DescribeHoursOfOperationRequest) (*api.DescribeHoursOfOperationResponse, error) {
	var out *api.DescribeHoursOfOperationResponse
	err := s.viewChild(ctx, *in.InstanceId, switchboard.KindHoursOfOperation, *in.HoursOfOperationId, func(_ switchboard.Tx, rec *switchboard.Record) error {
		doc, err := hoursShape(rec)
		if err != nil {
			return err
		}
		out = &api.DescribeHoursOfOperationResponse{HoursOfOperation: &doc.HoursOfOperation}
		return nil
	})
	return out, err
}

func (s *Service) listHoursOfOperations(ctx context.Context, in *api.ListHoursOfOperationsRequest) (*api.ListHoursOfOperationsResponse, error) {
	list, next, err := listSummaries(s, ctx, *in.InstanceId, switchboard.KindHoursOfOperation, in.NextToken, in.MaxResults, func(sm summary) api.HoursOfOperationSummary {
		return api.HoursOfOperationSummary{Id: sm.id, Arn: sm.arn, Name: sm.name, LastModifiedTime: sm.modified, LastModifiedRegion: sm.region}
	})
	if err != nil {
		return nil, err
	}
	return &api.ListHoursOfOperationsResponse{HoursOfOperationSummaryList: list, NextToken: next}, nil
}
