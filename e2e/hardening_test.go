package e2e

// Safe defaults: secrets stay out of logs, session tokens, TLS, the config
// file's accounts as the binary reads them, and the header size limit.

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-dev/switchboard/internal/server"
)

// TestSecretsNeverLogged runs a successful and a refused CreateUser with
// passwords, and a request signed with a wrong secret, through a server
// logging at debug level, and checks that no password, secret, signature or
// Authorization header reaches the log.
func TestSecretsNeverLogged(t *testing.T) {
	e := startAccounts(t, []server.Account{{ID: accountA, AccessKeys: []server.AccessKey{key("AKIDA", "")}}})
	c := e.as("AKIDA", region)
	inst, _, _ := setUp(t, c, "logs")
	sps := call(c.ListSecurityProfiles(ctx(t), &connect.ListSecurityProfilesInput{InstanceId: &inst})).must(t)
	rps := call(c.ListRoutingProfiles(ctx(t), &connect.ListRoutingProfilesInput{InstanceId: &inst})).must(t)
	user := func(name, password string) *connect.CreateUserInput {
		return &connect.CreateUserInput{
			InstanceId: &inst, Username: aws.String(name), Password: aws.String(password),
			IdentityInfo:       &types.UserIdentityInfo{FirstName: aws.String("Log"), LastName: aws.String("Check")},
			PhoneConfig:        &types.UserPhoneConfig{PhoneType: types.PhoneTypeSoftPhone},
			SecurityProfileIds: []string{*sps.SecurityProfileSummaryList[0].Id}, RoutingProfileId: rps.RoutingProfileSummaryList[0].Id,
		}
	}
	const accepted, refused, wrongSecret = "Acc3pted-Passw0rd-7Q", "Ref4sed-Passw0rd-9Z", "wr0ng-secret-K3Y-5X"
	call(c.CreateUser(ctx(t), user("logcheck", accepted))).must(t)
	_, err := c.CreateUser(ctx(t), user(strings.Repeat("x", 200), refused))
	wantErr[*types.InvalidParameterException](t, err, "username")
	_, err = newClient(e.url, "AKIDA", wrongSecret, region).ListInstances(ctx(t), &connect.ListInstancesInput{})
	wantCode(t, err, "InvalidSignatureException")

	logs := e.log.String()
	if !strings.Contains(logs, "operation=CreateUser") {
		t.Fatalf("no request line for CreateUser; is the log wired?\n%s", logs)
	}
	for _, secret := range []string{accepted, refused, "Str0ngPassw0rd", "secret-of-AKIDA", wrongSecret, "Authorization", "Signature=", "Credential="} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log contains %q:\n%s", secret, logs)
		}
	}
}

// TestSessionTokenIsIgnored: a session token (as temporary credentials
// carry) is signed over like any header but not checked, so a known access
// key works with or without one; docs/SECURITY.md says so.
func TestSessionTokenIsIgnored(t *testing.T) {
	e := startAccounts(t, []server.Account{{ID: accountA, AccessKeys: []server.AccessKey{key("AKIDA", "")}}})
	c := connect.New(connect.Options{
		Region: region, BaseEndpoint: aws.String(e.url), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDA", "secret-of-AKIDA", "any-session-token"),
	})
	call(c.ListInstances(ctx(t), &connect.ListInstancesInput{})).must(t)
}

// selfSigned writes a fresh self-signed certificate for 127.0.0.1 and its
// key as PEM files and returns their paths and a pool trusting it.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "switchboard test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// writeConfig writes a --config file.
func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "switchboard.json")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const accountsConfig = `{"accounts": [
  {"id": "111111111111", "accessKeys": [
    {"id": "AKIDADMIN", "secret": "admin-secret"},
    {"id": "AKIDREAD", "secret": "read-secret",
     "policy": {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": ["connect:Describe*", "connect:List*"], "Resource": "*"}]}}]}]}`

// startProcess runs the binary and waits for its "listening" log line.
func startProcess(t *testing.T, args ...string) *logBuf {
	t.Helper()
	cmd := exec.Command(buildBinary(t), args...)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	logs := &logBuf{done: make(chan struct{})}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		signalled := false
		for sc.Scan() {
			logs.WriteString(sc.Text() + "\n")
			if !signalled && strings.Contains(sc.Text(), "switchboard listening") {
				signalled = true
				close(ready)
			}
		}
		close(logs.done)
	}()
	select {
	case <-ready:
	case <-logs.done:
		t.Fatalf("the server stopped:\n%s", logs.String())
	case <-time.After(20 * time.Second):
		t.Fatal("the server did not start")
	}
	return logs
}

// TestBinaryServesTLSWithConfiguredAccounts runs the binary with
// --tls-cert/--tls-key and an accounts config, and talks https to it with
// the Go SDK trusting the test's self-signed certificate.
func TestBinaryServesTLSWithConfiguredAccounts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	certFile, keyFile, pool := selfSigned(t)
	addr := freeAddr(t)
	startProcess(t, "--addr", addr, "--ephemeral", "--config", writeConfig(t, accountsConfig), "--tls-cert", certFile, "--tls-key", keyFile)

	httpClient := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	client := func(key, secret string) *connect.Client {
		return connect.New(connect.Options{
			Region: region, BaseEndpoint: aws.String("https://" + addr), RetryMaxAttempts: 1, HTTPClient: httpClient,
			Credentials: credentials.NewStaticCredentialsProvider(key, secret, ""),
		})
	}
	admin := client("AKIDADMIN", "admin-secret")
	out := call(admin.CreateInstance(ctx(t), &connect.CreateInstanceInput{IdentityManagementType: types.DirectoryTypeConnectManaged,
		InstanceAlias: aws.String("tls"), InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true)})).must(t)
	if !strings.Contains(*out.Arn, ":111111111111:instance/") {
		t.Errorf("ARN %s is not in the configured account", *out.Arn)
	}
	read := client("AKIDREAD", "read-secret")
	call(read.DescribeInstance(ctx(t), &connect.DescribeInstanceInput{InstanceId: out.Id})).must(t)
	_, err := read.DeleteInstance(ctx(t), &connect.DeleteInstanceInput{InstanceId: out.Id})
	wantCode(t, err, "AccessDeniedException")
	_, err = client("test", "test").ListInstances(ctx(t), &connect.ListInstancesInput{})
	wantCode(t, err, "UnrecognizedClientException")

	// Plain http to the TLS port gets no API answer.
	if resp, err := http.Get("http://" + addr + "/instance"); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("plain http to the TLS port: %d", resp.StatusCode)
		}
	}
	// A client that does not trust the certificate is refused.
	if _, err := http.Get("https://" + addr + "/instance"); err == nil {
		t.Error("an untrusted certificate was accepted")
	}
}

// TestBinaryConfigChecks: a bad config stops start-up with a message
// naming the fault, and configured accounts allow listening beyond
// loopback.
func TestBinaryConfigChecks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	cases := []struct {
		name string
		args []string
		msg  string
	}{
		{"short account id", []string{"--config", writeConfig(t, `{"accounts":[{"id":"1234","accessKeys":[{"id":"k","secret":"s"}]}]}`)}, `account id "1234" must be exactly 12 digits`},
		{"duplicate key", []string{"--config", writeConfig(t, `{"accounts":[{"id":"111111111111","accessKeys":[{"id":"k","secret":"s"}]},{"id":"222222222222","accessKeys":[{"id":"k","secret":"t"}]}]}`)}, "access key k: access key id is used more than once"},
		{"unknown member", []string{"--config", writeConfig(t, `{"accounts":[{"id":"111111111111","keys":[]}]}`)}, `unknown field "keys"`},
		{"policy with a condition", []string{"--config", writeConfig(t, `{"accounts":[{"id":"111111111111","accessKeys":[{"id":"k","secret":"s","policy":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{}}]}]}]}`)}, "unsupported member(s) Condition"},
		{"empty accounts", []string{"--config", writeConfig(t, `{"accounts":[]}`)}, `"accounts" is empty`},
		{"certificate without key", []string{"--tls-cert", "cert.pem"}, "--tls-cert and --tls-key go together"},
		{"unreadable certificate", []string{"--tls-cert", "/nonexistent/cert.pem", "--tls-key", "/nonexistent/key.pem"}, "--tls-cert/--tls-key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := exec.Command(bin, append([]string{"--addr", "127.0.0.1:0", "--ephemeral"}, c.args...)...).CombinedOutput()
			if err == nil || !strings.Contains(string(out), c.msg) {
				t.Fatalf("want a failure mentioning %q, got %v: %s", c.msg, err, out)
			}
			if strings.Contains(string(out), "\"s\"") || strings.Contains(string(out), "secret\":") {
				t.Errorf("the message shows a secret: %s", out)
			}
		})
	}

	t.Run("accounts allow listening beyond loopback", func(t *testing.T) {
		_, port, _ := net.SplitHostPort(freeAddr(t))
		startProcess(t, "--addr", "0.0.0.0:"+port, "--ephemeral", "--config", writeConfig(t, accountsConfig))
		c := newClient("http://127.0.0.1:"+port, "AKIDADMIN", "admin-secret", region)
		call(c.ListInstances(ctx(t), &connect.ListInstancesInput{})).must(t)
	})
}

// TestBinaryLimitsHeaders: a request whose line and headers exceed 64 KiB
// is refused by the HTTP server (431) before any handler runs.
func TestBinaryLimitsHeaders(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	addr := freeAddr(t)
	startProcess(t, "--addr", addr, "--ephemeral")
	for _, c := range []struct {
		name string
		mod  func(*http.Request)
	}{
		{"large header", func(r *http.Request) { r.Header.Set("X-Padding", strings.Repeat("a", 80<<10)) }},
		{"long path", func(r *http.Request) { r.URL.Path = "/users/" + strings.Repeat("i", 80<<10) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(context.Background(), "GET", "http://"+addr+"/instance", nil)
			c.mod(req)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
				t.Errorf("status %d, want 431", resp.StatusCode)
			}
		})
	}
}
