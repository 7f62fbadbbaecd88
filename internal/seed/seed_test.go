package seed_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/internal/seed"
	"github.com/switchboard-dev/switchboard/service"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

// newService is a Service on an in-memory store, as internal/server.New
// builds one (without a clock: the seed starts no contacts). Ids count up
// and the clock stands still, so two services given the same calls reach
// the same state byte for byte.
func newService(t *testing.T) *service.Service {
	t.Helper()
	store, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	n := 0
	svc := service.New(service.Config{Store: store,
		Now:   func() time.Time { return time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC) },
		NewID: func() string { n++; return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }})
	t.Cleanup(svc.Close)
	return svc
}

var testCtx = switchboard.WithScope(context.Background(), seed.DefaultScope)

// do runs one operation through its handler (after the generated
// validation) and returns its output as the JSON a client would read.
func do(t *testing.T, svc *service.Service, op string, in api.Request) map[string]any {
	t.Helper()
	if err := api.Validate(in); err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	out, err := svc.Handlers()[op](testCtx, in)
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// get walks a JSON value by keys and list indexes.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func apply(t *testing.T, svc *service.Service, path string) *seed.Result {
	t.Helper()
	res, err := seed.ApplyFile(context.Background(), svc, switchboard.Scope{}, path)
	if err != nil {
		t.Fatalf("apply %s: %v", path, err)
	}
	return res
}

// snapshot describes every resource of a result through the service, keyed
// by kind and name: what a client would read back.
func snapshot(t *testing.T, svc *service.Service, res *seed.Result) map[string]any {
	t.Helper()
	inst := ""
	snap := map[string]any{}
	for _, r := range res.Resources {
		id := r.ID
		var parts []any
		switch r.Kind {
		case "instance":
			inst = id
			parts = append(parts, do(t, svc, "DescribeInstance", &api.DescribeInstanceRequest{InstanceId: &id}))
		case "hoursOfOperation":
			parts = append(parts, do(t, svc, "DescribeHoursOfOperation", &api.DescribeHoursOfOperationRequest{InstanceId: &inst, HoursOfOperationId: &id}))
		case "securityProfile":
			parts = append(parts, do(t, svc, "DescribeSecurityProfile", &api.DescribeSecurityProfileRequest{InstanceId: &inst, SecurityProfileId: &id}),
				do(t, svc, "ListSecurityProfilePermissions", &api.ListSecurityProfilePermissionsRequest{InstanceId: &inst, SecurityProfileId: &id}))
		case "hierarchyStructure":
			parts = append(parts, do(t, svc, "DescribeUserHierarchyStructure", &api.DescribeUserHierarchyStructureRequest{InstanceId: &inst}))
		case "hierarchyGroup":
			parts = append(parts, do(t, svc, "DescribeUserHierarchyGroup", &api.DescribeUserHierarchyGroupRequest{InstanceId: &inst, HierarchyGroupId: &id}))
		case "agentStatus":
			parts = append(parts, do(t, svc, "DescribeAgentStatus", &api.DescribeAgentStatusRequest{InstanceId: &inst, AgentStatusId: &id}))
		case "predefinedAttribute":
			parts = append(parts, do(t, svc, "DescribePredefinedAttribute", &api.DescribePredefinedAttributeRequest{InstanceId: &inst, Name: &id}))
		case "contactFlow":
			parts = append(parts, do(t, svc, "DescribeContactFlow", &api.DescribeContactFlowRequest{InstanceId: &inst, ContactFlowId: &id}))
		case "flowModule":
			parts = append(parts, do(t, svc, "DescribeContactFlowModule", &api.DescribeContactFlowModuleRequest{InstanceId: &inst, ContactFlowModuleId: &id}))
		case "phoneNumber":
			parts = append(parts, do(t, svc, "DescribePhoneNumber", &api.DescribePhoneNumberRequest{PhoneNumberId: &id}))
		case "queue":
			parts = append(parts, do(t, svc, "DescribeQueue", &api.DescribeQueueRequest{InstanceId: &inst, QueueId: &id}),
				do(t, svc, "ListQueueQuickConnects", &api.ListQueueQuickConnectsRequest{InstanceId: &inst, QueueId: &id}))
		case "routingProfile":
			parts = append(parts, do(t, svc, "DescribeRoutingProfile", &api.DescribeRoutingProfileRequest{InstanceId: &inst, RoutingProfileId: &id}),
				do(t, svc, "ListRoutingProfileQueues", &api.ListRoutingProfileQueuesRequest{InstanceId: &inst, RoutingProfileId: &id}))
		case "quickConnect":
			parts = append(parts, do(t, svc, "DescribeQuickConnect", &api.DescribeQuickConnectRequest{InstanceId: &inst, QuickConnectId: &id}))
		case "user":
			parts = append(parts, do(t, svc, "DescribeUser", &api.DescribeUserRequest{InstanceId: &inst, UserId: &id}),
				do(t, svc, "ListUserProficiencies", &api.ListUserProficienciesRequest{InstanceId: &inst, UserId: &id}))
		default:
			t.Fatalf("snapshot: no describe for kind %q", r.Kind)
		}
		snap[r.Kind+"/"+r.Name] = map[string]any{"id": id, "describe": parts}
	}
	return snap
}

// kindsOfFull are the kinds docs/SEED.md documents; the full example must
// hold every one.
var kindsOfFull = []string{"instance", "hoursOfOperation", "securityProfile", "hierarchyStructure", "hierarchyGroup",
	"agentStatus", "predefinedAttribute", "contactFlow", "flowModule", "phoneNumber", "queue", "routingProfile", "quickConnect", "user"}

func TestApplyTwiceGivesTheSameState(t *testing.T) {
	svc := newService(t)
	first := apply(t, svc, "testdata/full.yaml")
	if first.Count(seed.Created) != len(first.Resources) || len(first.Resources) == 0 {
		t.Fatalf("first apply: want every resource created, got %s (%d resources)", first.Summary(), len(first.Resources))
	}
	have := map[string]bool{}
	for _, r := range first.Resources {
		have[r.Kind] = true
	}
	for _, k := range kindsOfFull {
		if !have[k] {
			t.Errorf("testdata/full.yaml has no %s", k)
		}
	}
	before := snapshot(t, svc, first)

	second := apply(t, svc, "testdata/full.yaml")
	if second.Count(seed.Unchanged) != len(second.Resources) {
		t.Fatalf("second apply: want every resource unchanged, got %s", second.Summary())
	}
	if len(second.Resources) != len(first.Resources) {
		t.Fatalf("second apply reported %d resources, first %d", len(second.Resources), len(first.Resources))
	}
	after := snapshot(t, svc, second)
	if !reflect.DeepEqual(before, after) {
		b1, _ := json.MarshalIndent(before, "", " ")
		b2, _ := json.MarshalIndent(after, "", " ")
		t.Fatalf("state changed by the second apply:\nfirst:  %s\nsecond: %s", b1, b2)
	}
	// No duplicates: every list holds each name once.
	inst := first.ID("acme-support", "instance", "acme-support")
	users := do(t, svc, "ListUsers", &api.ListUsersRequest{InstanceId: &inst})
	if n := len(get(users, "UserSummaryList").([]any)); n != 2 {
		t.Errorf("ListUsers after two applies: %d users, want 2", n)
	}
	insts := do(t, svc, "ListInstances", &api.ListInstancesRequest{})
	if n := len(get(insts, "InstanceSummaryList").([]any)); n != 1 {
		t.Errorf("ListInstances after two applies: %d instances, want 1", n)
	}
}

func TestEveryKindHasTheValuesOfTheFile(t *testing.T) {
	svc := newService(t)
	res := apply(t, svc, "testdata/full.yaml")
	inst := res.ID("acme-support", "instance", "acme-support")
	id := func(kind, name string) string {
		t.Helper()
		v := res.ID("acme-support", kind, name)
		if v == "" {
			t.Fatalf("no %s %q in the result", kind, name)
		}
		return v
	}
	check := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", what, got, want)
		}
	}
	// List lookups of what the instance already had.
	byName := func(op string, in api.Request, list string) map[string]string {
		m := map[string]string{}
		for _, it := range get(do(t, svc, op, in), list).([]any) {
			m[get(it, "Name").(string)] = get(it, "Id").(string)
		}
		return m
	}
	builtinProfiles := byName("ListSecurityProfiles", &api.ListSecurityProfilesRequest{InstanceId: &inst}, "SecurityProfileSummaryList")
	builtinRouting := byName("ListRoutingProfiles", &api.ListRoutingProfilesRequest{InstanceId: &inst}, "RoutingProfileSummaryList")

	in := do(t, svc, "DescribeInstance", &api.DescribeInstanceRequest{InstanceId: &inst})
	check("instance alias", get(in, "Instance", "InstanceAlias"), "acme-support")
	check("instance identity management", get(in, "Instance", "IdentityManagementType"), "CONNECT_MANAGED")
	check("instance outbound calls", get(in, "Instance", "OutboundCallsEnabled"), true)
	attr := do(t, svc, "DescribeInstanceAttribute", &api.DescribeInstanceAttributeRequest{InstanceId: &inst, AttributeType: ptr("CONTACTFLOW_LOGS")})
	check("CONTACTFLOW_LOGS", get(attr, "Attribute", "Value"), "true")

	hours := do(t, svc, "DescribeHoursOfOperation", &api.DescribeHoursOfOperationRequest{InstanceId: &inst, HoursOfOperationId: ptr(id("hoursOfOperation", "Office Hours"))})
	check("hours time zone", get(hours, "HoursOfOperation", "TimeZone"), "America/New_York")
	check("hours days", len(get(hours, "HoursOfOperation", "Config").([]any)), 5)
	check("hours tags", get(hours, "HoursOfOperation", "Tags", "team"), "support")

	spID := id("securityProfile", "Team Lead")
	perms := do(t, svc, "ListSecurityProfilePermissions", &api.ListSecurityProfilePermissionsRequest{InstanceId: &inst, SecurityProfileId: &spID})
	check("security profile permissions", len(get(perms, "Permissions").([]any)), 3)

	st := do(t, svc, "DescribeUserHierarchyStructure", &api.DescribeUserHierarchyStructureRequest{InstanceId: &inst})
	check("level one", get(st, "HierarchyStructure", "LevelOne", "Name"), "Region")
	check("level three", get(st, "HierarchyStructure", "LevelThree", "Name"), "Team")
	grp := do(t, svc, "DescribeUserHierarchyGroup", &api.DescribeUserHierarchyGroupRequest{InstanceId: &inst, HierarchyGroupId: ptr(id("hierarchyGroup", "London Sales"))})
	check("group level", get(grp, "HierarchyGroup", "LevelId"), "3")
	check("group path level one", get(grp, "HierarchyGroup", "HierarchyPath", "LevelOne", "Name"), "EMEA")
	check("group path level two", get(grp, "HierarchyGroup", "HierarchyPath", "LevelTwo", "Id"), id("hierarchyGroup", "London"))

	as := do(t, svc, "DescribeAgentStatus", &api.DescribeAgentStatusRequest{InstanceId: &inst, AgentStatusId: ptr(id("agentStatus", "Training"))})
	check("agent status order", get(as, "AgentStatus", "DisplayOrder"), 3.0)
	check("agent status state", get(as, "AgentStatus", "State"), "ENABLED")

	pa := do(t, svc, "DescribePredefinedAttribute", &api.DescribePredefinedAttributeRequest{InstanceId: &inst, Name: ptr("Language")})
	check("predefined values", get(pa, "PredefinedAttribute", "Values", "StringList"), []any{"English", "French", "German"})

	flow := do(t, svc, "DescribeContactFlow", &api.DescribeContactFlowRequest{InstanceId: &inst, ContactFlowId: ptr(id("contactFlow", "To Sales"))})
	content := get(flow, "ContactFlow", "Content").(string)
	if !strings.Contains(content, `"QueueId":"`+id("queue", "Sales")+`"`) || strings.Contains(content, "${") {
		t.Errorf("flow content does not name the Sales queue by id: %s", content)
	}
	check("flow type", get(flow, "ContactFlow", "Type"), "CONTACT_FLOW")
	whisper := do(t, svc, "DescribeContactFlow", &api.DescribeContactFlowRequest{InstanceId: &inst, ContactFlowId: ptr(id("contactFlow", "Outbound Whisper"))})
	var wc map[string]any
	if err := json.Unmarshal([]byte(get(whisper, "ContactFlow", "Content").(string)), &wc); err != nil || wc["StartAction"] != "bye" {
		t.Errorf("inline YAML content not stored as JSON: %v %v", wc, err)
	}
	mod := do(t, svc, "DescribeContactFlowModule", &api.DescribeContactFlowModuleRequest{InstanceId: &inst, ContactFlowModuleId: ptr(id("flowModule", "Greeting"))})
	if c := get(mod, "ContactFlowModule", "Content").(string); !strings.Contains(c, "Thanks for calling") {
		t.Errorf("module content from the YAML file: %s", c)
	}

	pn := do(t, svc, "DescribePhoneNumber", &api.DescribePhoneNumberRequest{PhoneNumberId: ptr(id("phoneNumber", "+12065550100"))})
	check("number status", get(pn, "ClaimedPhoneNumberSummary", "PhoneNumberStatus", "Status"), "CLAIMED")
	check("number instance", get(pn, "ClaimedPhoneNumberSummary", "InstanceId"), inst)
	check("number description", get(pn, "ClaimedPhoneNumberSummary", "PhoneNumberDescription"), "main line")

	sales := id("queue", "Sales")
	q := do(t, svc, "DescribeQueue", &api.DescribeQueueRequest{InstanceId: &inst, QueueId: &sales})
	check("queue hours", get(q, "Queue", "HoursOfOperationId"), id("hoursOfOperation", "Office Hours"))
	check("queue max contacts", get(q, "Queue", "MaxContacts"), 25.0)
	check("queue caller id name", get(q, "Queue", "OutboundCallerConfig", "OutboundCallerIdName"), "Acme Sales")
	check("queue caller id number", get(q, "Queue", "OutboundCallerConfig", "OutboundCallerIdNumberId"), id("phoneNumber", "+12065550101"))
	check("queue outbound flow", get(q, "Queue", "OutboundCallerConfig", "OutboundFlowId"), id("contactFlow", "Outbound Whisper"))
	qqc := do(t, svc, "ListQueueQuickConnects", &api.ListQueueQuickConnectsRequest{InstanceId: &inst, QueueId: &sales})
	check("queue quick connects", get(qqc, "QuickConnectSummaryList", 0, "Id"), id("quickConnect", "Call Support"))

	rpID := id("routingProfile", "Sales Agents")
	rp := do(t, svc, "DescribeRoutingProfile", &api.DescribeRoutingProfileRequest{InstanceId: &inst, RoutingProfileId: &rpID})
	check("routing default outbound queue", get(rp, "RoutingProfile", "DefaultOutboundQueueId"), sales)
	check("routing timer", get(rp, "RoutingProfile", "AgentAvailabilityTimer"), "TIME_SINCE_LAST_ACTIVITY")
	conc := map[string]float64{}
	for _, m := range get(rp, "RoutingProfile", "MediaConcurrencies").([]any) {
		conc[get(m, "Channel").(string)] = get(m, "Concurrency").(float64)
	}
	check("chat concurrency", conc["CHAT"], 2.0)
	rq := do(t, svc, "ListRoutingProfileQueues", &api.ListRoutingProfileQueuesRequest{InstanceId: &inst, RoutingProfileId: &rpID})
	found := false
	for _, c := range get(rq, "RoutingProfileQueueConfigSummaryList").([]any) {
		if get(c, "QueueName") == "Support" && get(c, "Channel") == "VOICE" {
			found = true
			check("support priority", get(c, "Priority"), 2.0)
			check("support delay", get(c, "Delay"), 30.0)
		}
	}
	if n := len(get(rq, "RoutingProfileQueueConfigSummaryList").([]any)); n != 3 || !found {
		t.Errorf("routing profile queues: %d, Support/VOICE found %v", n, found)
	}

	qc := do(t, svc, "DescribeQuickConnect", &api.DescribeQuickConnectRequest{InstanceId: &inst, QuickConnectId: ptr(id("quickConnect", "Ask Mary"))})
	check("user quick connect", get(qc, "QuickConnect", "QuickConnectConfig", "UserConfig", "UserId"), id("user", "mary.major"))
	check("user quick connect flow", get(qc, "QuickConnect", "QuickConnectConfig", "UserConfig", "ContactFlowId"), id("contactFlow", "Agent Transfer"))

	maryID := id("user", "mary.major")
	mary := do(t, svc, "DescribeUser", &api.DescribeUserRequest{InstanceId: &inst, UserId: &maryID})
	check("mary routing profile", get(mary, "User", "RoutingProfileId"), rpID)
	check("mary hierarchy group", get(mary, "User", "HierarchyGroupId"), id("hierarchyGroup", "London Sales"))
	sps := map[any]bool{}
	for _, s := range get(mary, "User", "SecurityProfileIds").([]any) {
		sps[s] = true
	}
	check("mary security profiles", sps, map[any]bool{builtinProfiles["Agent"]: true, spID: true})
	check("mary first name", get(mary, "User", "IdentityInfo", "FirstName"), "Mary")
	check("mary mobile", get(mary, "User", "IdentityInfo", "Mobile"), "+12065550142")
	check("mary phone type", get(mary, "User", "PhoneConfig", "PhoneType"), "SOFT_PHONE")
	perChannel := func(list, key string) map[string]any {
		m := map[string]any{}
		for _, c := range get(mary, "User", list).([]any) {
			m[get(c, "Channel").(string)] = get(c, key)
		}
		return m
	}
	check("mary auto-accept per channel", perChannel("AutoAcceptConfigs", "AutoAccept")["CHAT"], false)
	check("mary ACW on chat", get(perChannel("AfterContactWorkConfigs", "AfterContactWorkConfig")["CHAT"], "AfterContactWorkTimeLimit"), 60.0)
	check("mary voice enhancement", perChannel("VoiceEnhancementConfigs", "VoiceEnhancementMode")["VOICE"], "VOICE_ISOLATION")
	check("mary persistent connection per channel", perChannel("PersistentConnectionConfigs", "PersistentConnection")["VOICE"], true)
	check("mary tags", get(mary, "User", "Tags", "team"), "sales")
	prof := do(t, svc, "ListUserProficiencies", &api.ListUserProficienciesRequest{InstanceId: &inst, UserId: &maryID})
	check("mary proficiency", get(prof, "UserProficiencyList", 0, "AttributeValue"), "French")
	check("mary proficiency level", get(prof, "UserProficiencyList", 0, "Level"), 4.0)

	john := do(t, svc, "DescribeUser", &api.DescribeUserRequest{InstanceId: &inst, UserId: ptr(id("user", "john.doe"))})
	check("john routing profile (the instance's default)", get(john, "User", "RoutingProfileId"), builtinRouting["Basic Routing Profile"])
	check("john desk phone", get(john, "User", "PhoneConfig", "DeskPhoneNumber"), "+12065550143")
	check("john phone type", get(john, "User", "PhoneConfig", "PhoneType"), "DESK_PHONE")
	check("john auto-accept", get(john, "User", "PhoneConfig", "AutoAccept"), true)
	check("john ACW", get(john, "User", "PhoneConfig", "AfterContactWorkTimeLimit"), 45.0)
}

func ptr[T any](v T) *T { return &v }

// The JSON example is the YAML example written as JSON; both give the same
// state, describe for describe (ids count up the same way in both).
func TestYAMLAndJSONGiveTheSameState(t *testing.T) {
	var fromYAML, fromJSON any
	for path, v := range map[string]*any{"testdata/full.yaml": &fromYAML, "testdata/full.json": &fromJSON} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(b, v); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(fromYAML, fromJSON) {
		t.Fatal("testdata/full.json does not hold the same data as testdata/full.yaml")
	}
	svcY, svcJ := newService(t), newService(t)
	resY, resJ := apply(t, svcY, "testdata/full.yaml"), apply(t, svcJ, "testdata/full.json")
	snapY, snapJ := snapshot(t, svcY, resY), snapshot(t, svcJ, resJ)
	// An instance's service role ends in random hex (as Connect's does),
	// whatever the ids: the one value two services cannot share.
	for _, snap := range []map[string]any{snapY, snapJ} {
		inst, _ := get(snap["instance/acme-support"], "describe", 0, "Instance").(map[string]any)
		if inst["ServiceRole"] == nil {
			t.Fatal("the instance describe has no ServiceRole")
		}
		delete(inst, "ServiceRole")
	}
	if len(snapY) == 0 || !reflect.DeepEqual(snapY, snapJ) {
		b1, _ := json.MarshalIndent(snapY, "", " ")
		b2, _ := json.MarshalIndent(snapJ, "", " ")
		t.Fatalf("YAML and JSON states differ:\nyaml: %s\njson: %s", b1, b2)
	}
}

func TestErrorsNameTheFilePosition(t *testing.T) {
	const head = "instances:\n  - alias: err-center\n    identityManagementType: CONNECT_MANAGED\n    inboundCallsEnabled: true\n    outboundCallsEnabled: true\n"
	for _, tc := range []struct {
		name, file, body string
		want             string
		// wantAPI is the modelled error the cause must be, if any.
		wantAPI any
	}{
		{name: "a reference to a missing routing profile", file: "seed.yaml",
			body: head + "    users:\n      - username: a\n        password: Str0ngPassw0rd\n        securityProfiles: [Agent]\n        routingProfile: Sales\n",
			want: `seed.yaml:10:25: routing profile "Sales" (instances[0].users[0].routingProfile) not found`},
		{name: "an unknown field", file: "seed.yaml",
			body: head + "    queues:\n      - name: Q\n        hoursOfOperation: Basic Hours\n        maxContact: 3\n",
			want: `seed.yaml:9:9: unknown field "maxContact" in instances[0].queues[0]`},
		{name: "an unknown field in a generated shape", file: "seed.yaml",
			body: head + "    users:\n      - username: a\n        phoneConfig: {phoneType: SOFT_PHONE, autoAnswer: true}\n",
			want: `seed.yaml:8:46: unknown field "autoAnswer" in instances[0].users[0].phoneConfig`},
		{name: "a wrong type", file: "seed.yaml",
			body: head + "    queues:\n      - name: Q\n        maxContacts: lots\n",
			want: `seed.yaml:8:22: instances[0].queues[0].maxContacts: expected an integer, got "lots"`},
		{name: "a value CreateUser refuses, at the member", file: "seed.yaml",
			body:    head + "    users:\n      - username: a\n        password: Str0ngPassw0rd\n        routingProfile: Basic Routing Profile\n        securityProfiles: [Agent]\n        phoneConfig: {phoneType: SOFT_PHONE, afterContactWorkTimeLimit: -1}\n",
			want:    `seed.yaml:11:73: instances[0].users[0]: CreateUser: ValidationException: 1 validation error detected: Value '-1' at 'phoneConfig.afterContactWorkTimeLimit' failed to satisfy constraint: Member must have value greater than or equal to 0`,
			wantAPI: &api.ValidationError{}},
		{name: "a reference in JSON", file: "seed.json",
			body: `{"instances": [{"alias": "err-center", "identityManagementType": "CONNECT_MANAGED",
  "inboundCallsEnabled": true, "outboundCallsEnabled": true,
  "queues": [{"name": "Q", "hoursOfOperation": "Night"}]}]}`,
			want: `seed.json:3:48: hours of operation "Night" (instances[0].queues[0].hoursOfOperation) not found`},
		{name: "an unknown field in JSON", file: "seed.json",
			body: `{"instances": [{"alias": "err-center", "colour": "blue"}]}`,
			want: `seed.json:1:40: unknown field "colour" in instances[0]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc := newService(t)
			_, err := seed.Apply(context.Background(), svc, switchboard.Scope{}, []byte(tc.body), tc.file)
			if err == nil {
				t.Fatal("applied without error")
			}
			if err.Error() != tc.want {
				t.Fatalf("error\n got: %s\nwant: %s", err, tc.want)
			}
			var se *seed.Error
			if !errors.As(err, &se) || se.File != tc.file {
				t.Fatalf("error is not a *seed.Error for %s: %#v", tc.file, err)
			}
			if tc.wantAPI != nil {
				target := reflect.New(reflect.TypeOf(tc.wantAPI))
				if !errors.As(err, target.Interface()) {
					t.Errorf("the cause is not a %T", tc.wantAPI)
				}
			}
		})
	}
}

// A name the file declares twice is refused at the second entry.
func TestDuplicateNamesAreRefused(t *testing.T) {
	body := "instances:\n  - alias: dup\n    identityManagementType: CONNECT_MANAGED\n    inboundCallsEnabled: true\n    outboundCallsEnabled: true\n    agentStatuses:\n      - {name: Lunch, state: ENABLED}\n      - {name: Lunch, state: DISABLED}\n"
	_, err := seed.Apply(context.Background(), newService(t), switchboard.Scope{}, []byte(body), "dup.yaml")
	want := `dup.yaml:8:9: agent status "Lunch" is declared twice (first at instances[0].agentStatuses[0])`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
}

// contentFile is read relative to the seed file, wherever the caller runs.
func TestContentFileIsRelativeToTheSeedFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "flows"), 0o755); err != nil {
		t.Fatal(err)
	}
	hang := `{"Version":"2019-10-30","StartAction":"bye","Actions":[{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`
	if err := os.WriteFile(filepath.Join(dir, "flows", "hang.json"), []byte(hang), 0o644); err != nil {
		t.Fatal(err)
	}
	body := "instances:\n  - alias: rel\n    identityManagementType: CONNECT_MANAGED\n    inboundCallsEnabled: true\n    outboundCallsEnabled: true\n    contactFlows:\n      - {name: Hang, type: CONTACT_FLOW, contentFile: flows/hang.json}\n"
	path := filepath.Join(dir, "seed.yaml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	svc := newService(t)
	res := apply(t, svc, path)
	inst := res.ID("rel", "instance", "rel")
	flow := do(t, svc, "DescribeContactFlow", &api.DescribeContactFlowRequest{InstanceId: &inst, ContactFlowId: ptr(res.ID("rel", "contactFlow", "Hang"))})
	if got := get(flow, "ContactFlow", "Content"); got != hang {
		t.Fatalf("content = %v, want the file's", got)
	}
}
