package service

import (
	"context"
	"errors"
	"net/url"
	"regexp"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// Integration associations (an instance's link to an AppIntegrations event
// integration or application, a Voice ID domain, an End User Messaging
// application, a Q in Connect assistant or knowledge base, a Cases domain,
// ...) and their use cases: CreateIntegrationAssociation,
// DeleteIntegrationAssociation, ListIntegrationAssociations, CreateUseCase,
// DeleteUseCase, ListUseCases. Tags through the ARNs
// .../integration-association/{id} and .../use-case/{id}.
//
// Use cases are stored as records of the instance (so deleting the
// instance deletes them) that refer to their association.

// integrationARNForms gives, per IntegrationType, the service and resource
// form of the IntegrationArn. Types not listed take any well-formed ARN.
var integrationARNForms = map[string]struct {
	service  string
	resource *regexp.Regexp
}{
	api.IntegrationTypeEvent:                {"app-integrations", regexp.MustCompile(`^event-integration/[a-zA-Z0-9/._-]+$`)},
	api.IntegrationTypeApplication:          {"app-integrations", regexp.MustCompile(`^application/[a-zA-Z0-9/._-]+$`)},
	api.IntegrationTypeVoiceId:              {"voiceid", regexp.MustCompile(`^domain/[a-zA-Z0-9]{22}$`)},
	api.IntegrationTypePinpointApp:          {"mobiletargeting", regexp.MustCompile(`^apps/[a-zA-Z0-9]+$`)},
	api.IntegrationTypeWisdomAssistant:      {"wisdom", regexp.MustCompile(`^assistant/[a-f0-9-]{36}$`)},
	api.IntegrationTypeWisdomKnowledgeBase:  {"wisdom", regexp.MustCompile(`^knowledge-base/[a-f0-9-]{36}$`)},
	api.IntegrationTypeWisdomQuickResponses: {"wisdom", regexp.MustCompile(`^knowledge-base/[a-f0-9-]{36}$`)},
	api.IntegrationTypeQMessageTemplates:    {"wisdom", regexp.MustCompile(`^knowledge-base/[a-f0-9-]{36}$`)},
	api.IntegrationTypeCasesDomain:          {"cases", regexp.MustCompile(`^domain/[a-f0-9-]{36}$`)},
	api.IntegrationTypeSesIdentity:          {"ses", regexp.MustCompile(`^identity/.+$`)},
	api.IntegrationTypeCognitoUserPool:      {"cognito-idp", regexp.MustCompile(`^userpool/[\w-]+_[0-9a-zA-Z]+$`)},
	api.IntegrationTypeFileScanner:          {"lambda", lambdaFunctionForm},
}

// integrationDoc is what the store keeps of an integration association.
type integrationDoc struct {
	Type    string  `json:"type"`
	ARN     string  `json:"arn"`
	AppURL  *string `json:"appUrl,omitempty"`
	AppName *string `json:"appName,omitempty"`
	Source  *string `json:"source,omitempty"`
}

// useCaseDoc is what the store keeps of a use case.
type useCaseDoc struct {
	Association string `json:"association"`
	Type        string `json:"type"`
}

// checkIntegration checks a CreateIntegrationAssociation request's ARN and
// source members.
func checkIntegration(sc switchboard.Scope, in *api.CreateIntegrationAssociationRequest) error {
	typ, arn := *in.IntegrationType, *in.IntegrationArn
	a, ok := parseForeignARN(arn)
	if form, typed := integrationARNForms[typ]; ok && typed && (a.service != form.service || !form.resource.MatchString(a.resource)) {
		ok = false
	}
	if !ok {
		return invalidRequest("IntegrationArn %s is not an ARN of the kind IntegrationType %s integrates", arn, typ)
	}
	if typ == api.IntegrationTypePinpointApp && a.account != sc.Account {
		return invalidRequest("IntegrationArn %s must be in the instance's account (%s) for IntegrationType %s", arn, sc.Account, typ)
	}
	if typ == api.IntegrationTypeEvent {
		// In a fixed order, so that the member named is always the first
		// one missing.
		for _, m := range []struct {
			member string
			v      *string
		}{{"SourceApplicationUrl", in.SourceApplicationUrl}, {"SourceApplicationName", in.SourceApplicationName}, {"SourceType", in.SourceType}} {
			if m.v == nil {
				return invalidRequest("%s is required for IntegrationType %s", m.member, typ)
			}
		}
	}
	if in.SourceApplicationUrl != nil {
		if u, err := url.Parse(*in.SourceApplicationUrl); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return invalidRequest("SourceApplicationUrl %q is not an http or https URL", *in.SourceApplicationUrl)
		}
	}
	return nil
}

func (s *Service) createIntegrationAssociation(ctx context.Context, in *api.CreateIntegrationAssociationRequest) (*api.CreateIntegrationAssociationResponse, error) {
	sc, id, now := scope(ctx), s.newID(), s.clock()
	if err := checkIntegration(sc, in); err != nil {
		return nil, err
	}
	var out *api.CreateIntegrationAssociationResponse
	err := s.store.Update(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		recs, err := tx.List(sc, switchboard.KindIntegrationAssociation, inst.ID, switchboard.ListOptions{})
		if err != nil {
			return err
		}
		for _, r := range recs {
			var d integrationDoc
			if err := decode(r, &d); err != nil {
				return err
			}
			if d.ARN == *in.IntegrationArn {
				return duplicate("IntegrationArn %s is already associated with instance %s as %s", d.ARN, inst.ID, r.ID)
			}
		}
		doc := integrationDoc{Type: *in.IntegrationType, ARN: *in.IntegrationArn, AppURL: in.SourceApplicationUrl, AppName: in.SourceApplicationName, Source: in.SourceType}
		if err := tx.Insert(&switchboard.Record{Scope: sc, Kind: switchboard.KindIntegrationAssociation, Parent: inst.ID, ID: id,
			Data: encode(doc), Tags: copyTags(in.Tags), Created: now, Modified: now}); err != nil {
			return storeErr(err, "Integration association")
		}
		out = &api.CreateIntegrationAssociationResponse{IntegrationAssociationId: ptr(id),
			IntegrationAssociationArn: ptr(resourceARN(sc, switchboard.KindIntegrationAssociation, inst.ID, id))}
		return nil
	})
	return out, err
}

// deleteIntegrationAssociation refuses an association that still has use
// cases, as documented.
func (s *Service) deleteIntegrationAssociation(ctx context.Context, in *api.DeleteIntegrationAssociationRequest) (*empty, error) {
	sc := scope(ctx)
	return s.change(ctx, func(tx switchboard.Tx) error {
		assoc, err := getChild(tx, sc, *in.InstanceId, switchboard.KindIntegrationAssociation, *in.IntegrationAssociationId)
		if err != nil {
			return err
		}
		cases, err := useCasesOf(tx, assoc)
		if err != nil {
			return err
		}
		if len(cases) > 0 {
			return invalidRequest("Integration association %s still has %d use case(s); delete them first (DeleteUseCase %s)", assoc.ID, len(cases), cases[0].rec.ID)
		}
		return tx.Delete(assoc.Key())
	})
}

func (s *Service) listIntegrationAssociations(ctx context.Context, in *api.ListIntegrationAssociationsRequest) (*api.ListIntegrationAssociationsResponse, error) {
	var keep func(*switchboard.Record) bool
	if in.IntegrationType != nil || in.IntegrationArn != nil {
		keep = func(r *switchboard.Record) bool {
			var d integrationDoc
			return decode(r, &d) == nil && (in.IntegrationType == nil || d.Type == *in.IntegrationType) && (in.IntegrationArn == nil || d.ARN == *in.IntegrationArn)
		}
	}
	list, next, err := listAssociations(s, ctx, *in.InstanceId, switchboard.KindIntegrationAssociation, in.NextToken, in.MaxResults, defaultPageSize, keep,
		func(r *switchboard.Record) (api.IntegrationAssociationSummary, error) {
			var d integrationDoc
			err := decode(r, &d)
			return api.IntegrationAssociationSummary{InstanceId: ptr(r.Parent), IntegrationAssociationId: ptr(r.ID),
				IntegrationAssociationArn: ptr(resourceARN(r.Scope, r.Kind, r.Parent, r.ID)), IntegrationType: ptr(d.Type), IntegrationArn: ptr(d.ARN),
				SourceApplicationUrl: d.AppURL, SourceApplicationName: d.AppName, SourceType: d.Source}, err
		})
	if err != nil {
		return nil, err
	}
	return &api.ListIntegrationAssociationsResponse{IntegrationAssociationSummaryList: list, NextToken: next}, nil
}

// useCaseARN is a use case's ARN: .../instance/{id}/use-case/{id}, as the
// IAM service authorization reference gives Connect's use-case resource.
func useCaseARN(sc switchboard.Scope, instanceID, id string) string {
	return instanceARN(sc, instanceID) + "/use-case/" + id
}

// createUseCase allows one use case of each type per association, as
// documented.
func (s *Service) createUseCase(ctx context.Context, in *api.CreateUseCaseRequest) (*api.CreateUseCaseResponse, error) {
	sc, id, now := scope(ctx), s.newID(), s.clock()
	var out *api.CreateUseCaseResponse
	err := s.store.Update(ctx, func(tx switchboard.Tx) error {
		assoc, err := getChild(tx, sc, *in.InstanceId, switchboard.KindIntegrationAssociation, *in.IntegrationAssociationId)
		if err != nil {
			return err
		}
		cases, err := useCasesOf(tx, assoc)
		if err != nil {
			return err
		}
		for _, c := range cases {
			if c.doc.Type == *in.UseCaseType {
				return duplicate("Integration association %s already has a %s use case (%s)", assoc.ID, c.doc.Type, c.rec.ID)
			}
		}
		doc := useCaseDoc{Association: assoc.ID, Type: *in.UseCaseType}
		if err := tx.Insert(&switchboard.Record{Scope: sc, Kind: switchboard.KindUseCase, Parent: assoc.Parent, ID: id, Data: encode(doc), Tags: copyTags(in.Tags),
			Refs: []switchboard.Ref{{Kind: switchboard.KindIntegrationAssociation, ID: assoc.ID}}, Created: now, Modified: now}); err != nil {
			return storeErr(err, "Use case")
		}
		out = &api.CreateUseCaseResponse{UseCaseId: ptr(id), UseCaseArn: ptr(useCaseARN(sc, assoc.Parent, id))}
		return nil
	})
	return out, err
}

type useCase struct {
	rec *switchboard.Record
	doc useCaseDoc
}

// useCasesOf lists an association's use cases in creation order.
func useCasesOf(tx switchboard.Tx, assoc *switchboard.Record) ([]useCase, error) {
	recs, err := tx.List(assoc.Scope, switchboard.KindUseCase, assoc.Parent, switchboard.ListOptions{})
	if err != nil {
		return nil, err
	}
	var out []useCase
	for _, r := range recs {
		var d useCaseDoc
		if err := decode(r, &d); err != nil {
			return nil, err
		}
		if d.Association == assoc.ID {
			out = append(out, useCase{r, d})
		}
	}
	return out, nil
}

func (s *Service) deleteUseCase(ctx context.Context, in *api.DeleteUseCaseRequest) (*empty, error) {
	sc := scope(ctx)
	return s.change(ctx, func(tx switchboard.Tx) error {
		assoc, err := getChild(tx, sc, *in.InstanceId, switchboard.KindIntegrationAssociation, *in.IntegrationAssociationId)
		if err != nil {
			return err
		}
		rec, err := tx.Get(switchboard.Key{Scope: sc, Kind: switchboard.KindUseCase, Parent: assoc.Parent, ID: *in.UseCaseId})
		var d useCaseDoc
		if err == nil {
			err = decode(rec, &d)
		}
		if errors.Is(err, switchboard.ErrNotFound) || (err == nil && d.Association != assoc.ID) {
			return notFound("Use case %s not found in integration association %s", *in.UseCaseId, assoc.ID)
		}
		if err != nil {
			return err
		}
		return tx.Delete(rec.Key())
	})
}

func (s *Service) listUseCases(ctx context.Context, in *api.ListUseCasesRequest) (*api.ListUseCasesResponse, error) {
	out := &api.ListUseCasesResponse{UseCaseSummaryList: []api.UseCase{}}
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		assoc, err := getChild(tx, scope(ctx), *in.InstanceId, switchboard.KindIntegrationAssociation, *in.IntegrationAssociationId)
		if err != nil {
			return err
		}
		recs, next, err := page(tx, assoc.Scope, switchboard.KindUseCase, assoc.Parent, in.NextToken, in.MaxResults, defaultPageSize, func(r *switchboard.Record) bool {
			var d useCaseDoc
			return decode(r, &d) == nil && d.Association == assoc.ID
		})
		if err != nil {
			return err
		}
		out.NextToken = next
		for _, r := range recs {
			var d useCaseDoc
			if err := decode(r, &d); err != nil {
				return err
			}
			out.UseCaseSummaryList = append(out.UseCaseSummaryList, api.UseCase{UseCaseId: ptr(r.ID), UseCaseArn: ptr(useCaseARN(r.Scope, r.Parent, r.ID)), UseCaseType: ptr(d.Type)})
		}
		return nil
	})
	return out, err
}
