package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

// TestIntegrationAssociationRules: one case per rule of the integration
// association and use case operations.
func TestIntegrationAssociationRules(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c, in := ctx(t), &f.instance
	create := func(typ types.IntegrationType, arn string, mod func(*connect.CreateIntegrationAssociationInput)) (*connect.CreateIntegrationAssociationOutput, error) {
		req := &connect.CreateIntegrationAssociationInput{InstanceId: in, IntegrationType: typ, IntegrationArn: aws.String(arn)}
		if mod != nil {
			mod(req)
		}
		return f.client.CreateIntegrationAssociation(c, req)
	}
	event := func(r *connect.CreateIntegrationAssociationInput) {
		r.SourceApplicationUrl, r.SourceApplicationName, r.SourceType = aws.String("https://login.salesforce.com"), aws.String("Salesforce"), types.SourceTypeSalesforce
	}
	for name, tc := range map[string]struct {
		typ    types.IntegrationType
		arn    string
		mod    func(*connect.CreateIntegrationAssociationInput)
		member string
	}{
		"not an ARN":                       {types.IntegrationTypeCasesDomain, "domain", nil, "IntegrationArn"},
		"an ARN of another service":        {types.IntegrationTypeCasesDomain, lambdaARN, nil, "IntegrationArn"},
		"a Voice ID ARN for WISDOM":        {types.IntegrationTypeWisdomAssistant, "arn:aws:voiceid:" + region + ":" + account + ":domain/AbCdEfGhIjKlMnOpQrStUv", nil, "IntegrationArn"},
		"PINPOINT_APP of another account":  {types.IntegrationTypePinpointApp, "arn:aws:mobiletargeting:" + region + ":111122223333:apps/abc123", nil, "IntegrationArn"},
		"EVENT without its source members": {types.IntegrationTypeEvent, eventARN, nil, "SourceApplicationUrl"},
		"EVENT with a bad application URL": {types.IntegrationTypeEvent, eventARN, func(r *connect.CreateIntegrationAssociationInput) {
			event(r)
			r.SourceApplicationUrl = aws.String("salesforce")
		}, "SourceApplicationUrl"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := create(tc.typ, tc.arn, tc.mod)
			wantErr[*types.InvalidRequestException](t, err, tc.member)
		})
	}
	ev := call(create(types.IntegrationTypeEvent, eventARN, event)).must(t)
	cases := call(create(types.IntegrationTypeCasesDomain, casesARN, func(r *connect.CreateIntegrationAssociationInput) { r.Tags = map[string]string{"k": "v"} })).must(t)
	call(create(types.IntegrationTypeAnalyticsConnector, "arn:aws:s3:"+region+":"+account+":anything", nil)).must(t)
	t.Run("ARN of the association", func(t *testing.T) {
		if *ev.IntegrationAssociationArn != arnOf(f, "integration-association", *ev.IntegrationAssociationId) {
			t.Errorf("ARN %s", *ev.IntegrationAssociationArn)
		}
	})
	t.Run("the same IntegrationArn twice", func(t *testing.T) {
		_, err := create(types.IntegrationTypeEvent, eventARN, event)
		wantErr[*types.DuplicateResourceException](t, err, eventARN)
	})
	list := func(typ types.IntegrationType, arn *string) []types.IntegrationAssociationSummary {
		return call(f.client.ListIntegrationAssociations(c, &connect.ListIntegrationAssociationsInput{InstanceId: in, IntegrationType: typ, IntegrationArn: arn})).must(t).IntegrationAssociationSummaryList
	}
	t.Run("listed with filters", func(t *testing.T) {
		all := list("", nil)
		if len(all) != 3 || *all[0].IntegrationAssociationId != *ev.IntegrationAssociationId || *all[0].SourceApplicationName != "Salesforce" ||
			all[0].SourceType != types.SourceTypeSalesforce || *all[0].InstanceId != f.instance || all[1].SourceApplicationUrl != nil {
			t.Errorf("all: %+v", all)
		}
		if got := list(types.IntegrationTypeCasesDomain, nil); len(got) != 1 || *got[0].IntegrationArn != casesARN {
			t.Errorf("by type: %+v", got)
		}
		if got := list("", aws.String(eventARN)); len(got) != 1 || got[0].IntegrationType != types.IntegrationTypeEvent {
			t.Errorf("by ARN: %+v", got)
		}
		if got := list(types.IntegrationTypeCasesDomain, aws.String(eventARN)); len(got) != 0 {
			t.Errorf("both: %+v", got)
		}
	})
	t.Run("tags through the association's ARN", func(t *testing.T) {
		tags := call(f.client.ListTagsForResource(c, &connect.ListTagsForResourceInput{ResourceArn: cases.IntegrationAssociationArn})).must(t).Tags
		if tags["k"] != "v" {
			t.Errorf("tags %v", tags)
		}
	})
	var useCase *connect.CreateUseCaseOutput
	t.Run("a use case", func(t *testing.T) {
		useCase = call(f.client.CreateUseCase(c, &connect.CreateUseCaseInput{InstanceId: in, IntegrationAssociationId: ev.IntegrationAssociationId,
			UseCaseType: types.UseCaseTypeRulesEvaluation})).must(t)
		if *useCase.UseCaseArn != "arn:aws:connect:"+region+":"+account+":instance/"+f.instance+"/use-case/"+*useCase.UseCaseId {
			t.Errorf("ARN %s", *useCase.UseCaseArn)
		}
	})
	t.Run("one use case of each type", func(t *testing.T) {
		_, err := f.client.CreateUseCase(c, &connect.CreateUseCaseInput{InstanceId: in, IntegrationAssociationId: ev.IntegrationAssociationId,
			UseCaseType: types.UseCaseTypeRulesEvaluation})
		wantErr[*types.DuplicateResourceException](t, err, "RULES_EVALUATION")
		call(f.client.CreateUseCase(c, &connect.CreateUseCaseInput{InstanceId: in, IntegrationAssociationId: cases.IntegrationAssociationId,
			UseCaseType: types.UseCaseTypeRulesEvaluation})).must(t)
	})
	t.Run("use cases listed per association", func(t *testing.T) {
		got := call(f.client.ListUseCases(c, &connect.ListUseCasesInput{InstanceId: in, IntegrationAssociationId: ev.IntegrationAssociationId})).must(t).UseCaseSummaryList
		if len(got) != 1 || *got[0].UseCaseId != *useCase.UseCaseId || got[0].UseCaseType != types.UseCaseTypeRulesEvaluation {
			t.Errorf("listed %+v", got)
		}
	})
	t.Run("use case of an unknown association", func(t *testing.T) {
		_, err := f.client.CreateUseCase(c, &connect.CreateUseCaseInput{InstanceId: in, IntegrationAssociationId: aws.String("nope"), UseCaseType: types.UseCaseTypeRulesEvaluation})
		wantErr[*types.ResourceNotFoundException](t, err, "nope")
	})
	t.Run("an association with use cases cannot be deleted", func(t *testing.T) {
		_, err := f.client.DeleteIntegrationAssociation(c, &connect.DeleteIntegrationAssociationInput{InstanceId: in, IntegrationAssociationId: ev.IntegrationAssociationId})
		wantErr[*types.InvalidRequestException](t, err, *useCase.UseCaseId)
	})
	t.Run("a use case deleted through another association is not found", func(t *testing.T) {
		_, err := f.client.DeleteUseCase(c, &connect.DeleteUseCaseInput{InstanceId: in, IntegrationAssociationId: cases.IntegrationAssociationId, UseCaseId: useCase.UseCaseId})
		wantErr[*types.ResourceNotFoundException](t, err, *useCase.UseCaseId)
	})
	t.Run("use case, then association, deleted", func(t *testing.T) {
		call(f.client.DeleteUseCase(c, &connect.DeleteUseCaseInput{InstanceId: in, IntegrationAssociationId: ev.IntegrationAssociationId, UseCaseId: useCase.UseCaseId})).must(t)
		call(f.client.DeleteIntegrationAssociation(c, &connect.DeleteIntegrationAssociationInput{InstanceId: in, IntegrationAssociationId: ev.IntegrationAssociationId})).must(t)
		_, err := f.client.DeleteIntegrationAssociation(c, &connect.DeleteIntegrationAssociationInput{InstanceId: in, IntegrationAssociationId: ev.IntegrationAssociationId})
		wantErr[*types.ResourceNotFoundException](t, err)
	})
}
