package seed

import (
	"gopkg.in/yaml.v3"

	"github.com/switchboard-dev/switchboard/api"
)

// The schema of a seed file (docs/SEED.md). Each kind embeds the api
// request that creates it, so that every member the model gives that
// request can be written (under its lower-camel JSON name) and is checked
// by the same generated validation as a wire request; the members that
// hold ids are left out (omit) and replaced by members that hold names.

type fileSpec struct {
	Account   string         `seed:"account"`
	Region    string         `seed:"region"`
	Instances []instanceSpec `seed:"instances"`
}

type instanceSpec struct {
	api.CreateInstanceRequest `seed:",inline" omit:"ClientToken,InstanceAlias"`
	Alias                     string `seed:"alias"`
	// Attributes are UpdateInstanceAttribute's type → value.
	Attributes           map[string]string         `seed:"attributes"`
	HoursOfOperation     []hoursSpec               `seed:"hoursOfOperation"`
	SecurityProfiles     []securityProfileSpec     `seed:"securityProfiles"`
	Hierarchy            *hierarchySpec            `seed:"hierarchy"`
	AgentStatuses        []agentStatusSpec         `seed:"agentStatuses"`
	PredefinedAttributes []predefinedAttributeSpec `seed:"predefinedAttributes"`
	ContactFlows         []contactFlowSpec         `seed:"contactFlows"`
	FlowModules          []flowModuleSpec          `seed:"flowModules"`
	PhoneNumbers         []phoneNumberSpec         `seed:"phoneNumbers"`
	Queues               []queueSpec               `seed:"queues"`
	RoutingProfiles      []routingProfileSpec      `seed:"routingProfiles"`
	QuickConnects        []quickConnectSpec        `seed:"quickConnects"`
	Users                []userSpec                `seed:"users"`
}

type hoursSpec struct {
	api.CreateHoursOfOperationRequest `seed:",inline" omit:"ParentHoursOfOperationConfigs"`
	// Parents name other hours of operation (ParentHoursOfOperationConfigs).
	Parents []string `seed:"parents"`
}

type securityProfileSpec struct {
	api.CreateSecurityProfileRequest `seed:",inline" omit:"SecurityProfileName,AllowedAccessControlHierarchyGroupId"`
	Name                             *string `seed:"name"`
	// AllowedAccessControlHierarchyGroup names a hierarchy group.
	AllowedAccessControlHierarchyGroup string `seed:"allowedAccessControlHierarchyGroup"`
}

type hierarchySpec struct {
	// Levels are the names of levels one to five, in order.
	Levels []string             `seed:"levels"`
	Groups []hierarchyGroupSpec `seed:"groups"`
}

type hierarchyGroupSpec struct {
	api.CreateUserHierarchyGroupRequest `seed:",inline" omit:"ParentGroupId"`
	Parent                              string `seed:"parent"`
}

type agentStatusSpec struct {
	api.CreateAgentStatusRequest `seed:",inline"`
}

type predefinedAttributeSpec struct {
	api.CreatePredefinedAttributeRequest `seed:",inline"`
}

type contactFlowSpec struct {
	api.CreateContactFlowRequest `seed:",inline" omit:"Content"`
	Content                      yaml.Node `seed:"content"`
	ContentFile                  string    `seed:"contentFile"`
}

type flowModuleSpec struct {
	api.CreateContactFlowModuleRequest `seed:",inline" omit:"ClientToken,Content"`
	Content                            yaml.Node `seed:"content"`
	ContentFile                        string    `seed:"contentFile"`
}

type phoneNumberSpec struct {
	api.ClaimPhoneNumberRequest `seed:",inline" omit:"ClientToken,InstanceId,TargetArn"`
	// ContactFlow names the flow the number is associated with.
	ContactFlow string `seed:"contactFlow"`
}

type queueSpec struct {
	api.CreateQueueRequest `seed:",inline" omit:"HoursOfOperationId,OutboundCallerConfig,QuickConnectIds,EmailAddressesConfig,OutboundEmailConfig"`
	HoursOfOperation       string              `seed:"hoursOfOperation"`
	OutboundCallerConfig   *outboundCallerSpec `seed:"outboundCallerConfig"`
	QuickConnects          []string            `seed:"quickConnects"`
}

type outboundCallerSpec struct {
	OutboundCallerIdName *string `seed:"outboundCallerIdName"`
	// OutboundCallerIdNumber is a phone number claimed by the instance.
	OutboundCallerIdNumber string `seed:"outboundCallerIdNumber"`
	// OutboundFlow names an OUTBOUND_WHISPER flow.
	OutboundFlow string `seed:"outboundFlow"`
}

type routingProfileSpec struct {
	api.CreateRoutingProfileRequest `seed:",inline" omit:"DefaultOutboundQueueId,QueueConfigs,ManualAssignmentQueueConfigs"`
	DefaultOutboundQueue            string             `seed:"defaultOutboundQueue"`
	Queues                          []routingQueueSpec `seed:"queues"`
}

type routingQueueSpec struct {
	Queue    string  `seed:"queue"`
	Channel  *string `seed:"channel"`
	Priority *int32  `seed:"priority"`
	Delay    *int32  `seed:"delay"`
}

type quickConnectSpec struct {
	api.CreateQuickConnectRequest `seed:",inline" omit:"QuickConnectConfig"`
	// Type is QuickConnectType: USER, QUEUE or PHONE_NUMBER.
	Type        *string `seed:"type"`
	User        string  `seed:"user"`
	Queue       string  `seed:"queue"`
	ContactFlow string  `seed:"contactFlow"`
	PhoneNumber *string `seed:"phoneNumber"`
}

type userSpec struct {
	api.CreateUserRequest `seed:",inline" omit:"RoutingProfileId,SecurityProfileIds,HierarchyGroupId"`
	RoutingProfile        string                `seed:"routingProfile"`
	SecurityProfiles      []string              `seed:"securityProfiles"`
	HierarchyGroup        string                `seed:"hierarchyGroup"`
	Proficiencies         []api.UserProficiency `seed:"proficiencies"`
}
