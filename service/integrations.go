package service

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// Integrations: the AWS resources an instance may use — Lambda functions
// (integrations_lambda.go), Lex bots (integrations_lex.go), approved
// origins and security keys (integrations_origins.go), integration
// associations and their use cases (integrations_assoc.go) — and Contact
// Lens vocabularies (integrations_vocabulary.go). Resources of other
// services are named by ARN and checked for form (and, where Connect
// requires it, for the caller's region and account); they are never looked
// up.

// registerIntegrations registers the Lambda function, Lex bot, approved origin, security key, integration association, use case and vocabulary operations.
func (s *Service) registerIntegrations() {
	handle(s, "AssociateLambdaFunction", s.associateLambdaFunction)
	handle(s, "DisassociateLambdaFunction", s.disassociateLambdaFunction)
	handle(s, "ListLambdaFunctions", s.listLambdaFunctions)

	handle(s, "AssociateBot", s.associateBot)
	handle(s, "DisassociateBot", s.disassociateBot)
	handle(s, "ListBots", s.listBots)
	handle(s, "AssociateLexBot", s.associateLexBot)
	handle(s, "DisassociateLexBot", s.disassociateLexBot)
	handle(s, "ListLexBots", s.listLexBots)

	handle(s, "AssociateApprovedOrigin", s.associateApprovedOrigin)
	handle(s, "DisassociateApprovedOrigin", s.disassociateApprovedOrigin)
	handle(s, "ListApprovedOrigins", s.listApprovedOrigins)
	handle(s, "AssociateSecurityKey", s.associateSecurityKey)
	handle(s, "DisassociateSecurityKey", s.disassociateSecurityKey)
	handle(s, "ListSecurityKeys", s.listSecurityKeys)

	handle(s, "CreateIntegrationAssociation", s.createIntegrationAssociation)
	handle(s, "DeleteIntegrationAssociation", s.deleteIntegrationAssociation)
	handle(s, "ListIntegrationAssociations", s.listIntegrationAssociations)
	handle(s, "CreateUseCase", s.createUseCase)
	handle(s, "DeleteUseCase", s.deleteUseCase)
	handle(s, "ListUseCases", s.listUseCases)

	handle(s, "CreateVocabulary", s.createVocabulary)
	handle(s, "DescribeVocabulary", s.describeVocabulary)
	handle(s, "SearchVocabularies", s.searchVocabularies)
	handle(s, "DeleteVocabulary", s.deleteVocabulary)
	handle(s, "AssociateDefaultVocabulary", s.associateDefaultVocabulary)
	handle(s, "ListDefaultVocabularies", s.listDefaultVocabularies)
}

// foreignARN is an ARN of another AWS service, split into its parts.
type foreignARN struct {
	partition, service, region, account, resource string
}

var (
	arnRegionForm  = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
	arnAccountForm = regexp.MustCompile(`^[0-9]{12}$`)
)

// parseForeignARN splits arn:partition:service:region:account:resource,
// requiring a region and a 12-digit account.
func parseForeignARN(arn string) (foreignARN, bool) {
	p := strings.SplitN(arn, ":", 6)
	if len(p) != 6 || p[0] != "arn" || p[1] != "aws" || p[2] == "" || !arnRegionForm.MatchString(p[3]) ||
		!arnAccountForm.MatchString(p[4]) || p[5] == "" {
		return foreignARN{}, false
	}
	return foreignARN{partition: p[1], service: p[2], region: p[3], account: p[4], resource: p[5]}, true
}

// sameScope reports whether an ARN is of the caller's region and account.
func (a foreignARN) sameScope(sc switchboard.Scope) bool {
	return a.region == sc.Region && a.account == sc.Account
}

// conflict answers ResourceConflictException.
func conflict(format string, args ...any) error {
	return &api.ResourceConflictException{Message: ptr(fmt.Sprintf(format, args...))}
}

// association is what the store keeps of an instance's association with a
// resource of another service (a Lambda function, a Lex bot, an approved
// origin, a security key): the ClientToken of the request that made it, so
// that a retry of that request succeeds instead of conflicting.
type association struct {
	ClientToken string `json:"clientToken,omitempty"`
}

// associate stores rec (its Scope, Parent and Created set here) unless one
// with its key exists: a retry with the request's ClientToken succeeds, any
// other request answers ResourceConflictException with taken's message.
// count, when not nil, counts what the quota limits and full answers the
// error for a full instance.
func (s *Service) associate(ctx context.Context, instanceIDOrARN string, rec *switchboard.Record, token string, taken string,
	count func(tx switchboard.Tx, instanceID string) (int, error), limit int, full func() error) error {
	sc, now := scope(ctx), s.clock()
	return s.store.Update(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, instanceIDOrARN)
		if err != nil {
			return err
		}
		rec.Scope, rec.Parent, rec.Created, rec.Modified = sc, inst.ID, now, now
		prev, err := tx.Get(rec.Key())
		if err == nil {
			var a association
			if token != "" && decode(prev, &a) == nil && a.ClientToken == token {
				return nil
			}
			return conflict("%s", taken)
		}
		if !errors.Is(err, switchboard.ErrNotFound) {
			return err
		}
		if count != nil {
			n, err := count(tx, inst.ID)
			if err != nil {
				return err
			}
			if n >= limit {
				return full()
			}
		}
		return storeErr(tx.Insert(rec), kindLabel(rec.Kind))
	})
}

// disassociate deletes the association with that id, answering
// ResourceNotFoundException with missing when there is none.
func (s *Service) disassociate(ctx context.Context, instanceIDOrARN string, kind switchboard.Kind, id, missing string) (*empty, error) {
	sc := scope(ctx)
	return s.change(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, instanceIDOrARN)
		if err != nil {
			return err
		}
		err = tx.Delete(switchboard.Key{Scope: sc, Kind: kind, Parent: inst.ID, ID: id})
		if errors.Is(err, switchboard.ErrNotFound) {
			return notFound("%s", missing)
		}
		return err
	})
}

// listAssociations pages an instance's records of one kind (def per page
// when the request gives no MaxResults) and converts each with conv.
func listAssociations[T any](s *Service, ctx context.Context, instanceIDOrARN string, kind switchboard.Kind, token *string, max *int32, def int,
	keep func(*switchboard.Record) bool, conv func(*switchboard.Record) (T, error)) ([]T, *string, error) {
	out := []T{}
	var next *string
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, scope(ctx), instanceIDOrARN)
		if err != nil {
			return err
		}
		recs, n, err := page(tx, inst.Scope, kind, inst.ID, token, max, def, keep)
		if err != nil {
			return err
		}
		next = n
		for _, r := range recs {
			v, err := conv(r)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	return out, next, err
}
