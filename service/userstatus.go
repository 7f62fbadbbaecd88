package service

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/engine"
)

// An agent's current status: PutUserStatus sets it, GetCurrentUserData
// reports the agents who are logged in.
//
// The status is a record of its own (KindUserStatus, the user's id, Ref to
// the agent status), so that setting it leaves the user's version and
// LastModifiedTime alone, and so that GetCurrentUserData walks the agents
// who ever had a status rather than every user of the instance. A user
// without one is Offline. A user is logged in while its status is not the
// instance's OFFLINE status (docs/BEHAVIOUR.md, Agent status).

func (s *Service) registerUserStatus() {
	handle(s, "PutUserStatus", s.putUserStatus)
	handle(s, "GetCurrentUserData", s.getCurrentUserData)
}

// userStatusDoc is what the store keeps of a user's current status.
type userStatusDoc struct {
	StatusID string        `json:"statusId"`
	Since    api.Timestamp `json:"since"`
	// The contact engine's state of the agent (contactagents.go):
	// IdleSince is when the agent last had no contact (nil: Since);
	// MissedContactID is the contact that rang out on the agent, which
	// blocks routing until the status is set again or the contact is
	// dismissed (DismissUserContact); NextStatusID is a status set while the agent
	// had contacts, taken when the last one is done.
	IdleSince       *api.Timestamp `json:"idleSince,omitempty"`
	MissedContactID string         `json:"missedContactId,omitempty"`
	// Held is the contacts the agent holds a slot for (offered, connected
	// or in after contact work), with their channels: the engine keeps it
	// with each offer and release, so routing knows an agent's load from
	// its own record.
	Held         map[string]engine.Channel `json:"held,omitempty"`
	NextStatusID string                    `json:"nextStatusId,omitempty"`
}

func userStatusKey(sc switchboard.Scope, instanceID, userID string) switchboard.Key {
	return switchboard.Key{Scope: sc, Kind: switchboard.KindUserStatus, Parent: instanceID, ID: userID}
}

func (s *Service) putUserStatus(ctx context.Context, in *api.PutUserStatusRequest) (*empty, error) {
	instanceID, err := s.ensureDefaults(ctx, *in.InstanceId)
	if err != nil {
		return nil, err
	}
	sc := scope(ctx)
	err = s.changeContacts(ctx, sc, instanceID, func(e *engineTx, now time.Time) error {
		tx := e.tx
		if _, err := getChild(tx, sc, instanceID, switchboard.KindUser, *in.UserId); err != nil {
			return err
		}
		st, err := getChild(tx, sc, instanceID, switchboard.KindAgentStatus, *in.AgentStatusId)
		if err != nil {
			return err
		}
		var doc agentStatusDoc
		if err := decode(st, &doc); err != nil {
			return err
		}
		if doc.State == api.AgentStatusStateDisabled {
			return invalidRequest("The agent status %s (%s) is disabled and cannot be set", st.Name, st.ID)
		}
		rec, err := tx.Get(userStatusKey(sc, instanceID, *in.UserId))
		switch {
		case errors.Is(err, switchboard.ErrNotFound):
			// A new agent: the agent index must learn of it.
			if err := bumpAgentGeneration(tx, sc, instanceID, now); err != nil {
				return err
			}
			if err := recordActivity(tx, sc, instanceID, s.newID(), *in.UserId, st.ID, doc.Type, now); err != nil {
				return err
			}
			return tx.Insert(&switchboard.Record{Scope: sc, Kind: switchboard.KindUserStatus, Parent: instanceID, ID: *in.UserId,
				Data: encode(userStatusDoc{StatusID: st.ID, Since: api.Timestamp{Time: now}}), Refs: []switchboard.Ref{{Kind: switchboard.KindAgentStatus, ID: st.ID}},
				Created: now, Modified: now})
		case err != nil:
			return err
		}
		a, err := e.agentFrom(rec)
		if err != nil || a == nil {
			return err
		}
		switch {
		case len(a.status.Held) > 0:
			// "If the agent is currently handling a contact, this sets the
			// agent's next status" (PutUserStatus).
			if a.status.StatusID == st.ID {
				a.status.NextStatusID = ""
			} else {
				a.status.NextStatusID = st.ID
			}
			a.status.MissedContactID = ""
		case a.status.StatusID == st.ID && a.status.MissedContactID == "":
			return nil // the same status again: it has not started anew
		case a.status.StatusID == st.ID:
			a.status.MissedContactID = ""
		default:
			if err := e.setStatus(a, st.ID, now); err != nil {
				return err
			}
		}
		return e.saveAgent(a, now)
	})
	if err != nil {
		return nil, err
	}
	return &empty{}, nil
}

// userDataFilter is a GetCurrentUserData request's Filters, checked.
type userDataFilter struct {
	agents, queues, profiles map[string]bool
	group                    string
	contactStates            []string
}

// idSet is the ids of a filter, which may name resources by id or ARN.
func idSet(ids []string) map[string]bool {
	if len(ids) == 0 {
		return nil
	}
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[lastSegment(id)] = true
	}
	return m
}

// lastSegment is the id an ARN ends with (an id is its own last segment).
func lastSegment(idOrARN string) string {
	if strings.HasPrefix(idOrARN, "arn:") {
		if i := strings.LastIndex(idOrARN, "/"); i >= 0 {
			return idOrARN[i+1:]
		}
	}
	return idOrARN
}

func (s *Service) getCurrentUserData(ctx context.Context, in *api.GetCurrentUserDataRequest) (*api.GetCurrentUserDataResponse, error) {
	// "A maximum of one filter can be passed from queues, routing
	// profiles, agents, and user hierarchy groups" (the API reference);
	// none at all is refused too (docs/BEHAVIOUR.md, Agent status).
	f := in.Filters
	given := 0
	for _, l := range [][]string{f.Agents, f.Queues, f.RoutingProfiles, f.UserHierarchyGroups} {
		if len(l) > 0 {
			given++
		}
	}
	if given != 1 {
		return nil, invalidParameter("Filters must name exactly one of Agents, Queues, RoutingProfiles or UserHierarchyGroups, got %d", given)
	}
	filter := userDataFilter{agents: idSet(f.Agents), queues: idSet(f.Queues), profiles: idSet(f.RoutingProfiles)}
	if len(f.UserHierarchyGroups) > 0 {
		filter.group = lastSegment(f.UserHierarchyGroups[0])
	}
	if f.ContactFilter != nil {
		filter.contactStates = f.ContactFilter.ContactStates
	}
	instanceID, err := s.ensureDefaults(ctx, *in.InstanceId)
	if err != nil {
		return nil, err
	}
	after, limit, err := pageRequest(in.NextToken, in.MaxResults, defaultPageSize)
	if err != nil {
		return nil, err
	}
	sc := scope(ctx)
	out := &api.GetCurrentUserDataResponse{UserDataList: []api.UserData{}}
	err = s.store.View(ctx, func(tx switchboard.Tx) error {
		r := userDataReader{s: s, tx: tx, sc: sc, instanceID: instanceID, statuses: map[string]*switchboard.Record{}, profiles: map[string]*routingProfileDoc{}}
		// Agents off the page are only counted. With a filter of agents or
		// routing profiles, whether one counts is known from its status
		// and the agent index (which holds exactly the existing users with
		// a status, and their routing profiles), without reading the user
		// or building its UserData: a dashboard paging 10,000 agents reads
		// 100 of them a request.
		var idx *agentIndex
		if filter.cheap() {
			r.engine = s.engineTx(tx, sc, instanceID)
			if idx, err = r.engine.agentIndex(); err != nil {
				return err
			}
			s.indexes.put(r.engine.indexKey(), idx) // exact for its generation, so shared
		}
		var total int64
		page := func(entries []statusEntry) error {
			for _, rec := range entries {
				if idx != nil && (rec.seq <= after || len(out.UserDataList) == limit) {
					ok, err := r.counts(rec, &filter, idx)
					if err != nil {
						return err
					}
					if ok {
						total++
						if rec.seq > after && out.NextToken == nil {
							out.NextToken = encodeToken(r.lastSeq)
						}
					}
					continue
				}
				ud, ok, err := r.read(rec, &filter)
				if err != nil {
					return err
				}
				if !ok {
					continue
				}
				total++
				if rec.seq <= after {
					continue
				}
				if len(out.UserDataList) == limit {
					if out.NextToken == nil {
						out.NextToken = encodeToken(r.lastSeq)
					}
					continue
				}
				out.UserDataList = append(out.UserDataList, *ud)
				r.lastSeq = rec.seq
			}
			return nil
		}
		// The statuses in Seq order: kept in memory by the store's change
		// counters where it has them (taken under the projection's lock,
		// used after it: the ordered slice is never changed), else listed.
		var entries []statusEntry
		err := s.withStatuses(tx, sc, instanceID, func(p *statusProjection) error {
			entries = p.ordered()
			return nil
		}, func(all []statusEntry) error {
			entries = all
			return nil
		})
		if err != nil {
			return err
		}
		if err := page(entries); err != nil {
			return err
		}
		out.ApproximateTotalCount = ptr(total)
		return nil
	})
	return out, err
}

// userDataReader builds UserData for one request, reading each agent
// status and routing profile once.
type userDataReader struct {
	s          *Service
	tx         switchboard.Tx
	sc         switchboard.Scope
	instanceID string
	statuses   map[string]*switchboard.Record
	profiles   map[string]*routingProfileDoc
	lastSeq    int64
	// engine reads agents' contacts (nil until contacts first does).
	engine  *engineTx
	offline string // offlineID's
}

// offlineID is the instance's Offline status id, worked out once.
func (r *userDataReader) offlineID() string {
	if r.offline == "" {
		r.offline = systemStatusID(r.sc, r.instanceID, api.AgentStatusTypeOffline)
	}
	return r.offline
}

// cheap says whether the filter can be decided without the user's record
// or contacts (counts).
func (f *userDataFilter) cheap() bool {
	return len(f.contactStates) == 0 && f.queues == nil && f.group == ""
}

// counts says whether read would return the user-status record's
// UserData, for a cheap filter: from the status and the agent index.
func (r *userDataReader) counts(rec statusEntry, f *userDataFilter, idx *agentIndex) (bool, error) {
	if rec.doc.StatusID == r.offlineID() {
		return false, nil
	}
	if f.agents != nil && !f.agents[rec.id] {
		return false, nil
	}
	ia := idx.agents[rec.id]
	if ia == nil {
		return false, nil // the user is gone
	}
	return f.profiles == nil || f.profiles[ia.routingProfile], nil
}

// read returns the UserData of a user-status record when its user is
// logged in and passes the filter.
func (r *userDataReader) read(rec statusEntry, f *userDataFilter) (*api.UserData, bool, error) {
	st := *rec.doc // a copy: the decoding is shared
	if st.StatusID == r.offlineID() {
		return nil, false, nil
	}
	if f.agents != nil && !f.agents[rec.id] {
		return nil, false, nil
	}
	contacts, err := r.contacts(rec.id, &st)
	if err != nil {
		return nil, false, err
	}
	if len(f.contactStates) > 0 && !anyState(contacts, f.contactStates) {
		return nil, false, nil
	}
	user, err := r.tx.Get(switchboard.Key{Scope: r.sc, Kind: switchboard.KindUser, Parent: r.instanceID, ID: rec.id})
	if errors.Is(err, switchboard.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	doc, err := r.s.engineDocs.users.get(user.Data, func() string { return "user " + user.ID })
	if err != nil {
		return nil, false, err
	}
	if f.profiles != nil && !f.profiles[doc.RoutingProfileID] {
		return nil, false, nil
	}
	rp, err := r.profile(doc.RoutingProfileID)
	if err != nil {
		return nil, false, err
	}
	if f.queues != nil && !r.servesQueue(rp, user, doc, f.queues) {
		return nil, false, nil
	}
	var path []string
	if doc.HierarchyGroupID != "" {
		g, err := r.tx.Get(switchboard.Key{Scope: r.sc, Kind: switchboard.KindHierarchyGroup, Parent: r.instanceID, ID: doc.HierarchyGroupID})
		if err != nil {
			return nil, false, err
		}
		var gd hierarchyGroupDoc
		if err := decode(g, &gd); err != nil {
			return nil, false, err
		}
		path = gd.Path
	}
	if f.group != "" && !contains(path, f.group) {
		return nil, false, nil
	}
	status, err := r.status(st.StatusID)
	if err != nil {
		return nil, false, err
	}
	sd, err := r.s.engineDocs.agentStatuses.get(status.Data, func() string { return "agent status " + status.ID })
	if err != nil {
		return nil, false, err
	}
	ud := &api.UserData{
		User:                    &api.UserReference{Id: ptr(rec.id), Arn: ptr(resourceARN(r.sc, switchboard.KindUser, r.instanceID, rec.id))},
		RoutingProfile:          &api.RoutingProfileReference{Id: ptr(doc.RoutingProfileID), Arn: ptr(resourceARN(r.sc, switchboard.KindRoutingProfile, r.instanceID, doc.RoutingProfileID))},
		Status:                  &api.AgentStatusReference{StatusName: ptr(status.Name), StatusArn: ptr(resourceARN(r.sc, switchboard.KindAgentStatus, r.instanceID, status.ID)), StatusStartTimestamp: &st.Since},
		HierarchyPath:           hierarchyPathReference(r.sc, r.instanceID, path),
		MaxSlotsByChannel:       map[string]int32{},
		AvailableSlotsByChannel: map[string]int32{},
		ActiveSlotsByChannel:    map[string]int32{},
		Contacts:                contacts,
	}
	if st.NextStatusID != "" {
		if next, err := r.status(st.NextStatusID); err == nil {
			ud.NextStatus = ptr(next.Name)
		}
	}
	busy := map[engine.Channel]int{}
	for _, c := range contacts {
		if deref(c.AgentContactState) != api.ContactStateMissed {
			busy[engine.Channel(deref(c.Channel))]++
		}
	}
	ra := engine.Agent{Capacity: map[engine.Channel]engine.Capacity{}, Busy: busy}
	for _, m := range rp.MediaConcurrencies {
		ra.Capacity[engine.Channel(deref(m.Channel))] = engine.Capacity{Max: int(deref(m.Concurrency)),
			AnyChannel: m.CrossChannelBehavior != nil && deref(m.CrossChannelBehavior.BehaviorType) == api.BehaviorTypeRouteAnyChannel}
	}
	for _, m := range rp.MediaConcurrencies {
		ch, max := deref(m.Channel), deref(m.Concurrency)
		active := int32(busy[engine.Channel(ch)])
		ud.MaxSlotsByChannel[ch] = max
		ud.ActiveSlotsByChannel[ch] = active
		if sd.Type == api.AgentStatusTypeRoutable && st.MissedContactID == "" && ra.CanTake(engine.Channel(ch)) {
			ud.AvailableSlotsByChannel[ch] = max - active
		} else {
			ud.AvailableSlotsByChannel[ch] = 0
		}
	}
	return ud, true, nil
}

// agentContactStates are the states of an agent's contacts as the agent
// sees them (the agent event stream's): a contact in after contact work
// has ENDED for the agent.
var agentContactStates = map[engine.State]string{
	engine.StateConnecting:       api.ContactStateConnecting,
	engine.StateConnected:        api.ContactStateConnected,
	engine.StateAfterContactWork: api.ContactStateEnded,
}

// contacts returns the agent's contacts: those it holds a slot for (its
// status record's Held, kept by the engine) and the one it missed, if
// any, each read from its live record.
func (r *userDataReader) contacts(agentID string, st *userStatusDoc) ([]api.AgentContactReference, error) {
	if r.engine == nil {
		r.engine = r.s.engineTx(r.tx, r.sc, r.instanceID)
	}
	var held []*liveEntry
	for id := range st.Held {
		le, err := r.engine.entry(id)
		if err != nil {
			return nil, err
		}
		if le != nil && le.live.Holds() && le.live.Agent == agentID {
			held = append(held, le)
		}
	}
	sort.Slice(held, func(i, j int) bool {
		if a, b := held[i].live.StateSince, held[j].live.StateSince; !a.Equal(b) {
			return a.Before(b)
		}
		return held[i].rec.ID < held[j].rec.ID
	})
	out := []api.AgentContactReference{}
	add := func(le *liveEntry, state string) error {
		_, doc, err := getContact(r.tx, r.sc, r.instanceID, le.rec.ID)
		if err != nil {
			return err
		}
		ref := api.AgentContactReference{ContactId: ptr(le.rec.ID), Channel: ptr(string(le.live.Channel)), InitiationMethod: ptr(string(doc.Initiation)),
			AgentContactState: ptr(state), StateStartTimestamp: &api.Timestamp{Time: le.live.StateSince}, ConnectedToAgentTimestamp: stamp(doc.ConnectedToAgentTimestamp)}
		if q := le.live.Queue; q != "" {
			ref.Queue = &api.QueueReference{Id: ptr(q), Arn: ptr(resourceARN(r.sc, switchboard.KindQueue, r.instanceID, q))}
		}
		out = append(out, ref)
		return nil
	}
	for _, le := range held {
		if err := add(le, agentContactStates[le.live.State]); err != nil {
			return nil, err
		}
	}
	if st.MissedContactID != "" {
		le, err := r.engine.entry(st.MissedContactID)
		if err != nil {
			return nil, err
		}
		if le != nil {
			if err := add(le, api.ContactStateMissed); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func anyState(contacts []api.AgentContactReference, states []string) bool {
	for _, c := range contacts {
		if contains(states, deref(c.AgentContactState)) {
			return true
		}
	}
	return false
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// servesQueue reports whether a user takes contacts from one of the
// queues: a queue of its routing profile, or its own AGENT queue.
func (r *userDataReader) servesQueue(rp *routingProfileDoc, user *switchboard.Record, doc *userDoc, queues map[string]bool) bool {
	own := doc.AgentQueueID
	if own == "" {
		own = user.ID // implied AGENT queues have the user's id (agentqueues.go)
	}
	if queues[own] {
		return true
	}
	for _, c := range rp.QueueConfigs {
		if c.QueueReference != nil && queues[deref(c.QueueReference.QueueId)] {
			return true
		}
	}
	return false
}

func (r *userDataReader) status(id string) (*switchboard.Record, error) {
	if rec, ok := r.statuses[id]; ok {
		return rec, nil
	}
	rec, err := r.tx.Get(switchboard.Key{Scope: r.sc, Kind: switchboard.KindAgentStatus, Parent: r.instanceID, ID: id})
	if err != nil {
		return nil, err
	}
	r.statuses[id] = rec
	return rec, nil
}

func (r *userDataReader) profile(id string) (*routingProfileDoc, error) {
	if d, ok := r.profiles[id]; ok {
		return d, nil
	}
	rec, err := r.tx.Get(switchboard.Key{Scope: r.sc, Kind: switchboard.KindRoutingProfile, Parent: r.instanceID, ID: id})
	if err != nil {
		return nil, err
	}
	var d routingProfileDoc
	if err := decode(rec, &d); err != nil {
		return nil, err
	}
	r.profiles[id] = &d
	return &d, nil
}

// hierarchyPathReference is a group path (ids from level one down) as the
// Id/Arn pairs GetCurrentUserData answers.
func hierarchyPathReference(sc switchboard.Scope, instanceID string, path []string) *api.HierarchyPathReference {
	if len(path) == 0 {
		return nil
	}
	p := &api.HierarchyPathReference{}
	levels := []**api.HierarchyGroupSummaryReference{&p.LevelOne, &p.LevelTwo, &p.LevelThree, &p.LevelFour, &p.LevelFive}
	for i, id := range path {
		*levels[i] = &api.HierarchyGroupSummaryReference{Id: ptr(id), Arn: ptr(resourceARN(sc, switchboard.KindHierarchyGroup, instanceID, id))}
	}
	return p
}
