package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// wantAuthError checks that err is an API error with the code and a 403.
func wantAuthError(t *testing.T, err error, code string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want %s, got %v", code, err)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("want %s, got %s: %s", code, ae.ErrorCode(), ae.ErrorMessage())
	}
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != http.StatusForbidden {
		t.Fatalf("want HTTP 403 with %s, got %v", code, err)
	}
}

// afterSigning returns a client option that changes each request after the
// SDK has signed it, as a man in the middle would.
func afterSigning(change func(r *smithyhttp.Request)) func(*connect.Options) {
	mw := middleware.FinalizeMiddlewareFunc("Tamper", func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
		if r, ok := in.Request.(*smithyhttp.Request); ok {
			change(r)
		}
		return next.HandleFinalize(ctx, in)
	})
	return func(o *connect.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Finalize.Add(mw, middleware.After)
		})
	}
}

// TestSignaturesThroughTheSDK drives the SigV4 checks with aws-sdk-go-v2's
// own client and signer against a server on loopback.
func TestSignaturesThroughTheSDK(t *testing.T) {
	e := start(t, options{})
	id := e.createInstance("sigv4-e2e")

	t.Run("header-signed request accepted", func(t *testing.T) {
		if _, err := e.client.DescribeInstance(ctx(t), &connect.DescribeInstanceInput{InstanceId: aws.String(id)}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		c := newClient(e.url, "test", "not-the-secret", region)
		_, err := c.DescribeInstance(ctx(t), &connect.DescribeInstanceInput{InstanceId: aws.String(id)})
		wantAuthError(t, err, "InvalidSignatureException")
	})
	t.Run("unknown access key", func(t *testing.T) {
		c := newClient(e.url, "AKIDNOBODY", "test", region)
		_, err := c.ListInstances(ctx(t), &connect.ListInstancesInput{})
		wantAuthError(t, err, "UnrecognizedClientException")
	})
	t.Run("missing Authorization header", func(t *testing.T) {
		c := connect.NewFromConfig(aws.Config{Region: region}, func(o *connect.Options) {
			o.BaseEndpoint = aws.String(e.url)
			o.Credentials = aws.AnonymousCredentials{}
			o.RetryMaxAttempts = 1
		})
		_, err := c.ListInstances(ctx(t), &connect.ListInstancesInput{})
		wantAuthError(t, err, "MissingAuthenticationTokenException")
	})
	t.Run("body changed after signing", func(t *testing.T) {
		c := connect.New(connect.Options{}, func(o *connect.Options) {
			*o = e.client.Options()
		}, afterSigning(func(r *smithyhttp.Request) {
			// Same length as the signed body, so only the signature
			// can tell them apart.
			evil := []byte(`{"Tags":{"owner":"bobby"}}`)
			if r2, err := r.SetStream(bytes.NewReader(evil)); err == nil {
				*r = *r2
			}
			r.Header.Del("X-Amz-Content-Sha256")
		}))
		arn := e.instanceARN(id)
		_, err := c.TagResource(ctx(t), &connect.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"owner": "alice"}})
		wantAuthError(t, err, "InvalidSignatureException")
		tags, err := e.client.ListTagsForResource(ctx(t), &connect.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		if len(tags.Tags) != 0 {
			t.Fatalf("a refused request changed the tags: %v", tags.Tags)
		}
	})
	t.Run("path changed after signing", func(t *testing.T) {
		other := e.createInstance("sigv4-e2e-other")
		c := connect.New(connect.Options{}, func(o *connect.Options) {
			*o = e.client.Options()
		}, afterSigning(func(r *smithyhttp.Request) {
			r.URL.Path = strings.Replace(r.URL.Path, id, other, 1)
			r.URL.RawPath = ""
		}))
		_, err := c.DescribeInstance(ctx(t), &connect.DescribeInstanceInput{InstanceId: aws.String(id)})
		wantAuthError(t, err, "InvalidSignatureException")
	})
	t.Run("signature older than the clock skew", func(t *testing.T) {
		req, _ := http.NewRequest("GET", e.url+"/instance", nil)
		sum := sha256.Sum256(nil)
		err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, req, hex.EncodeToString(sum[:]), "connect", region, time.Now().Add(-20*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		resp, body := do(t, req)
		wantRaw(t, resp, body, "InvalidSignatureException", "Signature expired")
	})
	t.Run("presigned URL accepted", func(t *testing.T) {
		u := presign(t, e.url+"/instance/"+id, time.Now(), 300)
		resp, body := do(t, mustGet(t, u))
		if resp.StatusCode != 200 {
			t.Fatalf("presigned DescribeInstance: %d %s", resp.StatusCode, body)
		}
		var out struct{ Instance struct{ Id string } }
		if err := json.Unmarshal(body, &out); err != nil || out.Instance.Id != id {
			t.Fatalf("presigned DescribeInstance returned %s (%v)", body, err)
		}
	})
	t.Run("presigned URL past its expiry", func(t *testing.T) {
		u := presign(t, e.url+"/instance/"+id, time.Now().Add(-2*time.Minute), 60)
		resp, body := do(t, mustGet(t, u))
		wantRaw(t, resp, body, "InvalidSignatureException", "Signature expired")
	})
	t.Run("presigned URL with a changed query", func(t *testing.T) {
		u := presign(t, e.url+"/instance?maxResults=1", time.Now(), 300)
		u = strings.Replace(u, "maxResults=1", "maxResults=2", 1)
		resp, body := do(t, mustGet(t, u))
		wantRaw(t, resp, body, "InvalidSignatureException", "")
	})
}

func (e *env) instanceARN(id string) string {
	e.t.Helper()
	out, err := e.client.DescribeInstance(ctx(e.t), &connect.DescribeInstanceInput{InstanceId: aws.String(id)})
	if err != nil {
		e.t.Fatal(err)
	}
	return *out.Instance.Arn
}

func presign(t *testing.T, rawURL string, at time.Time, expires int) string {
	t.Helper()
	req, err := http.NewRequest("GET", rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	q := req.URL.Query()
	q.Set("X-Amz-Expires", itoa(expires))
	req.URL.RawQuery = q.Encode()
	u, _, err := v4.NewSigner().PresignHTTP(context.Background(), aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, req, "UNSIGNED-PAYLOAD", "connect", region, at)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func mustGet(t *testing.T, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func do(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func wantRaw(t *testing.T, resp *http.Response, body []byte, code, msg string) {
	t.Helper()
	if resp.StatusCode != http.StatusForbidden || resp.Header.Get("X-Amzn-ErrorType") != code {
		t.Fatalf("want 403 %s, got %d %q %s", code, resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), body)
	}
	if !strings.Contains(string(body), msg) {
		t.Fatalf("want a message containing %q, got %s", msg, body)
	}
}
