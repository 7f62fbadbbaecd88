package console_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-dev/switchboard/switchboardtest"
)

func TestDashboardPageAndData(t *testing.T) {
	srv := switchboardtest.New(t, switchboardtest.WithVirtualClock(time.Date(2030, 1, 7, 9, 0, 0, 0, time.UTC)))
	inst := srv.CreateInstance(t, "console-dash")
	agent := srv.CreateAgent(t, inst, switchboardtest.Agent{Username: "bo"})
	b := newBrowser(t, srv.URL)
	base := "/console/i/" + inst.ID

	t.Run("linked from the instance page and the navigation", func(t *testing.T) {
		_, page := b.get(base + "/")
		for _, want := range []string{`id="dashboard-link"`, `id="agent-link"`, `href="` + base + `/dashboard">Dashboard</a>`, `href="` + base + `/agent">Agent panel</a>`} {
			if !strings.Contains(page, want) {
				t.Errorf("instance page lacks %s", want)
			}
		}
	})
	t.Run("server-rendered, with a refresh link and the script", func(t *testing.T) {
		resp, page := b.get(base + "/dashboard")
		if resp.StatusCode != 200 {
			t.Fatalf("status %d:\n%s", resp.StatusCode, page)
		}
		for _, want := range []string{`id="refresh"`, `<script src="/console/static/dashboard.js" defer></script>`, `data-src="` + base + `/dashboard/data"`,
			`<th>CONTACTS_IN_QUEUE</th>`, `data-queue="` + inst.BasicQueueID + `" data-channel="VOICE"><td>BasicQueue</td>`, `data-user="` + agent + `"`, `>bo</a>`} {
			if !strings.Contains(page, want) {
				t.Errorf("dashboard lacks %s:\n%s", want, page)
			}
		}
		if strings.Contains(page, "<script>") {
			t.Error("inline script on the dashboard")
		}
	})
	t.Run("the script is served from the console, under the CSP", func(t *testing.T) {
		resp, js := b.get("/console/static/dashboard.js")
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "javascript") || !strings.Contains(js, "data-src") {
			t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Fatalf("CSP %q", csp)
		}
	})
	t.Run("the JSON data", func(t *testing.T) {
		resp, body := b.get(base + "/dashboard/data")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("status %d, type %q:\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		var d struct {
			Metrics []string
			Queues  []struct {
				QueueID, Channel string
				Values           []float64
			}
			Agents []struct {
				UserID, Username, Status string
				Slots                    string
			}
		}
		if err := json.Unmarshal([]byte(body), &d); err != nil {
			t.Fatal(err)
		}
		if len(d.Metrics) != 8 || len(d.Queues) != 3 || len(d.Agents) != 1 || d.Agents[0].Username != "bo" || d.Agents[0].Status != "Available" || d.Agents[0].Slots == "" {
			t.Fatalf("%+v", d)
		}
		for _, q := range d.Queues {
			if q.QueueID != inst.BasicQueueID || q.Values[0] != 1 || q.Values[1] != 1 {
				t.Errorf("queue row %+v: want AGENTS_ONLINE 1, AGENTS_AVAILABLE 1", q)
			}
		}
	})
	t.Run("an API error is JSON too", func(t *testing.T) {
		resp, body := b.get("/console/i/00000000-0000-0000-0000-000000000000/dashboard/data")
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, `"error":"ResourceNotFoundException`) {
			t.Fatalf("status %d:\n%s", resp.StatusCode, body)
		}
	})
}

func TestAgentPanelForms(t *testing.T) {
	srv := switchboardtest.New(t)
	inst := srv.CreateInstance(t, "console-panel")
	agent := srv.CreateAgent(t, inst, switchboardtest.Agent{Username: "cy", Offline: true})
	b := newBrowser(t, srv.URL)
	panel := "/console/i/" + inst.ID + "/agent"

	_, page := b.get(panel)
	if !strings.Contains(page, `<option value="`+agent+`">cy</option>`) || strings.Contains(page, `id="status-form"`) {
		t.Fatalf("panel without a user:\n%s", page)
	}
	_, page = b.get(panel + "?q=c&user=" + agent)
	if !strings.Contains(page, `id="agent-name">cy</h2>`) || !strings.Contains(page, "Offline</strong> (not logged in)") || !strings.Contains(page, `id="status-form"`) {
		t.Fatalf("panel of cy:\n%s", page)
	}
	token := csrfOf(t, page)

	t.Run("a state change needs the token", func(t *testing.T) {
		for _, path := range []string{panel + "/status", panel + "/action"} {
			resp, _ := b.post(path, url.Values{"user": {agent}, "status": {inst.AvailableStatusID}, "contact": {"x"}, "action": {"accept"}})
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s without a token: status %d, want 403", path, resp.StatusCode)
			}
		}
		if resp, _ := b.get(panel + "/status"); resp.StatusCode == 200 {
			t.Error("GET of the status form's action answered 200")
		}
		out, err := srv.Client().GetCurrentUserData(context.Background(), &connect.GetCurrentUserDataInput{InstanceId: &inst.ID, Filters: &types.UserDataFilters{Agents: []string{agent}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.UserDataList) != 0 {
			t.Fatal("the agent went online without a token")
		}
	})
	t.Run("set the status", func(t *testing.T) {
		resp, page := b.post(panel+"/status", url.Values{"csrf": {token}, "user": {agent}, "status": {inst.AvailableStatusID}})
		if resp.StatusCode != 200 || resp.Request.Method != "GET" || !strings.Contains(page, "Status set.") || !strings.Contains(page, "Status <strong>Available</strong>") ||
			!strings.Contains(page, `<option value="`+inst.AvailableStatusID+`" selected>`) {
			t.Fatalf("status %d:\n%s", resp.StatusCode, page)
		}
	})
	t.Run("the API's refusal is shown", func(t *testing.T) {
		resp, page := b.post(panel+"/status", url.Values{"csrf": {token}, "user": {agent}, "status": {"no-such-status"}})
		if resp.StatusCode < 400 || !strings.Contains(page, `id="page-error"`) {
			t.Fatalf("status %d:\n%s", resp.StatusCode, page)
		}
		resp, page = b.post(panel+"/action", url.Values{"csrf": {token}, "user": {agent}, "contact": {"00000000-0000-0000-0000-000000000000"}, "action": {"accept"}})
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(page, "ResourceNotFoundException") {
			t.Fatalf("accept of no contact: status %d:\n%s", resp.StatusCode, page)
		}
	})
}
