package console

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/internal/bulkusers"
)

// The bulk user import (docs/CONSOLE.md, docs/BULKIMPORT.md): a CSV file
// is uploaded, every row is checked (bulkusers.PlanWith through the signed
// API), and either imported at once (no problems) or shown with its
// problems; "Import the valid rows" then checks the kept file again and
// imports the rows without problems. The import runs in a goroutine; its
// page shows progress (polled by static/import.js, or refreshed without
// JavaScript) and, at the end, what became of each row.

const (
	// MaxImportBytes is the largest CSV file the import page takes.
	MaxImportBytes = 5 << 20
	// uploadTTL is how long an uploaded file with problems is kept for
	// "Import the valid rows".
	uploadTTL = 30 * time.Minute
	// jobTTL is how long a finished import's results stay viewable.
	jobTTL = time.Hour
	// maxUploadsPerSession bounds the files a session keeps (the
	// oldest go first).
	maxUploadsPerSession = 5
)

// importUpload is a file kept between its check and "Import the valid
// rows": only its bytes are kept, so the second POST checks it again.
type importUpload struct {
	id, sessionID, inst, name string
	data                      []byte
	expires                   time.Time
}

// importJob is one import running or done.
type importJob struct {
	id, sessionID, inst, name string
	validOnly                 bool

	mu          sync.Mutex
	done, total int
	finished    bool
	result      *bulkusers.Result
	err         error
	expires     time.Time // set when finished
}

// importStore holds uploads and jobs in memory, each tied to the session
// that made it: another session's id finds nothing.
type importStore struct {
	mu      sync.Mutex
	uploads map[string]*importUpload
	jobs    map[string]*importJob
	now     func() time.Time
}

func newImportStore(now func() time.Time) *importStore {
	return &importStore{uploads: map[string]*importUpload{}, jobs: map[string]*importJob{}, now: now}
}

// prune drops expired uploads and finished jobs; s.mu is held.
func (s *importStore) prune() {
	now := s.now()
	for id, u := range s.uploads {
		if now.After(u.expires) {
			delete(s.uploads, id)
		}
	}
	for id, j := range s.jobs {
		j.mu.Lock()
		gone := j.finished && now.After(j.expires)
		j.mu.Unlock()
		if gone {
			delete(s.jobs, id)
		}
	}
}

func (s *importStore) addUpload(u *importUpload) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prune()
	u.id, u.expires = randomToken(), s.now().Add(uploadTTL)
	var oldest *importUpload
	n := 0
	for _, o := range s.uploads {
		if o.sessionID == u.sessionID {
			n++
			if oldest == nil || o.expires.Before(oldest.expires) {
				oldest = o
			}
		}
	}
	if n >= maxUploadsPerSession {
		delete(s.uploads, oldest.id)
	}
	s.uploads[u.id] = u
}

func (s *importStore) upload(sessionID, inst, id string) *importUpload {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prune()
	if u := s.uploads[id]; u != nil && u.sessionID == sessionID && u.inst == inst {
		return u
	}
	return nil
}

func (s *importStore) job(sessionID, inst, id string) *importJob {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prune()
	if j := s.jobs[id]; j != nil && j.sessionID == sessionID && j.inst == inst {
		return j
	}
	return nil
}

func (s *importStore) removeUpload(id string) {
	s.mu.Lock()
	delete(s.uploads, id)
	s.mu.Unlock()
}

func (s *importStore) addJob(j *importJob) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prune()
	j.id = randomToken()
	s.jobs[j.id] = j
}

// importView is what the import template shows.
type importView struct {
	MaxMB    int
	File     string
	Rows     int
	Valid    int
	Errors   []importError
	UploadID string
}

type importError struct {
	Row     int
	Column  string
	Message string
}

func importPath(inst string, parts ...string) string {
	return instPath(inst, append([]string{"users", "import"}, parts...)...)
}

func (h *Handler) importPage(w http.ResponseWriter, r *http.Request, s *session) {
	inst := r.PathValue("inst")
	h.render(w, r, http.StatusOK, "import", page{Title: "Import users", Session: s, Instance: inst, Data: &importView{MaxMB: MaxImportBytes >> 20}})
}

// signedUpload is signed for a multipart POST: signed checks the CSRF
// token of a urlencoded form, which a file upload is not, and limits a
// form to 1 MiB. The body is limited here to the file's limit and a
// little for the other parts.
func (h *Handler) signedUpload(next func(http.ResponseWriter, *http.Request, *session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s := h.session(w, r)
		if s == nil {
			h.render(w, r, http.StatusForbidden, "error", page{Title: "Signed out", Error: "Your session has ended: sign in again."})
			return
		}
		inst := r.PathValue("inst")
		r.Body = http.MaxBytesReader(w, r.Body, MaxImportBytes+64<<10)
		err := r.ParseMultipartForm(MaxImportBytes + 64<<10)
		if r.MultipartForm != nil {
			defer r.MultipartForm.RemoveAll()
		}
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.render(w, r, http.StatusRequestEntityTooLarge, "import", page{Title: "Import users", Session: s, Instance: inst,
				Error: fmt.Sprintf("The file is larger than %d MB, the most the console takes: split it into smaller files.", MaxImportBytes>>20),
				Data:  &importView{MaxMB: MaxImportBytes >> 20}})
			return
		}
		if err != nil || !tokenEqual(formValue(r, CSRFField), s.csrf) {
			h.render(w, r, http.StatusForbidden, "error", page{Title: "Refused", Error: "The form's security token is missing or wrong; reload the page and try again.", Session: s})
			return
		}
		next(w, withRemote(r), s)
	}
}

func formValue(r *http.Request, key string) string {
	if r.MultipartForm == nil || len(r.MultipartForm.Value[key]) == 0 {
		return ""
	}
	return r.MultipartForm.Value[key][0]
}

// importUpload checks an uploaded file; with no problem it starts the
// import, else it shows the problems and keeps the file for "Import the
// valid rows".
func (h *Handler) importUpload(w http.ResponseWriter, r *http.Request, s *session) {
	inst := r.PathValue("inst")
	pg := page{Title: "Import users", Session: s, Instance: inst}
	view := &importView{MaxMB: MaxImportBytes >> 20}
	pg.Data = view
	files := r.MultipartForm.File["file"]
	if len(files) != 1 {
		pg.Error = "Choose one CSV file to upload."
		h.render(w, r, http.StatusBadRequest, "import", pg)
		return
	}
	fh := files[0]
	if fh.Size > MaxImportBytes {
		pg.Error = fmt.Sprintf("The file is larger than %d MB, the most the console takes: split it into smaller files.", MaxImportBytes>>20)
		h.render(w, r, http.StatusRequestEntityTooLarge, "import", pg)
		return
	}
	f, err := fh.Open()
	if err != nil {
		pg.Error = "The file could not be read."
		h.render(w, r, http.StatusBadRequest, "import", pg)
		return
	}
	var buf bytes.Buffer
	_, err = buf.ReadFrom(f)
	f.Close()
	if err != nil {
		pg.Error = "The file could not be read."
		h.render(w, r, http.StatusBadRequest, "import", pg)
		return
	}
	h.checkAndImport(w, r, s, inst, fh.Filename, buf.Bytes(), false)
}

// importValid imports the valid rows of a kept file, after checking it
// again: the instance may have changed since.
func (h *Handler) importValid(w http.ResponseWriter, r *http.Request, s *session) {
	inst := r.PathValue("inst")
	u := h.imports.upload(s.id, inst, r.PathValue("upload"))
	if u == nil {
		h.render(w, r, http.StatusNotFound, "import", page{Title: "Import users", Session: s, Instance: inst,
			Error: fmt.Sprintf("The uploaded file is no longer kept (files are kept %d minutes): upload it again.", int(uploadTTL/time.Minute)),
			Data:  &importView{MaxMB: MaxImportBytes >> 20}})
		return
	}
	h.imports.removeUpload(u.id)
	h.checkAndImport(w, r, s, inst, u.name, u.data, true)
}

func (h *Handler) checkAndImport(w http.ResponseWriter, r *http.Request, s *session, inst, name string, data []byte, validOnly bool) {
	pg := page{Title: "Import users", Session: s, Instance: inst}
	view := &importView{MaxMB: MaxImportBytes >> 20, File: name}
	pg.Data = view
	file, err := bulkusers.Parse(bytes.NewReader(data))
	if err != nil {
		pg.Error = "The file is not a bulk user template: " + err.Error()
		h.render(w, r, http.StatusBadRequest, "import", pg)
		return
	}
	caller := newSignedCaller(h, s)
	// CreateUser's own rules (an e-mail's form, a desk phone's number, ...)
	// are checked with the rows, in the session's account, as the
	// command line checks them; they only read.
	plan, err := bulkusers.PlanWith(r.Context(), caller, h.cfg.CheckCreateUser, switchboard.Scope{Account: s.account, Region: s.region}, inst, file)
	if err != nil {
		pg.Error = "The file could not be checked: " + apiMessage(err)
		status := http.StatusBadGateway
		var ae interface{ HTTPStatus() int }
		if errors.As(err, &ae) && ae.HTTPStatus() >= 400 {
			status = ae.HTTPStatus()
		}
		h.render(w, r, status, "import", pg)
		return
	}
	view.Rows, view.Valid = len(plan.Rows), plan.Valid()
	errs := plan.Errors()
	if len(errs) > 0 && !validOnly {
		for _, e := range errs {
			view.Errors = append(view.Errors, importError{Row: e.Row, Column: e.Column, Message: fmt.Sprint(e.Err)})
		}
		u := &importUpload{sessionID: s.id, inst: inst, name: name, data: data}
		h.imports.addUpload(u)
		view.UploadID = u.id
		pg.Error = fmt.Sprintf("%d problems in %d of %d rows; no user was created.", len(errs), len(plan.Rows)-plan.Valid(), len(plan.Rows))
		h.render(w, r, http.StatusUnprocessableEntity, "import", pg)
		return
	}
	if plan.Valid() == 0 {
		pg.Error = "No row of the file is valid: nothing to import."
		h.render(w, r, http.StatusUnprocessableEntity, "import", pg)
		return
	}
	j := &importJob{sessionID: s.id, inst: inst, name: name, validOnly: validOnly, total: plan.Valid()}
	h.imports.addJob(j)
	// The import outlives the request that started it, not the values
	// its calls carry (the browser's address).
	ctx := context.WithoutCancel(r.Context())
	go func() {
		res, err := bulkusers.Apply(ctx, plan, func(done, total int) {
			j.mu.Lock()
			j.done, j.total = done, total
			j.mu.Unlock()
		}, validOnly)
		j.mu.Lock()
		j.result, j.err, j.finished, j.expires = res, err, true, h.imports.now().Add(jobTTL)
		j.mu.Unlock()
	}()
	http.Redirect(w, r, importPath(inst, "jobs", j.id), http.StatusSeeOther)
}

// importProgress is the progress endpoint's answer.
type importProgress struct {
	Done     int  `json:"done"`
	Total    int  `json:"total"`
	Finished bool `json:"finished"`
	Created  int  `json:"created"`
	Failed   int  `json:"failed"`
}

func (j *importJob) progress() importProgress {
	j.mu.Lock()
	defer j.mu.Unlock()
	p := importProgress{Done: j.done, Total: j.total, Finished: j.finished}
	if j.result != nil {
		p.Created = j.result.Count(bulkusers.Created)
		p.Failed = j.result.Count(bulkusers.Failed)
	}
	return p
}

func (h *Handler) importJobProgress(w http.ResponseWriter, r *http.Request, s *session) {
	j := h.imports.job(s.id, r.PathValue("inst"), r.PathValue("job"))
	if j == nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"error":"no such import"}`))
		return
	}
	b, _ := json.Marshal(j.progress())
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

// jobView is what the import's page shows.
type jobView struct {
	importProgress
	File, ProgressHref, Summary string
	ValidOnly                   bool
	Percent                     int
	Results                     []jobRow
}

type jobRow struct {
	Row                      int
	Username, Status, Detail string
}

func (h *Handler) importJobPage(w http.ResponseWriter, r *http.Request, s *session) {
	inst := r.PathValue("inst")
	j := h.imports.job(s.id, inst, r.PathValue("job"))
	if j == nil {
		h.render(w, r, http.StatusNotFound, "error", page{Title: "Not found", Session: s, Instance: inst,
			Error: fmt.Sprintf("There is no such import, or its results are gone (they are kept %d minutes).", int(jobTTL/time.Minute))})
		return
	}
	v := &jobView{importProgress: j.progress(), File: j.name, ValidOnly: j.validOnly, ProgressHref: importPath(inst, "jobs", j.id, "progress")}
	if v.Total > 0 {
		v.Percent = v.Done * 100 / v.Total
	}
	pg := page{Title: "Importing users", Session: s, Instance: inst, Data: v}
	if v.Finished {
		pg.Title = "Import finished"
		j.mu.Lock()
		res, err := j.result, j.err
		j.mu.Unlock()
		if res != nil {
			for _, row := range res.Rows {
				jr := jobRow{Row: row.Row, Username: row.Username, Status: string(row.Status)}
				if row.Err != nil {
					jr.Detail = fmt.Sprint(row.Err)
				} else if row.UserID != "" {
					jr.Detail = row.UserID
				}
				v.Results = append(v.Results, jr)
			}
		}
		v.Summary = fmt.Sprintf("%d users created", v.Created)
		if v.Failed > 0 {
			v.Summary += fmt.Sprintf(", %d rows refused", v.Failed)
		}
		if res != nil {
			if n := res.Count(bulkusers.Invalid); n > 0 {
				v.Summary += fmt.Sprintf(", %d invalid rows left out", n)
			}
		}
		if err != nil {
			pg.Error = strings.TrimSpace(err.Error())
		}
	}
	h.render(w, r, http.StatusOK, "importjob", pg)
}
