package service

// Contact events: every transition of a contact (engine.Transitions) emits
// one event, stored in the order it happened and read through the test API
// (POST /_switchboard/contact-events, docs/TESTING.md). The events of one
// transaction are stored together, in the order they happened, as one
// record (KindContactEvent, {"e": [...]} of storedEvent; records are
// ordered by the store's Seq within the instance, so the log keeps its one
// global order): a contact's life is a handful of transactions but twice
// as many events, and each record is an insert and a page of the
// write-ahead log. Records written before 2026-12-05 (events in Connect's
// shape, in an array or one to a record) are read too.

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/engine"
)

// eventNamespace makes event ids stable: the SHA-1 UUID of the contact's
// ARN and the event's number.
var eventNamespace = uuid.MustParse("6f1c2a8e-4b0d-5c3e-9a7f-2d8e1b6c4a90")

// transition moves a contact through the transition table and records the
// event the move emits. reason is the RETURNED event's routing reason.
func (e *engineTx) transition(doc *contactDoc, to engine.State, at time.Time, reason string) error {
	agent := doc.AgentID
	ev, err := doc.Transition(to, at)
	if err != nil {
		return err
	}
	return e.emit(doc, ev, at, agent, reason)
}

// emit stores one event about the contact at time at; agent is the agent
// it concerns ("" for none).
func (e *engineTx) emit(doc *contactDoc, t engine.EventType, at time.Time, agent, reason string) error {
	doc.Events++
	se := storedEvent{N: doc.Events, At: at.UnixMilli(), Type: t, Contact: doc.ID, Initial: doc.InitialContactID, Previous: doc.PreviousContactID,
		Channel: doc.Channel, Method: string(doc.Initiation), Initiated: doc.InitiationTimestamp.UnixMilli(),
		Scheduled: unixMilli(doc.ScheduledTimestamp), ConnectedToSystem: unixMilli(doc.ConnectedToSystemTimestamp),
		Disconnected: unixMilli(doc.DisconnectTimestamp), DisconnectReason: doc.DisconnectReason, Reason: reason}
	if doc.QueueID != "" && doc.EnqueueTimestamp != nil {
		qt, err := e.queueType(doc.QueueID)
		if err != nil {
			return err
		}
		se.Queue, se.QueueType, se.Enqueued = doc.QueueID, qt, doc.EnqueueTimestamp.UnixMilli()
	}
	if agent != "" {
		se.Agent = agent
		se.ConnectedToAgent = unixMilli(doc.ConnectedToAgentTimestamp)
		se.ACWStart = unixMilli(doc.AfterContactWorkStartTimestamp)
		se.ACWEnd = unixMilli(doc.AfterContactWorkEndTimestamp)
	}
	if len(e.events) == 0 {
		// Unique: it names the batch's first event. It begins with the
		// time, so that the records' key index grows at its end instead
		// of at the random place of a contact id (records written before
		// 2026-12-05 have ids without the time; nothing reads them).
		e.eventsID = fmt.Sprintf("%013d/%s/%04d", at.UnixMilli(), doc.ID, doc.Events)
	}
	e.events, e.eventsAt = append(e.events, se), at
	return nil
}

// storedEvent is an event as the log stores it: the contact's state when
// it happened, without what the event's shape repeats of its scope (the
// envelope, the ARNs, the id, which is derived from the contact's ARN and
// the event's number), rebuilt when it is read (event). Times are Unix
// milliseconds (0: none). An event in Connect's shape took a kilobyte, and
// the four of a started contact overflowed a database page.
type storedEvent struct {
	N                 int              `json:"n"`
	At                int64            `json:"at"`
	Type              engine.EventType `json:"t"`
	Contact           string           `json:"c"`
	Initial           string           `json:"ic,omitempty"`
	Previous          string           `json:"pc,omitempty"`
	Channel           engine.Channel   `json:"ch"`
	Method            string           `json:"m"`
	Initiated         int64            `json:"it"`
	Scheduled         int64            `json:"st,omitempty"`
	ConnectedToSystem int64            `json:"cs,omitempty"`
	Disconnected      int64            `json:"dt,omitempty"`
	DisconnectReason  string           `json:"dr,omitempty"`
	// Queue, when set, is the queue (QueueInfo), with its type then and
	// the contact's enqueue time.
	Queue     string `json:"q,omitempty"`
	QueueType string `json:"qt,omitempty"`
	Enqueued  int64  `json:"qe,omitempty"`
	// Agent, when set, is the agent (AgentInfo).
	Agent            string `json:"a,omitempty"`
	ConnectedToAgent int64  `json:"ac,omitempty"`
	ACWStart         int64  `json:"as,omitempty"`
	ACWEnd           int64  `json:"ae,omitempty"`
	Reason           string `json:"r,omitempty"`
}

// storedEvents is a record of the event log: the events of one
// transaction.
type storedEvents struct {
	Events []storedEvent `json:"e"`
}

// appendJSON writes what encoding/json would (jsonAppender), without
// reflection.
func (s storedEvents) appendJSON(b []byte) []byte {
	b = append(b, `{"e":[`...)
	for i := range s.Events {
		if i > 0 {
			b = append(b, ',')
		}
		b = s.Events[i].appendJSON(b)
	}
	return append(b, "]}"...)
}

func (se *storedEvent) appendJSON(b []byte) []byte {
	b = append(b, '{')
	first := true
	b = appendIntField(b, &first, "n", int64(se.N), false)
	b = appendIntField(b, &first, "at", se.At, false)
	b = appendStringField(b, &first, "t", string(se.Type), false)
	b = appendStringField(b, &first, "c", se.Contact, false)
	b = appendStringField(b, &first, "ic", se.Initial, true)
	b = appendStringField(b, &first, "pc", se.Previous, true)
	b = appendStringField(b, &first, "ch", string(se.Channel), false)
	b = appendStringField(b, &first, "m", se.Method, false)
	b = appendIntField(b, &first, "it", se.Initiated, false)
	b = appendIntField(b, &first, "st", se.Scheduled, true)
	b = appendIntField(b, &first, "cs", se.ConnectedToSystem, true)
	b = appendIntField(b, &first, "dt", se.Disconnected, true)
	b = appendStringField(b, &first, "dr", se.DisconnectReason, true)
	b = appendStringField(b, &first, "q", se.Queue, true)
	b = appendStringField(b, &first, "qt", se.QueueType, true)
	b = appendIntField(b, &first, "qe", se.Enqueued, true)
	b = appendStringField(b, &first, "a", se.Agent, true)
	b = appendIntField(b, &first, "ac", se.ConnectedToAgent, true)
	b = appendIntField(b, &first, "as", se.ACWStart, true)
	b = appendIntField(b, &first, "ae", se.ACWEnd, true)
	b = appendStringField(b, &first, "r", se.Reason, true)
	return append(b, '}')
}

func unixMilli(t *time.Time) int64 {
	if t == nil {
		return 0
	}
	return t.UnixMilli()
}

// eventTime formats stored Unix milliseconds as the events do ("" for 0).
func eventTime(ms int64) string {
	if ms == 0 {
		return ""
	}
	return engine.EventTime(time.UnixMilli(ms))
}

// event is the stored event of an instance in Connect's shape.
func (se *storedEvent) event(sc switchboard.Scope, instanceID string) engine.Event {
	contactArn := contactARN(sc, instanceID, se.Contact)
	d := engine.EventDetail{EventType: se.Type, ContactID: se.Contact, InitialContactID: se.Initial, PreviousContactID: se.Previous,
		Channel: se.Channel, InstanceARN: instanceARN(sc, instanceID), InitiationMethod: se.Method, InitiationTimestamp: eventTime(se.Initiated),
		ScheduledTimestamp: eventTime(se.Scheduled), ConnectedToSystemTimestamp: eventTime(se.ConnectedToSystem),
		DisconnectTimestamp: eventTime(se.Disconnected), DisconnectReason: se.DisconnectReason, RoutingReason: se.Reason}
	if se.Queue != "" {
		d.QueueInfo = &engine.EventQueueInfo{QueueARN: resourceARN(sc, switchboard.KindQueue, instanceID, se.Queue),
			QueueType: se.QueueType, EnqueueTimestamp: eventTime(se.Enqueued)}
	}
	if se.Agent != "" {
		d.AgentInfo = &engine.EventAgentInfo{AgentARN: resourceARN(sc, switchboard.KindUser, instanceID, se.Agent),
			ConnectedToAgentTimestamp: eventTime(se.ConnectedToAgent), AfterContactWorkStartTimestamp: eventTime(se.ACWStart),
			AfterContactWorkEndTimestamp: eventTime(se.ACWEnd)}
	}
	return engine.Event{Version: "0", ID: uuid.NewSHA1(eventNamespace, fmt.Appendf(nil, "%s/%d", contactArn, se.N)).String(),
		DetailType: se.Type.DetailType(), Source: "aws.connect", Account: sc.Account, Time: eventTime(se.At), Region: sc.Region,
		Resources: []string{contactArn, d.InstanceARN}, Detail: d}
}

// flushEvents stores the events the transaction emitted, as one record.
func (e *engineTx) flushEvents() error {
	if len(e.events) == 0 {
		return nil
	}
	rec := &switchboard.Record{Scope: e.sc, Kind: switchboard.KindContactEvent, Parent: e.instanceID, ID: e.eventsID,
		Data: encode(storedEvents{e.events}), Created: e.eventsAt, Modified: e.eventsAt}
	e.events, e.eventsID = nil, ""
	return e.tx.Insert(rec)
}

// eventsOf decodes a record of the event log: a batch of stored events;
// or, as records written before 2026-12-05 hold them, events in Connect's
// shape, a batch (a JSON array) or one (an object).
func eventsOf(r *switchboard.Record) ([]engine.Event, error) {
	switch {
	case bytes.HasPrefix(r.Data, []byte(`{"e":`)):
		var b storedEvents
		if err := decode(r, &b); err != nil {
			return nil, err
		}
		evs := make([]engine.Event, len(b.Events))
		for i := range b.Events {
			evs[i] = b.Events[i].event(r.Scope, r.Parent)
		}
		return evs, nil
	case len(r.Data) > 0 && r.Data[0] == '{':
		var ev engine.Event
		if err := decode(r, &ev); err != nil {
			return nil, err
		}
		return []engine.Event{ev}, nil
	}
	var evs []engine.Event
	if err := decode(r, &evs); err != nil {
		return nil, err
	}
	return evs, nil
}

// An event's place in the log: its record's Seq and its index in the
// record. Page tokens of the event log carry the last event returned.
func encodeEventToken(seq int64, i int) *string {
	t := tokenPrefix + base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(seq, 10)+"."+strconv.Itoa(i)))
	return &t
}

func decodeEventToken(tok *string) (int64, int, error) {
	if tok == nil || *tok == "" {
		return 0, -1, nil
	}
	bad := invalidMember("nextToken", *tok, "Member must be a NextToken returned by a previous call")
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(*tok, tokenPrefix))
	if err != nil || !strings.HasPrefix(*tok, tokenPrefix) {
		return 0, 0, bad
	}
	a, b, ok := strings.Cut(string(raw), ".")
	seq, err1 := strconv.ParseInt(a, 10, 64)
	i, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || seq <= 0 || i < 0 {
		return 0, 0, bad
	}
	return seq, i, nil
}

// queueType is STANDARD or AGENT, read once per transaction.
func (e *engineTx) queueType(id string) (string, error) {
	if e.queueTypes == nil {
		e.queueTypes = map[string]string{}
	}
	if t, ok := e.queueTypes[id]; ok {
		return t, nil
	}
	_, q, err := readQueue(e.tx, e.sc, e.instanceID, id)
	if isNotFound(err) {
		return "", nil // deleted since: the event still names it
	}
	if err != nil {
		return "", err
	}
	e.queueTypes[id] = q.QueueType
	return q.QueueType, nil
}

// ContactEvents is a page of an instance's contact events, oldest first.
type ContactEvents struct {
	Events    []engine.Event
	NextToken *string
}

// ListContactEvents returns the instance's contact events (of one contact
// when contactID is not ""), in the order they happened.
func (s *Service) ListContactEvents(ctx context.Context, instanceID, contactID string, token *string, max *int32) (*ContactEvents, error) {
	sc := scope(ctx)
	out := &ContactEvents{Events: []engine.Event{}}
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, instanceID)
		if err != nil {
			return err
		}
		if contactID != "" {
			if _, _, err := getContact(tx, sc, inst.ID, contactID); err != nil {
				return err
			}
		}
		seq, skip, err := decodeEventToken(token)
		if err != nil {
			return err
		}
		_, limit, err := pageRequest(nil, max, 100)
		if err != nil {
			return err
		}
		var after int64
		if seq > 0 {
			after = seq - 1 // the token's record again, past its returned events
		}
		var lastSeq int64
		lastIdx := 0
		for {
			recs, err := tx.List(sc, switchboard.KindContactEvent, inst.ID, switchboard.ListOptions{AfterSeq: after, Limit: 64})
			if err != nil {
				return err
			}
			for _, r := range recs {
				after = r.Seq
				evs, err := eventsOf(r)
				if err != nil {
					return err
				}
				for i, ev := range evs {
					if r.Seq == seq && i <= skip || contactID != "" && ev.Detail.ContactID != contactID {
						continue
					}
					if len(out.Events) == limit {
						// A further event exists: this page is not the last.
						out.NextToken = encodeEventToken(lastSeq, lastIdx)
						return nil
					}
					out.Events = append(out.Events, ev)
					lastSeq, lastIdx = r.Seq, i
				}
			}
			if len(recs) < 64 {
				return nil
			}
		}
	})
	return out, err
}
