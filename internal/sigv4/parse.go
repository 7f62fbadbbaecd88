package sigv4

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Signing constants of SigV4 as Connect uses it.
const (
	// Algorithm is the only signing algorithm Connect accepts.
	Algorithm = "AWS4-HMAC-SHA256"
	// ServiceName is the signing name in Connect's credential scope.
	ServiceName = "connect"
	// Terminator ends every SigV4 credential scope.
	Terminator = "aws4_request"
	// TimeFormat is the ISO 8601 basic format of X-Amz-Date.
	TimeFormat = "20060102T150405Z"
	// DateFormat is the format of the date in a credential scope.
	DateFormat = "20060102"
	// MaxExpires is the longest validity a presigned URL may ask for (a
	// week, as AWS allows).
	MaxExpires = 7 * 24 * 60 * 60
)

// Query parameters of a presigned URL.
const (
	QueryAlgorithm     = "X-Amz-Algorithm"
	QueryCredential    = "X-Amz-Credential"
	QueryDate          = "X-Amz-Date"
	QueryExpires       = "X-Amz-Expires"
	QuerySignedHeaders = "X-Amz-SignedHeaders"
	QuerySignature     = "X-Amz-Signature"
)

// Credential is the Credential component of a signature: the access key id
// followed by the credential scope.
type Credential struct {
	AccessKeyID string
	Date        string // YYYYMMDD
	Region      string
	Service     string
	Terminator  string
}

// Scope is the credential scope as it appears in the string to sign.
func (c Credential) Scope() string {
	return c.Date + "/" + c.Region + "/" + c.Service + "/" + c.Terminator
}

// String is the Credential component as clients send it.
func (c Credential) String() string { return c.AccessKeyID + "/" + c.Scope() }

// Authorization is a parsed SigV4 signature, from the Authorization header
// or from a presigned URL's query.
type Authorization struct {
	Algorithm     string
	Credential    Credential
	SignedHeaders []string // as the client listed them (lower case, sorted)
	Signature     string   // lower-case hex, as sent

	// Presigned is true for the query form; the fields below only apply
	// to it, because the header form carries its date in a header.
	Presigned bool
	AmzDate   string // X-Amz-Date from the query
	// Expires is X-Amz-Expires in seconds, or -1 when the URL has none.
	Expires int64
}

// String renders the Authorization header value of a.
func (a *Authorization) String() string {
	return a.Algorithm + " Credential=" + a.Credential.String() +
		", SignedHeaders=" + strings.Join(a.SignedHeaders, ";") +
		", Signature=" + a.Signature
}

// ParseAuthorization parses an Authorization header of the form
//
//	AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/connect/aws4_request, SignedHeaders=host;x-amz-date, Signature=<hex>
//
// Errors are *api.GenericError with code IncompleteSignatureException. It
// checks only the form: whether the scope names Connect and today is the
// verifier's business.
func ParseAuthorization(header string) (*Authorization, error) {
	alg, rest, _ := strings.Cut(strings.TrimSpace(header), " ")
	if alg != Algorithm {
		return nil, incomplete(fmt.Sprintf("Unsupported Authorization algorithm '%s': only %s is accepted.", clip(alg), Algorithm))
	}
	var cred, signed, sig string
	var haveCred, haveSigned, haveSig bool
	for part := range strings.SplitSeq(rest, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return nil, incomplete(fmt.Sprintf("'%s' not a valid key=value pair (missing equal-sign) in Authorization header.", clip(part)))
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		var dst *string
		var seen *bool
		switch k {
		case "Credential":
			dst, seen = &cred, &haveCred
		case "SignedHeaders":
			dst, seen = &signed, &haveSigned
		case "Signature":
			dst, seen = &sig, &haveSig
		default:
			// Unknown components are ignored: they cannot weaken the
			// check, and rejecting them would only break odd clients.
			continue
		}
		if *seen {
			return nil, incomplete(fmt.Sprintf("Authorization header has more than one '%s' parameter.", k))
		}
		*dst, *seen = v, true
	}
	var missing []string
	for _, m := range []struct {
		name string
		ok   bool
	}{{"Credential", haveCred && cred != ""}, {"Signature", haveSig && sig != ""}, {"SignedHeaders", haveSigned && signed != ""}} {
		if !m.ok {
			missing = append(missing, "Authorization header requires '"+m.name+"' parameter.")
		}
	}
	if len(missing) > 0 {
		return nil, incomplete(strings.Join(missing, " "))
	}
	return build(cred, signed, sig)
}

// ParsePresigned parses the SigV4 parameters of a presigned URL's query.
// Errors are *api.GenericError with code IncompleteSignatureException.
func ParsePresigned(q url.Values) (*Authorization, error) {
	var missing []string
	for _, k := range []string{QueryAlgorithm, QueryCredential, QuerySignature, QuerySignedHeaders, QueryDate} {
		if q.Get(k) == "" {
			missing = append(missing, "AWS query-string parameters must include '"+k+"'.")
		}
	}
	if len(missing) > 0 {
		return nil, incomplete(strings.Join(missing, " ") + " Re-examine the query-string parameters.")
	}
	if alg := q.Get(QueryAlgorithm); alg != Algorithm {
		return nil, incomplete(fmt.Sprintf("Unsupported X-Amz-Algorithm '%s': only %s is accepted.", clip(alg), Algorithm))
	}
	a, err := build(q.Get(QueryCredential), q.Get(QuerySignedHeaders), q.Get(QuerySignature))
	if err != nil {
		return nil, err
	}
	a.Presigned = true
	a.AmzDate = q.Get(QueryDate)
	a.Expires = -1
	if s, ok := q[QueryExpires]; ok {
		n, err := strconv.ParseInt(s[0], 10, 64)
		if err != nil || n < 0 {
			return nil, incomplete("X-Amz-Expires must be a non-negative integer number of seconds.")
		}
		if n > MaxExpires {
			return nil, incomplete(fmt.Sprintf("X-Amz-Expires must be less than a week (in seconds) that is %d.", MaxExpires))
		}
		a.Expires = n
	}
	return a, nil
}

// build checks the components both forms share.
func build(cred, signed, sig string) (*Authorization, error) {
	c, err := ParseCredential(cred)
	if err != nil {
		return nil, err
	}
	headers := strings.Split(signed, ";")
	for _, h := range headers {
		if h == "" {
			return nil, incomplete("SignedHeaders must be a semicolon-separated list of header names without empty entries.")
		}
	}
	return &Authorization{Algorithm: Algorithm, Credential: c, SignedHeaders: headers, Signature: sig, Expires: -1}, nil
}

// ParseCredential splits AKID/YYYYMMDD/region/service/aws4_request. It
// checks the shape of each part but not their values against the request.
func ParseCredential(s string) (Credential, error) {
	parts := strings.Split(s, "/")
	if len(parts) != 5 {
		return Credential{}, incomplete(fmt.Sprintf("Credential must have exactly 5 slash-separated components (<access key>/<date>/<region>/<service>/%s), found %d.", Terminator, len(parts)))
	}
	c := Credential{AccessKeyID: parts[0], Date: parts[1], Region: parts[2], Service: parts[3], Terminator: parts[4]}
	switch {
	case c.AccessKeyID == "":
		return Credential{}, incomplete("Credential must name an access key.")
	case !isDate(c.Date):
		return Credential{}, incomplete(fmt.Sprintf("Credential date '%s' must be in YYYYMMDD format.", clip(c.Date)))
	case c.Region == "":
		return Credential{}, incomplete("Credential should be scoped to a valid region.")
	}
	return c, nil
}

func isDate(s string) bool {
	if len(s) != len(DateFormat) {
		return false
	}
	_, err := time.Parse(DateFormat, s)
	return err == nil
}

// clip makes client-supplied text safe to put in a message: short, so an
// error cannot reflect large payloads, and free of control characters and
// invalid UTF-8, which api.GenericError's strconv.Quote-based encoding would
// turn into invalid JSON.
func clip(s string) string {
	const max = 64
	if len(s) > max {
		s = s[:max] + "..."
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError || !unicode.IsPrint(r) && r != ' ' {
			return '?'
		}
		return r
	}, s)
}
