package engine

import (
	"sort"
	"time"
)

// Routing decides which waiting contact goes to which agent. It is a pure
// function of the agents' and the contacts' state at one moment, so the
// same state always routes the same way (docs/BEHAVIOUR.md, "Routing").

// DefaultQueuePriority is a queued contact's priority when nothing set one
// (UpdateContactRoutingData's documented default); 1 is routed first.
const DefaultQueuePriority = 5

// AgentQueuePriority is the routing-profile priority an agent's own queue
// (contacts transferred to that agent) has: ahead of every queue of the
// profile, whose priorities start at 1.
const AgentQueuePriority = 0

// QueueChannel is one queue on one channel.
type QueueChannel struct {
	Queue   string
	Channel Channel
}

// QueueRoute is how an agent takes contacts of one queue and channel: the
// routing profile's Priority (1 first) and Delay (how long a contact must
// have waited before it is offered to this agent).
type QueueRoute struct {
	Priority int
	Delay    time.Duration
}

// Capacity is an agent's concurrency on one channel (the routing
// profile's MediaConcurrencies): at most Max contacts at once, and, when
// AnyChannel (CrossChannelBehavior ROUTE_ANY_CHANNEL), contacts of other
// channels may be offered while one of this channel is in hand.
type Capacity struct {
	Max        int
	AnyChannel bool
}

// Agent is what routing needs to know of one agent.
type Agent struct {
	ID string
	// Available is true when the agent's status is ROUTABLE and the agent
	// is not in an error state (a missed contact).
	Available bool
	// IdleSince orders available agents: the one idle longest is offered
	// a contact first.
	IdleSince time.Time
	Capacity  map[Channel]Capacity
	Queues    map[QueueChannel]QueueRoute
	// Busy counts the contacts the agent holds on each channel (offered,
	// connected or in after contact work).
	Busy map[Channel]int
}

// CanTake reports whether the agent has a free slot for a contact of
// channel ch: below the channel's concurrency, and every channel it holds
// contacts of lets other channels be offered.
func (a *Agent) CanTake(ch Channel) bool {
	c, ok := a.Capacity[ch]
	if !ok || a.Busy[ch] >= c.Max {
		return false
	}
	for other, n := range a.Busy {
		if n > 0 && other != ch && !a.Capacity[other].AnyChannel {
			return false
		}
	}
	return true
}

// Waiting is a contact in a queue.
type Waiting struct {
	ContactID string
	Queue     string
	Channel   Channel
	// Priority is the contact's queue priority (0: DefaultQueuePriority).
	Priority int64
	Enqueued time.Time
	// AdjustSeconds is added to the contact's time in queue when contacts
	// are compared (UpdateContactRoutingData's QueueTimeAdjustmentSeconds).
	AdjustSeconds int32
}

func (w *Waiting) priority() int64 {
	if w.Priority <= 0 {
		return DefaultQueuePriority
	}
	return w.Priority
}

// adjusted is the enqueue time contacts are compared by: earlier is older.
func (w *Waiting) adjusted() time.Time {
	return w.Enqueued.Add(-time.Duration(w.AdjustSeconds) * time.Second)
}

// before orders contacts for one agent: the agent's queue priority, then
// the contact's priority, then the longest (adjusted) wait, then the id.
func before(pa int, a *Waiting, pb int, b *Waiting) bool {
	if pa != pb {
		return pa < pb
	}
	if x, y := a.priority(), b.priority(); x != y {
		return x < y
	}
	if x, y := a.adjusted(), b.adjusted(); !x.Equal(y) {
		return x.Before(y)
	}
	return a.ContactID < b.ContactID
}

// Assignment gives a contact to an agent.
type Assignment struct {
	ContactID string
	AgentID   string
}

// Assign routes waiting contacts to available agents at now. Agents are
// visited longest idle first, one contact each per round, and each takes
// the contact it ranks first (before) among those of its queues and
// channels that have waited at least the queue's Delay for it and fit a
// free slot; rounds repeat until no agent takes one. Agents' Busy counts
// are updated. next is the earliest later time a Delay would let a waiting
// contact be offered to an available agent (zero: none), when routing
// must run again even if nothing else happens.
func Assign(agents []*Agent, waiting []Waiting, now time.Time) (out []Assignment, next time.Time) {
	avail := make([]*Agent, 0, len(agents))
	for _, a := range agents {
		if a.Available {
			avail = append(avail, a)
		}
	}
	sort.Slice(avail, func(i, j int) bool {
		if !avail[i].IdleSince.Equal(avail[j].IdleSince) {
			return avail[i].IdleSince.Before(avail[j].IdleSince)
		}
		return avail[i].ID < avail[j].ID
	})
	taken := make([]bool, len(waiting))
	for progress := true; progress; {
		progress = false
		for _, a := range avail {
			best, bestPrio := -1, 0
			for i := range waiting {
				w := &waiting[i]
				if taken[i] {
					continue
				}
				r, ok := a.Queues[QueueChannel{w.Queue, w.Channel}]
				if !ok || now.Before(w.Enqueued.Add(r.Delay)) || !a.CanTake(w.Channel) {
					continue
				}
				if best < 0 || before(r.Priority, w, bestPrio, &waiting[best]) {
					best, bestPrio = i, r.Priority
				}
			}
			if best < 0 {
				continue
			}
			taken[best] = true
			if a.Busy == nil {
				a.Busy = map[Channel]int{}
			}
			a.Busy[waiting[best].Channel]++
			out = append(out, Assignment{ContactID: waiting[best].ContactID, AgentID: a.ID})
			progress = true
		}
	}
	for i := range waiting {
		if taken[i] {
			continue
		}
		w := &waiting[i]
		for _, a := range avail {
			if r, ok := a.Queues[QueueChannel{w.Queue, w.Channel}]; ok {
				if at := w.Enqueued.Add(r.Delay); at.After(now) && (next.IsZero() || at.Before(next)) {
					next = at
				}
			}
		}
	}
	return out, next
}

// Ahead tells whether contact a is ahead of b in their queue: routing
// offers it first (its priority, then its adjusted time in queue, then
// its id).
func Ahead(a, b *Waiting) bool { return before(0, a, 0, b) }
