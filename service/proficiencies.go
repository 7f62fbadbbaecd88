package service

import (
	"context"
	"errors"
	"slices"
	"strconv"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// User proficiencies: AssociateUserProficiencies,
// DisassociateUserProficiencies, ListUserProficiencies and
// UpdateUserProficiencies.
//
// A user's proficiencies live in its document (userFields.Proficiencies),
// in the order they were first associated, and the user holds a ref to
// each predefined attribute they use: the store refuses to store a
// proficiency of a missing attribute and to delete an attribute in use,
// and DeleteUser takes the proficiencies with the user. Changing them is a
// change of the user (its LastModifiedTime moves), and ListUserProficiencies
// answers with the user's LastModifiedTime and region. docs/BEHAVIOUR.md
// has the decisions and their sources.

// proficienciesPerUser is Connect's default "Proficiencies per agent"
// quota (10, admin guide, amazon-connect-service-limits); the operations
// declare no LimitExceededException, so exceeding it is an
// InvalidParameterException, as a routing profile's 50 queues are.
const proficienciesPerUser = 10

func (s *Service) registerProficiencies() {
	handle(s, "AssociateUserProficiencies", s.associateUserProficiencies)
	handle(s, "DisassociateUserProficiencies", s.disassociateUserProficiencies)
	handle(s, "ListUserProficiencies", s.listUserProficiencies)
	handle(s, "UpdateUserProficiencies", s.updateUserProficiencies)
}

// proficiencyRefs are the predefined attributes a user's proficiencies
// use, each once.
func proficiencyRefs(ps []api.UserProficiency) []switchboard.Ref {
	var r refSet
	for _, p := range ps {
		r.add(switchboard.KindPredefinedAttribute, deref(p.AttributeName))
	}
	return r.refs
}

// proficiencyKey identifies a proficiency: a user has at most one level
// per attribute value.
type proficiencyKey struct{ name, value string }

func keyOfProficiency(name, value *string) proficiencyKey {
	return proficiencyKey{deref(name), deref(value)}
}

// indexOfProficiency is the position of k in ps, or -1.
func indexOfProficiency(ps []api.UserProficiency, k proficiencyKey) int {
	return slices.IndexFunc(ps, func(p api.UserProficiency) bool { return keyOfProficiency(p.AttributeName, p.AttributeValue) == k })
}

// checkProficiencyList applies the rules a request's list must meet on its
// own: whole levels (the documentation gives 1, 2, 3, 4 and 5 as the valid
// values; the model's 1.0..5.0 range is checked before) and each attribute
// value at most once, since two levels for one value cannot both be kept.
func checkProficiencyList(ps []api.UserProficiency) error {
	seen := make(map[proficiencyKey]bool, len(ps))
	for i, p := range ps {
		if l := deref(p.Level); l != float64(int(l)) {
			return invalidMember("userProficiencies."+strconv.Itoa(i+1)+".member.level", strconv.FormatFloat(l, 'g', -1, 64), "Member must be one of 1, 2, 3, 4, 5")
		}
		k := keyOfProficiency(p.AttributeName, p.AttributeValue)
		if seen[k] {
			return invalidParameter("UserProficiencies names attribute %s value %s more than once", k.name, k.value)
		}
		seen[k] = true
	}
	return nil
}

// checkProficiencyTargets requires each proficiency's attribute in the
// instance (ResourceNotFoundException naming AttributeName) and its value
// among the attribute's values (InvalidParameterException naming
// AttributeValue): UserProficiency's documentation says both must be those
// of a predefined attribute present in the instance.
func checkProficiencyTargets(tx switchboard.Tx, sc switchboard.Scope, instanceID string, ps []api.UserProficiency) error {
	attrs := map[string]*predefinedAttributeDoc{}
	for i, p := range ps {
		name, value := deref(p.AttributeName), deref(p.AttributeValue)
		doc, ok := attrs[name]
		if !ok {
			rec, err := tx.Get(switchboard.Key{Scope: sc, Kind: switchboard.KindPredefinedAttribute, Parent: instanceID, ID: name})
			if errors.Is(err, switchboard.ErrNotFound) {
				return notFound("UserProficiencies[%d].AttributeName: predefined attribute %s not found in instance %s", i, name, instanceID)
			}
			if err != nil {
				return err
			}
			doc = &predefinedAttributeDoc{}
			if err := decode(rec, doc); err != nil {
				return err
			}
			attrs[name] = doc
		}
		if !doc.hasValue(value) {
			return invalidParameter("UserProficiencies[%d].AttributeValue: %s is not a value of predefined attribute %s", i, value, name)
		}
	}
	return nil
}

// associateUserProficiencies adds the proficiencies the user lacks and
// sets the level of those it has, as AssociateRoutingProfileQueues
// replaces the priority of a pair already associated.
func (s *Service) associateUserProficiencies(ctx context.Context, in *api.AssociateUserProficienciesRequest) (*empty, error) {
	if err := checkProficiencyList(in.UserProficiencies); err != nil {
		return nil, err
	}
	return s.updateUser(ctx, *in.InstanceId, *in.UserId, func(tx switchboard.Tx, rec *switchboard.Record, doc *userDoc, _ string) error {
		if err := checkProficiencyTargets(tx, rec.Scope, rec.Parent, in.UserProficiencies); err != nil {
			return err
		}
		ps := slices.Clone(doc.Proficiencies)
		for _, p := range in.UserProficiencies {
			if i := indexOfProficiency(ps, keyOfProficiency(p.AttributeName, p.AttributeValue)); i >= 0 {
				ps[i].Level = p.Level
			} else {
				ps = append(ps, api.UserProficiency{AttributeName: p.AttributeName, AttributeValue: p.AttributeValue, Level: p.Level})
			}
		}
		if len(ps) > proficienciesPerUser {
			return invalidParameter("UserProficiencies: a user can have at most %d proficiencies; this request would leave user %s with %d", proficienciesPerUser, rec.ID, len(ps))
		}
		doc.Proficiencies = ps
		return nil
	})
}

// disassociateUserProficiencies removes the proficiencies named; those the
// user does not have are ignored, as DisassociateRoutingProfileQueues
// ignores pairs that are absent.
func (s *Service) disassociateUserProficiencies(ctx context.Context, in *api.DisassociateUserProficienciesRequest) (*empty, error) {
	drop := make(map[proficiencyKey]bool, len(in.UserProficiencies))
	for _, p := range in.UserProficiencies {
		drop[keyOfProficiency(p.AttributeName, p.AttributeValue)] = true
	}
	return s.updateUser(ctx, *in.InstanceId, *in.UserId, func(_ switchboard.Tx, _ *switchboard.Record, doc *userDoc, _ string) error {
		doc.Proficiencies = slices.DeleteFunc(slices.Clone(doc.Proficiencies), func(p api.UserProficiency) bool {
			return drop[keyOfProficiency(p.AttributeName, p.AttributeValue)]
		})
		return nil
	})
}

// updateUserProficiencies changes the levels of proficiencies the user
// already has; one it lacks is an InvalidParameterException (the model:
// proficiencies must first be associated), and nothing changes.
func (s *Service) updateUserProficiencies(ctx context.Context, in *api.UpdateUserProficienciesRequest) (*empty, error) {
	if err := checkProficiencyList(in.UserProficiencies); err != nil {
		return nil, err
	}
	return s.updateUser(ctx, *in.InstanceId, *in.UserId, func(_ switchboard.Tx, rec *switchboard.Record, doc *userDoc, _ string) error {
		ps := slices.Clone(doc.Proficiencies)
		for i, p := range in.UserProficiencies {
			k := keyOfProficiency(p.AttributeName, p.AttributeValue)
			j := indexOfProficiency(ps, k)
			if j < 0 {
				return invalidParameter("UserProficiencies[%d]: user %s has no proficiency in attribute %s value %s; associate it with AssociateUserProficiencies first", i, rec.ID, k.name, k.value)
			}
			ps[j].Level = p.Level
		}
		doc.Proficiencies = ps
		return nil
	})
}

// listUserProficiencies pages a user's proficiencies in the order they
// were associated; the token is the position to continue from.
func (s *Service) listUserProficiencies(ctx context.Context, in *api.ListUserProficienciesRequest) (*api.ListUserProficienciesResponse, error) {
	start, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	var out *api.ListUserProficienciesResponse
	err = s.store.View(ctx, func(tx switchboard.Tx) error {
		rec, doc, err := getUser(tx, scope(ctx), *in.InstanceId, *in.UserId)
		if err != nil {
			return err
		}
		all := doc.Proficiencies
		from := int(min(start, int64(len(all))))
		end := min(from+int(derefOr(in.MaxResults, defaultPageSize)), len(all))
		out = &api.ListUserProficienciesResponse{
			UserProficiencyList: slices.Clone(all[from:end]),
			LastModifiedTime:    ts(rec.Modified), LastModifiedRegion: ptr(rec.Region),
		}
		if end < len(all) {
			out.NextToken = encodeToken(int64(end))
		}
		return nil
	})
	return out, err
}
