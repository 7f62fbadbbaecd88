package policy

import (
	"reflect"
	"strings"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// Action is the IAM action of a Connect operation.
func Action(op *api.Operation) string { return "connect:" + op.Name }

// subResourceTypes maps a URI label that names a resource inside an
// instance to the resource-type segment of that resource's ARN, as Connect
// formats them (instance/{id}/agent/{userId}, ...).
var subResourceTypes = map[string]string{
	"UserId":             "agent",
	"SecurityProfileId":  "security-profile",
	"RoutingProfileId":   "routing-profile",
	"QueueId":            "queue",
	"HoursOfOperationId": "operating-hours",
	"HierarchyGroupId":   "agent-group",
	"ContactFlowId":      "contact-flow",
	"QuickConnectId":     "transfer-destination",
}

// Resource is the ARN a request addresses, for matching against Resource
// patterns; it is derived from the operation's URI labels alone, so that it
// works for all operations without per-operation code:
//
//   - a resourceArn label (the tag operations) is that ARN;
//   - an InstanceId together with one of the labels in subResourceTypes is
//     that resource's ARN (the first such label in the URI);
//   - an InstanceId alone is the instance's ARN;
//   - otherwise, an InstanceId member of the JSON body (the Search*
//     operations) is the instance's ARN;
//   - anything else (CreateInstance, ListInstances, ...) is "*", as IAM
//     documents for operations without a resource type.
//
// ARNs are built in the caller's account and region: a label that is
// already an ARN is used as it is.
func Resource(sc switchboard.Scope, op *api.Operation, labels map[string]string, in api.Request) string {
	if arn := labels["resourceArn"]; arn != "" {
		return arn
	}
	instance := labels["InstanceId"]
	if instance == "" {
		instance = bodyInstanceID(op, in)
	}
	if instance == "" {
		return "*"
	}
	base := instanceARN(sc, instance)
	for _, label := range uriLabels(op.URI) {
		typ, ok := subResourceTypes[label]
		if !ok || labels[label] == "" {
			continue
		}
		id := labels[label]
		if strings.HasPrefix(id, "arn:") {
			return id
		}
		return base + "/" + typ + "/" + id
	}
	return base
}

func instanceARN(sc switchboard.Scope, instance string) string {
	if strings.HasPrefix(instance, "arn:") {
		// Connect accepts an instance ARN wherever it takes an id.
		return instance
	}
	return "arn:aws:connect:" + sc.Region + ":" + sc.Account + ":instance/" + instance
}

// uriLabels lists the label names of a URI template in order.
func uriLabels(uri string) []string {
	var out []string
	for seg := range strings.SplitSeq(uri, "/") {
		if len(seg) > 2 && seg[0] == '{' && seg[len(seg)-1] == '}' {
			out = append(out, seg[1:len(seg)-1])
		}
	}
	return out
}

// bodyInstanceID reads the InstanceId member of an operation that carries
// it in the JSON body. Reflection keeps this generic over the generated
// shapes, which all spell the member InstanceId *string.
func bodyInstanceID(op *api.Operation, in api.Request) string {
	body := false
	for _, m := range op.Members {
		if m.Member == "InstanceId" && m.Location == "body" {
			body = true
			break
		}
	}
	if !body || in == nil {
		return ""
	}
	v := reflect.ValueOf(in)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return ""
	}
	f := v.FieldByName("InstanceId")
	if !f.IsValid() || f.Kind() != reflect.Pointer || f.IsNil() || f.Elem().Kind() != reflect.String {
		return ""
	}
	return f.Elem().String()
}

// DeniedMessage is IAM's wording of a refusal, naming the principal, the
// action, the resource and why.
func DeniedMessage(sc switchboard.Scope, accessKeyID, action, resource string, d Decision) string {
	msg := "User: " + PrincipalARN(sc, accessKeyID) + " is not authorized to perform: " + action + " on resource: " + resource
	if d == ExplicitDeny {
		return msg + " with an explicit deny in an identity-based policy"
	}
	return msg + " because no identity-based policy allows the " + action + " action"
}

// PrincipalARN is the IAM user ARN Switchboard reports for an access key:
// it has no IAM users, so the key id stands in for the user name.
func PrincipalARN(sc switchboard.Scope, accessKeyID string) string {
	return "arn:aws:iam::" + sc.Account + ":user/" + accessKeyID
}
