package service

import (
	"errors"
	"fmt"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// The service's errors are the modelled error shapes themselves; these
// constructors keep the messages in AWS's style in one place.

func notFound(format string, args ...any) error {
	return &api.ResourceNotFoundException{Message: ptr(fmt.Sprintf(format, args...))}
}

func invalidParameter(format string, args ...any) error {
	return &api.InvalidParameterException{Message: ptr(fmt.Sprintf(format, args...))}
}

func invalidRequest(format string, args ...any) error {
	return &api.InvalidRequestException{Message: ptr(fmt.Sprintf(format, args...))}
}

func duplicate(format string, args ...any) error {
	return &api.DuplicateResourceException{Message: ptr(fmt.Sprintf(format, args...))}
}

func limitExceeded(format string, args ...any) error {
	return &api.LimitExceededException{Message: ptr(fmt.Sprintf(format, args...))}
}

func quotaExceeded(format string, args ...any) error {
	return &api.ServiceQuotaExceededException{Message: ptr(fmt.Sprintf(format, args...))}
}

func inUse(resourceType, arn, format string, args ...any) error {
	return &api.ResourceInUseException{Message: ptr(fmt.Sprintf(format, args...)), ResourceType: ptr(resourceType), ResourceId: ptr(arn)}
}

// invalidMember reports a rule broken by one member in the same form as the
// generated constraint checks; the wire layer sends it as the operation's
// declared validation error.
func invalidMember(path, value, rule string) error {
	return &api.ValidationError{Violations: []api.Violation{{Path: path, Value: value, Rule: rule}}}
}

// storeErr turns a store error about the record described by what into the
// modelled error; errors it does not know pass through (and become
// InternalServiceException at the wire).
func storeErr(err error, what string) error {
	var missing *switchboard.MissingRefError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, switchboard.ErrNotFound):
		return notFound("%s not found", what)
	case errors.Is(err, switchboard.ErrAlreadyExists):
		return duplicate("%s already exists", what)
	case errors.As(err, &missing):
		return notFound("%s %s not found", kindLabel(missing.Ref.Kind), missing.Ref.ID)
	}
	return err
}

var kindLabels = map[switchboard.Kind]string{
	switchboard.KindInstance:               "Instance",
	switchboard.KindUser:                   "User",
	switchboard.KindSecurityProfile:        "Security profile",
	switchboard.KindRoutingProfile:         "Routing profile",
	switchboard.KindQueue:                  "Queue",
	switchboard.KindHoursOfOperation:       "Hours of operation",
	switchboard.KindHierarchyGroup:         "Hierarchy group",
	switchboard.KindQuickConnect:           "Quick connect",
	switchboard.KindAgentStatus:            "Agent status",
	switchboard.KindPredefinedAttribute:    "Predefined attribute",
	switchboard.KindContactFlow:            "Contact flow",
	switchboard.KindContactFlowVersion:     "Contact flow version",
	switchboard.KindFlowModule:             "Flow module",
	switchboard.KindFlowModuleVersion:      "Flow module version",
	switchboard.KindFlowModuleAlias:        "Flow module alias",
	switchboard.KindPhoneNumber:            "Phone number",
	switchboard.KindPrompt:                 "Prompt",
	switchboard.KindLambdaFunction:         "Lambda function",
	switchboard.KindLexBot:                 "Lex bot",
	switchboard.KindStorageConfig:          "Storage config",
	switchboard.KindApprovedOrigin:         "Approved origin",
	switchboard.KindSecurityKey:            "Security key",
	switchboard.KindIntegrationAssociation: "Integration association",
	switchboard.KindUseCase:                "Use case",
	switchboard.KindVocabulary:             "Vocabulary",
	switchboard.KindFlowAssociation:        "Flow association",
	switchboard.KindContact:                "Contact",
}

func kindLabel(k switchboard.Kind) string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return string(k)
}
