package engine

import "time"

// EventType is what a contact event reports. Connect's own types are
// those of its contact events (the admin guide's "Amazon Connect contact
// events"); Switchboard adds the routing steps Connect reports only in its
// agent event stream, under their own detail-type, so a consumer filtering
// on Connect's detail-type sees Connect's events only.
type EventType string

// The event types a contact's transitions emit (Transitions).
const (
	EventInitiated EventType = "INITIATED"
	// EventConnectedToSystem: the customer of a call is on the line (an
	// outbound call was answered).
	EventConnectedToSystem EventType = "CONNECTED_TO_SYSTEM"
	EventQueued            EventType = "QUEUED"
	EventConnectedToAgent  EventType = "CONNECTED_TO_AGENT"
	EventDisconnected      EventType = "DISCONNECTED"
	// EventCompleted: after contact work is over and the contact is done.
	EventCompleted EventType = "COMPLETED"

	// EventOffered (Switchboard's): routing offered the contact to an
	// agent (the agent's contact state becomes CONNECTING).
	EventOffered EventType = "OFFERED"
	// EventReturned (Switchboard's): the agent missed or rejected the
	// contact, which is back in its queue (RoutingReason says which).
	EventReturned EventType = "RETURNED"
)

// Detail types of the events' envelopes.
const (
	ContactEventDetailType = "Amazon Connect Contact Event"
	RoutingEventDetailType = "Switchboard Contact Routing Event"
)

// DetailType is the envelope's detail-type for events of type t.
func (t EventType) DetailType() string {
	if t == EventOffered || t == EventReturned {
		return RoutingEventDetailType
	}
	return ContactEventDetailType
}

// Event is a contact event in the shape EventBridge delivers Connect's:
// an envelope, and the contact's state in Detail.
type Event struct {
	Version    string      `json:"version"`
	ID         string      `json:"id"`
	DetailType string      `json:"detail-type"`
	Source     string      `json:"source"`
	Account    string      `json:"account"`
	Time       string      `json:"time"`
	Region     string      `json:"region"`
	Resources  []string    `json:"resources"`
	Detail     EventDetail `json:"detail"`
}

// EventDetail is the contact part of an Event.
type EventDetail struct {
	EventType                  EventType       `json:"eventType"`
	ContactID                  string          `json:"contactId"`
	InitialContactID           string          `json:"initialContactId,omitempty"`
	PreviousContactID          string          `json:"previousContactId,omitempty"`
	Channel                    Channel         `json:"channel"`
	InstanceARN                string          `json:"instanceArn"`
	InitiationMethod           string          `json:"initiationMethod"`
	InitiationTimestamp        string          `json:"initiationTimestamp"`
	ScheduledTimestamp         string          `json:"scheduledTimestamp,omitempty"`
	ConnectedToSystemTimestamp string          `json:"connectedToSystemTimestamp,omitempty"`
	DisconnectTimestamp        string          `json:"disconnectTimestamp,omitempty"`
	DisconnectReason           string          `json:"disconnectReason,omitempty"`
	QueueInfo                  *EventQueueInfo `json:"queueInfo,omitempty"`
	AgentInfo                  *EventAgentInfo `json:"agentInfo,omitempty"`
	// RoutingReason is MISSED or REJECTED for EventReturned.
	RoutingReason string `json:"routingReason,omitempty"`
}

// EventQueueInfo is the queue a contact is or was in.
type EventQueueInfo struct {
	QueueARN         string `json:"queueArn"`
	QueueType        string `json:"queueType,omitempty"`
	EnqueueTimestamp string `json:"enqueueTimestamp,omitempty"`
}

// EventAgentInfo is the agent a contact is offered to or handled by.
type EventAgentInfo struct {
	AgentARN                       string `json:"agentArn"`
	ConnectedToAgentTimestamp      string `json:"connectedToAgentTimestamp,omitempty"`
	AfterContactWorkStartTimestamp string `json:"afterContactWorkStartTimestamp,omitempty"`
	AfterContactWorkEndTimestamp   string `json:"afterContactWorkEndTimestamp,omitempty"`
}

// EventTime formats a time as the events do (ISO 8601, milliseconds, UTC).
func EventTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
