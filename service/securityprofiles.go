package service

import (
	"context"
	"errors"
	"strings"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// Security profiles: CreateSecurityProfile, UpdateSecurityProfile,
// DeleteSecurityProfile and SearchSecurityProfiles. Describe, List and
// ListSecurityProfilePermissions read the same record (resources.go).

// securityProfileStored is the whole stored document: what the readers
// decode (securityProfileDoc) plus members no implemented operation returns
// yet, kept so that a later ListSecurityProfileFlowModules has them.
type securityProfileStored struct {
	securityProfileDoc
	AllowedFlowModules []api.FlowModule `json:"allowedFlowModules,omitempty"`
}

// hierarchyRestrictable is the one resource name the documentation accepts
// in HierarchyRestrictedResources.
const hierarchyRestrictable = "User"

func checkHierarchyRestricted(names []string) error {
	for i, n := range names {
		if n != hierarchyRestrictable {
			return invalidParameter("HierarchyRestrictedResources[%d] %q is not supported: the only resource that can be restricted by hierarchy is %s", i, n, hierarchyRestrictable)
		}
	}
	return nil
}

// checkHierarchyGroup answers ResourceNotFoundException when
// AllowedAccessControlHierarchyGroupId names no group of the instance. The
// profile keeps no reference to the group: deleting a group is governed by
// its users and child groups only, as DeleteUserHierarchyGroup documents.
func checkHierarchyGroup(tx switchboard.Tx, sc switchboard.Scope, instanceID string, id *string) error {
	if id == nil || *id == "" {
		return nil
	}
	_, err := tx.Get(switchboard.Key{Scope: sc, Kind: switchboard.KindHierarchyGroup, Parent: instanceID, ID: *id})
	if errors.Is(err, switchboard.ErrNotFound) {
		return notFound("AllowedAccessControlHierarchyGroupId: hierarchy group %s not found in instance %s", *id, instanceID)
	}
	return err
}

func (s *Service) createSecurityProfile(ctx context.Context, in *api.CreateSecurityProfileRequest) (*api.CreateSecurityProfileResponse, error) {
	if err := checkHierarchyRestricted(in.HierarchyRestrictedResources); err != nil {
		return nil, err
	}
	sc, id, now := scope(ctx), s.newID(), s.clock()
	var out *api.CreateSecurityProfileResponse
	err := s.store.Update(ctx, func(tx switchboard.Tx) error {
		inst, _, err := getInstance(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		if err := checkHierarchyGroup(tx, sc, inst.ID, in.AllowedAccessControlHierarchyGroupId); err != nil {
			return err
		}
		n, err := tx.Count(sc, switchboard.KindSecurityProfile, inst.ID)
		if err != nil {
			return err
		}
		if n >= s.quotas.SecurityProfilesPerInstance {
			return limitExceeded("The maximum number of security profiles per instance (%d) has been reached", s.quotas.SecurityProfilesPerInstance)
		}
		doc := securityProfileStored{
			securityProfileDoc: securityProfileDoc{
				SecurityProfile: api.SecurityProfile{
					Description:                          in.Description,
					OrganizationResourceId:               ptr(inst.ID),
					AllowedAccessControlTags:             copyTags(in.AllowedAccessControlTags),
					TagRestrictedResources:               in.TagRestrictedResources,
					HierarchyRestrictedResources:         in.HierarchyRestrictedResources,
					AllowedAccessControlHierarchyGroupId: optional(deref(in.AllowedAccessControlHierarchyGroupId)),
					GranularAccessControlConfiguration:   in.GranularAccessControlConfiguration,
				},
				Permissions:  dedupe(in.Permissions),
				Applications: in.Applications,
			},
			AllowedFlowModules: in.AllowedFlowModules,
		}
		rec := &switchboard.Record{Scope: sc, Kind: switchboard.KindSecurityProfile, Parent: inst.ID, ID: id, Name: *in.SecurityProfileName,
			Data: encode(doc), Tags: copyTags(in.Tags), Created: now, Modified: now}
		if err := insertNamed(tx, rec); err != nil {
			return err
		}
		out = &api.CreateSecurityProfileResponse{SecurityProfileId: ptr(id), SecurityProfileArn: ptr(resourceARN(sc, switchboard.KindSecurityProfile, inst.ID, id))}
		return nil
	})
	return out, err
}

// updateSecurityProfile replaces each member that is present. A list or map
// sent empty ([] or {}) clears it; one left out keeps its value, which is
// the only reading under which the Go SDK (which omits nil slices) can
// change one member without resending the others.
func (s *Service) updateSecurityProfile(ctx context.Context, in *api.UpdateSecurityProfileRequest) (*empty, error) {
	if err := checkHierarchyRestricted(in.HierarchyRestrictedResources); err != nil {
		return nil, err
	}
	return s.updateChild(ctx, *in.InstanceId, switchboard.KindSecurityProfile, *in.SecurityProfileId, func(tx switchboard.Tx, rec *switchboard.Record) error {
		var doc securityProfileStored
		if err := decode(rec, &doc); err != nil {
			return err
		}
		p := &doc.SecurityProfile
		if in.Description != nil {
			p.Description = in.Description
		}
		if in.Permissions != nil {
			doc.Permissions = dedupe(in.Permissions)
		}
		if in.AllowedAccessControlTags != nil {
			p.AllowedAccessControlTags = copyTags(in.AllowedAccessControlTags)
		}
		if in.TagRestrictedResources != nil {
			p.TagRestrictedResources = in.TagRestrictedResources
		}
		if in.HierarchyRestrictedResources != nil {
			p.HierarchyRestrictedResources = in.HierarchyRestrictedResources
		}
		if in.AllowedAccessControlHierarchyGroupId != nil {
			if err := checkHierarchyGroup(tx, rec.Scope, rec.Parent, in.AllowedAccessControlHierarchyGroupId); err != nil {
				return err
			}
			// An empty id detaches the profile from its group.
			p.AllowedAccessControlHierarchyGroupId = optional(*in.AllowedAccessControlHierarchyGroupId)
		}
		if in.GranularAccessControlConfiguration != nil {
			p.GranularAccessControlConfiguration = in.GranularAccessControlConfiguration
		}
		if in.Applications != nil {
			doc.Applications = in.Applications
		}
		if in.AllowedFlowModules != nil {
			doc.AllowedFlowModules = in.AllowedFlowModules
		}
		rec.Data = encode(doc)
		return nil
	})
}

func (s *Service) deleteSecurityProfile(ctx context.Context, in *api.DeleteSecurityProfileRequest) (*empty, error) {
	return s.deleteChild(ctx, *in.InstanceId, switchboard.KindSecurityProfile, *in.SecurityProfileId, nil)
}

// SearchSecurityProfiles semantics (docs/BEHAVIOUR.md): StringCondition
// fields are name and description (compared case-insensitively) and
// resourceId (exactly); a criteria node ANDs everything it contains; the
// TagFilter is applied to the profile's tags; results come in creation
// order and ApproximateTotalCount is exact.

// securityProfileSearchFields are the StringCondition fields, by their
// lower-case name (field names are matched case-insensitively).
var securityProfileSearchFields = map[string]bool{"name": true, "description": true, "resourceid": true}

// securityProfileField returns the value of a searchable field and whether
// it compares case-insensitively.
func securityProfileField(field string, rec *switchboard.Record, doc *securityProfileDoc) (value string, fold bool) {
	switch strings.ToLower(field) {
	case "name":
		return rec.Name, true
	case "description":
		return deref(doc.Description), true
	default:
		return rec.ID, false
	}
}

func checkSecurityProfileCriteria(c *api.SecurityProfileSearchCriteria) error {
	if c == nil {
		return nil
	}
	if sc := c.StringCondition; sc != nil {
		if !securityProfileSearchFields[strings.ToLower(deref(sc.FieldName))] {
			return invalidParameter("SearchCriteria.StringCondition.FieldName %q is not supported; use name, description or resourceId", deref(sc.FieldName))
		}
		if sc.Value == nil || sc.ComparisonType == nil {
			return invalidParameter("SearchCriteria.StringCondition needs FieldName, Value and ComparisonType")
		}
	}
	for i := range c.AndConditions {
		if err := checkSecurityProfileCriteria(&c.AndConditions[i]); err != nil {
			return err
		}
	}
	for i := range c.OrConditions {
		if err := checkSecurityProfileCriteria(&c.OrConditions[i]); err != nil {
			return err
		}
	}
	return nil
}

func matchSecurityProfile(c *api.SecurityProfileSearchCriteria, rec *switchboard.Record, doc *securityProfileDoc) bool {
	if c == nil {
		return true
	}
	for i := range c.AndConditions {
		if !matchSecurityProfile(&c.AndConditions[i], rec, doc) {
			return false
		}
	}
	if len(c.OrConditions) > 0 {
		any := false
		for i := range c.OrConditions {
			if matchSecurityProfile(&c.OrConditions[i], rec, doc) {
				any = true
				break
			}
		}
		if !any {
			return false
		}
	}
	if sc := c.StringCondition; sc != nil {
		v, fold := securityProfileField(deref(sc.FieldName), rec, doc)
		if !compareString(v, deref(sc.Value), deref(sc.ComparisonType), fold) {
			return false
		}
	}
	return true
}

// matchTagFilter applies a ControlPlaneTagFilter: TagCondition and every
// AndConditions entry must hold, and at least one OrConditions group when
// there are any.
func matchTagFilter(f *api.ControlPlaneTagFilter, tags map[string]string) bool {
	if f == nil {
		return true
	}
	if f.TagCondition != nil && !tagMatch(*f.TagCondition, tags) {
		return false
	}
	if !allTags(f.AndConditions, tags) {
		return false
	}
	if len(f.OrConditions) == 0 {
		return true
	}
	for _, and := range f.OrConditions {
		if allTags(and, tags) {
			return true
		}
	}
	return false
}

func (s *Service) searchSecurityProfiles(ctx context.Context, in *api.SearchSecurityProfilesRequest) (*api.SearchSecurityProfilesResponse, error) {
	if err := checkSecurityProfileCriteria(in.SearchCriteria); err != nil {
		return nil, err
	}
	after, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	var tagFilter *api.ControlPlaneTagFilter
	if in.SearchFilter != nil {
		tagFilter = in.SearchFilter.TagFilter
	}
	limit := int(derefOr(in.MaxResults, defaultPageSize))
	sc := scope(ctx)
	out := &api.SearchSecurityProfilesResponse{}
	err = s.store.View(ctx, func(tx switchboard.Tx) error {
		inst, _, err := getInstance(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		recs, err := tx.List(sc, switchboard.KindSecurityProfile, inst.ID, switchboard.ListOptions{})
		if err != nil {
			return err
		}
		out.SecurityProfiles, out.NextToken = []api.SecurityProfileSearchSummary{}, nil
		var total int64
		var lastSeq int64
		for _, rec := range recs {
			doc, err := securityProfileShape(rec)
			if err != nil {
				return err
			}
			if !matchSecurityProfile(in.SearchCriteria, rec, doc) || !matchTagFilter(tagFilter, rec.Tags) {
				continue
			}
			total++
			if rec.Seq <= after {
				continue
			}
			if len(out.SecurityProfiles) == limit {
				if out.NextToken == nil {
					out.NextToken = encodeToken(lastSeq)
				}
				continue
			}
			p := doc.SecurityProfile
			out.SecurityProfiles = append(out.SecurityProfiles, api.SecurityProfileSearchSummary{
				Id: p.Id, Arn: p.Arn, SecurityProfileName: p.SecurityProfileName, Description: p.Description,
				OrganizationResourceId: p.OrganizationResourceId, Tags: p.Tags,
			})
			lastSeq = rec.Seq
		}
		out.ApproximateTotalCount = ptr(total)
		return nil
	})
	return out, err
}
