package sigv4

import (
	"net/http"
	"strings"
	"time"
)

// Sign signs a client request with SigV4 in the Authorization header, as
// aws-sdk-go-v2 does (content-length and content-type when there are, host,
// x-amz-content-sha256 and x-amz-date signed), for
// Switchboard's own command-line client (switchboard sim). body is the
// request's body, which the caller sends unchanged.
func Sign(r *http.Request, body []byte, accessKeyID, secret, region, service string, now time.Time) {
	amzDate := now.UTC().Format("20060102T150405Z")
	date := amzDate[:8]
	payload := HashHex(body)
	r.Header.Set("X-Amz-Date", amzDate)
	r.Header.Set("X-Amz-Content-Sha256", payload)
	var signed []string
	if len(body) > 0 {
		r.ContentLength = int64(len(body))
		signed = append(signed, "content-length")
	}
	if r.Header.Get("Content-Type") != "" {
		signed = append(signed, "content-type")
	}
	signed = append(signed, "host", "x-amz-content-sha256", "x-amz-date")
	canonical := CanonicalRequest(r.Method, CanonicalURI(r.URL.EscapedPath()), CanonicalQuery(r.URL.RawQuery, false),
		CanonicalHeaders(r, signed), strings.Join(signed, ";"), payload)
	scope := date + "/" + region + "/" + service + "/aws4_request"
	sig := Signature(SigningKey(secret, date, region, service), StringToSign(amzDate, scope, canonical))
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+accessKeyID+"/"+scope+", SignedHeaders="+strings.Join(signed, ";")+", Signature="+sig)
}
