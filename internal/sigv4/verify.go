// Package sigv4 verifies AWS Signature Version 4 the way Connect's front
// end does, as small pure functions (parse, canonicalize, sign) and one
// Verifier that strings them together. Every failure is an *api.GenericError
// carrying the code and 403 status AWS sends, so the wire layer can write it
// unchanged.
package sigv4

import (
	"crypto/hmac"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/switchboard-dev/switchboard"
)

// MaxSkew is how far a request's date may be from the server's clock.
const MaxSkew = 15 * time.Minute

// Verifier checks the signature of incoming requests and tells which
// account and region they act in.
type Verifier struct {
	// Creds resolves access keys; nil means no key is known.
	Creds Credentials
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// SkipSignatureCheck only parses the signature and maps the access key
	// to its account, for clients whose signing cannot be fixed (a proxy
	// that rewrites requests, a wrong clock). Missing authentication and
	// unknown keys are still rejected, so accounts stay separate.
	SkipSignatureCheck bool

	// keys caches derived signing keys (keycache.go).
	keys keyCache
}

// Verify authenticates r, whose body has already been read into body, and
// returns the caller's account, the region of its credential scope and the
// access key id that signed it.
// Errors are *api.GenericError with status 403.
func (v *Verifier) Verify(r *http.Request, body []byte) (switchboard.Scope, string, error) {
	auth, err := parseRequest(r)
	if err != nil {
		return switchboard.Scope{}, "", err
	}
	c := auth.Credential
	if !v.SkipSignatureCheck {
		if err := checkScope(c); err != nil {
			return switchboard.Scope{}, "", err
		}
	}
	var secret, account string
	ok := false
	if v.Creds != nil {
		secret, account, ok = v.Creds.Lookup(c.AccessKeyID)
	}
	if !ok {
		return switchboard.Scope{}, "", authError(CodeUnrecognizedClient, msgUnrecognized)
	}
	scope := switchboard.Scope{Account: account, Region: c.Region}
	if v.SkipSignatureCheck {
		return scope, c.AccessKeyID, nil
	}

	signedAt, amzDate, err := requestDate(r, auth)
	if err != nil {
		return switchboard.Scope{}, "", err
	}
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	if err := checkTime(signedAt, now().UTC(), auth.Expires); err != nil {
		return switchboard.Scope{}, "", err
	}

	payload := PayloadHash(r, body, auth.Presigned)
	if isHexSHA256(payload) && !strings.EqualFold(payload, HashHex(body)) {
		// The header is signed, but the body it vouches for is not: a
		// mismatch means the body was changed after signing.
		return switchboard.Scope{}, "", authError(CodeInvalidSignature, "The provided 'x-amz-content-sha256' header does not match what was computed.")
	}
	query := CanonicalQuery(r.URL.RawQuery, auth.Presigned)
	headers := CanonicalHeaders(r, auth.SignedHeaders)
	signedHeaders := strings.Join(auth.SignedHeaders, ";")
	key := v.keys.get(secret, c.Date, c.Region, c.Service)
	path := RequestPath(r)
	// botocore removes dot segments and empty segments before signing and
	// the Go SDK does not; a path where that makes a difference is tried
	// both ways.
	uris := []string{CanonicalURI(path)}
	if n := normalizePath(path); n != path {
		uris = append(uris, CanonicalURI(n))
	}
	payloads := []string{payload}
	if auth.Presigned && payload == UnsignedPayload && r.Header.Get("X-Amz-Content-Sha256") == "" {
		// botocore presigns non-S3 requests over the hash of the (empty)
		// body rather than UNSIGNED-PAYLOAD. Accepting it as well is no
		// weaker: UNSIGNED-PAYLOAD already accepts any body.
		payloads = append(payloads, HashHex(body))
	}
	for _, uri := range uris {
		for _, p := range payloads {
			creq := CanonicalRequest(r.Method, uri, query, headers, signedHeaders, p)
			want := Signature(key, StringToSign(amzDate, c.Scope(), creq))
			if hmac.Equal([]byte(want), []byte(auth.Signature)) {
				return scope, c.AccessKeyID, nil
			}
		}
	}
	return switchboard.Scope{}, "", authError(CodeInvalidSignature, msgSignatureInvalid)
}

// parseRequest finds the signature in the Authorization header, or failing
// that in a presigned query.
func parseRequest(r *http.Request) (*Authorization, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		return ParseAuthorization(h)
	}
	if strings.Contains(r.URL.RawQuery, "X-Amz-") {
		q, _ := url.ParseQuery(r.URL.RawQuery)
		if q.Has(QueryAlgorithm) || q.Has(QueryCredential) || q.Has(QuerySignature) {
			return ParsePresigned(q)
		}
	}
	return nil, authError(CodeMissingAuthenticationToken, msgMissingToken)
}

// checkScope insists that the credential was scoped for Connect.
func checkScope(c Credential) error {
	if c.Service != ServiceName {
		return incomplete(fmt.Sprintf("Credential should be scoped to correct service: '%s'.", ServiceName))
	}
	if c.Terminator != Terminator {
		return incomplete(fmt.Sprintf("Credential should be scoped with a valid terminator: '%s', not '%s'.", Terminator, clip(c.Terminator)))
	}
	return nil
}

// requestDate returns when the request was signed and that time in the
// X-Amz-Date format, after checking it agrees with the credential scope.
func requestDate(r *http.Request, a *Authorization) (time.Time, string, error) {
	raw := a.AmzDate
	if !a.Presigned {
		raw = r.Header.Get("X-Amz-Date")
	}
	var t time.Time
	var err error
	switch {
	case raw != "":
		t, err = time.Parse(TimeFormat, raw)
		if err != nil {
			return time.Time{}, "", incomplete(fmt.Sprintf("Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", clip(raw)))
		}
	case r.Header.Get("Date") != "":
		// SigV4 allows the HTTP Date header when X-Amz-Date is absent.
		t, err = http.ParseTime(r.Header.Get("Date"))
		if err != nil {
			return time.Time{}, "", incomplete(fmt.Sprintf("Date header '%s' is not a valid HTTP date.", clip(r.Header.Get("Date"))))
		}
	default:
		return time.Time{}, "", incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	t = t.UTC()
	amzDate := t.Format(TimeFormat)
	if d := t.Format(DateFormat); d != a.Credential.Date {
		return time.Time{}, "", incomplete(fmt.Sprintf("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.", a.Credential.Date, d, amzDate))
	}
	return t, amzDate, nil
}

// checkTime rejects a request signed more than MaxSkew away from now, or a
// presigned URL used after its expiry. expires is -1 when the request has no
// X-Amz-Expires.
func checkTime(signedAt, now time.Time, expires int64) error {
	f := func(t time.Time) string { return t.Format(TimeFormat) }
	if signedAt.After(now.Add(MaxSkew)) {
		return authError(CodeInvalidSignature, fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + 15 min.)", f(signedAt), f(now.Add(MaxSkew)), f(now)))
	}
	if expires >= 0 {
		if limit := now.Add(-time.Duration(expires) * time.Second); signedAt.Before(limit) {
			return authError(CodeInvalidSignature, fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %d sec.)", f(signedAt), f(limit), f(now), expires))
		}
		return nil
	}
	if limit := now.Add(-MaxSkew); signedAt.Before(limit) {
		return authError(CodeInvalidSignature, fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - 15 min.)", f(signedAt), f(limit), f(now)))
	}
	return nil
}

func isHexSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
