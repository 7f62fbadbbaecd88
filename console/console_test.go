package console_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/connect"

	"github.com/switchboard-dev/switchboard/console"
	"github.com/switchboard-dev/switchboard/switchboardtest"
)

// browser is an http.Client with a cookie jar, as a browser would be.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar}}
}

func (b *browser) do(req *http.Request) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.base+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on the page:\n%s", page)
	}
	return m[1]
}

// signIn signs b in through the sign-in form.
func (b *browser) signIn(key, secret string) (*http.Response, string) {
	b.t.Helper()
	_, page := b.get("/console/signin")
	return b.post("/console/signin", url.Values{"csrf": {csrfOf(b.t, page)}, "accessKeyId": {key}, "secretAccessKey": {secret}, "region": {"us-east-1"}})
}

func accounts() switchboardtest.Option {
	return switchboardtest.WithAccounts(switchboardtest.Account{ID: "111111111111", AccessKeys: []switchboardtest.AccessKey{
		{ID: "AKIDADMIN", Secret: "admin-secret"},
		{ID: "AKIDREAD", Secret: "read-secret", Policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["connect:Describe*","connect:List*","connect:Search*"],"Resource":"*"}]}`},
	}})
}

func TestSignInWithConfiguredAccounts(t *testing.T) {
	srv := switchboardtest.New(t, accounts())
	srv.CreateInstance(t, "console-accounts")

	t.Run("no automatic sign-in when accounts are configured", func(t *testing.T) {
		b := newBrowser(t, srv.URL)
		resp, page := b.get("/console/")
		if resp.Request.URL.Path != "/console/signin" || !strings.Contains(page, `id="signin"`) {
			t.Fatalf("an anonymous browser got %s, not the sign-in page", resp.Request.URL)
		}
		if strings.Contains(page, "auto-signin") {
			t.Fatal("signed in automatically with accounts configured")
		}
	})
	for _, tc := range []struct{ name, key, secret string }{
		{"wrong secret", "AKIDADMIN", "nope"},
		{"unknown key", "AKIDNOBODY", "admin-secret"},
		{"built-in key is gone", "test", "test"},
		{"empty", "", ""},
	} {
		t.Run("refused: "+tc.name, func(t *testing.T) {
			b := newBrowser(t, srv.URL)
			resp, page := b.signIn(tc.key, tc.secret)
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", resp.StatusCode)
			}
			if !strings.Contains(page, "The access key id and secret access key do not match a configured key.") {
				t.Fatalf("the refusal does not say the pair is wrong:\n%s", page)
			}
			if resp, _ := b.get("/console/"); resp.Request.URL.Path != "/console/signin" {
				t.Fatal("a refused sign-in left a session")
			}
		})
	}
	t.Run("good credentials", func(t *testing.T) {
		b := newBrowser(t, srv.URL)
		resp, page := b.signIn("AKIDADMIN", "admin-secret")
		if resp.StatusCode != 200 || !strings.Contains(page, "console-accounts") || !strings.Contains(page, "AKIDADMIN") {
			t.Fatalf("status %d; the instances page does not list the instance:\n%s", resp.StatusCode, page)
		}
		if strings.Contains(page, "admin-secret") {
			t.Fatal("the page shows the secret")
		}
		// Sign out: the session is gone.
		b.post("/console/signout", url.Values{"csrf": {csrfOf(t, page)}})
		if resp, _ := b.get("/console/"); resp.Request.URL.Path != "/console/signin" {
			t.Fatal("still signed in after signing out")
		}
	})
}

func TestSessionCookieAttributes(t *testing.T) {
	srv := switchboardtest.New(t, accounts())
	b := newBrowser(t, srv.URL)
	b.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	_, page := b.get("/console/signin")
	resp, _ := b.post("/console/signin", url.Values{"csrf": {csrfOf(t, page)}, "accessKeyId": {"AKIDADMIN"}, "secretAccessKey": {"admin-secret"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in answered %d", resp.StatusCode)
	}
	var got *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == console.SessionCookie {
			got = c
		}
	}
	if got == nil {
		t.Fatal("no session cookie")
	}
	if len(got.Value) != 64 || !got.HttpOnly || got.SameSite != http.SameSiteStrictMode || got.Path != "/console/" || got.Secure {
		t.Fatalf("cookie %+v: want a 32-byte hex id, HttpOnly, SameSite=Strict, Path=/console/, not Secure over plain HTTP", got)
	}
}

func TestAutomaticSignInOnLoopback(t *testing.T) {
	srv := switchboardtest.New(t)
	srv.CreateInstance(t, "console-auto")
	b := newBrowser(t, srv.URL)
	resp, page := b.get("/console")
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/console/" {
		t.Fatalf("GET /console ended at %s with %d", resp.Request.URL, resp.StatusCode)
	}
	if !strings.Contains(page, `id="auto-signin"`) || !strings.Contains(page, "console-auto") {
		t.Fatalf("not signed in automatically as test/test:\n%s", page)
	}
	// A request that came through a proxy is not local: no automatic
	// sign-in.
	req, _ := http.NewRequest("GET", srv.URL+"/console/", nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	resp, _ = newBrowser(t, srv.URL).do(req)
	if resp.Request.URL.Path != "/console/signin" {
		t.Fatalf("a proxied request was signed in automatically (%s)", resp.Request.URL)
	}
}

func TestSecurityHeaders(t *testing.T) {
	srv := switchboardtest.New(t)
	for _, path := range []string{"/console/", "/console/signin", "/console/static/console.css", "/console/nowhere"} {
		resp, _ := newBrowser(t, srv.URL).get(path)
		h := resp.Header
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: Content-Security-Policy %q", path, csp)
		}
		for k, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"} {
			if h.Get(k) != want {
				t.Errorf("%s: %s %q, want %q", path, k, h.Get(k), want)
			}
		}
	}
}

func TestCSRFRefused(t *testing.T) {
	srv := switchboardtest.New(t)
	inst := srv.CreateInstance(t, "console-csrf")
	b := newBrowser(t, srv.URL)
	_, page := b.get("/console/")
	good := csrfOf(t, page)
	form := url.Values{"username": {"mallory"}, "password": {"Passw0rdOK"}, "identityinfo.firstname": {"Mal"}, "identityinfo.lastname": {"Lory"}, "routingprofileid": {inst.BasicRoutingProfileID},
		"securityprofileids": {inst.SecurityProfileIDs["Agent"]}}
	for name, token := range map[string][]string{"without a token": nil, "with a wrong token": {"x" + good[1:]}, "with an empty token": {""}} {
		t.Run(name, func(t *testing.T) {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			if token != nil {
				f["csrf"] = token
			}
			resp, _ := b.post("/console/i/"+inst.ID+"/users/new", f)
			if resp.StatusCode != http.StatusForbidden {
				t.Fatalf("status %d, want 403", resp.StatusCode)
			}
		})
	}
	// The sign-in form too.
	resp, _ := newBrowser(t, srv.URL).post("/console/signin", url.Values{"accessKeyId": {"test"}, "secretAccessKey": {"test"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("sign-in without a token: status %d, want 403", resp.StatusCode)
	}
	out, err := srv.Client().ListUsers(context.Background(), &connect.ListUsersInput{InstanceId: &inst.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.UserSummaryList) != 0 {
		t.Fatalf("a refused POST created %d users", len(out.UserSummaryList))
	}
	// With the right token the same form works.
	form.Set("csrf", good)
	if resp, page := b.post("/console/i/"+inst.ID+"/users/new", form); resp.StatusCode != 200 || !strings.Contains(page, "The user was created.") {
		t.Fatalf("status %d:\n%s", resp.StatusCode, page)
	}
}
