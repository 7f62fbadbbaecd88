package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/internal/server"
)

// answer is one successful response as it was on the wire.
type answer struct {
	op   *api.Operation
	body []byte
}

// recorder keeps every successful answer a server sends, with the
// operation it answered.
type recorder struct {
	mu      sync.Mutex
	answers []answer
}

func (r *recorder) wrap(h http.Handler) http.Handler {
	rs := h.(interface { // restjson.Server's Route, through server.New's wrapper
		Route(method, escapedPath string) (*api.Operation, map[string]string, bool)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		tee := &teeWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(tee, req)
		op, _, ok := rs.Route(req.Method, req.URL.EscapedPath())
		if !ok || tee.status/100 != 2 {
			return
		}
		r.mu.Lock()
		r.answers = append(r.answers, answer{op, tee.body.Bytes()})
		r.mu.Unlock()
	})
}

// last returns the body of the most recent answer to op.
func (r *recorder) last(t *testing.T, op string) map[string]any {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.answers) - 1; i >= 0; i-- {
		if r.answers[i].op.Name == op {
			var v map[string]any
			if err := json.Unmarshal(r.answers[i].body, &v); err != nil {
				t.Fatalf("%s answered %s: %v", op, r.answers[i].body, err)
			}
			return v
		}
	}
	t.Fatalf("no answer to %s was recorded", op)
	return nil
}

type teeWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (w *teeWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *teeWriter) Write(b []byte) (int, error) {
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

// missingAlwaysSent walks a decoded answer along the output shape's Go type
// and returns the path of every member api.AlwaysSent names that the
// answer lacks or sends as null.
func missingAlwaysSent(v any, t reflect.Type, path string) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []string
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return nil // a timestamp, or a member not sent
		}
		for _, name := range api.AlwaysSent[t.Name()] {
			if x, ok := obj[name]; !ok || x == nil {
				out = append(out, path+"."+name)
			}
		}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if x, ok := obj[name]; ok && name != "-" {
				out = append(out, missingAlwaysSent(x, f.Type, path+"."+name)...)
			}
		}
	case reflect.Slice:
		xs, _ := v.([]any)
		for i, x := range xs {
			out = append(out, missingAlwaysSent(x, t.Elem(), fmt.Sprintf("%s[%d]", path, i))...)
		}
	case reflect.Map:
		m, _ := v.(map[string]any)
		for k, x := range m {
			out = append(out, missingAlwaysSent(x, t.Elem(), path+"."+k)...)
		}
	}
	return out
}

// TestMissingAlwaysSentFindsGaps proves the walk can fail: it finds a
// member the table names at the top, inside a structure, inside a list,
// and sent as null.
func TestMissingAlwaysSentFindsGaps(t *testing.T) {
	out := reflect.TypeOf(&api.SearchUsersResponse{})
	cases := map[string]struct {
		body string
		want []string
	}{
		"complete":             {`{"Users":[{"Tags":{},"PhoneConfig":{"PhoneType":"SOFT_PHONE","AutoAccept":false,"AfterContactWorkTimeLimit":0,"DeskPhoneNumber":""}}],"ApproximateTotalCount":1}`, nil},
		"no result list":       {`{"ApproximateTotalCount":0}`, []string{".Users"}},
		"null count":           {`{"Users":[],"ApproximateTotalCount":null}`, []string{".ApproximateTotalCount"}},
		"no tags in a result":  {`{"Users":[{}],"ApproximateTotalCount":1}`, []string{".Users[0].Tags"}},
		"nested default unset": {`{"Users":[{"Tags":{},"PhoneConfig":{"PhoneType":"SOFT_PHONE","AutoAccept":false,"AfterContactWorkTimeLimit":0}}],"ApproximateTotalCount":1}`, []string{".Users[0].PhoneConfig.DeskPhoneNumber"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var v any
			if err := json.Unmarshal([]byte(tc.body), &v); err != nil {
				t.Fatal(err)
			}
			got := missingAlwaysSent(v, out, "")
			sort.Strings(got)
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("missing %v, want %v", got, tc.want)
			}
		})
	}
}

// TestEveryAnswerSendsWhatAlwaysSentNames calls every implemented operation
// that has an output through aws-sdk-go-v2, with resources both bare and
// filled in and with searches and lists that find nothing, and checks each
// raw answer against the always-sent table (internal/apigen/alwayssent.txt).
func TestEveryAnswerSendsWhatAlwaysSentNames(t *testing.T) {
	rec := &recorder{}
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{wrap: rec.wrap})
	f.lookup(t)
	c := ctx(t)

	// Empty answers first: a region with no instance, an instance with no
	// users or hierarchy, resources with nothing associated or tagged.
	other := newClient(f.url, "test", "test", "eu-west-3")
	call(other.ListInstances(c, &connect.ListInstancesInput{})).must(t)
	call(f.client.ListUsers(c, &connect.ListUsersInput{InstanceId: &f.instance})).must(t)
	call(f.client.ListUserHierarchyGroups(c, &connect.ListUserHierarchyGroupsInput{InstanceId: &f.instance})).must(t)
	call(f.client.DescribeUserHierarchyStructure(c, &connect.DescribeUserHierarchyStructureInput{InstanceId: &f.instance})).must(t)
	call(f.client.ListQueues(c, &connect.ListQueuesInput{InstanceId: &f.instance, QueueTypes: []types.QueueType{types.QueueTypeAgent}})).must(t)
	call(f.client.ListQuickConnects(c, &connect.ListQuickConnectsInput{InstanceId: &f.instance})).must(t)
	call(f.client.ListQueueQuickConnects(c, &connect.ListQueueQuickConnectsInput{InstanceId: &f.instance, QueueId: &f.queue})).must(t)
	bareSP := *call(f.client.CreateSecurityProfile(c, &connect.CreateSecurityProfileInput{InstanceId: &f.instance, SecurityProfileName: aws.String("bare")})).must(t).SecurityProfileId
	call(f.client.ListSecurityProfilePermissions(c, &connect.ListSecurityProfilePermissionsInput{InstanceId: &f.instance, SecurityProfileId: &bareSP})).must(t)
	call(f.client.DescribeSecurityProfile(c, &connect.DescribeSecurityProfileInput{InstanceId: &f.instance, SecurityProfileId: &bareSP})).must(t)
	bareRP := f.newRoutingProfile(t, "bare", f.queue)
	call(f.client.ListRoutingProfileQueues(c, &connect.ListRoutingProfileQueuesInput{InstanceId: &f.instance, RoutingProfileId: &bareRP})).must(t)
	call(f.client.DescribeRoutingProfile(c, &connect.DescribeRoutingProfileInput{InstanceId: &f.instance, RoutingProfileId: &bareRP})).must(t)
	call(f.client.ListTagsForResource(c, &connect.ListTagsForResourceInput{ResourceArn: aws.String(arnOf(f, "routing-profile", bareRP))})).must(t)
	nothing := aws.String("no such thing")
	call(f.client.SearchUsers(c, &connect.SearchUsersInput{InstanceId: &f.instance})).must(t)
	call(f.client.SearchQueues(c, &connect.SearchQueuesInput{InstanceId: &f.instance, SearchCriteria: &types.QueueSearchCriteria{
		StringCondition: &types.StringCondition{FieldName: aws.String("name"), Value: nothing, ComparisonType: types.StringComparisonTypeExact}}})).must(t)
	call(f.client.SearchQuickConnects(c, &connect.SearchQuickConnectsInput{InstanceId: &f.instance})).must(t)
	call(f.client.SearchRoutingProfiles(c, &connect.SearchRoutingProfilesInput{InstanceId: &f.instance, SearchCriteria: &types.RoutingProfileSearchCriteria{
		StringCondition: &types.StringCondition{FieldName: aws.String("name"), Value: nothing, ComparisonType: types.StringComparisonTypeExact}}})).must(t)
	call(f.client.SearchSecurityProfiles(c, &connect.SearchSecurityProfilesInput{InstanceId: &f.instance, SearchCriteria: &types.SecurityProfileSearchCriteria{
		StringCondition: &types.StringCondition{FieldName: aws.String("name"), Value: nothing, ComparisonType: types.StringComparisonTypeExact}}})).must(t)
	call(f.client.SearchHoursOfOperations(c, &connect.SearchHoursOfOperationsInput{InstanceId: &f.instance, SearchCriteria: &types.HoursOfOperationSearchCriteria{
		StringCondition: &types.StringCondition{FieldName: aws.String("name"), Value: nothing, ComparisonType: types.StringComparisonTypeExact}}})).must(t)
	call(f.client.SearchUserHierarchyGroups(c, &connect.SearchUserHierarchyGroupsInput{InstanceId: &f.instance})).must(t)
	for op, member := range map[string]string{
		"ListInstances": "InstanceSummaryList", "ListUsers": "UserSummaryList", "ListUserHierarchyGroups": "UserHierarchyGroupSummaryList",
		"ListQueues": "QueueSummaryList", "ListQuickConnects": "QuickConnectSummaryList", "ListQueueQuickConnects": "QuickConnectSummaryList",
		"ListSecurityProfilePermissions": "Permissions", "ListRoutingProfileQueues": "RoutingProfileQueueConfigSummaryList",
		"SearchUsers": "Users", "SearchQueues": "Queues", "SearchQuickConnects": "QuickConnects", "SearchRoutingProfiles": "RoutingProfiles",
		"SearchSecurityProfiles": "SecurityProfiles", "SearchHoursOfOperations": "HoursOfOperations", "SearchUserHierarchyGroups": "UserHierarchyGroups",
	} {
		if got, ok := rec.last(t, op)[member].([]any); !ok || len(got) != 0 {
			t.Errorf("%s with nothing to list: %s = %#v, want []", op, member, rec.last(t, op)[member])
		}
		if strings.HasPrefix(op, "Search") && rec.last(t, op)["ApproximateTotalCount"] != float64(0) {
			t.Errorf("%s with nothing found: ApproximateTotalCount %v, want 0", op, rec.last(t, op)["ApproximateTotalCount"])
		}
	}
	if got, ok := rec.last(t, "ListTagsForResource")["tags"].(map[string]any); !ok || len(got) != 0 {
		t.Errorf("ListTagsForResource of an untagged resource: %s", mustJSON(rec.last(t, "ListTagsForResource")))
	}

	// Then everything filled in, so nested members are walked too.
	call(f.client.UpdateUserHierarchyStructure(c, &connect.UpdateUserHierarchyStructureInput{InstanceId: &f.instance, HierarchyStructure: &types.HierarchyStructureUpdate{
		LevelOne: &types.HierarchyLevelUpdate{Name: aws.String("Region")}, LevelTwo: &types.HierarchyLevelUpdate{Name: aws.String("Team")}}})).must(t)
	top := *call(f.client.CreateUserHierarchyGroup(c, &connect.CreateUserHierarchyGroupInput{InstanceId: &f.instance, Name: aws.String("EMEA")})).must(t).HierarchyGroupId
	team := *call(f.client.CreateUserHierarchyGroup(c, &connect.CreateUserHierarchyGroupInput{InstanceId: &f.instance, Name: aws.String("Paris"), ParentGroupId: &top,
		Tags: map[string]string{"site": "paris"}})).must(t).HierarchyGroupId
	hours := f.newHours(t, "Support hours")
	queue := f.newQueue(t, "Support", hours)
	rp := f.newRoutingProfile(t, "Support", queue, qc(queue, types.ChannelVoice, 1, 0))
	sp := *call(f.client.CreateSecurityProfile(c, &connect.CreateSecurityProfileInput{InstanceId: &f.instance, SecurityProfileName: aws.String("Leads"),
		Permissions: []string{"BasicAgentAccess"}, Tags: map[string]string{"team": "red"}})).must(t).SecurityProfileId
	soft := f.user("soft.phone")
	soft.HierarchyGroupId = &team
	softID := f.create(t, soft)
	desk := f.user("desk.phone")
	desk.PhoneConfig = &types.UserPhoneConfig{PhoneType: types.PhoneTypeDeskPhone, DeskPhoneNumber: aws.String("+15555550100"), AutoAccept: true, AfterContactWorkTimeLimit: 30}
	desk.Tags = map[string]string{"k": "v"}
	deskID := f.create(t, desk)
	qcID := f.newQuickConnect(t, "To Mary", f.userQC(softID))
	call(f.client.AssociateQueueQuickConnects(c, &connect.AssociateQueueQuickConnectsInput{InstanceId: &f.instance, QueueId: &queue, QuickConnectIds: []string{qcID}})).must(t)

	call(f.client.DescribeInstance(c, &connect.DescribeInstanceInput{InstanceId: &f.instance})).must(t)
	call(f.client.ListInstances(c, &connect.ListInstancesInput{})).must(t)
	// Contact flows, every operation that answers.
	flowID := *call(f.client.CreateContactFlow(c, &connect.CreateContactFlowInput{InstanceId: &f.instance, Name: aws.String("Campaign"), Type: types.ContactFlowTypeCampaign, Content: aws.String(hangUp)})).must(t).ContactFlowId
	call(f.client.ListContactFlowVersions(c, &connect.ListContactFlowVersionsInput{InstanceId: &f.instance, ContactFlowId: &flowID})).must(t)
	if got := rec.last(t, "ListContactFlowVersions"); mustJSON(got["ContactFlowVersionSummaryList"]) != "[]" {
		t.Errorf("ListContactFlowVersions of a flow without versions: %s", mustJSON(got))
	}
	call(f.client.DescribeContactFlow(c, &connect.DescribeContactFlowInput{InstanceId: &f.instance, ContactFlowId: &flowID})).must(t)
	call(f.client.SearchContactFlows(c, &connect.SearchContactFlowsInput{InstanceId: &f.instance})).must(t)
	call(f.client.UpdateContactFlowContent(c, &connect.UpdateContactFlowContentInput{InstanceId: &f.instance, ContactFlowId: &flowID, Content: aws.String(hangUp)})).must(t)
	call(f.client.UpdateContactFlowName(c, &connect.UpdateContactFlowNameInput{InstanceId: &f.instance, ContactFlowId: &flowID, Name: aws.String("Campaign 2")})).must(t)
	call(f.client.UpdateContactFlowMetadata(c, &connect.UpdateContactFlowMetadataInput{InstanceId: &f.instance, ContactFlowId: &flowID, Description: aws.String("d")})).must(t)
	call(f.client.CreateContactFlowVersion(c, &connect.CreateContactFlowVersionInput{InstanceId: &f.instance, ContactFlowId: &flowID})).must(t)
	call(f.client.ListContactFlowVersions(c, &connect.ListContactFlowVersionsInput{InstanceId: &f.instance, ContactFlowId: &flowID})).must(t)
	call(f.client.DeleteContactFlowVersion(c, &connect.DeleteContactFlowVersionInput{InstanceId: &f.instance, ContactFlowId: &flowID, ContactFlowVersion: aws.Int64(1)})).must(t)
	call(f.client.DeleteContactFlow(c, &connect.DeleteContactFlowInput{InstanceId: &f.instance, ContactFlowId: &flowID})).must(t)
	// Agent statuses and who is logged in: nobody first, then one agent.
	call(f.client.GetCurrentUserData(c, &connect.GetCurrentUserDataInput{InstanceId: &f.instance, Filters: &types.UserDataFilters{Agents: []string{softID}}})).must(t)
	if got := rec.last(t, "GetCurrentUserData"); mustJSON(got["UserDataList"]) != "[]" || got["ApproximateTotalCount"] != float64(0) {
		t.Errorf("GetCurrentUserData with nobody logged in: %s", mustJSON(got))
	}
	lunch := *call(f.client.CreateAgentStatus(c, &connect.CreateAgentStatusInput{InstanceId: &f.instance, Name: aws.String("Lunch"), State: types.AgentStatusStateEnabled})).must(t).AgentStatusId
	call(f.client.DescribeAgentStatus(c, &connect.DescribeAgentStatusInput{InstanceId: &f.instance, AgentStatusId: &lunch})).must(t)
	call(f.client.ListAgentStatuses(c, &connect.ListAgentStatusesInput{InstanceId: &f.instance})).must(t)
	call(f.client.SearchAgentStatuses(c, &connect.SearchAgentStatusesInput{InstanceId: &f.instance})).must(t)
	call(f.client.PutUserStatus(c, &connect.PutUserStatusInput{InstanceId: &f.instance, UserId: &softID, AgentStatusId: &lunch})).must(t)
	call(f.client.GetCurrentUserData(c, &connect.GetCurrentUserDataInput{InstanceId: &f.instance, Filters: &types.UserDataFilters{Agents: []string{softID}}})).must(t)
	call(f.client.ListInstanceAttributes(c, &connect.ListInstanceAttributesInput{InstanceId: &f.instance})).must(t)
	call(f.client.DescribeInstanceAttribute(c, &connect.DescribeInstanceAttributeInput{InstanceId: &f.instance, AttributeType: types.InstanceAttributeTypeContactflowLogs})).must(t)
	for _, id := range []string{softID, deskID} {
		call(f.client.DescribeUser(c, &connect.DescribeUserInput{InstanceId: &f.instance, UserId: aws.String(id)})).must(t)
	}
	call(f.client.ListUsers(c, &connect.ListUsersInput{InstanceId: &f.instance})).must(t)
	call(f.client.SearchUsers(c, &connect.SearchUsersInput{InstanceId: &f.instance})).must(t)
	call(f.client.DescribeUserHierarchyStructure(c, &connect.DescribeUserHierarchyStructureInput{InstanceId: &f.instance})).must(t)
	call(f.client.DescribeUserHierarchyGroup(c, &connect.DescribeUserHierarchyGroupInput{InstanceId: &f.instance, HierarchyGroupId: &team})).must(t)
	call(f.client.ListUserHierarchyGroups(c, &connect.ListUserHierarchyGroupsInput{InstanceId: &f.instance})).must(t)
	call(f.client.SearchUserHierarchyGroups(c, &connect.SearchUserHierarchyGroupsInput{InstanceId: &f.instance})).must(t)
	call(f.client.DescribeHoursOfOperation(c, &connect.DescribeHoursOfOperationInput{InstanceId: &f.instance, HoursOfOperationId: &hours})).must(t)
	call(f.client.ListHoursOfOperations(c, &connect.ListHoursOfOperationsInput{InstanceId: &f.instance})).must(t)
	call(f.client.SearchHoursOfOperations(c, &connect.SearchHoursOfOperationsInput{InstanceId: &f.instance})).must(t)
	call(f.client.DescribeQueue(c, &connect.DescribeQueueInput{InstanceId: &f.instance, QueueId: &queue})).must(t)
	call(f.client.DescribeQueue(c, &connect.DescribeQueueInput{InstanceId: &f.instance, QueueId: &softID})).must(t) // an AGENT queue
	call(f.client.ListQueues(c, &connect.ListQueuesInput{InstanceId: &f.instance})).must(t)
	call(f.client.SearchQueues(c, &connect.SearchQueuesInput{InstanceId: &f.instance})).must(t)
	call(f.client.ListQueueQuickConnects(c, &connect.ListQueueQuickConnectsInput{InstanceId: &f.instance, QueueId: &queue})).must(t)
	call(f.client.DescribeQuickConnect(c, &connect.DescribeQuickConnectInput{InstanceId: &f.instance, QuickConnectId: &qcID})).must(t)
	call(f.client.ListQuickConnects(c, &connect.ListQuickConnectsInput{InstanceId: &f.instance})).must(t)
	call(f.client.SearchQuickConnects(c, &connect.SearchQuickConnectsInput{InstanceId: &f.instance})).must(t)
	call(f.client.DescribeRoutingProfile(c, &connect.DescribeRoutingProfileInput{InstanceId: &f.instance, RoutingProfileId: &rp})).must(t)
	call(f.client.ListRoutingProfiles(c, &connect.ListRoutingProfilesInput{InstanceId: &f.instance})).must(t)
	call(f.client.ListRoutingProfileQueues(c, &connect.ListRoutingProfileQueuesInput{InstanceId: &f.instance, RoutingProfileId: &rp})).must(t)
	call(f.client.SearchRoutingProfiles(c, &connect.SearchRoutingProfilesInput{InstanceId: &f.instance})).must(t)
	call(f.client.DescribeSecurityProfile(c, &connect.DescribeSecurityProfileInput{InstanceId: &f.instance, SecurityProfileId: &sp})).must(t)
	call(f.client.ListSecurityProfiles(c, &connect.ListSecurityProfilesInput{InstanceId: &f.instance})).must(t)
	call(f.client.ListSecurityProfilePermissions(c, &connect.ListSecurityProfilePermissionsInput{InstanceId: &f.instance, SecurityProfileId: &sp})).must(t)
	// Flow modules: empty answers, then a module with a version and an alias.
	call(f.client.ListContactFlowModules(c, &connect.ListContactFlowModulesInput{InstanceId: &f.instance})).must(t)
	call(f.client.SearchContactFlowModules(c, &connect.SearchContactFlowModulesInput{InstanceId: &f.instance})).must(t)
	for op, member := range map[string]string{"ListContactFlowModules": "ContactFlowModulesSummaryList", "SearchContactFlowModules": "ContactFlowModules"} {
		if got, ok := rec.last(t, op)[member].([]any); !ok || len(got) != 0 {
			t.Errorf("%s with nothing to list: %s = %#v, want []", op, member, rec.last(t, op)[member])
		}
	}
	module := *call(f.client.CreateContactFlowModule(c, &connect.CreateContactFlowModuleInput{InstanceId: &f.instance, Name: aws.String("Module"),
		Content: aws.String(moduleContent("hi"))})).must(t).Id
	call(f.client.ListContactFlowModuleVersions(c, &connect.ListContactFlowModuleVersionsInput{InstanceId: &f.instance, ContactFlowModuleId: &module})).must(t)
	call(f.client.ListContactFlowModuleAliases(c, &connect.ListContactFlowModuleAliasesInput{InstanceId: &f.instance, ContactFlowModuleId: &module})).must(t)
	for op, member := range map[string]string{"ListContactFlowModuleVersions": "ContactFlowModuleVersionSummaryList", "ListContactFlowModuleAliases": "ContactFlowModuleAliasSummaryList"} {
		if got, ok := rec.last(t, op)[member].([]any); !ok || len(got) != 0 {
			t.Errorf("%s with nothing to list: %s = %#v, want []", op, member, rec.last(t, op)[member])
		}
	}
	call(f.client.CreateContactFlowModuleVersion(c, &connect.CreateContactFlowModuleVersionInput{InstanceId: &f.instance, ContactFlowModuleId: &module})).must(t)
	moduleAlias := *call(f.client.CreateContactFlowModuleAlias(c, &connect.CreateContactFlowModuleAliasInput{InstanceId: &f.instance, ContactFlowModuleId: &module,
		AliasName: aws.String("live"), ContactFlowModuleVersion: aws.Int64(1)})).must(t).Id
	call(f.client.DescribeContactFlowModule(c, &connect.DescribeContactFlowModuleInput{InstanceId: &f.instance, ContactFlowModuleId: &module})).must(t)
	call(f.client.DescribeContactFlowModuleAlias(c, &connect.DescribeContactFlowModuleAliasInput{InstanceId: &f.instance, ContactFlowModuleId: &module, AliasId: &moduleAlias})).must(t)
	call(f.client.ListContactFlowModules(c, &connect.ListContactFlowModulesInput{InstanceId: &f.instance})).must(t)
	call(f.client.SearchContactFlowModules(c, &connect.SearchContactFlowModulesInput{InstanceId: &f.instance})).must(t)
	call(f.client.ListContactFlowModuleVersions(c, &connect.ListContactFlowModuleVersionsInput{InstanceId: &f.instance, ContactFlowModuleId: &module})).must(t)
	call(f.client.ListContactFlowModuleAliases(c, &connect.ListContactFlowModuleAliasesInput{InstanceId: &f.instance, ContactFlowModuleId: &module})).must(t)
	call(f.client.UpdateContactFlowModuleContent(c, &connect.UpdateContactFlowModuleContentInput{InstanceId: &f.instance, ContactFlowModuleId: &module, Content: aws.String(moduleContent("bye"))})).must(t)
	call(f.client.UpdateContactFlowModuleMetadata(c, &connect.UpdateContactFlowModuleMetadataInput{InstanceId: &f.instance, ContactFlowModuleId: &module, Description: aws.String("d")})).must(t)
	call(f.client.CreateContactFlowModuleVersion(c, &connect.CreateContactFlowModuleVersionInput{InstanceId: &f.instance, ContactFlowModuleId: &module})).must(t)
	call(f.client.UpdateContactFlowModuleAlias(c, &connect.UpdateContactFlowModuleAliasInput{InstanceId: &f.instance, ContactFlowModuleId: &module, AliasId: &moduleAlias, ContactFlowModuleVersion: aws.Int64(2)})).must(t)
	call(f.client.DeleteContactFlowModuleVersion(c, &connect.DeleteContactFlowModuleVersionInput{InstanceId: &f.instance, ContactFlowModuleId: &module, ContactFlowModuleVersion: aws.Int64(1)})).must(t)
	call(f.client.DeleteContactFlowModuleAlias(c, &connect.DeleteContactFlowModuleAliasInput{InstanceId: &f.instance, ContactFlowModuleId: &module, AliasId: &moduleAlias})).must(t)
	call(f.client.DeleteContactFlowModule(c, &connect.DeleteContactFlowModuleInput{InstanceId: &f.instance, ContactFlowModuleId: &module})).must(t)
	call(f.client.SearchSecurityProfiles(c, &connect.SearchSecurityProfilesInput{InstanceId: &f.instance})).must(t)
	call(f.client.ListTagsForResource(c, &connect.ListTagsForResourceInput{ResourceArn: aws.String(arnOf(f, "agent", deskID))})).must(t)

	// Predefined attributes and proficiencies: empty answers, then filled.
	call(f.client.ListPredefinedAttributes(c, &connect.ListPredefinedAttributesInput{InstanceId: &f.instance})).must(t)
	call(f.client.SearchPredefinedAttributes(c, &connect.SearchPredefinedAttributesInput{InstanceId: &f.instance})).must(t)
	call(f.client.ListUserProficiencies(c, &connect.ListUserProficienciesInput{InstanceId: &f.instance, UserId: &softID})).must(t)
	for op, member := range map[string]string{"ListPredefinedAttributes": "PredefinedAttributeSummaryList", "SearchPredefinedAttributes": "PredefinedAttributes",
		"ListUserProficiencies": "UserProficiencyList"} {
		if got, ok := rec.last(t, op)[member].([]any); !ok || len(got) != 0 {
			t.Errorf("%s with nothing to list: %s = %#v, want []", op, member, rec.last(t, op)[member])
		}
	}
	if got := rec.last(t, "SearchPredefinedAttributes")["ApproximateTotalCount"]; got != float64(0) {
		t.Errorf("SearchPredefinedAttributes with nothing found: ApproximateTotalCount %v, want 0", got)
	}
	call(f.client.CreatePredefinedAttribute(c, &connect.CreatePredefinedAttributeInput{InstanceId: &f.instance, Name: aws.String("Bare")})).must(t)
	call(f.client.CreatePredefinedAttribute(c, &connect.CreatePredefinedAttributeInput{InstanceId: &f.instance, Name: aws.String("Language"),
		Values: &types.PredefinedAttributeValuesMemberStringList{Value: []string{"English", "French"}}, Purposes: []string{"proficiency"},
		AttributeConfiguration: &types.InputPredefinedAttributeConfiguration{EnableValueValidationOnAssociation: true}})).must(t)
	call(f.client.AssociateUserProficiencies(c, &connect.AssociateUserProficienciesInput{InstanceId: &f.instance, UserId: &softID,
		UserProficiencies: []types.UserProficiency{{AttributeName: aws.String("Language"), AttributeValue: aws.String("French"), Level: aws.Float32(3)}}})).must(t)
	for _, name := range []string{"Bare", "Language"} {
		call(f.client.DescribePredefinedAttribute(c, &connect.DescribePredefinedAttributeInput{InstanceId: &f.instance, Name: aws.String(name)})).must(t)
	}
	call(f.client.ListPredefinedAttributes(c, &connect.ListPredefinedAttributesInput{InstanceId: &f.instance})).must(t)
	call(f.client.SearchPredefinedAttributes(c, &connect.SearchPredefinedAttributesInput{InstanceId: &f.instance})).must(t)
	call(f.client.ListUserProficiencies(c, &connect.ListUserProficienciesInput{InstanceId: &f.instance, UserId: &softID})).must(t)

	// Phone numbers, prompts, integrations and storage configs (issue 17),
	// each from its own file.
	callPhoneNumberOperations(t, f, rec)
	callPromptOperations(t, f, rec)
	callIntegrationOperations(t, f, rec)
	callStorageConfigOperations(t, f, rec)
	callContactOperations(t, f, rec)

	// Every operation with an output has been answered at least once, and
	// no answer lacks a member the table names.
	_, svc := server.New(server.Config{})
	byName := map[string]*api.Operation{}
	for _, op := range api.Operations {
		byName[op.Name] = op
	}
	seen := map[string]int{}
	rec.mu.Lock()
	for _, a := range rec.answers {
		seen[a.op.Name]++
		var v any
		if err := json.Unmarshal(a.body, &v); err != nil {
			t.Errorf("%s answered %s: %v", a.op.Name, a.body, err)
			continue
		}
		if a.op.NewOutput == nil {
			continue
		}
		for _, m := range missingAlwaysSent(v, reflect.TypeOf(a.op.NewOutput()), "") {
			t.Errorf("%s: %s is missing from %s", a.op.Name, m, a.body)
		}
	}
	rec.mu.Unlock()
	for _, name := range svc.Implemented() {
		if byName[name].NewOutput != nil && seen[name] == 0 {
			t.Errorf("%s has an output but was never called here", name)
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
