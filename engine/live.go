package engine

import "time"

// Live is the part of an unfinished contact that routing and the engine's
// timers read: one small record per contact that is not ENDED, so that a
// routing pass reads the instance's live contacts without reading every
// contact it ever had. It is written in the same transaction as the
// contact's full record.
type Live struct {
	State   State   `json:"state"`
	Channel Channel `json:"channel"`
	// Queue is the queue the contact is in or was routed from; Agent the
	// agent it is offered to or handled by.
	Queue string `json:"queue,omitempty"`
	Agent string `json:"agent,omitempty"`
	// StateSince is when the contact entered State, for the agent's view
	// (GetCurrentUserData's StateStartTimestamp).
	StateSince time.Time `json:"stateSince"`
	// Enqueued, Priority and AdjustSeconds order a queued contact (see
	// Waiting).
	Enqueued      time.Time `json:"enqueued,omitempty"`
	Priority      int64     `json:"priority,omitempty"`
	AdjustSeconds int32     `json:"adjust,omitempty"`
	// Timer is what happens at Due, if anything.
	Timer Alarm      `json:"timer,omitempty"`
	Due   *time.Time `json:"due,omitempty"`
}

// Alarm is a change the engine makes to a contact at a set time.
type Alarm string

// The engine's timers.
const (
	// TimerStart: a scheduled task's time has come; its flow runs.
	TimerStart Alarm = "start"
	// TimerEnqueue: the flow's simulated time has passed and the contact
	// enters the queue its flow transferred it to.
	TimerEnqueue Alarm = "enqueue"
	// TimerFlowEnd: the flow's simulated time has passed and the flow
	// ends the contact.
	TimerFlowEnd Alarm = "flow-end"
	// TimerAnswer: the callee of an outbound call answers; the call's
	// flow runs.
	TimerAnswer Alarm = "answer"
	// TimerRing: the agent did not accept in time; the contact is missed
	// and goes back to its queue.
	TimerRing Alarm = "ring"
	// TimerAfterContactWork: the agent's after contact work time limit
	// has passed; the contact ends and the slot frees.
	TimerAfterContactWork Alarm = "acw"
)

// RingTimeout is how long a contact is offered to an agent who does not
// accept it before it is missed (docs/BEHAVIOUR.md, "Routing").
const RingTimeout = 20 * time.Second

// Holds reports whether the contact takes a slot of its agent.
func (l *Live) Holds() bool {
	switch l.State {
	case StateConnecting, StateConnected, StateAfterContactWork:
		return l.Agent != ""
	}
	return false
}
