package e2e

// The console's bulk user import (console/import.go) end to end: a real
// server on loopback, a browser played by an http.Client with a cookie
// jar, and the Go SDK to check what was created.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-dev/switchboard/switchboardtest"
)

const importHeader = "first name,last name,email address,password,user login,routing profile name,security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number,soft phone auto accept (yes/no),ACW timeout (seconds)\n"

// importCSV is a file of n users; user i auto-accepts when i is even and
// has an ACW limit of i seconds. badRow (a file row number, 0: none) names
// a routing profile that does not exist.
func importCSV(n, badRow int) []byte {
	var b strings.Builder
	b.WriteString(importHeader)
	for i := range n {
		routing := "Basic Routing Profile"
		if i+2 == badRow {
			routing = "Gold Profile"
		}
		auto := "no"
		if i%2 == 0 {
			auto = "yes"
		}
		fmt.Fprintf(&b, "First%d,Last%d,imp%03d@example.com,Str0ngPassw0rd,imp%03d,%s,Agent,soft,,%s,%d\n", i, i, i, i, routing, auto, i)
	}
	return []byte(b.String())
}

// upload POSTs file to the import page as a browser's form would, with
// csrf as the form's token ("" : none).
func (b *consoleBrowser) upload(inst, csrf string, file []byte) (*http.Response, string) {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if csrf != "" {
		w.WriteField("csrf", csrf)
	}
	fw, _ := w.CreateFormFile("file", "users.csv")
	fw.Write(file)
	w.Close()
	req, _ := http.NewRequest("POST", b.base+"/console/i/"+inst+"/users/import", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	return resp, string(page)
}

var importErrorRow = regexp.MustCompile(`<tr data-row="(\d+)" data-column="([^"]*)"><td>\d+</td><td>[^<]*</td><td>([^<]*)</td></tr>`)

type importProgressJSON struct {
	Done, Total, Created, Failed int
	Finished                     bool
}

// waitImport polls the import page's progress endpoint until the import
// has finished, and returns the last progress and the finished page.
func (b *consoleBrowser) waitImport(jobPath string) (importProgressJSON, string) {
	b.t.Helper()
	var p importProgressJSON
	for deadline := time.Now().Add(60 * time.Second); ; {
		resp, body := b.get(jobPath + "/progress")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
			b.t.Fatalf("progress: %d %s", resp.StatusCode, body)
		}
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			b.t.Fatal(err)
		}
		if p.Finished {
			break
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("the import did not finish: %+v", p)
		}
		time.Sleep(50 * time.Millisecond)
	}
	_, page := b.get(jobPath)
	return p, page
}

func csrfOfPage(t testing.TB, page string) string {
	t.Helper()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form token:\n%s", page)
	}
	return m[1]
}

func countUsers(t testing.TB, c *connect.Client, inst string) int {
	t.Helper()
	n := 0
	p := connect.NewListUsersPaginator(c, &connect.ListUsersInput{InstanceId: &inst})
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		n += len(out.UserSummaryList)
	}
	return n
}

func TestConsoleImportUsers(t *testing.T) {
	srv := switchboardtest.New(t)
	inst := srv.CreateInstance(t, "console-import")
	b := newConsoleBrowser(t, srv.URL)
	_, page := b.get("/console/i/" + inst.ID + "/users")
	if !strings.Contains(page, `href="/console/i/`+inst.ID+`/users/import"`) {
		t.Fatal("the users page does not link the import page")
	}
	_, page = b.get("/console/i/" + inst.ID + "/users/import")
	csrf := csrfOfPage(t, page)
	file := importCSV(200, 57)

	t.Run("without the CSRF token the upload is refused", func(t *testing.T) {
		resp, page := b.upload(inst.ID, "", file)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "security token") {
			t.Fatalf("status %d:\n%s", resp.StatusCode, page)
		}
		if resp, _ := b.upload(inst.ID, "wrong", file); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("a wrong token: status %d", resp.StatusCode)
		}
	})
	t.Run("an oversized file is refused", func(t *testing.T) {
		big := append(importCSV(1, 0), bytes.Repeat([]byte("x"), 6<<20)...)
		resp, page := b.upload(inst.ID, csrf, big)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, "larger than 5 MB") {
			t.Fatalf("status %d:\n%.2000s", resp.StatusCode, page)
		}
	})

	t.Run("CreateUser's own rules are checked with the rows", func(t *testing.T) {
		// An e-mail the model's pattern lets through but CreateUser
		// refuses: reported at upload, before anything is created.
		bad := strings.Replace(string(importCSV(3, 0)), "imp001@example.com", "imp001@@example", 1)
		resp, page := b.upload(inst.ID, csrf, []byte(bad))
		rows := importErrorRow.FindAllStringSubmatch(page, -1)
		if resp.StatusCode != http.StatusUnprocessableEntity || len(rows) != 1 || rows[0][1] != "3" || rows[0][2] != "email address" {
			t.Fatalf("status %d, problems %q:\n%.3000s", resp.StatusCode, rows, page)
		}
		if n := countUsers(t, srv.Client(), inst.ID); n != 0 {
			t.Fatalf("%d users created", n)
		}
	})

	resp, page := b.upload(inst.ID, csrf, file)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d:\n%s", resp.StatusCode, page)
	}
	rows := importErrorRow.FindAllStringSubmatch(page, -1)
	if len(rows) != 1 || rows[0][1] != "57" || rows[0][2] != "routing profile name" ||
		html.UnescapeString(rows[0][3]) != `no routing profile of the instance is named "Gold Profile"` {
		t.Fatalf("problems shown: %q\n%s", rows, page)
	}
	if n := countUsers(t, srv.Client(), inst.ID); n != 0 {
		t.Fatalf("a file with a problem created %d users", n)
	}
	m := regexp.MustCompile(`action="(/console/i/[^"]+/users/import/[0-9a-f]+/valid)"`).FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, "Import the valid rows (199)") {
		t.Fatalf("no \"Import the valid rows\" form:\n%s", page)
	}
	validPath := m[1]
	if resp, _ := b.do("POST", validPath, url.Values{}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("import the valid rows without the token: status %d", resp.StatusCode)
	}
	if n := countUsers(t, srv.Client(), inst.ID); n != 0 {
		t.Fatalf("a refused POST created %d users", n)
	}
	resp, page = b.do("POST", validPath, url.Values{"csrf": {csrf}})
	if resp.StatusCode != 200 || !strings.Contains(resp.Request.URL.Path, "/users/import/jobs/") {
		t.Fatalf("status %d at %s:\n%s", resp.StatusCode, resp.Request.URL, page)
	}
	if !strings.Contains(page, `<script src="/console/static/import.js" defer></script>`) && !strings.Contains(page, `id="import-results"`) {
		t.Fatalf("the running import's page has no progress script:\n%s", page)
	}
	p, page := b.waitImport(resp.Request.URL.Path)
	if p.Done != 199 || p.Total != 199 || p.Created != 199 || p.Failed != 0 {
		t.Fatalf("progress at the end: %+v", p)
	}
	if !strings.Contains(page, "199 users created") || strings.Count(page, `data-status="created"`) != 199 ||
		!strings.Contains(page, `<tr data-row="57" data-status="invalid">`) {
		t.Fatalf("the results page:\n%s", page)
	}
	if n := countUsers(t, srv.Client(), inst.ID); n != 199 {
		t.Fatalf("%d users created, want 199", n)
	}
	// Read a few back: what the file said, through the SDK.
	c := srv.Client()
	for _, i := range []int{0, 1, 54, 56, 198} {
		name := fmt.Sprintf("imp%03d", i)
		out, err := c.SearchUsers(context.Background(), &connect.SearchUsersInput{InstanceId: &inst.ID,
			SearchCriteria: &types.UserSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String("Username"), Value: &name, ComparisonType: types.StringComparisonTypeExact}}})
		if err != nil || len(out.Users) != 1 {
			t.Fatalf("%s: %v %d", name, err, len(out.Users))
		}
		d, err := c.DescribeUser(context.Background(), &connect.DescribeUserInput{InstanceId: &inst.ID, UserId: out.Users[0].Id})
		if err != nil {
			t.Fatal(err)
		}
		u := d.User
		pc := u.PhoneConfig
		if aws.ToString(u.Username) != name || aws.ToString(u.IdentityInfo.FirstName) != fmt.Sprintf("First%d", i) ||
			aws.ToString(u.IdentityInfo.Email) != fmt.Sprintf("imp%03d@example.com", i) ||
			aws.ToString(u.RoutingProfileId) != inst.BasicRoutingProfileID ||
			len(u.SecurityProfileIds) != 1 || u.SecurityProfileIds[0] != inst.SecurityProfileIDs["Agent"] ||
			pc == nil || pc.PhoneType != types.PhoneTypeSoftPhone || pc.AutoAccept != (i%2 == 0) || pc.AfterContactWorkTimeLimit != int32(i) {
			t.Fatalf("%s as created: %+v, phone %+v", name, u, pc)
		}
	}
	// The kept file is gone once imported.
	if resp, _ := b.do("POST", validPath, url.Values{"csrf": {csrf}}); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("importing the same upload twice: status %d", resp.StatusCode)
	}
	// Another browser cannot see the import.
	other := newConsoleBrowser(t, srv.URL)
	if resp, _ := other.get(strings.TrimSuffix(resp.Request.URL.Path, "/") + "/progress"); resp.StatusCode == 200 {
		t.Fatal("another session read the import's progress")
	}
}

func TestConsoleImportDeniedCreateUser(t *testing.T) {
	srv := switchboardtest.New(t, switchboardtest.WithAccounts(switchboardtest.Account{ID: "111111111111", AccessKeys: []switchboardtest.AccessKey{
		{ID: "AKIDADMIN", Secret: "admin-secret"},
		{ID: "AKIDNOCREATE", Secret: "nocreate-secret", Policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"connect:*","Resource":"*"},{"Effect":"Deny","Action":"connect:CreateUser","Resource":"*"}]}`},
	}}))
	inst := srv.CreateInstance(t, "import-denied")
	signIn := func(key, secret string) (*consoleBrowser, string) {
		b := newConsoleBrowser(t, srv.URL)
		if resp, _ := b.submit("/console/signin", url.Values{"accessKeyId": {key}, "secretAccessKey": {secret}, "region": {"us-east-1"}}); resp.Request.URL.Path != "/console/" {
			t.Fatalf("sign-in as %s ended at %s", key, resp.Request.URL)
		}
		_, page := b.get("/console/i/" + inst.ID + "/users/import")
		return b, csrfOfPage(t, page)
	}
	const denied = "AccessDeniedException: User: arn:aws:iam::111111111111:user/AKIDNOCREATE is not authorized to perform: connect:CreateUser"
	file := importCSV(5, 0)

	b, csrf := signIn("AKIDNOCREATE", "nocreate-secret")
	t.Run("every row of a clean file", func(t *testing.T) {
		resp, _ := b.upload(inst.ID, csrf, file)
		if resp.StatusCode != 200 || !strings.Contains(resp.Request.URL.Path, "/jobs/") {
			t.Fatalf("status %d at %s", resp.StatusCode, resp.Request.URL)
		}
		p, page := b.waitImport(resp.Request.URL.Path)
		// An import of every row stops at the first refusal: the rest are
		// not attempted, nothing is created.
		if p.Created != 0 || !strings.Contains(html.UnescapeString(page), denied) {
			t.Fatalf("%+v\n%s", p, page)
		}
		if n := countUsers(t, srv.Client(), inst.ID); n != 0 {
			t.Fatalf("a key denied CreateUser created %d users", n)
		}
	})
	t.Run("every valid row, one by one", func(t *testing.T) {
		bad := importCSV(6, 7)
		_, page := b.upload(inst.ID, csrf, bad)
		m := regexp.MustCompile(`action="(/console/i/[^"]+/valid)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no valid-rows form:\n%s", page)
		}
		resp, _ := b.do("POST", m[1], url.Values{"csrf": {csrf}})
		p, page := b.waitImport(resp.Request.URL.Path)
		if p.Created != 0 || p.Failed != 5 || strings.Count(html.UnescapeString(page), denied) != 5 {
			t.Fatalf("%+v\n%s", p, page)
		}
		if n := countUsers(t, srv.Client(), inst.ID); n != 0 {
			t.Fatalf("a key denied CreateUser created %d users", n)
		}
	})
	t.Run("the same file with a permitted key", func(t *testing.T) {
		b, csrf := signIn("AKIDADMIN", "admin-secret")
		resp, _ := b.upload(inst.ID, csrf, file)
		p, page := b.waitImport(resp.Request.URL.Path)
		if p.Created != 5 || p.Total != 5 {
			t.Fatalf("%+v\n%s", p, page)
		}
		if n := countUsers(t, srv.Client(), inst.ID); n != 5 {
			t.Fatalf("%d users, want 5", n)
		}
	})
}
