// Package engine runs the contact center: contacts, queues, agents and
// routing. It owns timers through an injected Clock, emits events, and
// knows nothing of HTTP or of the api package's wire shapes.
package engine

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// State is where a contact is in its life.
type State string

// A contact's states. The transitions between them are the data in
// Transitions; nothing else moves a contact.
const (
	// StateScheduled: a task whose flow starts at ScheduledTimestamp.
	StateScheduled State = "SCHEDULED"
	// StateInitiated: the contact exists and its flow has not handed it to
	// a queue yet. Contacts started through the API stay here until the
	// flow interpreter and routing exist to move them.
	StateInitiated State = "INITIATED"
	// StateQueued: in a queue, waiting for an agent.
	StateQueued State = "QUEUED"
	// StateConnecting: offered to an agent, who has not accepted yet.
	StateConnecting State = "CONNECTING"
	// StateConnected: an agent is working on it with the customer.
	StateConnected State = "CONNECTED"
	// StateAfterContactWork: the customer is gone; the agent is finishing
	// the contact's after contact work.
	StateAfterContactWork State = "AFTER_CONTACT_WORK"
	// StateEnded: nothing more happens to the contact (its attributes,
	// name, description, references and tags can still be changed).
	StateEnded State = "ENDED"
)

// Stamp names a timestamp a transition records on the contact.
type Stamp string

// The timestamps transitions record.
const (
	StampEnqueue               Stamp = "QueueInfo.EnqueueTimestamp"
	StampRingStart             Stamp = "RingStartTimestamp"
	StampAcceptedByAgent       Stamp = "AgentInfo.AcceptedByAgentTimestamp"
	StampConnectedToAgent      Stamp = "AgentInfo.ConnectedToAgentTimestamp"
	StampAfterContactWorkStart Stamp = "AgentInfo.AfterContactWorkStartTimestamp"
	StampAfterContactWorkEnd   Stamp = "AgentInfo.AfterContactWorkEndTimestamp"
	StampDisconnect            Stamp = "DisconnectTimestamp"
)

// TransitionRule is one allowed move of a contact, why it happens, the
// timestamps it records (each only when not recorded yet) and the event it
// emits (events.go).
type TransitionRule struct {
	From, To State
	Cause    string
	Stamps   []Stamp
	Event    EventType
}

// Transitions is every move a contact can make. The code applies it
// (Contact.Transition) and the documentation prints it (TransitionTable).
var Transitions = []TransitionRule{
	{StateScheduled, StateInitiated, "the scheduled time arrives; the flow starts", nil, EventInitiated},
	{StateScheduled, StateEnded, "stopped (StopContact) or expired before its time", []Stamp{StampDisconnect}, EventDisconnected},
	{StateInitiated, StateQueued, "the flow transfers it to a queue", []Stamp{StampEnqueue}, EventQueued},
	{StateInitiated, StateEnded, "the flow disconnects it, or it is stopped or expires", []Stamp{StampDisconnect}, EventDisconnected},
	{StateQueued, StateConnecting, "routing offers it to an available agent", []Stamp{StampRingStart}, EventOffered},
	{StateQueued, StateEnded, "the customer leaves, or it is stopped or expires", []Stamp{StampDisconnect}, EventDisconnected},
	{StateConnecting, StateConnected, "the agent accepts it", []Stamp{StampAcceptedByAgent, StampConnectedToAgent}, EventConnectedToAgent},
	{StateConnecting, StateQueued, "the agent misses or rejects it; it waits for the next agent", nil, EventReturned},
	{StateConnecting, StateEnded, "stopped or abandoned while offered", []Stamp{StampDisconnect}, EventDisconnected},
	{StateConnected, StateAfterContactWork, "the customer or the agent disconnects", []Stamp{StampDisconnect, StampAfterContactWorkStart}, EventDisconnected},
	{StateConnected, StateEnded, "disconnected, and the agent has no after contact work", []Stamp{StampDisconnect}, EventDisconnected},
	{StateAfterContactWork, StateEnded, "the agent finishes after contact work, or its time limit passes", []Stamp{StampAfterContactWorkEnd}, EventCompleted},
}

// ruleFor returns the rule moving from one state to another, if any.
func ruleFor(from, to State) (TransitionRule, bool) {
	for _, r := range Transitions {
		if r.From == from && r.To == to {
			return r, true
		}
	}
	return TransitionRule{}, false
}

// Allowed reports whether the table lets a contact move from one state to
// another.
func Allowed(from, to State) bool {
	_, ok := ruleFor(from, to)
	return ok
}

// Terminal reports whether no transition leaves s.
func (s State) Terminal() bool {
	for _, r := range Transitions {
		if r.From == s {
			return false
		}
	}
	return true
}

// TransitionTable renders Transitions as a Markdown table, for the docs.
func TransitionTable() string {
	var b strings.Builder
	b.WriteString("| from | to | when | records | event |\n|---|---|---|---|---|\n")
	for _, r := range Transitions {
		stamps := make([]string, len(r.Stamps))
		for i, s := range r.Stamps {
			stamps[i] = string(s)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", r.From, r.To, r.Cause, strings.Join(stamps, ", "), r.Event)
	}
	return b.String()
}

// Channel is how a contact reaches the contact center.
type Channel string

// The channels.
const (
	ChannelVoice Channel = "VOICE"
	ChannelChat  Channel = "CHAT"
	ChannelTask  Channel = "TASK"
	ChannelEmail Channel = "EMAIL"
)

// InitiationMethod is how a contact began (Connect's names).
type InitiationMethod string

// The initiation methods.
const (
	InitiatedInbound          InitiationMethod = "INBOUND"
	InitiatedOutbound         InitiationMethod = "OUTBOUND"
	InitiatedTransfer         InitiationMethod = "TRANSFER"
	InitiatedQueueTransfer    InitiationMethod = "QUEUE_TRANSFER"
	InitiatedCallback         InitiationMethod = "CALLBACK"
	InitiatedAPI              InitiationMethod = "API"
	InitiatedDisconnect       InitiationMethod = "DISCONNECT"
	InitiatedMonitor          InitiationMethod = "MONITOR"
	InitiatedExternalOutbound InitiationMethod = "EXTERNAL_OUTBOUND"
	InitiatedWebRTCAPI        InitiationMethod = "WEBRTC_API"
	InitiatedAgentReply       InitiationMethod = "AGENT_REPLY"
	InitiatedFlow             InitiationMethod = "FLOW"
)

// StopReason is the disconnect reason of a contact of the channel ended by
// StopContact, as the contact record documents them: API for a task,
// OTHER for a call ("disconnected by an API"), none ("") for a chat or an
// e-mail ("contacts ended by flows or APIs" have none).
func StopReason(ch Channel) string {
	switch ch {
	case ChannelTask:
		return "API"
	case ChannelVoice:
		return "OTHER"
	}
	return ""
}

// Reference is a piece of data shown to the agent with a contact (a URL,
// a number, a date...).
type Reference struct {
	Type         string `json:"type"`
	Value        string `json:"value,omitempty"`
	Status       string `json:"status,omitempty"`
	StatusReason string `json:"statusReason,omitempty"`
	Arn          string `json:"arn,omitempty"`
}

// Contact is one contact's record: what it is, where it is, and when each
// step happened. Unset timestamps are nil.
type Contact struct {
	ID         string           `json:"id"`
	InstanceID string           `json:"instanceId"`
	State      State            `json:"state"`
	Channel    Channel          `json:"channel"`
	Initiation InitiationMethod `json:"initiationMethod"`

	Name        *string `json:"name,omitempty"`
	Description *string `json:"description,omitempty"`

	// FlowID is the flow that runs the contact; QueueID and AgentID the
	// queue it is in (or was routed from) and the agent working on it.
	FlowID  string `json:"flowId,omitempty"`
	QueueID string `json:"queueId,omitempty"`
	AgentID string `json:"agentId,omitempty"`

	// InitialContactID is the first contact of a chain (the contact itself
	// when it starts one); PreviousContactID the contact it follows, and
	// NextContactIDs the contacts that follow it.
	InitialContactID  string   `json:"initialContactId"`
	PreviousContactID string   `json:"previousContactId,omitempty"`
	NextContactIDs    []string `json:"nextContactIds,omitempty"`
	RelatedContactID  string   `json:"relatedContactId,omitempty"`

	InitiationTimestamp            time.Time  `json:"initiationTimestamp"`
	ScheduledTimestamp             *time.Time `json:"scheduledTimestamp,omitempty"`
	ConnectedToSystemTimestamp     *time.Time `json:"connectedToSystemTimestamp,omitempty"`
	EnqueueTimestamp               *time.Time `json:"enqueueTimestamp,omitempty"`
	RingStartTimestamp             *time.Time `json:"ringStartTimestamp,omitempty"`
	AcceptedByAgentTimestamp       *time.Time `json:"acceptedByAgentTimestamp,omitempty"`
	ConnectedToAgentTimestamp      *time.Time `json:"connectedToAgentTimestamp,omitempty"`
	AfterContactWorkStartTimestamp *time.Time `json:"afterContactWorkStartTimestamp,omitempty"`
	AfterContactWorkEndTimestamp   *time.Time `json:"afterContactWorkEndTimestamp,omitempty"`
	DisconnectTimestamp            *time.Time `json:"disconnectTimestamp,omitempty"`
	LastUpdateTimestamp            time.Time  `json:"lastUpdateTimestamp"`
	DisconnectReason               string     `json:"disconnectReason,omitempty"`

	// QueuePriority (1 is routed first; 0: the default, 5) and
	// QueueTimeAdjustmentSeconds (added to the time in queue routing
	// compares) order a queued contact against the others of its queue.
	QueuePriority              int64 `json:"queuePriority,omitempty"`
	QueueTimeAdjustmentSeconds int32 `json:"queueTimeAdjustmentSeconds,omitempty"`

	// Attributes are the user-defined contact attributes. Contacts of one
	// chain share their initial contact's: only that record's are used.
	Attributes map[string]string    `json:"attributes,omitempty"`
	References map[string]Reference `json:"references,omitempty"`
	Tags       map[string]string    `json:"tags,omitempty"`
}

// TransitionError is a move the table does not allow.
type TransitionError struct {
	ContactID string
	From, To  State
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("contact %s cannot go from %s to %s", e.ContactID, e.From, e.To)
}

// Transition moves the contact to state to at the given time, recording the
// timestamps the rule names (a timestamp already recorded is kept), and
// returns the event the move emits. It returns a *TransitionError, and
// changes nothing, when Transitions has no rule from the contact's state
// to to.
func (c *Contact) Transition(to State, at time.Time) (EventType, error) {
	rule, ok := ruleFor(c.State, to)
	if !ok {
		return "", &TransitionError{ContactID: c.ID, From: c.State, To: to}
	}
	for _, s := range rule.Stamps {
		if p := c.stamp(s); *p == nil {
			t := at
			*p = &t
		}
	}
	c.State = to
	c.LastUpdateTimestamp = at
	return rule.Event, nil
}

func (c *Contact) stamp(s Stamp) **time.Time {
	switch s {
	case StampEnqueue:
		return &c.EnqueueTimestamp
	case StampRingStart:
		return &c.RingStartTimestamp
	case StampAcceptedByAgent:
		return &c.AcceptedByAgentTimestamp
	case StampConnectedToAgent:
		return &c.ConnectedToAgentTimestamp
	case StampAfterContactWorkStart:
		return &c.AfterContactWorkStartTimestamp
	case StampAfterContactWorkEnd:
		return &c.AfterContactWorkEndTimestamp
	case StampDisconnect:
		return &c.DisconnectTimestamp
	}
	panic("engine: unknown stamp " + string(s))
}

// Ended reports whether the contact is over.
func (c *Contact) Ended() bool { return c.State == StateEnded }

// MaxAttributeBytes is Connect's limit on a contact's attributes: 32,768
// UTF-8 bytes across all keys and values.
const MaxAttributeBytes = 32768

// AttributeBytes is the size MaxAttributeBytes limits.
func AttributeBytes(attrs map[string]string) int {
	n := 0
	for k, v := range attrs {
		n += len(k) + len(v)
	}
	return n
}

// ReferenceNames returns the names of the contact's references, sorted.
func (c *Contact) ReferenceNames() []string {
	names := make([]string, 0, len(c.References))
	for n := range c.References {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
