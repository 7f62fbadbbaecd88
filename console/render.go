package console

import (
	"bytes"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"strings"

	"github.com/aws/smithy-go"
)

// page is what every template gets.
type page struct {
	Title    string
	Error    string // shown at the top
	Notice   string
	CSRF     string // the form token; the session's when signed in
	Session  *session
	Who      *who
	Instance string // the instance the page is about, for the navigation
	Data     any
}

// who is the signed-in key as pages show it (never its secret).
type who struct {
	AccessKeyID, Account, Region string
	Auto                         bool
}

// InstanceHref is the instance page's address.
func (p page) InstanceHref() string { return instPath(p.Instance) + "/" }

var funcs = template.FuncMap{
	"inst":       instPath,
	"join":       strings.Join,
	"ferr":       fieldError,
	"bools":      func() []string { return []string{"", "true", "false"} },
	"phoneTypes": func() []string { return []string{"", "SOFT_PHONE", "DESK_PHONE"} },
	"voiceModes": func() []string { return []string{"", "VOICE_ISOLATION", "NOISE_SUPPRESSION", "NONE"} },
}

// fieldError is the message the API gave about a field, shown beside it.
func fieldError(e *formErrors, key string) template.HTML {
	msg := e.At(key)
	if msg == "" {
		return ""
	}
	return template.HTML(`<span class="field-error" data-field="` + template.HTMLEscapeString(key) + `">` + template.HTMLEscapeString(msg) + `</span>`)
}

// parsePages parses each page template with the layout.
func parsePages() map[string]*template.Template {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		pages[name] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/_*.html", n))
	}
	return pages
}

// render writes a page; the whole page is rendered before anything is
// sent, so a template error is a clean 500.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	if s := p.Session; s != nil {
		p.Who = &who{AccessKeyID: s.accessKeyID, Account: s.account, Region: s.region, Auto: s.auto}
		if p.CSRF == "" {
			p.CSRF = s.csrf
		}
	}
	var b bytes.Buffer
	if err := h.pages[name].ExecuteTemplate(&b, "layout.html", p); err != nil {
		h.cfg.Logger.Error("console: template", "page", name, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// renderAPIError shows a page whose API call failed, with the API's code
// and message, under the HTTP status the API answered.
func (h *Handler) renderAPIError(w http.ResponseWriter, r *http.Request, p page, err error) {
	p.Error = apiMessage(err)
	status := http.StatusBadGateway
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) && re.HTTPStatusCode() >= 400 {
		status = re.HTTPStatusCode()
	}
	h.render(w, r, status, "error", p)
}

// apiMessage is "Code: message" of an API error.
func apiMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode() + ": " + ae.ErrorMessage()
	}
	return err.Error()
}

func asStatus(err error, target *interface{ HTTPStatusCode() int }) bool {
	return errors.As(err, target)
}
