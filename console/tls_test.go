package console_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/switchboard-dev/switchboard/console"
	"github.com/switchboard-dev/switchboard/internal/server"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

// TestSessionCookieSecureUnderTLS: over HTTPS the session cookie is also
// Secure (over plain HTTP it cannot be: TestSessionCookieAttributes).
func TestSessionCookieSecureUnderTLS(t *testing.T) {
	store, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ids, err := server.CompileAccounts([]server.Account{{ID: "111111111111", AccessKeys: []server.AccessKey{{ID: "AKIDADMIN", Secret: "admin-secret"}}}})
	if err != nil {
		t.Fatal(err)
	}
	h, svc := server.New(server.Config{Store: store, Credentials: ids.Credentials, Policies: ids.Policies})
	defer svc.Close()
	ts := httptest.NewTLSServer(h)
	defer ts.Close()
	c := ts.Client()
	c.Jar, _ = cookiejar.New(nil)
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	b := &browser{t: t, base: ts.URL, c: c}
	_, page := b.get("/console/signin")
	resp, _ := b.post("/console/signin", url.Values{"csrf": {csrfOf(t, page)}, "accessKeyId": {"AKIDADMIN"}, "secretAccessKey": {"admin-secret"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in answered %d", resp.StatusCode)
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == console.SessionCookie {
			if !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode {
				t.Fatalf("cookie %+v: want Secure, HttpOnly, SameSite=Strict over HTTPS", ck)
			}
			return
		}
	}
	t.Fatal("no session cookie")
}
