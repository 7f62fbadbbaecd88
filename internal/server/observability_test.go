package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/switchboard-dev/switchboard/internal/policy"
	"github.com/switchboard-dev/switchboard/internal/sigv4"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

func TestFromLoopback(t *testing.T) {
	cases := []struct {
		name   string
		remote string
		header string // a header the request carries, "" none
		want   bool
	}{
		{"IPv4 loopback", "127.0.0.1:50000", "", true},
		{"anywhere in 127/8", "127.8.9.10:1", "", true},
		{"IPv6 loopback", "[::1]:50000", "", true},
		{"IPv4-mapped loopback", "[::ffff:127.0.0.1]:1", "", true},
		{"private address", "10.0.0.7:50000", "", false},
		{"public IPv6", "[2001:db8::1]:443", "", false},
		{"unspecified", "0.0.0.0:1", "", false},
		{"no port", "127.0.0.1", "", false},
		{"garbage", "localhost:80", "", false},
		{"empty", "", "", false},
		{"proxied: X-Forwarded-For", "127.0.0.1:50000", "X-Forwarded-For", false},
		{"proxied: Forwarded", "127.0.0.1:50000", "Forwarded", false},
		{"proxied: X-Real-IP", "[::1]:50000", "X-Real-IP", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/_switchboard/metrics", nil)
			r.RemoteAddr = c.remote
			if c.header != "" {
				r.Header.Set(c.header, "203.0.113.9")
			}
			if got := fromLoopback(r); got != c.want {
				t.Errorf("fromLoopback(%q, %q) = %v, want %v", c.remote, c.header, got, c.want)
			}
		})
	}
}

// observed is a server on an in-memory store whose access key "test" has
// full access and "ro" may only call Connect's List operations.
func observed(t *testing.T) http.Handler {
	t.Helper()
	store, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	pol, err := policy.Parse([]byte(`[{"Effect":"Allow","Action":"connect:List*","Resource":"*"}]`))
	if err != nil {
		t.Fatal(err)
	}
	creds := sigv4.DefaultCredentials()
	creds["ro"] = sigv4.Key{Secret: "ro", Account: "000000000000"}
	h, svc := New(Config{Store: store, Credentials: creds, Policies: map[string]policy.Policy{"ro": pol}})
	t.Cleanup(svc.Close)
	return h
}

// call serves one GET through h from remote, signed with key (its secret
// is the same string) when key is not "".
func call(t *testing.T, h http.Handler, path, remote, key string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	r.RemoteAddr = remote
	if key != "" {
		sum := sha256.Sum256(nil)
		err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: key, SecretAccessKey: key}, r, hex.EncodeToString(sum[:]), "connect", "us-east-1", time.Now())
		if err != nil {
			t.Fatal(err)
		}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// header reads a header the server may have set under AWS's spelling
// rather than Go's canonical one (as x-amzn-RequestId).
func header(w *httptest.ResponseRecorder, name string) string {
	for k, v := range w.Header() {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// TestObservabilityAccess: the probes answer anyone; health and metrics
// answer unsigned calls from this host only, and from elsewhere only calls
// signed by a key whose policy allows them (docs/SECURITY.md).
func TestObservabilityAccess(t *testing.T) {
	h := observed(t)
	const local, remote, proxied = "127.0.0.1:40000", "192.0.2.10:40000", "proxied"
	cases := []struct {
		path, from, key string
		status          int
		errorType       string
	}{
		{"/_switchboard/health/live", remote, "", 200, ""},
		{"/_switchboard/health/ready", remote, "", 200, ""},
		{"/_switchboard/health", local, "", 200, ""},
		{"/_switchboard/metrics", local, "", 200, ""},
		{"/_switchboard/health", remote, "", 403, "MissingAuthenticationTokenException"},
		{"/_switchboard/metrics", remote, "", 403, "MissingAuthenticationTokenException"},
		{"/_switchboard/metrics", proxied, "", 403, "MissingAuthenticationTokenException"},
		{"/_switchboard/health", remote, "test", 200, ""},
		{"/_switchboard/metrics", remote, "test", 200, ""},
		{"/_switchboard/health", remote, "ro", 403, "AccessDeniedException"},
		{"/_switchboard/metrics", remote, "ro", 403, "AccessDeniedException"},
		// From this host a key's policy does not matter: the call could as
		// well be unsigned.
		{"/_switchboard/metrics", local, "ro", 200, ""},
	}
	for _, c := range cases {
		name := c.path + " from " + c.from + " key " + c.key
		addr := c.from
		if c.from == proxied {
			addr = local
		}
		r := httptest.NewRequest("GET", c.path, nil)
		r.RemoteAddr = addr
		if c.from == proxied {
			r.Header.Set("X-Forwarded-For", "198.51.100.4")
		}
		var w *httptest.ResponseRecorder
		if c.from == proxied {
			w = httptest.NewRecorder()
			h.ServeHTTP(w, r)
		} else {
			w = call(t, h, c.path, addr, c.key)
		}
		if w.Code != c.status || header(w, "X-Amzn-ErrorType") != c.errorType {
			t.Errorf("%s: %d %q %s, want %d %q", name, w.Code, header(w, "X-Amzn-ErrorType"), w.Body, c.status, c.errorType)
		}
		if header(w, "x-amzn-RequestId") == "" {
			t.Errorf("%s: no x-amzn-RequestId", name)
		}
		if c.status == 403 && c.errorType == "AccessDeniedException" && !strings.Contains(w.Body.String(), "switchboard:Get") {
			t.Errorf("%s: the denial names no action: %s", name, w.Body)
		}
	}
}

// TestHealthShapes: each endpoint's body and content type.
func TestHealthShapes(t *testing.T) {
	h := observed(t)
	for path, want := range map[string]string{
		"/_switchboard/health":       `{"status":"ok","live":true,"ready":true,"store":"ok"}`,
		"/_switchboard/health/live":  `{"live":true}`,
		"/_switchboard/health/ready": `{"ready":true}`,
	} {
		w := call(t, h, path, "[::1]:1", "")
		if w.Code != 200 || w.Body.String() != want || w.Header().Get("Content-Type") != "application/json" {
			t.Errorf("%s: %d %s %q, want 200 %s", path, w.Code, w.Header().Get("Content-Type"), w.Body, want)
		}
		var v map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
	w := call(t, h, "/_switchboard/metrics", "127.0.0.1:1", "")
	if ct := w.Header().Get("Content-Type"); w.Code != 200 || !strings.HasPrefix(ct, "text/plain") {
		t.Fatalf("metrics: %d %q", w.Code, ct)
	}
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total", "switchboard_engine_state_up 1"} {
		if !strings.Contains(w.Body.String(), "\n"+name) {
			t.Errorf("metrics lack %s:\n%s", name, w.Body)
		}
	}
}
