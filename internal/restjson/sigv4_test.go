package restjson_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/switchboard-dev/switchboard/internal/restjson"
	"github.com/switchboard-dev/switchboard/internal/sigv4"
)

// TestWithSigV4Verifier runs the real verifier in front of a handler: the
// body the server read is the body the signature covers, and the scope
// reaches the handler.
func TestWithSigV4Verifier(t *testing.T) {
	srv := httptest.NewServer(restjson.New(restjson.Config{
		Operations: testOperations(),
		Handlers:   testHandlers(),
		Auth:       &sigv4.Verifier{Creds: sigv4.DefaultCredentials()},
	}))
	defer srv.Close()
	f := &fixture{t: t, srv: srv}

	body := []byte(`{"Name":"abc"}`)
	req, _ := http.NewRequest("POST", srv.URL+"/things/arn%3Aaws%3Aconnect%3Aus-east-1%3A000000000000%3Ainstance%2Fabc?keys=b+c&keys=a", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"},
		req, hex.EncodeToString(sum[:]), "connect", "eu-central-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := f.send(req); got.Status != 200 || got.Body["Account"] != "000000000000" {
		t.Errorf("signed request: got %d %s", got.Status, got.Raw)
	}

	req, _ = http.NewRequest("POST", srv.URL+"/things/t1", bytes.NewReader(body))
	if got := f.send(req); got.Status != 403 || got.ErrorType != sigv4.CodeMissingAuthenticationToken {
		t.Errorf("unsigned request: got %d %q %s", got.Status, got.ErrorType, got.Raw)
	}
}
