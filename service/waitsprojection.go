package service

// The recent queue waits of an instance (KindQueueWaits, one record per
// queue) as ESTIMATED_WAIT_TIME reads them, kept in memory by the store's
// change counter of the collection the way the live contacts are
// (liveprojection.go): a request whose snapshot has the counter the
// projection was made at reuses it instead of listing and copying the
// records. A store without change tracking lists them every time.

import (
	"sync"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/metrics"
)

// recentWait is one answered contact's wait and when it was answered.
type recentWait struct {
	metrics.Wait
	at time.Time
}

type waitsProjection struct {
	mu        sync.Mutex
	built     bool
	chg, dels int64
	waits     []recentWait // shared, read-only
}

// recentWaitsOf returns the queue waits recorded within recentWaitWindow
// of now.
func (s *Service) recentWaitsOf(tx switchboard.Tx, sc switchboard.Scope, instanceID string, now time.Time) ([]metrics.Wait, error) {
	var all []recentWait
	ct, ok := tx.(changeTracker)
	if ok {
		_, chg, dels, err := ct.CollectionState(sc, switchboard.KindQueueWaits, instanceID)
		if err != nil {
			return nil, err
		}
		p := ct.Memo("waits\x00"+sc.Account+"\x00"+sc.Region+"\x00"+instanceID, func() any { return &waitsProjection{} }).(*waitsProjection)
		p.mu.Lock()
		if p.built && p.chg == chg && p.dels == dels {
			all = p.waits
		} else {
			all, err = s.readWaits(tx, sc, instanceID)
			if err != nil {
				p.mu.Unlock()
				return nil, err
			}
			p.built, p.chg, p.dels, p.waits = true, chg, dels, all
		}
		p.mu.Unlock()
	} else {
		var err error
		if all, err = s.readWaits(tx, sc, instanceID); err != nil {
			return nil, err
		}
	}
	var out []metrics.Wait
	for _, w := range all {
		if now.Sub(w.at) <= recentWaitWindow {
			out = append(out, w.Wait)
		}
	}
	return out, nil
}

func (s *Service) readWaits(tx switchboard.Tx, sc switchboard.Scope, instanceID string) ([]recentWait, error) {
	recs, err := tx.List(sc, switchboard.KindQueueWaits, instanceID, switchboard.ListOptions{})
	if err != nil {
		return nil, err
	}
	var all []recentWait
	for _, rec := range recs {
		doc, err := s.engineDocs.waits.get(rec.Data, func() string { return "queue waits of " + rec.ID })
		if err != nil {
			return nil, err
		}
		for _, w := range doc.Recent {
			all = append(all, recentWait{metrics.Wait{Queue: rec.ID, Channel: w.Channel, Waited: time.Duration(w.WaitedMs) * time.Millisecond}, w.At})
		}
	}
	return all, nil
}
