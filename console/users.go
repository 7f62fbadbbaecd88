package console

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

// option is one choice of a select or a checkbox list.
type option struct {
	Value, Label string
	Selected     bool
}

// userView is what the user form template shows.
type userView struct {
	New      bool
	ID, ARN  string
	F        userForm
	Errors   *formErrors
	Routing  []option
	Security []option
	Groups   []option
	Channels []string
}

// maxChoicePages bounds how many pages of choices (routing profiles,
// security profiles, hierarchy groups, 1000 each) a form loads.
const maxChoicePages = 5

func (h *Handler) usersPage(w http.ResponseWriter, r *http.Request, s *session) {
	inst := r.PathValue("inst")
	pg := page{Title: "Users", Session: s, Instance: inst}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	in := &connect.SearchUsersInput{InstanceId: &inst, MaxResults: aws.Int32(pageSize), NextToken: nextPtr(r)}
	if q != "" {
		var or []types.UserSearchCriteria
		for _, field := range []string{"Username", "FirstName", "LastName"} {
			or = append(or, types.UserSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String(field), Value: aws.String(q), ComparisonType: types.StringComparisonTypeContains}})
		}
		in.SearchCriteria = &types.UserSearchCriteria{OrConditions: or}
	}
	out, err := s.client.SearchUsers(r.Context(), in)
	if err != nil {
		h.renderAPIError(w, r, pg, err)
		return
	}
	t := &table{Columns: []string{"Username", "First name", "Last name", "Id"}, NewHref: instPath(inst, "users", "new"), NewText: "Add a user"}
	for _, u := range out.Users {
		var first, last string
		if i := u.IdentityInfo; i != nil {
			first, last = str(i.FirstName), str(i.LastName)
		}
		t.Rows = append(t.Rows, []cell{{Text: str(u.Username), Href: instPath(inst, "users", str(u.Id))}, {Text: first}, {Text: last}, {Text: str(u.Id)}})
	}
	pageLinks(t, r, out.NextToken)
	pg.Data = map[string]any{"Query": q, "Table": t, "Total": aws.ToInt64(out.ApproximateTotalCount)}
	h.render(w, r, http.StatusOK, "users", pg)
}

// choices loads the routing profiles, security profiles and hierarchy
// groups a user form chooses from, marking f's.
func (h *Handler) choices(ctx context.Context, s *session, inst string, v *userView) error {
	f := v.F
	var next *string
	for range maxChoicePages {
		out, err := s.client.ListRoutingProfiles(ctx, &connect.ListRoutingProfilesInput{InstanceId: &inst, NextToken: next, MaxResults: aws.Int32(1000)})
		if err != nil {
			return err
		}
		for _, p := range out.RoutingProfileSummaryList {
			v.Routing = append(v.Routing, option{Value: str(p.Id), Label: str(p.Name), Selected: str(p.Id) == f.RoutingProfileID})
		}
		if next = out.NextToken; next == nil {
			break
		}
	}
	next = nil
	for range maxChoicePages {
		out, err := s.client.ListSecurityProfiles(ctx, &connect.ListSecurityProfilesInput{InstanceId: &inst, NextToken: next, MaxResults: aws.Int32(1000)})
		if err != nil {
			return err
		}
		for _, p := range out.SecurityProfileSummaryList {
			v.Security = append(v.Security, option{Value: str(p.Id), Label: str(p.Name), Selected: slices.Contains(f.SecurityProfileIDs, str(p.Id))})
		}
		if next = out.NextToken; next == nil {
			break
		}
	}
	next = nil
	for range maxChoicePages {
		out, err := s.client.ListUserHierarchyGroups(ctx, &connect.ListUserHierarchyGroupsInput{InstanceId: &inst, NextToken: next, MaxResults: aws.Int32(1000)})
		if err != nil {
			return err
		}
		for _, g := range out.UserHierarchyGroupSummaryList {
			v.Groups = append(v.Groups, option{Value: str(g.Id), Label: str(g.Name), Selected: str(g.Id) == f.HierarchyGroupID})
		}
		if next = out.NextToken; next == nil {
			break
		}
	}
	return nil
}

// showUserForm renders the user form; status is the API's when it
// refused the form.
func (h *Handler) showUserForm(w http.ResponseWriter, r *http.Request, s *session, inst string, v *userView, status int, notice string) {
	pg := page{Title: "Add a user", Session: s, Instance: inst, Notice: notice}
	if !v.New {
		pg.Title = "User " + v.F.Username
	}
	v.Channels = channels
	if v.Errors == nil {
		v.Errors = &formErrors{}
	}
	if err := h.choices(r.Context(), s, inst, v); err != nil {
		if v.Errors == nil {
			v.Errors = &formErrors{}
		}
		v.Errors.top("The form's choices could not be loaded: " + apiMessage(err))
	}
	pg.Data = v
	h.render(w, r, status, "user", pg)
}

func (h *Handler) newUserPage(w http.ResponseWriter, r *http.Request, s *session) {
	v := &userView{New: true}
	for _, ch := range channels {
		v.F.Channels = append(v.F.Channels, channelRow{Channel: ch})
	}
	h.showUserForm(w, r, s, r.PathValue("inst"), v, http.StatusOK, "")
}

// errorStatus is the HTTP status of a refused form: the API's.
func errorStatus(err error) int {
	var re interface{ HTTPStatusCode() int }
	if ok := asStatus(err, &re); ok && re.HTTPStatusCode() >= 400 {
		return re.HTTPStatusCode()
	}
	return http.StatusBadRequest
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request, s *session) {
	inst := r.PathValue("inst")
	f := readUserForm(r.PostForm)
	fe := &formErrors{}
	in := f.createInput(inst, fe)
	v := &userView{New: true, F: f, Errors: fe}
	if fe.any() {
		h.showUserForm(w, r, s, inst, v, http.StatusBadRequest, "")
		return
	}
	out, err := s.client.CreateUser(r.Context(), in)
	if err != nil {
		v.Errors = placeError(err, userFields)
		h.showUserForm(w, r, s, inst, v, errorStatus(err), "")
		return
	}
	http.Redirect(w, r, instPath(inst, "users", str(out.UserId))+"?created=1", http.StatusSeeOther)
}

func (h *Handler) userPage(w http.ResponseWriter, r *http.Request, s *session) {
	inst, id := r.PathValue("inst"), r.PathValue("id")
	out, err := s.client.DescribeUser(r.Context(), &connect.DescribeUserInput{InstanceId: &inst, UserId: &id})
	if err != nil {
		h.renderAPIError(w, r, page{Title: "User", Session: s, Instance: inst}, err)
		return
	}
	notice := ""
	switch {
	case r.URL.Query().Has("created"):
		notice = "The user was created."
	case r.URL.Query().Has("saved"):
		notice = "The changes were saved."
	}
	h.showUserForm(w, r, s, inst, &userView{ID: id, ARN: str(out.User.Arn), F: userFormOf(out.User)}, http.StatusOK, notice)
}

// listsOf projects a form's per-channel settings, one string per list,
// to tell which lists changed.
func listsOf(f userForm) [5]string {
	var l [5]string
	for _, r := range f.Channels {
		l[0] += r.Channel + "|" + r.AutoAccept + "|" + r.CallbackAutoAccept + ";"
		l[1] += r.Channel + "|" + r.ACW + "|" + r.CallbackACW + ";"
		l[2] += r.Channel + "|" + r.PhoneType + "|" + r.PhoneNumber + ";"
		l[3] += r.Channel + "|" + r.Persistent + ";"
		l[4] += r.Channel + "|" + r.VoiceEnhancement + ";"
	}
	return l
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// updateUser sends the UpdateUser* operations for what changed, in the
// form's order, and stops at the first the API refuses.
func (h *Handler) updateUser(w http.ResponseWriter, r *http.Request, s *session) {
	inst, id := r.PathValue("inst"), r.PathValue("id")
	ctx := r.Context()
	cur, err := s.client.DescribeUser(ctx, &connect.DescribeUserInput{InstanceId: &inst, UserId: &id})
	if err != nil {
		h.renderAPIError(w, r, page{Title: "User", Session: s, Instance: inst}, err)
		return
	}
	old := userFormOf(cur.User)
	f := readUserForm(r.PostForm)
	f.Username, f.DirectoryUserID = old.Username, old.DirectoryUserID // no operation changes them
	fe := &formErrors{}
	in := f.input(fe)
	v := &userView{ID: id, ARN: str(cur.User.Arn), F: f, Errors: fe}
	if fe.any() {
		h.showUserForm(w, r, s, inst, v, http.StatusBadRequest, "")
		return
	}
	type step struct {
		what string
		call func() error
	}
	var steps []step
	if [5]string{f.FirstName, f.LastName, f.Email, f.SecondaryEmail, f.Mobile} != [5]string{old.FirstName, old.LastName, old.Email, old.SecondaryEmail, old.Mobile} {
		steps = append(steps, step{"identity info", func() error {
			ii := in.identity
			if ii == nil {
				ii = &types.UserIdentityInfo{}
			}
			_, err := s.client.UpdateUserIdentityInfo(ctx, &connect.UpdateUserIdentityInfoInput{InstanceId: &inst, UserId: &id, IdentityInfo: ii})
			return err
		}})
	}
	if [5]string{f.PhoneType, f.AutoAccept, f.ACW, f.DeskPhone, f.Persistent} != [5]string{old.PhoneType, old.AutoAccept, old.ACW, old.DeskPhone, old.Persistent} {
		steps = append(steps, step{"phone settings", func() error {
			pc := in.phone
			if pc == nil {
				pc = &types.UserPhoneConfig{}
			}
			_, err := s.client.UpdateUserPhoneConfig(ctx, &connect.UpdateUserPhoneConfigInput{InstanceId: &inst, UserId: &id, PhoneConfig: pc})
			return err
		}})
	}
	if nl, ol := listsOf(f), listsOf(old); nl != ol {
		steps = append(steps, step{"per-channel settings", func() error {
			uc := &connect.UpdateUserConfigInput{InstanceId: &inst, UserId: &id}
			if nl[0] != ol[0] {
				uc.AutoAcceptConfigs = nonNil(in.autoAccept)
			}
			if nl[1] != ol[1] {
				uc.AfterContactWorkConfigs = nonNil(in.acw)
			}
			if nl[2] != ol[2] {
				uc.PhoneNumberConfigs = nonNil(in.phoneNumbers)
			}
			if nl[3] != ol[3] {
				uc.PersistentConnectionConfigs = nonNil(in.persistent)
			}
			if nl[4] != ol[4] {
				uc.VoiceEnhancementConfigs = nonNil(in.voice)
			}
			_, err := s.client.UpdateUserConfig(ctx, uc)
			return err
		}})
	}
	if f.RoutingProfileID != old.RoutingProfileID {
		steps = append(steps, step{"routing profile", func() error {
			_, err := s.client.UpdateUserRoutingProfile(ctx, &connect.UpdateUserRoutingProfileInput{InstanceId: &inst, UserId: &id, RoutingProfileId: aws.String(f.RoutingProfileID)})
			return err
		}})
	}
	if !sameSet(f.SecurityProfileIDs, old.SecurityProfileIDs) {
		steps = append(steps, step{"security profiles", func() error {
			_, err := s.client.UpdateUserSecurityProfiles(ctx, &connect.UpdateUserSecurityProfilesInput{InstanceId: &inst, UserId: &id, SecurityProfileIds: nonNil(f.SecurityProfileIDs)})
			return err
		}})
	}
	if f.HierarchyGroupID != old.HierarchyGroupID {
		steps = append(steps, step{"hierarchy group", func() error {
			_, err := s.client.UpdateUserHierarchy(ctx, &connect.UpdateUserHierarchyInput{InstanceId: &inst, UserId: &id, HierarchyGroupId: in.hierarchyGroup})
			return err
		}})
	}
	oldTags := parseTags(old.Tags)
	var removed []string
	for k := range oldTags {
		if _, ok := in.tags[k]; !ok {
			removed = append(removed, k)
		}
	}
	added := map[string]string{}
	for k, val := range in.tags {
		if ov, ok := oldTags[k]; !ok || ov != val {
			added[k] = val
		}
	}
	if len(added) > 0 {
		steps = append(steps, step{"tags", func() error {
			_, err := s.client.TagResource(ctx, &connect.TagResourceInput{ResourceArn: cur.User.Arn, Tags: added})
			return err
		}})
	}
	if len(removed) > 0 {
		slices.Sort(removed)
		steps = append(steps, step{"removed tags", func() error {
			_, err := s.client.UntagResource(ctx, &connect.UntagResourceInput{ResourceArn: cur.User.Arn, TagKeys: removed})
			return err
		}})
	}
	var done []string
	for _, st := range steps {
		if err := st.call(); err != nil {
			v.Errors = placeError(err, userFields)
			notice := ""
			if len(done) > 0 {
				notice = "Saved before the error: " + strings.Join(done, ", ") + "."
			}
			h.showUserForm(w, r, s, inst, v, errorStatus(err), notice)
			return
		}
		done = append(done, st.what)
	}
	http.Redirect(w, r, instPath(inst, "users", id)+"?saved=1", http.StatusSeeOther)
}

func (h *Handler) deleteUserPage(w http.ResponseWriter, r *http.Request, s *session) {
	inst, id := r.PathValue("inst"), r.PathValue("id")
	pg := page{Title: "Delete a user", Session: s, Instance: inst}
	out, err := s.client.DescribeUser(r.Context(), &connect.DescribeUserInput{InstanceId: &inst, UserId: &id})
	if err != nil {
		h.renderAPIError(w, r, pg, err)
		return
	}
	pg.Data = map[string]string{"ID": id, "Username": str(out.User.Username)}
	h.render(w, r, http.StatusOK, "delete", pg)
}

func (h *Handler) deleteUser(w http.ResponseWriter, r *http.Request, s *session) {
	inst, id := r.PathValue("inst"), r.PathValue("id")
	pg := page{Title: "Delete a user", Session: s, Instance: inst}
	if _, err := s.client.DeleteUser(r.Context(), &connect.DeleteUserInput{InstanceId: &inst, UserId: &id}); err != nil {
		pg.Data = map[string]string{"ID": id, "Username": r.PostForm.Get("username")}
		pg.Error = apiMessage(err)
		h.render(w, r, errorStatus(err), "delete", pg)
		return
	}
	http.Redirect(w, r, instPath(inst, "users")+"?deleted=1", http.StatusSeeOther)
}
