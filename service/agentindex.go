package service

// The agent index: which agents serve which queue on which channel, kept
// in memory per instance so that routing reads only the agents that can
// take the contacts waiting, not every agent of the instance. It holds
// only configuration (a user's routing profile and that profile's queues
// and channels); everything that changes as agents work (status, contacts
// held, idle time) is read from the store in the routing transaction.
//
// The index is exact, not a hint: an instance keeps a generation record
// (KindAgentIndexGeneration) whose Version every change to that
// configuration bumps in its own transaction (first status of a user,
// DeleteUser, UpdateUserRoutingProfile, a routing profile's queues or
// concurrency). Routing reads the generation in its transaction and
// rebuilds the index when it differs, so a change made through any replica
// is seen by the next routing pass everywhere.

import (
	"errors"
	"sort"
	"sync"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/engine"
)

// agentIndex is one instance's index at one generation. It is not changed
// once published.
type agentIndex struct {
	gen    int64
	byQC   map[engine.QueueChannel][]string
	agents map[string]*indexedAgent
}

// indexedAgent is an agent's configuration as of the index's generation.
type indexedAgent struct {
	routingProfile string
	agentQueue     string
	routing        *engine.Agent // Queues and Capacity only; shared, read-only
}

// serving returns the agents serving any of the queues and channels, in
// a fixed order.
func (x *agentIndex) serving(wanted map[engine.QueueChannel]bool) []string {
	seen := map[string]bool{}
	var out []string
	for qc := range wanted {
		for _, id := range x.byQC[qc] {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	sort.Strings(out)
	return out
}

// agentIndexes are the Service's published indexes, by instance.
type agentIndexes struct {
	mu sync.Mutex
	m  map[string]*agentIndex
}

func (x *agentIndexes) get(key string) *agentIndex {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.m[key]
}

func (x *agentIndexes) put(key string, idx *agentIndex) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.m == nil {
		x.m = map[string]*agentIndex{}
	}
	if cur := x.m[key]; cur == nil || cur.gen <= idx.gen {
		x.m[key] = idx
	}
}

func agentGenerationKey(sc switchboard.Scope, instanceID string) switchboard.Key {
	return switchboard.Key{Scope: sc, Kind: switchboard.KindAgentIndexGeneration, Parent: instanceID, ID: "agents"}
}

// bumpAgentGeneration records, in tx, that which agents serve which queues
// may have changed in the instance.
func bumpAgentGeneration(tx switchboard.Tx, sc switchboard.Scope, instanceID string, now time.Time) error {
	k := agentGenerationKey(sc, instanceID)
	rec, err := tx.Get(k)
	if errors.Is(err, switchboard.ErrNotFound) {
		return tx.Insert(&switchboard.Record{Scope: sc, Kind: k.Kind, Parent: instanceID, ID: k.ID, Created: now, Modified: now})
	}
	if err != nil {
		return err
	}
	rec.Modified = now
	return tx.Replace(rec)
}

func (e *engineTx) indexKey() string { return instanceKey(e.sc, e.instanceID) }

// agentIndex returns the instance's index at the generation this
// transaction sees, rebuilding it from the agents' records when the
// published one is older. A rebuilt index is published when the
// transaction commits (committed).
func (e *engineTx) agentIndex() (*agentIndex, error) {
	if e.index != nil {
		return e.index, nil
	}
	var gen int64
	rec, err := e.tx.Get(agentGenerationKey(e.sc, e.instanceID))
	switch {
	case err == nil:
		gen = rec.Version
	case !errors.Is(err, switchboard.ErrNotFound):
		return nil, err
	}
	if idx := e.s.indexes.get(e.indexKey()); idx != nil && idx.gen == gen {
		return idx, nil
	}
	statuses, err := e.tx.List(e.sc, switchboard.KindUserStatus, e.instanceID, switchboard.ListOptions{})
	if err != nil {
		return nil, err
	}
	idx := &agentIndex{gen: gen, byQC: map[engine.QueueChannel][]string{}, agents: map[string]*indexedAgent{}}
	for _, st := range statuses {
		a, err := e.agentFrom(st)
		if err != nil {
			return nil, err
		}
		if a == nil {
			continue
		}
		ra := a.routing()
		idx.agents[a.id] = &indexedAgent{routingProfile: a.user.RoutingProfileID, agentQueue: a.agentQ, routing: &engine.Agent{Queues: ra.Queues, Capacity: ra.Capacity}}
		for qc := range ra.Queues {
			idx.byQC[qc] = append(idx.byQC[qc], a.id)
		}
	}
	e.index = idx
	return idx, nil
}

// committed publishes what the transaction learnt, once it has committed.
func (e *engineTx) committed() {
	if e.published {
		return
	}
	e.published = true
	if e.index != nil {
		e.s.indexes.put(e.indexKey(), e.index)
	}
	e.publishTimers()
	e.publishQueued()
	e.keepContacts()
}

// afterCommitter is what a Tx may offer beyond Tx: a function run once it
// has committed, before the store runs another write (storage/sqlite).
type afterCommitter interface{ AfterCommit(fn func()) }

// publishAtCommit has committed run as soon as the transaction commits,
// where the store can: the next transaction, which may begin before the
// caller of Update is back, then finds the indexes and decoded contacts
// this one made instead of rebuilding them.
func (e *engineTx) publishAtCommit() {
	if ac, ok := e.tx.(afterCommitter); ok {
		ac.AfterCommit(e.committed)
	}
}
