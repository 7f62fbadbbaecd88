package api_test

import (
	"encoding/json"
	"errors"
	"hash/fnv"
	"testing"

	"github.com/switchboard-dev/switchboard/api"
)

// operationNamed returns the operation called name, or, for the names a
// fuzzer invents, one picked by a hash of the name so that every input
// still exercises some shape.
func operationNamed(name string) *api.Operation {
	for _, op := range api.Operations {
		if op.Name == name {
			return op
		}
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	return api.Operations[h.Sum32()%uint32(len(api.Operations))]
}

// FuzzDecodeValidate decodes arbitrary bytes into an operation's input
// shape, as the wire layer does with a request body, and validates what
// decoded. Neither may panic, and validation may only fail with a
// *api.ValidationError, whose message must render.
func FuzzDecodeValidate(f *testing.F) {
	// Bodies as aws-sdk-go-v2, botocore and the JS SDK send them (URI
	// members travel in the path, so they are absent here).
	for _, seed := range []struct{ op, body string }{
		{"CreateInstance", `{"IdentityManagementType":"CONNECT_MANAGED","InboundCallsEnabled":true,"InstanceAlias":"my-center","OutboundCallsEnabled":true}`},
		{"CreateUser", `{"IdentityInfo":{"FirstName":"Mary","LastName":"Major"},"Password":"Str0ngPassw0rd","PhoneConfig":{"AfterContactWorkTimeLimit":30,"PhoneType":"SOFT_PHONE"},"RoutingProfileId":"6e2a4f9c-1b7d-4c1e-9f0a-2b3c4d5e6f70","SecurityProfileIds":["0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"],"Username":"mary.major"}`},
		{"CreateUser", `{"Username":"x","IdentityInfo":{"FirstName":"","Email":"a@b","Mobile":"+1"},"AutoAcceptConfigs":[{"Channel":"VOICE","AutoAccept":true}],"AfterContactWorkConfigs":[{"Channel":"CHAT","AfterContactWorkConfig":{"AfterContactWorkTimeLimit":-1}}],"Tags":{"aws:x":"y"}}`},
		{"UpdateUserPhoneConfig", `{"PhoneConfig":{"AutoAccept":false,"DeskPhoneNumber":"+15555550100","PhoneType":"DESK_PHONE"}}`},
		{"UpdateUserIdentityInfo", `{"IdentityInfo":{"Email":"mary@example.com","FirstName":"Mary","LastName":"Major","SecondaryEmail":"m@example.org"}}`},
		{"CreateHoursOfOperation", `{"Config":[{"Day":"MONDAY","EndTime":{"Hours":17,"Minutes":0},"StartTime":{"Hours":9,"Minutes":0}}],"Name":"Office","TimeZone":"Europe/London"}`},
		{"CreateQueue", `{"HoursOfOperationId":"h1","MaxContacts":10,"Name":"Support","OutboundCallerConfig":{"OutboundCallerIdName":"Support"},"Tags":{"team":"a"}}`},
		{"CreateRoutingProfile", `{"DefaultOutboundQueueId":"q1","Description":"d","MediaConcurrencies":[{"Channel":"VOICE","Concurrency":1},{"Channel":"CHAT","Concurrency":2,"CrossChannelBehavior":{"BehaviorType":"ROUTE_ANY_CHANNEL"}}],"Name":"Basic","QueueConfigs":[{"Delay":0,"Priority":1,"QueueReference":{"Channel":"VOICE","QueueId":"q1"}}]}`},
		{"CreateSecurityProfile", `{"Permissions":["BasicAgentAccess"],"SecurityProfileName":"Agents","AllowedAccessControlTags":{"team":"a"}}`},
		{"SearchUsers", `{"InstanceId":"i1","MaxResults":100,"SearchCriteria":{"OrConditions":[{"StringCondition":{"ComparisonType":"CONTAINS","FieldName":"Username","Value":"ma"}}],"AndConditions":[{"HierarchyGroupCondition":{"HierarchyGroupMatchType":"WITH_CHILD_GROUPS","Value":"g1"}}]},"SearchFilter":{"TagFilter":{"OrConditions":[[{"TagKey":"k","TagValue":"v"}]]}}}`},
		{"UpdateUserHierarchyStructure", `{"HierarchyStructure":{"LevelOne":{"Name":"Region"},"LevelTwo":{"Name":"Site"}}}`},
		{"TagResource", `{"tags":{"env":"staging","owner":"ops"}}`},
		{"GetCurrentMetricData", `{"CurrentMetrics":[{"Name":"AGENTS_ONLINE","Unit":"COUNT"}],"Filters":{"Queues":["q1"]}}`},
		{"GetMetricDataV2", `{"EndTime":1.7e9,"StartTime":1699990000.5,"Filters":[{"FilterKey":"QUEUE","FilterValues":["q1"]}],"Metrics":[{"Name":"CONTACTS_HANDLED"}],"ResourceArn":"arn:aws:connect:us-east-1:000000000000:instance/i1"}`},
		{"CreateUser", `{"Username":null,"Tags":{"":""},"SecurityProfileIds":[null,1]}`},
		{"CreateInstance", `{}`},
		{"CreateInstance", `[]`},
	} {
		f.Add(seed.op, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, name string, body []byte) {
		op := operationNamed(name)
		in := op.NewInput()
		if err := json.Unmarshal(body, in); err != nil {
			return
		}
		err := api.Validate(in)
		if err == nil {
			return
		}
		var ve *api.ValidationError
		if !errors.As(err, &ve) || len(ve.Violations) == 0 {
			t.Fatalf("%s: Validate returned %T %v", op.Name, err, err)
		}
		_ = ve.Error()
	})
}
