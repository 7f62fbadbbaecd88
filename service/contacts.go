package service

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/engine"
)

// Contacts: StartTaskContact, StartChatContact, DescribeContact,
// StopContact, UpdateContact, UpdateContactAttributes,
// GetContactAttributes, TagContact, UntagContact, ListContactReferences and
// DismissUserContact. A contact is a KindContact record of its instance
// holding an engine.Contact; its ARN is .../instance/{id}/contact/{id}.
//
// A contact started here stays INITIATED (SCHEDULED for a task with a
// ScheduledTime): the flow interpreter and routing, which move it through
// engine.Transitions, come later. StopContact ends it.

func (s *Service) registerContacts() {
	handle(s, "StartTaskContact", s.startTaskContact)
	handle(s, "StartChatContact", s.startChatContact)
	handle(s, "DescribeContact", s.describeContact)
	handle(s, "StopContact", s.stopContact)
	handle(s, "UpdateContact", s.updateContact)
	handle(s, "UpdateContactAttributes", s.updateContactAttributes)
	handle(s, "GetContactAttributes", s.getContactAttributes)
	handle(s, "TagContact", s.tagContact)
	handle(s, "UntagContact", s.untagContact)
	handle(s, "ListContactReferences", s.listContactReferences)
	handle(s, "DismissUserContact", s.dismissUserContact)
	handle(s, "SearchContacts", s.searchContacts)
	handle(s, "GetContactMetrics", s.getContactMetrics)
	handle(s, "GetMetricDataV2", s.getMetricDataV2)
	handle(s, "GetMetricData", s.getMetricData)
	handle(s, "UpdateContactSchedule", s.updateContactSchedule)
	handle(s, "UpdateContactRoutingData", s.updateContactRoutingData)
}

// contactDoc is what the store keeps of a contact: the engine's record and
// what only the API needs.
type contactDoc struct {
	engine.Contact
	CustomerID        *string                              `json:"customerId,omitempty"`
	SegmentAttributes map[string]api.SegmentAttributeValue `json:"segmentAttributes,omitempty"`
	Chat              *chatDoc                             `json:"chat,omitempty"`
	Outbound          *outboundDoc                         `json:"outbound,omitempty"`
	// FlowRun is how the contact's flow ran (contactflowrun.go).
	FlowRun *flowRunDoc `json:"flowRun,omitempty"`
	// Endpoints are an inbound call's addresses (inbound.go).
	Endpoints *endpointsDoc `json:"endpoints,omitempty"`
	// Transfers counts the TransferContact hops that led to the contact.
	Transfers int `json:"transfers,omitempty"`
	// Events counts the contact's events (contactevents.go).
	Events int `json:"events,omitempty"`
}

// chatDoc is a chat's customer participant and session settings, kept for
// the participant service and the engine.
type chatDoc struct {
	ParticipantID string `json:"participantId"`
	// Token is the ParticipantToken, kept so that a retry with the same
	// ClientToken answers the same one. No Connect operation returns it.
	Token                    string           `json:"token"`
	DisplayName              string           `json:"displayName"`
	InitialMessage           *api.ChatMessage `json:"initialMessage,omitempty"`
	DurationMinutes          int32            `json:"durationMinutes"`
	SupportedContentTypes    []string         `json:"supportedContentTypes,omitempty"`
	DisconnectOnCustomerExit []string         `json:"disconnectOnCustomerExit,omitempty"`
	ResponseMode             string           `json:"responseMode,omitempty"`
	ContinuedFromContactID   string           `json:"continuedFromContactId,omitempty"`
}

// Documented limits.
const (
	// maxNextContacts: "a maximum of 12 linked task contacts in a chain"
	// sharing one PreviousContactId (StartTaskContact).
	maxNextContacts = 12
	// maxScheduleAhead: ScheduledTime "must be within up to 6 days in
	// future" (StartTaskContact).
	maxScheduleAhead = 6 * 24 * time.Hour
	// maxReferenceBytes: "up to 4,096 UTF-8 bytes across all references
	// for a contact" (Reference).
	maxReferenceBytes = 4096
	// maxContactTags: "up to 6 user-defined tags" (granular billing).
	maxContactTags = 6
	// defaultChatMinutes: a chat lasts 25 hours unless
	// ChatDurationInMinutes says otherwise.
	defaultChatMinutes = 25 * 60
	// maxChatContentBytes: an initial message holds at most 16,384 bytes.
	maxChatContentBytes = 16384
	// defaultQueuePriority: "The default priority for new contacts is 5"
	// (UpdateContactRoutingData).
	defaultQueuePriority = 5
	// instanceIDTag is the tag Connect adds to every contact.
	instanceIDTag = "aws:connect:instanceId"
)

// attributeKey is the documented rule for contact attribute keys:
// alphanumeric, dash and underscore.
var attributeKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// taskReferenceTypes are the reference types a task can be given ("URL |
// NUMBER | STRING | DATE | EMAIL"; ATTACHMENT is not supported at creation),
// and those UpdateContact accepts.
var taskReferenceTypes = []string{api.ReferenceTypeUrl, api.ReferenceTypeNumber, api.ReferenceTypeString, api.ReferenceTypeDate, api.ReferenceTypeEmail}

// chatContentTypes are the content types a chat supports; an initial
// message may use all but the interactive one (ChatMessage.ContentType).
var chatContentTypes = []string{"text/plain", "text/markdown", "application/json",
	"application/vnd.amazonaws.connect.message.interactive", "application/vnd.amazonaws.connect.message.interactive.response"}

func contactARN(sc switchboard.Scope, instanceID, id string) string {
	return instanceARN(sc, instanceID) + "/contact/" + id
}

// checkAttributes applies the documented key rule to attrs, given as
// member.
func checkAttributes(member string, attrs map[string]string) error {
	for k := range attrs {
		if !attributeKey.MatchString(k) {
			return invalidParameter("%s: attribute key %q may contain only letters, digits, '-' and '_'", member, k)
		}
	}
	return nil
}

// checkAttributeSize answers InvalidParameterException when the attributes
// a contact would have exceed 32,768 bytes.
func checkAttributeSize(member string, attrs map[string]string) error {
	if n := engine.AttributeBytes(attrs); n > engine.MaxAttributeBytes {
		return invalidParameter("%s: a contact's attributes may total at most %d UTF-8 bytes (keys and values); these would total %d", member, engine.MaxAttributeBytes, n)
	}
	return nil
}

func mergeAttributes(dst, src map[string]string) map[string]string {
	if len(src) == 0 {
		return dst
	}
	if dst == nil {
		dst = make(map[string]string, len(src))
	}
	for k, v := range src {
		dst[k] = v
	}
	return dst
}

// checkReferences checks each reference's type (one of allowed) and value
// (a URL, number, epoch date or e-mail address as its type says).
func checkReferences(refs map[string]api.Reference, allowed []string) error {
	for name, r := range refs {
		typ, v := deref(r.Type), deref(r.Value)
		if !contains(allowed, typ) {
			return invalidParameter("References.%s.Type: %s references cannot be given here; the types accepted are %v", name, typ, allowed)
		}
		bad := func(what string) error {
			return invalidParameter("References.%s.Value: %q is not %s", name, v, what)
		}
		switch typ {
		case api.ReferenceTypeUrl:
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return bad("a valid http or https URL")
			}
		case api.ReferenceTypeNumber:
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				return bad("a number")
			}
		case api.ReferenceTypeDate:
			if _, err := strconv.ParseInt(v, 10, 64); err != nil {
				return bad("an epoch timestamp")
			}
		case api.ReferenceTypeEmail:
			if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
				return bad("an e-mail address")
			}
		}
	}
	return nil
}

// mergeReferences adds or replaces refs in dst and checks the documented
// total size.
func mergeReferences(dst map[string]engine.Reference, refs map[string]api.Reference) (map[string]engine.Reference, error) {
	if len(refs) > 0 && dst == nil {
		dst = make(map[string]engine.Reference, len(refs))
	}
	for name, r := range refs {
		dst[name] = engine.Reference{Type: deref(r.Type), Value: deref(r.Value)}
	}
	n := 0
	for name, r := range dst {
		n += len(name) + len(r.Value)
	}
	if n > maxReferenceBytes {
		return nil, invalidParameter("References: a contact's references may total at most %d UTF-8 bytes (names and values); these would total %d", maxReferenceBytes, n)
	}
	return dst, nil
}

func getContact(tx switchboard.Tx, sc switchboard.Scope, instanceIDOrARN, id string) (*switchboard.Record, *contactDoc, error) {
	rec, err := getChild(tx, sc, instanceIDOrARN, switchboard.KindContact, id)
	if err != nil {
		return nil, nil, err
	}
	var doc contactDoc
	if err := decode(rec, &doc); err != nil {
		return nil, nil, err
	}
	return rec, &doc, nil
}

// contactRef loads a contact another member names (PreviousContactId,
// RelatedContactId, ...), answering ResourceNotFoundException naming it.
func contactRef(tx switchboard.Tx, sc switchboard.Scope, instanceID, id, member string) (*switchboard.Record, *contactDoc, error) {
	rec, doc, err := getContact(tx, sc, instanceID, id)
	var nf *api.ResourceNotFoundException
	if errors.As(err, &nf) {
		return nil, nil, notFound("%s: contact %s not found in instance %s", member, id, instanceID)
	}
	return rec, doc, err
}

func putContact(tx switchboard.Tx, rec *switchboard.Record, doc *contactDoc, now time.Time) error {
	doc.LastUpdateTimestamp = now
	rec.Data, rec.Modified = encode(doc), now
	return storeErr(tx.Replace(rec), "Contact")
}

// chainAttributes returns the record holding the attributes of the chain
// doc belongs to (its initial contact's) and that contact's document; rec
// itself when the contact starts its chain.
func chainAttributes(tx switchboard.Tx, rec *switchboard.Record, doc *contactDoc) (*switchboard.Record, *contactDoc, error) {
	if doc.InitialContactID == "" || doc.InitialContactID == rec.ID {
		return rec, doc, nil
	}
	return getContact(tx, rec.Scope, rec.Parent, doc.InitialContactID)
}

// instanceTokenKey is where an operation (op) that creates something in an
// instance keeps a ClientToken: a retry with the same token answers what the
// first call created. Contacts, flow modules, vocabularies and storage
// configs share it.
func instanceTokenKey(sc switchboard.Scope, instanceID, op, token string) switchboard.Key {
	return switchboard.Key{Scope: sc, Kind: switchboard.KindClientToken, Parent: instanceID, ID: op + "/" + token}
}

// priorContact returns the contact started earlier with the token, or nil.
func priorContact(tx switchboard.Tx, sc switchboard.Scope, instanceID, op string, token *string) (*switchboard.Record, *contactDoc, error) {
	if deref(token) == "" {
		return nil, nil, nil
	}
	t, err := tx.Get(instanceTokenKey(sc, instanceID, op, *token))
	if errors.Is(err, switchboard.ErrNotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return getContact(tx, sc, instanceID, string(t.Data))
}

func saveContactToken(tx switchboard.Tx, sc switchboard.Scope, instanceID, op string, token *string, contactID string, now time.Time) error {
	if deref(token) == "" {
		return nil
	}
	return tx.Insert(&switchboard.Record{Scope: sc, Kind: switchboard.KindClientToken, Parent: instanceID,
		ID: instanceTokenKey(sc, instanceID, op, *token).ID, Data: []byte(contactID), Created: now, Modified: now})
}

// newContact is a contact of the instance as a start operation creates it.
func newContact(sc switchboard.Scope, instanceID, id string, ch engine.Channel, now time.Time) *contactDoc {
	return &contactDoc{Contact: engine.Contact{
		ID: id, InstanceID: instanceID, State: engine.StateInitiated, Channel: ch, Initiation: engine.InitiatedAPI,
		InitialContactID: id, InitiationTimestamp: now, LastUpdateTimestamp: now,
	}}
}

// insertContact stores a contact a start operation (op) created, and the
// request's ClientToken, if any, so that a retry answers the same contact.
func insertContact(tx switchboard.Tx, sc switchboard.Scope, doc *contactDoc, op string, token *string, now time.Time) error {
	err := tx.Insert(&switchboard.Record{Scope: sc, Kind: switchboard.KindContact, Parent: doc.InstanceID, ID: doc.ID,
		Data: encode(doc), Created: now, Modified: now})
	if err != nil {
		return storeErr(err, "Contact")
	}
	return saveContactToken(tx, sc, doc.InstanceID, op, token, doc.ID, now)
}

// ownAttributes gives a contact that starts a chain its attributes, within
// Connect's size limit.
func ownAttributes(doc *contactDoc, attrs map[string]string) error {
	if err := checkAttributeSize("Attributes", attrs); err != nil {
		return err
	}
	if len(attrs) > 0 {
		doc.Attributes = attrs
	}
	return nil
}

// taskFlow resolves the flow a task runs from ContactFlowId, QuickConnectId
// or TaskTemplateId (exactly one), and the queue a queue quick connect
// sends it to.
func taskFlow(tx switchboard.Tx, sc switchboard.Scope, instanceID string, in *api.StartTaskContactRequest) (flowID, queueID string, err error) {
	given := 0
	for _, p := range []*string{in.ContactFlowId, in.QuickConnectId, in.TaskTemplateId} {
		if p != nil {
			given++
		}
	}
	if given != 1 {
		return "", "", invalidRequest("Exactly one of ContactFlowId, QuickConnectId and TaskTemplateId must be given, to name the flow that runs the task")
	}
	switch {
	case in.TaskTemplateId != nil:
		// No task template can exist: CreateTaskTemplate is not implemented.
		return "", "", notFound("TaskTemplateId: task template %s not found in instance %s (Switchboard does not implement task templates yet)", *in.TaskTemplateId, instanceID)
	case in.ContactFlowId != nil:
		if err := checkFlowRef(tx, sc, instanceID, *in.ContactFlowId, "ContactFlowId", api.ContactFlowTypeContactFlow); err != nil {
			return "", "", err
		}
		id, _ := splitFlowID(*in.ContactFlowId)
		return id, "", nil
	}
	qcID := *in.QuickConnectId
	rec, err := tx.Get(switchboard.Key{Scope: sc, Kind: switchboard.KindQuickConnect, Parent: instanceID, ID: qcID})
	if errors.Is(err, switchboard.ErrNotFound) {
		return "", "", notFound("QuickConnectId: quick connect %s not found in instance %s", qcID, instanceID)
	}
	if err != nil {
		return "", "", err
	}
	qc, err := quickConnectShape(rec)
	if err != nil {
		return "", "", err
	}
	c := qc.QuickConnectConfig
	var flowType string
	switch deref(c.QuickConnectType) {
	case api.QuickConnectTypeQueue:
		flowType, queueID = api.ContactFlowTypeQueueTransfer, deref(c.QueueConfig.QueueId)
	case api.QuickConnectTypeUser:
		// The user's own (AGENT) queue has the user's id.
		flowType, queueID = api.ContactFlowTypeAgentTransfer, deref(c.UserConfig.UserId)
	case api.QuickConnectTypeFlow:
		flowType = api.ContactFlowTypeContactFlow
	default:
		return "", "", invalidParameter("QuickConnectId: quick connect %s is a %s quick connect, which names no flow to run a task; use a USER, QUEUE or FLOW quick connect", qcID, deref(c.QuickConnectType))
	}
	flowID = quickConnectFlow(c)
	if err := checkFlowRef(tx, sc, instanceID, flowID, "QuickConnectId", flowType); err != nil {
		return "", "", err
	}
	return flowID, queueID, nil
}

func (s *Service) startTaskContact(ctx context.Context, in *api.StartTaskContactRequest) (*api.StartTaskContactResponse, error) {
	instanceID, err := s.ensureDefaults(ctx, *in.InstanceId)
	if err != nil {
		return nil, err
	}
	sc, id, now := scope(ctx), s.newID(), s.clock()
	if len(in.Attachments) > 0 {
		return nil, invalidRequest("Attachments: Switchboard does not fetch task attachments; give the files as references instead")
	}
	if in.ScheduledTime != nil {
		if err := checkScheduledTime(in.ScheduledTime.Time, now); err != nil {
			return nil, err
		}
	}
	if err := checkAttributes("Attributes", in.Attributes); err != nil {
		return nil, err
	}
	if err := checkReferences(in.References, taskReferenceTypes); err != nil {
		return nil, err
	}
	var out *api.StartTaskContactResponse
	err = s.changeContacts(ctx, sc, instanceID, func(e *engineTx, _ time.Time) error {
		tx := e.tx
		if prior, _, err := priorContact(tx, sc, instanceID, "StartTaskContact", in.ClientToken); err != nil || prior != nil {
			if prior != nil {
				out = &api.StartTaskContactResponse{ContactId: ptr(prior.ID)}
			}
			return err
		}
		flowID, queueID, err := taskFlow(tx, sc, instanceID, in)
		if err != nil {
			return err
		}
		doc := newContact(sc, instanceID, id, engine.ChannelTask, now)
		doc.Name, doc.Description, doc.FlowID, doc.QueueID = in.Name, in.Description, flowID, queueID
		doc.SegmentAttributes = in.SegmentAttributes
		if in.ScheduledTime != nil {
			at := in.ScheduledTime.Time.UTC().Truncate(time.Millisecond)
			doc.ScheduledTimestamp, doc.State = &at, engine.StateScheduled
		}
		attrs, err := startData(tx, sc, instanceID, doc, in.References, in.RelatedContactId, in.Attributes)
		if err != nil {
			return err
		}
		if in.PreviousContactId != nil {
			if err := s.linkPrevious(tx, sc, instanceID, *in.PreviousContactId, doc, attrs, now); err != nil {
				return err
			}
		} else if err := ownAttributes(doc, attrs); err != nil {
			return err
		}
		if err := e.start(doc, "StartTaskContact", in.ClientToken, now); err != nil {
			return err
		}
		out = &api.StartTaskContactResponse{ContactId: ptr(id)}
		return nil
	})
	return out, err
}

// startData gives a new contact its references and, with a related
// contact, links it and copies that contact's attributes; it returns the
// new contact's attributes: the related ones with attrs merged over them.
func startData(tx switchboard.Tx, sc switchboard.Scope, instanceID string, doc *contactDoc, refs map[string]api.Reference, relatedID *string, attrs map[string]string) (map[string]string, error) {
	var err error
	if doc.References, err = mergeReferences(nil, refs); err != nil {
		return nil, err
	}
	merged := map[string]string{}
	if relatedID != nil {
		rrec, rdoc, err := contactRef(tx, sc, instanceID, *relatedID, "RelatedContactId")
		if err != nil {
			return nil, err
		}
		_, holder, err := chainAttributes(tx, rrec, rdoc)
		if err != nil {
			return nil, err
		}
		doc.RelatedContactID = rrec.ID
		merged = mergeAttributes(merged, holder.Attributes)
	}
	return mergeAttributes(merged, attrs), nil
}

// linkPrevious makes doc follow the contact prevID: it joins that
// contact's chain (same initial contact, whose attributes every contact of
// the chain shares, attrs merged into them) and is counted among the
// previous contact's followers, at most 12.
func (s *Service) linkPrevious(tx switchboard.Tx, sc switchboard.Scope, instanceID, prevID string, doc *contactDoc, attrs map[string]string, now time.Time) error {
	prec, pdoc, err := contactRef(tx, sc, instanceID, prevID, "PreviousContactId")
	if err != nil {
		return err
	}
	if len(pdoc.NextContactIDs) >= maxNextContacts {
		return quotaExceeded("PreviousContactId: %d task contacts already follow contact %s, the most a contact can have", maxNextContacts, prevID)
	}
	doc.PreviousContactID, doc.InitialContactID = prec.ID, pdoc.InitialContactID
	if doc.InitialContactID == "" {
		doc.InitialContactID = prec.ID
	}
	pdoc.NextContactIDs = append(pdoc.NextContactIDs, doc.ID)
	hrec, hdoc := prec, pdoc
	if doc.InitialContactID != prec.ID {
		if hrec, hdoc, err = getContact(tx, sc, instanceID, doc.InitialContactID); err != nil {
			return err
		}
	}
	if len(attrs) > 0 {
		merged := mergeAttributes(copyTags(hdoc.Attributes), attrs)
		if err := checkAttributeSize("Attributes", merged); err != nil {
			return err
		}
		hdoc.Attributes = merged
		if hrec != prec {
			if err := putContact(tx, hrec, hdoc, now); err != nil {
				return err
			}
		}
	}
	return putContact(tx, prec, pdoc, now)
}

func (s *Service) startChatContact(ctx context.Context, in *api.StartChatContactRequest) (*api.StartChatContactResponse, error) {
	instanceID, err := s.ensureDefaults(ctx, *in.InstanceId)
	if err != nil {
		return nil, err
	}
	sc, id, now := scope(ctx), s.newID(), s.clock()
	if m := in.InitialMessage; m != nil {
		if ct := *m.ContentType; ct == "application/vnd.amazonaws.connect.message.interactive" || !contains(chatContentTypes, ct) {
			return nil, invalidParameter("InitialMessage.ContentType: %s is not supported; use text/plain, text/markdown, application/json or application/vnd.amazonaws.connect.message.interactive.response", ct)
		}
		if n := len(*m.Content); n > maxChatContentBytes {
			return nil, invalidParameter("InitialMessage.Content: %d bytes; a message holds at most %d", n, maxChatContentBytes)
		}
	}
	if len(in.SupportedMessagingContentTypes) > 0 {
		for _, ct := range in.SupportedMessagingContentTypes {
			if !contains(chatContentTypes, ct) {
				return nil, invalidParameter("SupportedMessagingContentTypes: %s is not a supported content type", ct)
			}
		}
		if !contains(in.SupportedMessagingContentTypes, "text/plain") {
			return nil, invalidParameter("SupportedMessagingContentTypes must contain text/plain")
		}
	}
	if in.PersistentChat != nil && in.RelatedContactId != nil {
		return nil, invalidRequest("RelatedContactId and PersistentChat cannot both be given")
	}
	if p := in.PersistentChat; p != nil && (p.RehydrationType == nil || p.SourceContactId == nil) {
		return nil, invalidParameter("PersistentChat: RehydrationType and SourceContactId are both required to continue a chat")
	}
	if err := checkAttributes("Attributes", in.Attributes); err != nil {
		return nil, err
	}
	if err := checkAttributeSize("Attributes", in.Attributes); err != nil {
		return nil, err
	}
	token, err := participantToken()
	if err != nil {
		return nil, err
	}
	var out *api.StartChatContactResponse
	err = s.changeContacts(ctx, sc, instanceID, func(e *engineTx, _ time.Time) error {
		tx := e.tx
		if prior, pdoc, err := priorContact(tx, sc, instanceID, "StartChatContact", in.ClientToken); err != nil || prior != nil {
			if prior != nil {
				out = chatAnswer(prior.ID, pdoc.Chat)
			}
			return err
		}
		if err := checkFlowRef(tx, sc, instanceID, *in.ContactFlowId, "ContactFlowId", api.ContactFlowTypeContactFlow); err != nil {
			return err
		}
		doc := newContact(sc, instanceID, id, engine.ChannelChat, now)
		doc.FlowID, _ = splitFlowID(*in.ContactFlowId)
		doc.CustomerID, doc.SegmentAttributes = in.CustomerId, in.SegmentAttributes
		if len(in.Attributes) > 0 {
			doc.Attributes = copyTags(in.Attributes)
		}
		doc.Chat = &chatDoc{ParticipantID: s.newID(), Token: token, DisplayName: *in.ParticipantDetails.DisplayName, InitialMessage: in.InitialMessage,
			DurationMinutes: derefOr(in.ChatDurationInMinutes, defaultChatMinutes), SupportedContentTypes: in.SupportedMessagingContentTypes,
			DisconnectOnCustomerExit: in.DisconnectOnCustomerExit}
		if pc := in.ParticipantConfiguration; pc != nil {
			doc.Chat.ResponseMode = deref(pc.ResponseMode)
		}
		if in.RelatedContactId != nil {
			rrec, _, err := contactRef(tx, sc, instanceID, *in.RelatedContactId, "RelatedContactId")
			if err != nil {
				return err
			}
			doc.RelatedContactID = rrec.ID
		}
		if p := in.PersistentChat; p != nil {
			prec, pdoc, err := contactRef(tx, sc, instanceID, *p.SourceContactId, "PersistentChat.SourceContactId")
			if err != nil {
				return err
			}
			if pdoc.Channel != engine.ChannelChat || !pdoc.Ended() {
				return invalidRequest("PersistentChat.SourceContactId: contact %s is not a chat that has ended; only an ended chat can be continued", prec.ID)
			}
			// Until transfers exist a chat session has one contact, so
			// both rehydration types continue the source contact.
			doc.Chat.ContinuedFromContactID, doc.PreviousContactID = prec.ID, prec.ID
			pdoc.NextContactIDs = append(pdoc.NextContactIDs, id)
			if err := putContact(tx, prec, pdoc, now); err != nil {
				return err
			}
		}
		if err := e.start(doc, "StartChatContact", in.ClientToken, now); err != nil {
			return err
		}
		out = chatAnswer(id, doc.Chat)
		return nil
	})
	return out, err
}

func chatAnswer(id string, c *chatDoc) *api.StartChatContactResponse {
	out := &api.StartChatContactResponse{ContactId: ptr(id)}
	if c != nil {
		out.ParticipantId, out.ParticipantToken = ptr(c.ParticipantID), ptr(c.Token)
		if c.ContinuedFromContactID != "" {
			out.ContinuedFromContactId = ptr(c.ContinuedFromContactID)
		}
	}
	return out
}

// participantToken is an opaque bearer token for the chat's customer: 96
// random bytes, base64 as Connect's are.
func participantToken() (string, error) {
	b := make([]byte, 96)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(b), nil
}

func stamp(t *time.Time) *api.Timestamp {
	if t == nil {
		return nil
	}
	return ts(*t)
}

func contactShape(rec *switchboard.Record, doc *contactDoc, attrs map[string]string) *api.Contact {
	c := &doc.Contact
	out := &api.Contact{
		Arn: ptr(contactARN(rec.Scope, rec.Parent, rec.ID)), Id: ptr(rec.ID), InitialContactId: ptr(c.InitialContactID),
		Channel: ptr(string(c.Channel)), InitiationMethod: ptr(string(c.Initiation)), Name: c.Name, Description: c.Description,
		InitiationTimestamp: ts(c.InitiationTimestamp), LastUpdateTimestamp: ts(c.LastUpdateTimestamp),
		ScheduledTimestamp: stamp(c.ScheduledTimestamp), DisconnectTimestamp: stamp(c.DisconnectTimestamp),
		ConnectedToSystemTimestamp: stamp(c.ConnectedToSystemTimestamp),
		RingStartTimestamp:         stamp(c.RingStartTimestamp), CustomerId: doc.CustomerID, SegmentAttributes: doc.SegmentAttributes,
		Tags: map[string]string{instanceIDTag: rec.Parent},
	}
	if o := doc.Outbound; o != nil {
		out.CustomerEndpoint = &api.EndpointInfo{Type: ptr(api.EndpointTypeTelephoneNumber), Address: ptr(o.Destination)}
		out.SystemEndpoint = &api.EndpointInfo{Type: ptr(api.EndpointTypeTelephoneNumber), Address: ptr(o.Source)}
	}
	if p := doc.Endpoints; p != nil {
		out.CustomerEndpoint = &api.EndpointInfo{Type: ptr(api.EndpointTypeTelephoneNumber), Address: ptr(p.Customer)}
		if p.System != "" {
			out.SystemEndpoint = &api.EndpointInfo{Type: ptr(api.EndpointTypeTelephoneNumber), Address: ptr(p.System)}
		}
	}
	if c.PreviousContactID != "" {
		out.PreviousContactId = ptr(c.PreviousContactID)
	}
	if c.RelatedContactID != "" {
		out.RelatedContactId = ptr(c.RelatedContactID)
	}
	if c.DisconnectReason != "" {
		out.DisconnectReason = ptr(c.DisconnectReason)
	}
	// QueueInfo is the queue the contact entered (or, for an outbound
	// call, the queue it is made for); a target queue its flow has not
	// transferred it to yet is not shown (docs/BEHAVIOUR.md).
	if c.QueueID != "" && (c.EnqueueTimestamp != nil || doc.Outbound != nil) {
		out.QueueInfo = &api.QueueInfo{Id: ptr(c.QueueID), EnqueueTimestamp: stamp(c.EnqueueTimestamp)}
	}
	if c.State == engine.StateQueued || c.QueuePriority != 0 {
		p := c.QueuePriority
		if p == 0 {
			p = defaultQueuePriority
		}
		out.QueuePriority = ptr(p)
	}
	if c.QueueTimeAdjustmentSeconds != 0 {
		out.QueueTimeAdjustmentSeconds = ptr(c.QueueTimeAdjustmentSeconds)
	}
	if c.AgentID != "" {
		out.AgentInfo = &api.AgentInfo{Id: ptr(c.AgentID), AcceptedByAgentTimestamp: stamp(c.AcceptedByAgentTimestamp),
			ConnectedToAgentTimestamp: stamp(c.ConnectedToAgentTimestamp), AfterContactWorkStartTimestamp: stamp(c.AfterContactWorkStartTimestamp),
			AfterContactWorkEndTimestamp: stamp(c.AfterContactWorkEndTimestamp)}
		if s, e := c.AfterContactWorkStartTimestamp, c.AfterContactWorkEndTimestamp; s != nil && e != nil {
			out.AgentInfo.AfterContactWorkDuration = ptr(int32(e.Sub(*s) / time.Second))
		}
	}
	if len(attrs) > 0 {
		out.Attributes = copyTags(attrs)
	}
	for k, v := range c.Tags {
		out.Tags[k] = v
	}
	return out
}

func (s *Service) describeContact(ctx context.Context, in *api.DescribeContactRequest) (*api.DescribeContactResponse, error) {
	var out *api.DescribeContactResponse
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		rec, doc, err := getContact(tx, scope(ctx), *in.InstanceId, *in.ContactId)
		if err != nil {
			return err
		}
		_, holder, err := chainAttributes(tx, rec, doc)
		if err != nil {
			return err
		}
		out = &api.DescribeContactResponse{Contact: contactShape(rec, doc, holder.Attributes)}
		return nil
	})
	return out, err
}

// stopContact ends a contact now with the disconnect reason the contact
// record gives a stop by API on its channel (or the code given). A contact that does not exist is ContactNotFoundException;
// stopping a chat or task that has already ended changes nothing.
func (s *Service) stopContact(ctx context.Context, in *api.StopContactRequest) (*empty, error) {
	sc := scope(ctx)
	err := s.changeContacts(ctx, sc, instanceIDFrom(*in.InstanceId), func(e *engineTx, now time.Time) error {
		tx := e.tx
		// Read through the transaction's contacts, so that ending it below
		// works on this copy instead of reading and decoding it again.
		rec, doc, err := e.contactDoc(*in.ContactId)
		var nf *api.ResourceNotFoundException
		if errors.As(err, &nf) {
			if _, ierr := instanceRecord(tx, sc, *in.InstanceId); ierr != nil {
				return ierr
			}
			return &api.ContactNotFoundException{Message: ptr("Contact " + *in.ContactId + " not found in instance " + instanceIDFrom(*in.InstanceId))}
		}
		if err != nil {
			return err
		}
		if doc.Ended() {
			if doc.Channel == engine.ChannelVoice {
				return &api.ContactNotFoundException{Message: ptr("Contact " + rec.ID + " is not active")}
			}
			return nil
		}
		reason := engine.StopReason(doc.Channel)
		if r := in.DisconnectReason; r != nil && deref(r.Code) != "" {
			reason = *r.Code
		}
		le, err := e.entry(rec.ID)
		if err != nil {
			return err
		}
		if le != nil {
			return e.disconnect(le, now, reason)
		}
		doc.DisconnectReason = reason
		if err := e.transition(doc, engine.StateEnded, now, ""); err != nil {
			return err
		}
		return putContact(tx, rec, doc, now)
	})
	if err != nil {
		return nil, err
	}
	return &empty{}, nil
}

// updateContact changes a contact's name, description, references and
// segment attributes, ongoing or ended. The members only external audio
// contacts accept are refused.
func (s *Service) updateContact(ctx context.Context, in *api.UpdateContactRequest) (*empty, error) {
	for _, m := range []struct {
		name string
		set  bool
	}{{"QueueInfo", in.QueueInfo != nil}, {"UserInfo", in.UserInfo != nil}, {"CustomerEndpoint", in.CustomerEndpoint != nil}, {"SystemEndpoint", in.SystemEndpoint != nil}} {
		if m.set {
			return nil, invalidRequest("%s can only be updated for external audio contacts", m.name)
		}
	}
	if in.Name == nil && in.Description == nil && len(in.References) == 0 && len(in.SegmentAttributes) == 0 {
		return nil, invalidRequest("At least one of Name, Description, References and SegmentAttributes must be given")
	}
	if err := checkReferences(in.References, taskReferenceTypes); err != nil {
		return nil, err
	}
	sc, now := scope(ctx), s.clock()
	return s.change(ctx, func(tx switchboard.Tx) error {
		rec, doc, err := getContact(tx, sc, *in.InstanceId, *in.ContactId)
		if err != nil {
			return err
		}
		if in.Name != nil {
			doc.Name = in.Name
		}
		if in.Description != nil {
			doc.Description = in.Description
		}
		if doc.References, err = mergeReferences(doc.References, in.References); err != nil {
			return err
		}
		for k, v := range in.SegmentAttributes {
			if doc.SegmentAttributes == nil {
				doc.SegmentAttributes = map[string]api.SegmentAttributeValue{}
			}
			doc.SegmentAttributes[k] = v
		}
		return putContact(tx, rec, doc, now)
	})
}

// updateContactAttributes merges attributes into those of the contact's
// chain, ongoing or ended.
func (s *Service) updateContactAttributes(ctx context.Context, in *api.UpdateContactAttributesRequest) (*empty, error) {
	if err := checkAttributes("Attributes", in.Attributes); err != nil {
		return nil, err
	}
	sc, now := scope(ctx), s.clock()
	return s.change(ctx, func(tx switchboard.Tx) error {
		rec, doc, err := getContact(tx, sc, *in.InstanceId, *in.InitialContactId)
		if err != nil {
			return err
		}
		hrec, hdoc, err := chainAttributes(tx, rec, doc)
		if err != nil {
			return err
		}
		merged := mergeAttributes(copyTags(hdoc.Attributes), in.Attributes)
		if err := checkAttributeSize("Attributes", merged); err != nil {
			return err
		}
		hdoc.Attributes = merged
		return putContact(tx, hrec, hdoc, now)
	})
}

func (s *Service) getContactAttributes(ctx context.Context, in *api.GetContactAttributesRequest) (*api.GetContactAttributesResponse, error) {
	out := &api.GetContactAttributesResponse{}
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		rec, doc, err := getContact(tx, scope(ctx), *in.InstanceId, *in.InitialContactId)
		if err != nil {
			return err
		}
		_, hdoc, err := chainAttributes(tx, rec, doc)
		if err != nil {
			return err
		}
		out.Attributes = copyTags(hdoc.Attributes)
		if out.Attributes == nil {
			out.Attributes = map[string]string{}
		}
		return nil
	})
	return out, err
}

// tagContact adds user-defined tags, at most 6 on a contact.
func (s *Service) tagContact(ctx context.Context, in *api.TagContactRequest) (*empty, error) {
	sc, now := scope(ctx), s.clock()
	return s.change(ctx, func(tx switchboard.Tx) error {
		rec, doc, err := getContact(tx, sc, *in.InstanceId, *in.ContactId)
		if err != nil {
			return err
		}
		tags := mergeAttributes(copyTags(doc.Tags), in.Tags)
		if len(tags) > maxContactTags {
			return invalidParameter("Tags: a contact can have at most %d user-defined tags; it would have %d", maxContactTags, len(tags))
		}
		doc.Tags = tags
		return putContact(tx, rec, doc, now)
	})
}

func (s *Service) untagContact(ctx context.Context, in *api.UntagContactRequest) (*empty, error) {
	sc, now := scope(ctx), s.clock()
	return s.change(ctx, func(tx switchboard.Tx) error {
		rec, doc, err := getContact(tx, sc, *in.InstanceId, *in.ContactId)
		if err != nil {
			return err
		}
		for _, k := range in.TagKeys {
			delete(doc.Tags, k)
		}
		if len(doc.Tags) == 0 {
			doc.Tags = nil
		}
		return putContact(tx, rec, doc, now)
	})
}

// listContactReferences answers every reference of the types asked for, by
// name, on one page: Connect documents that NextToken is always null.
func (s *Service) listContactReferences(ctx context.Context, in *api.ListContactReferencesRequest) (*api.ListContactReferencesResponse, error) {
	if t := deref(in.NextToken); t != "" {
		return nil, invalidMember("nextToken", t, "Member must be a NextToken returned by a previous call")
	}
	out := &api.ListContactReferencesResponse{ReferenceSummaryList: []api.ReferenceSummary{}}
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		_, doc, err := getContact(tx, scope(ctx), *in.InstanceId, *in.ContactId)
		if err != nil {
			return err
		}
		for _, name := range doc.ReferenceNames() {
			r := doc.References[name]
			if !contains(in.ReferenceTypes, r.Type) {
				continue
			}
			if sm, ok := referenceSummary(name, r); ok {
				out.ReferenceSummaryList = append(out.ReferenceSummaryList, sm)
			}
		}
		return nil
	})
	return out, err
}

func referenceSummary(name string, r engine.Reference) (api.ReferenceSummary, bool) {
	n, v := ptr(name), ptr(r.Value)
	switch r.Type {
	case api.ReferenceTypeUrl:
		return api.ReferenceSummary{Url: &api.UrlReference{Name: n, Value: v}}, true
	case api.ReferenceTypeString:
		return api.ReferenceSummary{String: &api.StringReference{Name: n, Value: v}}, true
	case api.ReferenceTypeNumber:
		return api.ReferenceSummary{Number: &api.NumberReference{Name: n, Value: v}}, true
	case api.ReferenceTypeDate:
		return api.ReferenceSummary{Date: &api.DateReference{Name: n, Value: v}}, true
	case api.ReferenceTypeEmail:
		return api.ReferenceSummary{Email: &api.EmailReference{Name: n, Value: v}}, true
	case api.ReferenceTypeAttachment:
		a := &api.AttachmentReference{Name: n, Value: v}
		if r.Status != "" {
			a.Status = ptr(r.Status)
		}
		if r.Arn != "" {
			a.Arn = ptr(r.Arn)
		}
		return api.ReferenceSummary{Attachment: a}, true
	}
	return api.ReferenceSummary{}, false
}

// dismissUserContact clears an ended contact from the agent it was
// assigned to. Until routing exists no contact is assigned to anyone, so
// every call names a contact that is not the user's.
func (s *Service) dismissUserContact(ctx context.Context, in *api.DismissUserContactRequest) (*empty, error) {
	sc := scope(ctx)
	err := s.changeContacts(ctx, sc, instanceIDFrom(*in.InstanceId), func(e *engineTx, now time.Time) error {
		tx := e.tx
		if _, err := getChild(tx, sc, *in.InstanceId, switchboard.KindUser, *in.UserId); err != nil {
			return err
		}
		rec, doc, err := getContact(tx, sc, *in.InstanceId, *in.ContactId)
		if err != nil {
			return err
		}
		// A contact that rang out on the agent is the agent's MISSED
		// contact: dismissing it makes the agent routable again.
		a, err := e.agent(*in.UserId)
		if err != nil {
			return err
		}
		if a != nil && a.status.MissedContactID == rec.ID {
			a.status.MissedContactID = ""
			return e.saveAgent(a, now)
		}
		// A contact in after contact work is ENDED for the agent
		// (GetCurrentUserData): dismissing it finishes the work and frees
		// the slot, as the agent's Clear does.
		if le, err := e.entry(rec.ID); err != nil {
			return err
		} else if le != nil && le.live.State == engine.StateAfterContactWork && le.live.Agent == *in.UserId {
			return e.move(le, engine.StateEnded, now, nil)
		}
		if doc.AgentID != *in.UserId {
			return invalidRequest("Contact %s is not assigned to user %s", rec.ID, *in.UserId)
		}
		if !doc.Ended() {
			return invalidRequest("Contact %s is %s; only a contact that has ended can be dismissed", rec.ID, doc.State)
		}
		return putContact(tx, rec, doc, now)
	})
	if err != nil {
		return nil, err
	}
	return &empty{}, nil
}
