package service

// The contact engine's figures for the server's Prometheus metrics
// (docs/TESTING.md, "Health and metrics"): contacts waiting per queue and
// agents per state, per instance, read at scrape time through the same
// snapshot GetCurrentMetricData reads (currentmetrics.go), so they cost
// what one such request costs per instance and reuse its projections.

import (
	"context"
	"errors"
	"sort"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/engine"
	"github.com/switchboard-dev/switchboard/metrics"
)

// MaxGaugeInstances bounds how many instances one EngineGauges call reads,
// so that a scrape of a server holding thousands of instances stays a
// bounded amount of work; the rest are left out (EngineGauges says how
// many).
const MaxGaugeInstances = 500

// The states an agent is counted in by InstanceGauges.Agents: exactly one
// per logged-in agent, the first that applies in this order.
const (
	AgentStateError            = "error"              // a contact rang out on it (missed)
	AgentStateOnContact        = "on_contact"         // connected to a contact
	AgentStateAfterContactWork = "after_contact_work" // in after contact work
	AgentStateOffered          = "offered"            // a contact rings on it
	AgentStateAvailable        = "available"          // a routable status, free
	AgentStateNonProductive    = "non_productive"     // a custom status, free
)

// AgentStates lists every state of InstanceGauges.Agents, in a fixed
// order, so that a gauge can say 0 rather than vanish.
var AgentStates = []string{AgentStateAvailable, AgentStateOffered, AgentStateOnContact, AgentStateAfterContactWork, AgentStateError, AgentStateNonProductive}

// InstanceGauges are one instance's figures at one moment.
type InstanceGauges struct {
	Scope      switchboard.Scope
	InstanceID string
	// InQueue counts the contacts waiting in each queue, by queue id, by
	// CONTACTS_IN_QUEUE's rule (queued or being offered, not scheduled);
	// every STANDARD queue of the instance is present, 0 when empty, and
	// an AGENT queue only while it holds a contact.
	InQueue map[string]int
	// Agents counts the logged-in agents by state (AgentStates), every
	// state present.
	Agents map[string]int
}

// EngineGauges reads the figures of the instances this process knows to
// be active: those with live contacts (the engine's index in the store,
// shared by replicas) and those whose agents it has routed or reported
// on. Instances come in a fixed order, at most MaxGaugeInstances of
// them; left says how many more there were.
func (s *Service) EngineGauges(ctx context.Context) (out []InstanceGauges, left int, err error) {
	keys := map[string]bool{}
	err = s.store.View(ctx, func(tx switchboard.Tx) error {
		recs, err := tx.List(engineScope, switchboard.KindEngineInstance, "", switchboard.ListOptions{})
		for _, rec := range recs {
			keys[rec.ID] = true
		}
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	s.indexes.mu.Lock()
	for k := range s.indexes.m {
		keys[k] = true
	}
	s.indexes.mu.Unlock()
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	if len(sorted) > MaxGaugeInstances {
		left = len(sorted) - MaxGaugeInstances
		sorted = sorted[:MaxGaugeInstances]
	}
	for _, k := range sorted {
		sc, instanceID, ok := parseInstanceKey(k)
		if !ok {
			continue
		}
		g, err := s.instanceGauges(ctx, sc, instanceID)
		if errors.Is(err, switchboard.ErrNotFound) {
			continue // deleted since
		}
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *g)
	}
	return out, left, nil
}

// instanceGauges reads one instance's figures in one read transaction;
// ErrNotFound when the instance no longer exists.
func (s *Service) instanceGauges(ctx context.Context, sc switchboard.Scope, instanceID string) (*InstanceGauges, error) {
	g := &InstanceGauges{Scope: sc, InstanceID: instanceID, InQueue: map[string]int{}, Agents: map[string]int{}}
	var e *engineTx
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		if _, err := tx.Get(switchboard.Key{Scope: sc, Kind: switchboard.KindInstance, ID: instanceID}); err != nil {
			return err
		}
		queues, err := tx.List(sc, switchboard.KindQueue, instanceID, switchboard.ListOptions{})
		if err != nil {
			return err
		}
		for _, q := range queues {
			if q.Name != "" { // a STANDARD queue; stored AGENT queues have none
				g.InQueue[q.ID] = 0
			}
		}
		e = s.engineTx(tx, sc, instanceID)
		snap, err := e.snapshot(s.clock())
		if err != nil {
			return err
		}
		countGauges(snap, g)
		return nil
	})
	if err != nil {
		return nil, err
	}
	e.committed() // as GetCurrentMetricData: a read-only snapshot's index can be shared
	return g, nil
}

// countGauges adds a snapshot's contacts in queue and agents by state to g.
func countGauges(snap *metrics.Snapshot, g *InstanceGauges) {
	type load struct{ held, connected, acw int }
	loads := map[string]*load{}
	for i := range snap.Contacts {
		c := &snap.Contacts[i]
		switch {
		case c.Scheduled:
		case c.Queue != "" && (c.State == engine.StateQueued || c.State == engine.StateConnecting):
			g.InQueue[c.Queue]++
		}
		if c.Agent == "" {
			continue
		}
		l := loads[c.Agent]
		if l == nil {
			l = &load{}
			loads[c.Agent] = l
		}
		switch c.State {
		case engine.StateConnecting:
			l.held++
		case engine.StateConnected:
			l.held++
			l.connected++
		case engine.StateAfterContactWork:
			l.held++
			l.acw++
		}
	}
	for _, st := range AgentStates {
		g.Agents[st] = 0
	}
	for i := range snap.Agents {
		a := &snap.Agents[i]
		l := loads[a.ID]
		if l == nil {
			l = &load{}
		}
		var st string
		switch {
		case a.Missed:
			st = AgentStateError
		case l.connected > 0:
			st = AgentStateOnContact
		case l.acw > 0:
			st = AgentStateAfterContactWork
		case l.held > 0:
			st = AgentStateOffered
		case a.Status == metrics.StatusRoutable:
			st = AgentStateAvailable
		default:
			st = AgentStateNonProductive
		}
		g.Agents[st]++
	}
}
