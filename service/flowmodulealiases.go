package service

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// Flow module versions and aliases: CreateContactFlowModuleVersion,
// ListContactFlowModuleVersions, DeleteContactFlowModuleVersion,
// CreateContactFlowModuleAlias, DescribeContactFlowModuleAlias,
// UpdateContactFlowModuleAlias, DeleteContactFlowModuleAlias and
// ListContactFlowModuleAliases.
//
// A version is an immutable snapshot of the module's content, settings and
// external invocation configuration, numbered 1, 2, ... per module (a
// deleted version's number is not given again); its ARN is the module's
// with ":{version}". An alias points at one version of its module; its id
// is a UUID and its ARN the module's with ":{aliasId}".

func (s *Service) registerFlowModuleVersions() {
	handle(s, "CreateContactFlowModuleVersion", s.createContactFlowModuleVersion)
	handle(s, "ListContactFlowModuleVersions", s.listContactFlowModuleVersions)
	handle(s, "DeleteContactFlowModuleVersion", s.deleteContactFlowModuleVersion)
	handle(s, "CreateContactFlowModuleAlias", s.createContactFlowModuleAlias)
	handle(s, "DescribeContactFlowModuleAlias", s.describeContactFlowModuleAlias)
	handle(s, "UpdateContactFlowModuleAlias", s.updateContactFlowModuleAlias)
	handle(s, "DeleteContactFlowModuleAlias", s.deleteContactFlowModuleAlias)
	handle(s, "ListContactFlowModuleAliases", s.listContactFlowModuleAliases)
}

// flowModuleVersionDoc is what the store keeps of a version.
type flowModuleVersionDoc struct {
	Version     int64                                `json:"version"`
	Description *string                              `json:"description,omitempty"`
	Content     string                               `json:"content"`
	Settings    *string                              `json:"settings,omitempty"`
	External    *api.ExternalInvocationConfiguration `json:"external,omitempty"`
}

// flowModuleAliasDoc is what the store keeps of an alias besides its
// record's id ("{moduleId}:{aliasId}") and name ("{moduleId}:{name}").
type flowModuleAliasDoc struct {
	Name        string  `json:"name"`
	Description *string `json:"description,omitempty"`
	Version     int64   `json:"version"`
}

func moduleVersionID(moduleID string, version int64) string {
	return moduleID + ":" + strconv.FormatInt(version, 10)
}

func moduleVersionARN(module *switchboard.Record, version int64) string {
	return resourceARN(module.Scope, switchboard.KindFlowModule, module.Parent, moduleVersionID(module.ID, version))
}

// moduleChildren lists a module's versions or aliases in creation order.
func moduleChildren(tx switchboard.Tx, module *switchboard.Record, kind switchboard.Kind) ([]*switchboard.Record, error) {
	recs, err := tx.List(module.Scope, kind, module.Parent, switchboard.ListOptions{})
	if err != nil {
		return nil, err
	}
	out := recs[:0]
	for _, r := range recs {
		if strings.HasPrefix(r.ID, module.ID+":") {
			out = append(out, r)
		}
	}
	return out, nil
}

// getModuleVersion loads version n of a module, or answers
// ResourceNotFoundException.
func getModuleVersion(tx switchboard.Tx, module *switchboard.Record, n int64) (*switchboard.Record, *flowModuleVersionDoc, error) {
	rec, err := tx.Get(switchboard.Key{Scope: module.Scope, Kind: switchboard.KindFlowModuleVersion, Parent: module.Parent, ID: moduleVersionID(module.ID, n)})
	if errors.Is(err, switchboard.ErrNotFound) {
		return nil, nil, notFound("ContactFlowModuleVersion: flow module %s has no version %d", module.ID, n)
	}
	if err != nil {
		return nil, nil, err
	}
	var doc flowModuleVersionDoc
	return rec, &doc, decode(rec, &doc)
}

// moduleVersionFor resolves a qualifier of a module id — a version number
// or an alias's name or id — to the version it names.
func moduleVersionFor(tx switchboard.Tx, sc switchboard.Scope, instanceID, moduleID, qualifier string) (*flowModuleVersionDoc, error) {
	module := &switchboard.Record{Scope: sc, Kind: switchboard.KindFlowModule, Parent: instanceID, ID: moduleID}
	n, err := strconv.ParseInt(qualifier, 10, 64)
	if err != nil {
		_, alias, err := getModuleAlias(tx, module, qualifier)
		if err != nil {
			return nil, err
		}
		n = alias.Version
	}
	_, doc, err := getModuleVersion(tx, module, n)
	return doc, err
}

// getModuleAlias loads an alias of a module by id or by name, or answers
// ResourceNotFoundException.
func getModuleAlias(tx switchboard.Tx, module *switchboard.Record, idOrName string) (*switchboard.Record, *flowModuleAliasDoc, error) {
	rec, err := tx.Get(switchboard.Key{Scope: module.Scope, Kind: switchboard.KindFlowModuleAlias, Parent: module.Parent, ID: module.ID + ":" + idOrName})
	if errors.Is(err, switchboard.ErrNotFound) {
		rec, err = tx.GetByName(module.Scope, switchboard.KindFlowModuleAlias, module.Parent, module.ID+":"+idOrName)
	}
	if errors.Is(err, switchboard.ErrNotFound) {
		return nil, nil, notFound("Alias %s of flow module %s not found", idOrName, module.ID)
	}
	if err != nil {
		return nil, nil, err
	}
	var doc flowModuleAliasDoc
	return rec, &doc, decode(rec, &doc)
}

// aliasID is the alias's own id, the part of its record id after the
// module's.
func aliasID(rec *switchboard.Record) string {
	_, id, _ := strings.Cut(rec.ID, ":")
	return id
}

// createContactFlowModuleVersion snapshots the module. A
// FlowModuleContentSha256 that is not the current content's checksum is
// refused: the content changed since the caller read it.
func (s *Service) createContactFlowModuleVersion(ctx context.Context, in *api.CreateContactFlowModuleVersionRequest) (*api.CreateContactFlowModuleVersionResponse, error) {
	sc, now := scope(ctx), s.clock()
	var out *api.CreateContactFlowModuleVersionResponse
	err := s.store.Update(ctx, func(tx switchboard.Tx) error {
		module, doc, err := getModule(tx, sc, *in.InstanceId, *in.ContactFlowModuleId)
		if err != nil {
			return err
		}
		if sha := deref(in.FlowModuleContentSha256); sha != "" && !strings.EqualFold(sha, moduleContentSha(doc.Content)) {
			return invalidRequest("FlowModuleContentSha256 %s is not the checksum of flow module %s's current content", sha, module.ID)
		}
		doc.LastVersion++
		n := doc.LastVersion
		module.Data = encode(doc)
		if err := tx.Replace(module); err != nil {
			return err
		}
		v := flowModuleVersionDoc{Version: n, Description: in.Description, Content: doc.Content, Settings: doc.Settings, External: doc.External}
		rec := &switchboard.Record{Scope: sc, Kind: switchboard.KindFlowModuleVersion, Parent: module.Parent, ID: moduleVersionID(module.ID, n),
			Data: encode(v), Refs: []switchboard.Ref{{Kind: switchboard.KindFlowModule, ID: module.ID}}, Created: now, Modified: now}
		if err := tx.Insert(rec); err != nil {
			return err
		}
		out = &api.CreateContactFlowModuleVersionResponse{
			ContactFlowModuleArn: ptr(resourceARN(sc, switchboard.KindFlowModule, module.Parent, module.ID)), Version: ptr(n),
		}
		return nil
	})
	return out, err
}

// pageModuleChildren pages a module's versions or aliases.
func pageModuleChildren(tx switchboard.Tx, module *switchboard.Record, kind switchboard.Kind, token *string, max *int32) ([]*switchboard.Record, *string, error) {
	prefix := module.ID + ":"
	return page(tx, module.Scope, kind, module.Parent, token, max, defaultPageSize, func(r *switchboard.Record) bool {
		return strings.HasPrefix(r.ID, prefix)
	})
}

func (s *Service) listContactFlowModuleVersions(ctx context.Context, in *api.ListContactFlowModuleVersionsRequest) (*api.ListContactFlowModuleVersionsResponse, error) {
	out := &api.ListContactFlowModuleVersionsResponse{}
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		module, _, err := getModule(tx, scope(ctx), *in.InstanceId, *in.ContactFlowModuleId)
		if err != nil {
			return err
		}
		recs, next, err := pageModuleChildren(tx, module, switchboard.KindFlowModuleVersion, in.NextToken, in.MaxResults)
		if err != nil {
			return err
		}
		out.NextToken = next
		out.ContactFlowModuleVersionSummaryList = make([]api.ContactFlowModuleVersionSummary, 0, len(recs))
		for _, rec := range recs {
			var v flowModuleVersionDoc
			if err := decode(rec, &v); err != nil {
				return err
			}
			out.ContactFlowModuleVersionSummaryList = append(out.ContactFlowModuleVersionSummaryList, api.ContactFlowModuleVersionSummary{
				Arn: ptr(moduleVersionARN(module, v.Version)), Version: ptr(v.Version), VersionDescription: v.Description,
			})
		}
		return nil
	})
	return out, err
}

// deleteContactFlowModuleVersion refuses to delete a version an alias
// points at with InvalidRequestException, the operation declaring no
// ResourceInUseException.
func (s *Service) deleteContactFlowModuleVersion(ctx context.Context, in *api.DeleteContactFlowModuleVersionRequest) (*empty, error) {
	sc := scope(ctx)
	return s.change(ctx, func(tx switchboard.Tx) error {
		module, _, err := getModule(tx, sc, *in.InstanceId, *in.ContactFlowModuleId)
		if err != nil {
			return err
		}
		rec, _, err := getModuleVersion(tx, module, *in.ContactFlowModuleVersion)
		if err != nil {
			return err
		}
		err = tx.Delete(rec.Key())
		var used *switchboard.InUseError
		if errors.As(err, &used) {
			name := used.By.ID
			if a, err := tx.Get(switchboard.Key{Scope: sc, Kind: used.By.Kind, Parent: module.Parent, ID: used.By.ID}); err == nil {
				var adoc flowModuleAliasDoc
				if decode(a, &adoc) == nil {
					name = adoc.Name
				}
			}
			return invalidRequest("Version %d of flow module %s cannot be deleted while alias %s points at it; point the alias at another version or delete it first",
				*in.ContactFlowModuleVersion, module.ID, name)
		}
		return err
	})
}

func (s *Service) createContactFlowModuleAlias(ctx context.Context, in *api.CreateContactFlowModuleAliasRequest) (*api.CreateContactFlowModuleAliasResponse, error) {
	sc, id, now := scope(ctx), s.newID(), s.clock()
	var out *api.CreateContactFlowModuleAliasResponse
	err := s.store.Update(ctx, func(tx switchboard.Tx) error {
		module, _, err := getModule(tx, sc, *in.InstanceId, *in.ContactFlowModuleId)
		if err != nil {
			return err
		}
		n := *in.ContactFlowModuleVersion
		if _, _, err := getModuleVersion(tx, module, n); err != nil {
			return err
		}
		doc := flowModuleAliasDoc{Name: *in.AliasName, Description: in.Description, Version: n}
		if deref(doc.Description) == "" {
			doc.Description = nil
		}
		rec := &switchboard.Record{Scope: sc, Kind: switchboard.KindFlowModuleAlias, Parent: module.Parent, ID: module.ID + ":" + id,
			Name: module.ID + ":" + doc.Name, Data: encode(doc), Refs: []switchboard.Ref{{Kind: switchboard.KindFlowModuleVersion, ID: moduleVersionID(module.ID, n)}},
			Created: now, Modified: now}
		err = tx.Insert(rec)
		if errors.Is(err, switchboard.ErrAlreadyExists) {
			return duplicate("Flow module %s already has an alias named %s", module.ID, doc.Name)
		}
		if err != nil {
			return err
		}
		out = &api.CreateContactFlowModuleAliasResponse{ContactFlowModuleArn: ptr(resourceARN(sc, switchboard.KindFlowModule, module.Parent, module.ID)), Id: ptr(id)}
		return nil
	})
	return out, err
}

func (s *Service) describeContactFlowModuleAlias(ctx context.Context, in *api.DescribeContactFlowModuleAliasRequest) (*api.DescribeContactFlowModuleAliasResponse, error) {
	var out *api.DescribeContactFlowModuleAliasResponse
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		module, _, err := getModule(tx, scope(ctx), *in.InstanceId, *in.ContactFlowModuleId)
		if err != nil {
			return err
		}
		rec, doc, err := getModuleAlias(tx, module, *in.AliasId)
		if err != nil {
			return err
		}
		out = &api.DescribeContactFlowModuleAliasResponse{ContactFlowModuleAlias: &api.ContactFlowModuleAliasInfo{
			AliasId: ptr(aliasID(rec)), Name: ptr(doc.Name), Description: doc.Description, Version: ptr(doc.Version),
			ContactFlowModuleId: ptr(module.ID), ContactFlowModuleArn: ptr(resourceARN(module.Scope, switchboard.KindFlowModule, module.Parent, module.ID)),
			LastModifiedTime: ts(rec.Modified), LastModifiedRegion: ptr(rec.Region),
		}}
		return nil
	})
	return out, err
}

// updateContactFlowModuleAlias changes the members given: the name (unique
// per module), the description and the version pointed at.
func (s *Service) updateContactFlowModuleAlias(ctx context.Context, in *api.UpdateContactFlowModuleAliasRequest) (*empty, error) {
	if in.Name == nil && in.Description == nil && in.ContactFlowModuleVersion == nil {
		return nil, invalidRequest("UpdateContactFlowModuleAlias needs Name, Description or ContactFlowModuleVersion")
	}
	sc, now := scope(ctx), s.clock()
	return s.change(ctx, func(tx switchboard.Tx) error {
		module, _, err := getModule(tx, sc, *in.InstanceId, *in.ContactFlowModuleId)
		if err != nil {
			return err
		}
		rec, doc, err := getModuleAlias(tx, module, *in.AliasId)
		if err != nil {
			return err
		}
		if n := in.ContactFlowModuleVersion; n != nil {
			if _, _, err := getModuleVersion(tx, module, *n); err != nil {
				return err
			}
			doc.Version = *n
			rec.Refs = []switchboard.Ref{{Kind: switchboard.KindFlowModuleVersion, ID: moduleVersionID(module.ID, *n)}}
		}
		if in.Name != nil {
			doc.Name = *in.Name
			rec.Name = module.ID + ":" + *in.Name
		}
		if in.Description != nil {
			doc.Description = in.Description
		}
		rec.Data, rec.Modified = encode(doc), now
		err = tx.Replace(rec)
		if errors.Is(err, switchboard.ErrAlreadyExists) {
			return duplicate("Flow module %s already has an alias named %s", module.ID, doc.Name)
		}
		return err
	})
}

func (s *Service) deleteContactFlowModuleAlias(ctx context.Context, in *api.DeleteContactFlowModuleAliasRequest) (*empty, error) {
	return s.change(ctx, func(tx switchboard.Tx) error {
		module, _, err := getModule(tx, scope(ctx), *in.InstanceId, *in.ContactFlowModuleId)
		if err != nil {
			return err
		}
		rec, _, err := getModuleAlias(tx, module, *in.AliasId)
		if err != nil {
			return err
		}
		return tx.Delete(rec.Key())
	})
}

func (s *Service) listContactFlowModuleAliases(ctx context.Context, in *api.ListContactFlowModuleAliasesRequest) (*api.ListContactFlowModuleAliasesResponse, error) {
	out := &api.ListContactFlowModuleAliasesResponse{}
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		module, _, err := getModule(tx, scope(ctx), *in.InstanceId, *in.ContactFlowModuleId)
		if err != nil {
			return err
		}
		recs, next, err := pageModuleChildren(tx, module, switchboard.KindFlowModuleAlias, in.NextToken, in.MaxResults)
		if err != nil {
			return err
		}
		out.NextToken = next
		out.ContactFlowModuleAliasSummaryList = make([]api.ContactFlowModuleAliasSummary, 0, len(recs))
		for _, rec := range recs {
			var a flowModuleAliasDoc
			if err := decode(rec, &a); err != nil {
				return err
			}
			out.ContactFlowModuleAliasSummaryList = append(out.ContactFlowModuleAliasSummaryList, api.ContactFlowModuleAliasSummary{
				Arn: ptr(resourceARN(module.Scope, switchboard.KindFlowModule, module.Parent, rec.ID)), AliasId: ptr(aliasID(rec)),
				AliasName: ptr(a.Name), AliasDescription: a.Description, Version: ptr(a.Version), LastModifiedTime: ts(rec.Modified),
			})
		}
		return nil
	})
	return out, err
}
