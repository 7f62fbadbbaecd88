package console

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/connect"
)

const (
	// SessionCookie carries the session id: 32 random bytes, hex.
	SessionCookie = "switchboard_console"
	// signinCookie carries the sign-in form's CSRF token (double submit):
	// there is no session yet to bind it to.
	signinCookie = "switchboard_console_signin"
	// CSRFField is the hidden form field every POST must carry.
	CSRFField = "csrf"

	sessionIdle = time.Hour      // an unused session ends after this
	sessionMax  = 12 * time.Hour // and every session after this
	maxSessions = 10000          // the oldest go first beyond this

	builtInKey, builtInSecret = "test", "test"
	defaultRegion             = "us-east-1"
	maxFormBytes              = 1 << 20
)

// regionPattern is what a region must look like to be signed for.
var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]$`)

// session is one signed-in browser. The secret lives only inside client's
// credentials, in memory; it is never written to a page or a log.
type session struct {
	id, csrf                   string
	accessKeyID, account       string
	region                     string
	auto                       bool // signed in as test/test without asking
	client                     *connect.Client
	names                      nameCache // usernames the dashboard looked up (dashboard.go)
	created, lastUsed, expires time.Time
}

// sessionStore holds sessions in memory: a restart signs everyone out.
type sessionStore struct {
	mu  sync.Mutex
	m   map[string]*session
	now func() time.Time
}

func newSessionStore(now func() time.Time) *sessionStore {
	return &sessionStore{m: map[string]*session{}, now: now}
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b)
}

func (s *sessionStore) add(sess *session) {
	now := s.now()
	sess.id, sess.csrf = randomToken(), randomToken()
	sess.created, sess.lastUsed, sess.expires = now, now, now.Add(sessionMax)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.m) >= maxSessions {
		var oldest *session
		for id, o := range s.m {
			if s.expired(o, now) {
				delete(s.m, id)
			} else if oldest == nil || o.lastUsed.Before(oldest.lastUsed) {
				oldest = o
			}
		}
		if len(s.m) >= maxSessions && oldest != nil {
			delete(s.m, oldest.id)
		}
	}
	s.m[sess.id] = sess
}

func (s *sessionStore) expired(o *session, now time.Time) bool {
	return now.After(o.expires) || now.Sub(o.lastUsed) > sessionIdle
}

// get returns the live session of id and marks it used.
func (s *sessionStore) get(id string) *session {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.m[id]
	if o == nil {
		return nil
	}
	if s.expired(o, now) {
		delete(s.m, id)
		return nil
	}
	o.lastUsed = now
	return o
}

func (s *sessionStore) remove(id string) {
	s.mu.Lock()
	delete(s.m, id)
	s.mu.Unlock()
}

// cookie returns a console cookie with the attributes every one has.
func cookie(r *http.Request, name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: Prefix, MaxAge: maxAge, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode}
}

// session returns the request's session, signing a local browser in as
// test/test when the server runs with the built-in credentials.
func (h *Handler) session(w http.ResponseWriter, r *http.Request) *session {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if s := h.sessions.get(c.Value); s != nil {
			return s
		}
	}
	if !h.autoSignIn(r) {
		return nil
	}
	// Only server-side session state is created here (no Connect state):
	// the built-in key is what any local process may use anyway.
	return h.startSession(w, r, builtInKey, builtInSecret, h.builtInAccount(), defaultRegion, true)
}

func (h *Handler) autoSignIn(r *http.Request) bool {
	return h.cfg.BuiltIn && h.cfg.IsLocal(r)
}

func (h *Handler) builtInAccount() string {
	_, account, _ := h.cfg.Credentials.Lookup(builtInKey)
	return account
}

func (h *Handler) startSession(w http.ResponseWriter, r *http.Request, key, secret, account, region string, auto bool) *session {
	s := &session{accessKeyID: key, account: account, region: region, auto: auto,
		client: newClient(h.cfg.API, key, secret, region)}
	h.sessions.add(s)
	http.SetCookie(w, cookie(r, SessionCookie, s.id, 0))
	return s
}

// signed wraps a page that needs a session: without one the browser goes
// to the sign-in page; a POST must carry the session's CSRF token.
func (h *Handler) signed(next func(http.ResponseWriter, *http.Request, *session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s := h.session(w, r)
		if s == nil {
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				h.render(w, r, http.StatusForbidden, "error", page{Title: "Signed out", Error: "Your session has ended: sign in again."})
				return
			}
			http.Redirect(w, r, Prefix+"signin", http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
			if err := r.ParseForm(); err != nil || !tokenEqual(r.PostForm.Get(CSRFField), s.csrf) {
				h.render(w, r, http.StatusForbidden, "error", page{Title: "Refused", Error: "The form's security token is missing or wrong; reload the page and try again.", Session: s})
				return
			}
		}
		next(w, withRemote(r), s)
	}
}

func withRemote(r *http.Request) *http.Request {
	return r.WithContext(withRemoteAddr(r.Context(), r.RemoteAddr))
}

// tokenEqual compares a submitted token with the expected one in
// constant time; an empty token never matches.
func tokenEqual(got, want string) bool {
	return got != "" && want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func (h *Handler) signinPage(w http.ResponseWriter, r *http.Request) {
	if h.autoSignIn(r) {
		h.session(w, r)
		http.Redirect(w, r, Prefix, http.StatusSeeOther)
		return
	}
	h.renderSignin(w, r, http.StatusOK, "", "", defaultRegion)
}

func (h *Handler) renderSignin(w http.ResponseWriter, r *http.Request, status int, msg, key, region string) {
	token := randomToken()
	http.SetCookie(w, cookie(r, signinCookie, token, 3600))
	h.render(w, r, status, "signin", page{Title: "Sign in", Error: msg, CSRF: token,
		Data: map[string]string{"AccessKeyID": key, "Region": region}})
}

// signin checks an access key id and secret against the server's
// credentials. A wrong pair is refused with one message, whichever part
// is wrong, after comparing the secret in constant time.
func (h *Handler) signin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	c, err := r.Cookie(signinCookie)
	if err := r.ParseForm(); err != nil {
		h.render(w, r, http.StatusBadRequest, "error", page{Title: "Bad request", Error: "The form could not be read."})
		return
	}
	if err != nil || !tokenEqual(r.PostForm.Get(CSRFField), c.Value) {
		h.render(w, r, http.StatusForbidden, "error", page{Title: "Refused", Error: "The form's security token is missing or wrong; reload the sign-in page and try again."})
		return
	}
	key := strings.TrimSpace(r.PostForm.Get("accessKeyId"))
	given := r.PostForm.Get("secretAccessKey")
	region := strings.TrimSpace(r.PostForm.Get("region"))
	if region == "" {
		region = defaultRegion
	}
	if !regionPattern.MatchString(region) {
		h.renderSignin(w, r, http.StatusBadRequest, "The region must look like us-east-1.", key, region)
		return
	}
	secret, account, ok := h.cfg.Credentials.Lookup(key)
	if !ok {
		secret = "\x00 no such key: compare against something all the same"
	}
	match := subtle.ConstantTimeCompare([]byte(secret), []byte(given)) == 1
	if !ok || !match || key == "" {
		h.cfg.Logger.Info("console: sign-in refused")
		h.renderSignin(w, r, http.StatusUnauthorized, "The access key id and secret access key do not match a configured key.", key, region)
		return
	}
	if old, err := r.Cookie(SessionCookie); err == nil {
		h.sessions.remove(old.Value)
	}
	http.SetCookie(w, cookie(r, signinCookie, "", -1))
	h.startSession(w, r, key, secret, account, region, false)
	http.Redirect(w, r, Prefix, http.StatusSeeOther)
}

func (h *Handler) signout(w http.ResponseWriter, r *http.Request, s *session) {
	h.sessions.remove(s.id)
	http.SetCookie(w, cookie(r, SessionCookie, "", -1))
	http.Redirect(w, r, Prefix+"signin", http.StatusSeeOther)
}
