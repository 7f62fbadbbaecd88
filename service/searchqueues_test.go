package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/service"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

// TestSearchQueuesAcrossPages: SearchQueues in an instance whose users imply
// their AGENT queues reads stored and implied queues a page at a time (the
// store is never asked for all of them at once) and must still answer as
// one merged, creation-ordered list: here 2,150 users with STANDARD queues
// created among them, across the service's internal pages, walked with
// small MaxResults. The long-lived store (users listed by their summaries)
// must answer exactly what a service over the plain Store interface (full
// records) answers, for every criteria and filter tried.
func TestSearchQueuesAcrossPages(t *testing.T) {
	if testing.Short() {
		t.Skip("2,150 users")
	}
	path := filepath.Join(t.TempDir(), "switchboard.db")
	st, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	quotas := service.Quotas{UsersPerInstance: 5000}
	svc, plain := service.New(service.Config{Store: st, Quotas: quotas}), service.New(service.Config{Store: plainStore{st}, Quotas: quotas})
	ctx := switchboard.WithScope(context.Background(), switchboard.Scope{Account: "000000000000", Region: "us-east-1"})
	must := func(op string, in api.Request) any {
		t.Helper()
		out, err := svc.Handlers()[op](ctx, in)
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		return out
	}
	inst := *must("CreateInstance", &api.CreateInstanceRequest{IdentityManagementType: p("CONNECT_MANAGED"), InstanceAlias: p("queues"),
		InboundCallsEnabled: p(true), OutboundCallsEnabled: p(true)}).(*api.CreateInstanceResponse).Id
	rp := *must("ListRoutingProfiles", &api.ListRoutingProfilesRequest{InstanceId: &inst}).(*api.ListRoutingProfilesResponse).RoutingProfileSummaryList[0].Id
	sp := *must("ListSecurityProfiles", &api.ListSecurityProfilesRequest{InstanceId: &inst}).(*api.ListSecurityProfilesResponse).SecurityProfileSummaryList[0].Id
	hours := *must("ListHoursOfOperations", &api.ListHoursOfOperationsRequest{InstanceId: &inst}).(*api.ListHoursOfOperationsResponse).HoursOfOperationSummaryList[0].Id
	queues := must("ListQueues", &api.ListQueuesRequest{InstanceId: &inst}).(*api.ListQueuesResponse).QueueSummaryList
	var order []string // every queue id in creation order
	for _, q := range queues {
		order = append(order, *q.Id)
	}
	var users, standard []string
	for i := range 2150 {
		out := must("CreateUser", &api.CreateUserRequest{InstanceId: &inst, Username: p(fmt.Sprintf("user%04d", i)), Password: p("Str0ngPassw0rd"),
			IdentityInfo: &api.UserIdentityInfo{FirstName: p("Ann"), LastName: p("Lee")}, RoutingProfileId: &rp, SecurityProfileIds: []string{sp},
			PhoneConfig: &api.UserPhoneConfig{PhoneType: p("SOFT_PHONE")}}).(*api.CreateUserResponse)
		users = append(users, *out.UserId)
		order = append(order, *out.UserId)
		if i == 0 || i == 999 || i == 1000 || i == 1500 || i == 2149 {
			q := must("CreateQueue", &api.CreateQueueRequest{InstanceId: &inst, Name: p(fmt.Sprintf("standard-%d", i)), HoursOfOperationId: &hours,
				Tags: map[string]string{"kind": "standard"}}).(*api.CreateQueueResponse)
			standard = append(standard, *q.QueueId)
			order = append(order, *q.QueueId)
		}
	}
	tagged := users[1700]
	must("TagResource", &api.TagResourceRequest{ResourceArn: p(fmt.Sprintf("arn:aws:connect:us-east-1:000000000000:instance/%s/queue/agent/%s", inst, tagged)),
		Tags: map[string]string{"kind": "agent"}})
	must("DeleteUser", &api.DeleteUserRequest{InstanceId: &inst, UserId: &users[1001]})
	order = slices.DeleteFunc(order, func(id string) bool { return id == users[1001] })

	// walk returns every queue id a search finds, page by page, and its
	// ApproximateTotalCount; through both services, which must agree page
	// for page.
	walk := func(step string, crit *api.QueueSearchCriteria, filter *api.QueueSearchFilter, max int32) ([]string, int64, []api.Queue) {
		t.Helper()
		var ids []string
		var all []api.Queue
		var total int64
		var token *string
		for {
			in := &api.SearchQueuesRequest{InstanceId: &inst, SearchCriteria: crit, SearchFilter: filter, MaxResults: &max, NextToken: token}
			got, err := svc.Handlers()["SearchQueues"](ctx, in)
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			want, err := plain.Handlers()["SearchQueues"](ctx, in)
			if err != nil {
				t.Fatalf("%s (plain store): %v", step, err)
			}
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			if string(g) != string(w) {
				t.Fatalf("%s: a page differs from the plain store's:\n%s\n%s", step, g, w)
			}
			out := got.(*api.SearchQueuesResponse)
			for _, q := range out.Queues {
				ids = append(ids, *q.QueueId)
				all = append(all, q)
			}
			total = *out.ApproximateTotalCount
			if out.NextToken == nil {
				return ids, total, all
			}
			token = out.NextToken
		}
	}
	ids, total, all := walk("no criteria", nil, nil, 100)
	if !slices.Equal(ids, order) || total != int64(len(order)) {
		t.Fatalf("no criteria: %d queues (total %d), want %d in creation order", len(ids), total, len(order))
	}
	for _, q := range all {
		if *q.QueueId == tagged && q.Tags["kind"] != "agent" {
			t.Errorf("the tagged AGENT queue came back with tags %v", q.Tags)
		}
		if slices.Contains(users, *q.QueueId) && q.LastModifiedTime == nil {
			t.Fatalf("AGENT queue %s came back without LastModifiedTime", *q.QueueId)
		}
	}
	wantStandard := append([]string{order[0]}, standard...) // the instance's BasicQueue first
	for _, crit := range []*api.QueueSearchCriteria{
		{QueueTypeCondition: p("STANDARD")},
		{AndConditions: []api.QueueSearchCriteria{{QueueTypeCondition: p("STANDARD")}}},
		{OrConditions: []api.QueueSearchCriteria{{QueueTypeCondition: p("STANDARD")}, {QueueTypeCondition: p("STANDARD"),
			StringCondition: &api.StringCondition{FieldName: p("name"), Value: p("standard"), ComparisonType: p("STARTS_WITH")}}}},
	} {
		if ids, total, _ := walk("STANDARD", crit, nil, 2); !slices.Equal(ids, wantStandard) || total != int64(len(wantStandard)) {
			t.Errorf("STANDARD: %v (total %d), want %v", ids, total, wantStandard)
		}
	}
	// (QueueTypeCondition takes STANDARD only: the model's enum.)
	if ids, total, _ := walk("no criteria, pages of 500", nil, nil, 500); !slices.Equal(ids, order) || total != int64(len(order)) {
		t.Errorf("pages of 500: %d queues (total %d), want %d in creation order", len(ids), total, len(order))
	}
	if ids, _, _ := walk("one AGENT queue by id", &api.QueueSearchCriteria{StringCondition: &api.StringCondition{FieldName: p("resourceID"),
		Value: &users[2000], ComparisonType: p("EXACT")}}, nil, 10); !slices.Equal(ids, []string{users[2000]}) {
		t.Errorf("by resourceID: %v", ids)
	}
	byTag := func(v string) *api.QueueSearchFilter {
		return &api.QueueSearchFilter{TagFilter: &api.ControlPlaneTagFilter{TagCondition: &api.TagCondition{TagKey: p("kind"), TagValue: p(v)}}}
	}
	if ids, _, all := walk("agent tag", nil, byTag("agent"), 10); !slices.Equal(ids, []string{tagged}) || all[0].Tags["kind"] != "agent" {
		t.Errorf("by the AGENT queue's tag: %v", ids)
	}
	if ids, _, _ := walk("standard tag", nil, byTag("standard"), 1); !slices.Equal(ids, standard) {
		t.Errorf("by the STANDARD queues' tag: %v, want %v", ids, standard)
	}
}
