package console

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

// The real-time dashboard of an instance: its STANDARD queues' current
// metrics by channel (GetCurrentMetricData) and its logged-in agents
// (GetCurrentUserData), a page of each at a time. The page is rendered on
// the server; static/dashboard.js refreshes it from .../dashboard/data,
// which answers the same figures as JSON (docs/CONSOLE.md).

const (
	// dashboardPage is how many queues, and how many agents, one page of
	// the dashboard shows: the most GetCurrentMetricData's Queues filter
	// and GetCurrentUserData's MaxResults and filters take.
	dashboardPage = 100
	// refreshSeconds is how often dashboard.js asks for new figures.
	refreshSeconds = 5
)

// dashboardMetrics are the queue figures shown, in the table's order.
var dashboardMetrics = []types.CurrentMetricName{
	types.CurrentMetricNameAgentsOnline, types.CurrentMetricNameAgentsAvailable,
	types.CurrentMetricNameAgentsOnContact, types.CurrentMetricNameAgentsAfterContactWork,
	types.CurrentMetricNameContactsInQueue, types.CurrentMetricNameOldestContactAge,
	types.CurrentMetricNameSlotsActive, types.CurrentMetricNameSlotsAvailable,
}

// dashboardChannels are the channels GetCurrentMetricData's filter takes.
var dashboardChannels = []types.Channel{types.ChannelVoice, types.ChannelChat, types.ChannelTask}

func metricUnit(m types.CurrentMetricName) types.Unit {
	if m == types.CurrentMetricNameOldestContactAge {
		return types.UnitSeconds
	}
	return types.UnitCount
}

// dashboard is the page's data and the JSON endpoint's answer.
type dashboard struct {
	Snapshot string        `json:"snapshot"`
	Metrics  []string      `json:"metrics"`
	Queues   []queueRow    `json:"queues"`
	Agents   []agentRow    `json:"agents"`
	AgentsOn int           `json:"agentsOnPage"`
	Links    dashboardLink `json:"links"`
	Refresh  int           `json:"refreshSeconds"`
	DataHref string        `json:"-"`
	Cols     int           `json:"-"` // the queues table's columns
	SelfHref string        `json:"-"`
}

// dashboardLink are the paging links of both tables.
type dashboardLink struct {
	QueuesNext  string `json:"queuesNext,omitempty"`
	QueuesFirst string `json:"queuesFirst,omitempty"`
	AgentsNext  string `json:"agentsNext,omitempty"`
	AgentsFirst string `json:"agentsFirst,omitempty"`
}

// queueRow is one queue and channel's figures, in Metrics' order.
type queueRow struct {
	QueueID string    `json:"queueId"`
	Queue   string    `json:"queue"`
	Channel string    `json:"channel"`
	Values  []float64 `json:"values"`
}

// agentRow is one logged-in agent.
type agentRow struct {
	UserID   string       `json:"userId"`
	Username string       `json:"username"`
	Status   string       `json:"status"`
	StatusID string       `json:"statusId"`
	Since    string       `json:"since"`
	Next     string       `json:"nextStatus,omitempty"`
	Contacts []contactRow `json:"contacts"`
	Slots    string       `json:"slots"`
	Href     string       `json:"href"`
}

// contactRow is one of an agent's contacts.
type contactRow struct {
	ContactID string `json:"contactId"`
	Channel   string `json:"channel"`
	State     string `json:"state"`
	Queue     string `json:"queue"`
	Since     string `json:"since"`
	Connected string `json:"connected,omitempty"`
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}

// loadDashboard makes the API calls of one dashboard page: qnext and
// anext are the queue and agent tables' page cursors.
func loadDashboard(ctx context.Context, s *session, inst, qnext, anext string) (*dashboard, error) {
	c := s.client
	d := &dashboard{Queues: []queueRow{}, Agents: []agentRow{}, Refresh: refreshSeconds, Cols: len(dashboardMetrics) + 2}
	for _, m := range dashboardMetrics {
		d.Metrics = append(d.Metrics, string(m))
	}
	queueNames := map[string]string{}
	lq := &connect.ListQueuesInput{InstanceId: &inst, QueueTypes: []types.QueueType{types.QueueTypeStandard}, MaxResults: aws.Int32(dashboardPage)}
	if qnext != "" {
		lq.NextToken = &qnext
	}
	qs, err := c.ListQueues(ctx, lq)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, q := range qs.QueueSummaryList {
		ids = append(ids, str(q.Id))
		queueNames[str(q.Id)] = str(q.Name)
	}
	d.Links.QueuesNext = str(qs.NextToken)
	if len(ids) > 0 {
		rows, snap, err := queueMetrics(ctx, c, inst, ids, queueNames)
		if err != nil {
			return nil, err
		}
		d.Queues, d.Snapshot = rows, fmtTime(snap)
	}
	agents, next, err := loggedInAgents(ctx, c, inst, anext)
	if err != nil {
		return nil, err
	}
	d.Links.AgentsNext = next
	names, err := agentNames(ctx, c, &s.names, inst, agents)
	if err != nil {
		return nil, err
	}
	for _, u := range agents {
		d.Agents = append(d.Agents, agentView(inst, u, names, queueNames))
	}
	d.AgentsOn = len(d.Agents)
	return d, nil
}

// queueMetrics is GetCurrentMetricData for up to 100 queues, grouped by
// queue and channel, every page of its answer.
func queueMetrics(ctx context.Context, c *connect.Client, inst string, ids []string, names map[string]string) ([]queueRow, *time.Time, error) {
	in := &connect.GetCurrentMetricDataInput{
		InstanceId: &inst,
		Filters:    &types.Filters{Queues: ids, Channels: dashboardChannels},
		Groupings:  []types.Grouping{types.GroupingQueue, types.GroupingChannel},
		MaxResults: aws.Int32(100),
	}
	for _, m := range dashboardMetrics {
		in.CurrentMetrics = append(in.CurrentMetrics, types.CurrentMetric{Name: m, Unit: metricUnit(m)})
	}
	var rows []queueRow
	var snap *time.Time
	// 100 queues by 3 channels are 300 groups: 3 pages of 100.
	for range 2 * len(dashboardChannels) * dashboardPage / 100 {
		out, err := c.GetCurrentMetricData(ctx, in)
		if err != nil {
			return nil, nil, err
		}
		if snap == nil {
			snap = out.DataSnapshotTime
		}
		for _, r := range out.MetricResults {
			row := queueRow{Values: make([]float64, len(dashboardMetrics))}
			if dm := r.Dimensions; dm != nil {
				if dm.Queue != nil {
					row.QueueID = str(dm.Queue.Id)
				}
				row.Channel = string(dm.Channel)
			}
			row.Queue = names[row.QueueID]
			for _, col := range r.Collections {
				if col.Metric == nil {
					continue
				}
				for i, m := range dashboardMetrics {
					if col.Metric.Name == m {
						row.Values[i] = aws.ToFloat64(col.Value)
					}
				}
			}
			rows = append(rows, row)
		}
		if out.NextToken == nil || *out.NextToken == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Queue != rows[j].Queue {
			return rows[i].Queue < rows[j].Queue
		}
		return rows[i].Channel < rows[j].Channel
	})
	return rows, snap, nil
}

// loggedInAgents is one page of GetCurrentUserData over every routing
// profile of the instance (a logged-in agent has exactly one, so no agent
// is listed twice). The filter takes 100 profiles; the cursor is
// "<batch of 100 profiles>.<GetCurrentUserData's NextToken>".
func loggedInAgents(ctx context.Context, c *connect.Client, inst, cursor string) ([]types.UserData, string, error) {
	var profiles []string
	var next *string
	for range maxChoicePages {
		out, err := c.ListRoutingProfiles(ctx, &connect.ListRoutingProfilesInput{InstanceId: &inst, NextToken: next, MaxResults: aws.Int32(1000)})
		if err != nil {
			return nil, "", err
		}
		for _, p := range out.RoutingProfileSummaryList {
			profiles = append(profiles, str(p.Id))
		}
		if next = out.NextToken; next == nil || *next == "" {
			break
		}
	}
	batch, token := 0, ""
	if b, t, ok := strings.Cut(cursor, "."); ok {
		batch, _ = strconv.Atoi(b)
		token = t
	}
	if batch < 0 || batch*dashboardPage >= len(profiles) {
		return nil, "", nil
	}
	in := &connect.GetCurrentUserDataInput{InstanceId: &inst, MaxResults: aws.Int32(dashboardPage),
		Filters: &types.UserDataFilters{RoutingProfiles: profiles[batch*dashboardPage : min(len(profiles), (batch+1)*dashboardPage)]}}
	if token != "" {
		in.NextToken = &token
	}
	out, err := c.GetCurrentUserData(ctx, in)
	if err != nil {
		return nil, "", err
	}
	nextCursor := ""
	switch {
	case out.NextToken != nil && *out.NextToken != "":
		nextCursor = strconv.Itoa(batch) + "." + *out.NextToken
	case (batch+1)*dashboardPage < len(profiles):
		nextCursor = strconv.Itoa(batch+1) + "."
	}
	return out.UserDataList, nextCursor, nil
}

// nameCache remembers a session's usernames by instance and user id.
// No operation changes a username, so a name once read stays right; a
// deleted user simply stops being listed. The cache lives and dies with
// the session, so a key sees only names it has itself read.
type nameCache struct {
	mu sync.Mutex
	m  map[string]string
}

// maxCachedNames bounds one session's cache; beyond it, it starts over.
const maxCachedNames = 20000

// agentNames finds the usernames of a page of agents, by id: from the
// session's cache, and the rest with one SearchUsers call
// (GetCurrentUserData names users by id and ARN only).
func agentNames(ctx context.Context, c *connect.Client, cache *nameCache, inst string, agents []types.UserData) (map[string]string, error) {
	names := map[string]string{}
	var or []types.UserSearchCriteria
	cache.mu.Lock()
	for _, u := range agents {
		if u.User == nil {
			continue
		}
		id := str(u.User.Id)
		if n, ok := cache.m[inst+"/"+id]; ok {
			names[id] = n
		} else {
			or = append(or, types.UserSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String("resourceId"), Value: u.User.Id, ComparisonType: types.StringComparisonTypeExact}})
		}
	}
	cache.mu.Unlock()
	if len(or) == 0 {
		return names, nil
	}
	out, err := c.SearchUsers(ctx, &connect.SearchUsersInput{InstanceId: &inst, MaxResults: aws.Int32(dashboardPage), SearchCriteria: &types.UserSearchCriteria{OrConditions: or}})
	if err != nil {
		return nil, err
	}
	cache.mu.Lock()
	defer cache.mu.Unlock()
	if cache.m == nil || len(cache.m) > maxCachedNames {
		cache.m = map[string]string{}
	}
	for _, u := range out.Users {
		names[str(u.Id)] = str(u.Username)
		cache.m[inst+"/"+str(u.Id)] = str(u.Username)
	}
	return names, nil
}

// agentView is how a page shows a UserData.
func agentView(inst string, u types.UserData, names, queueNames map[string]string) agentRow {
	a := agentRow{Contacts: []contactRow{}}
	if u.User != nil {
		a.UserID = str(u.User.Id)
		a.Username = names[a.UserID]
		a.Href = instPath(inst, "agent") + "?user=" + url.QueryEscape(a.UserID)
	}
	if st := u.Status; st != nil {
		a.Status, a.Since = str(st.StatusName), fmtTime(st.StatusStartTimestamp)
		if arn := str(st.StatusArn); arn != "" {
			a.StatusID = arn[strings.LastIndexByte(arn, '/')+1:]
		}
	}
	if u.NextStatus != nil {
		a.Next = *u.NextStatus
	}
	for _, ct := range u.Contacts {
		row := contactRow{ContactID: str(ct.ContactId), Channel: string(ct.Channel), State: string(ct.AgentContactState),
			Since: fmtTime(ct.StateStartTimestamp), Connected: fmtTime(ct.ConnectedToAgentTimestamp)}
		if q := ct.Queue; q != nil {
			row.Queue = queueNames[str(q.Id)]
			if row.Queue == "" {
				row.Queue = str(q.Id)
			}
		}
		a.Contacts = append(a.Contacts, row)
	}
	var slots []string
	for _, ch := range dashboardChannels {
		k := string(ch)
		if maxN, ok := u.MaxSlotsByChannel[k]; ok && maxN > 0 {
			slots = append(slots, k+" "+itoa(u.ActiveSlotsByChannel[k])+" active, "+itoa(u.AvailableSlotsByChannel[k])+" free of "+itoa(maxN))
		}
	}
	a.Slots = strings.Join(slots, "; ")
	return a
}

// dashboardLinks sets the tables' paging links, each keeping the other
// table's cursor, and the page's and the JSON endpoint's addresses.
func dashboardLinks(d *dashboard, r *http.Request, base string) {
	q := r.URL.Query()
	link := func(key, val string) string {
		u := url.Values{}
		for k, x := range q {
			u[k] = x
		}
		if val == "" {
			u.Del(key)
		} else {
			u.Set(key, val)
		}
		if e := u.Encode(); e != "" {
			return base + "?" + e
		}
		return base
	}
	if d.Links.QueuesNext != "" {
		d.Links.QueuesNext = link("qnext", d.Links.QueuesNext)
	}
	if q.Get("qnext") != "" {
		d.Links.QueuesFirst = link("qnext", "")
	}
	if d.Links.AgentsNext != "" {
		d.Links.AgentsNext = link("anext", d.Links.AgentsNext)
	}
	if q.Get("anext") != "" {
		d.Links.AgentsFirst = link("anext", "")
	}
	d.SelfHref = link("", "")
	d.DataHref = base + "/data"
	if e := q.Encode(); e != "" {
		d.DataHref += "?" + e
	}
}

func (h *Handler) dashboardPage(w http.ResponseWriter, r *http.Request, s *session) {
	inst := r.PathValue("inst")
	pg := page{Title: "Real-time dashboard", Session: s, Instance: inst}
	q := r.URL.Query()
	d, err := loadDashboard(r.Context(), s, inst, q.Get("qnext"), q.Get("anext"))
	if err != nil {
		h.renderAPIError(w, r, pg, err)
		return
	}
	dashboardLinks(d, r, instPath(inst, "dashboard"))
	pg.Data = d
	h.render(w, r, http.StatusOK, "dashboard", pg)
}

// dashboardData answers the dashboard's figures as JSON; it changes
// nothing (GET, the same session as the page).
func (h *Handler) dashboardData(w http.ResponseWriter, r *http.Request, s *session) {
	inst := r.PathValue("inst")
	q := r.URL.Query()
	w.Header().Set("Content-Type", "application/json")
	d, err := loadDashboard(r.Context(), s, inst, q.Get("qnext"), q.Get("anext"))
	if err != nil {
		status := http.StatusBadGateway
		var re interface{ HTTPStatusCode() int }
		if asStatus(err, &re) && re.HTTPStatusCode() >= 400 {
			status = re.HTTPStatusCode()
		}
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]string{"error": apiMessage(err)})
		return
	}
	dashboardLinks(d, r, instPath(inst, "dashboard"))
	json.NewEncoder(w).Encode(d)
}
