package sigv4_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/switchboard-dev/switchboard/internal/sigv4"
)

// TestSignMatchesTheSDK: Sign's Authorization equals aws-sdk-go-v2's for the
// same request, headers and time, and the verifier accepts it.
func TestSignMatchesTheSDK(t *testing.T) {
	body := []byte(`{"seconds":30}`)
	for _, url := range []string{"http://127.0.0.1:4566/_switchboard/clock/advance", "http://localhost:8080/users/inst/arn%3Aaws%3Aconnect?maxResults=5&nextToken=a%2Fb"} {
		ours := newRequest(t, "POST", url, body)
		sigv4.Sign(ours, body, "test", "test", "us-east-1", "connect", signedAt)
		theirs := newRequest(t, "POST", url, body)
		theirs.Header.Set("X-Amz-Content-Sha256", sigv4.HashHex(body))
		if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"},
			theirs, sigv4.HashHex(body), "connect", "us-east-1", signedAt); err != nil {
			t.Fatal(err)
		}
		if a, b := ours.Header.Get("Authorization"), theirs.Header.Get("Authorization"); a != b {
			t.Errorf("%s:\n ours   %s\n the SDK %s", url, a, b)
		}
		srv := newServer(t, &sigv4.Verifier{Creds: creds(), Now: fixedClock(signedAt)})
		r := newRequest(t, "POST", srv.URL+"/_switchboard/clock/advance", body)
		sigv4.Sign(r, body, "test", "test", "us-east-1", "connect", signedAt)
		if o := send(t, r); o.Code != "" {
			t.Errorf("verifier refused Sign's signature: %s %s", o.Code, o.Message)
		}
	}
}
