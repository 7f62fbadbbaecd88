package service

import (
	"context"
	"fmt"
	"sort"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// Routing profiles: CreateRoutingProfile, the UpdateRoutingProfile*
// operations, Associate/DisassociateRoutingProfileQueues,
// ListRoutingProfileQueues and DeleteRoutingProfile. Describe and List are
// in resources.go. The record's Refs always list every queue the profile
// uses (default outbound queue, queue configs, manual-assignment queues), so
// the store refuses to delete a queue while a profile uses it.

const (
	// maxQueueCombinations is AWS's default quota of queue and channel
	// combinations per routing profile (the 10-item limit on QueueConfigs
	// applies to one request only).
	maxQueueCombinations = 50
	// maxDisassociate is the documented limit of queue references one
	// DisassociateRoutingProfileQueues call may name.
	maxDisassociate = 10
	// defaultRoutingQueuePage is ListRoutingProfileQueues' page size when
	// MaxResults is not given (its model maximum).
	defaultRoutingQueuePage = 100
)

// routingProfileStored is the whole stored document: what the readers
// decode (routingProfileDoc) plus the manual-assignment queues, which no
// implemented operation lists yet.
type routingProfileStored struct {
	routingProfileDoc
	ManualAssignmentQueueConfigs []api.RoutingProfileManualAssignmentQueueConfig `json:"manualAssignmentQueueConfigs,omitempty"`
}

func (d *routingProfileStored) refs() []switchboard.Ref {
	var r refSet
	r.add(switchboard.KindQueue, deref(d.DefaultOutboundQueueId))
	for _, c := range d.QueueConfigs {
		r.add(switchboard.KindQueue, keyOf(c.QueueReference).id)
	}
	for _, c := range d.ManualAssignmentQueueConfigs {
		r.add(switchboard.KindQueue, keyOf(c.QueueReference).id)
	}
	return r.refs
}

// recount keeps NumberOfAssociatedManualAssignmentQueues true; the number
// of ordinary queues is computed when the profile is read.
func (d *routingProfileStored) recount() {
	var r refSet
	for _, c := range d.ManualAssignmentQueueConfigs {
		r.add(switchboard.KindQueue, keyOf(c.QueueReference).id)
	}
	d.NumberOfAssociatedManualAssignmentQueues = nil
	if len(r.refs) > 0 {
		d.NumberOfAssociatedManualAssignmentQueues = ptr(int64(len(r.refs)))
	}
}

// queueKey identifies one association: a queue on one channel.
type queueKey struct{ id, channel string }

func keyOf(r *api.RoutingProfileQueueReference) queueKey {
	if r == nil {
		return queueKey{}
	}
	return queueKey{deref(r.QueueId), deref(r.Channel)}
}

// checkConcurrencies applies the per-channel rules the model states only in
// prose (VOICE exactly 1; CHAT, TASK and EMAIL keep the modelled 1..10) and
// returns the list in channel order with the default cross-channel
// behaviour filled in.
func checkConcurrencies(list []api.MediaConcurrency) ([]api.MediaConcurrency, error) {
	if len(list) == 0 {
		return nil, invalidParameter("MediaConcurrencies must name at least one channel")
	}
	seen := map[string]bool{}
	out := make([]api.MediaConcurrency, 0, len(list))
	for i, m := range list {
		ch := deref(m.Channel)
		if seen[ch] {
			return nil, invalidParameter("MediaConcurrencies[%d]: channel %s appears more than once", i, ch)
		}
		seen[ch] = true
		if ch == api.ChannelVoice && deref(m.Concurrency) != 1 {
			return nil, invalidParameter("MediaConcurrencies[%d]: Concurrency for VOICE must be 1, got %d", i, deref(m.Concurrency))
		}
		if m.CrossChannelBehavior == nil {
			m.CrossChannelBehavior = &api.CrossChannelBehavior{BehaviorType: ptr(api.BehaviorTypeRouteCurrentChannelOnly)}
		}
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool { return channelOrder[deref(out[i].Channel)] < channelOrder[deref(out[j].Channel)] })
	return out, nil
}

// checkQueueRefs proves each queue member names exists and is STANDARD, and
// that no queue and channel pair is named twice.
func checkQueueRefs(tx switchboard.Tx, sc switchboard.Scope, instanceID, member string, refs []*api.RoutingProfileQueueReference) error {
	seen := map[queueKey]int{}
	for i, r := range refs {
		k := keyOf(r)
		if j, dup := seen[k]; dup {
			return invalidParameter("%s[%d] names queue %s on channel %s, as %s[%d] does", member, i, k.id, k.channel, member, j)
		}
		seen[k] = i
		if _, err := standardQueue(tx, sc, instanceID, k.id, fmt.Sprintf("%s[%d].QueueReference.QueueId", member, i)); err != nil {
			return err
		}
	}
	return nil
}

func configRefs(c []api.RoutingProfileQueueConfig) []*api.RoutingProfileQueueReference {
	out := make([]*api.RoutingProfileQueueReference, len(c))
	for i := range c {
		out[i] = c[i].QueueReference
	}
	return out
}

func manualRefs(c []api.RoutingProfileManualAssignmentQueueConfig) []*api.RoutingProfileQueueReference {
	out := make([]*api.RoutingProfileQueueReference, len(c))
	for i := range c {
		out[i] = c[i].QueueReference
	}
	return out
}

func checkCombinations(n int) error {
	if n > maxQueueCombinations {
		return invalidParameter("QueueConfigs: a routing profile can have at most %d queue and channel combinations; this request would leave %d", maxQueueCombinations, n)
	}
	return nil
}

func (s *Service) createRoutingProfile(ctx context.Context, in *api.CreateRoutingProfileRequest) (*api.CreateRoutingProfileResponse, error) {
	mc, err := checkConcurrencies(in.MediaConcurrencies)
	if err != nil {
		return nil, err
	}
	sc, id, now := scope(ctx), s.newID(), s.clock()
	var out *api.CreateRoutingProfileResponse
	err = s.store.Update(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		if _, err := standardQueue(tx, sc, inst.ID, *in.DefaultOutboundQueueId, "DefaultOutboundQueueId"); err != nil {
			return err
		}
		if err := checkQueueRefs(tx, sc, inst.ID, "QueueConfigs", configRefs(in.QueueConfigs)); err != nil {
			return err
		}
		if err := checkQueueRefs(tx, sc, inst.ID, "ManualAssignmentQueueConfigs", manualRefs(in.ManualAssignmentQueueConfigs)); err != nil {
			return err
		}
		n, err := tx.Count(sc, switchboard.KindRoutingProfile, inst.ID)
		if err != nil {
			return err
		}
		if n >= s.quotas.RoutingProfilesPerInstance {
			return limitExceeded("The maximum number of routing profiles per instance (%d) has been reached", s.quotas.RoutingProfilesPerInstance)
		}
		doc := routingProfileStored{
			routingProfileDoc: routingProfileDoc{
				RoutingProfile: api.RoutingProfile{
					InstanceId: ptr(inst.ID), Description: in.Description, DefaultOutboundQueueId: in.DefaultOutboundQueueId,
					MediaConcurrencies:     mc,
					AgentAvailabilityTimer: ptr(derefOr(in.AgentAvailabilityTimer, api.AgentAvailabilityTimerTimeSinceLastActivity)),
					IsDefault:              ptr(false),
				},
				QueueConfigs: in.QueueConfigs,
			},
			ManualAssignmentQueueConfigs: in.ManualAssignmentQueueConfigs,
		}
		doc.recount()
		rec := &switchboard.Record{Scope: sc, Kind: switchboard.KindRoutingProfile, Parent: inst.ID, ID: id, Name: *in.Name,
			Data: encode(doc), Tags: copyTags(in.Tags), Refs: doc.refs(), Created: now, Modified: now}
		if err := insertNamed(tx, rec); err != nil {
			return err
		}
		out = &api.CreateRoutingProfileResponse{RoutingProfileId: ptr(id), RoutingProfileArn: ptr(resourceARN(sc, switchboard.KindRoutingProfile, inst.ID, id))}
		return nil
	})
	return out, err
}

// updateRoutingProfile loads a routing profile, lets change modify it and
// stores it with its refs recomputed from the document.
func (s *Service) updateRoutingProfile(ctx context.Context, instanceID, id string, change func(tx switchboard.Tx, rec *switchboard.Record, doc *routingProfileStored) error) (*empty, error) {
	return s.updateChild(ctx, instanceID, switchboard.KindRoutingProfile, id, func(tx switchboard.Tx, rec *switchboard.Record) error {
		var doc routingProfileStored
		if err := decode(rec, &doc); err != nil {
			return err
		}
		if err := change(tx, rec, &doc); err != nil {
			return err
		}
		doc.recount()
		rec.Data, rec.Refs = encode(doc), doc.refs()
		// The profile's queues or channels may have changed: the agent
		// index rebuilds (agentindex.go).
		return bumpAgentGeneration(tx, rec.Scope, rec.Parent, s.clock())
	})
}

func (s *Service) updateRoutingProfileName(ctx context.Context, in *api.UpdateRoutingProfileNameRequest) (*empty, error) {
	if in.Name == nil && in.Description == nil {
		return nil, invalidParameter("Name or Description must be provided")
	}
	return s.updateRoutingProfile(ctx, *in.InstanceId, *in.RoutingProfileId, func(_ switchboard.Tx, rec *switchboard.Record, doc *routingProfileStored) error {
		if in.Name != nil {
			rec.Name = *in.Name
		}
		if in.Description != nil {
			doc.Description = in.Description
		}
		return nil
	})
}

func (s *Service) updateRoutingProfileConcurrency(ctx context.Context, in *api.UpdateRoutingProfileConcurrencyRequest) (*empty, error) {
	mc, err := checkConcurrencies(in.MediaConcurrencies)
	if err != nil {
		return nil, err
	}
	return s.updateRoutingProfile(ctx, *in.InstanceId, *in.RoutingProfileId, func(_ switchboard.Tx, _ *switchboard.Record, doc *routingProfileStored) error {
		doc.MediaConcurrencies = mc
		return nil
	})
}

func (s *Service) updateRoutingProfileDefaultOutboundQueue(ctx context.Context, in *api.UpdateRoutingProfileDefaultOutboundQueueRequest) (*empty, error) {
	return s.updateRoutingProfile(ctx, *in.InstanceId, *in.RoutingProfileId, func(tx switchboard.Tx, rec *switchboard.Record, doc *routingProfileStored) error {
		if _, err := standardQueue(tx, rec.Scope, rec.Parent, *in.DefaultOutboundQueueId, "DefaultOutboundQueueId"); err != nil {
			return err
		}
		doc.DefaultOutboundQueueId = in.DefaultOutboundQueueId
		return nil
	})
}

func (s *Service) updateRoutingProfileAgentAvailabilityTimer(ctx context.Context, in *api.UpdateRoutingProfileAgentAvailabilityTimerRequest) (*empty, error) {
	return s.updateRoutingProfile(ctx, *in.InstanceId, *in.RoutingProfileId, func(_ switchboard.Tx, _ *switchboard.Record, doc *routingProfileStored) error {
		doc.AgentAvailabilityTimer = in.AgentAvailabilityTimer
		return nil
	})
}

// updateRoutingProfileQueues changes the priority and delay of queues the
// profile already has; a queue and channel it does not have is refused
// (AssociateRoutingProfileQueues adds them).
func (s *Service) updateRoutingProfileQueues(ctx context.Context, in *api.UpdateRoutingProfileQueuesRequest) (*empty, error) {
	return s.updateRoutingProfile(ctx, *in.InstanceId, *in.RoutingProfileId, func(tx switchboard.Tx, rec *switchboard.Record, doc *routingProfileStored) error {
		if err := checkQueueRefs(tx, rec.Scope, rec.Parent, "QueueConfigs", configRefs(in.QueueConfigs)); err != nil {
			return err
		}
		at := map[queueKey]int{}
		for i, c := range doc.QueueConfigs {
			at[keyOf(c.QueueReference)] = i
		}
		for i, c := range in.QueueConfigs {
			k := keyOf(c.QueueReference)
			j, ok := at[k]
			if !ok {
				return invalidParameter("QueueConfigs[%d]: queue %s is not associated with routing profile %s on channel %s; add it with AssociateRoutingProfileQueues", i, k.id, rec.ID, k.channel)
			}
			doc.QueueConfigs[j].Priority, doc.QueueConfigs[j].Delay = c.Priority, c.Delay
		}
		return nil
	})
}

// associateRoutingProfileQueues adds queues; a queue and channel the profile
// already has takes the new priority and delay, so a retried call is
// harmless.
func (s *Service) associateRoutingProfileQueues(ctx context.Context, in *api.AssociateRoutingProfileQueuesRequest) (*empty, error) {
	if len(in.QueueConfigs) == 0 && len(in.ManualAssignmentQueueConfigs) == 0 {
		return nil, invalidParameter("QueueConfigs or ManualAssignmentQueueConfigs must be provided")
	}
	return s.updateRoutingProfile(ctx, *in.InstanceId, *in.RoutingProfileId, func(tx switchboard.Tx, rec *switchboard.Record, doc *routingProfileStored) error {
		if err := checkQueueRefs(tx, rec.Scope, rec.Parent, "QueueConfigs", configRefs(in.QueueConfigs)); err != nil {
			return err
		}
		if err := checkQueueRefs(tx, rec.Scope, rec.Parent, "ManualAssignmentQueueConfigs", manualRefs(in.ManualAssignmentQueueConfigs)); err != nil {
			return err
		}
		at := map[queueKey]int{}
		for i, c := range doc.QueueConfigs {
			at[keyOf(c.QueueReference)] = i
		}
		for _, c := range in.QueueConfigs {
			if j, ok := at[keyOf(c.QueueReference)]; ok {
				doc.QueueConfigs[j] = c
				continue
			}
			at[keyOf(c.QueueReference)] = len(doc.QueueConfigs)
			doc.QueueConfigs = append(doc.QueueConfigs, c)
		}
		if err := checkCombinations(len(doc.QueueConfigs)); err != nil {
			return err
		}
		manual := map[queueKey]bool{}
		for _, c := range doc.ManualAssignmentQueueConfigs {
			manual[keyOf(c.QueueReference)] = true
		}
		for _, c := range in.ManualAssignmentQueueConfigs {
			if !manual[keyOf(c.QueueReference)] {
				manual[keyOf(c.QueueReference)] = true
				doc.ManualAssignmentQueueConfigs = append(doc.ManualAssignmentQueueConfigs, c)
			}
		}
		return nil
	})
}

// disassociateRoutingProfileQueues removes queues; a reference the profile
// does not have is ignored, so a retried call is harmless. The default
// outbound queue stays referenced even when removed from the inbound
// queues.
func (s *Service) disassociateRoutingProfileQueues(ctx context.Context, in *api.DisassociateRoutingProfileQueuesRequest) (*empty, error) {
	if len(in.QueueReferences) == 0 && len(in.ManualAssignmentQueueReferences) == 0 {
		return nil, invalidParameter("QueueReferences or ManualAssignmentQueueReferences must be provided")
	}
	for member, n := range map[string]int{"QueueReferences": len(in.QueueReferences), "ManualAssignmentQueueReferences": len(in.ManualAssignmentQueueReferences)} {
		if n > maxDisassociate {
			return nil, invalidParameter("%s has %d queue references; at most %d can be disassociated in one call", member, n, maxDisassociate)
		}
	}
	drop := func(refs []api.RoutingProfileQueueReference) map[queueKey]bool {
		m := map[queueKey]bool{}
		for i := range refs {
			m[keyOf(&refs[i])] = true
		}
		return m
	}
	return s.updateRoutingProfile(ctx, *in.InstanceId, *in.RoutingProfileId, func(_ switchboard.Tx, _ *switchboard.Record, doc *routingProfileStored) error {
		gone := drop(in.QueueReferences)
		kept := doc.QueueConfigs[:0]
		for _, c := range doc.QueueConfigs {
			if !gone[keyOf(c.QueueReference)] {
				kept = append(kept, c)
			}
		}
		doc.QueueConfigs = kept
		gone = drop(in.ManualAssignmentQueueReferences)
		keptManual := doc.ManualAssignmentQueueConfigs[:0]
		for _, c := range doc.ManualAssignmentQueueConfigs {
			if !gone[keyOf(c.QueueReference)] {
				keptManual = append(keptManual, c)
			}
		}
		doc.ManualAssignmentQueueConfigs = keptManual
		return nil
	})
}

// listRoutingProfileQueues pages the profile's queue configs in the order
// they were associated.
func (s *Service) listRoutingProfileQueues(ctx context.Context, in *api.ListRoutingProfileQueuesRequest) (*api.ListRoutingProfileQueuesResponse, error) {
	start, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	sc := scope(ctx)
	var out *api.ListRoutingProfileQueuesResponse
	err = s.store.View(ctx, func(tx switchboard.Tx) error {
		rec, err := getChild(tx, sc, *in.InstanceId, switchboard.KindRoutingProfile, *in.RoutingProfileId)
		if err != nil {
			return err
		}
		var doc routingProfileDoc
		if err := decode(rec, &doc); err != nil {
			return err
		}
		all := doc.QueueConfigs
		from := int(min(start, int64(len(all))))
		end := min(from+int(derefOr(in.MaxResults, defaultRoutingQueuePage)), len(all))
		sm := summarize(rec)
		out = &api.ListRoutingProfileQueuesResponse{
			RoutingProfileQueueConfigSummaryList: make([]api.RoutingProfileQueueConfigSummary, 0, end-from),
			LastModifiedTime:                     sm.modified, LastModifiedRegion: sm.region,
		}
		for _, c := range all[from:end] {
			k := keyOf(c.QueueReference)
			q, err := tx.Get(switchboard.Key{Scope: sc, Kind: switchboard.KindQueue, Parent: rec.Parent, ID: k.id})
			if err != nil {
				// The profile's refs keep its queues from being deleted, so
				// a missing one is a broken store, not a client error.
				return fmt.Errorf("routing profile %s: queue %s: %w", rec.ID, k.id, err)
			}
			out.RoutingProfileQueueConfigSummaryList = append(out.RoutingProfileQueueConfigSummaryList, api.RoutingProfileQueueConfigSummary{
				QueueId: ptr(k.id), QueueArn: ptr(resourceARN(sc, switchboard.KindQueue, rec.Parent, k.id)), QueueName: ptr(q.Name),
				Channel: ptr(k.channel), Priority: c.Priority, Delay: c.Delay,
			})
		}
		if end < len(all) {
			out.NextToken = encodeToken(int64(end))
		}
		return nil
	})
	return out, err
}

func (s *Service) deleteRoutingProfile(ctx context.Context, in *api.DeleteRoutingProfileRequest) (*empty, error) {
	return s.deleteChild(ctx, *in.InstanceId, switchboard.KindRoutingProfile, *in.RoutingProfileId, nil)
}
