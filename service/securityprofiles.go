package service

import (
	"context"
	"errors"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// Security profiles: CreateSecurityProfile, UpdateSecurityProfile and
// DeleteSecurityProfile. Describe, List and ListSecurityProfilePermissions
// read the same record (resources.go); SearchSecurityProfiles is in
// searchresources.go.

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
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
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
