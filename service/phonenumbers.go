package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// Phone numbers: SearchAvailablePhoneNumbers, ClaimPhoneNumber,
// DescribePhoneNumber, ListPhoneNumbers, ListPhoneNumbersV2,
// UpdatePhoneNumber, UpdatePhoneNumberMetadata, ReleasePhoneNumber; tags
// through the generic tag operations (ARN
// arn:aws:connect:{region}:{account}:phone-number/{id}). Their flow
// associations are in flowassociations.go.
//
// A claimed number is a record of the account and region (Parent ""), so
// it can move between instances; its Name is the E.164 number, so the
// store's name uniqueness lets exactly one of two racing claims of a number
// win, on any number of replicas. The numbers offered are fictitious
// (phoneinventory.go).

// registerPhoneNumbers registers the phone numbers and their flow associations.
func (s *Service) registerPhoneNumbers() {
	handle(s, "SearchAvailablePhoneNumbers", s.searchAvailablePhoneNumbers)
	handle(s, "ClaimPhoneNumber", s.claimPhoneNumber)
	handle(s, "DescribePhoneNumber", s.describePhoneNumber)
	handle(s, "ListPhoneNumbers", s.listPhoneNumbers)
	handle(s, "ListPhoneNumbersV2", s.listPhoneNumbersV2)
	handle(s, "UpdatePhoneNumber", s.updatePhoneNumber)
	handle(s, "UpdatePhoneNumberMetadata", s.updatePhoneNumberMetadata)
	handle(s, "ReleasePhoneNumber", s.releasePhoneNumber)
	s.registerFlowAssociations()
}

// phoneNumberDoc is what the store keeps of a claimed number besides the
// record's id, number (Name), tags and times.
type phoneNumberDoc struct {
	Country     string  `json:"country"`
	Type        string  `json:"type"`
	Description *string `json:"description,omitempty"`
	InstanceID  string  `json:"instanceId"`
	// Status is CLAIMED, IN_PROGRESS (a claim or update not yet seen by a
	// DescribePhoneNumber) or FAILED (with Message).
	Status  string `json:"status"`
	Message string `json:"message,omitempty"`
}

func phoneNumberARN(sc switchboard.Scope, id string) string {
	return "arn:aws:connect:" + sc.Region + ":" + sc.Account + ":phone-number/" + id
}

// legacyPhoneNumberARN is the instance-scoped ARN ListPhoneNumbers (V1)
// answers; the API reference says it cannot be used to tag the number.
func legacyPhoneNumberARN(sc switchboard.Scope, instanceID, id string) string {
	return instanceARN(sc, instanceID) + "/phone-number/" + id
}

func decodePhoneNumber(rec *switchboard.Record) (*phoneNumberDoc, error) {
	var doc phoneNumberDoc
	return &doc, decode(rec, &doc)
}

// getPhoneNumber loads a claimed number by id or ARN, or answers
// ResourceNotFoundException.
func getPhoneNumber(tx switchboard.Tx, sc switchboard.Scope, idOrARN string) (*switchboard.Record, *phoneNumberDoc, error) {
	id := idOrARN
	if strings.HasPrefix(idOrARN, "arn:") {
		k, ok := parseARN(sc, idOrARN)
		if !ok || k.Kind != switchboard.KindPhoneNumber {
			return nil, nil, notFound("Phone number %s not found", idOrARN)
		}
		id = k.ID
	}
	rec, err := tx.Get(switchboard.Key{Scope: sc, Kind: switchboard.KindPhoneNumber, ID: id})
	if errors.Is(err, switchboard.ErrNotFound) {
		return nil, nil, notFound("Phone number %s not found", idOrARN)
	}
	if err != nil {
		return nil, nil, err
	}
	doc, err := decodePhoneNumber(rec)
	return rec, doc, err
}

// phoneTarget resolves the TargetArn / InstanceId pair of a request to an
// instance. One of them must be given, and both must then name the same
// instance. A traffic distribution group ARN is well formed but names
// nothing Switchboard keeps: missing (notFound) answers that case, which
// for operations that declare no ResourceNotFoundException is an
// InvalidParameterException.
func phoneTarget(tx switchboard.Tx, sc switchboard.Scope, targetARN, instanceID *string, missing func(format string, args ...any) error) (*switchboard.Record, error) {
	id := deref(instanceID)
	if targetARN != nil {
		k, ok := parseARN(sc, *targetARN)
		switch {
		case ok && k.Kind == switchboard.KindInstance:
			if id != "" && instanceIDFrom(id) != k.ID {
				return nil, invalidParameter("TargetArn %s and InstanceId %s name different instances", *targetARN, id)
			}
			id = k.ID
		case strings.Contains(*targetARN, ":traffic-distribution-group/"):
			return nil, missing("Traffic distribution group %s not found", *targetARN)
		default:
			return nil, invalidParameter("TargetArn %s is not the ARN of an instance or a traffic distribution group of this account and Region", *targetARN)
		}
	}
	if id == "" {
		return nil, invalidParameter("TargetArn or InstanceId must be given")
	}
	rec, err := instanceRecord(tx, sc, id)
	var nf *api.ResourceNotFoundException
	if errors.As(err, &nf) {
		return nil, missing("%s", deref(nf.Message))
	}
	return rec, err
}

// claimedNumbers lists every number of the scope.
func claimedNumbers(tx switchboard.Tx, sc switchboard.Scope) ([]*switchboard.Record, error) {
	return tx.List(sc, switchboard.KindPhoneNumber, "", switchboard.ListOptions{})
}

// numbersOf counts the numbers claimed to an instance; FAILED claims do not
// count.
func numbersOf(tx switchboard.Tx, sc switchboard.Scope, instanceID string) (int, error) {
	recs, err := claimedNumbers(tx, sc)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range recs {
		doc, err := decodePhoneNumber(r)
		if err != nil {
			return 0, err
		}
		if doc.InstanceID == instanceID && doc.Status != api.PhoneNumberWorkflowStatusFailed {
			n++
		}
	}
	return n, nil
}

func (s *Service) searchAvailablePhoneNumbers(ctx context.Context, in *api.SearchAvailablePhoneNumbersRequest) (*api.SearchAvailablePhoneNumbersResponse, error) {
	prefix := deref(in.PhoneNumberPrefix)
	if prefix != "" && !strings.HasPrefix(prefix, "+") {
		return nil, invalidParameter("PhoneNumberPrefix %s must begin with + and the country calling code", prefix)
	}
	start, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := int(derefOr(in.MaxResults, 10))
	sc := scope(ctx)
	out := &api.SearchAvailablePhoneNumbersResponse{AvailableNumbersList: []api.AvailableNumberSummary{}}
	err = s.store.View(ctx, func(tx switchboard.Tx) error {
		if _, err := phoneTarget(tx, sc, in.TargetArn, in.InstanceId, invalidParameter); err != nil {
			return err
		}
		recs, err := claimedNumbers(tx, sc)
		if err != nil {
			return err
		}
		taken := make(map[string]bool, len(recs))
		for _, r := range recs {
			taken[r.Name] = true
		}
		walkInventory(*in.PhoneNumberCountryCode, *in.PhoneNumberType, int(start), func(pos int, n string) bool {
			if taken[n] || !strings.HasPrefix(n, prefix) {
				return true
			}
			if len(out.AvailableNumbersList) == limit {
				out.NextToken = encodeToken(int64(pos))
				return false
			}
			out.AvailableNumbersList = append(out.AvailableNumbersList, api.AvailableNumberSummary{
				PhoneNumber: ptr(n), PhoneNumberCountryCode: in.PhoneNumberCountryCode, PhoneNumberType: in.PhoneNumberType,
			})
			return true
		})
		return nil
	})
	return out, err
}

// Client tokens: a token used again with the same request answers what the
// first call answered (without doing it again); with another request it is
// an IdempotencyException. They are kept per operation (KindClientToken,
// Parent the operation's name), as CreateInstance keeps its own.

type clientTokenDoc struct {
	Request string `json:"request"`
	Result  string `json:"result"`
}

func fingerprint(v any) string {
	sum := sha256.Sum256(encode(v))
	return hex.EncodeToString(sum[:])
}

// priorCall returns the result of an earlier call with token, ok false when
// there was none.
func priorCall(tx switchboard.Tx, sc switchboard.Scope, op, token, request string) (result string, ok bool, err error) {
	if token == "" {
		return "", false, nil
	}
	rec, err := tx.Get(switchboard.Key{Scope: sc, Kind: switchboard.KindClientToken, Parent: op, ID: token})
	if errors.Is(err, switchboard.ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	var doc clientTokenDoc
	if err := decode(rec, &doc); err != nil {
		return "", false, err
	}
	if doc.Request != request {
		return "", false, &api.IdempotencyException{Message: ptr("ClientToken " + token + " was already used with a different " + op + " request")}
	}
	return doc.Result, true, nil
}

func (s *Service) saveToken(tx switchboard.Tx, sc switchboard.Scope, op, token, request, result string) error {
	if token == "" {
		return nil
	}
	now := s.clock()
	return tx.Insert(&switchboard.Record{Scope: sc, Kind: switchboard.KindClientToken, Parent: op, ID: token,
		Data: encode(clientTokenDoc{Request: request, Result: result}), Created: now, Modified: now})
}

// uuidToken is the pattern the API reference gives ClaimPhoneNumber's
// ClientToken (Terraform generates a UUID for it because other tokens are
// refused).
var uuidToken = regexp.MustCompile(`^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$`)

func notAvailable(number string) error {
	return invalidParameter("Phone number not available: %s", number)
}

// claimPhoneNumber claims an offered number that no one in the account and
// Region holds. The number is IN_PROGRESS until a DescribePhoneNumber has
// seen it so, CLAIMED afterwards; a claim that would take the instance past
// its quota succeeds as FAILED, as the model documents.
func (s *Service) claimPhoneNumber(ctx context.Context, in *api.ClaimPhoneNumberRequest) (*api.ClaimPhoneNumberResponse, error) {
	token := deref(in.ClientToken)
	if token != "" && !uuidToken.MatchString(token) {
		return nil, invalidMember("clientToken", token, "Member must satisfy regular expression pattern: "+uuidToken.String())
	}
	number := *in.PhoneNumber
	country, typ, offered := inventoryEntry(number)
	sc, now := scope(ctx), s.clock()
	var out *api.ClaimPhoneNumberResponse
	err := s.store.Update(ctx, func(tx switchboard.Tx) error {
		inst, err := phoneTarget(tx, sc, in.TargetArn, in.InstanceId, notFound)
		if err != nil {
			return err
		}
		request := fingerprint([]any{number, inst.ID, in.PhoneNumberDescription, in.Tags})
		if prev, ok, err := priorCall(tx, sc, "ClaimPhoneNumber", token, request); err != nil || ok {
			out = &api.ClaimPhoneNumberResponse{PhoneNumberId: ptr(prev), PhoneNumberArn: ptr(phoneNumberARN(sc, prev))}
			return err
		}
		if !offered {
			return notAvailable(number)
		}
		id := s.newID()
		prev, err := tx.GetByName(sc, switchboard.KindPhoneNumber, "", number)
		switch {
		case err == nil:
			// A claim that FAILED may be retried; the record then
			// starts over.
			pd, err := decodePhoneNumber(prev)
			if err != nil {
				return err
			}
			if pd.Status != api.PhoneNumberWorkflowStatusFailed {
				return notAvailable(number)
			}
			if err := tx.Delete(prev.Key()); err != nil {
				return err
			}
		case !errors.Is(err, switchboard.ErrNotFound):
			return err
		}
		doc := phoneNumberDoc{Country: country, Type: typ, Description: optional(deref(in.PhoneNumberDescription)), InstanceID: inst.ID, Status: api.PhoneNumberWorkflowStatusInProgress}
		n, err := numbersOf(tx, sc, inst.ID)
		if err != nil {
			return err
		}
		if n >= s.quotas.PhoneNumbersPerInstance {
			doc.Status, doc.Message = api.PhoneNumberWorkflowStatusFailed, quotaMessage(inst.ID, s.quotas.PhoneNumbersPerInstance)
		}
		rec := &switchboard.Record{Scope: sc, Kind: switchboard.KindPhoneNumber, ID: id, Name: number, Data: encode(doc), Tags: copyTags(in.Tags), Created: now, Modified: now}
		if err := tx.Insert(rec); err != nil {
			if errors.Is(err, switchboard.ErrAlreadyExists) {
				return notAvailable(number)
			}
			return err
		}
		if err := s.saveToken(tx, sc, "ClaimPhoneNumber", token, request, id); err != nil {
			return err
		}
		out = &api.ClaimPhoneNumberResponse{PhoneNumberId: ptr(id), PhoneNumberArn: ptr(phoneNumberARN(sc, id))}
		return nil
	})
	return out, err
}

func quotaMessage(instanceID string, quota int) string {
	return "The instance " + instanceID + " has reached its limit of " + strconv.Itoa(quota) + " phone numbers"
}

func claimedShape(rec *switchboard.Record, doc *phoneNumberDoc) *api.ClaimedPhoneNumberSummary {
	st := &api.PhoneNumberStatus{Status: ptr(doc.Status)}
	if doc.Message != "" {
		st.Message = ptr(doc.Message)
	}
	return &api.ClaimedPhoneNumberSummary{
		PhoneNumberId: ptr(rec.ID), PhoneNumberArn: ptr(phoneNumberARN(rec.Scope, rec.ID)), PhoneNumber: ptr(rec.Name),
		PhoneNumberCountryCode: ptr(doc.Country), PhoneNumberType: ptr(doc.Type), PhoneNumberDescription: doc.Description,
		TargetArn: ptr(instanceARN(rec.Scope, doc.InstanceID)), InstanceId: ptr(doc.InstanceID),
		Tags: copyTags(rec.Tags), PhoneNumberStatus: st,
	}
}

// describePhoneNumber answers the number; the first answer after a claim or
// an update shows IN_PROGRESS and moves the number to CLAIMED, so a client
// polling for CLAIMED (Terraform's waiter) sees the transition the real
// service makes, without any timer.
func (s *Service) describePhoneNumber(ctx context.Context, in *api.DescribePhoneNumberRequest) (*api.DescribePhoneNumberResponse, error) {
	sc := scope(ctx)
	var out *api.DescribePhoneNumberResponse
	pending := false
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		rec, doc, err := getPhoneNumber(tx, sc, *in.PhoneNumberId)
		if err != nil {
			return err
		}
		pending = doc.Status == api.PhoneNumberWorkflowStatusInProgress
		out = &api.DescribePhoneNumberResponse{ClaimedPhoneNumberSummary: claimedShape(rec, doc)}
		return nil
	})
	if err != nil || !pending {
		return out, err
	}
	err = s.store.Update(ctx, func(tx switchboard.Tx) error {
		rec, doc, err := getPhoneNumber(tx, sc, *in.PhoneNumberId)
		if err != nil {
			return err
		}
		out = &api.DescribePhoneNumberResponse{ClaimedPhoneNumberSummary: claimedShape(rec, doc)}
		if doc.Status != api.PhoneNumberWorkflowStatusInProgress {
			return nil
		}
		doc.Status = api.PhoneNumberWorkflowStatusClaimed
		rec.Data = encode(doc)
		return tx.Replace(rec)
	})
	return out, err
}

// numberFilter keeps the numbers of an instance ("": any) of the given
// countries and types (none: any) whose number begins with prefix. FAILED
// claims are never listed.
func numberFilter(instanceID string, countries, types []string, prefix string) func(*switchboard.Record) bool {
	in := func(v string, set []string) bool {
		if len(set) == 0 {
			return true
		}
		for _, s := range set {
			if s == v {
				return true
			}
		}
		return false
	}
	return func(r *switchboard.Record) bool {
		doc, err := decodePhoneNumber(r)
		return err == nil && doc.Status != api.PhoneNumberWorkflowStatusFailed && (instanceID == "" || doc.InstanceID == instanceID) &&
			in(doc.Country, countries) && in(doc.Type, types) && strings.HasPrefix(r.Name, prefix)
	}
}

func (s *Service) listPhoneNumbers(ctx context.Context, in *api.ListPhoneNumbersRequest) (*api.ListPhoneNumbersResponse, error) {
	sc := scope(ctx)
	out := &api.ListPhoneNumbersResponse{PhoneNumberSummaryList: []api.PhoneNumberSummary{}}
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		recs, next, err := page(tx, sc, switchboard.KindPhoneNumber, "", in.NextToken, in.MaxResults, defaultPageSize,
			numberFilter(inst.ID, in.PhoneNumberCountryCodes, in.PhoneNumberTypes, ""))
		if err != nil {
			return err
		}
		out.NextToken = next
		for _, r := range recs {
			doc, err := decodePhoneNumber(r)
			if err != nil {
				return err
			}
			out.PhoneNumberSummaryList = append(out.PhoneNumberSummaryList, api.PhoneNumberSummary{
				Id: ptr(r.ID), Arn: ptr(legacyPhoneNumberARN(sc, inst.ID, r.ID)), PhoneNumber: ptr(r.Name),
				PhoneNumberType: ptr(doc.Type), PhoneNumberCountryCode: ptr(doc.Country),
			})
		}
		return nil
	})
	return out, err
}

// listPhoneNumbersV2 lists the numbers of the instance given (TargetArn or
// InstanceId), or of every instance of the account and Region when neither
// is given.
func (s *Service) listPhoneNumbersV2(ctx context.Context, in *api.ListPhoneNumbersV2Request) (*api.ListPhoneNumbersV2Response, error) {
	prefix := deref(in.PhoneNumberPrefix)
	if prefix != "" && !strings.HasPrefix(prefix, "+") {
		return nil, invalidParameter("PhoneNumberPrefix %s must begin with + and the country calling code", prefix)
	}
	sc := scope(ctx)
	out := &api.ListPhoneNumbersV2Response{ListPhoneNumbersSummaryList: []api.ListPhoneNumbersSummary{}}
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		instanceID := ""
		if in.TargetArn != nil || in.InstanceId != nil {
			inst, err := phoneTarget(tx, sc, in.TargetArn, in.InstanceId, notFound)
			if err != nil {
				return err
			}
			instanceID = inst.ID
		}
		recs, next, err := page(tx, sc, switchboard.KindPhoneNumber, "", in.NextToken, in.MaxResults, defaultPageSize,
			numberFilter(instanceID, in.PhoneNumberCountryCodes, in.PhoneNumberTypes, prefix))
		if err != nil {
			return err
		}
		out.NextToken = next
		for _, r := range recs {
			doc, err := decodePhoneNumber(r)
			if err != nil {
				return err
			}
			c := claimedShape(r, doc)
			out.ListPhoneNumbersSummaryList = append(out.ListPhoneNumbersSummaryList, api.ListPhoneNumbersSummary{
				PhoneNumberId: c.PhoneNumberId, PhoneNumberArn: c.PhoneNumberArn, PhoneNumber: c.PhoneNumber,
				PhoneNumberCountryCode: c.PhoneNumberCountryCode, PhoneNumberType: c.PhoneNumberType,
				TargetArn: c.TargetArn, InstanceId: c.InstanceId, PhoneNumberDescription: c.PhoneNumberDescription,
			})
		}
		return nil
	})
	return out, err
}

// updatePhoneNumber moves a number to another instance. Its flow
// association stays behind and is dropped (the API reference: the flow
// configuration is not migrated). A move into a full instance leaves the
// number where it was, FAILED.
func (s *Service) updatePhoneNumber(ctx context.Context, in *api.UpdatePhoneNumberRequest) (*api.UpdatePhoneNumberResponse, error) {
	sc, now := scope(ctx), s.clock()
	token := deref(in.ClientToken)
	var out *api.UpdatePhoneNumberResponse
	err := s.store.Update(ctx, func(tx switchboard.Tx) error {
		rec, doc, err := getPhoneNumber(tx, sc, *in.PhoneNumberId)
		if err != nil {
			return err
		}
		out = &api.UpdatePhoneNumberResponse{PhoneNumberId: ptr(rec.ID), PhoneNumberArn: ptr(phoneNumberARN(sc, rec.ID))}
		inst, err := phoneTarget(tx, sc, in.TargetArn, in.InstanceId, notFound)
		if err != nil {
			return err
		}
		request := fingerprint([]any{rec.ID, inst.ID})
		if _, ok, err := priorCall(tx, sc, "UpdatePhoneNumber", token, request); err != nil || ok {
			return err
		}
		doc.Status, doc.Message = api.PhoneNumberWorkflowStatusInProgress, ""
		if inst.ID != doc.InstanceID {
			n, err := numbersOf(tx, sc, inst.ID)
			if err != nil {
				return err
			}
			if n >= s.quotas.PhoneNumbersPerInstance {
				doc.Status, doc.Message = api.PhoneNumberWorkflowStatusFailed, quotaMessage(inst.ID, s.quotas.PhoneNumbersPerInstance)
			} else {
				if err := dropVoiceAssociation(tx, sc, doc.InstanceID, rec.ID); err != nil {
					return err
				}
				doc.InstanceID = inst.ID
			}
		}
		rec.Data, rec.Modified = encode(doc), now
		if err := tx.Replace(rec); err != nil {
			return err
		}
		return s.saveToken(tx, sc, "UpdatePhoneNumber", token, request, rec.ID)
	})
	return out, err
}

// updatePhoneNumberMetadata sets the description; an empty one removes it.
func (s *Service) updatePhoneNumberMetadata(ctx context.Context, in *api.UpdatePhoneNumberMetadataRequest) (*empty, error) {
	if in.PhoneNumberDescription == nil {
		return nil, invalidRequest("PhoneNumberDescription must be given")
	}
	sc, now := scope(ctx), s.clock()
	token := deref(in.ClientToken)
	return s.change(ctx, func(tx switchboard.Tx) error {
		rec, doc, err := getPhoneNumber(tx, sc, *in.PhoneNumberId)
		if err != nil {
			return err
		}
		request := fingerprint([]any{rec.ID, *in.PhoneNumberDescription})
		if _, ok, err := priorCall(tx, sc, "UpdatePhoneNumberMetadata", token, request); err != nil || ok {
			return err
		}
		doc.Description = optional(*in.PhoneNumberDescription)
		if doc.Status != api.PhoneNumberWorkflowStatusFailed {
			doc.Status = api.PhoneNumberWorkflowStatusInProgress
		}
		rec.Data, rec.Modified = encode(doc), now
		if err := tx.Replace(rec); err != nil {
			return err
		}
		return s.saveToken(tx, sc, "UpdatePhoneNumberMetadata", token, request, rec.ID)
	})
}

// releasePhoneNumber releases a number and drops its flow association (the
// admin guide: the flow is deactivated until another number is associated
// with it). A retry with the same ClientToken succeeds again.
func (s *Service) releasePhoneNumber(ctx context.Context, in *api.ReleasePhoneNumberRequest) (*empty, error) {
	sc := scope(ctx)
	token := deref(in.ClientToken)
	return s.change(ctx, func(tx switchboard.Tx) error {
		id := *in.PhoneNumberId
		if k, ok := parseARN(sc, id); ok && k.Kind == switchboard.KindPhoneNumber {
			id = k.ID
		}
		request := fingerprint([]any{id})
		if _, ok, err := priorCall(tx, sc, "ReleasePhoneNumber", token, request); err != nil || ok {
			return err
		}
		rec, _, err := getPhoneNumber(tx, sc, *in.PhoneNumberId)
		if err != nil {
			return err
		}
		if err := releaseNumber(tx, rec); err != nil {
			return err
		}
		return s.saveToken(tx, sc, "ReleasePhoneNumber", token, request, rec.ID)
	})
}

// releaseNumber deletes a claimed number and its flow association.
func releaseNumber(tx switchboard.Tx, rec *switchboard.Record) error {
	doc, err := decodePhoneNumber(rec)
	if err != nil {
		return err
	}
	if err := dropVoiceAssociation(tx, rec.Scope, doc.InstanceID, rec.ID); err != nil {
		return err
	}
	return tx.Delete(rec.Key())
}

// releaseInstanceNumbers releases every number claimed to an instance, for
// DeleteInstance: numbers are kept outside the instance (Parent ""), so the
// store's removal of the instance's records does not reach them.
func releaseInstanceNumbers(tx switchboard.Tx, sc switchboard.Scope, instanceID string) error {
	recs, err := claimedNumbers(tx, sc)
	if err != nil {
		return err
	}
	for _, r := range recs {
		doc, err := decodePhoneNumber(r)
		if err != nil {
			return err
		}
		if doc.InstanceID == instanceID {
			if err := tx.Delete(r.Key()); err != nil {
				return err
			}
		}
	}
	return nil
}
