package service

import (
	"context"
	"regexp"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// Lambda functions an instance may invoke: AssociateLambdaFunction,
// DisassociateLambdaFunction, ListLambdaFunctions. A record's ID is the
// function's ARN exactly as associated (a qualified ARN is a different
// association from the unqualified one), so the flow validator can ask
// whether a flow's function is associated with one Get (LambdaFunctionKey).

// lambdaFunctionForm is a Lambda function ARN's resource part:
// function:{name}[:{version or alias}], with Lambda's own name and
// qualifier rules.
var lambdaFunctionForm = regexp.MustCompile(`^function:[a-zA-Z0-9_-]{1,64}(:(\$LATEST|[a-zA-Z0-9_-]{1,128}))?$`)

// LambdaFunctionKey is the store key of the association of the function
// with that ARN with an instance: the record exists exactly when
// AssociateLambdaFunction associated that ARN.
func LambdaFunctionKey(sc switchboard.Scope, instanceID, functionARN string) switchboard.Key {
	return switchboard.Key{Scope: sc, Kind: switchboard.KindLambdaFunction, Parent: instanceID, ID: functionARN}
}

// checkFunctionARN accepts the ARN of a Lambda function of the caller's
// region and account: Connect grants itself permission to invoke the
// function (a resource policy written in the caller's account), which it
// can do only there.
func checkFunctionARN(sc switchboard.Scope, arn string) error {
	a, ok := parseForeignARN(arn)
	if !ok || a.service != "lambda" || !lambdaFunctionForm.MatchString(a.resource) {
		return invalidParameter("FunctionArn %s is not a Lambda function ARN (arn:aws:lambda:{region}:{account}:function:{name}[:{version or alias}])", arn)
	}
	if !a.sameScope(sc) {
		return invalidParameter("FunctionArn %s must be a Lambda function in the instance's region (%s) and account (%s)", arn, sc.Region, sc.Account)
	}
	return nil
}

func (s *Service) associateLambdaFunction(ctx context.Context, in *api.AssociateLambdaFunctionRequest) (*empty, error) {
	sc := scope(ctx)
	if err := checkFunctionARN(sc, *in.FunctionArn); err != nil {
		return nil, err
	}
	rec := &switchboard.Record{Kind: switchboard.KindLambdaFunction, ID: *in.FunctionArn, Data: encode(association{ClientToken: deref(in.ClientToken)})}
	limit := s.quotas.LambdaFunctionsPerInstance
	err := s.associate(ctx, *in.InstanceId, rec, deref(in.ClientToken), "Lambda function "+*in.FunctionArn+" is already associated with the instance",
		func(tx switchboard.Tx, instanceID string) (int, error) {
			return tx.Count(sc, switchboard.KindLambdaFunction, instanceID)
		}, limit, func() error {
			return quotaExceeded("The maximum number of Lambda functions per instance (%d) has been reached", limit)
		})
	if err != nil {
		return nil, err
	}
	return &empty{}, nil
}

func (s *Service) disassociateLambdaFunction(ctx context.Context, in *api.DisassociateLambdaFunctionRequest) (*empty, error) {
	return s.disassociate(ctx, *in.InstanceId, switchboard.KindLambdaFunction, *in.FunctionArn,
		"Lambda function "+*in.FunctionArn+" is not associated with instance "+instanceIDFrom(*in.InstanceId))
}

func (s *Service) listLambdaFunctions(ctx context.Context, in *api.ListLambdaFunctionsRequest) (*api.ListLambdaFunctionsResponse, error) {
	list, next, err := listAssociations(s, ctx, *in.InstanceId, switchboard.KindLambdaFunction, in.NextToken, in.MaxResults, 25, nil,
		func(r *switchboard.Record) (string, error) { return r.ID, nil })
	if err != nil {
		return nil, err
	}
	return &api.ListLambdaFunctionsResponse{LambdaFunctions: list, NextToken: next}, nil
}
