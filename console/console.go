// Package console is Switchboard's web console, served by the server's
// own binary under /console/: sign-in, browsing an account's instances
// and their resources, and adding, editing, deleting and importing
// (from CSV, import.go) users.
//
// The console has no privileges of its own. Every page calls the Connect
// API through an aws-sdk-go-v2 client holding the signed-in access key;
// that client's transport hands each request to the server's Connect
// handler in process (transport.go), so every call is SigV4-signed and
// verified, authorised by the key's policy, validated and answered
// exactly as over the wire. What the key may not do, the console cannot
// do. docs/CONSOLE.md argues the design; docs/SECURITY.md ("Console")
// says what it defends against.
package console

import (
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/internal/bulkusers"
	"github.com/switchboard-dev/switchboard/internal/sigv4"
)

// Prefix is the path every console page lies under; it is outside
// Connect's URL space (whose paths start with a lowercase resource word
// that is never "console") and outside /_switchboard/.
const Prefix = "/console/"

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config is what the console needs from the server.
type Config struct {
	// API is the server's Connect handler; the console's clients call it
	// in process.
	API http.Handler
	// Credentials check sign-ins (the server's own sigv4.Credentials).
	Credentials sigv4.Credentials
	// BuiltIn says the server runs with the built-in test/test
	// credentials (no accounts configured): a request from this host is
	// then signed in as test/test without asking.
	BuiltIn bool
	// IsLocal says whether a request comes from this host (a loopback
	// peer and no proxy headers); nil: never.
	IsLocal func(*http.Request) bool
	Logger  *slog.Logger
	// Now is the clock of session expiry (nil: time.Now).
	Now func() time.Time
	// CheckCreateUser, when set, runs CreateUser's own rules on each row of
	// a bulk import before anything is created (service.CheckCreateUser,
	// which only reads); nil leaves them to CreateUser.
	CheckCreateUser bulkusers.CheckFunc
}

// Handler serves the console under Prefix and hands every other request
// to the next handler.
type Handler struct {
	next     http.Handler
	mux      *http.ServeMux
	cfg      Config
	sessions *sessionStore
	pages    map[string]*template.Template
	imports  *importStore // bulk import uploads and jobs (import.go)
}

// Mount returns next with the console served in front of it at Prefix
// (and /console redirected there). cfg.API defaults to next.
func Mount(next http.Handler, cfg Config) *Handler {
	if cfg.API == nil {
		cfg.API = next
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.IsLocal == nil {
		cfg.IsLocal = func(*http.Request) bool { return false }
	}
	h := &Handler{next: next, cfg: cfg, sessions: newSessionStore(cfg.Now), pages: parsePages()}
	h.imports = newImportStore(cfg.Now)
	h.routes()
	return h
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/console":
		setSecurityHeaders(w)
		http.Redirect(w, r, Prefix, http.StatusMovedPermanently)
	case strings.HasPrefix(r.URL.Path, Prefix):
		setSecurityHeaders(w)
		h.mux.ServeHTTP(w, r)
	default:
		h.next.ServeHTTP(w, r)
	}
}

// Route forwards to the next handler's Route (restjson.Server's, through
// the server's wrappers), so that tests mapping requests to operations
// through the handler server.New returns keep working.
func (h *Handler) Route(method, escapedPath string) (*api.Operation, map[string]string, bool) {
	if r, ok := h.next.(interface {
		Route(string, string) (*api.Operation, map[string]string, bool)
	}); ok {
		return r.Route(method, escapedPath)
	}
	return nil, nil, false
}

// setSecurityHeaders is on every console answer: pages load only the
// console's own stylesheet and script, cannot be framed, and leak no URL
// (which carries instance and user ids) to other sites.
func setSecurityHeaders(w http.ResponseWriter) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Cache-Control", "no-store")
}

func (h *Handler) routes() {
	m := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	m.Handle("GET /console/static/", http.StripPrefix("/console/static/", http.FileServerFS(static)))
	m.HandleFunc("GET /console/signin", h.signinPage)
	m.HandleFunc("POST /console/signin", h.signin)
	m.HandleFunc("POST /console/signout", h.signed(h.signout))
	m.HandleFunc("GET /console/{$}", h.signed(h.instancesPage))
	m.HandleFunc("GET /console/i/{inst}/{$}", h.signed(h.instancePage))
	for _, p := range listPages {
		m.HandleFunc("GET /console/i/{inst}/"+p.path, h.signed(h.listPage(p)))
	}
	m.HandleFunc("GET /console/i/{inst}/routing-profiles/{id}", h.signed(h.routingProfilePage))
	m.HandleFunc("GET /console/i/{inst}/flows/{id}", h.signed(h.flowPage))
	m.HandleFunc("GET /console/i/{inst}/modules/{id}", h.signed(h.modulePage))
	m.HandleFunc("GET /console/i/{inst}/hierarchy", h.signed(h.hierarchyPage))
	m.HandleFunc("GET /console/i/{inst}/dashboard", h.signed(h.dashboardPage))
	m.HandleFunc("GET /console/i/{inst}/dashboard/data", h.signed(h.dashboardData))
	m.HandleFunc("GET /console/i/{inst}/agent", h.signed(h.agentPage))
	m.HandleFunc("POST /console/i/{inst}/agent/status", h.signed(h.setAgentStatus))
	m.HandleFunc("POST /console/i/{inst}/agent/action", h.signed(h.agentAction))
	m.HandleFunc("GET /console/i/{inst}/users", h.signed(h.usersPage))
	m.HandleFunc("GET /console/i/{inst}/users/new", h.signed(h.newUserPage))
	m.HandleFunc("POST /console/i/{inst}/users/new", h.signed(h.createUser))
	m.HandleFunc("GET /console/i/{inst}/users/{id}", h.signed(h.userPage))
	m.HandleFunc("POST /console/i/{inst}/users/{id}", h.signed(h.updateUser))
	m.HandleFunc("GET /console/i/{inst}/users/{id}/delete", h.signed(h.deleteUserPage))
	m.HandleFunc("POST /console/i/{inst}/users/{id}/delete", h.signed(h.deleteUser))
	m.HandleFunc("GET /console/i/{inst}/users/import", h.signed(h.importPage))
	m.HandleFunc("POST /console/i/{inst}/users/import", h.signedUpload(h.importUpload))
	m.HandleFunc("POST /console/i/{inst}/users/import/{upload}/valid", h.signed(h.importValid))
	m.HandleFunc("GET /console/i/{inst}/users/import/jobs/{job}", h.signed(h.importJobPage))
	m.HandleFunc("GET /console/i/{inst}/users/import/jobs/{job}/progress", h.signed(h.importJobProgress))
	m.HandleFunc("/console/", func(w http.ResponseWriter, r *http.Request) {
		h.render(w, r, http.StatusNotFound, "error", page{Title: "Not found", Error: "There is no console page at this address."})
	})
	h.mux = m
}
