package service

import (
	"errors"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// AGENT queues. Connect keeps one AGENT queue per user, created and deleted
// with the user. Instances created by this version imply it instead of
// storing it (instanceDoc.AgentQueuesImplied): the user's AGENT queue has
// the user's id, and every read of a queue that finds no queue record looks
// for a user of that id and answers with the queue its record implies.
// That takes a record and its index entries off every CreateUser and
// DeleteUser. Instances created before keep storing a queue record per user
// (userFields.AgentQueueID names it), so that ids already handed out stay
// valid; an instance is one way or the other for its whole life, which
// keeps counting its STANDARD queues two counts at most.
//
// An implied queue takes its Seq from its user. Records of every kind share
// one Seq sequence, so the queues and the users of an instance merge into
// one order, and a page token (the last Seq returned) means the same thing
// whichever of the two the last item came from.

// impliedQueueDoc is the document every implied AGENT queue has.
var impliedQueueDoc = encode(queueDoc{Queue: api.Queue{Status: ptr(api.QueueStatusEnabled)}, QueueType: api.QueueTypeAgent})

// impliedQueue is the queue record a user's record implies: the user's id,
// Seq and creation time (nothing changes an AGENT queue), the queue's own
// tags (kept in the user's document).
func impliedQueue(user *switchboard.Record, tags map[string]string) *switchboard.Record {
	return &switchboard.Record{
		Scope: user.Scope, Kind: switchboard.KindQueue, Parent: user.Parent, ID: user.ID, Seq: user.Seq,
		Data: impliedQueueDoc, Tags: copyTags(tags), Created: user.Created, Modified: user.Created,
	}
}

// impliedQueueOf finds the user whose implied AGENT queue has id; it answers
// ErrNotFound when there is no such user or the user's queue is stored (an
// instance created before queues were implied).
func impliedQueueOf(tx switchboard.Tx, sc switchboard.Scope, instanceID, id string) (*switchboard.Record, *userDoc, error) {
	user, err := tx.Get(switchboard.Key{Scope: sc, Kind: switchboard.KindUser, Parent: instanceID, ID: id})
	if err != nil {
		return nil, nil, err
	}
	var doc userDoc
	if err := decode(user, &doc); err != nil {
		return nil, nil, err
	}
	if doc.AgentQueueID != "" {
		return nil, nil, switchboard.ErrNotFound
	}
	return user, &doc, nil
}

// getQueue loads a queue of an instance by id: its record, or the AGENT
// queue a user implies; ErrNotFound when neither exists.
func getQueue(tx switchboard.Tx, sc switchboard.Scope, instanceID, id string) (*switchboard.Record, error) {
	rec, _, err := lookupQueue(tx, sc, instanceID, id)
	return rec, err
}

// lookupQueue is getQueue saying also whether the queue is implied (its
// tags are then kept by setImpliedQueueTags, not in the record).
func lookupQueue(tx switchboard.Tx, sc switchboard.Scope, instanceID, id string) (rec *switchboard.Record, implied bool, err error) {
	rec, err = tx.Get(switchboard.Key{Scope: sc, Kind: switchboard.KindQueue, Parent: instanceID, ID: id})
	if !errors.Is(err, switchboard.ErrNotFound) {
		return rec, false, err
	}
	user, doc, err := impliedQueueOf(tx, sc, instanceID, id)
	if err != nil {
		return nil, false, err
	}
	return impliedQueue(user, doc.AgentQueueTags), true, nil
}

// impliedQueues lists the implied AGENT queues of an instance, in Seq
// order: none unless the instance implies them. Their tags are read from
// the users' documents only withTags (ListQueues shows none).
func (s *Service) impliedQueues(tx switchboard.Tx, inst *switchboard.Record, o switchboard.ListOptions, withTags bool) ([]*switchboard.Record, error) {
	idoc, err := s.instanceDoc(inst)
	if err != nil || !idoc.AgentQueuesImplied {
		return nil, err
	}
	users, err := tx.List(inst.Scope, switchboard.KindUser, inst.ID, o)
	if err != nil {
		return nil, err
	}
	out := make([]*switchboard.Record, len(users))
	for i, u := range users {
		var tags struct {
			AgentQueueTags map[string]string `json:"agentQueueTags"`
		}
		if withTags {
			if err := decode(u, &tags); err != nil {
				return nil, err
			}
		}
		out[i] = impliedQueue(u, tags.AgentQueueTags)
	}
	return out, nil
}

// mergeBySeq merges two lists ordered by Seq.
func mergeBySeq(a, b []*switchboard.Record) []*switchboard.Record {
	out := make([]*switchboard.Record, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if a[0].Seq < b[0].Seq {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
}

// listQueuesImplied pages the queues of an instance that implies its AGENT
// queues: the queue records (all STANDARD there) and the users' implied
// queues, merged by Seq.
func (s *Service) listQueuesImplied(tx switchboard.Tx, inst *switchboard.Record, token *string, max *int32, standard, agent bool) ([]*switchboard.Record, *string, error) {
	after, limit, err := pageRequest(token, max, defaultPageSize)
	if err != nil {
		return nil, nil, err
	}
	// One more than a page from each side: the merged page is the first
	// limit of the two, and a further item says a next page exists.
	o := switchboard.ListOptions{AfterSeq: after, Limit: limit + 1}
	var stored, implied []*switchboard.Record
	if standard {
		if stored, err = tx.List(inst.Scope, switchboard.KindQueue, inst.ID, o); err != nil {
			return nil, nil, err
		}
	}
	if agent {
		if implied, err = s.impliedQueues(tx, inst, o, false); err != nil {
			return nil, nil, err
		}
	}
	all := mergeBySeq(stored, implied)
	if len(all) <= limit {
		return all, nil, nil
	}
	all = all[:limit]
	return all, encodeToken(all[limit-1].Seq), nil
}

// setImpliedQueueTags stores the tags of an implied AGENT queue in its
// user's document.
func setImpliedQueueTags(tx switchboard.Tx, sc switchboard.Scope, queue *switchboard.Record, tags map[string]string) error {
	user, doc, err := impliedQueueOf(tx, sc, queue.Parent, queue.ID)
	if err != nil {
		return err
	}
	doc.AgentQueueTags = tags
	user.Data = encode(doc)
	return tx.Replace(user)
}
