package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/flow"
)

// Contact flows: Create, Describe, List, Search, UpdateContent, UpdateName,
// UpdateMetadata, Delete, and versions (Create, List, Delete); tags through
// the generic tag operations (ARN .../contact-flow/{id}).
//
// A flow keeps the content last published (Content, Status PUBLISHED) and,
// when content was saved after that, the draft (Saved), which
// DescribeContactFlow of "{id}:$SAVED" returns. A flow never published is
// SAVED and its content is the draft. PUBLISHED content is validated by
// package flow; SAVED content is not.

func (s *Service) registerContactFlows() {
	handle(s, "CreateContactFlow", s.createContactFlow)
	handle(s, "DescribeContactFlow", s.describeContactFlow)
	handle(s, "ListContactFlows", s.listContactFlows)
	handle(s, "SearchContactFlows", s.searchContactFlows)
	handle(s, "UpdateContactFlowContent", s.updateContactFlowContent)
	handle(s, "UpdateContactFlowName", s.updateContactFlowName)
	handle(s, "UpdateContactFlowMetadata", s.updateContactFlowMetadata)
	handle(s, "DeleteContactFlow", s.deleteContactFlow)
	handle(s, "CreateContactFlowVersion", s.createContactFlowVersion)
	handle(s, "ListContactFlowVersions", s.listContactFlowVersions)
	handle(s, "DeleteContactFlowVersion", s.deleteContactFlowVersion)
}

// contactFlowDoc is what the store keeps of a flow besides the record's id,
// name, tags and times.
type contactFlowDoc struct {
	Type        string  `json:"type"`
	Description *string `json:"description,omitempty"`
	State       string  `json:"state"`
	Status      string  `json:"status"`
	Content     string  `json:"content"`
	// Saved is content saved after the flow was last published.
	Saved *string `json:"saved,omitempty"`
	// Versions is the number of the last version created (0: none).
	Versions int64 `json:"versions,omitempty"`
}

// contactFlowVersionDoc is an immutable version of a flow.
type contactFlowVersionDoc struct {
	Version     int64   `json:"version"`
	Description *string `json:"description,omitempty"`
	Content     string  `json:"content"`
	Type        string  `json:"type"`
	Name        string  `json:"name"`
}

// Flow ids may carry a qualifier after a colon: $SAVED, $LATEST or a
// version number.
const (
	savedQualifier  = "$SAVED"
	latestQualifier = "$LATEST"
)

// splitFlowID separates "{id}:{qualifier}", or an ARN ending so, into the
// id and the qualifier ("" for none).
func splitFlowID(idOrARN string) (id, qualifier string) {
	id = idOrARN
	if strings.HasPrefix(id, "arn:") {
		if i := strings.LastIndex(id, "/"); i >= 0 {
			id = id[i+1:]
		}
	}
	if i := strings.Index(id, ":"); i >= 0 {
		return id[:i], id[i+1:]
	}
	return id, ""
}

func contentSha(content string) string {
	sum := sha256.Sum256([]byte(content))
	return hex.EncodeToString(sum[:])
}

// checkFlowRef answers ResourceNotFoundException naming member when flow
// id (or ARN) names no flow of the instance, and InvalidParameterException
// when the flow is not of one of the types given: a queue quick connect
// needs a QUEUE_TRANSFER flow, a user quick connect an AGENT_TRANSFER flow,
// a queue's outbound caller configuration an OUTBOUND_WHISPER flow.
func checkFlowRef(tx switchboard.Tx, sc switchboard.Scope, instanceID, idOrARN, member string, types ...string) error {
	id, _ := splitFlowID(idOrARN)
	rec, err := peek(tx, switchboard.Key{Scope: sc, Kind: switchboard.KindContactFlow, Parent: instanceID, ID: id})
	if errors.Is(err, switchboard.ErrNotFound) {
		return notFound("%s: contact flow %s not found in instance %s", member, idOrARN, instanceID)
	}
	if err != nil {
		return err
	}
	doc, err := readFlow(rec)
	if err != nil {
		return err
	}
	for _, t := range types {
		if doc.Type == t {
			return nil
		}
	}
	return invalidParameter("%s: contact flow %s is a %s flow; a %s flow is required here", member, id, doc.Type, strings.Join(types, " or "))
}

// validateFlow answers InvalidContactFlowException with every problem of
// content, or nil.
func validateFlow(tx switchboard.Tx, sc switchboard.Scope, instanceID, flowType, content string) error {
	problems := flow.Validate(content, flow.Kind(flowType), flowResolver{tx: tx, sc: sc, instanceID: instanceID})
	if len(problems) == 0 {
		return nil
	}
	out := make([]api.ProblemDetail, len(problems))
	for i, p := range problems {
		out[i] = api.ProblemDetail{Message: ptr(p.Message)}
	}
	return &api.InvalidContactFlowException{Problems: out}
}

func (s *Service) createContactFlow(ctx context.Context, in *api.CreateContactFlowRequest) (*api.CreateContactFlowResponse, error) {
	if _, err := s.ensureDefaults(ctx, *in.InstanceId); err != nil {
		return nil, err
	}
	status := derefOr(in.Status, api.ContactFlowStatusPublished)
	sc, id, now := scope(ctx), s.newID(), s.clock()
	var out *api.CreateContactFlowResponse
	err := s.store.Update(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		n, err := tx.Count(sc, switchboard.KindContactFlow, inst.ID)
		if err != nil {
			return err
		}
		if n >= s.quotas.ContactFlowsPerInstance {
			return limitExceeded("The maximum number of flows per instance (%d) has been reached", s.quotas.ContactFlowsPerInstance)
		}
		if status == api.ContactFlowStatusPublished {
			if err := validateFlow(tx, sc, inst.ID, *in.Type, *in.Content); err != nil {
				return err
			}
		}
		doc := contactFlowDoc{Type: *in.Type, Description: in.Description, State: api.ContactFlowStateActive, Status: status, Content: *in.Content}
		rec := &switchboard.Record{Scope: sc, Kind: switchboard.KindContactFlow, Parent: inst.ID, ID: id, Name: *in.Name,
			Data: encode(doc), Tags: copyTags(in.Tags), Created: now, Modified: now}
		if err := insertNamed(tx, rec); err != nil {
			return err
		}
		out = &api.CreateContactFlowResponse{ContactFlowId: ptr(id), ContactFlowArn: ptr(resourceARN(sc, switchboard.KindContactFlow, inst.ID, id)),
			FlowContentSha256: ptr(contentSha(*in.Content))}
		return nil
	})
	return out, err
}

// getFlow loads a flow of an instance and its document, or answers
// ResourceNotFoundException.
func getFlow(tx switchboard.Tx, sc switchboard.Scope, instanceIDOrARN, id string) (*switchboard.Record, *contactFlowDoc, error) {
	rec, err := getChild(tx, sc, instanceIDOrARN, switchboard.KindContactFlow, id)
	if err != nil {
		return nil, nil, err
	}
	doc, err := decodeFlow(rec)
	return rec, doc, err
}

func decodeFlow(rec *switchboard.Record) (*contactFlowDoc, error) {
	var doc contactFlowDoc
	return &doc, decode(rec, &doc)
}

// Flows as running contacts read them: every contact started decoded its
// flow's record and parsed its content. Both are kept by what they were
// made from (the stored bytes, the content), so a hit is exact whoever
// wrote them; what they hand out is shared and must not be changed.
var (
	sharedFlowDocs = docCache[contactFlowDoc]{max: 1024}
	parsedFlows    parsedFlowCache
)

// readFlow is decodeFlow for a caller that does not change the document.
func readFlow(rec *switchboard.Record) (*contactFlowDoc, error) {
	return sharedFlowDocs.get(rec.Data, func() string { return "contact flow " + rec.ID })
}

// getFlowToRun is getFlow for a caller that does not change the document.
func getFlowToRun(tx switchboard.Tx, sc switchboard.Scope, instanceIDOrARN, id string) (*switchboard.Record, *contactFlowDoc, error) {
	rec, err := peekChild(tx, sc, instanceIDOrARN, switchboard.KindContactFlow, id)
	if err != nil {
		return nil, nil, err
	}
	doc, err := readFlow(rec)
	return rec, doc, err
}

// parsedFlowCache keeps the flows parsed from the contents seen last.
type parsedFlowCache struct {
	mu    sync.Mutex
	flows map[string]*flow.Flow
}

// maxParsedFlows bounds parsedFlowCache; past it the cache starts over.
const maxParsedFlows = 256

// parse is flow.Parse, once per content: the flow (shared, not to be
// changed) or the problems that keep it from being read.
func (c *parsedFlowCache) parse(content string) (*flow.Flow, []flow.Problem) {
	c.mu.Lock()
	f, ok := c.flows[content]
	c.mu.Unlock()
	if ok {
		return f, nil
	}
	f, problems := flow.Parse(content)
	if f == nil {
		return nil, problems
	}
	c.mu.Lock()
	if c.flows == nil || len(c.flows) >= maxParsedFlows {
		c.flows = make(map[string]*flow.Flow)
	}
	c.flows[content] = f
	c.mu.Unlock()
	return f, problems
}

// contactFlowShape describes a flow as it is (qualifier ""), its draft
// ($SAVED) or its last published content ($LATEST).
func contactFlowShape(rec *switchboard.Record, doc *contactFlowDoc, qualifier string) (*api.ContactFlow, error) {
	sm := summarize(rec)
	content, status := doc.Content, doc.Status
	switch qualifier {
	case "":
	case savedQualifier:
		if doc.Saved != nil {
			content, status = *doc.Saved, api.ContactFlowStatusSaved
		}
	case latestQualifier:
		if doc.Status != api.ContactFlowStatusPublished {
			return nil, &api.ContactFlowNotPublishedException{Message: ptr("The flow " + rec.ID + " has not been published")}
		}
	default:
		return nil, notFound("Contact flow %s:%s not found in instance %s", rec.ID, qualifier, rec.Parent)
	}
	return &api.ContactFlow{
		Arn: sm.arn, Id: sm.id, Name: sm.name, Type: ptr(doc.Type), State: ptr(doc.State), Status: ptr(status),
		Description: doc.Description, Content: ptr(content), FlowContentSha256: ptr(contentSha(content)), Tags: copyTags(rec.Tags),
		LastModifiedTime: sm.modified, LastModifiedRegion: sm.region,
	}, nil
}

func (s *Service) describeContactFlow(ctx context.Context, in *api.DescribeContactFlowRequest) (*api.DescribeContactFlowResponse, error) {
	if _, err := s.ensureDefaults(ctx, *in.InstanceId); err != nil {
		return nil, err
	}
	id, qualifier := splitFlowID(*in.ContactFlowId)
	var out *api.DescribeContactFlowResponse
	err := s.viewChild(ctx, *in.InstanceId, switchboard.KindContactFlow, id, func(tx switchboard.Tx, rec *switchboard.Record) error {
		doc, err := decodeFlow(rec)
		if err != nil {
			return err
		}
		if n, perr := strconv.ParseInt(qualifier, 10, 64); perr == nil {
			v, err := tx.Get(switchboard.Key{Scope: rec.Scope, Kind: switchboard.KindContactFlowVersion, Parent: rec.Parent, ID: id + ":" + qualifier})
			if errors.Is(err, switchboard.ErrNotFound) {
				return notFound("Version %d of contact flow %s not found", n, id)
			}
			if err != nil {
				return err
			}
			var vd contactFlowVersionDoc
			if err := decode(v, &vd); err != nil {
				return err
			}
			f, err := contactFlowShape(rec, doc, "")
			if err != nil {
				return err
			}
			f.Arn = ptr(*f.Arn + ":" + qualifier)
			f.Content, f.FlowContentSha256, f.Status = ptr(vd.Content), ptr(contentSha(vd.Content)), ptr(api.ContactFlowStatusPublished)
			f.Version, f.VersionDescription = ptr(vd.Version), vd.Description
			out = &api.DescribeContactFlowResponse{ContactFlow: f}
			return nil
		}
		f, err := contactFlowShape(rec, doc, qualifier)
		out = &api.DescribeContactFlowResponse{ContactFlow: f}
		return err
	})
	return out, err
}

func (s *Service) listContactFlows(ctx context.Context, in *api.ListContactFlowsRequest) (*api.ListContactFlowsResponse, error) {
	if _, err := s.ensureDefaults(ctx, *in.InstanceId); err != nil {
		return nil, err
	}
	types := map[string]bool{}
	for _, t := range in.ContactFlowTypes {
		types[t] = true
	}
	out := &api.ListContactFlowsResponse{}
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		var keep func(*switchboard.Record) bool
		if len(types) > 0 {
			keep = func(rec *switchboard.Record) bool {
				doc, err := decodeFlow(rec)
				return err == nil && types[doc.Type]
			}
		}
		recs, next, err := listChildren(tx, scope(ctx), *in.InstanceId, switchboard.KindContactFlow, in.NextToken, in.MaxResults, keep)
		if err != nil {
			return err
		}
		out.NextToken = next
		out.ContactFlowSummaryList = make([]api.ContactFlowSummary, 0, len(recs))
		for _, rec := range recs {
			doc, err := decodeFlow(rec)
			if err != nil {
				return err
			}
			sm := summarize(rec)
			out.ContactFlowSummaryList = append(out.ContactFlowSummaryList, api.ContactFlowSummary{
				Id: sm.id, Arn: sm.arn, Name: sm.name, ContactFlowType: ptr(doc.Type), ContactFlowState: ptr(doc.State), ContactFlowStatus: ptr(doc.Status),
			})
		}
		return nil
	})
	return out, err
}

// updateContactFlowContent publishes new content (validated), or with
// "{id}:$SAVED" saves a draft (not validated) that a later publish
// replaces.
func (s *Service) updateContactFlowContent(ctx context.Context, in *api.UpdateContactFlowContentRequest) (*empty, error) {
	if _, err := s.ensureDefaults(ctx, *in.InstanceId); err != nil {
		return nil, err
	}
	id, qualifier := splitFlowID(*in.ContactFlowId)
	if qualifier != "" && qualifier != savedQualifier {
		return nil, invalidRequest("ContactFlowId %s: only the $SAVED alias can be updated", *in.ContactFlowId)
	}
	sc := scope(ctx)
	return s.updateChild(ctx, *in.InstanceId, switchboard.KindContactFlow, id, func(tx switchboard.Tx, rec *switchboard.Record) error {
		doc, err := decodeFlow(rec)
		if err != nil {
			return err
		}
		switch {
		case qualifier == savedQualifier && doc.Status == api.ContactFlowStatusPublished:
			doc.Saved = in.Content
		case qualifier == savedQualifier:
			doc.Content = *in.Content
		default:
			if err := validateFlow(tx, sc, rec.Parent, doc.Type, *in.Content); err != nil {
				return err
			}
			doc.Content, doc.Status, doc.Saved = *in.Content, api.ContactFlowStatusPublished, nil
		}
		rec.Data = encode(doc)
		return nil
	})
}

func (s *Service) updateContactFlowName(ctx context.Context, in *api.UpdateContactFlowNameRequest) (*empty, error) {
	return s.updateFlowMetadata(ctx, *in.InstanceId, *in.ContactFlowId, in.Name, in.Description, nil)
}

func (s *Service) updateContactFlowMetadata(ctx context.Context, in *api.UpdateContactFlowMetadataRequest) (*empty, error) {
	return s.updateFlowMetadata(ctx, *in.InstanceId, *in.ContactFlowId, in.Name, in.Description, in.ContactFlowState)
}

// updateFlowMetadata changes a flow's name, description and state, those
// given; an empty description removes it.
func (s *Service) updateFlowMetadata(ctx context.Context, instanceID, flowID string, name, description, state *string) (*empty, error) {
	if _, err := s.ensureDefaults(ctx, instanceID); err != nil {
		return nil, err
	}
	if name == nil && description == nil && state == nil {
		return nil, invalidRequest("Name, Description or ContactFlowState must be given")
	}
	id, _ := splitFlowID(flowID)
	return s.updateChild(ctx, instanceID, switchboard.KindContactFlow, id, func(_ switchboard.Tx, rec *switchboard.Record) error {
		doc, err := decodeFlow(rec)
		if err != nil {
			return err
		}
		if name != nil {
			rec.Name = *name
		}
		if description != nil {
			doc.Description = description
			if *description == "" {
				doc.Description = nil
			}
		}
		if state != nil {
			doc.State = *state
		}
		rec.Data = encode(doc)
		return nil
	})
}

// deleteContactFlow refuses a flow that a quick connect or a queue names:
// InvalidRequestException naming it (DeleteContactFlow declares no
// ResourceInUseException). Its versions go with it.
func (s *Service) deleteContactFlow(ctx context.Context, in *api.DeleteContactFlowRequest) (*empty, error) {
	if _, err := s.ensureDefaults(ctx, *in.InstanceId); err != nil {
		return nil, err
	}
	id, _ := splitFlowID(*in.ContactFlowId)
	sc := scope(ctx)
	return s.change(ctx, func(tx switchboard.Tx) error {
		rec, doc, err := getFlow(tx, sc, *in.InstanceId, id)
		if err != nil {
			return err
		}
		for v := int64(1); v <= doc.Versions; v++ {
			err := tx.Delete(switchboard.Key{Scope: sc, Kind: switchboard.KindContactFlowVersion, Parent: rec.Parent, ID: id + ":" + strconv.FormatInt(v, 10)})
			if err != nil && !errors.Is(err, switchboard.ErrNotFound) {
				return err
			}
		}
		err = tx.Delete(rec.Key())
		var used *switchboard.InUseError
		if errors.As(err, &used) {
			if used.By.Kind == switchboard.KindFlowAssociation {
				// The association holds the flow for the resource it
				// names (a phone number, outside the instance).
				return invalidRequest("The contact flow %s is associated with %s", id, flowAssociationHolderARN(used.By.ID))
			}
			return invalidRequest("The contact flow %s is in use by %s %s", id, lowerLabel(used.By.Kind), resourceARN(sc, used.By.Kind, rec.Parent, used.By.ID))
		}
		return storeErr(err, "Contact flow")
	})
}

// createContactFlowVersion publishes an immutable version. As the model
// documents, only CAMPAIGN flows have versions; FlowContentSha256, when
// given, must be the published content's, and LastModifiedTime/Region,
// when given, the flow's.
func (s *Service) createContactFlowVersion(ctx context.Context, in *api.CreateContactFlowVersionRequest) (*api.CreateContactFlowVersionResponse, error) {
	if _, err := s.ensureDefaults(ctx, *in.InstanceId); err != nil {
		return nil, err
	}
	id, _ := splitFlowID(*in.ContactFlowId)
	sc, now := scope(ctx), s.clock()
	var out *api.CreateContactFlowVersionResponse
	err := s.store.Update(ctx, func(tx switchboard.Tx) error {
		rec, doc, err := getFlow(tx, sc, *in.InstanceId, id)
		if err != nil {
			return err
		}
		switch {
		case doc.Type != api.ContactFlowTypeCampaign:
			return invalidRequest("Versions can only be created for flows of type CAMPAIGN; flow %s is %s", id, doc.Type)
		case doc.Status != api.ContactFlowStatusPublished:
			return invalidRequest("The flow %s has not been published", id)
		case in.FlowContentSha256 != nil && *in.FlowContentSha256 != contentSha(doc.Content):
			return invalidRequest("FlowContentSha256 %s is not the checksum of the flow's published content", *in.FlowContentSha256)
		case in.LastModifiedTime != nil && !in.LastModifiedTime.Time.Equal(rec.Modified):
			return invalidRequest("The flow %s was modified at %s, not at LastModifiedTime", id, rec.Modified.Format(time.RFC3339Nano))
		case in.LastModifiedRegion != nil && *in.LastModifiedRegion != rec.Region:
			return invalidRequest("The flow %s was last modified in %s", id, rec.Region)
		case in.ContactFlowVersion != nil && *in.ContactFlowVersion != doc.Versions+1:
			return invalidRequest("ContactFlowVersion %d is not the next version (%d)", *in.ContactFlowVersion, doc.Versions+1)
		}
		doc.Versions++
		v := contactFlowVersionDoc{Version: doc.Versions, Description: in.Description, Content: doc.Content, Type: doc.Type, Name: rec.Name}
		vid := id + ":" + strconv.FormatInt(doc.Versions, 10)
		if err := tx.Insert(&switchboard.Record{Scope: sc, Kind: switchboard.KindContactFlowVersion, Parent: rec.Parent, ID: vid, Data: encode(v), Created: now, Modified: now}); err != nil {
			return err
		}
		rec.Data = encode(doc)
		if err := tx.Replace(rec); err != nil {
			return err
		}
		out = &api.CreateContactFlowVersionResponse{ContactFlowArn: ptr(resourceARN(sc, switchboard.KindContactFlow, rec.Parent, vid)), Version: ptr(doc.Versions)}
		return nil
	})
	return out, err
}

func (s *Service) listContactFlowVersions(ctx context.Context, in *api.ListContactFlowVersionsRequest) (*api.ListContactFlowVersionsResponse, error) {
	if _, err := s.ensureDefaults(ctx, *in.InstanceId); err != nil {
		return nil, err
	}
	id, _ := splitFlowID(*in.ContactFlowId)
	sc := scope(ctx)
	out := &api.ListContactFlowVersionsResponse{ContactFlowVersionSummaryList: []api.ContactFlowVersionSummary{}}
	err := s.viewChild(ctx, *in.InstanceId, switchboard.KindContactFlow, id, func(tx switchboard.Tx, rec *switchboard.Record) error {
		recs, next, err := page(tx, sc, switchboard.KindContactFlowVersion, rec.Parent, in.NextToken, in.MaxResults, defaultPageSize, func(v *switchboard.Record) bool {
			return strings.HasPrefix(v.ID, id+":")
		})
		if err != nil {
			return err
		}
		out.NextToken = next
		for _, v := range recs {
			var vd contactFlowVersionDoc
			if err := decode(v, &vd); err != nil {
				return err
			}
			out.ContactFlowVersionSummaryList = append(out.ContactFlowVersionSummaryList, api.ContactFlowVersionSummary{
				Arn: ptr(resourceARN(sc, switchboard.KindContactFlow, rec.Parent, v.ID)), Version: ptr(vd.Version), VersionDescription: vd.Description,
			})
		}
		return nil
	})
	return out, err
}

func (s *Service) deleteContactFlowVersion(ctx context.Context, in *api.DeleteContactFlowVersionRequest) (*empty, error) {
	id, _ := splitFlowID(*in.ContactFlowId)
	sc := scope(ctx)
	return s.change(ctx, func(tx switchboard.Tx) error {
		rec, err := getChild(tx, sc, *in.InstanceId, switchboard.KindContactFlow, id)
		if err != nil {
			return err
		}
		err = tx.Delete(switchboard.Key{Scope: sc, Kind: switchboard.KindContactFlowVersion, Parent: rec.Parent, ID: id + ":" + strconv.FormatInt(*in.ContactFlowVersion, 10)})
		if errors.Is(err, switchboard.ErrNotFound) {
			return notFound("Version %d of contact flow %s not found", *in.ContactFlowVersion, id)
		}
		return err
	})
}

// Flows are searched on name, description and resourceID, and on their
// type, state and status.
var contactFlowSearch = &searchSpec[*contactFlowDoc, api.ContactFlow]{
	kind: switchboard.KindContactFlow,
	fields: []searchField[*contactFlowDoc]{
		nameField[*contactFlowDoc](),
		descriptionField(func(d *contactFlowDoc) *string { return d.Description }),
		resourceIDField[*contactFlowDoc](),
	},
	enums: map[string]func(*contactFlowDoc) string{
		typeCondition:   func(d *contactFlowDoc) string { return d.Type },
		stateCondition:  func(d *contactFlowDoc) string { return d.State },
		statusCondition: func(d *contactFlowDoc) string { return d.Status },
	},
	decode: decodeFlow,
	result: func(_ switchboard.Tx, rec *switchboard.Record, doc *contactFlowDoc) (api.ContactFlow, error) {
		f, err := contactFlowShape(rec, doc, "")
		if err != nil {
			return api.ContactFlow{}, err
		}
		return *f, nil
	},
}

func (s *Service) searchContactFlows(ctx context.Context, in *api.SearchContactFlowsRequest) (*api.SearchContactFlowsResponse, error) {
	if _, err := s.ensureDefaults(ctx, *in.InstanceId); err != nil {
		return nil, err
	}
	req := searchRequest{instanceID: *in.InstanceId, criteria: in.SearchCriteria, token: in.NextToken, max: in.MaxResults}
	if f := in.SearchFilter; f != nil {
		req.filter = &searchFilter{TagFilter: f.TagFilter}
		if af := f.FlowAttributeFilter; af != nil {
			req.keep = func(rec *switchboard.Record) bool {
				doc, err := decodeFlow(rec)
				return err == nil && matchFlowAttributeFilter(af, doc.Type, rec.Tags)
			}
		}
	}
	r, err := runSearch(s, ctx, contactFlowSearch, req)
	if err != nil {
		return nil, err
	}
	return &api.SearchContactFlowsResponse{ContactFlows: r.items, NextToken: r.next, ApproximateTotalCount: r.total}, nil
}

// matchFlowAttributeFilter applies a ContactFlowAttributeFilter: its
// TagCondition, ContactFlowTypeCondition and AndCondition must hold, and
// one of its OrConditions when there are any.
func matchFlowAttributeFilter(f *api.ContactFlowAttributeFilter, flowType string, tags map[string]string) bool {
	typeHolds := func(c *api.ContactFlowTypeCondition) bool { return c == nil || deref(c.ContactFlowType) == flowType }
	andHolds := func(c *api.ContactFlowAttributeAndCondition) bool {
		if c == nil {
			return true
		}
		for _, t := range c.TagConditions {
			if !tagMatch(t, tags) {
				return false
			}
		}
		return typeHolds(c.ContactFlowTypeCondition)
	}
	if (f.TagCondition != nil && !tagMatch(*f.TagCondition, tags)) || !typeHolds(f.ContactFlowTypeCondition) || !andHolds(f.AndCondition) {
		return false
	}
	if len(f.OrConditions) == 0 {
		return true
	}
	for i := range f.OrConditions {
		if andHolds(&f.OrConditions[i]) {
			return true
		}
	}
	return false
}
