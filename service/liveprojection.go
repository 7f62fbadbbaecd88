package service

// The live contacts of an instance as GetCurrentMetricData sees them,
// kept in memory the way the agents' statuses are (statusprojection.go)
// and the users for SearchUsers (userindex.go): where the store reports
// changes, one projection per instance is brought up to date from the
// counters read in the request's snapshot — the live records written
// since, and, when some were deleted (contacts that ended), the Seqs of
// those left — so a request reads the few records that changed instead of
// every live contact. Exact across processes; a store without change
// tracking, or a projection ahead of the snapshot, reads them all.

import (
	"sort"
	"sync"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/engine"
	"github.com/switchboard-dev/switchboard/metrics"
)

// liveProjection is an instance's live contacts, by Seq.
type liveProjection struct {
	mu        sync.Mutex
	built     bool
	chg, dels int64
	seqs      []int64
	contacts  []metrics.Contact // parallel to seqs
}

// metricsContact is a live record as the real-time metrics see it.
func metricsContact(l *engine.Live) metrics.Contact {
	c := metrics.Contact{State: l.State, Channel: l.Channel, Queue: l.Queue, Enqueued: l.Enqueued, Scheduled: l.State == engine.StateScheduled}
	if l.Holds() {
		c.Agent = l.Agent
	}
	return c
}

func (s *Service) liveContact(rec *switchboard.Record) (metrics.Contact, error) {
	l, err := s.engineDocs.live.get(rec.Data, func() string { return "live contact " + rec.ID })
	if err != nil {
		return metrics.Contact{}, err
	}
	return metricsContact(l), nil
}

func (p *liveProjection) rebuild(s *Service, tx switchboard.Tx, sc switchboard.Scope, instanceID string) error {
	p.built = false
	recs, err := tx.List(sc, switchboard.KindLiveContact, instanceID, switchboard.ListOptions{})
	if err != nil {
		return err
	}
	p.seqs, p.contacts = make([]int64, 0, len(recs)), make([]metrics.Contact, 0, len(recs))
	for _, rec := range recs {
		c, err := s.liveContact(rec)
		if err != nil {
			return err
		}
		p.seqs, p.contacts = append(p.seqs, rec.Seq), append(p.contacts, c)
	}
	return nil
}

// update applies the records written since the projection's counter and
// drops those deleted; false when only a rebuild can bring it up to date.
func (p *liveProjection) update(s *Service, ct changeTracker, sc switchboard.Scope, instanceID string, dels int64) (bool, error) {
	changed, err := ct.ListChanged(sc, switchboard.KindLiveContact, instanceID, p.chg)
	if err != nil {
		return false, err
	}
	for _, rec := range changed {
		c, err := s.liveContact(rec)
		if err != nil {
			return false, err
		}
		i := sort.Search(len(p.seqs), func(i int) bool { return p.seqs[i] >= rec.Seq })
		switch {
		case i < len(p.seqs) && p.seqs[i] == rec.Seq:
			p.contacts[i] = c
		case i == len(p.seqs):
			p.seqs, p.contacts = append(p.seqs, rec.Seq), append(p.contacts, c)
		default:
			return false, nil // a Seq below the newest: not an append
		}
	}
	if dels != p.dels {
		left, err := ct.Seqs(sc, switchboard.KindLiveContact, instanceID)
		if err != nil {
			return false, err
		}
		seqs, contacts, j := p.seqs[:0], p.contacts[:0], 0
		for i, seq := range p.seqs {
			for j < len(left) && left[j] < seq {
				j++
			}
			if j < len(left) && left[j] == seq {
				seqs, contacts = append(seqs, seq), append(contacts, p.contacts[i])
			}
		}
		p.seqs, p.contacts = seqs, contacts
	}
	return true, nil
}

// liveContactsOf returns the instance's live contacts as of tx's
// snapshot, as the real-time metrics see them (a copy the caller owns).
func (s *Service) liveContactsOf(tx switchboard.Tx, sc switchboard.Scope, instanceID string) ([]metrics.Contact, error) {
	ct, ok := tx.(changeTracker)
	if !ok {
		p := &liveProjection{}
		if err := p.rebuild(s, tx, sc, instanceID); err != nil {
			return nil, err
		}
		return p.contacts, nil
	}
	n, chg, dels, err := ct.CollectionState(sc, switchboard.KindLiveContact, instanceID)
	if err != nil {
		return nil, err
	}
	p := ct.Memo("live\x00"+sc.Account+"\x00"+sc.Region+"\x00"+instanceID, func() any { return &liveProjection{} }).(*liveProjection)
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.built && p.chg > chg:
		// Ahead of this snapshot: read the snapshot itself.
		q := &liveProjection{}
		if err := q.rebuild(s, tx, sc, instanceID); err != nil {
			return nil, err
		}
		return q.contacts, nil
	case !p.built:
		if err := p.rebuild(s, tx, sc, instanceID); err != nil {
			return nil, err
		}
	case p.chg < chg || p.dels != dels:
		ok, err := p.update(s, ct, sc, instanceID, dels)
		if err != nil {
			p.built = false
			return nil, err
		}
		if !ok {
			if err := p.rebuild(s, tx, sc, instanceID); err != nil {
				return nil, err
			}
		}
	}
	if int64(len(p.seqs)) != n {
		if err := p.rebuild(s, tx, sc, instanceID); err != nil {
			return nil, err
		}
	}
	p.built, p.chg, p.dels = true, chg, dels
	return append([]metrics.Contact(nil), p.contacts...), nil
}
