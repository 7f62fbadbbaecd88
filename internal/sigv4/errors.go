package sigv4

import (
	"net/http"

	"github.com/switchboard-dev/switchboard/api"
)

// The error codes AWS front ends send for authentication failures. They are
// not in the Connect model, so they travel as *api.GenericError; every one
// is a 403, as AWS sends them.
const (
	CodeMissingAuthenticationToken = "MissingAuthenticationTokenException"
	CodeIncompleteSignature        = "IncompleteSignatureException"
	CodeUnrecognizedClient         = "UnrecognizedClientException"
	CodeInvalidSignature           = "InvalidSignatureException"
)

// Messages AWS sends verbatim, kept identical so clients and people who
// search for them find the same explanation.
const (
	msgMissingToken     = "Missing Authentication Token"
	msgUnrecognized     = "The security token included in the request is invalid."
	msgSignatureInvalid = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

func authError(code, message string) *api.GenericError {
	return &api.GenericError{Code: code, Status: http.StatusForbidden, Message: message}
}

func incomplete(message string) *api.GenericError {
	return authError(CodeIncompleteSignature, message)
}
