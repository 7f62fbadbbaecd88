package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/flow"
)

// Flow modules: CreateContactFlowModule, DescribeContactFlowModule,
// ListContactFlowModules, SearchContactFlowModules,
// UpdateContactFlowModuleContent, UpdateContactFlowModuleMetadata and
// DeleteContactFlowModule (tags through the generic tag operations, ARN
// .../flow-module/{id}). Versions and aliases are in flowmodulealiases.go.
//
// A module's versions and aliases are records of their own whose ids begin
// with the module's id ("{moduleId}:{version}", "{moduleId}:{aliasId}"):
// a version refers to its module and an alias to its version, so the store
// itself refuses to delete a version an alias points at. An alias's record
// Name is "{moduleId}:{aliasName}", which makes alias names unique per
// module through the store's per-instance name index.

func (s *Service) registerFlowModules() {
	handle(s, "CreateContactFlowModule", s.createContactFlowModule)
	handle(s, "DescribeContactFlowModule", s.describeContactFlowModule)
	handle(s, "ListContactFlowModules", s.listContactFlowModules)
	handle(s, "SearchContactFlowModules", s.searchContactFlowModules)
	handle(s, "UpdateContactFlowModuleContent", s.updateContactFlowModuleContent)
	handle(s, "UpdateContactFlowModuleMetadata", s.updateContactFlowModuleMetadata)
	handle(s, "DeleteContactFlowModule", s.deleteContactFlowModule)
	s.registerFlowModuleVersions()
}

// flowModuleDoc is what the store keeps of a module besides the record's
// id, name and tags.
type flowModuleDoc struct {
	Description *string                              `json:"description,omitempty"`
	Content     string                               `json:"content"`
	Settings    *string                              `json:"settings,omitempty"`
	External    *api.ExternalInvocationConfiguration `json:"external,omitempty"`
	State       string                               `json:"state"`
	// LastVersion is the number of the newest version ever created, so a
	// deleted version's number is never given again.
	LastVersion int64 `json:"lastVersion,omitempty"`
}

// Modules created through the API are published: the API has no way to
// save a module without publishing it.
const moduleStatus = api.ContactFlowModuleStatusPublished

func moduleContentSha(content string) string {
	sum := sha256.Sum256([]byte(content))
	return hex.EncodeToString(sum[:])
}

func decodeModule(rec *switchboard.Record) (*flowModuleDoc, error) {
	var doc flowModuleDoc
	return &doc, decode(rec, &doc)
}

// moduleShape is DescribeContactFlowModule's answer for the module itself.
func moduleShape(rec *switchboard.Record, doc *flowModuleDoc) api.ContactFlowModule {
	return api.ContactFlowModule{
		Arn: ptr(resourceARN(rec.Scope, switchboard.KindFlowModule, rec.Parent, rec.ID)), Id: ptr(rec.ID), Name: ptr(rec.Name),
		Description: doc.Description, Content: ptr(doc.Content), Settings: doc.Settings, ExternalInvocationConfiguration: doc.External,
		State: ptr(doc.State), Status: ptr(moduleStatus), Tags: copyTags(rec.Tags), FlowModuleContentSha256: ptr(moduleContentSha(doc.Content)),
	}
}

// splitModuleID separates a module id or ARN with an optional qualifier
// ("{id}:3", "{id}:$SAVED", "{id}:{aliasName}") into the module id and the
// qualifier ("" for none). An ARN must name a flow module of the instance;
// ok is false otherwise.
func splitModuleID(instanceID, idOrARN string) (id, qualifier string, ok bool) {
	id = idOrARN
	if strings.HasPrefix(idOrARN, "arn:") {
		prefix := "instance/" + instanceID + "/flow-module/"
		i := strings.Index(idOrARN, prefix)
		if i < 0 {
			return "", "", false
		}
		id = idOrARN[i+len(prefix):]
	}
	id, qualifier, _ = strings.Cut(id, ":")
	return id, qualifier, id != ""
}

// getModule loads a module named by id or ARN, without a qualifier, or
// answers ResourceNotFoundException.
func getModule(tx switchboard.Tx, sc switchboard.Scope, instanceIDOrARN, idOrARN string) (*switchboard.Record, *flowModuleDoc, error) {
	instanceID := instanceIDFrom(instanceIDOrARN)
	id, qualifier, ok := splitModuleID(instanceID, idOrARN)
	if !ok || qualifier != "" {
		if _, err := instanceRecord(tx, sc, instanceID); err != nil {
			return nil, nil, err
		}
		return nil, nil, notFound("Flow module %s not found in instance %s", idOrARN, instanceID)
	}
	rec, err := getChild(tx, sc, instanceID, switchboard.KindFlowModule, id)
	if err != nil {
		return nil, nil, err
	}
	doc, err := decodeModule(rec)
	return rec, doc, err
}

// maxProblems is how many problems InvalidContactFlowModuleException can
// carry (the model's Problems list has at most 50 entries).
const maxProblems = 50

// checkModule validates a module's content and settings as Connect does
// before storing them, answering InvalidContactFlowModuleException with
// every problem found.
func checkModule(tx switchboard.Tx, sc switchboard.Scope, instanceID string, content, settings *string) error {
	var problems []api.ProblemDetail
	if settings != nil && !json.Valid([]byte(*settings)) {
		problems = append(problems, api.ProblemDetail{Message: ptr("Settings is not a valid JSON document")})
	}
	if content != nil {
		for _, p := range flow.Validate(*content, flow.Module, flowResolver{tx: tx, sc: sc, instanceID: instanceID}) {
			problems = append(problems, api.ProblemDetail{Message: ptr(p.Message)})
		}
	}
	if len(problems) == 0 {
		return nil
	}
	if len(problems) > maxProblems {
		problems = problems[:maxProblems]
	}
	return &api.InvalidContactFlowModuleException{Problems: problems}
}

// moduleToken is what a CreateContactFlowModule ClientToken remembers: the
// module it created and a digest of the request, so that a retry answers
// the same module and a different request with the same token is refused.
type moduleToken struct {
	ID      string `json:"id"`
	Request string `json:"request"`
}

func (s *Service) createContactFlowModule(ctx context.Context, in *api.CreateContactFlowModuleRequest) (*api.CreateContactFlowModuleResponse, error) {
	sc, id, now := scope(ctx), s.newID(), s.clock()
	token := deref(in.ClientToken)
	digest := requestDigest(in)
	var out *api.CreateContactFlowModuleResponse
	err := s.store.Update(ctx, func(tx switchboard.Tx) error {
		out = nil
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		if token != "" {
			prev, err := tx.Get(instanceTokenKey(sc, inst.ID, "CreateContactFlowModule", token))
			if err == nil {
				var t moduleToken
				if err := decode(prev, &t); err != nil {
					return err
				}
				if t.Request != digest {
					return &api.IdempotencyException{Message: ptr("ClientToken " + token + " was already used for a different CreateContactFlowModule request")}
				}
				out = &api.CreateContactFlowModuleResponse{Id: ptr(t.ID), Arn: ptr(resourceARN(sc, switchboard.KindFlowModule, inst.ID, t.ID))}
				return nil
			}
			if !errors.Is(err, switchboard.ErrNotFound) {
				return err
			}
		}
		n, err := tx.Count(sc, switchboard.KindFlowModule, inst.ID)
		if err != nil {
			return err
		}
		if n >= s.quotas.FlowModulesPerInstance {
			return limitExceeded("The maximum number of flow modules per instance (%d) has been reached", s.quotas.FlowModulesPerInstance)
		}
		if err := checkModule(tx, sc, inst.ID, in.Content, in.Settings); err != nil {
			return err
		}
		doc := flowModuleDoc{Description: in.Description, Content: *in.Content, Settings: in.Settings, External: in.ExternalInvocationConfiguration,
			State: api.ContactFlowModuleStateActive}
		rec := &switchboard.Record{Scope: sc, Kind: switchboard.KindFlowModule, Parent: inst.ID, ID: id, Name: *in.Name,
			Data: encode(doc), Tags: copyTags(in.Tags), Created: now, Modified: now}
		if err := insertNamed(tx, rec); err != nil {
			return err
		}
		if token != "" {
			k := instanceTokenKey(sc, inst.ID, "CreateContactFlowModule", token)
			if err := tx.Insert(&switchboard.Record{Scope: sc, Kind: k.Kind, Parent: k.Parent, ID: k.ID,
				Data: encode(moduleToken{ID: id, Request: digest}), Created: now, Modified: now}); err != nil {
				return err
			}
		}
		out = &api.CreateContactFlowModuleResponse{Id: ptr(id), Arn: ptr(resourceARN(sc, switchboard.KindFlowModule, inst.ID, id))}
		return nil
	})
	return out, err
}

// requestDigest is the SHA-256 of a request's JSON form.
func requestDigest(v any) string {
	b, _ := json.Marshal(v)
	return moduleContentSha(string(b))
}

// describeContactFlowModule answers the module, or with a qualifier one of
// its versions: a version number, an alias name (the version the alias
// points at), or $SAVED / $LATEST (the module itself: the API saves
// nothing that is not published).
func (s *Service) describeContactFlowModule(ctx context.Context, in *api.DescribeContactFlowModuleRequest) (*api.DescribeContactFlowModuleResponse, error) {
	sc := scope(ctx)
	var out *api.DescribeContactFlowModuleResponse
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		instanceID := instanceIDFrom(*in.InstanceId)
		id, qualifier, ok := splitModuleID(instanceID, *in.ContactFlowModuleId)
		if !ok {
			if _, err := instanceRecord(tx, sc, instanceID); err != nil {
				return err
			}
			return notFound("Flow module %s not found in instance %s", *in.ContactFlowModuleId, instanceID)
		}
		rec, err := getChild(tx, sc, instanceID, switchboard.KindFlowModule, id)
		if err != nil {
			return err
		}
		doc, err := decodeModule(rec)
		if err != nil {
			return err
		}
		m := moduleShape(rec, doc)
		if qualifier != "" && qualifier != savedModuleQualifier && qualifier != latestModuleQualifier {
			v, err := moduleVersionFor(tx, sc, instanceID, id, qualifier)
			if err != nil {
				return err
			}
			m.Arn = ptr(moduleVersionARN(rec, v.Version))
			m.Content, m.Settings, m.ExternalInvocationConfiguration = ptr(v.Content), v.Settings, v.External
			m.FlowModuleContentSha256 = ptr(moduleContentSha(v.Content))
			m.Version, m.VersionDescription = ptr(v.Version), v.Description
		}
		out = &api.DescribeContactFlowModuleResponse{ContactFlowModule: &m}
		return nil
	})
	return out, err
}

// The qualifiers that name a module's current content.
const (
	savedModuleQualifier  = "$SAVED"
	latestModuleQualifier = "$LATEST"
)

func (s *Service) listContactFlowModules(ctx context.Context, in *api.ListContactFlowModulesRequest) (*api.ListContactFlowModulesResponse, error) {
	var keep func(*switchboard.Record) bool
	if st := deref(in.ContactFlowModuleState); st != "" { // the value is checked by the model's enum
		keep = func(rec *switchboard.Record) bool {
			doc, err := decodeModule(rec)
			return err == nil && doc.State == st
		}
	}
	out := &api.ListContactFlowModulesResponse{}
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		recs, next, err := listChildren(tx, scope(ctx), *in.InstanceId, switchboard.KindFlowModule, in.NextToken, in.MaxResults, keep)
		if err != nil {
			return err
		}
		out.NextToken = next
		out.ContactFlowModulesSummaryList = make([]api.ContactFlowModuleSummary, 0, len(recs))
		for _, rec := range recs {
			doc, err := decodeModule(rec)
			if err != nil {
				return err
			}
			sm := summarize(rec)
			out.ContactFlowModulesSummaryList = append(out.ContactFlowModulesSummaryList, api.ContactFlowModuleSummary{
				Id: sm.id, Arn: sm.arn, Name: sm.name, State: ptr(doc.State),
			})
		}
		return nil
	})
	return out, err
}

// updateContactFlowModuleContent replaces the content and/or the settings.
// An archived module cannot be changed until it is made ACTIVE again.
func (s *Service) updateContactFlowModuleContent(ctx context.Context, in *api.UpdateContactFlowModuleContentRequest) (*empty, error) {
	if in.Content == nil && in.Settings == nil {
		return nil, invalidRequest("UpdateContactFlowModuleContent needs Content or Settings")
	}
	sc, now := scope(ctx), s.clock()
	return s.change(ctx, func(tx switchboard.Tx) error {
		rec, doc, err := getModule(tx, sc, *in.InstanceId, *in.ContactFlowModuleId)
		if err != nil {
			return err
		}
		if doc.State == api.ContactFlowModuleStateArchived {
			return invalidRequest("Flow module %s is ARCHIVED; set its State to ACTIVE with UpdateContactFlowModuleMetadata before changing its content", rec.ID)
		}
		if err := checkModule(tx, sc, rec.Parent, in.Content, in.Settings); err != nil {
			return err
		}
		if in.Content != nil {
			doc.Content = *in.Content
		}
		if in.Settings != nil {
			doc.Settings = in.Settings
		}
		rec.Data, rec.Modified = encode(doc), now
		return tx.Replace(rec)
	})
}

// updateContactFlowModuleMetadata changes the members given; at least one
// of Name, Description and State is needed.
func (s *Service) updateContactFlowModuleMetadata(ctx context.Context, in *api.UpdateContactFlowModuleMetadataRequest) (*empty, error) {
	if in.Name == nil && in.Description == nil && in.State == nil {
		return nil, invalidRequest("UpdateContactFlowModuleMetadata needs Name, Description or State")
	}
	sc, now := scope(ctx), s.clock()
	return s.change(ctx, func(tx switchboard.Tx) error {
		rec, doc, err := getModule(tx, sc, *in.InstanceId, *in.ContactFlowModuleId)
		if err != nil {
			return err
		}
		if in.Name != nil {
			rec.Name = *in.Name
		}
		if in.Description != nil {
			doc.Description = in.Description
		}
		if in.State != nil {
			doc.State = *in.State
		}
		rec.Data, rec.Modified = encode(doc), now
		err = tx.Replace(rec)
		if errors.Is(err, switchboard.ErrAlreadyExists) {
			return duplicate("A flow module named %s already exists in instance %s", rec.Name, rec.Parent)
		}
		return err
	})
}

// deleteContactFlowModule deletes the module with its aliases and
// versions.
func (s *Service) deleteContactFlowModule(ctx context.Context, in *api.DeleteContactFlowModuleRequest) (*empty, error) {
	sc := scope(ctx)
	return s.change(ctx, func(tx switchboard.Tx) error {
		rec, _, err := getModule(tx, sc, *in.InstanceId, *in.ContactFlowModuleId)
		if err != nil {
			return err
		}
		for _, kind := range []switchboard.Kind{switchboard.KindFlowModuleAlias, switchboard.KindFlowModuleVersion} {
			recs, err := moduleChildren(tx, rec, kind)
			if err != nil {
				return err
			}
			for _, r := range recs {
				if err := tx.Delete(r.Key()); err != nil {
					return err
				}
			}
		}
		err = tx.Delete(rec.Key())
		var used *switchboard.InUseError
		if errors.As(err, &used) {
			return heldBy(rec, used.By)
		}
		return err
	})
}

// Flow modules are searched on name and description (the fields the
// criteria's documentation names), their state and their status.
var flowModuleSearch = &searchSpec[*flowModuleDoc, api.ContactFlowModule]{
	kind: switchboard.KindFlowModule,
	fields: []searchField[*flowModuleDoc]{
		nameField[*flowModuleDoc](),
		descriptionField(func(d *flowModuleDoc) *string { return d.Description }),
	},
	enums: map[string]func(*flowModuleDoc) string{
		stateCondition:  func(d *flowModuleDoc) string { return d.State },
		statusCondition: func(*flowModuleDoc) string { return moduleStatus },
	},
	decode: decodeModule,
	result: func(_ switchboard.Tx, rec *switchboard.Record, doc *flowModuleDoc) (api.ContactFlowModule, error) {
		return moduleShape(rec, doc), nil
	},
}

func (s *Service) searchContactFlowModules(ctx context.Context, in *api.SearchContactFlowModulesRequest) (*api.SearchContactFlowModulesResponse, error) {
	r, err := runSearch(s, ctx, flowModuleSearch, searchRequest{instanceID: *in.InstanceId, criteria: in.SearchCriteria, filter: in.SearchFilter, token: in.NextToken, max: in.MaxResults})
	if err != nil {
		return nil, err
	}
	return &api.SearchContactFlowModulesResponse{ContactFlowModules: r.items, NextToken: r.next, ApproximateTotalCount: r.total}, nil
}
