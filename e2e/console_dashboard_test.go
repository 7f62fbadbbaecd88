package e2e

// The console's real-time dashboard and agent panel end to end: a real
// server on loopback with a virtual clock, a browser played by an
// http.Client with a cookie jar, and the Go SDK to check what the console
// showed and did.

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/service"
	"github.com/switchboard-dev/switchboard/switchboardtest"
)

// dashboardJSON is the console's .../dashboard/data answer.
type dashboardJSON struct {
	Snapshot string   `json:"snapshot"`
	Metrics  []string `json:"metrics"`
	Queues   []struct {
		QueueID string    `json:"queueId"`
		Channel string    `json:"channel"`
		Values  []float64 `json:"values"`
	} `json:"queues"`
	Agents []struct {
		UserID   string `json:"userId"`
		Username string `json:"username"`
		Status   string `json:"status"`
		Contacts []struct {
			ContactID, State string
		} `json:"contacts"`
	} `json:"agents"`
	Links struct {
		AgentsNext string `json:"agentsNext"`
	} `json:"links"`
}

func (d *dashboardJSON) metric(t *testing.T, queue, channel, name string) float64 {
	t.Helper()
	for _, q := range d.Queues {
		if q.QueueID == queue && q.Channel == channel {
			for i, m := range d.Metrics {
				if m == name {
					return q.Values[i]
				}
			}
		}
	}
	t.Fatalf("no %s for queue %s channel %s in %+v", name, queue, channel, d.Queues)
	return 0
}

func (b *consoleBrowser) dashboard(t *testing.T, inst string) *dashboardJSON {
	t.Helper()
	resp, body := b.get("/console/i/" + inst + "/dashboard/data")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("dashboard data: status %d %s:\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	var d dashboardJSON
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatal(err)
	}
	return &d
}

// contactState is the state the agent panel shows for a contact ("" when
// the panel lists no such contact).
func contactState(page, contact string) string {
	m := regexp.MustCompile(`data-contact="` + regexp.QuoteMeta(contact) + `" data-state="([A-Z_]+)"`).FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return m[1]
}

func dashboardAccounts() switchboardtest.Option {
	return switchboardtest.WithAccounts(switchboardtest.Account{ID: "111111111111", AccessKeys: []switchboardtest.AccessKey{
		{ID: "AKIDADMIN", Secret: "admin-secret"},
		{ID: "AKIDWATCH", Secret: "watch-secret", Policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["connect:*"],"Resource":"*"}]}`},
	}})
}

func signInAs(t *testing.T, srv *switchboardtest.Server, key, secret string) *consoleBrowser {
	t.Helper()
	b := newConsoleBrowser(t, srv.URL)
	resp, _ := b.submit("/console/signin", url.Values{"accessKeyId": {key}, "secretAccessKey": {secret}, "region": {"us-east-1"}})
	if resp.Request.URL.Path != "/console/" {
		t.Fatalf("sign-in as %s ended at %s", key, resp.Request.URL)
	}
	return b
}

func TestConsoleDashboardAndAgentPanel(t *testing.T) {
	start := time.Date(2030, 1, 7, 9, 0, 0, 0, time.UTC)
	srv := switchboardtest.New(t, switchboardtest.WithVirtualClock(start), dashboardAccounts())
	c := context.Background()
	inst := srv.CreateInstance(t, "dash")
	agent := srv.CreateAgent(t, inst, switchboardtest.Agent{Username: "ana", Offline: true})
	content := fmt.Sprintf(`{"Version":"2019-10-30","StartAction":"q","Actions":[
 {"Identifier":"q","Type":"UpdateContactTargetQueue","Parameters":{"QueueId":"%s"},"Transitions":{"NextAction":"xfer","Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},
 {"Identifier":"xfer","Type":"TransferContactToQueue","Parameters":{},"Transitions":{"NextAction":"bye","Errors":[{"NextAction":"bye","ErrorType":"QueueAtCapacity"},{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},
 {"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`, inst.BasicQueueID)
	client := srv.Client()
	flow, err := client.CreateContactFlow(c, &connect.CreateContactFlowInput{InstanceId: &inst.ID, Name: aws.String("to basic queue"),
		Type: types.ContactFlowTypeContactFlow, Content: &content})
	if err != nil {
		t.Fatal(err)
	}
	task, err := client.StartTaskContact(c, &connect.StartTaskContactInput{InstanceId: &inst.ID, Name: aws.String("call back"), ContactFlowId: flow.ContactFlowId})
	if err != nil {
		t.Fatal(err)
	}
	contact := *task.ContactId
	srv.Advance(t, 10*time.Second)

	b := signInAs(t, srv, "AKIDADMIN", "admin-secret")
	dashPath := "/console/i/" + inst.ID + "/dashboard"
	panelPath := "/console/i/" + inst.ID + "/agent?user=" + agent

	t.Run("the contact waits: in queue, no agent available", func(t *testing.T) {
		d := b.dashboard(t, inst.ID)
		if got := d.metric(t, inst.BasicQueueID, "TASK", "CONTACTS_IN_QUEUE"); got != 1 {
			t.Errorf("CONTACTS_IN_QUEUE %v, want 1", got)
		}
		if got := d.metric(t, inst.BasicQueueID, "TASK", "OLDEST_CONTACT_AGE"); got != 10 {
			t.Errorf("OLDEST_CONTACT_AGE %v, want 10 (s)", got)
		}
		if got := d.metric(t, inst.BasicQueueID, "TASK", "AGENTS_AVAILABLE"); got != 0 {
			t.Errorf("AGENTS_AVAILABLE %v, want 0", got)
		}
		if len(d.Agents) != 0 {
			t.Errorf("agents %+v, want none logged in", d.Agents)
		}
		// The page without JavaScript: the same figures, rendered on the
		// server, a refresh link, and the script that refreshes it.
		resp, page := b.get(dashPath)
		if resp.StatusCode != 200 || !strings.Contains(page, `id="refresh"`) || !strings.Contains(page, `<script src="/console/static/dashboard.js"`) ||
			!regexp.MustCompile(`data-queue="`+inst.BasicQueueID+`" data-channel="TASK"><td>BasicQueue</td><td>TASK</td><td class="num">0</td><td class="num">0</td><td class="num">0</td><td class="num">0</td><td class="num">1</td>`).MatchString(page) {
			t.Fatalf("status %d:\n%s", resp.StatusCode, page)
		}
		if resp, js := b.get("/console/static/dashboard.js"); resp.StatusCode != 200 || !strings.Contains(js, "data-src") {
			t.Fatalf("dashboard.js: status %d", resp.StatusCode)
		}
	})

	t.Run("the JSON answers what GetCurrentMetricData answers", func(t *testing.T) {
		d := b.dashboard(t, inst.ID)
		in := &connect.GetCurrentMetricDataInput{InstanceId: &inst.ID,
			Filters:   &types.Filters{Queues: []string{inst.BasicQueueID}, Channels: []types.Channel{types.ChannelVoice, types.ChannelChat, types.ChannelTask}},
			Groupings: []types.Grouping{types.GroupingQueue, types.GroupingChannel}}
		for _, m := range d.Metrics {
			unit := types.UnitCount
			if m == "OLDEST_CONTACT_AGE" {
				unit = types.UnitSeconds
			}
			in.CurrentMetrics = append(in.CurrentMetrics, types.CurrentMetric{Name: types.CurrentMetricName(m), Unit: unit})
		}
		out, err := client.GetCurrentMetricData(c, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(out.MetricResults) != len(d.Queues) || len(d.Queues) != 3 {
			t.Fatalf("%d results from the SDK, %d rows from the console", len(out.MetricResults), len(d.Queues))
		}
		for _, r := range out.MetricResults {
			for _, col := range r.Collections {
				if got, want := d.metric(t, *r.Dimensions.Queue.Id, string(r.Dimensions.Channel), string(col.Metric.Name)), aws.ToFloat64(col.Value); got != want {
					t.Errorf("%s %s: console %v, SDK %v", r.Dimensions.Channel, col.Metric.Name, got, want)
				}
			}
		}
	})

	t.Run("a POST without the CSRF token is refused", func(t *testing.T) {
		resp, _ := b.do("POST", "/console/i/"+inst.ID+"/agent/status", url.Values{"user": {agent}, "status": {inst.AvailableStatusID}})
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d, want 403", resp.StatusCode)
		}
		if d := b.dashboard(t, inst.ID); len(d.Agents) != 0 {
			t.Fatal("the agent's status changed without a token")
		}
	})

	t.Run("Available in the panel: the contact is offered", func(t *testing.T) {
		_, page := b.get(panelPath)
		if !strings.Contains(page, "Offline</strong> (not logged in)") || !strings.Contains(page, `value="`+inst.AvailableStatusID+`"`) {
			t.Fatalf("panel before:\n%s", page)
		}
		form := url.Values{"csrf": {csrfToken(t, page)}, "user": {agent}, "status": {inst.AvailableStatusID}}
		resp, page := b.do("POST", "/console/i/"+inst.ID+"/agent/status", form)
		if resp.StatusCode != 200 || resp.Request.URL.Query().Get("done") != "status" || !strings.Contains(page, `id="notice">Status set.`) {
			t.Fatalf("status %d at %s:\n%s", resp.StatusCode, resp.Request.URL, page)
		}
		if got := contactState(page, contact); got != "CONNECTING" {
			t.Fatalf("the panel shows the contact %q, want CONNECTING (ringing):\n%s", got, page)
		}
		if !strings.Contains(page, `data-action="accept"`) || !strings.Contains(page, `data-action="reject"`) {
			t.Fatal("no Accept and Reject buttons for a ringing contact")
		}
	})

	act := func(t *testing.T, b *consoleBrowser, action string) (*http.Response, string) {
		t.Helper()
		_, page := b.get(panelPath)
		return b.do("POST", "/console/i/"+inst.ID+"/agent/action", url.Values{"csrf": {csrfToken(t, page)}, "user": {agent}, "contact": {contact}, "action": {action}})
	}

	t.Run("a key that may not act sees the refusal", func(t *testing.T) {
		w := signInAs(t, srv, "AKIDWATCH", "watch-secret")
		resp, page := act(t, w, "accept")
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(html.UnescapeString(page), "AccessDeniedException: ") ||
			!strings.Contains(page, "switchboard:AgentAction") {
			t.Fatalf("status %d:\n%s", resp.StatusCode, page)
		}
		if got := contactState(page, contact); got != "CONNECTING" {
			t.Fatalf("after a refused accept the contact is %q", got)
		}
		// The same key reads the dashboard.
		if d := w.dashboard(t, inst.ID); len(d.Agents) != 1 {
			t.Fatalf("the reader sees %d agents", len(d.Agents))
		}
	})

	t.Run("Accept: connected, the dashboard shows the agent on contact", func(t *testing.T) {
		resp, page := act(t, b, "accept")
		if resp.StatusCode != 200 || contactState(page, contact) != "CONNECTED" || !strings.Contains(page, `data-action="hang-up"`) {
			t.Fatalf("status %d:\n%s", resp.StatusCode, page)
		}
		d := b.dashboard(t, inst.ID)
		if got := d.metric(t, inst.BasicQueueID, "TASK", "AGENTS_ON_CONTACT"); got != 1 {
			t.Errorf("AGENTS_ON_CONTACT %v, want 1", got)
		}
		if got := d.metric(t, inst.BasicQueueID, "TASK", "CONTACTS_IN_QUEUE"); got != 0 {
			t.Errorf("CONTACTS_IN_QUEUE %v, want 0", got)
		}
		if len(d.Agents) != 1 || d.Agents[0].Username != "ana" || d.Agents[0].Status != "Available" ||
			len(d.Agents[0].Contacts) != 1 || d.Agents[0].Contacts[0].State != "CONNECTED" {
			t.Errorf("agents %+v", d.Agents)
		}
	})

	t.Run("Hang up: after contact work", func(t *testing.T) {
		resp, page := act(t, b, "hang-up")
		if resp.StatusCode != 200 || contactState(page, contact) != "ENDED" || !strings.Contains(page, `data-action="clear"`) {
			t.Fatalf("status %d:\n%s", resp.StatusCode, page)
		}
		if got := b.dashboard(t, inst.ID).metric(t, inst.BasicQueueID, "TASK", "AGENTS_AFTER_CONTACT_WORK"); got != 1 {
			t.Errorf("AGENTS_AFTER_CONTACT_WORK %v, want 1", got)
		}
	})

	t.Run("Clear: the agent is free, the contact completed", func(t *testing.T) {
		resp, page := act(t, b, "clear")
		if resp.StatusCode != 200 || contactState(page, contact) != "" || !strings.Contains(page, "No contact.") {
			t.Fatalf("status %d:\n%s", resp.StatusCode, page)
		}
		d := b.dashboard(t, inst.ID)
		if got := d.metric(t, inst.BasicQueueID, "TASK", "AGENTS_AVAILABLE"); got != 1 {
			t.Errorf("AGENTS_AVAILABLE %v, want 1", got)
		}
		out, err := client.DescribeContact(c, &connect.DescribeContactInput{InstanceId: &inst.ID, ContactId: &contact})
		if err != nil {
			t.Fatal(err)
		}
		if ai := out.Contact.AgentInfo; ai == nil || aws.ToString(ai.Id) != agent || ai.AfterContactWorkEndTimestamp == nil || out.Contact.DisconnectTimestamp == nil {
			t.Fatalf("contact %+v, agent %+v: want ended with after contact work done", out.Contact, out.Contact.AgentInfo)
		}
		events, err := srv.API().ContactEvents(c, inst.ID, contact)
		if err != nil {
			t.Fatal(err)
		}
		if last := events[len(events)-1]; last.Detail.EventType != "COMPLETED" {
			t.Errorf("last event %+v, want COMPLETED", last)
		}
	})

	t.Run("an unknown action is refused", func(t *testing.T) {
		resp, _ := act(t, b, "transfer")
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("status %d, want 400", resp.StatusCode)
		}
	})
}

func csrfToken(t *testing.T, page string) string {
	t.Helper()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form token:\n%s", page)
	}
	return m[1]
}

// TestConsoleDashboardWith1000Agents measures the dashboard page and its
// JSON with 1,000 agents logged in; each must answer in under 100 ms.
func TestConsoleDashboardWith1000Agents(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 1,000 agents")
	}
	// SWITCHBOARD_CONSOLE_AGENTS measures another number of agents
	// (docs/PERFORMANCE.md, "Console pages").
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("SWITCHBOARD_CONSOLE_AGENTS")); err == nil && v > 100 {
		n = v
	}
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{quotas: service.Quotas{UsersPerInstance: n + 10}})
	st, err := f.client.ListAgentStatuses(ctx(t), &connect.ListAgentStatusesInput{InstanceId: &f.instance})
	if err != nil {
		t.Fatal(err)
	}
	var available string
	for _, s := range st.AgentStatusSummaryList {
		if s.Type == types.AgentStatusTypeRoutable {
			available = *s.Id
		}
	}
	start := time.Now()
	create, put := f.svc.Handlers()["CreateUser"], f.svc.Handlers()["PutUserStatus"]
	c := switchboard.WithScope(context.Background(), switchboard.Scope{Account: "000000000000", Region: region})
	for i := range n {
		out, err := create(c, &api.CreateUserRequest{InstanceId: &f.instance, Username: aws.String(fmt.Sprintf("agent%04d", i)), Password: aws.String("Str0ngPassw0rd"),
			IdentityInfo:     &api.UserIdentityInfo{FirstName: aws.String("First"), LastName: aws.String("Last")},
			RoutingProfileId: &f.routing, SecurityProfileIds: []string{f.agent}})
		if err != nil {
			t.Fatalf("user %d: %v", i, err)
		}
		id := out.(*api.CreateUserResponse).UserId
		if _, err := put(c, &api.PutUserStatusRequest{InstanceId: &f.instance, UserId: id, AgentStatusId: &available}); err != nil {
			t.Fatalf("status %d: %v", i, err)
		}
	}
	t.Logf("%d agents created and Available in %v", n, time.Since(start).Round(time.Millisecond))
	b := newConsoleBrowser(t, f.url)
	dash := "/console/i/" + f.instance + "/dashboard"
	d := b.dashboard(t, f.instance)
	if len(d.Agents) != 100 || d.Links.AgentsNext == "" {
		t.Fatalf("%d agents on the first page, next %q", len(d.Agents), d.Links.AgentsNext)
	}
	if len(d.Queues) == 0 {
		t.Fatal("no queue on the dashboard")
	}
	if got := d.metric(t, d.Queues[0].QueueID, "VOICE", "AGENTS_ONLINE"); got != float64(n) {
		t.Fatalf("AGENTS_ONLINE %v, want %d", got, n)
	}
	// Every agent once over the pages.
	seen := map[string]bool{}
	next := "/console/i/" + f.instance + "/dashboard/data"
	for next != "" {
		resp, body := b.get(next)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", next, resp.StatusCode)
		}
		var p dashboardJSON
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			t.Fatal(err)
		}
		for _, a := range p.Agents {
			if seen[a.UserID] || !strings.HasPrefix(a.Username, "agent") {
				t.Fatalf("agent %+v twice or unnamed", a)
			}
			seen[a.UserID] = true
		}
		next = strings.Replace(p.Links.AgentsNext, "/dashboard?", "/dashboard/data?", 1)
	}
	if len(seen) != n {
		t.Fatalf("%d agents over the pages, want %d", len(seen), n)
	}
	timePages(t, b, []struct{ name, path string }{{"dashboard page", dash}, {"dashboard data", dash + "/data"}})
}
