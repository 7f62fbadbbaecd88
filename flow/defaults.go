package flow

// DefaultFlow is one of the flows every new Connect instance has,
// published: Connect plays them when a flow does not name its own hold,
// whisper, queue or transfer flow.
type DefaultFlow struct {
	Name        string
	Type        Kind
	Description string
	Content     string
}

// Defaults are the instance's default flows, as the admin guide describes
// them ("Default flows", contact-flow-default and its pages). Their content
// is written here to do what the guide says using only text-to-speech and
// the contact's own queue ($.Queue, the target queue set earlier), so they
// name no resource: Connect's own use recorded prompts (queue music, the
// beep), which a new Switchboard instance does not have. The guide's
// "Sample ..." flows are not default flows and are left out.
var Defaults = []DefaultFlow{
	{
		Name:        "Default agent hold",
		Type:        KindAgentHold,
		Description: `Plays "You are on hold" to the agent every 10 seconds.`,
		Content: `{
  "Version": "2019-10-30",
  "StartAction": "loop-on-hold",
  "Actions": [
    {
      "Identifier": "loop-on-hold",
      "Type": "MessageParticipantIteratively",
      "Parameters": {
        "Messages": [{"SSML": "<speak>You are on hold.<break time=\"10s\"/></speak>"}]
      },
      "Transitions": {
        "NextAction": "end",
        "Errors": [{"NextAction": "end", "ErrorType": "NoMatchingError"}]
      }
    },
    {"Identifier": "end", "Type": "EndFlowExecution", "Parameters": {}, "Transitions": {}}
  ]
}`,
	},
	{
		Name:        "Default agent transfer",
		Type:        KindAgentTransfer,
		Description: `Plays "Transferring now" and transfers the contact to the agent.`,
		Content: `{
  "Version": "2019-10-30",
  "StartAction": "transferring-now",
  "Actions": [
    {
      "Identifier": "transferring-now",
      "Type": "MessageParticipant",
      "Parameters": {"Text": "Transferring now."},
      "Transitions": {
        "NextAction": "transfer-to-agent",
        "Errors": [{"NextAction": "transfer-to-agent", "ErrorType": "NoMatchingError"}]
      }
    },
    {"Identifier": "transfer-to-agent", "Type": "TransferContactToAgent", "Parameters": {}, "Transitions": {}}
  ]
}`,
	},
	{
		Name:        "Default agent whisper",
		Type:        KindAgentWhisper,
		Description: "Plays the name of the contact's queue to the agent before the contact is connected.",
		Content: `{
  "Version": "2019-10-30",
  "StartAction": "queue-name",
  "Actions": [
    {
      "Identifier": "queue-name",
      "Type": "MessageParticipant",
      "Parameters": {"Text": "$.Queue.Name"},
      "Transitions": {
        "NextAction": "end",
        "Errors": [{"NextAction": "end", "ErrorType": "NoMatchingError"}]
      }
    },
    {"Identifier": "end", "Type": "EndFlowExecution", "Parameters": {}, "Transitions": {}}
  ]
}`,
	},
	{
		Name:        "Default customer hold",
		Type:        KindCustomerHold,
		Description: "Plays hold audio to the customer while on hold.",
		Content: `{
  "Version": "2019-10-30",
  "StartAction": "hold-audio",
  "Actions": [
    {
      "Identifier": "hold-audio",
      "Type": "MessageParticipantIteratively",
      "Parameters": {
        "Messages": [{"SSML": "<speak>Please stay on the line.<break time=\"10s\"/></speak>"}]
      },
      "Transitions": {
        "NextAction": "end",
        "Errors": [{"NextAction": "end", "ErrorType": "NoMatchingError"}]
      }
    },
    {"Identifier": "end", "Type": "EndFlowExecution", "Parameters": {}, "Transitions": {}}
  ]
}`,
	},
	{
		Name:        "Default customer queue",
		Type:        KindCustomerQueue,
		Description: "Plays a welcome message once, then queue audio in a loop until an agent answers.",
		Content: `{
  "Version": "2019-10-30",
  "StartAction": "welcome",
  "Actions": [
    {
      "Identifier": "welcome",
      "Type": "MessageParticipant",
      "Parameters": {"Text": "Thank you for calling. Your call is very important to us and will be answered in the order it was received."},
      "Transitions": {
        "NextAction": "queue-audio",
        "Errors": [{"NextAction": "queue-audio", "ErrorType": "NoMatchingError"}]
      }
    },
    {
      "Identifier": "queue-audio",
      "Type": "MessageParticipantIteratively",
      "Parameters": {
        "Messages": [{"SSML": "<speak>Please stay on the line.<break time=\"10s\"/></speak>"}]
      },
      "Transitions": {
        "NextAction": "end",
        "Errors": [{"NextAction": "end", "ErrorType": "NoMatchingError"}]
      }
    },
    {"Identifier": "end", "Type": "EndFlowExecution", "Parameters": {}, "Transitions": {}}
  ]
}`,
	},
	{
		Name:        "Default customer whisper",
		Type:        KindCustomerWhisper,
		Description: "Tells the customer, with a beep, that the contact is connected to an agent.",
		Content: `{
  "Version": "2019-10-30",
  "StartAction": "beep",
  "Actions": [
    {
      "Identifier": "beep",
      "Type": "MessageParticipant",
      "Parameters": {"Text": "Beep."},
      "Transitions": {
        "NextAction": "end",
        "Errors": [{"NextAction": "end", "ErrorType": "NoMatchingError"}]
      }
    },
    {"Identifier": "end", "Type": "EndFlowExecution", "Parameters": {}, "Transitions": {}}
  ]
}`,
	},
	{
		Name:        "Default outbound",
		Type:        KindOutboundWhisper,
		Description: `Plays "This call is not being recorded" to the customer of an outbound call before the agent is connected.`,
		Content: `{
  "Version": "2019-10-30",
  "StartAction": "recording",
  "Actions": [
    {
      "Identifier": "recording",
      "Type": "UpdateContactRecordingBehavior",
      "Parameters": {"RecordingBehavior": {"RecordedParticipants": []}},
      "Transitions": {"NextAction": "not-recorded"}
    },
    {
      "Identifier": "not-recorded",
      "Type": "MessageParticipant",
      "Parameters": {"Text": "This call is not being recorded."},
      "Transitions": {
        "NextAction": "end",
        "Errors": [{"NextAction": "end", "ErrorType": "NoMatchingError"}]
      }
    },
    {"Identifier": "end", "Type": "EndFlowExecution", "Parameters": {}, "Transitions": {}}
  ]
}`,
	},
	{
		Name:        "Default queue transfer",
		Type:        KindQueueTransfer,
		Description: "Transfers the contact to the queue if it is in hours and has available agents; otherwise plays a message and disconnects.",
		Content: `{
  "Version": "2019-10-30",
  "StartAction": "check-hours",
  "Actions": [
    {
      "Identifier": "check-hours",
      "Type": "CheckHoursOfOperation",
      "Parameters": {},
      "Transitions": {
        "NextAction": "unavailable",
        "Conditions": [
          {"NextAction": "check-staffing", "Condition": {"Operator": "Equals", "Operands": ["True"]}},
          {"NextAction": "unavailable", "Condition": {"Operator": "Equals", "Operands": ["False"]}}
        ],
        "Errors": [{"NextAction": "unavailable", "ErrorType": "NoMatchingError"}]
      }
    },
    {
      "Identifier": "check-staffing",
      "Type": "CheckMetricData",
      "Parameters": {"MetricType": "NumberOfAgentsAvailable"},
      "Transitions": {
        "NextAction": "unavailable",
        "Conditions": [
          {"NextAction": "now-transferring", "Condition": {"Operator": "NumberGreaterThan", "Operands": ["0"]}}
        ],
        "Errors": [{"NextAction": "unavailable", "ErrorType": "NoMatchingError"}]
      }
    },
    {
      "Identifier": "now-transferring",
      "Type": "MessageParticipant",
      "Parameters": {"Text": "Now transferring."},
      "Transitions": {
        "NextAction": "transfer",
        "Errors": [{"NextAction": "transfer", "ErrorType": "NoMatchingError"}]
      }
    },
    {
      "Identifier": "transfer",
      "Type": "TransferContactToQueue",
      "Parameters": {},
      "Transitions": {
        "NextAction": "unavailable",
        "Errors": [
          {"NextAction": "unavailable", "ErrorType": "QueueAtCapacity"},
          {"NextAction": "unavailable", "ErrorType": "NoMatchingError"}
        ]
      }
    },
    {
      "Identifier": "unavailable",
      "Type": "MessageParticipant",
      "Parameters": {"Text": "We are not able to take your call right now. Goodbye."},
      "Transitions": {
        "NextAction": "disconnect",
        "Errors": [{"NextAction": "disconnect", "ErrorType": "NoMatchingError"}]
      }
    },
    {"Identifier": "disconnect", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}}
  ]
}`,
	},
}
