package sigv4_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/logging"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/internal/sigv4"
)

const (
	arnPath  = "/tags/arn%3Aaws%3Aconnect%3Aus-east-1%3A000000000000%3Ainstance%2Fabc"
	secret   = "s3cr3t-never-echoed"
	otherKey = "AKIDOTHER"
)

var signedAt = time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)

// creds knows the default test/test key and one more whose secret the tests
// check never appears in a message.
func creds() sigv4.StaticCredentials {
	c := sigv4.DefaultCredentials()
	c[otherKey] = sigv4.Key{Secret: secret, Account: "111122223333"}
	return c
}

// outcome is what the test server saw: the scope or the error of Verify.
type outcome struct {
	Scope   switchboard.Scope
	Code    string
	Status  int
	Message string
}

// newServer runs v behind a real HTTP server so that the request Verify
// sees is what Go's server makes of the bytes on the wire (RequestURI, Host
// moved out of the header map, Content-Length kept in it).
func newServer(t *testing.T, v *sigv4.Verifier) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		scope, _, err := v.Verify(r, body)
		var o outcome
		if err != nil {
			var ge *api.GenericError
			if !errors.As(err, &ge) {
				o.Code = "not a GenericError: " + err.Error()
			} else {
				o.Code, o.Status, o.Message = ge.Code, ge.Status, ge.Message
			}
		}
		o.Scope = scope
		json.NewEncoder(w).Encode(o)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func send(t *testing.T, req *http.Request) outcome {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var o outcome
	if err := json.NewDecoder(resp.Body).Decode(&o); err != nil {
		t.Fatal(err)
	}
	return o
}

func hashHex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// sign signs req with aws-sdk-go-v2's signer, as the Connect client does.
func sign(t *testing.T, req *http.Request, body []byte, akid, key, service, region string, at time.Time, payloadHash string) {
	t.Helper()
	if payloadHash == "" {
		payloadHash = hashHex(body)
	}
	err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: akid, SecretAccessKey: key},
		req, payloadHash, service, region, at)
	if err != nil {
		t.Fatal(err)
	}
}

func newRequest(t *testing.T, method, url string, body []byte) *http.Request {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

func TestVerifyHeaderSignedBySDK(t *testing.T) {
	body := []byte(`{"tags":{"k":"v"}}`)
	type tc struct {
		name string
		// build returns a request signed (or not) and possibly tampered
		// with afterwards.
		build     func(t *testing.T, base string) *http.Request
		now       time.Time // zero: two minutes after signedAt
		wantCode  string
		wantScope switchboard.Scope
		wantMsg   string // substring of the message
	}
	ok := switchboard.Scope{Account: "000000000000", Region: "us-east-1"}
	cases := []tc{
		{name: "escaped ARN path and repeated query key", wantScope: ok,
			build: func(t *testing.T, base string) *http.Request {
				r := newRequest(t, "DELETE", base+arnPath+"?tagKeys=a&tagKeys=b+c&tagKeys=a%2Fb", nil)
				sign(t, r, nil, "test", "test", "connect", "us-east-1", signedAt, "")
				return r
			}},
		{name: "JSON body", wantScope: ok,
			build: func(t *testing.T, base string) *http.Request {
				r := newRequest(t, "POST", base+arnPath, body)
				sign(t, r, body, "test", "test", "connect", "us-east-1", signedAt, "")
				return r
			}},
		{name: "region comes from the credential scope", wantScope: switchboard.Scope{Account: "111122223333", Region: "eu-west-2"},
			build: func(t *testing.T, base string) *http.Request {
				r := newRequest(t, "GET", base+"/users-summary/inst?maxResults=5&nextToken=t%2F%2B%3D", nil)
				sign(t, r, nil, otherKey, secret, "connect", "eu-west-2", signedAt, "")
				return r
			}},
		{name: "UNSIGNED-PAYLOAD content hash header", wantScope: ok,
			build: func(t *testing.T, base string) *http.Request {
				r := newRequest(t, "POST", base+arnPath, body)
				r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
				sign(t, r, body, "test", "test", "connect", "us-east-1", signedAt, "UNSIGNED-PAYLOAD")
				return r
			}},
		{name: "signed content hash header", wantScope: ok,
			build: func(t *testing.T, base string) *http.Request {
				r := newRequest(t, "POST", base+arnPath, body)
				r.Header.Set("X-Amz-Content-Sha256", hashHex(body))
				sign(t, r, body, "test", "test", "connect", "us-east-1", signedAt, "")
				return r
			}},
		{name: "signed at the edge of the clock skew", now: signedAt.Add(15 * time.Minute), wantScope: ok,
			build: func(t *testing.T, base string) *http.Request {
				r := newRequest(t, "GET", base+"/users/inst/u1", nil)
				sign(t, r, nil, "test", "test", "connect", "us-east-1", signedAt, "")
				return r
			}},
		{name: "tampered body", wantCode: sigv4.CodeInvalidSignature, wantMsg: "does not match the signature",
			build: func(t *testing.T, base string) *http.Request {
				r := newRequest(t, "POST", base+arnPath, body)
				sign(t, r, body, "test", "test", "connect", "us-east-1", signedAt, "")
				evil := []byte(`{"tags":{"k":"w"}}`)
				r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(evil)), int64(len(evil))
				return r
			}},
		{name: "body not the one the content hash header vouches for", wantCode: sigv4.CodeInvalidSignature, wantMsg: "x-amz-content-sha256",
			build: func(t *testing.T, base string) *http.Request {
				r := newRequest(t, "POST", base+arnPath, body)
				r.Header.Set("X-Amz-Content-Sha256", hashHex(body))
				sign(t, r, body, "test", "test", "connect", "us-east-1", signedAt, "")
				evil := []byte(`{"tags":{"k":"w"}}`)
				r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(evil)), int64(len(evil))
				return r
			}},
		{name: "tampered path", wantCode: sigv4.CodeInvalidSignature,
			build: func(t *testing.T, base string) *http.Request {
				r := newRequest(t, "DELETE", base+arnPath+"?tagKeys=a", nil)
				sign(t, r, nil, "test", "test", "connect", "us-east-1", signedAt, "")
				r.URL, _ = url.Parse(base + strings.Replace(arnPath, "abc", "abd", 1) + "?tagKeys=a")
				return r
			}},
		{name: "path unescaped after signing", wantCode: sigv4.CodeInvalidSignature,
			build: func(t *testing.T, base string) *http.Request {
				r := newRequest(t, "DELETE", base+arnPath, nil)
				sign(t, r, nil, "test", "test", "connect", "us-east-1", signedAt, "")
				r.URL.RawPath = strings.ReplaceAll(arnPath, "%3A", ":")
				return r
			}},
		{name: "tampered query", wantCode: sigv4.CodeInvalidSignature,
			build: func(t *testing.T, base string) *http.Request {
				r := newRequest(t, "DELETE", base+arnPath+"?tagKeys=a", nil)
				sign(t, r, nil, "test", "test", "connect", "us-east-1", signedAt, "")
				r.URL.RawQuery = "tagKeys=a&tagKeys=b"
				return r
			}},
		{name: "wrong secret", wantCode: sigv4.CodeInvalidSignature,
			build: func(t *testing.T, base string) *http.Request {
				r := newRequest(t, "POST", base+arnPath, body)
				sign(t, r, body, otherKey, "not-"+secret, "connect", "us-east-1", signedAt, "")
				return r
			}},
		{name: "unknown access key", wantCode: sigv4.CodeUnrecognizedClient, wantMsg: "The security token included in the request is invalid.",
			build: func(t *testing.T, base string) *http.Request {
				r := newRequest(t, "POST", base+arnPath, body)
				sign(t, r, body, "AKIDUNKNOWN", "whatever", "connect", "us-east-1", signedAt, "")
				return r
			}},
		{name: "missing Authorization header", wantCode: sigv4.CodeMissingAuthenticationToken, wantMsg: "Missing Authentication Token",
			build: func(t *testing.T, base string) *http.Request {
				return newRequest(t, "GET", base+"/users/inst/u1", nil)
			}},
		{name: "expired date", now: signedAt.Add(15*time.Minute + time.Second), wantCode: sigv4.CodeInvalidSignature,
			wantMsg: "Signature expired: 20240101T120000Z is now earlier than 20240101T120001Z (20240101T121501Z - 15 min.)",
			build: func(t *testing.T, base string) *http.Request {
				r := newRequest(t, "GET", base+"/users/inst/u1", nil)
				sign(t, r, nil, "test", "test", "connect", "us-east-1", signedAt, "")
				return r
			}},
		{name: "date in the future", now: signedAt.Add(-16 * time.Minute), wantCode: sigv4.CodeInvalidSignature,
			wantMsg: "Signature not yet current: 20240101T120000Z is still later than 20240101T115900Z (20240101T114400Z + 15 min.)",
			build: func(t *testing.T, base string) *http.Request {
				r := newRequest(t, "GET", base+"/users/inst/u1", nil)
				sign(t, r, nil, "test", "test", "connect", "us-east-1", signedAt, "")
				return r
			}},
		{name: "scoped to another service", wantCode: sigv4.CodeIncompleteSignature, wantMsg: "scoped to correct service: 'connect'",
			build: func(t *testing.T, base string) *http.Request {
				r := newRequest(t, "GET", base+"/users/inst/u1", nil)
				sign(t, r, nil, "test", "test", "execute-api", "us-east-1", signedAt, "")
				return r
			}},
		{name: "X-Amz-Date disagrees with the scope date", wantCode: sigv4.CodeIncompleteSignature, wantMsg: "Date in Credential scope does not match",
			build: func(t *testing.T, base string) *http.Request {
				r := newRequest(t, "GET", base+"/users/inst/u1", nil)
				sign(t, r, nil, "test", "test", "connect", "us-east-1", signedAt, "")
				r.Header.Set("X-Amz-Date", "20240102T000100Z")
				return r
			}},
		{name: "missing X-Amz-Date", wantCode: sigv4.CodeIncompleteSignature, wantMsg: "'X-Amz-Date' or a 'Date' header",
			build: func(t *testing.T, base string) *http.Request {
				r := newRequest(t, "GET", base+"/users/inst/u1", nil)
				sign(t, r, nil, "test", "test", "connect", "us-east-1", signedAt, "")
				r.Header.Del("X-Amz-Date")
				return r
			}},
		{name: "Signature component missing", wantCode: sigv4.CodeIncompleteSignature, wantMsg: "Authorization header requires 'Signature' parameter.",
			build: func(t *testing.T, base string) *http.Request {
				r := newRequest(t, "GET", base+"/users/inst/u1", nil)
				sign(t, r, nil, "test", "test", "connect", "us-east-1", signedAt, "")
				h := r.Header.Get("Authorization")
				r.Header.Set("Authorization", h[:strings.Index(h, ", Signature=")])
				return r
			}},
		{name: "wrong algorithm", wantCode: sigv4.CodeIncompleteSignature, wantMsg: "only AWS4-HMAC-SHA256",
			build: func(t *testing.T, base string) *http.Request {
				r := newRequest(t, "GET", base+"/users/inst/u1", nil)
				r.Header.Set("Authorization", "AWS test:c2lnbmF0dXJl")
				return r
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			now := c.now
			if now.IsZero() {
				now = signedAt.Add(2 * time.Minute)
			}
			srv := newServer(t, &sigv4.Verifier{Creds: creds(), Now: fixedClock(now)})
			got := send(t, c.build(t, srv.URL))
			if got.Code != c.wantCode {
				t.Fatalf("code = %q (%s), want %q", got.Code, got.Message, c.wantCode)
			}
			if c.wantCode == "" && got.Scope != c.wantScope {
				t.Errorf("scope = %+v, want %+v", got.Scope, c.wantScope)
			}
			if c.wantCode != "" && got.Status != http.StatusForbidden {
				t.Errorf("status = %d, want 403", got.Status)
			}
			if !strings.Contains(got.Message, c.wantMsg) {
				t.Errorf("message = %q, want it to contain %q", got.Message, c.wantMsg)
			}
			if strings.Contains(got.Message, secret) || strings.Contains(got.Message, "not-"+secret) {
				t.Errorf("message echoes a secret: %q", got.Message)
			}
		})
	}
}

func TestVerifyPresignedBySDK(t *testing.T) {
	presign := func(t *testing.T, base, path string, expires int) string {
		t.Helper()
		r := newRequest(t, "GET", base+path, nil)
		q := r.URL.Query()
		q.Set("X-Amz-Expires", fmt.Sprint(expires))
		r.URL.RawQuery = q.Encode()
		u, _, err := v4.NewSigner().PresignHTTP(context.Background(), aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"},
			r, sigv4.UnsignedPayload, "connect", "us-east-1", signedAt)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	path := arnPath + "?tagKeys=b+c&tagKeys=a"
	cases := []struct {
		name     string
		now      time.Time
		tamper   func(u string) string
		wantCode string
		wantMsg  string
	}{
		{name: "valid", now: signedAt.Add(time.Minute)},
		{name: "at expiry", now: signedAt.Add(300 * time.Second)},
		{name: "past X-Amz-Expires", now: signedAt.Add(301 * time.Second), wantCode: sigv4.CodeInvalidSignature,
			wantMsg: "Signature expired: 20240101T120000Z is now earlier than 20240101T120001Z (20240101T120501Z - 300 sec.)"},
		{name: "tampered query", now: signedAt, wantCode: sigv4.CodeInvalidSignature,
			tamper: func(u string) string { return strings.Replace(u, "tagKeys=a", "tagKeys=z", 1) }},
		{name: "tampered path", now: signedAt, wantCode: sigv4.CodeInvalidSignature,
			tamper: func(u string) string { return strings.Replace(u, "abc", "abd", 1) }},
		{name: "signature removed", now: signedAt, wantCode: sigv4.CodeIncompleteSignature, wantMsg: "must include 'X-Amz-Signature'",
			tamper: func(u string) string { return u[:strings.Index(u, "&X-Amz-Signature=")] }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := newServer(t, &sigv4.Verifier{Creds: creds(), Now: fixedClock(c.now)})
			u := presign(t, srv.URL, path, 300)
			if c.tamper != nil {
				u = c.tamper(u)
			}
			got := send(t, newRequest(t, "GET", u, nil))
			if got.Code != c.wantCode || !strings.Contains(got.Message, c.wantMsg) {
				t.Fatalf("got %q %q, want %q containing %q", got.Code, got.Message, c.wantCode, c.wantMsg)
			}
			if c.wantCode == "" && got.Scope != (switchboard.Scope{Account: "000000000000", Region: "us-east-1"}) {
				t.Errorf("scope = %+v", got.Scope)
			}
		})
	}
}

// TestCanonicalRequestMatchesSDK proves each canonicalization step against
// aws-sdk-go-v2: the signer logs the canonical request it signed, and the
// server side rebuilds it from what arrived over the wire with the exported
// functions. The ARN path shows the escaped path being escaped once more
// (%3A signed as %253A).
func TestCanonicalRequestMatchesSDK(t *testing.T) {
	var rebuilt string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		a, err := sigv4.ParseAuthorization(r.Header.Get("Authorization"))
		if err != nil {
			rebuilt = err.Error()
			return
		}
		rebuilt = sigv4.CanonicalRequest(r.Method, sigv4.CanonicalURI(sigv4.RequestPath(r)),
			sigv4.CanonicalQuery(r.URL.RawQuery, false), sigv4.CanonicalHeaders(r, a.SignedHeaders),
			strings.Join(a.SignedHeaders, ";"), sigv4.PayloadHash(r, body, false))
	}))
	defer srv.Close()

	cases := []struct {
		name, method, path string
		body               []byte
		header             map[string]string
		wantURI            string
	}{
		{name: "escaped ARN", method: "POST", path: arnPath, body: []byte(`{"tags":{"a":"b"}}`),
			wantURI: "/tags/arn%253Aaws%253Aconnect%253Aus-east-1%253A000000000000%253Ainstance%252Fabc"},
		{name: "repeated and encoded query", method: "GET",
			path: "/queues-summary/inst?maxResults=5&nextToken=t%2F%2B%3D&queueTypes=STANDARD&queueTypes=AGENT&q=a+b%20c~"},
		{name: "non-ASCII and space in a label", method: "GET", path: "/users/inst/caf%C3%A9%20x",
			wantURI: "/users/inst/caf%25C3%25A9%2520x"},
		{name: "header spaces collapsed and repeated header", method: "PUT", path: "/instance", body: []byte(`{}`),
			header: map[string]string{"X-Custom": "  a   b  c ", "X-Amz-Meta-Two": "x"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var logged string
			req := newRequest(t, c.method, srv.URL+c.path, c.body)
			for k, v := range c.header {
				req.Header.Set(k, v)
			}
			if c.header != nil {
				req.Header.Add("X-Custom", "second")
			}
			err := v4.NewSigner(func(o *v4.SignerOptions) {
				o.LogSigning = true
				o.Logger = logging.LoggerFunc(func(_ logging.Classification, format string, v ...any) {
					logged = fmt.Sprintf(format, v...)
				})
			}).SignHTTP(context.Background(), aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"},
				req, hashHex(c.body), "connect", "us-east-1", time.Now())
			if err != nil {
				t.Fatal(err)
			}
			const start = "---[ CANONICAL STRING  ]-----------------------------\n"
			const end = "\n---[ STRING TO SIGN ]"
			i, j := strings.Index(logged, start), strings.Index(logged, end)
			if i < 0 || j < 0 {
				t.Fatalf("cannot find the canonical string in the signer's log:\n%s", logged)
			}
			sdk := logged[i+len(start) : j]
			send := *req
			resp, err := http.DefaultClient.Do(&send)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if rebuilt != sdk {
				t.Fatalf("canonical request differs\nserver:\n%s\nSDK:\n%s", rebuilt, sdk)
			}
			if c.wantURI != "" && strings.Split(sdk, "\n")[1] != c.wantURI {
				t.Errorf("canonical URI = %q, want %q", strings.Split(sdk, "\n")[1], c.wantURI)
			}
		})
	}
}

// TestVerifyBotocoreFixtures checks requests botocore 1.43 signed (with its
// clock fixed at 2024-01-01T12:00:00Z, credentials test/test), so the
// second SDK family is covered without Python at test time.
func TestVerifyBotocoreFixtures(t *testing.T) {
	cases := []struct {
		name, method, target, auth string
		body                       string
	}{
		{name: "DELETE with escaped ARN and repeated query", method: "DELETE",
			target: arnPath + "?tagKeys=b%20c&tagKeys=a",
			auth:   "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/connect/aws4_request, SignedHeaders=host;x-amz-date, Signature=980c28781596ab6f55be520d8c2717b55755034f0b7759c10c28c8a1e7229206"},
		{name: "POST with body", method: "POST", target: arnPath, body: `{"tags":{"k":"v"}}`,
			auth: "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/connect/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=7c6dadf2e68bc21b1e07bfbbf2d24bb8ca00f719a0755bd4aa027f352b8999f7"},
		{name: "presigned GET", method: "GET",
			target: "/users-summary/abc?maxResults=5&nextToken=t%2F%2B%3D&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20240101%2Fus-east-1%2Fconnect%2Faws4_request&X-Amz-Date=20240101T120000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=94c5d3aca15bf52931783ef1a43310acb7497fc3b3f0de7f9de6b5bbe1f4ce53"},
	}
	srv := newServer(t, &sigv4.Verifier{Creds: creds(), Now: fixedClock(signedAt.Add(time.Minute))})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var body io.Reader
			if c.body != "" {
				body = strings.NewReader(c.body)
			}
			req, err := http.NewRequest(c.method, srv.URL+c.target, body)
			if err != nil {
				t.Fatal(err)
			}
			req.Host = "connect.us-east-1.amazonaws.com"
			if c.auth != "" {
				req.Header.Set("Authorization", c.auth)
				req.Header.Set("X-Amz-Date", "20240101T120000Z")
			}
			if c.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			got := send(t, req)
			if got.Code != "" {
				t.Fatalf("rejected: %s: %s", got.Code, got.Message)
			}
		})
	}
}

func TestSkipSignatureCheck(t *testing.T) {
	v := &sigv4.Verifier{Creds: creds(), Now: fixedClock(signedAt.Add(48 * time.Hour)), SkipSignatureCheck: true}
	srv := newServer(t, v)

	r := newRequest(t, "GET", srv.URL+"/users/inst/u1", nil)
	sign(t, r, nil, otherKey, "wrong secret", "connect", "ap-south-1", signedAt, "")
	if got := send(t, r); got.Code != "" || got.Scope != (switchboard.Scope{Account: "111122223333", Region: "ap-south-1"}) {
		t.Errorf("bad signature with a known key: got %+v, want accepted in 111122223333/ap-south-1", got)
	}

	r = newRequest(t, "GET", srv.URL+"/users/inst/u1", nil)
	sign(t, r, nil, "AKIDUNKNOWN", "x", "connect", "us-east-1", signedAt, "")
	if got := send(t, r); got.Code != sigv4.CodeUnrecognizedClient {
		t.Errorf("unknown key: got %+v, want %s", got, sigv4.CodeUnrecognizedClient)
	}

	if got := send(t, newRequest(t, "GET", srv.URL+"/users/inst/u1", nil)); got.Code != sigv4.CodeMissingAuthenticationToken {
		t.Errorf("no auth: got %+v, want %s", got, sigv4.CodeMissingAuthenticationToken)
	}
}

func TestNilCredentialsKnowNoKey(t *testing.T) {
	srv := newServer(t, &sigv4.Verifier{Now: fixedClock(signedAt)})
	r := newRequest(t, "GET", srv.URL+"/users/inst/u1", nil)
	sign(t, r, nil, "test", "test", "connect", "us-east-1", signedAt, "")
	if got := send(t, r); got.Code != sigv4.CodeUnrecognizedClient {
		t.Errorf("got %+v, want %s", got, sigv4.CodeUnrecognizedClient)
	}
}

func TestCanonicalURIAndQuery(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "/",
		"/":                     "/",
		"/users/a/b":            "/users/a/b",
		"/tags/arn%3Aaws%2Fx":   "/tags/arn%253Aaws%252Fx",
		"/a b/~x-_.":            "/a%20b/~x-_.",
		"/users/inst/caf%C3%A9": "/users/inst/caf%25C3%25A9",
		"/p/a+b/%2B":            "/p/a%2Bb/%252B",
	} {
		if got := sigv4.CanonicalURI(in); got != want {
			t.Errorf("CanonicalURI(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"":                                 "",
		"b=2&a=1&a=0":                      "a=0&a=1&b=2",
		"tagKeys=b+c&tagKeys=a":            "tagKeys=a&tagKeys=b%20c",
		"nextToken=t%2F%2B%3D":             "nextToken=t%2F%2B%3D",
		"flag":                             "flag=",
		"k=a%2Fb&k=a-b":                    "k=a%2Fb&k=a-b", // sorted after encoding
		"X-Amz-Signature=abc&X-Amz-Date=d": "X-Amz-Date=d",
	} {
		if got := sigv4.CanonicalQuery(in, true); got != want {
			t.Errorf("CanonicalQuery(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSigningKeyAWSExample(t *testing.T) {
	// The worked example of AWS's SigV4 documentation.
	key := sigv4.SigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam")
	if got, want := hex.EncodeToString(key), "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"; got != want {
		t.Errorf("signing key = %s, want %s", got, want)
	}
}
