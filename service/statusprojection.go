package service

import (
	"sync"

	"github.com/switchboard-dev/switchboard"
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
}

// statusEntry is one agent's status document (read-only).
type statusEntry struct {
	id  string
	doc *userStatusDoc
}

// statusesOf returns the instance's user-status documents as of tx's
// snapshot.
func (s *Service) statusesOf(tx switchboard.Tx, sc switchboard.Scope, instanceID string) ([]statusEntry, error) {
	ct, ok := tx.(changeTracker)
	if !ok {
		return s.listStatuses(tx, sc, instanceID)
	}
	n, chg, dels, err := ct.CollectionState(sc, switchboard.KindUserStatus, instanceID)
	if err != nil {
		return nil, err
	}
	p := ct.Memo("userstatus\x00"+sc.Account+"\x00"+sc.Region+"\x00"+instanceID, func() any { return &statusProjection{} }).(*statusProjection)
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.built && p.chg > chg:
		// Ahead of this snapshot: answer from the snapshot itself.
		return s.listStatuses(tx, sc, instanceID)
	case !p.built || p.dels != dels:
		if err := p.rebuild(s, tx, sc, instanceID); err != nil {
			return nil, err
		}
	case p.chg < chg:
		changed, err := ct.ListChanged(sc, switchboard.KindUserStatus, instanceID, p.chg)
		if err != nil {
			p.built = false
			return nil, err
		}
		for _, rec := range changed {
			doc, err := s.engineDocs.statuses.get(rec.Data, func() string { return "user status " + rec.ID })
			if err != nil {
				p.built = false
				return nil, err
			}
			p.docs[rec.ID] = doc
		}
	}
	if int64(len(p.docs)) != n {
		if err := p.rebuild(s, tx, sc, instanceID); err != nil {
			return nil, err
		}
	}
	p.built, p.chg, p.dels = true, chg, dels
	out := make([]statusEntry, 0, len(p.docs))
	for id, doc := range p.docs {
		out = append(out, statusEntry{id, doc})
	}
	return out, nil
}

func (p *statusProjection) rebuild(s *Service, tx switchboard.Tx, sc switchboard.Scope, instanceID string) error {
	p.built = false
	all, err := s.listStatuses(tx, sc, instanceID)
	if err != nil {
		return err
	}
	p.docs = make(map[string]*userStatusDoc, len(all))
	for _, e := range all {
		p.docs[e.id] = e.doc
	}
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
		out = append(out, statusEntry{rec.ID, doc})
	}
	return out, nil
}
