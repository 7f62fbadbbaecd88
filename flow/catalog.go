package flow

// The catalog of action types, as data: which flow types each may appear
// in, which parameters it needs, whether it ends the flow, which errors and
// conditions it may branch on, and which parameters name resources. The
// validator reads it; the interpreter and the docs are meant to share it.
// Each entry's Source is the flow-language reference page it comes from
// (docs.aws.amazon.com/connect/latest/APIReference/<page>.html, the same
// text as the admin guide's pages of that name).

// The contact flow types (ContactFlowType in the API).
const (
	KindContactFlow     Kind = "CONTACT_FLOW"
	KindCustomerQueue   Kind = "CUSTOMER_QUEUE"
	KindCustomerHold    Kind = "CUSTOMER_HOLD"
	KindCustomerWhisper Kind = "CUSTOMER_WHISPER"
	KindAgentHold       Kind = "AGENT_HOLD"
	KindAgentWhisper    Kind = "AGENT_WHISPER"
	KindOutboundWhisper Kind = "OUTBOUND_WHISPER"
	KindAgentTransfer   Kind = "AGENT_TRANSFER"
	KindQueueTransfer   Kind = "QUEUE_TRANSFER"
	KindCampaign        Kind = "CAMPAIGN"
)

// Kinds lists every Kind, the contact flow types first, then Module.
var Kinds = []Kind{
	KindContactFlow, KindCustomerQueue, KindCustomerHold, KindCustomerWhisper,
	KindAgentHold, KindAgentWhisper, KindOutboundWhisper, KindAgentTransfer,
	KindQueueTransfer, KindCampaign, Module,
}

// The limits of a flow-language document.
const (
	// MaxActions: "A single Flow may have no more than 250 Actions
	// defined" (flow-language-example).
	MaxActions = 250
	// MaxContentLength is the API's length limit on Content, in
	// characters (CreateContactFlow, CreateContactFlowModule).
	MaxContentLength = 256000
	// MaxIdentifierLength: "This Identifier can be up to 50 characters
	// long" (flow-language-actions).
	MaxIdentifierLength = 50
	// IdentifierForbiddenChars may not appear in an Identifier
	// (flow-language-actions).
	IdentifierForbiddenChars = `%:(\/)=$,;[]{}`
)

// IdentifierForbiddenNames may not be used as an Identifier
// (flow-language-actions).
var IdentifierForbiddenNames = []string{
	"__proto__", "constructor", "__defineGetter__", "__defineSetter__",
	"toString", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable",
	"toLocaleString", "valueOf",
}

// Operators are the condition operators of the flow language, each taking
// one string operand (flow-language-actions, "List of Operators").
var Operators = []string{
	"Equals", "TextStartsWith", "TextEndsWith", "TextContains",
	"NumberGreaterThan", "NumberGreaterOrEqualTo", "NumberLessThan",
	"NumberLessOrEqualTo",
}

// ParamType is the JSON type a parameter must have.
type ParamType uint8

// The parameter types.
const (
	String ParamType = iota + 1
	Object
	Array
	// Integer is a number or a string holding one (the designer writes
	// numbers as strings, "8"); a dynamic "$." reference is accepted.
	Integer
)

// Param is a parameter an action requires.
type Param struct {
	Name string
	Type ParamType
	// Enum, when set, lists the values a static string may take.
	Enum []string
	// Dynamic: the value must be a JSONPath reference ("$.").
	Dynamic bool
	// MaxMembers, when not 0, bounds the members of an Object.
	MaxMembers int
}

// ResourceRef says that the parameter at Path names a Resource. Path is a
// parameter name, "Name[].Member" for a member of each element of an
// array, or "Name.*" for every value of an object.
type ResourceRef struct {
	Path     string
	Resource Resource
}

// ConditionRule says which conditions an action may branch on.
type ConditionRule struct {
	// Operators allowed; empty: every operator in Operators.
	Operators []string
	// Operands allowed; empty: any.
	Operands []string
	// Required operands, each of which must have a condition.
	Required []string
}

// ActionType describes one action type of the flow language.
type ActionType struct {
	Type string
	// Kinds the action may appear in; nil: every kind.
	Kinds []Kind
	// Required parameters.
	Required []Param
	// AtMostOne lists groups of parameters of which at most one may be
	// given; AtLeastOne groups of which one must be.
	AtMostOne  [][]string
	AtLeastOne [][]string
	// Terminal actions end the flow: their Transitions are empty.
	Terminal bool
	// Errors the action may branch on; nil with AnyError false: none.
	Errors []string
	// RequiredErrors must each have a branch.
	RequiredErrors []string
	// AnyError: the reference does not list the action's errors, so any
	// ErrorType is accepted.
	AnyError bool
	// Conditions: nil if the action supports none.
	Conditions *ConditionRule
	// Resources the parameters name.
	Resources []ResourceRef
	// Source is the reference page the entry comes from.
	Source string
}

// Groups of kinds, named as the reference names them.
var (
	inbound   = []Kind{KindContactFlow, Module}
	transfer  = []Kind{KindAgentTransfer, KindQueueTransfer}
	whisper   = []Kind{KindCustomerWhisper, KindAgentWhisper, KindOutboundWhisper}
	custQueue = []Kind{KindCustomerQueue}
	hold      = []Kind{KindCustomerHold, KindAgentHold}
)

func kinds(groups ...[]Kind) []Kind {
	var out []Kind
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

var (
	anyCondition   = &ConditionRule{}
	equalsOnly     = &ConditionRule{Operators: []string{"Equals"}}
	queueResources = []ResourceRef{{"QueueId", Queue}, {"AgentId", User}}
	queueOrAgent   = [][]string{{"QueueId", "AgentId"}}
	promptResource = []ResourceRef{{"PromptId", Prompt}}
	messageOnce    = [][]string{{"PromptId", "Text", "SSML"}}
	noMatching     = []string{"NoMatchingError"}
	enabledOrNot   = []string{"Enabled", "Disabled"}
	trueOrFalse    = []string{"True", "False"}
)

// Catalog lists the action types of the flow language by Type. Types
// whose reference page was not read in detail (Source "listed in ...")
// are known, allowed in every kind, and their parameters, errors and
// conditions are not checked.
var Catalog = map[string]*ActionType{}

func init() {
	for _, a := range actionTypes {
		Catalog[a.Type] = a
	}
}

var actionTypes = []*ActionType{
	// Participant actions.
	{
		Type:       "ConnectParticipantWithLexBot",
		Kinds:      kinds(inbound, transfer, custQueue),
		AtLeastOne: [][]string{{"LexV2Bot", "LexBot"}},
		AtMostOne:  append(messageOnce, []string{"LexV2Bot", "LexBot"}),
		Errors:     []string{"NoMatchingCondition", "NoMatchingError", "InputTimeLimitExceeded"},
		Conditions: equalsOnly,
		Resources:  promptResource,
		Source:     "participant-actions-connectparticipantwithlexbot",
	},
	{
		Type:     "DisconnectParticipant",
		Terminal: true,
		Source:   "participant-actions-disconnectparticipant",
	},
	{
		Type:  "GetParticipantInput",
		Kinds: kinds(inbound, transfer, custQueue),
		Required: []Param{
			{Name: "InputTimeLimitSeconds", Type: Integer},
			{Name: "StoreInput", Type: String, Enum: trueOrFalse},
		},
		AtMostOne:      messageOnce,
		Errors:         []string{"NoMatchingCondition", "NoMatchingError", "InvalidPhoneNumber", "InputTimeLimitExceeded"},
		RequiredErrors: noMatching,
		Conditions: &ConditionRule{Operators: []string{"Equals"},
			Operands: []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#"}},
		Resources: promptResource,
		Source:    "participant-actions-getparticipantinput",
	},
	{
		Type:       "MessageParticipant",
		Kinds:      kinds(inbound, transfer, whisper, custQueue),
		AtLeastOne: [][]string{{"PromptId", "Text", "SSML", "Media"}},
		AtMostOne:  messageOnce,
		Errors:     noMatching,
		Resources:  promptResource,
		Source:     "participant-actions-messageparticipant",
	},
	{
		Type:       "MessageParticipantIteratively",
		Kinds:      kinds(custQueue, hold),
		Required:   []Param{{Name: "Messages", Type: Array}},
		Errors:     noMatching,
		Conditions: &ConditionRule{Operators: []string{"Equals"}, Operands: []string{"MessagesInterrupted"}},
		Resources:  []ResourceRef{{"Messages[].PromptId", Prompt}},
		Source:     "participant-actions-messageparticipantiteratively",
	},
	{
		Type:     "TransferParticipantToThirdParty",
		Kinds:    kinds(inbound, transfer, custQueue),
		Required: []Param{{Name: "ThirdPartyPhoneNumber", Type: String}},
		Errors:   []string{"ConnectionTimeLimitExceeded", "CallFailed", "NoMatchingError"},
		Source:   "participant-actions-transferparticipanttothirdparty",
	},
	{Type: "ShowView", AnyError: true, Conditions: anyCondition, Source: "listed in participant-actions"},

	// Contact actions.
	{
		Type:   "CompleteOutboundCall",
		Kinds:  []Kind{KindOutboundWhisper},
		Source: "contact-actions-completeoutboundcall",
	},
	{
		Type:      "DequeueContactAndTransferToQueue",
		Kinds:     custQueue,
		AtMostOne: queueOrAgent,
		Errors:    []string{"QueueAtCapacity", "NoMatchingError"},
		Resources: queueResources,
		Source:    "contact-actions-dequeuecontactandtransfertoqueue",
	},
	{
		Type:     "TransferContactToAgent",
		Kinds:    transfer,
		Terminal: true, // "Ends the current flow"; no errors, no results
		Source:   "contact-actions-transfercontacttoagent",
	},
	{
		Type:   "TransferContactToQueue",
		Kinds:  kinds(inbound, transfer),
		Errors: []string{"QueueAtCapacity", "NoMatchingError"},
		// No parameters are documented (the target queue is set before),
		// but a QueueId, if given, is checked like any other.
		Resources: []ResourceRef{{"QueueId", Queue}},
		Source:    "contact-actions-transfercontacttoqueue",
	},
	{
		Type:     "UpdateContactAttributes",
		Required: []Param{{Name: "Attributes", Type: Object}},
		Errors:   noMatching,
		Source:   "contact-actions-updatecontactattributes",
	},
	{
		Type:     "UpdateContactCallbackNumber",
		Kinds:    kinds(inbound, transfer, custQueue),
		Required: []Param{{Name: "CallbackNumber", Type: String, Dynamic: true}},
		Errors:   []string{"InvalidCallbackNumber", "CallbackNumberNotDialable"},
		Source:   "contact-actions-updatecontactcallbacknumber",
	},
	{
		Type:      "UpdateContactEventHooks",
		Required:  []Param{{Name: "EventHooks", Type: Object, MaxMembers: 1}},
		Errors:    noMatching,
		Resources: []ResourceRef{{"EventHooks.*", ContactFlow}},
		Source:    "contact-actions-updatecontacteventhooks",
	},
	{
		Type:     "UpdateContactMediaStreamingBehavior",
		Kinds:    kinds(inbound, custQueue, transfer, whisper),
		Required: []Param{{Name: "MediaStreamingState", Type: String, Enum: enabledOrNot}},
		Errors:   noMatching,
		Source:   "contact-actions-updatecontactmediastreamingbehavior",
	},
	{
		Type:     "UpdateContactRecordingBehavior",
		Kinds:    kinds(inbound, transfer, []Kind{KindOutboundWhisper}, custQueue),
		Required: []Param{{Name: "RecordingBehavior", Type: Object}},
		Source:   "contact-actions-updatecontactrecordingbehavior",
	},
	{
		Type:      "UpdateContactRoutingBehavior",
		Kinds:     inbound,
		AtMostOne: [][]string{{"QueuePriority", "QueueTimeAdjustmentSeconds", "RoutingProficiencies"}},
		Source:    "contact-actions-updatecontactroutingbehavior",
	},
	{
		Type:      "UpdateContactTargetQueue",
		Kinds:     kinds(inbound, transfer),
		AtMostOne: queueOrAgent,
		Errors:    noMatching,
		Resources: queueResources,
		Source:    "contact-actions-updatecontacttargetqueue",
	},
	{
		Type:     "UpdateContactTextToSpeechVoice",
		Required: []Param{{Name: "TextToSpeechVoice", Type: String}},
		Source:   "contact-actions-updatecontacttexttospeechvoice",
	},
	{
		Type:  "UpdatePreviousContactParticipantState",
		Kinds: kinds(inbound, transfer),
		Required: []Param{{Name: "PreviousContactParticipantState", Type: String,
			Enum: []string{"AgentOnHold", "CustomerOnHold", "OffHold"}}},
		Errors: noMatching,
		Source: "contact-actions-updatepreviouscontactparticipantstate",
	},
	{
		Type: "InvokeFlowModule",
		// "only supports Inbound flow types"; "Modules do not allow
		// invoking another module" (contact-flow-modules).
		Kinds:     []Kind{KindContactFlow},
		Required:  []Param{{Name: "FlowModuleId", Type: String}},
		Errors:    noMatching,
		Resources: []ResourceRef{{"FlowModuleId", FlowModule}},
		Source:    "flow-language-actions-invoke-flow-module",
	},
	{
		Type:     "EndFlowModuleExecution",
		Kinds:    []Kind{Module},
		Terminal: true,
		Source:   "endflowmoduleexecution",
	},
	{Type: "CreateCase", AnyError: true, Conditions: anyCondition, Source: "listed in contact-actions"},
	{Type: "CreateTask", AnyError: true, Conditions: anyCondition, Source: "listed in contact-actions"},
	{Type: "CreateWisdomSession", AnyError: true, Conditions: anyCondition, Source: "listed in contact-actions"},
	{Type: "GetCase", AnyError: true, Conditions: anyCondition, Source: "listed in contact-actions"},
	{Type: "ResumeContact", AnyError: true, Conditions: anyCondition, Source: "listed in contact-actions"},
	{Type: "StartOutboundChatContact", AnyError: true, Conditions: anyCondition, Source: "listed in contact-actions"},
	{Type: "TagContact", AnyError: true, Conditions: anyCondition, Source: "listed in contact-actions"},
	{Type: "UnTagContact", AnyError: true, Conditions: anyCondition, Source: "listed in contact-actions"},
	{Type: "UpdateCase", AnyError: true, Conditions: anyCondition, Source: "listed in contact-actions"},
	{Type: "UpdateContactData", AnyError: true, Conditions: anyCondition, Source: "listed in contact-actions"},
	{Type: "UpdateContactMediaProcessing", AnyError: true, Conditions: anyCondition, Source: "listed in contact-actions"},
	{Type: "UpdateContactRecordingAndAnalyticsBehavior", AnyError: true, Conditions: anyCondition, Source: "listed in contact-actions"},

	// Flow control actions.
	{
		Type:       "CheckHoursOfOperation",
		Kinds:      kinds(inbound, transfer, custQueue),
		Errors:     noMatching,
		Conditions: &ConditionRule{Operators: []string{"Equals"}, Operands: trueOrFalse, Required: trueOrFalse},
		Resources:  []ResourceRef{{"HoursOfOperationId", HoursOfOperation}},
		Source:     "flow-control-actions-checkhoursofoperation",
	},
	{
		Type:  "CheckMetricData",
		Kinds: kinds(inbound, transfer, custQueue),
		Required: []Param{{Name: "MetricType", Type: String, Enum: []string{
			"NumberOfAgentsAvailable", "NumberOfAgentsStaffed", "NumberOfAgentsOnline",
			"OldestContactInQueueAgeSeconds", "NumberOfContactsInQueue"}}},
		AtMostOne: queueOrAgent,
		Errors:    []string{"NoMatchingError", "NoMatchingCondition"},
		Conditions: &ConditionRule{Operators: []string{"Equals", "NumberGreaterThan",
			"NumberGreaterOrEqualTo", "NumberLessThan", "NumberLessOrEqualTo"}},
		Resources: queueResources,
		Source:    "flow-control-actions-checkmetricdata",
	},
	{
		Type:   "CheckOutboundCallStatus",
		Errors: noMatching,
		Conditions: &ConditionRule{Operators: []string{"Equals"},
			Operands: []string{"CallAnswered", "VoicemailBeep", "VoicemailNoBeep", "NotDetected"}},
		Source: "flow-control-actions-checkoutboundcallstatus",
	},
	{
		Type: "CheckVoiceId",
		Required: []Param{{Name: "CheckVoiceIdOption", Type: String,
			Enum: []string{"enrollmentStatus", "voiceAuthentication", "fraudDetection"}}},
		Errors:     noMatching,
		Conditions: anyCondition,
		Source:     "flow-control-actions-checkvoiceid",
	},
	{
		Type:       "Compare",
		Required:   []Param{{Name: "ComparisonValue", Type: String}},
		Errors:     []string{"NoMatchingCondition"},
		Conditions: anyCondition,
		Source:     "flow-control-actions-compare",
	},
	{
		Type:       "DistributeByPercentage",
		Kinds:      kinds(inbound, transfer, custQueue),
		Errors:     []string{"NoMatchingCondition"},
		Conditions: &ConditionRule{Operators: []string{"NumberLessThan"}},
		Source:     "flow-control-actions-distributebypercentage",
	},
	{
		// The action page says whisper and customer queue flows only; the
		// End flow / Resume block's page (newer) says all flows, and the
		// designer exports it from every kind. The block page wins.
		Type:     "EndFlowExecution",
		Terminal: true,
		Source:   "flow-control-actions-endflowexecution; end-flow-resume",
	},
	{
		Type:      "GetMetricData",
		AtMostOne: queueOrAgent,
		Errors:    noMatching,
		Resources: queueResources,
		Source:    "flow-control-actions-getmetricdata",
	},
	{
		Type:     "Loop",
		Required: []Param{{Name: "LoopCount", Type: Integer}},
		Conditions: &ConditionRule{Operators: []string{"Equals"},
			Operands: []string{"ContinueLooping", "DoneLooping"},
			Required: []string{"ContinueLooping", "DoneLooping"}},
		Source: "flow-control-actions-loop",
	},
	{
		Type:     "StartVoiceIdStream",
		Errors:   noMatching,
		Source:   "flow-control-actions-startvoiceidstream",
		Required: nil,
	},
	{
		Type:      "TransferToFlow",
		Kinds:     kinds(inbound, transfer),
		Required:  []Param{{Name: "ContactFlowId", Type: String}},
		Errors:    noMatching,
		Resources: []ResourceRef{{"ContactFlowId", ContactFlow}},
		Source:    "flow-control-actions-transfertoflow",
	},
	{
		Type:     "UpdateFlowLoggingBehavior",
		Required: []Param{{Name: "FlowLoggingBehavior", Type: String, Enum: enabledOrNot}},
		Source:   "flow-control-actions-updateflowloggingbehavior",
	},
	{
		Type:     "Wait",
		Required: []Param{{Name: "TimeoutSeconds", Type: Integer}},
		Errors:   noMatching,
		Conditions: &ConditionRule{Operators: []string{"Equals"},
			Operands: []string{"WaitCompleted", "CustomerReturned"},
			Required: []string{"WaitCompleted"}},
		Source: "flow-control-actions-wait",
	},
	{Type: "UpdateFlowAttributes", AnyError: true, Conditions: anyCondition, Source: "listed in flow-control-actions"},
	{Type: "UpdateRoutingCriteria", AnyError: true, Conditions: anyCondition, Source: "listed in flow-control-actions"},

	// Interactions.
	{
		Type:  "CreateCallbackContact",
		Kinds: kinds(inbound, transfer, custQueue),
		Required: []Param{
			{Name: "InitialCallDelaySeconds", Type: Integer},
			{Name: "MaximumConnectionAttempts", Type: Integer},
			{Name: "RetryDelaySeconds", Type: Integer},
		},
		AtMostOne: queueOrAgent,
		Errors:    noMatching,
		Resources: queueResources,
		Source:    "interactions-createcallbackcontact",
	},
	{
		Type: "InvokeLambdaFunction",
		Required: []Param{
			{Name: "LambdaFunctionARN", Type: String},
			{Name: "InvocationTimeLimitSeconds", Type: Integer},
		},
		Errors:    noMatching,
		Resources: []ResourceRef{{"LambdaFunctionARN", LambdaFunction}},
		Source:    "interactions-invokelambdafunction",
	},
	{Type: "AssociateContactToCustomerProfile", AnyError: true, Conditions: anyCondition, Source: "listed in interactions"},
	{Type: "CreateCustomerProfile", AnyError: true, Conditions: anyCondition, Source: "listed in interactions"},
	{Type: "GetCustomerProfile", AnyError: true, Conditions: anyCondition, Source: "listed in interactions"},
	{Type: "GetCustomerProfileObject", AnyError: true, Conditions: anyCondition, Source: "listed in interactions"},
	{Type: "GetCalculatedAttributesForCustomerProfile", AnyError: true, Conditions: anyCondition, Source: "listed in interactions"},
	{Type: "UpdateCustomerProfile", AnyError: true, Conditions: anyCondition, Source: "listed in interactions"},

	// Campaign (journey) flows: only the action the API example shows.
	{Type: "SendSMS", Kinds: []Kind{KindCampaign}, AnyError: true, Conditions: anyCondition, Source: "create-campaigns-api-cli (adminguide)"},
}
