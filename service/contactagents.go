package service

// Agents as the contact engine sees them: a user's status record (which
// also keeps the engine's per-agent state: idle since, missed, next
// status), the user's per-channel settings and its routing profile.

import (
	"errors"
	"maps"
	"sort"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/engine"
)

// engineDocCaches are the Service's caches of engine documents; each holds
// up to maxEngineDocs decodings.
type engineDocCaches struct {
	statuses      docCache[userStatusDoc]
	agentStatuses docCache[agentStatusDoc]
	users         docCache[userDoc]
	profiles      docCache[routingProfileDoc]
	live          docCache[engine.Live]
	waits         docCache[queueWaitsDoc]
}

// maxEngineDocs bounds each engine cache: agents of the largest instances
// a routing pass reads (benchmarked with 10,000).
const maxEngineDocs = 1 << 15

func (c *engineDocCaches) init() {
	c.statuses.max, c.agentStatuses.max, c.users.max, c.profiles.max, c.live.max, c.waits.max = maxEngineDocs, maxEngineDocs, maxEngineDocs, maxEngineDocs, maxEngineDocs, 1024
}

// agentEntry is one agent read in an engineTx.
type agentEntry struct {
	id       string
	rec      *switchboard.Record // the user-status record
	status   userStatusDoc
	routable bool
	user     *userDoc
	agentQ   string // the user's own queue's id
	profile  *routingProfileDoc
}

// agent returns the agent with the user id, read once per transaction;
// nil when the user has never set a status (an agent who never logged in).
func (e *engineTx) agent(id string) (*agentEntry, error) {
	if a, ok := e.agents[id]; ok {
		return a, nil
	}
	rec, err := peekCopy(e.tx, userStatusKey(e.sc, e.instanceID, id))
	if errors.Is(err, switchboard.ErrNotFound) {
		e.agents[id] = nil
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return e.agentFrom(rec)
}

// agentFrom reads the agent of a user-status record. The documents come
// from the Service's engine caches: the user and routing profile are
// shared and read-only, the status is the agent's own copy.
func (e *engineTx) agentFrom(rec *switchboard.Record) (*agentEntry, error) {
	if a, ok := e.agents[rec.ID]; ok {
		return a, nil
	}
	c := &e.s.engineDocs
	what := func(r *switchboard.Record) func() string { return func() string { return string(r.Kind) + " " + r.ID } }
	st, err := c.statuses.get(rec.Data, what(rec))
	if err != nil {
		return nil, err
	}
	a := &agentEntry{id: rec.ID, rec: rec, status: *st}
	a.status.Held = maps.Clone(st.Held) // the agent's own: the cached doc is shared
	if a.routable, err = e.routableStatus(a.status.StatusID); err != nil {
		return nil, err
	}
	user, err := peek(e.tx, switchboard.Key{Scope: e.sc, Kind: switchboard.KindUser, Parent: e.instanceID, ID: rec.ID})
	if errors.Is(err, switchboard.ErrNotFound) {
		e.agents[rec.ID] = nil // the user was deleted; its status record lingers
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if a.user, err = c.users.get(user.Data, what(user)); err != nil {
		return nil, err
	}
	a.agentQ = a.user.AgentQueueID
	if a.agentQ == "" {
		a.agentQ = user.ID
	}
	rp, err := peek(e.tx, switchboard.Key{Scope: e.sc, Kind: switchboard.KindRoutingProfile, Parent: e.instanceID, ID: a.user.RoutingProfileID})
	if err != nil {
		return nil, err
	}
	if a.profile, err = c.profiles.get(rp.Data, what(rp)); err != nil {
		return nil, err
	}
	e.agents[rec.ID] = a
	return a, nil
}

// routableStatus tells whether an agent status is ROUTABLE, read once per
// transaction.
func (e *engineTx) routableStatus(id string) (bool, error) {
	if r, ok := e.routableStatuses[id]; ok {
		return r, nil
	}
	rec, err := peek(e.tx, switchboard.Key{Scope: e.sc, Kind: switchboard.KindAgentStatus, Parent: e.instanceID, ID: id})
	if err != nil {
		return false, err
	}
	sd, err := e.s.engineDocs.agentStatuses.get(rec.Data, func() string { return "agent status " + id })
	if err != nil {
		return false, err
	}
	if e.routableStatuses == nil {
		e.routableStatuses = map[string]bool{}
	}
	e.routableStatuses[id] = sd.Type == api.AgentStatusTypeRoutable
	return e.routableStatuses[id], nil
}

// routing is the agent as engine.Assign sees it.
func (a *agentEntry) routing() *engine.Agent {
	ra := &engine.Agent{ID: a.id, Available: a.routable && a.status.MissedContactID == "", Capacity: map[engine.Channel]engine.Capacity{},
		Queues: map[engine.QueueChannel]engine.QueueRoute{}}
	ra.IdleSince = a.status.Since.Time
	if a.status.IdleSince != nil {
		ra.IdleSince = a.status.IdleSince.Time
	}
	for _, m := range a.profile.MediaConcurrencies {
		ch := engine.Channel(deref(m.Channel))
		any := m.CrossChannelBehavior != nil && deref(m.CrossChannelBehavior.BehaviorType) == api.BehaviorTypeRouteAnyChannel
		ra.Capacity[ch] = engine.Capacity{Max: int(deref(m.Concurrency)), AnyChannel: any}
		ra.Queues[engine.QueueChannel{Queue: a.agentQ, Channel: ch}] = engine.QueueRoute{Priority: engine.AgentQueuePriority}
	}
	for _, c := range a.profile.QueueConfigs {
		if c.QueueReference == nil {
			continue
		}
		qc := engine.QueueChannel{Queue: deref(c.QueueReference.QueueId), Channel: engine.Channel(deref(c.QueueReference.Channel))}
		ra.Queues[qc] = engine.QueueRoute{Priority: int(deref(c.Priority)), Delay: time.Duration(deref(c.Delay)) * time.Second}
	}
	return ra
}

// autoAccept is the user's AutoAccept setting for the channel.
func (a *agentEntry) autoAccept(ch engine.Channel) bool {
	for _, c := range a.user.Channels.AutoAccept {
		if deref(c.Channel) == string(ch) {
			return deref(c.AutoAccept)
		}
	}
	return false
}

// acwLimit is the user's AfterContactWorkTimeLimit for the channel; 0
// (also when the user has none for it) means no limit.
func (a *agentEntry) acwLimit(ch engine.Channel) time.Duration {
	if a == nil {
		return 0
	}
	for _, c := range a.user.Channels.ACW {
		if deref(c.Channel) == string(ch) && c.AfterContactWorkConfig != nil {
			return time.Duration(deref(c.AfterContactWorkConfig.AfterContactWorkTimeLimit)) * time.Second
		}
	}
	return 0
}

// holds counts the contacts the agent holds a slot for (0 for a user who
// is not an agent).
func (e *engineTx) holds(agentID string) (int, error) {
	a, err := e.agent(agentID)
	if err != nil || a == nil {
		return 0, err
	}
	return len(a.status.Held), nil
}

// busy counts the contacts the agent holds a slot for, by channel.
func (a *agentEntry) busy() map[engine.Channel]int {
	n := map[engine.Channel]int{}
	for _, ch := range a.status.Held {
		n[ch]++
	}
	return n
}

// hold records that the agent holds a slot for the contact.
func (e *engineTx) hold(a *agentEntry, le *liveEntry, now time.Time) error {
	if a.status.Held == nil {
		a.status.Held = map[string]engine.Channel{}
	}
	a.status.Held[le.rec.ID] = le.live.Channel
	return e.saveAgent(a, now)
}

// saveAgent writes an agent's status record.
func (e *engineTx) saveAgent(a *agentEntry, now time.Time) error {
	a.rec.Data, a.rec.Modified = encode(a.status), now
	// The next routing pass reads this record: its decoding is known (a
	// copy, since the transaction may change the agent's again).
	st := a.status
	st.Held = maps.Clone(a.status.Held)
	e.s.engineDocs.statuses.put(a.rec.Data, &st)
	a.rec.Refs = []switchboard.Ref{{Kind: switchboard.KindAgentStatus, ID: a.status.StatusID}}
	return e.tx.Replace(a.rec)
}

// freed records that a contact left the agent at time at: an agent with no
// contacts left is idle from then, and takes the status it asked for
// while busy (NextStatus).
func (e *engineTx) freed(agentID, contactID string, at time.Time) error {
	a, err := e.agent(agentID)
	if err != nil || a == nil {
		return err
	}
	delete(a.status.Held, contactID)
	if len(a.status.Held) > 0 {
		return e.saveAgent(a, at)
	}
	a.status.IdleSince = &api.Timestamp{Time: at}
	if next := a.status.NextStatusID; next != "" {
		a.status.NextStatusID = ""
		if err := e.setStatus(a, next, at); err != nil {
			return err
		}
	}
	return e.saveAgent(a, at)
}

// missed puts an agent who let a contact ring out into the missed state:
// no contact is offered until the agent's status is set again.
func (e *engineTx) missed(agentID, contactID string, at time.Time) error {
	a, err := e.agent(agentID)
	if err != nil || a == nil {
		return err
	}
	a.status.MissedContactID = contactID
	return e.saveAgent(a, at)
}

// setStatus changes the agent's status (not saved).
func (e *engineTx) setStatus(a *agentEntry, statusID string, at time.Time) error {
	st, err := e.tx.Get(switchboard.Key{Scope: e.sc, Kind: switchboard.KindAgentStatus, Parent: e.instanceID, ID: statusID})
	if err != nil {
		return err
	}
	var sd agentStatusDoc
	if err := decode(st, &sd); err != nil {
		return err
	}
	a.status.StatusID, a.status.Since, a.status.MissedContactID = statusID, api.Timestamp{Time: at}, ""
	a.routable = sd.Type == api.AgentStatusTypeRoutable
	if err := recordActivity(e.tx, e.sc, e.instanceID, e.s.newID(), a.id, statusID, sd.Type, at); err != nil {
		return err
	}
	if a.routable {
		a.status.IdleSince = &api.Timestamp{Time: at}
	}
	return nil
}

// queueAgents returns the logged-in agents (status not OFFLINE) whose
// routing profile or own queue serves the queue on any channel.
func (e *engineTx) queueAgents(queue string) ([]*agentEntry, error) {
	idx, err := e.agentIndex()
	if err != nil {
		return nil, err
	}
	wanted := map[engine.QueueChannel]bool{}
	for _, ch := range []engine.Channel{engine.ChannelVoice, engine.ChannelChat, engine.ChannelTask, engine.ChannelEmail} {
		wanted[engine.QueueChannel{Queue: queue, Channel: ch}] = true
	}
	offline := systemStatusID(e.sc, e.instanceID, api.AgentStatusTypeOffline)
	var out []*agentEntry
	for _, id := range idx.serving(wanted) {
		a, err := e.agent(id)
		if err != nil {
			return nil, err
		}
		if a != nil && a.status.StatusID != offline {
			out = append(out, a)
		}
	}
	return out, nil
}

// releaseAgent lets go of the contacts of an agent whose user is deleted:
// one offered goes back to its queue, one connected is disconnected, and
// after contact work ends at once; contacts waiting in the user's own
// queue end, since nobody else takes them. Decision (docs/BEHAVIOUR.md):
// DeleteUser does not refuse a busy agent, and nothing may wait for a user
// who is gone.
func (e *engineTx) releaseAgent(userID string, now time.Time) error {
	a, err := e.agent(userID)
	if err != nil {
		return err
	}
	agentQueue := userID
	var held []string
	if a != nil {
		agentQueue = a.agentQ
		for id := range a.status.Held {
			held = append(held, id)
		}
		sort.Strings(held)
	}
	for _, id := range held {
		le, err := e.entry(id)
		if err != nil {
			return err
		}
		if le == nil || le.live.Agent != userID {
			continue
		}
		switch le.live.State {
		case engine.StateConnecting:
			if err := e.requeue(le, now, "AGENT_DELETED"); err != nil {
				return err
			}
		case engine.StateConnected, engine.StateAfterContactWork:
			if le.live.State == engine.StateConnected {
				if err := e.disconnect(le, now, agentDisconnectReason); err != nil {
					return err
				}
			}
			if !le.gone && le.live.State == engine.StateAfterContactWork {
				if err := e.move(le, engine.StateEnded, now, nil); err != nil {
					return err
				}
			}
		}
	}
	// Contacts bound for the user's own queue: waiting there, or still in
	// a flow that will put them there.
	queued, err := e.queued()
	if err != nil {
		return err
	}
	ids, _, err := e.timers(now, true)
	if err != nil {
		return err
	}
	for _, q := range queued {
		if q.Queue == agentQueue {
			ids = append(ids, q.id)
		}
	}
	for _, id := range ids {
		le, err := e.entry(id)
		if err != nil {
			return err
		}
		if le != nil && le.live.Queue == agentQueue && !le.live.Holds() {
			if err := e.disconnect(le, now, "OTHER"); err != nil {
				return err
			}
		}
	}
	return nil
}

// activityDoc is one change of an agent's status (KindAgentActivity).
type activityDoc struct {
	User   string    `json:"user"`
	Status string    `json:"status"`
	Type   string    `json:"type"`
	At     time.Time `json:"at"`
}

// recordActivity keeps a change of an agent's status for the agent-time
// historical metrics (metricdatav2.go).
func recordActivity(tx switchboard.Tx, sc switchboard.Scope, instanceID, id, user, status, typ string, at time.Time) error {
	return tx.Insert(&switchboard.Record{Scope: sc, Kind: switchboard.KindAgentActivity, Parent: instanceID, ID: id,
		Data: encode(activityDoc{User: user, Status: status, Type: typ, At: at}), Created: at, Modified: at})
}
