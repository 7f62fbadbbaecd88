package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// UnsignedPayload is the payload hash a client sends when it does not sign
// the body.
const UnsignedPayload = "UNSIGNED-PAYLOAD"

// RequestPath returns the path exactly as the client sent it, still
// escaped. A server request's RequestURI is the raw request target; it is
// preferred over URL.EscapedPath because EscapedPath re-derives the escaping
// when the client's choice is not one Go considers valid, and SigV4 signs
// the client's bytes.
func RequestPath(r *http.Request) string {
	if p := r.RequestURI; strings.HasPrefix(p, "/") {
		if i := strings.IndexByte(p, '?'); i >= 0 {
			p = p[:i]
		}
		return p
	}
	return r.URL.EscapedPath()
}

// CanonicalURI returns the canonical URI of a non-S3 request: the escaped
// path escaped once more, every byte outside A-Za-z0-9-._~ and '/' becoming
// %XX. An ARN label sent as arn%3Aaws therefore signs as arn%253Aaws, as
// aws-sdk-go-v2 (httpbinding.EscapePath over URL.EscapedPath) and botocore
// (quote(path, safe='/~')) both do.
func CanonicalURI(escapedPath string) string {
	if escapedPath == "" {
		return "/"
	}
	var b strings.Builder
	b.Grow(len(escapedPath) + 16)
	for i := 0; i < len(escapedPath); i++ {
		c := escapedPath[i]
		if c == '/' || unreserved(c) {
			b.WriteByte(c)
		} else {
			writeEscaped(&b, c)
		}
	}
	return b.String()
}

// normalizePath removes "." and ".." segments and empty segments the way
// botocore does before signing a non-S3 request (the Go SDK does not), so
// that a path botocore normalized can be checked as well.
func normalizePath(p string) string {
	if p == "" {
		return "/"
	}
	var out []string
	for seg := range strings.SplitSeq(p, "/") {
		switch seg {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, seg)
		}
	}
	s := "/" + strings.Join(out, "/")
	if strings.HasSuffix(p, "/") && len(out) > 0 {
		s += "/"
	}
	return s
}

// CanonicalQuery returns the canonical query string: every name and value
// decoded form-style (as the signing client's url.Values saw them),
// RFC 3986-encoded, and sorted by encoded name then encoded value. For a
// presigned request X-Amz-Signature is left out, since it cannot sign
// itself.
func CanonicalQuery(rawQuery string, presigned bool) string {
	if rawQuery == "" {
		return ""
	}
	// Pairs url.ParseQuery rejects (bad escapes, semicolons) are dropped
	// the same way by the client's URL.Query() before signing.
	q, _ := url.ParseQuery(rawQuery)
	type pair struct{ k, v string }
	pairs := make([]pair, 0, len(q))
	for k, vs := range q {
		if presigned && k == QuerySignature {
			continue
		}
		ek := encodeComponent(k)
		for _, v := range vs {
			pairs = append(pairs, pair{ek, encodeComponent(v)})
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k)
		b.WriteByte('=')
		b.WriteString(p.v)
	}
	return b.String()
}

// CanonicalHeaders returns the canonical headers block for the signed
// header names: "name:value\n" each, values trimmed with runs of spaces
// collapsed and repeated headers joined by commas. host comes from r.Host
// because Go's server moves the Host header there.
func CanonicalHeaders(r *http.Request, signed []string) string {
	var b strings.Builder
	for _, name := range signed {
		b.WriteString(name)
		b.WriteByte(':')
		for i, v := range headerValues(r, name) {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(trimHeaderValue(v))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func headerValues(r *http.Request, name string) []string {
	switch name {
	case "host":
		h := r.Host
		if h == "" {
			h = r.URL.Host
		}
		return []string{h}
	case "content-length":
		// Go's server keeps Content-Length in the header map, but a
		// request built in process may only have the field.
		if vs := r.Header.Values(name); len(vs) > 0 {
			return vs
		}
		if r.ContentLength > 0 {
			return []string{strconv.FormatInt(r.ContentLength, 10)}
		}
		return nil
	}
	if vs := r.Header.Values(name); len(vs) > 0 {
		return vs
	}
	// Names that are not valid tokens are stored uncanonicalized.
	for k, vs := range r.Header {
		if strings.EqualFold(k, name) {
			return vs
		}
	}
	return nil
}

// trimHeaderValue trims a header value and collapses runs of spaces to one,
// as the SigV4 rules ask.
func trimHeaderValue(v string) string {
	v = strings.TrimSpace(v)
	if !strings.Contains(v, "  ") {
		return v
	}
	var b strings.Builder
	b.Grow(len(v))
	space := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		b.WriteByte(c)
	}
	return b.String()
}

// PayloadHash returns the payload hash of the canonical request: the
// X-Amz-Content-Sha256 header when the client sent one (which may be
// UNSIGNED-PAYLOAD), else the hex SHA-256 of body; a presigned request
// without that header is UNSIGNED-PAYLOAD, since a URL cannot commit to a
// body.
func PayloadHash(r *http.Request, body []byte, presigned bool) string {
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" {
		return h
	}
	if presigned {
		return UnsignedPayload
	}
	return HashHex(body)
}

// HashHex is the lower-case hex SHA-256 of b.
func HashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// CanonicalRequest joins the parts of the canonical request. headers is
// the block CanonicalHeaders returns, ending in a newline.
func CanonicalRequest(method, uri, query, headers, signedHeaders, payloadHash string) string {
	return method + "\n" + uri + "\n" + query + "\n" + headers + "\n" + signedHeaders + "\n" + payloadHash
}

// StringToSign returns the string the signature is computed over.
func StringToSign(amzDate, scope, canonicalRequest string) string {
	return Algorithm + "\n" + amzDate + "\n" + scope + "\n" + HashHex([]byte(canonicalRequest))
}

// SigningKey derives the key for one day, region and service from the
// secret access key.
func SigningKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, Terminator)
}

// Signature is the lower-case hex HMAC-SHA256 of stringToSign.
func Signature(key []byte, stringToSign string) string {
	return hex.EncodeToString(hmacSHA256(key, stringToSign))
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

func encodeComponent(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2*n)
	for i := 0; i < len(s); i++ {
		if c := s[i]; unreserved(c) {
			b.WriteByte(c)
		} else {
			writeEscaped(&b, c)
		}
	}
	return b.String()
}

func writeEscaped(b *strings.Builder, c byte) {
	const hexUpper = "0123456789ABCDEF"
	b.WriteByte('%')
	b.WriteByte(hexUpper[c>>4])
	b.WriteByte(hexUpper[c&15])
}
