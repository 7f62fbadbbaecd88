package service

import (
	"sort"
	"sync"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/metrics"
)

// The agents' status records of an instance, kept in memory for
// GetCurrentMetricData the way the user index is for SearchUsers
// (userindex.go): where the store reports changes (changeTracker), one
// projection per instance is brought up to date from the counters read in
// the request's snapshot, so a request over 10,000 agents reads the few
// records that changed rather than all of them. It stays exact when other
// processes write the store; a store without change tracking, or a
// projection ahead of the snapshot, falls back to a full List.

// statusProjection is the user-status records of one instance.
type statusProjection struct {
	mu        sync.Mutex
	built     bool
	chg, dels int64
	docs      map[string]*userStatusDoc // by user id; shared, read-only
	seqs      map[string]int64          // the status records' Seqs, by user id
	// ver grows whenever docs change; view is the metrics' agents built
	// from docs at viewVer with the agent index viewIndex (read-only).
	ver       int64
	view      []metrics.Agent
	viewVer   int64
	viewIndex *agentIndex
	// order is docs in Seq order as of version orderVer (ordered).
	order    []statusEntry
	orderVer int64
	// viewLookup indexes view (metrics.IndexAgents).
	viewLookup *metrics.AgentLookup
}

// statusEntry is one agent's status document (read-only).
type statusEntry struct {
	id  string
	doc *userStatusDoc
	seq int64 // the status record's Seq (0 where not known)
}

// statusesOf returns the instance's user-status documents as of tx's
// snapshot.
func (s *Service) statusesOf(tx switchboard.Tx, sc switchboard.Scope, instanceID string) ([]statusEntry, error) {
	var out []statusEntry
	err := s.withStatuses(tx, sc, instanceID, func(p *statusProjection) error {
		out = make([]statusEntry, 0, len(p.docs))
		for id, doc := range p.docs {
			out = append(out, statusEntry{id, doc, p.seqs[id]})
		}
		return nil
	}, func(all []statusEntry) error {
		out = all
		return nil
	})
	return out, err
}

// withStatuses brings the instance's projection up to tx's snapshot and
// calls use with it, locked; where there is no projection to use (a store
// without change tracking, or a projection ahead of the snapshot) it calls
// fallback with a full List instead.
func (s *Service) withStatuses(tx switchboard.Tx, sc switchboard.Scope, instanceID string, use func(*statusProjection) error, fallback func([]statusEntry) error) error {
	ct, ok := tx.(changeTracker)
	if !ok {
		all, err := s.listStatuses(tx, sc, instanceID)
		if err != nil {
			return err
		}
		return fallback(all)
	}
	n, chg, dels, err := ct.CollectionState(sc, switchboard.KindUserStatus, instanceID)
	if err != nil {
		return err
	}
	p := ct.Memo("userstatus\x00"+sc.Account+"\x00"+sc.Region+"\x00"+instanceID, func() any { return &statusProjection{} }).(*statusProjection)
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.built && p.chg > chg:
		// Ahead of this snapshot: answer from the snapshot itself.
		all, err := s.listStatuses(tx, sc, instanceID)
		if err != nil {
			return err
		}
		return fallback(all)
	case !p.built || p.dels != dels:
		if err := p.rebuild(s, tx, sc, instanceID); err != nil {
			return err
		}
	case p.chg < chg:
		changed, err := ct.ListChanged(sc, switchboard.KindUserStatus, instanceID, p.chg)
		if err != nil {
			p.built = false
			return err
		}
		for _, rec := range changed {
			doc, err := s.engineDocs.statuses.get(rec.Data, func() string { return "user status " + rec.ID })
			if err != nil {
				p.built = false
				return err
			}
			p.docs[rec.ID], p.seqs[rec.ID] = doc, rec.Seq
		}
		p.ver++
	}
	if int64(len(p.docs)) != n {
		if err := p.rebuild(s, tx, sc, instanceID); err != nil {
			return err
		}
	}
	p.built, p.chg, p.dels = true, chg, dels
	return use(p)
}

func (p *statusProjection) rebuild(s *Service, tx switchboard.Tx, sc switchboard.Scope, instanceID string) error {
	p.built = false
	all, err := s.listStatuses(tx, sc, instanceID)
	if err != nil {
		return err
	}
	p.docs = make(map[string]*userStatusDoc, len(all))
	p.seqs = make(map[string]int64, len(all))
	for _, e := range all {
		p.docs[e.id], p.seqs[e.id] = e.doc, e.seq
	}
	p.ver++
	return nil
}

// listStatuses reads every user-status record of the instance.
func (s *Service) listStatuses(tx switchboard.Tx, sc switchboard.Scope, instanceID string) ([]statusEntry, error) {
	recs, err := tx.List(sc, switchboard.KindUserStatus, instanceID, switchboard.ListOptions{})
	if err != nil {
		return nil, err
	}
	out := make([]statusEntry, 0, len(recs))
	for _, rec := range recs {
		doc, err := s.engineDocs.statuses.get(rec.Data, func() string { return "user status " + rec.ID })
		if err != nil {
			return nil, err
		}
		out = append(out, statusEntry{rec.ID, doc, rec.Seq})
	}
	return out, nil
}

// ordered returns the projection's entries in Seq order (the order a List
// of the records has), made once per version of the projection and
// shared: callers must not change it. Call with p.mu held.
func (p *statusProjection) ordered() []statusEntry {
	if p.order != nil && p.orderVer == p.ver {
		return p.order
	}
	out := make([]statusEntry, 0, len(p.docs))
	for id, doc := range p.docs {
		out = append(out, statusEntry{id, doc, p.seqs[id]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	p.order, p.orderVer = out, p.ver
	return out
}
