package service

import (
	"strings"

	"github.com/switchboard-dev/switchboard"
)

// arnTypes is the resource-type segment of each kind's ARN below
// instance/{id}/ (Connect's formats: agent, security-profile, ...).
var arnTypes = map[switchboard.Kind]string{
	switchboard.KindUser:                   "agent",
	switchboard.KindSecurityProfile:        "security-profile",
	switchboard.KindRoutingProfile:         "routing-profile",
	switchboard.KindQueue:                  "queue",
	switchboard.KindHoursOfOperation:       "operating-hours",
	switchboard.KindHierarchyGroup:         "agent-group",
	switchboard.KindQuickConnect:           "transfer-destination",
	switchboard.KindAgentStatus:            "agent-state",
	switchboard.KindContactFlow:            "contact-flow",
	switchboard.KindFlowModule:             "flow-module",
	switchboard.KindPrompt:                 "prompt",
	switchboard.KindVocabulary:             "vocabulary",
	switchboard.KindIntegrationAssociation: "integration-association",
	switchboard.KindUseCase:                "use-case",
}

func instanceARN(sc switchboard.Scope, instanceID string) string {
	return "arn:aws:connect:" + sc.Region + ":" + sc.Account + ":instance/" + instanceID
}

// resourceARN is the ARN of a record of kind k inside an instance.
func resourceARN(sc switchboard.Scope, k switchboard.Kind, instanceID, id string) string {
	if k == switchboard.KindInstance {
		return instanceARN(sc, id)
	}
	return instanceARN(sc, instanceID) + "/" + arnTypes[k] + "/" + id
}

// agentQueueARN is the ARN of the AGENT queue Connect keeps for each user.
func agentQueueARN(sc switchboard.Scope, instanceID, id string) string {
	return instanceARN(sc, instanceID) + "/queue/agent/" + id
}

// parseARN resolves a Connect ARN of this scope to a record key. ok is false
// for ARNs of other partitions, services, accounts or regions and for
// resource types Switchboard does not store.
func parseARN(sc switchboard.Scope, arn string) (switchboard.Key, bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] != "aws" || parts[2] != "connect" ||
		parts[3] != sc.Region || parts[4] != sc.Account {
		return switchboard.Key{}, false
	}
	segs := strings.Split(parts[5], "/")
	// A phone number belongs to the account and Region, not to an
	// instance: phone-number/{id}.
	if len(segs) == 2 && segs[0] == "phone-number" && segs[1] != "" {
		return switchboard.Key{Scope: sc, Kind: switchboard.KindPhoneNumber, ID: segs[1]}, true
	}
	if len(segs) < 2 || segs[0] != "instance" || segs[1] == "" {
		return switchboard.Key{}, false
	}
	if len(segs) == 2 {
		return switchboard.Key{Scope: sc, Kind: switchboard.KindInstance, ID: segs[1]}, true
	}
	if len(segs) == 5 && segs[2] == "queue" && segs[3] == "agent" && segs[4] != "" {
		return switchboard.Key{Scope: sc, Kind: switchboard.KindQueue, Parent: segs[1], ID: segs[4]}, true
	}
	if len(segs) != 4 || segs[3] == "" {
		return switchboard.Key{}, false
	}
	for k, t := range arnTypes {
		if t == segs[2] {
			return switchboard.Key{Scope: sc, Kind: k, Parent: segs[1], ID: segs[3]}, true
		}
	}
	return switchboard.Key{}, false
}

// instanceIDFrom accepts an instance id or an instance ARN, as Connect does.
func instanceIDFrom(v string) string {
	if strings.HasPrefix(v, "arn:") {
		if i := strings.LastIndex(v, "instance/"); i >= 0 {
			return v[i+len("instance/"):]
		}
	}
	return v
}
