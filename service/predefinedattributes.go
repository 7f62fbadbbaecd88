package service

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// Predefined attributes: CreatePredefinedAttribute,
// DescribePredefinedAttribute, ListPredefinedAttributes,
// UpdatePredefinedAttribute, DeletePredefinedAttribute and
// SearchPredefinedAttributes.
//
// An attribute is a record of its instance whose ID is the attribute's
// name, as given (the URI names it), and whose Name is the name
// lower-cased: the admin guide says names are unique regardless of case
// ("language" cannot be created next to "Language"), and a folded Name
// lets the store enforce that across replicas. Users' proficiencies
// (proficiencies.go) hold the attributes they use, so the store refuses to
// delete one in use; UpdatePredefinedAttribute refuses to drop a value a
// proficiency uses. System attributes (connect:Language, ...) are not
// implemented. docs/BEHAVIOUR.md has the decisions and their sources.

func (s *Service) registerPredefinedAttributes() {
	handle(s, "CreatePredefinedAttribute", s.createPredefinedAttribute)
	handle(s, "DescribePredefinedAttribute", s.describePredefinedAttribute)
	handle(s, "ListPredefinedAttributes", s.listPredefinedAttributes)
	handle(s, "UpdatePredefinedAttribute", s.updatePredefinedAttribute)
	handle(s, "DeletePredefinedAttribute", s.deletePredefinedAttribute)
	handle(s, "SearchPredefinedAttributes", s.searchPredefinedAttributes)
}

// predefinedAttributeDoc is what the store keeps of an attribute besides
// the record's own fields (name as ID, times).
type predefinedAttributeDoc struct {
	Values   []string `json:"values,omitempty"`
	Purposes []string `json:"purposes,omitempty"`
	// EnableValueValidation is AttributeConfiguration's
	// EnableValueValidationOnAssociation; IsReadOnly is always false for
	// the attributes a caller creates.
	EnableValueValidation bool `json:"enableValueValidationOnAssociation,omitempty"`
}

// hasValue reports whether v is one of the attribute's values (exactly).
func (d *predefinedAttributeDoc) hasValue(v string) bool { return slices.Contains(d.Values, v) }

// attributeText is the admin guide's pattern for the names and values of
// customer-created attributes, as written: in a character class `+-@` is
// the range from + to @, so , ; < > ? and the digits pass too, as they
// would in the service's own (Java) regular expression. The guide's
// negative look-ahead for aws: and connect:, which RE2 lacks, is
// reservedPrefix.
var attributeText = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+-@']+$`)

// reservedPrefix reports whether s starts with a prefix that only system
// attributes may use.
func reservedPrefix(s string) bool {
	return strings.HasPrefix(s, "aws:") || strings.HasPrefix(s, "connect:")
}

// checkAttributeText applies the admin guide's rule for names and values
// to the member at path.
func checkAttributeText(path, s string) error {
	if reservedPrefix(s) {
		return invalidMember(path, s, "Member must not start with aws: or connect:")
	}
	if !attributeText.MatchString(s) {
		return invalidMember(path, s, `Member must satisfy regular expression pattern: ^(?!(aws:|connect:))[\p{L}\p{Z}\p{N}_.:/=+-@']+$`)
	}
	return nil
}

// attributeValues checks a request's Values and returns them as stored
// (nil for none). Duplicates are refused: the admin guide says values
// cannot be duplicated.
func attributeValues(v *api.PredefinedAttributeValues) ([]string, error) {
	if v == nil {
		return nil, nil
	}
	seen := make(map[string]bool, len(v.StringList))
	for i, s := range v.StringList {
		if err := checkAttributeText("values.stringList."+strconv.Itoa(i+1)+".member", s); err != nil {
			return nil, err
		}
		if seen[s] {
			return nil, invalidParameter("Values.StringList has %q more than once; the values of a predefined attribute must be unique", s)
		}
		seen[s] = true
	}
	return slices.Clone(v.StringList), nil
}

// foldAttributeName is the Record.Name of an attribute: names differing
// only in case are the same name.
func foldAttributeName(name string) string { return strings.ToLower(name) }

func (s *Service) createPredefinedAttribute(ctx context.Context, in *api.CreatePredefinedAttributeRequest) (*empty, error) {
	name := *in.Name
	if err := checkAttributeText("name", name); err != nil {
		return nil, err
	}
	values, err := attributeValues(in.Values)
	if err != nil {
		return nil, err
	}
	doc := predefinedAttributeDoc{Values: values, Purposes: slices.Clone(in.Purposes)}
	if c := in.AttributeConfiguration; c != nil {
		doc.EnableValueValidation = deref(c.EnableValueValidationOnAssociation)
	}
	sc, now := scope(ctx), s.clock()
	err = s.store.Update(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		n, err := tx.Count(sc, switchboard.KindPredefinedAttribute, inst.ID)
		if err != nil {
			return err
		}
		if n >= s.quotas.PredefinedAttributesPerInstance {
			return limitExceeded("The maximum number of predefined attributes per instance (%d) has been reached", s.quotas.PredefinedAttributesPerInstance)
		}
		rec := &switchboard.Record{Scope: sc, Kind: switchboard.KindPredefinedAttribute, Parent: inst.ID, ID: name, Name: foldAttributeName(name),
			Data: encode(doc), Created: now, Modified: now}
		err = tx.Insert(rec)
		if errors.Is(err, switchboard.ErrAlreadyExists) {
			return duplicate("A predefined attribute named %s already exists in instance %s (names are compared without regard to case)", name, inst.ID)
		}
		return storeErr(err, "Predefined attribute")
	})
	if err != nil {
		return nil, err
	}
	return &empty{}, nil
}

// predefinedAttributeShape is an attribute as Describe and Search return
// it. AttributeConfiguration is always sent, false values included, as in
// the API reference's example answers.
func predefinedAttributeShape(rec *switchboard.Record) (*predefinedAttributeDoc, api.PredefinedAttribute, error) {
	var doc predefinedAttributeDoc
	if err := decode(rec, &doc); err != nil {
		return nil, api.PredefinedAttribute{}, err
	}
	a := api.PredefinedAttribute{
		Name:     ptr(rec.ID),
		Purposes: slices.Clone(doc.Purposes),
		AttributeConfiguration: &api.PredefinedAttributeConfiguration{
			EnableValueValidationOnAssociation: ptr(doc.EnableValueValidation), IsReadOnly: ptr(false),
		},
		LastModifiedTime: ts(rec.Modified), LastModifiedRegion: ptr(rec.Region),
	}
	if len(doc.Values) > 0 {
		a.Values = &api.PredefinedAttributeValues{StringList: slices.Clone(doc.Values)}
	}
	return &doc, a, nil
}

func (s *Service) describePredefinedAttribute(ctx context.Context, in *api.DescribePredefinedAttributeRequest) (*api.DescribePredefinedAttributeResponse, error) {
	var out *api.DescribePredefinedAttributeResponse
	err := s.viewChild(ctx, *in.InstanceId, switchboard.KindPredefinedAttribute, *in.Name, func(_ switchboard.Tx, rec *switchboard.Record) error {
		_, a, err := predefinedAttributeShape(rec)
		out = &api.DescribePredefinedAttributeResponse{PredefinedAttribute: &a}
		return err
	})
	return out, err
}

func (s *Service) listPredefinedAttributes(ctx context.Context, in *api.ListPredefinedAttributesRequest) (*api.ListPredefinedAttributesResponse, error) {
	list, next, err := listSummaries(s, ctx, *in.InstanceId, switchboard.KindPredefinedAttribute, in.NextToken, in.MaxResults, func(sm summary) api.PredefinedAttributeSummary {
		// The record's Name is folded; its ID is the name as given.
		return api.PredefinedAttributeSummary{Name: sm.id, LastModifiedTime: sm.modified, LastModifiedRegion: sm.region}
	})
	if err != nil {
		return nil, err
	}
	return &api.ListPredefinedAttributesResponse{PredefinedAttributeSummaryList: list, NextToken: next}, nil
}

// updatePredefinedAttribute replaces the members given and keeps the
// others; Values and Purposes given empty are cleared. A value that a
// user's proficiency uses cannot be dropped (InvalidRequestException: the
// operation declares no ResourceInUseException).
func (s *Service) updatePredefinedAttribute(ctx context.Context, in *api.UpdatePredefinedAttributeRequest) (*empty, error) {
	values, err := attributeValues(in.Values)
	if err != nil {
		return nil, err
	}
	return s.updateChild(ctx, *in.InstanceId, switchboard.KindPredefinedAttribute, *in.Name, func(tx switchboard.Tx, rec *switchboard.Record) error {
		var doc predefinedAttributeDoc
		if err := decode(rec, &doc); err != nil {
			return err
		}
		if in.Values != nil {
			var dropped []string
			for _, v := range doc.Values {
				if !slices.Contains(values, v) {
					dropped = append(dropped, v)
				}
			}
			if err := checkValuesUnused(tx, rec, dropped); err != nil {
				return err
			}
			doc.Values = values
		}
		if in.Purposes != nil {
			doc.Purposes = slices.Clone(in.Purposes)
		}
		if c := in.AttributeConfiguration; c != nil {
			doc.EnableValueValidation = deref(c.EnableValueValidationOnAssociation)
		}
		rec.Data = encode(doc)
		return nil
	})
}

// checkValuesUnused refuses when a user's proficiency uses one of the
// attribute's values in dropped.
func checkValuesUnused(tx switchboard.Tx, rec *switchboard.Record, dropped []string) error {
	if len(dropped) == 0 {
		return nil
	}
	refs, err := tx.Referrers(rec.Key(), 0)
	if err != nil {
		return err
	}
	for _, ref := range refs {
		if ref.Kind != switchboard.KindUser {
			continue
		}
		user, err := tx.Get(switchboard.Key{Scope: rec.Scope, Kind: switchboard.KindUser, Parent: rec.Parent, ID: ref.ID})
		if err != nil {
			return err
		}
		var doc userFields
		if err := decode(user, &doc); err != nil {
			return err
		}
		for _, p := range doc.Proficiencies {
			if deref(p.AttributeName) == rec.ID && slices.Contains(dropped, deref(p.AttributeValue)) {
				return invalidRequest("Values.StringList: value %q of predefined attribute %s is a proficiency of user %s; disassociate it with DisassociateUserProficiencies first",
					deref(p.AttributeValue), rec.ID, ref.ID)
			}
		}
	}
	return nil
}

// deletePredefinedAttribute refuses an attribute that a user's proficiency
// uses: ResourceInUseException naming the user (ResourceType USER).
func (s *Service) deletePredefinedAttribute(ctx context.Context, in *api.DeletePredefinedAttributeRequest) (*empty, error) {
	return s.deleteChild(ctx, *in.InstanceId, switchboard.KindPredefinedAttribute, *in.Name, nil)
}

// predefinedAttributeFound is an attribute as the search reads it.
type predefinedAttributeFound struct {
	doc   *predefinedAttributeDoc
	shape api.PredefinedAttribute
}

// predefinedAttributeSearch: the fields are name (the older SDK
// documentation of PredefinedAttributeSearchCriteria) and purposes (the API
// reference's SearchPredefinedAttributes example); an attribute matches a
// purposes condition when one of its purposes does. Both compare without
// regard to case, as names and descriptions do in the other searches.
var predefinedAttributeSearch = &searchSpec[*predefinedAttributeFound, api.PredefinedAttribute]{
	kind: switchboard.KindPredefinedAttribute,
	fields: []searchField[*predefinedAttributeFound]{
		{name: "name", fold: true, get: func(rec *switchboard.Record, _ *predefinedAttributeFound) []string { return []string{rec.ID} }},
		{name: "purposes", fold: true, get: func(_ *switchboard.Record, f *predefinedAttributeFound) []string { return f.doc.Purposes }},
	},
	decode: func(rec *switchboard.Record) (*predefinedAttributeFound, error) {
		doc, shape, err := predefinedAttributeShape(rec)
		return &predefinedAttributeFound{doc: doc, shape: shape}, err
	},
	result: func(_ switchboard.Tx, _ *switchboard.Record, f *predefinedAttributeFound) (api.PredefinedAttribute, error) {
		return f.shape, nil
	},
}

func (s *Service) searchPredefinedAttributes(ctx context.Context, in *api.SearchPredefinedAttributesRequest) (*api.SearchPredefinedAttributesResponse, error) {
	r, err := runSearch(s, ctx, predefinedAttributeSearch, searchRequest{instanceID: *in.InstanceId, criteria: in.SearchCriteria, token: in.NextToken, max: in.MaxResults})
	if err != nil {
		return nil, err
	}
	return &api.SearchPredefinedAttributesResponse{PredefinedAttributes: r.items, NextToken: r.next, ApproximateTotalCount: r.total}, nil
}
