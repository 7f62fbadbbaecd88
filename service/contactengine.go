package service

// The contact engine's bindings to storage: every change to a running
// contact (its flow handing it to a queue, routing offering it, an agent
// accepting or ending it, a timer firing) happens in the transaction of
// the call or timer that causes it, and ends with settle, which fires
// the timers that are due and routes the instance's queued contacts. The
// routing rules themselves are package engine's (engine.Assign); this file
// reads the agents' configuration out of the stored documents for them.
// docs/BEHAVIOUR.md, "Routing", has the rules and their sources.

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/engine"
)

// engineScope holds the engine's index of instances with live contacts,
// which a restarted process reads to find their timers again. No account
// can be named so: account ids are twelve digits.
var engineScope = switchboard.Scope{Account: "switchboard", Region: "engine"}

// contact loads a live contact's full record.
func (e *engineTx) contact(le *liveEntry) (*switchboard.Record, *contactDoc, error) {
	return e.contactDoc(le.rec.ID)
}

// move changes a contact's state at time at, in its full record (through
// the transition table) and its live record, and records the move's event;
// edit, if not nil, changes the full record further before the event is
// made. A contact that ends loses its live record, and its agent's slot
// frees.
func (e *engineTx) move(le *liveEntry, to engine.State, at time.Time, edit func(*contactDoc)) error {
	return e.moveWhy(le, to, at, "", edit)
}

// moveWhy is move with the routing reason of a RETURNED event.
func (e *engineTx) moveWhy(le *liveEntry, to engine.State, at time.Time, reason string, edit func(*contactDoc)) error {
	rec, doc, err := e.contact(le)
	if err != nil {
		return err
	}
	before := doc.AgentID
	ev, err := doc.Transition(to, at)
	if err != nil {
		return err
	}
	if edit != nil {
		edit(doc)
	}
	agent := doc.AgentID
	if agent == "" {
		agent = before
	}
	if err := e.emit(doc, ev, at, agent, reason); err != nil {
		return err
	}
	if to == engine.StateConnected && doc.EnqueueTimestamp != nil && doc.QueueID != "" {
		if err := e.recordWait(doc.QueueID, doc.Channel, at.Sub(*doc.EnqueueTimestamp), at); err != nil {
			return err
		}
	}
	e.touch(rec.ID, at)
	holder := ""
	if le.live.Holds() {
		holder = le.live.Agent
	}
	le.live.State, le.live.StateSince, le.live.Timer, le.live.Due = to, at, "", nil
	if to == engine.StateEnded {
		if err := e.drop(le, at); err != nil {
			return err
		}
	} else if err := e.save(le, at); err != nil {
		return err
	}
	if holder != "" && !le.live.Holds() {
		return e.freed(holder, le.rec.ID, at)
	}
	return nil
}

// requeue puts a contact offered to an agent back in its queue, keeping
// its first enqueue time: the agent missed or rejected it, or is gone
// (reason, the RETURNED event's).
func (e *engineTx) requeue(le *liveEntry, at time.Time, reason string) error {
	if err := e.moveWhy(le, engine.StateQueued, at, reason, func(d *contactDoc) { d.AgentID = "" }); err != nil {
		return err
	}
	le.live.Agent = ""
	return e.save(le, at)
}

func (l *liveEntry) alarm(a engine.Alarm, at time.Time) {
	l.live.Timer, l.live.Due = a, &at
}

// disconnect ends a contact's conversation at time at for reason: a
// contact an agent is connected to goes to after contact work (for the
// time limit of the agent's setting for the channel; none for 0), every
// other unfinished contact ends.
func (e *engineTx) disconnect(le *liveEntry, at time.Time, reason string) error {
	setReason := func(d *contactDoc) {
		if d.DisconnectReason == "" {
			d.DisconnectReason = reason
		}
	}
	switch le.live.State {
	case engine.StateAfterContactWork, engine.StateEnded:
		return nil
	case engine.StateConnected:
		a, err := e.agent(le.live.Agent)
		if err != nil {
			return err
		}
		if err := e.move(le, engine.StateAfterContactWork, at, setReason); err != nil {
			return err
		}
		if limit := a.acwLimit(le.live.Channel); limit > 0 {
			le.alarm(engine.TimerAfterContactWork, at.Add(limit))
			return e.save(le, at)
		}
		return nil
	}
	return e.move(le, engine.StateEnded, at, setReason)
}

// settle fires the instance's timers due by now, in time order, then
// routes its queued contacts. It returns the next time something is due
// (zero: nothing).
func (e *engineTx) settle(now time.Time) (time.Time, error) {
	ids, _, err := e.timers(now, false)
	if err != nil {
		return time.Time{}, err
	}
	for _, id := range ids {
		le, err := e.entry(id)
		if err != nil {
			return time.Time{}, err
		}
		if le == nil || le.live.Due == nil || le.live.Due.After(now) {
			continue // changed earlier in this transaction
		}
		if err := e.fire(le, *le.live.Due); err != nil {
			return time.Time{}, err
		}
	}
	next, err := e.route(now)
	if err != nil {
		return time.Time{}, err
	}
	// Timers set or moved in this transaction are in the index too.
	_, first, err := e.timers(now, false)
	if err != nil {
		return time.Time{}, err
	}
	if !first.IsZero() && (next.IsZero() || first.Before(next)) {
		next = first
	}
	return next, nil
}

// fire does what a live contact's timer says, at its due time.
func (e *engineTx) fire(le *liveEntry, at time.Time) error {
	switch le.live.Timer {
	case engine.TimerStart:
		// A scheduled task's time: INITIATED, then its flow.
		return e.flowAt(le, at, func(doc *contactDoc) error {
			le.live.State, le.live.StateSince = engine.StateInitiated, at
			return e.transition(doc, engine.StateInitiated, at, "")
		})
	case engine.TimerAnswer:
		// An outbound call's callee answers, then the flow runs.
		return e.flowAt(le, at, func(doc *contactDoc) error {
			t := at
			doc.ConnectedToSystemTimestamp, doc.LastUpdateTimestamp = &t, at
			return e.emit(doc, engine.EventConnectedToSystem, at, "", "")
		})
	case engine.TimerEnqueue:
		le.live.Enqueued = at
		return e.move(le, engine.StateQueued, at, nil)
	case engine.TimerFlowEnd:
		return e.move(le, engine.StateEnded, at, func(d *contactDoc) { d.DisconnectReason = flowDisconnectReason })
	case engine.TimerRing:
		agent := le.live.Agent
		if err := e.requeue(le, at, "MISSED"); err != nil {
			return err
		}
		return e.missed(agent, le.rec.ID, at)
	case engine.TimerAfterContactWork:
		return e.move(le, engine.StateEnded, at, nil)
	}
	// An unknown timer (written by a later version): drop it.
	le.live.Timer, le.live.Due = "", nil
	return e.save(le, at)
}

// flowAt runs a contact's flow at time at, after before has recorded what
// starts it; the timer that fired is cleared.
func (e *engineTx) flowAt(le *liveEntry, at time.Time, before func(*contactDoc) error) error {
	rec, doc, err := e.contact(le)
	if err != nil {
		return err
	}
	if err := before(doc); err != nil {
		return err
	}
	le.live.Timer, le.live.Due = "", nil
	if err := e.runFlow(doc, &le.live, at); err != nil {
		return err
	}
	e.touch(rec.ID, at)
	if doc.Ended() {
		return e.drop(le, at)
	}
	return e.save(le, at)
}

// route offers queued contacts to available agents (engine.Assign). Only
// the agents whose routing profiles serve a waiting contact's queue and
// channel are read (agentindex.go), each from its status record as this
// transaction sees it.
func (e *engineTx) route(now time.Time) (time.Time, error) {
	queued, err := e.queued()
	if err != nil || len(queued) == 0 {
		return time.Time{}, err
	}
	waiting := make([]engine.Waiting, len(queued))
	wanted := map[engine.QueueChannel]bool{}
	var chans []engine.Channel
	for i, q := range queued {
		waiting[i] = engine.Waiting{ContactID: q.id, Queue: q.Queue, Channel: q.Channel, Priority: q.Priority, Enqueued: q.Enqueued, AdjustSeconds: q.Adjust}
		wanted[engine.QueueChannel{Queue: q.Queue, Channel: q.Channel}] = true
		if !slices.Contains(chans, q.Channel) {
			chans = append(chans, q.Channel)
		}
	}
	idx, err := e.agentIndex()
	if err != nil {
		return time.Time{}, err
	}
	var agents []*engine.Agent
	for _, id := range idx.serving(wanted) {
		ra, err := e.candidate(id, idx.agents[id], chans)
		if err != nil {
			return time.Time{}, err
		}
		if ra != nil {
			agents = append(agents, ra)
		}
	}
	assigned, next := engine.Assign(agents, waiting, now)
	for _, as := range assigned {
		le, err := e.entry(as.ContactID)
		if err != nil {
			return time.Time{}, err
		}
		a, err := e.agent(as.AgentID)
		if err != nil {
			return time.Time{}, err
		}
		if err := e.offer(le, a, now); err != nil {
			return time.Time{}, err
		}
	}
	return next, nil
}

// candidate is an available agent as engine.Assign sees it (nil: not
// available), read for a routing pass from the agent's status record
// alone: its queues and capacity are the agent index's, which holds
// exactly what the user and routing profile say. Only the agents given a
// contact are then read in full (agent). An agent with no free slot on
// any of the waiting contacts' channels (chans) is left out: it can take
// none of them, and when one of its contacts ends, that transaction
// routes again.
func (e *engineTx) candidate(id string, ix *indexedAgent, chans []engine.Channel) (*engine.Agent, error) {
	var st *userStatusDoc
	if a, ok := e.agents[id]; ok {
		if a == nil || !a.routable {
			return nil, nil
		}
		st = &a.status
	} else {
		rec, err := peek(e.tx, userStatusKey(e.sc, e.instanceID, id))
		if errors.Is(err, switchboard.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		if st, err = e.s.engineDocs.statuses.get(rec.Data, func() string { return "user status " + id }); err != nil {
			return nil, err
		}
		routable, err := e.routableStatus(st.StatusID)
		if err != nil || !routable {
			return nil, err
		}
	}
	if st.MissedContactID != "" || ix == nil {
		return nil, nil
	}
	ra := &engine.Agent{ID: id, Available: true, IdleSince: st.Since.Time, Queues: ix.routing.Queues, Capacity: ix.routing.Capacity}
	if st.IdleSince != nil {
		ra.IdleSince = st.IdleSince.Time
	}
	if len(st.Held) == 0 {
		return ra, nil
	}
	ra.Busy = make(map[engine.Channel]int, 1)
	for _, ch := range st.Held {
		ra.Busy[ch]++
	}
	for _, ch := range chans {
		if ra.CanTake(ch) {
			return ra, nil
		}
	}
	return nil, nil
}

// offer gives a queued contact to an agent: it connects at once when the
// agent auto-accepts the channel, and otherwise rings until accepted or
// missed.
func (e *engineTx) offer(le *liveEntry, a *agentEntry, now time.Time) error {
	if err := e.move(le, engine.StateConnecting, now, func(d *contactDoc) { d.AgentID = a.id }); err != nil {
		return err
	}
	le.live.Agent = a.id
	if err := e.hold(a, le, now); err != nil {
		return err
	}
	if a.autoAccept(le.live.Channel) {
		return e.move(le, engine.StateConnected, now, nil)
	}
	le.alarm(engine.TimerRing, now.Add(engine.RingTimeout))
	return e.save(le, now)
}

// Disconnect reasons the engine records.
const (
	flowDisconnectReason     = "CONTACT_FLOW_DISCONNECT"
	agentDisconnectReason    = "AGENT_DISCONNECT"
	customerDisconnectReason = "CUSTOMER_DISCONNECT"
)

// instanceKey names an instance of a scope in one string: the engine's
// schedule, its index of instances and its agent indexes are keyed by it.
func instanceKey(sc switchboard.Scope, instanceID string) string {
	return sc.Account + "/" + sc.Region + "/" + instanceID
}

// parseInstanceKey splits what instanceKey made.
func parseInstanceKey(key string) (switchboard.Scope, string, bool) {
	parts := strings.SplitN(key, "/", 3)
	if len(parts) != 3 {
		return switchboard.Scope{}, "", false
	}
	return switchboard.Scope{Account: parts[0], Region: parts[1]}, parts[2], true
}

// schedule asks for the instance's next settle at next.
func (s *Service) schedule(sc switchboard.Scope, instanceID string, next time.Time) {
	if s.scheduler != nil {
		s.scheduler.At(instanceKey(sc, instanceID), next)
	}
}

// wake settles an instance whose timer came due (key as schedule makes it).
func (s *Service) wake(key string) {
	sc, instanceID, ok := parseInstanceKey(key)
	if !ok {
		return
	}
	if err := s.settleInstance(context.Background(), sc, instanceID); err != nil {
		// Its timers are still due in the store: try again shortly rather
		// than leave them until the next call to the instance.
		s.log.Error("contact engine: settling an instance failed; retrying in 1 s", "instance", instanceID, "error", err)
		s.schedule(sc, instanceID, s.clock().Add(time.Second))
	}
}

// settleInstance runs settle for one instance in its own transaction and
// schedules what comes next. An instance that no longer exists, or has no
// live contacts, leaves the engine's index.
func (s *Service) settleInstance(ctx context.Context, sc switchboard.Scope, instanceID string) error {
	return s.engineUpdate(ctx, sc, instanceID, nil, func(e *engineTx, _ time.Time) error {
		if n, err := e.tx.Count(sc, switchboard.KindLiveContact, instanceID); err != nil || n > 0 {
			return err
		}
		err := e.tx.Delete(switchboard.Key{Scope: engineScope, Kind: switchboard.KindEngineInstance, ID: instanceKey(sc, instanceID)})
		if errors.Is(err, switchboard.ErrNotFound) {
			return nil
		}
		return err
	})
}

// Close stops the engine's timers; the service must not be used after.
// What they would have done is still due in the store, and a process that
// opens it again does it (ResumeEngine).
func (s *Service) Close() {
	if s.scheduler != nil {
		s.scheduler.Stop()
	}
}

// ResumeEngine settles every instance the engine's index names, which
// schedules their timers again: a process calls it once at start, so that
// queues and timers carry on after a restart.
func (s *Service) ResumeEngine(ctx context.Context) error {
	var recs []*switchboard.Record
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		recs, err = tx.List(engineScope, switchboard.KindEngineInstance, "", switchboard.ListOptions{})
		return err
	})
	if err != nil {
		return err
	}
	for _, rec := range recs {
		sc, instanceID, ok := parseInstanceKey(rec.ID)
		if !ok {
			continue
		}
		if err := s.dropStoredTimers(ctx, sc, instanceID); err != nil {
			return err
		}
		if err := s.settleInstance(ctx, sc, instanceID); err != nil {
			return err
		}
	}
	return nil
}

// dropStoredTimers deletes the timer index records (KindEngineTimer) a
// store written by an older version holds for an instance: the timers are
// now read from the live records (timerindex.go).
func (s *Service) dropStoredTimers(ctx context.Context, sc switchboard.Scope, instanceID string) error {
	var n int
	err := s.store.View(ctx, func(tx switchboard.Tx) (err error) {
		n, err = tx.Count(sc, switchboard.KindEngineTimer, instanceID)
		return err
	})
	if err != nil || n == 0 {
		return err // nothing to delete: no write transaction at every start
	}
	return s.store.Update(ctx, func(tx switchboard.Tx) error {
		recs, err := tx.List(sc, switchboard.KindEngineTimer, instanceID, switchboard.ListOptions{})
		if err != nil {
			return err
		}
		for _, rec := range recs {
			if err := tx.Delete(rec.Key()); err != nil {
				return err
			}
		}
		return nil
	})
}

// changeContacts runs fn in a write transaction over an instance's
// running contacts, settles the instance, and schedules its next timer.
func (s *Service) changeContacts(ctx context.Context, sc switchboard.Scope, instanceID string, fn func(e *engineTx, now time.Time) error) error {
	return s.engineUpdate(ctx, sc, instanceID, fn, nil)
}

// engineUpdate is one write transaction of the engine over an instance:
// before (if any), settle, after (if any), the flush; once committed, what
// it learnt is published and the next timer scheduled.
func (s *Service) engineUpdate(ctx context.Context, sc switchboard.Scope, instanceID string, before, after func(e *engineTx, now time.Time) error) error {
	var next time.Time
	var e *engineTx
	err := s.store.Update(ctx, func(tx switchboard.Tx) error {
		now := s.clock()
		e = s.engineTx(tx, sc, instanceID)
		if before != nil {
			if err := before(e, now); err != nil {
				return err
			}
		}
		var err error
		if next, err = e.settle(now); err != nil {
			return err
		}
		if err := e.flush(); err != nil {
			return err
		}
		if after != nil {
			if err := after(e, now); err != nil {
				return err
			}
		}
		e.publishAtCommit()
		return nil
	})
	if err != nil {
		return err
	}
	e.committed()
	s.schedule(sc, instanceID, next)
	return nil
}

// start stores a contact a start operation (op) created and sets it
// going: a scheduled task waits for its time, any other contact runs its
// flow now.
func (e *engineTx) start(doc *contactDoc, op string, token *string, now time.Time) error {
	l := engine.Live{State: doc.State, Channel: doc.Channel, StateSince: now}
	if doc.State == engine.StateScheduled {
		l.Timer, l.Due = engine.TimerStart, doc.ScheduledTimestamp
	} else {
		if err := e.emit(doc, engine.EventInitiated, now, "", ""); err != nil {
			return err
		}
		if err := e.runFlow(doc, &l, now); err != nil {
			return err
		}
	}
	// The contact's record is inserted at the flush, with what routing
	// does to it in this transaction: one write instead of an insert and
	// an update.
	e.contacts[doc.ID] = &contactEntry{rec: &switchboard.Record{Scope: e.sc, Kind: switchboard.KindContact, Parent: doc.InstanceID, ID: doc.ID,
		Created: now, Modified: now}, doc: doc, dirty: true, inserted: true, at: now}
	if err := saveContactToken(e.tx, e.sc, doc.InstanceID, op, token, doc.ID, now); err != nil {
		return err
	}
	if doc.Ended() {
		return nil
	}
	return e.add(doc.ID, l, now)
}
