package console

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-dev/switchboard/internal/apicall"
)

// The agent panel: pick a user, set its status (PutUserStatus), see its
// contacts (GetCurrentUserData) and act on them as the agent would in the
// Contact Control Panel, through Switchboard's test API
// (POST /_switchboard/agent/action), signed as the session's key like
// every other call the console makes (docs/CONSOLE.md).

// agentActions are the actions the panel offers, by the test API's name,
// with the button's words; the API judges whether one applies.
var agentActions = []struct{ Action, Label string }{
	{"accept", "Accept"}, {"reject", "Reject"}, {"hang-up", "Hang up"}, {"clear", "Clear after contact work"},
}

// doneNotices are what the panel says after a change succeeded (the
// redirect names the change; the words are never taken from the URL).
var doneNotices = map[string]string{
	"status": "Status set.", "accept": "Contact accepted.", "reject": "Contact rejected.",
	"hang-up": "Contact hung up: after contact work.", "clear": "After contact work cleared.",
}

// agentPanel is the panel page's data.
type agentPanel struct {
	Query    string
	Users    []option
	User     string // the chosen user's id
	Username string
	Next     string // the user list's next page
	First    string
	Statuses []option
	LoggedIn bool
	Agent    agentRow
	Actions  map[string][]struct{ Action, Label string } // by AgentContactState
}

// applicable is which actions a contact in each AgentContactState takes.
func applicable() map[string][]struct{ Action, Label string } {
	return map[string][]struct{ Action, Label string }{
		string(types.ContactStateConnecting): {agentActions[0], agentActions[1]},
		string(types.ContactStateIncoming):   {agentActions[0], agentActions[1]},
		string(types.ContactStateConnected):  {agentActions[2]},
		string(types.ContactStateEnded):      {agentActions[3]},
	}
}

func (h *Handler) loadAgentPanel(ctx context.Context, r *http.Request, s *session, inst, user string) (*agentPanel, error) {
	c := s.client
	q := r.URL.Query()
	p := &agentPanel{Query: strings.TrimSpace(q.Get("q")), User: user, Actions: applicable()}
	in := &connect.SearchUsersInput{InstanceId: &inst, MaxResults: aws.Int32(pageSize), NextToken: nextPtr(r)}
	if p.Query != "" {
		var or []types.UserSearchCriteria
		for _, field := range []string{"Username", "FirstName", "LastName"} {
			or = append(or, types.UserSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String(field), Value: aws.String(p.Query), ComparisonType: types.StringComparisonTypeContains}})
		}
		in.SearchCriteria = &types.UserSearchCriteria{OrConditions: or}
	}
	users, err := c.SearchUsers(ctx, in)
	if err != nil {
		return nil, err
	}
	for _, u := range users.Users {
		p.Users = append(p.Users, option{Value: str(u.Id), Label: str(u.Username), Selected: str(u.Id) == user})
	}
	t := &table{}
	pageLinks(t, r, users.NextToken)
	p.Next, p.First = t.Next, t.First
	if user == "" {
		return p, nil
	}
	du, err := c.DescribeUser(ctx, &connect.DescribeUserInput{InstanceId: &inst, UserId: &user})
	if err != nil {
		return nil, err
	}
	p.Username = str(du.User.Username)
	if !anySelected(p.Users) {
		// The chosen user is not on this page of the list: keep it chosen.
		p.Users = append([]option{{Value: user, Label: p.Username, Selected: true}}, p.Users...)
	}
	var next *string
	for range maxChoicePages {
		out, err := c.ListAgentStatuses(ctx, &connect.ListAgentStatusesInput{InstanceId: &inst, NextToken: next, MaxResults: aws.Int32(1000)})
		if err != nil {
			return nil, err
		}
		for _, st := range out.AgentStatusSummaryList {
			p.Statuses = append(p.Statuses, option{Value: str(st.Id), Label: str(st.Name) + " (" + string(st.Type) + ")"})
		}
		if next = out.NextToken; next == nil || *next == "" {
			break
		}
	}
	data, err := c.GetCurrentUserData(ctx, &connect.GetCurrentUserDataInput{InstanceId: &inst, Filters: &types.UserDataFilters{Agents: []string{user}}})
	if err != nil {
		return nil, err
	}
	if len(data.UserDataList) > 0 {
		p.LoggedIn = true
		p.Agent = agentView(inst, data.UserDataList[0], map[string]string{user: p.Username}, map[string]string{})
		for i := range p.Statuses {
			p.Statuses[i].Selected = p.Statuses[i].Value == p.Agent.StatusID
		}
	}
	return p, nil
}

func (h *Handler) agentPage(w http.ResponseWriter, r *http.Request, s *session) {
	inst := r.PathValue("inst")
	h.renderAgentPanel(w, r, s, inst, r.URL.Query().Get("user"), http.StatusOK, nil)
}

// renderAgentPanel shows the panel, with failed's message when a change
// failed, under the status the API answered (status when it answered
// none).
func (h *Handler) renderAgentPanel(w http.ResponseWriter, r *http.Request, s *session, inst, user string, status int, failed error) {
	pg := page{Title: "Agent panel", Session: s, Instance: inst}
	p, err := h.loadAgentPanel(r.Context(), r, s, inst, user)
	if err != nil {
		h.renderAPIError(w, r, pg, err)
		return
	}
	if failed != nil {
		pg.Error = apiMessage(failed)
		var re interface{ HTTPStatusCode() int }
		if asStatus(failed, &re) && re.HTTPStatusCode() >= 400 {
			status = re.HTTPStatusCode()
		}
	} else if n := doneNotices[r.URL.Query().Get("done")]; n != "" {
		pg.Notice = n
	}
	pg.Data = p
	h.render(w, r, status, "agent", pg)
}

// afterChange answers a successful change with a redirect to the panel
// (so reloading does not repeat it), or renders the panel with the error.
func (h *Handler) afterChange(w http.ResponseWriter, r *http.Request, s *session, inst, user, done string, err error) {
	if err != nil {
		// The panel's GET parameters are not in a POST's URL: show the
		// chosen user and the first page of users.
		r.URL.RawQuery = url.Values{"user": {user}}.Encode()
		h.renderAgentPanel(w, r, s, inst, user, http.StatusBadGateway, err)
		return
	}
	http.Redirect(w, r, instPath(inst, "agent")+"?"+url.Values{"user": {user}, "done": {done}}.Encode(), http.StatusSeeOther)
}

func (h *Handler) setAgentStatus(w http.ResponseWriter, r *http.Request, s *session) {
	inst := r.PathValue("inst")
	user, status := r.PostForm.Get("user"), r.PostForm.Get("status")
	_, err := s.client.PutUserStatus(r.Context(), &connect.PutUserStatusInput{InstanceId: &inst, UserId: &user, AgentStatusId: &status})
	h.afterChange(w, r, s, inst, user, "status", err)
}

func (h *Handler) agentAction(w http.ResponseWriter, r *http.Request, s *session) {
	inst := r.PathValue("inst")
	f := r.PostForm
	user, action := f.Get("user"), f.Get("action")
	if _, ok := doneNotices[action]; !ok || action == "status" {
		h.renderAgentPanel(w, r, s, inst, user, http.StatusBadRequest, fmt.Errorf("unknown action %q", action))
		return
	}
	err := h.testAPI(r.Context(), s, "agent/action", map[string]string{"InstanceId": inst, "ContactId": f.Get("contact"), "UserId": user, "Action": action})
	h.afterChange(w, r, s, inst, user, action, err)
}

// testAPI calls Switchboard's own API (docs/TESTING.md) as the session's
// key: SigV4-signed like a Connect call (service "connect", the session's
// region) and handed to the server's handler in process, so the key's
// policy decides (switchboard:AgentAction, ...). An error answer is an
// *apicall.Error, which reads like the SDK's errors.
func (h *Handler) testAPI(ctx context.Context, s *session, path string, in any) error {
	creds, err := s.client.Options().Credentials.Retrieve(ctx)
	if err != nil {
		return err
	}
	return apicall.Call{Endpoint: apiEndpoint, Region: s.region, AccessKeyID: creds.AccessKeyID, Secret: creds.SecretAccessKey,
		HTTP: &http.Client{Transport: inProcess{handler: h.cfg.API}}}.Do(ctx, http.MethodPost, path, in, nil)
}

func anySelected(opts []option) bool {
	for _, o := range opts {
		if o.Selected {
			return true
		}
	}
	return false
}
