package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

const validFlow = `{"Version":"2019-10-30","StartAction":"a","Actions":[
 {"Identifier":"a","Type":"MessageParticipant","Parameters":{"Text":"hi"},"Transitions":{"NextAction":"b"}},
 {"Identifier":"b","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`

const brokenFlow = `{"Version":"2019-10-30","StartAction":"a","Actions":[
 {"Identifier":"a","Type":"MessageParticipant","Parameters":{},"Transitions":{"NextAction":"zz"}}]}`

const validModule = `{"Version":"2019-10-30","StartAction":"a","Actions":[
 {"Identifier":"a","Type":"EndFlowModuleExecution","Parameters":{},"Transitions":{}}]}`

func writeFiles(t *testing.T, files map[string]string) string {
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFlowValidate(t *testing.T) {
	dir := writeFiles(t, map[string]string{"ok.json": validFlow, "bad.json": brokenFlow, "module.json": validModule})
	p := func(name string) string { return filepath.Join(dir, name) }
	cases := []struct {
		name       string
		args       []string
		status     int
		stdout     string
		wantStderr bool
	}{
		{"valid", []string{"validate", p("ok.json")}, 0, "", false},
		{"problems, one a line, every file", []string{"validate", p("ok.json"), p("bad.json")}, 1,
			p("bad.json") + `: Action "a": one of Parameters.PromptId, Parameters.Text, Parameters.SSML, Parameters.Media is required` + "\n" +
				p("bad.json") + `: Action "a": Transitions.NextAction names no action: "zz"` + "\n", false},
		{"module", []string{"validate", "--type", "MODULE", p("module.json")}, 0, "", false},
		{"module as a contact flow", []string{"validate", p("module.json")}, 1,
			p("module.json") + `: Action "a": Type "EndFlowModuleExecution" is not supported in CONTACT_FLOW flows` + "\n", false},
		{"no subcommand", nil, 2, "", true},
		{"unknown subcommand", []string{"check", p("ok.json")}, 2, "", true},
		{"no files", []string{"validate"}, 2, "", true},
		{"unknown type", []string{"validate", "--type", "INBOUND", p("ok.json")}, 2, "", true},
		{"unknown flag", []string{"validate", "--kind", "MODULE", p("ok.json")}, 2, "", true},
		{"unreadable file", []string{"validate", p("missing.json")}, 2, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if got := runFlow(tc.args, &stdout, &stderr); got != tc.status {
				t.Errorf("status %d, want %d (stderr %q)", got, tc.status, stderr.String())
			}
			if stdout.String() != tc.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout.String(), tc.stdout)
			}
			if (stderr.Len() > 0) != tc.wantStderr {
				t.Errorf("stderr %q", stderr.String())
			}
		})
	}
}

// TestFlowValidateBinary runs the built command: its exit status is what
// scripts see.
func TestFlowValidateBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "switchboard")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := writeFiles(t, map[string]string{"ok.json": validFlow, "bad.json": brokenFlow})
	for _, tc := range []struct {
		file   string
		status int
	}{{"ok.json", 0}, {"bad.json", 1}} {
		out, err := exec.Command(bin, "flow", "validate", filepath.Join(dir, tc.file)).Output()
		status := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			status = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if status != tc.status || (status == 0) != (len(out) == 0) {
			t.Errorf("%s: status %d, output %q", tc.file, status, out)
		}
	}
}
