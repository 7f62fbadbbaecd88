package service

// Where the contact engine keeps running contacts. Each contact that has
// not ended has a live record (engine.Live, KindLiveContact). A small index
// beside it, the contacts waiting in queues (KindQueuedContact), lets a
// routing pass read only what it needs, not every live contact of the
// instance; it is written in the same transaction as the live record, from
// it (syncIndexes), so it always says what the live records say. The
// contacts' timers are kept in memory from the live records
// (timerindex.go).

import (
	"errors"
	"sort"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/engine"
)

// liveEntry is a live contact's record as a transaction works on it.
// Changes are written once, when the transaction flushes (flush): a
// contact that is queued and offered in one call writes its live record
// once and its queued index entry not at all.
type liveEntry struct {
	rec  *switchboard.Record
	live engine.Live
	gone bool // the contact ended: its records are deleted
	// inserted: not in the store yet; dirty: to write at the flush.
	inserted, dirty bool
	// indexed is what the indexes held for the contact when it was read:
	// its queued entry (nil: none) and its timer's due time (nil: none).
	queued *queuedDoc
	timer  *time.Time
}

// queuedDoc is a queued contact's index entry: what routing orders by.
type queuedDoc struct {
	Queue    string         `json:"queue"`
	Channel  engine.Channel `json:"channel"`
	Priority int64          `json:"priority,omitempty"`
	Adjust   int32          `json:"adjust,omitempty"`
	Enqueued time.Time      `json:"enqueued"`
}

func liveKey(sc switchboard.Scope, instanceID, id string) switchboard.Key {
	return switchboard.Key{Scope: sc, Kind: switchboard.KindLiveContact, Parent: instanceID, ID: id}
}

// engineTx is one transaction's view of an instance's running contacts.
type engineTx struct {
	s          *Service
	tx         switchboard.Tx
	sc         switchboard.Scope
	instanceID string
	byID       map[string]*liveEntry // the live contacts read so far
	contacts   map[string]*contactEntry
	agents     map[string]*agentEntry
	queueTypes map[string]string
	// events are the contact events emitted and not stored yet, eventsID
	// their record's id, eventsAt the last one's time (contactevents.go).
	events   []storedEvent
	eventsID string
	eventsAt time.Time
	// routableStatuses: whether each agent status read is ROUTABLE.
	routableStatuses map[string]bool
	// index is a rebuilt agent index to publish once the transaction
	// commits (agentindex.go).
	index *agentIndex
	// The timer index (timerindex.go): the one this transaction started
	// from, its changes not staged yet, the one to publish at commit.
	timerBase, timerNext *timerIndex
	timerEdits           []timerEdit
	timerHold            *indexHolder[*timerIndex]
	// The queued index likewise (queuedindex.go).
	queuedBase, queuedNext *queuedIndex
	queuedEdits            []queuedEdit
	queuedHold             *indexHolder[*queuedIndex]
	// published: committed has run.
	published bool
}

func (s *Service) engineTx(tx switchboard.Tx, sc switchboard.Scope, instanceID string) *engineTx {
	return &engineTx{s: s, tx: tx, sc: sc, instanceID: instanceID, byID: map[string]*liveEntry{}, contacts: map[string]*contactEntry{},
		agents: map[string]*agentEntry{}}
}

// wrap makes the entry of a live record read from the store.
func (e *engineTx) wrap(rec *switchboard.Record) (*liveEntry, error) {
	l, err := e.s.engineDocs.live.get(rec.Data, func() string { return "live contact " + rec.ID })
	if err != nil {
		return nil, err
	}
	le := &liveEntry{rec: rec, live: *l} // a copy: the transaction changes it
	le.queued, le.timer = indexOf(&le.live)
	e.byID[rec.ID] = le
	return le, nil
}

// indexOf is what the indexes hold for a live contact.
func indexOf(l *engine.Live) (*queuedDoc, *time.Time) {
	var q *queuedDoc
	if l.State == engine.StateQueued {
		q = &queuedDoc{Queue: l.Queue, Channel: l.Channel, Priority: l.Priority, Adjust: l.AdjustSeconds, Enqueued: l.Enqueued}
	}
	var t *time.Time
	if l.Due != nil {
		d := *l.Due
		t = &d
	}
	return q, t
}

// entry returns the live record of a contact, or nil when it has none.
func (e *engineTx) entry(id string) (*liveEntry, error) {
	if le, ok := e.byID[id]; ok {
		if le.gone {
			return nil, nil
		}
		return le, nil
	}
	rec, err := peekCopy(e.tx, liveKey(e.sc, e.instanceID, id))
	if errors.Is(err, switchboard.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return e.wrap(rec)
}

// all returns every live contact of the instance (for the reads that need
// them all: metrics, an agent's view).
func (e *engineTx) all() ([]*liveEntry, error) {
	recs, err := e.tx.List(e.sc, switchboard.KindLiveContact, e.instanceID, switchboard.ListOptions{})
	if err != nil {
		return nil, err
	}
	out := make([]*liveEntry, 0, len(recs))
	for _, rec := range recs {
		le, ok := e.byID[rec.ID]
		if !ok {
			if le, err = e.wrap(rec); err != nil {
				return nil, err
			}
		}
		if !le.gone {
			out = append(out, le)
		}
	}
	return out, nil
}

// add stores the live record of a contact that has just started.
func (e *engineTx) add(id string, l engine.Live, now time.Time) error {
	rec := &switchboard.Record{Scope: e.sc, Kind: switchboard.KindLiveContact, Parent: e.instanceID, ID: id, Created: now, Modified: now}
	e.byID[id] = &liveEntry{rec: rec, live: l, inserted: true, dirty: true}
	return e.remember(now)
}

// remember puts the instance in the engine's index (engineScope).
func (e *engineTx) remember(now time.Time) error {
	id := instanceKey(e.sc, e.instanceID)
	_, err := e.tx.Get(switchboard.Key{Scope: engineScope, Kind: switchboard.KindEngineInstance, ID: id})
	if !errors.Is(err, switchboard.ErrNotFound) {
		return err
	}
	return e.tx.Insert(&switchboard.Record{Scope: engineScope, Kind: switchboard.KindEngineInstance, ID: id, Created: now, Modified: now})
}

// save marks a live contact's record to be written at the flush.
func (e *engineTx) save(le *liveEntry, now time.Time) error {
	le.dirty, le.rec.Modified = true, now
	return nil
}

// drop marks an ended contact's live record and index entries to be
// deleted at the flush.
func (e *engineTx) drop(le *liveEntry, now time.Time) error {
	le.gone, le.dirty, le.rec.Modified = true, true, now
	return nil
}

// contactEntry is a contact's full record as a transaction works on it,
// written once at the flush.
type contactEntry struct {
	rec   *switchboard.Record
	doc   *contactDoc
	dirty bool
	// inserted: a contact started in this transaction, not stored yet.
	inserted bool
	// written: stored by a flush, as rec.Version (for contactDocs).
	written bool
	at      time.Time
}

// keepContacts hands the contacts the transaction wrote to the cache of
// decoded documents, once it has committed. Their documents are no longer
// the transaction's.
func (e *engineTx) keepContacts() {
	for _, c := range e.contacts {
		if c.written && !c.dirty && !c.doc.Ended() {
			e.s.contactDocs.put(c.rec.Key(), c.rec.Version, c.doc)
		}
	}
}

// contactDoc returns a contact's record and document as this transaction
// has them; change them through touch.
func (e *engineTx) contactDoc(id string) (*switchboard.Record, *contactDoc, error) {
	if c, ok := e.contacts[id]; ok {
		return c.rec, c.doc, nil
	}
	shared, err := peekChild(e.tx, e.sc, e.instanceID, switchboard.KindContact, id)
	if err != nil {
		return nil, nil, err
	}
	rec := new(switchboard.Record)
	*rec = *shared // written back by assigning its fields (peekCopy)
	doc := e.s.contactDocs.take(rec.Key(), rec.Version)
	if doc == nil {
		doc = new(contactDoc)
		if err := decode(rec, doc); err != nil {
			return nil, nil, err
		}
	}
	e.contacts[id] = &contactEntry{rec: rec, doc: doc}
	return rec, doc, nil
}

// touch marks a contact read through contactDoc as changed at time at.
func (e *engineTx) touch(id string, at time.Time) {
	if c, ok := e.contacts[id]; ok {
		c.dirty, c.at = true, at
	}
}

// flush writes what the transaction changed: contacts, live records and
// their index entries, in id order.
func (e *engineTx) flush() error {
	_, timersBefore, err := e.timerState()
	if err != nil {
		return err
	}
	_, queuedBefore, err := e.queuedState()
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(e.contacts))
	for id, c := range e.contacts {
		if c.dirty {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		c := e.contacts[id]
		var err error
		if c.inserted {
			c.doc.LastUpdateTimestamp = c.at
			c.rec.Data, c.rec.Modified = encode(c.doc), c.at
			err = storeErr(e.tx.Insert(c.rec), "Contact")
		} else {
			err = putContact(e.tx, c.rec, c.doc, c.at)
		}
		if err != nil {
			return err
		}
		c.dirty, c.inserted, c.written = false, false, true
	}
	ids = ids[:0]
	for id, le := range e.byID {
		if le.dirty {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		le := e.byID[id]
		now := le.rec.Modified
		var err error
		switch {
		case le.gone && le.inserted:
		case le.gone:
			err = e.tx.Delete(le.rec.Key())
		case le.inserted:
			le.rec.Data = encode(le.live)
			err = e.tx.Insert(le.rec)
		default:
			le.rec.Data = encode(le.live)
			err = e.tx.Replace(le.rec)
		}
		if !le.gone {
			l := le.live // the decoding of what was written, for its next reader
			e.s.engineDocs.live.put(le.rec.Data, &l)
		}
		if err != nil {
			return err
		}
		if err := e.syncIndexes(le, now); err != nil {
			return err
		}
		le.dirty, le.inserted = false, false
	}
	if err := e.flushEvents(); err != nil {
		return err
	}
	if err := e.stageQueued(queuedBefore); err != nil {
		return err
	}
	return e.stageTimers(timersBefore)
}

// syncIndexes makes the index entries of a contact say what its live
// record says.
func (e *engineTx) syncIndexes(le *liveEntry, now time.Time) error {
	var q *queuedDoc
	var t *time.Time
	if !le.gone {
		q, t = indexOf(&le.live)
	}
	if !equalQueued(q, le.queued) {
		if err := e.putIndex(switchboard.KindQueuedContact, le.rec.ID, le.queued != nil, q, now); err != nil {
			return err
		}
		e.queuedEdits = append(e.queuedEdits, queuedEdit{id: le.rec.ID, had: le.queued != nil, doc: q})
		le.queued = q
	}
	if (t == nil) != (le.timer == nil) || t != nil && !t.Equal(*le.timer) {
		e.timerEdits = append(e.timerEdits, timerEdit{id: le.rec.ID, old: le.timer, new: t})
		le.timer = t
	}
	return nil
}

func equalQueued(a, b *queuedDoc) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Queue == b.Queue && a.Channel == b.Channel && a.Priority == b.Priority && a.Adjust == b.Adjust && a.Enqueued.Equal(b.Enqueued)
}

// putIndex inserts, replaces (had) or deletes (doc nil) a contact's entry
// in an index.
func (e *engineTx) putIndex(kind switchboard.Kind, id string, had bool, doc any, now time.Time) error {
	k := switchboard.Key{Scope: e.sc, Kind: kind, Parent: e.instanceID, ID: id}
	isNil := doc == nil || doc == (*queuedDoc)(nil)
	switch {
	case isNil && had:
		return e.tx.Delete(k)
	case isNil:
		return nil
	case !had:
		return e.tx.Insert(&switchboard.Record{Scope: e.sc, Kind: kind, Parent: e.instanceID, ID: id, Data: encode(doc), Created: now, Modified: now})
	}
	rec, err := e.tx.Get(k)
	if err != nil {
		return err
	}
	rec.Data, rec.Modified = encode(doc), now
	return e.tx.Replace(rec)
}

// queuedContact is one entry of the queued index.
type queuedContact struct {
	id string
	queuedDoc
}

// queued returns the instance's queued contacts, as this transaction has
// them (changes not flushed yet included).
func (e *engineTx) queued() ([]queuedContact, error) {
	x, err := e.storedQueued()
	if err != nil {
		return nil, err
	}
	out := make([]queuedContact, 0, len(x.entries))
	for _, q := range x.entries {
		if _, ok := e.byID[q.id]; ok {
			continue // read in this transaction: taken from memory below
		}
		out = append(out, q)
	}
	var mine []string
	for id, le := range e.byID {
		if !le.gone && le.live.State == engine.StateQueued {
			mine = append(mine, id)
		}
	}
	sort.Strings(mine)
	for _, id := range mine {
		q, _ := indexOf(&e.byID[id].live)
		out = append(out, queuedContact{id: id, queuedDoc: *q})
	}
	return out, nil
}

// timers returns the instance's contacts whose timer is due by now (all
// of them when all is set), by due time then id, and the earliest due time
// of any (zero: none), as this transaction has them: the timer index
// (timerindex.go) with this transaction's own changes over it.
func (e *engineTx) timers(now time.Time, all bool) ([]string, time.Time, error) {
	x, err := e.timerIndex()
	if err != nil {
		return nil, time.Time{}, err
	}
	var due []timerAt
	var first timerAt
	consider := func(t timerAt) {
		if first.id == "" || t.before(first) {
			first = t
		}
	}
	for _, t := range x.order {
		if _, ok := e.byID[t.id]; ok {
			continue // read in this transaction: taken from memory below
		}
		consider(t)
		if !all && t.at.After(now) {
			break
		}
		due = append(due, t)
	}
	mine := 0
	for id, le := range e.byID {
		if !le.gone && le.live.Due != nil {
			t := timerAt{*le.live.Due, id}
			consider(t)
			if all || !t.at.After(now) {
				due = append(due, t)
				mine++
			}
		}
	}
	if mine > 0 {
		sort.Slice(due, func(i, j int) bool { return due[i].before(due[j]) })
	}
	ids := make([]string, len(due))
	for i, t := range due {
		ids[i] = t.id
	}
	return ids, first.at, nil
}
