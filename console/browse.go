package console

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

// pageSize is how many rows a list page asks the API for.
const pageSize = 50

// cell is one table cell: text, and a link when Href is set.
type cell struct{ Text, Href string }

// table is what the generic list template shows.
type table struct {
	Columns []string
	Rows    [][]cell
	// Next is the URL of the next page, "" on the last one; First the URL
	// of the first page when this is not it.
	Next, First string
	// NewHref, when set, is a link to add an item.
	NewHref, NewText string
}

// listPage is a page listing one kind of resource of an instance, a page
// of the API's paging at a time.
type listPage struct {
	path, title string
	columns     []string
	fetch       func(ctx context.Context, c *connect.Client, inst string, next *string) ([][]cell, *string, error)
}

func str(p *string) string { return aws.ToString(p) }

func nextPtr(r *http.Request) *string {
	if n := r.URL.Query().Get("next"); n != "" {
		return &n
	}
	return nil
}

// pageLinks fills t's paging links, keeping the query's other values.
func pageLinks(t *table, r *http.Request, next *string) {
	q := r.URL.Query()
	if q.Get("next") != "" {
		q.Del("next")
		t.First = r.URL.Path + "?" + q.Encode()
	}
	if next != nil && *next != "" {
		q.Set("next", *next)
		t.Next = r.URL.Path + "?" + q.Encode()
	}
}

func instPath(inst string, parts ...string) string {
	p := Prefix + "i/" + url.PathEscape(inst)
	for _, s := range parts {
		p += "/" + url.PathEscape(s)
	}
	return p
}

var listPages = []listPage{
	{path: "security-profiles", title: "Security profiles", columns: []string{"Name", "Id"},
		fetch: func(ctx context.Context, c *connect.Client, inst string, next *string) ([][]cell, *string, error) {
			out, err := c.ListSecurityProfiles(ctx, &connect.ListSecurityProfilesInput{InstanceId: &inst, NextToken: next, MaxResults: aws.Int32(pageSize)})
			if err != nil {
				return nil, nil, err
			}
			var rows [][]cell
			for _, s := range out.SecurityProfileSummaryList {
				rows = append(rows, []cell{{Text: str(s.Name)}, {Text: str(s.Id)}})
			}
			return rows, out.NextToken, nil
		}},
	{path: "routing-profiles", title: "Routing profiles", columns: []string{"Name", "Id"},
		fetch: func(ctx context.Context, c *connect.Client, inst string, next *string) ([][]cell, *string, error) {
			out, err := c.ListRoutingProfiles(ctx, &connect.ListRoutingProfilesInput{InstanceId: &inst, NextToken: next, MaxResults: aws.Int32(pageSize)})
			if err != nil {
				return nil, nil, err
			}
			var rows [][]cell
			for _, s := range out.RoutingProfileSummaryList {
				rows = append(rows, []cell{{Text: str(s.Name), Href: instPath(inst, "routing-profiles", str(s.Id))}, {Text: str(s.Id)}})
			}
			return rows, out.NextToken, nil
		}},
	{path: "queues", title: "Queues", columns: []string{"Name", "Type", "Id"},
		fetch: func(ctx context.Context, c *connect.Client, inst string, next *string) ([][]cell, *string, error) {
			out, err := c.ListQueues(ctx, &connect.ListQueuesInput{InstanceId: &inst, NextToken: next, MaxResults: aws.Int32(pageSize)})
			if err != nil {
				return nil, nil, err
			}
			var rows [][]cell
			for _, s := range out.QueueSummaryList {
				rows = append(rows, []cell{{Text: str(s.Name)}, {Text: string(s.QueueType)}, {Text: str(s.Id)}})
			}
			return rows, out.NextToken, nil
		}},
	{path: "hours", title: "Hours of operation", columns: []string{"Name", "Id"},
		fetch: func(ctx context.Context, c *connect.Client, inst string, next *string) ([][]cell, *string, error) {
			out, err := c.ListHoursOfOperations(ctx, &connect.ListHoursOfOperationsInput{InstanceId: &inst, NextToken: next, MaxResults: aws.Int32(pageSize)})
			if err != nil {
				return nil, nil, err
			}
			var rows [][]cell
			for _, s := range out.HoursOfOperationSummaryList {
				rows = append(rows, []cell{{Text: str(s.Name)}, {Text: str(s.Id)}})
			}
			return rows, out.NextToken, nil
		}},
	{path: "flows", title: "Contact flows", columns: []string{"Name", "Type", "State", "Id"},
		fetch: func(ctx context.Context, c *connect.Client, inst string, next *string) ([][]cell, *string, error) {
			out, err := c.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: &inst, NextToken: next, MaxResults: aws.Int32(pageSize)})
			if err != nil {
				return nil, nil, err
			}
			var rows [][]cell
			for _, s := range out.ContactFlowSummaryList {
				rows = append(rows, []cell{{Text: str(s.Name), Href: instPath(inst, "flows", str(s.Id))}, {Text: string(s.ContactFlowType)}, {Text: string(s.ContactFlowState)}, {Text: str(s.Id)}})
			}
			return rows, out.NextToken, nil
		}},
	{path: "modules", title: "Flow modules", columns: []string{"Name", "State", "Id"},
		fetch: func(ctx context.Context, c *connect.Client, inst string, next *string) ([][]cell, *string, error) {
			out, err := c.ListContactFlowModules(ctx, &connect.ListContactFlowModulesInput{InstanceId: &inst, NextToken: next, MaxResults: aws.Int32(pageSize)})
			if err != nil {
				return nil, nil, err
			}
			var rows [][]cell
			for _, s := range out.ContactFlowModulesSummaryList {
				rows = append(rows, []cell{{Text: str(s.Name), Href: instPath(inst, "modules", str(s.Id))}, {Text: string(s.State)}, {Text: str(s.Id)}})
			}
			return rows, out.NextToken, nil
		}},
	{path: "phone-numbers", title: "Phone numbers", columns: []string{"Number", "Type", "Country", "Description", "Id"},
		fetch: func(ctx context.Context, c *connect.Client, inst string, next *string) ([][]cell, *string, error) {
			out, err := c.ListPhoneNumbersV2(ctx, &connect.ListPhoneNumbersV2Input{InstanceId: &inst, NextToken: next, MaxResults: aws.Int32(pageSize)})
			if err != nil {
				return nil, nil, err
			}
			var rows [][]cell
			for _, s := range out.ListPhoneNumbersSummaryList {
				rows = append(rows, []cell{{Text: str(s.PhoneNumber)}, {Text: string(s.PhoneNumberType)}, {Text: string(s.PhoneNumberCountryCode)}, {Text: str(s.PhoneNumberDescription)}, {Text: str(s.PhoneNumberId)}})
			}
			return rows, out.NextToken, nil
		}},
	{path: "agent-statuses", title: "Agent statuses", columns: []string{"Name", "Type", "Id"},
		fetch: func(ctx context.Context, c *connect.Client, inst string, next *string) ([][]cell, *string, error) {
			out, err := c.ListAgentStatuses(ctx, &connect.ListAgentStatusesInput{InstanceId: &inst, NextToken: next, MaxResults: aws.Int32(pageSize)})
			if err != nil {
				return nil, nil, err
			}
			var rows [][]cell
			for _, s := range out.AgentStatusSummaryList {
				rows = append(rows, []cell{{Text: str(s.Name)}, {Text: string(s.Type)}, {Text: str(s.Id)}})
			}
			return rows, out.NextToken, nil
		}},
}

func (h *Handler) listPage(p listPage) func(http.ResponseWriter, *http.Request, *session) {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		inst := r.PathValue("inst")
		pg := page{Title: p.title, Session: s, Instance: inst}
		rows, next, err := p.fetch(r.Context(), s.client, inst, nextPtr(r))
		if err != nil {
			h.renderAPIError(w, r, pg, err)
			return
		}
		t := &table{Columns: p.columns, Rows: rows}
		pageLinks(t, r, next)
		pg.Data = t
		h.render(w, r, http.StatusOK, "list", pg)
	}
}

func (h *Handler) instancesPage(w http.ResponseWriter, r *http.Request, s *session) {
	pg := page{Title: "Instances", Session: s}
	out, err := s.client.ListInstances(r.Context(), &connect.ListInstancesInput{NextToken: nextPtr(r), MaxResults: aws.Int32(10)})
	if err != nil {
		h.renderAPIError(w, r, pg, err)
		return
	}
	t := &table{Columns: []string{"Alias", "Identity management", "Status", "Id"}}
	for _, i := range out.InstanceSummaryList {
		t.Rows = append(t.Rows, []cell{{Text: str(i.InstanceAlias), Href: instPath(str(i.Id)) + "/"}, {Text: string(i.IdentityManagementType)}, {Text: string(i.InstanceStatus)}, {Text: str(i.Id)}})
	}
	pageLinks(t, r, out.NextToken)
	pg.Data = t
	h.render(w, r, http.StatusOK, "list", pg)
}

// instanceSection is a link of the instance page.
type instanceSection struct{ Title, Href string }

func (h *Handler) instancePage(w http.ResponseWriter, r *http.Request, s *session) {
	inst := r.PathValue("inst")
	pg := page{Title: "Instance", Session: s, Instance: inst}
	out, err := s.client.DescribeInstance(r.Context(), &connect.DescribeInstanceInput{InstanceId: &inst})
	if err != nil {
		h.renderAPIError(w, r, pg, err)
		return
	}
	i := out.Instance
	pg.Title = "Instance " + str(i.InstanceAlias)
	sections := []instanceSection{{"Users", instPath(inst, "users")}, {"User hierarchy", instPath(inst, "hierarchy")}}
	for _, p := range listPages {
		sections = append(sections, instanceSection{p.title, instPath(inst, p.path)})
	}
	pg.Data = map[string]any{
		"Id": str(i.Id), "Arn": str(i.Arn), "Alias": str(i.InstanceAlias), "IdentityManagement": string(i.IdentityManagementType),
		"Status": string(i.InstanceStatus), "Sections": sections,
	}
	h.render(w, r, http.StatusOK, "instance", pg)
}

func (h *Handler) routingProfilePage(w http.ResponseWriter, r *http.Request, s *session) {
	inst, id := r.PathValue("inst"), r.PathValue("id")
	pg := page{Title: "Routing profile", Session: s, Instance: inst}
	ctx := r.Context()
	rp, err := s.client.DescribeRoutingProfile(ctx, &connect.DescribeRoutingProfileInput{InstanceId: &inst, RoutingProfileId: &id})
	if err != nil {
		h.renderAPIError(w, r, pg, err)
		return
	}
	qs, err := s.client.ListRoutingProfileQueues(ctx, &connect.ListRoutingProfileQueuesInput{InstanceId: &inst, RoutingProfileId: &id, NextToken: nextPtr(r), MaxResults: aws.Int32(pageSize)})
	if err != nil {
		h.renderAPIError(w, r, pg, err)
		return
	}
	p := rp.RoutingProfile
	pg.Title = "Routing profile " + str(p.Name)
	t := &table{Columns: []string{"Queue", "Channel", "Priority", "Delay (s)"}}
	for _, q := range qs.RoutingProfileQueueConfigSummaryList {
		t.Rows = append(t.Rows, []cell{{Text: str(q.QueueName)}, {Text: string(q.Channel)}, {Text: itoa(aws.ToInt32(q.Priority))}, {Text: itoa(q.Delay)}})
	}
	pageLinks(t, r, qs.NextToken)
	var conc []string
	for _, m := range p.MediaConcurrencies {
		conc = append(conc, string(m.Channel)+": "+itoa(aws.ToInt32(m.Concurrency)))
	}
	pg.Data = map[string]any{"Id": str(p.RoutingProfileId), "Name": str(p.Name), "Description": str(p.Description),
		"DefaultOutboundQueueId": str(p.DefaultOutboundQueueId), "Concurrency": conc, "Queues": t}
	h.render(w, r, http.StatusOK, "routingprofile", pg)
}

func (h *Handler) hierarchyPage(w http.ResponseWriter, r *http.Request, s *session) {
	inst := r.PathValue("inst")
	pg := page{Title: "User hierarchy", Session: s, Instance: inst}
	ctx := r.Context()
	st, err := s.client.DescribeUserHierarchyStructure(ctx, &connect.DescribeUserHierarchyStructureInput{InstanceId: &inst})
	if err != nil {
		h.renderAPIError(w, r, pg, err)
		return
	}
	gs, err := s.client.ListUserHierarchyGroups(ctx, &connect.ListUserHierarchyGroupsInput{InstanceId: &inst, NextToken: nextPtr(r), MaxResults: aws.Int32(pageSize)})
	if err != nil {
		h.renderAPIError(w, r, pg, err)
		return
	}
	var levels []string
	if hs := st.HierarchyStructure; hs != nil {
		for i, l := range []*types.HierarchyLevel{hs.LevelOne, hs.LevelTwo, hs.LevelThree, hs.LevelFour, hs.LevelFive} {
			if l != nil {
				levels = append(levels, "Level "+itoa(int32(i+1))+": "+str(l.Name))
			}
		}
	}
	t := &table{Columns: []string{"Group", "Id"}}
	for _, g := range gs.UserHierarchyGroupSummaryList {
		t.Rows = append(t.Rows, []cell{{Text: str(g.Name)}, {Text: str(g.Id)}})
	}
	pageLinks(t, r, gs.NextToken)
	pg.Data = map[string]any{"Levels": levels, "Groups": t}
	h.render(w, r, http.StatusOK, "hierarchy", pg)
}

func (h *Handler) flowPage(w http.ResponseWriter, r *http.Request, s *session) {
	inst, id := r.PathValue("inst"), r.PathValue("id")
	pg := page{Title: "Contact flow", Session: s, Instance: inst}
	out, err := s.client.DescribeContactFlow(r.Context(), &connect.DescribeContactFlowInput{InstanceId: &inst, ContactFlowId: &id})
	if err != nil {
		h.renderAPIError(w, r, pg, err)
		return
	}
	f := out.ContactFlow
	pg.Title = "Contact flow " + str(f.Name)
	pg.Data = map[string]any{"Id": str(f.Id), "Name": str(f.Name), "Kind": string(f.Type), "State": string(f.State),
		"Description": str(f.Description), "Content": prettyJSON(str(f.Content))}
	h.render(w, r, http.StatusOK, "content", pg)
}

func (h *Handler) modulePage(w http.ResponseWriter, r *http.Request, s *session) {
	inst, id := r.PathValue("inst"), r.PathValue("id")
	pg := page{Title: "Flow module", Session: s, Instance: inst}
	out, err := s.client.DescribeContactFlowModule(r.Context(), &connect.DescribeContactFlowModuleInput{InstanceId: &inst, ContactFlowModuleId: &id})
	if err != nil {
		h.renderAPIError(w, r, pg, err)
		return
	}
	m := out.ContactFlowModule
	pg.Title = "Flow module " + str(m.Name)
	pg.Data = map[string]any{"Id": str(m.Id), "Name": str(m.Name), "Kind": "module", "State": string(m.State),
		"Description": str(m.Description), "Content": prettyJSON(str(m.Content))}
	h.render(w, r, http.StatusOK, "content", pg)
}

// prettyJSON indents flow content; content that is not JSON is shown as
// it is.
func prettyJSON(s string) string {
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(s), "", "  "); err != nil {
		return s
	}
	return b.String()
}

func itoa(n int32) string { return strconv.Itoa(int(n)) }
