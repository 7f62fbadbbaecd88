package service

// The contacts of an instance as the historical metrics see them, kept in
// memory the way the agents' statuses are for GetCurrentMetricData
// (statusprojection.go): where the store reports changes (changeTracker),
// one projection per instance is brought up to date from the counters
// read in the request's snapshot, reading only the contact records
// written since. A day of a million contacts is then computed without
// reading or decoding them again. The projection is exact: contacts are
// deleted only with their instance, and any delete (or a projection ahead
// of the snapshot) makes it read everything again.

import (
	"sync"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/metrics"
)

// contactProjection is one instance's contacts as metrics records.
type contactProjection struct {
	mu        sync.Mutex
	built     bool
	chg, dels int64
	recs      []metrics.Record
	dict      *metrics.Dict
	index     map[string]int
	// pending: contacts transferred from a contact not projected yet.
	pending map[string]bool
}

func (p *contactProjection) put(id string, d *contactDoc) {
	r := metricRecord(p.dict, id, d)
	if i, ok := p.index[id]; ok {
		r.TransferredOut = p.recs[i].TransferredOut
		p.recs[i] = r
	} else {
		r.TransferredOut = p.pending[id]
		delete(p.pending, id)
		p.index[id] = len(p.recs)
		p.recs = append(p.recs, r)
	}
	if from := transferOf(d); from != "" {
		if i, ok := p.index[from]; ok {
			p.recs[i].TransferredOut = true
		} else {
			p.pending[from] = true
		}
	}
}

func (p *contactProjection) rebuild(tx switchboard.Tx, sc switchboard.Scope, instanceID string) error {
	p.built = false
	recs, err := tx.List(sc, switchboard.KindContact, instanceID, switchboard.ListOptions{})
	if err != nil {
		return err
	}
	p.recs, p.index, p.pending, p.dict = make([]metrics.Record, 0, len(recs)), make(map[string]int, len(recs)), map[string]bool{}, metrics.NewDict()
	for _, rec := range recs {
		var d contactDoc
		if err := decode(rec, &d); err != nil {
			return err
		}
		p.put(rec.ID, &d)
	}
	return nil
}

// withContactProjection brings the instance's projection up to tx's
// snapshot and calls use with its records (read-only, under its lock).
func (s *Service) withContactProjection(ct changeTracker, tx switchboard.Tx, sc switchboard.Scope, instanceID string, use func([]metrics.Record, *metrics.Dict) error) error {
	n, chg, dels, err := ct.CollectionState(sc, switchboard.KindContact, instanceID)
	if err != nil {
		return err
	}
	p := ct.Memo("contacts\x00"+sc.Account+"\x00"+sc.Region+"\x00"+instanceID, func() any { return &contactProjection{} }).(*contactProjection)
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.built && p.chg > chg:
		// Ahead of this snapshot: a projection of the snapshot itself.
		q := &contactProjection{}
		if err := q.rebuild(tx, sc, instanceID); err != nil {
			return err
		}
		return use(q.recs, q.dict)
	case !p.built || p.dels != dels:
		if err := p.rebuild(tx, sc, instanceID); err != nil {
			return err
		}
	case p.chg < chg:
		changed, err := ct.ListChanged(sc, switchboard.KindContact, instanceID, p.chg)
		if err != nil {
			p.built = false
			return err
		}
		for _, rec := range changed {
			var d contactDoc
			if err := decode(rec, &d); err != nil {
				p.built = false
				return err
			}
			p.put(rec.ID, &d)
		}
	}
	if int64(len(p.recs)) != n {
		if err := p.rebuild(tx, sc, instanceID); err != nil {
			return err
		}
	}
	p.built, p.chg, p.dels = true, chg, dels
	return use(p.recs, p.dict)
}
