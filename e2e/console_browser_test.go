package e2e

// The console in a real browser: headless Chromium driven by chromedp
// through sign-in, the user form (with channel settings, and a validation
// error shown at its field), the bulk import of 200 users with one bad row,
// the dashboard refreshing itself as a task queues, and the agent panel
// accepting and finishing that task. The Go SDK checks what the pages did.
//
// The browser is $CHROMIUM, else /usr/bin/chromium, else chromium or
// chromium-browser on PATH. Without one the test skips, except under CI=true
// where it fails: scripts/test.sh installs Debian's chromium first. Each page
// visited is saved as a PNG in $SWITCHBOARD_SCREENSHOTS (scripts/test.sh:
// artifacts/screenshots/), else in a temporary directory.

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/chromedp/chromedp"

	"github.com/switchboard-dev/switchboard/switchboardtest"
)

// css selects the first element matching a CSS selector.
func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

// findChromium returns the browser to drive, or "" when there is none.
func findChromium() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// headless is one Chromium tab and where its screenshots go.
type headless struct {
	t     *testing.T
	ctx   context.Context
	dir   string
	shots int
}

func newHeadless(t *testing.T) *headless {
	t.Helper()
	path := findChromium()
	if path == "" {
		msg := "no Chromium: set CHROMIUM, or install Debian's chromium (apt-get install -y chromium; scripts/test.sh does it as root)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + "; CI=true, so the browser tests must run")
		}
		t.Skip(msg)
	}
	dir := os.Getenv("SWITCHBOARD_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], // headless among them
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root
		chromedp.WindowSize(1280, 900),
		chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	h := &headless{t: t, ctx: ctx, dir: dir}
	// The first run starts the browser, which lives as long as its
	// context: no timeout on this one (chromedp.Run's rule).
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	t.Logf("Chromium %s; screenshots in %s", path, dir)
	return h
}

// run runs actions within d, failing the test (named by what) if they
// fail or time out.
func (h *headless) run(what string, d time.Duration, actions ...chromedp.Action[chromedp.Void]) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(h.ctx, d)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		loc, _ := chromedp.Run(h.ctx, chromedp.Location())
		h.shot("failed-" + what)
		h.t.Fatalf("%s (at %s): %v", what, loc, err)
	}
}

// shot saves the whole page as <n>-<name>.png and returns its path.
func (h *headless) shot(name string) string {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(h.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil { // quality 100: PNG
		h.t.Errorf("screenshot %s: %v", name, err)
		return ""
	}
	h.shots++
	path := filepath.Join(h.dir, fmt.Sprintf("%02d-%s.png", h.shots, strings.ReplaceAll(name, " ", "-")))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		h.t.Error(err)
	}
	return path
}

// eval returns the value of a JavaScript expression in the page.
func eval[T any](h *headless, expr string) T {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(h.ctx, 5*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		h.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// waitFor evaluates a JavaScript expression every 100 ms until it yields
// want, for up to d.
func (h *headless) waitFor(what, expr, want string, d time.Duration) {
	h.t.Helper()
	for deadline := time.Now().Add(d); ; {
		got := eval[string](h, expr)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			h.shot("failed-" + what)
			h.t.Fatalf("%s: after %v %s is %q, want %q", what, d, expr, got, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// userByName finds a user of the instance by username through the SDK.
func userByName(t *testing.T, c *connect.Client, inst, name string) *types.User {
	t.Helper()
	out, err := c.SearchUsers(context.Background(), &connect.SearchUsersInput{InstanceId: &inst,
		SearchCriteria: &types.UserSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String("Username"), Value: &name, ComparisonType: types.StringComparisonTypeExact}}})
	if err != nil || len(out.Users) != 1 {
		t.Fatalf("%s: %v, %d found", name, err, len(out.Users))
	}
	d, err := c.DescribeUser(context.Background(), &connect.DescribeUserInput{InstanceId: &inst, UserId: out.Users[0].Id})
	if err != nil {
		t.Fatal(err)
	}
	return d.User
}

func TestConsoleBrowser(t *testing.T) {
	began := time.Now()
	h := newHeadless(t)
	srv := switchboardtest.New(t, switchboardtest.WithVirtualClock(time.Date(2030, 1, 7, 9, 0, 0, 0, time.UTC)), dashboardAccounts())
	c := context.Background()
	client := srv.Client()
	inst := srv.CreateInstance(t, "browser")
	agent := srv.CreateAgent(t, inst, switchboardtest.Agent{Username: "ana", Offline: true})
	content := fmt.Sprintf(`{"Version":"2019-10-30","StartAction":"q","Actions":[
 {"Identifier":"q","Type":"UpdateContactTargetQueue","Parameters":{"QueueId":"%s"},"Transitions":{"NextAction":"xfer","Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},
 {"Identifier":"xfer","Type":"TransferContactToQueue","Parameters":{},"Transitions":{"NextAction":"bye","Errors":[{"NextAction":"bye","ErrorType":"QueueAtCapacity"},{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},
 {"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`, inst.BasicQueueID)
	flow, err := client.CreateContactFlow(c, &connect.CreateContactFlowInput{InstanceId: &inst.ID, Name: aws.String("to basic queue"),
		Type: types.ContactFlowTypeContactFlow, Content: &content})
	if err != nil {
		t.Fatal(err)
	}
	base := srv.URL + "/console/i/" + inst.ID
	const wait = 10 * time.Second

	// 1. The sign-in form, really used: the server has no built-in key.
	h.run("opening the console", wait, chromedp.Navigate(srv.URL+"/console/"), chromedp.WaitVisible(css(`#signin`)))
	h.shot("signin")
	h.run("signing in", wait,
		chromedp.SetValue(css(`#signin input[name=accessKeyId]`), "AKIDADMIN"),
		chromedp.SetValue(css(`#signin input[name=secretAccessKey]`), "admin-secret"),
		chromedp.SetValue(css(`#signin input[name=region]`), "us-east-1"),
		chromedp.Click(css(`#signin button[type=submit]`)),
		chromedp.WaitVisible(css(`a[href="/console/i/`+inst.ID+`/"]`)))
	h.shot("instances")

	// 2. A user with per-channel settings, through the form.
	h.run("opening the user form", wait, chromedp.Navigate(base+"/users/new"), chromedp.WaitVisible(css(`#user-form`)))
	h.shot("user-form-new")
	// fill fills in the form for a user: with per-channel settings, or
	// with only the phone's after contact work limit (the API takes one
	// or the other).
	fill := func(username, phoneACW string) chromedp.Action[chromedp.Void] {
		steps := []chromedp.Action[chromedp.Void]{
			chromedp.SetValue(css(`#user-form input[name=username]`), username),
			chromedp.SetValue(css(`#user-form input[name=password]`), "Str0ngPassw0rd"),
			chromedp.SetValue(css(`#user-form input[name="identityinfo.firstname"]`), "Mary"),
			chromedp.SetValue(css(`#user-form input[name="identityinfo.lastname"]`), "Major"),
			chromedp.SetValue(css(`#user-form select[name=routingprofileid]`), inst.BasicRoutingProfileID),
			chromedp.Click(css(`#user-form input[name=securityprofileids][value="` + inst.SecurityProfileIDs["Agent"] + `"]`)),
		}
		if phoneACW != "" {
			return chromedp.Steps(append(steps, chromedp.SetValue(css(`#user-form input[name="phoneconfig.aftercontactworktimelimit"]`), phoneACW))...)
		}
		return chromedp.Steps(append(steps,
			chromedp.SetValue(css(`#user-form select[name="aa.VOICE"]`), "true"),
			chromedp.SetValue(css(`#user-form select[name="aa.CHAT"]`), "false"),
			chromedp.SetValue(css(`#user-form input[name="acw.VOICE"]`), "30"),
			chromedp.SetValue(css(`#user-form input[name="acw.CHAT"]`), "15"),
			chromedp.SetValue(css(`#user-form select[name="ve.VOICE"]`), "NOISE_SUPPRESSION"),
		)...)
	}
	h.run("creating a user", wait, fill("mary.major", ""), chromedp.Click(css(`#user-form button[type=submit]`)),
		chromedp.WaitVisible(css(`#notice`)))
	notice := eval[string](h, `document.getElementById("notice").textContent`)
	h.shot("user-created")
	if notice != "The user was created." {
		t.Fatalf("notice %q", notice)
	}
	u := userByName(t, client, inst.ID, "mary.major")
	aa, acw := map[types.Channel]bool{}, map[types.Channel]int32{}
	for _, x := range u.AutoAcceptConfigs {
		aa[x.Channel] = x.AutoAccept
	}
	for _, x := range u.AfterContactWorkConfigs {
		acw[x.Channel] = x.AfterContactWorkConfig.AfterContactWorkTimeLimit
	}
	if !aa[types.ChannelVoice] || aa[types.ChannelChat] || acw[types.ChannelVoice] != 30 || acw[types.ChannelChat] != 15 ||
		len(u.VoiceEnhancementConfigs) != 1 || u.VoiceEnhancementConfigs[0].VoiceEnhancementMode != types.VoiceEnhancementModeNoiseSuppression ||
		len(u.SecurityProfileIds) != 1 || u.SecurityProfileIds[0] != inst.SecurityProfileIDs["Agent"] {
		t.Fatalf("created: auto-accept %v, after contact work %v, voice %+v, security %v",
			aa, acw, u.VoiceEnhancementConfigs, u.SecurityProfileIds)
	}

	// 3. An after contact work limit below zero: the API's message, next
	// to that field, with what was typed kept.
	const acwField = "phoneconfig.aftercontactworktimelimit"
	h.run("submitting a bad limit", wait, chromedp.Navigate(base+"/users/new"), chromedp.WaitVisible(css(`#user-form`)),
		fill("mary.minor", "-5"), chromedp.Click(css(`#user-form button[type=submit]`)),
		chromedp.WaitVisible(css(`span.field-error[data-field="`+acwField+`"]`)))
	// The error sits right after the label that holds the field's input.
	atField := eval[struct {
		Message string `json:"message"`
		Input   string `json:"input"`
		Typed   string `json:"typed"`
	}](h, `(() => { const s = document.querySelector('span.field-error[data-field="`+acwField+`"]');
		const i = s.previousElementSibling && s.previousElementSibling.querySelector("input");
		return {message: s.textContent, input: i ? i.name : "", typed: i ? i.value : ""}; })()`)
	h.shot("user-form-error-at-field")
	if !strings.Contains(atField.Message, "phoneConfig.afterContactWorkTimeLimit") || atField.Input != acwField || atField.Typed != "-5" {
		t.Fatalf("the error at its field: %+v", atField)
	}
	if n := countUsers(t, client, inst.ID); n != 2 { // ana and mary.major
		t.Fatalf("%d users after a refused form, want 2", n)
	}

	// 4. Bulk import: 200 rows, row 57 names a routing profile that does
	// not exist; the page says so, then imports the 199 others.
	csv := filepath.Join(t.TempDir(), "users.csv")
	if err := os.WriteFile(csv, importCSV(200, 57), 0o644); err != nil {
		t.Fatal(err)
	}
	h.run("uploading the CSV", wait, chromedp.Navigate(base+"/users/import"), chromedp.WaitVisible(css(`#import-form`)))
	h.shot("import")
	h.run("checking the CSV", wait, chromedp.SetUploadFiles(css(`#import-form input[name=file]`), []string{csv}),
		chromedp.Click(css(`#import-form button[type=submit]`)), chromedp.WaitVisible(css(`#import-errors`)))
	problems := eval[[]string](h, `[...document.querySelectorAll("#import-errors tr[data-row]")].map(r => r.dataset.row + " " + r.dataset.column + ": " + r.cells[2].textContent)`)
	h.shot("import-problems")
	if len(problems) != 1 || problems[0] != `57 routing profile name: no routing profile of the instance is named "Gold Profile"` {
		t.Fatalf("problems shown: %q", problems)
	}
	h.run("importing the valid rows", 45*time.Second, chromedp.Click(css(`#import-valid button[type=submit]`)),
		chromedp.WaitVisible(css(`#import-progress`)),
		chromedp.WaitVisible(css(`#import-summary`))) // import.js reloads the page when done
	summary := eval[string](h, `document.getElementById("import-summary").textContent`)
	created := eval[int](h, `document.querySelectorAll('#import-results tr[data-status="created"]').length`)
	h.shot("import-done")
	if !strings.Contains(summary, "199 users created") || created != 199 {
		t.Fatalf("summary %q, %d rows created", summary, created)
	}
	if n := countUsers(t, client, inst.ID); n != 2+199 {
		t.Fatalf("%d users, want 201", n)
	}

	// 5. The dashboard, open while a task queues with no agent available:
	// its script shows the task without the page being reloaded.
	cellJS := `(() => { const i = [...document.querySelectorAll("#queues thead th")].map(th => th.textContent).indexOf("CONTACTS_IN_QUEUE");
		const tr = document.querySelector('#queues-body tr[data-queue="` + inst.BasicQueueID + `"][data-channel="TASK"]');
		return tr && i >= 0 ? tr.cells[i].textContent : "(no row)"; })()`
	h.run("opening the dashboard", wait, chromedp.Navigate(base+"/dashboard"), chromedp.WaitVisible(css(`#queues-body`)))
	if got := eval[string](h, cellJS); got != "0" {
		t.Fatalf("CONTACTS_IN_QUEUE %q before the task", got)
	}
	h.shot("dashboard-empty")
	eval[bool](h, `window.__notReloaded = true`)
	task, err := client.StartTaskContact(c, &connect.StartTaskContactInput{InstanceId: &inst.ID, Name: aws.String("call back"), ContactFlowId: flow.ContactFlowId})
	if err != nil {
		t.Fatal(err)
	}
	contact := *task.ContactId
	srv.Advance(t, 10*time.Second)
	h.waitFor("the queued task on the dashboard", cellJS, "1", 15*time.Second) // it refreshes every 5 s
	notReloaded := eval[bool](h, `window.__notReloaded === true`)
	h.shot("dashboard-queued-task")
	if !notReloaded {
		t.Fatal("the dashboard was reloaded; its script should have refreshed it")
	}

	// 6. The agent panel: Available, Accept, Hang up, Clear.
	row := `#contacts tr[data-contact="` + contact + `"]`
	h.run("opening the agent panel", wait, chromedp.Navigate(base+"/agent?user="+agent), chromedp.WaitVisible(css(`#status-form`)))
	h.shot("agent-offline")
	h.run("setting the agent Available", wait, chromedp.SetValue(css(`#status-form select[name=status]`), inst.AvailableStatusID),
		chromedp.Click(css(`#status-form button[type=submit]`)),
		chromedp.WaitVisible(css(row+`[data-state="CONNECTING"] button[data-action="accept"]`)))
	h.shot("agent-offered")
	h.run("accepting", wait, chromedp.Click(css(row+` button[data-action="accept"]`)),
		chromedp.WaitVisible(css(row+`[data-state="CONNECTED"] button[data-action="hang-up"]`)))
	h.shot("agent-connected")
	h.run("hanging up", wait, chromedp.Click(css(row+` button[data-action="hang-up"]`)),
		chromedp.WaitVisible(css(row+`[data-state="ENDED"] button[data-action="clear"]`)))
	h.shot("agent-after-contact-work")
	h.run("clearing after contact work", wait, chromedp.Click(css(row+` button[data-action="clear"]`)),
		chromedp.WaitVisible(css(`#contacts td.empty`)))
	h.shot("agent-free")
	out, err := client.DescribeContact(c, &connect.DescribeContactInput{InstanceId: &inst.ID, ContactId: &contact})
	if err != nil {
		t.Fatal(err)
	}
	if ai := out.Contact.AgentInfo; ai == nil || aws.ToString(ai.Id) != agent || ai.AfterContactWorkEndTimestamp == nil || out.Contact.DisconnectTimestamp == nil {
		t.Fatalf("contact %+v, agent %+v: want ended with after contact work done", out.Contact, out.Contact.AgentInfo)
	}
	t.Logf("%d screenshots in %s; %v", h.shots, h.dir, time.Since(began).Round(time.Millisecond))
}
