package console_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/connect"

	"github.com/switchboard-dev/switchboard/console"
	"github.com/switchboard-dev/switchboard/switchboardtest"
)

func (b *browser) upload(inst, csrf string, file []byte) (*http.Response, string) {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if csrf != "" {
		w.WriteField(console.CSRFField, csrf)
	}
	fw, _ := w.CreateFormFile("file", "users.csv")
	fw.Write(file)
	w.Close()
	req, _ := http.NewRequest("POST", b.base+"/console/i/"+inst+"/users/import", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

const smallImport = "first name,last name,password,user login,routing profile name,security_profile_name_1|security_profile_name_2,soft phone auto accept (yes/no),ACW timeout (seconds)\n" +
	"Ann,One,Str0ngPassw0rd,ann,Basic Routing Profile,Agent,yes,10\n" +
	"Bob,Two,Str0ngPassw0rd,bob,Basic Routing Profile,Agent,no,20\n"

func TestImportPage(t *testing.T) {
	srv := switchboardtest.New(t, accounts())
	inst := srv.CreateInstance(t, "console-import")
	b := newBrowser(t, srv.URL)
	b.signIn("AKIDADMIN", "admin-secret")
	_, page := b.get("/console/i/" + inst.ID + "/users/import")
	csrf := csrfOf(t, page)
	if !strings.Contains(page, `enctype="multipart/form-data"`) {
		t.Fatalf("no upload form:\n%s", page)
	}

	t.Run("refused without the token", func(t *testing.T) {
		if resp, _ := b.upload(inst.ID, "", []byte(smallImport)); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
	t.Run("refused over the size limit", func(t *testing.T) {
		big := append([]byte(smallImport), bytes.Repeat([]byte("#"), console.MaxImportBytes)...)
		resp, page := b.upload(inst.ID, csrf, big)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, "larger than 5 MB") {
			t.Fatalf("status %d:\n%.1000s", resp.StatusCode, page)
		}
	})
	t.Run("a read-only key may check but not create", func(t *testing.T) {
		r := newBrowser(t, srv.URL)
		r.signIn("AKIDREAD", "read-secret")
		_, page := r.get("/console/i/" + inst.ID + "/users/import")
		resp, _ := r.upload(inst.ID, csrfOf(t, page), []byte(smallImport))
		job := resp.Request.URL.Path
		for {
			_, body := r.get(job + "/progress")
			if strings.Contains(body, `"finished":true`) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		_, page = r.get(job)
		if !strings.Contains(page, "AccessDeniedException") || !strings.Contains(page, `data-status="not attempted"`) {
			t.Fatalf("results:\n%s", page)
		}
		out, err := srv.Client().ListUsers(t.Context(), &connect.ListUsersInput{InstanceId: &inst.ID})
		if err != nil || len(out.UserSummaryList) != 0 {
			t.Fatalf("%v: %d users", err, len(out.UserSummaryList))
		}
	})

	resp, page := b.upload(inst.ID, csrf, []byte(smallImport))
	job := resp.Request.URL.Path
	if resp.StatusCode != 200 || !strings.Contains(job, "/users/import/jobs/") {
		t.Fatalf("status %d at %s:\n%s", resp.StatusCode, job, page)
	}
	if !strings.Contains(page, `id="import-results"`) {
		// Still running: the page works with and without JavaScript.
		for _, want := range []string{`<script src="/console/static/import.js" defer></script>`, `<noscript><meta http-equiv="refresh" content="2"></noscript>`, `id="import-reload"`} {
			if !strings.Contains(page, want) {
				t.Fatalf("the running import's page lacks %s:\n%s", want, page)
			}
		}
	}
	var p struct {
		Done, Total, Created int
		Finished             bool
	}
	for deadline := time.Now().Add(30 * time.Second); !p.Finished; {
		resp, body := b.get(job + "/progress")
		if resp.Header.Get("Content-Type") != "application/json" || json.Unmarshal([]byte(body), &p) != nil {
			t.Fatalf("progress: %s %s", resp.Header.Get("Content-Type"), body)
		}
		if time.Now().After(deadline) {
			t.Fatal("the import did not finish")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if p.Done != 2 || p.Total != 2 || p.Created != 2 {
		t.Fatalf("progress %+v", p)
	}
	_, page = b.get(job)
	if strings.Count(page, `data-status="created"`) != 2 || strings.Contains(page, "import.js") {
		t.Fatalf("the finished page:\n%s", page)
	}
	resp, err := http.Get(srv.URL + "/console/static/import.js")
	if err != nil {
		t.Fatal(err)
	}
	js, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(js, []byte("import-progress")) {
		t.Fatalf("import.js: %d", resp.StatusCode)
	}
	other := newBrowser(t, srv.URL)
	other.signIn("AKIDADMIN", "admin-secret")
	if resp, _ := other.get(job); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("another session saw the import: %d", resp.StatusCode)
	}
}
