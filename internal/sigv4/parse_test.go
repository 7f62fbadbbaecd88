package sigv4_test

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/internal/sigv4"
)

func TestParseAuthorization(t *testing.T) {
	good := "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/connect/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd"
	a, err := sigv4.ParseAuthorization(good)
	if err != nil {
		t.Fatal(err)
	}
	want := &sigv4.Authorization{Algorithm: sigv4.Algorithm,
		Credential:    sigv4.Credential{AccessKeyID: "AKID", Date: "20240101", Region: "us-east-1", Service: "connect", Terminator: "aws4_request"},
		SignedHeaders: []string{"host", "x-amz-date"}, Signature: "abcd", Expires: -1}
	if !reflect.DeepEqual(a, want) {
		t.Errorf("got %+v\nwant %+v", a, want)
	}
	if a.String() != good {
		t.Errorf("String() = %q, want %q", a.String(), good)
	}
	if _, err := sigv4.ParseAuthorization("AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/connect/aws4_request,SignedHeaders=host,Signature=ab"); err != nil {
		t.Errorf("no spaces after commas (some clients): %v", err)
	}

	for _, c := range []struct{ header, msg string }{
		{"", "Unsupported Authorization algorithm"},
		{"Bearer abc", "Unsupported Authorization algorithm 'Bearer'"},
		{"AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/connect/aws4_request, SignedHeaders=host",
			"Authorization header requires 'Signature' parameter."},
		{"AWS4-HMAC-SHA256 Signature=ab",
			"Authorization header requires 'Credential' parameter. Authorization header requires 'SignedHeaders' parameter."},
		{"AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/connect, SignedHeaders=host, Signature=ab", "exactly 5 slash-separated components"},
		{"AWS4-HMAC-SHA256 Credential=AKID/2024-01-01/us-east-1/connect/aws4_request, SignedHeaders=host, Signature=ab", "YYYYMMDD"},
		{"AWS4-HMAC-SHA256 Credential=AKID/20240101//connect/aws4_request, SignedHeaders=host, Signature=ab", "valid region"},
		{"AWS4-HMAC-SHA256 Credential=/20240101/r/connect/aws4_request, SignedHeaders=host, Signature=ab", "access key"},
		{"AWS4-HMAC-SHA256 Credential=AKID/20240101/r/connect/aws4_request, SignedHeaders=host;;x, Signature=ab", "empty entries"},
		{"AWS4-HMAC-SHA256 Credential=AKID/20240101/r/connect/aws4_request, SignedHeaders=host, Signature=ab, Signature=cd", "more than one 'Signature'"},
		{"AWS4-HMAC-SHA256 Credential=AKID/20240101/r/connect/aws4_request, SignedHeaders, Signature=ab", "missing equal-sign"},
	} {
		_, err := sigv4.ParseAuthorization(c.header)
		ge, ok := err.(*api.GenericError)
		if !ok || ge.Code != sigv4.CodeIncompleteSignature || ge.Status != 403 || !strings.Contains(ge.Message, c.msg) {
			t.Errorf("ParseAuthorization(%q) = %v, want IncompleteSignatureException containing %q", c.header, err, c.msg)
		}
	}
}

func TestParsePresigned(t *testing.T) {
	q, _ := url.ParseQuery("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20240101%2Fus-east-1%2Fconnect%2Faws4_request&X-Amz-Date=20240101T120000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=94c5")
	a, err := sigv4.ParsePresigned(q)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Presigned || a.Expires != 300 || a.AmzDate != "20240101T120000Z" || a.Credential.AccessKeyID != "test" || a.Signature != "94c5" {
		t.Errorf("got %+v", a)
	}
	for k, msg := range map[string]string{
		"X-Amz-Expires=-1":                 "non-negative",
		"X-Amz-Expires=604801":             "less than a week",
		"X-Amz-Algorithm=AWS4-HMAC-SHA1":   "Unsupported X-Amz-Algorithm",
		"X-Amz-Credential=test%2F20240101": "exactly 5",
		"X-Amz-Signature=":                 "must include 'X-Amz-Signature'",
	} {
		bad := url.Values{}
		for kk, vv := range q {
			bad[kk] = vv
		}
		name, value, _ := strings.Cut(k, "=")
		v, _ := url.QueryUnescape(value)
		bad.Set(name, v)
		_, err := sigv4.ParsePresigned(bad)
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%s: got %v, want an error containing %q", k, err, msg)
		}
	}
}

// FuzzParseAuthorization checks the parser never panics, and that whatever
// it accepts renders back to a header that parses to the same thing.
func FuzzParseAuthorization(f *testing.F) {
	for _, s := range []string{
		// aws-sdk-go-v2
		"AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/connect/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date, Signature=0e3f0d3d3b4a4a6fbbd0c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f80912",
		// botocore
		"AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/connect/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=7c6dadf2e68bc21b1e07bfbbf2d24bb8ca00f719a0755bd4aa027f352b8999f7",
		// AWS documentation example
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
		"AWS4-HMAC-SHA256 Credential=a/20240101/r/connect/aws4_request,SignedHeaders=host,Signature=x",
		"AWS4-HMAC-SHA256 ",
		"AWS test:sig",
		"AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=;, Signature==",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		a, err := sigv4.ParseAuthorization(header)
		if err != nil {
			if ge, ok := err.(*api.GenericError); !ok || ge.Code != sigv4.CodeIncompleteSignature {
				t.Fatalf("error %v is not an IncompleteSignatureException", err)
			}
			return
		}
		if a.Credential.AccessKeyID == "" || a.Credential.Region == "" || a.Signature == "" || len(a.SignedHeaders) == 0 {
			t.Fatalf("accepted an incomplete signature: %+v", a)
		}
		b, err := sigv4.ParseAuthorization(a.String())
		if err != nil {
			t.Fatalf("re-parsing %q: %v", a.String(), err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("round trip changed the signature:\n%+v\n%+v", a, b)
		}
	})
}
