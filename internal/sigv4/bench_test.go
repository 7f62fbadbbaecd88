package sigv4_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/switchboard-dev/switchboard/internal/sigv4"
)

// BenchmarkVerify measures verifying one CreateUser-sized request signed
// by aws-sdk-go-v2's signer: parsing, canonical request, key derivation and
// the HMAC chain (docs/PERFORMANCE.md).
func BenchmarkVerify(b *testing.B) {
	body := []byte(`{"Username":"mary.major","Password":"Str0ngPassw0rd","IdentityInfo":{"FirstName":"Mary","LastName":"Major"},"PhoneConfig":{"PhoneType":"SOFT_PHONE","AutoAccept":false,"AfterContactWorkTimeLimit":30},"SecurityProfileIds":["0c245a5f-7f0a-4d4b-9a3b-2c1e5e6b7a8c"],"RoutingProfileId":"1c245a5f-7f0a-4d4b-9a3b-2c1e5e6b7a8c"}`)
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	now := time.Now().UTC()
	req := httptest.NewRequest("PUT", "http://127.0.0.1:4599/users/0c245a5f-7f0a-4d4b-9a3b-2c1e5e6b7a8c", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Amz-Content-Sha256", hash)
	creds := aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hash, "connect", "us-east-1", now); err != nil {
		b.Fatal(err)
	}
	v := &sigv4.Verifier{Creds: sigv4.DefaultCredentials(), Now: func() time.Time { return now }}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := v.Verify(req, body); err != nil {
			b.Fatal(err)
		}
	}
}
