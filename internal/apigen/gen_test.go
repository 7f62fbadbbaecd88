package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommittedCodeIsCurrent regenerates the api package from the model and
// fails when the committed files differ, so nobody edits generated code by
// hand or forgets to regenerate after changing the generator or overlay.
func TestCommittedCodeIsCurrent(t *testing.T) {
	modelPath := DefaultModelPath()
	if _, err := os.Stat(modelPath); err != nil {
		t.Skipf("no service model at %q (set SWITCHBOARD_MODEL): cannot compare generated code", modelPath)
	}
	dir := t.TempDir()
	if err := Generate(modelPath, dir); err != nil {
		t.Fatal(err)
	}
	fresh, _ := filepath.Glob(filepath.Join(dir, "*_gen.go"))
	committed, _ := filepath.Glob(filepath.Join("..", "..", "api", "*_gen.go"))
	if len(fresh) == 0 || len(fresh) != len(committed) {
		t.Fatalf("generated %d files, %d committed", len(fresh), len(committed))
	}
	for _, f := range fresh {
		want, _ := os.ReadFile(f)
		got, err := os.ReadFile(filepath.Join("..", "..", "api", filepath.Base(f)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(want, got) {
			t.Errorf("api/%s is stale: run `go generate ./api`", filepath.Base(f))
		}
	}
}

// TestNoDocumentationInGeneratedCode guards the rule that model
// documentation text never reaches the repository.
func TestNoDocumentationInGeneratedCode(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "api", "*_gen.go"))
	for _, f := range files {
		src, _ := os.ReadFile(f)
		for _, marker := range []string{"<p>", "</p>", "<code>", "Connect Customer"} {
			if strings.Contains(string(src), marker) {
				t.Errorf("%s contains %q: documentation leaked into generated code", f, marker)
			}
		}
	}
}

func TestOverlayPatternsCompile(t *testing.T) {
	for name, p := range patternOverrides {
		if expr, re2 := compilePattern(p); expr == "" {
			t.Errorf("%s: empty expression (re2=%v)", name, re2)
		}
	}
}

// TestAlwaysSentFileIsChecked proves that alwayssent.txt cannot name what
// the model lacks or give a default of the wrong kind, and that the rules
// reach the members they promise.
func TestAlwaysSentFileIsChecked(t *testing.T) {
	modelPath := DefaultModelPath()
	if _, err := os.Stat(modelPath); err != nil {
		t.Skipf("no service model at %q (set SWITCHBOARD_MODEL)", modelPath)
	}
	m, err := loadModel(modelPath)
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string]string{
		"unknown rule":                   "rule everything",
		"unknown shape":                  "NoSuchShape.Tags",
		"unknown member":                 "User.NoSuchMember",
		"list with a default":            "User.SecurityProfileIds []",
		"scalar without a default":       "UserPhoneConfig.DeskPhoneNumber",
		"string default for a boolean":   `UserPhoneConfig.AutoAccept "no"`,
		"number default for a string":    "UserPhoneConfig.DeskPhoneNumber 0",
		"exception to no rule":           "-User.Username",
		"member of no output":            "CreateUserRequest.Tags",
		"two defaults":                   "UserPhoneConfig.AutoAccept false true",
		"not Shape.Member":               "Tags",
		"timestamp default not possible": "User.LastModifiedTime 0",
	} {
		t.Run(name, func(t *testing.T) {
			a, err := loadAlwaysSent(m, []byte(src))
			if err == nil {
				err = a.checkScalars(m)
			}
			if err == nil {
				t.Fatalf("%q accepted", src)
			}
		})
	}
	a, err := loadAlwaysSent(m, []byte("rule results\nrule count\nrule tags\n-User.Tags\nUserPhoneConfig.AutoAccept false # comment"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range [][2]string{
		{"ListUsersResponse", "UserSummaryList"}, {"ListTagsForResourceResponse", "tags"}, {"SearchUsersResponse", "Users"},
		{"SearchUsersResponse", "ApproximateTotalCount"}, {"Queue", "Tags"}, {"UserSearchSummary", "Tags"}, {"UserPhoneConfig", "AutoAccept"},
	} {
		if !a.sent(want[0], want[1]) {
			t.Errorf("%s.%s is not always sent", want[0], want[1])
		}
	}
	for _, not := range [][2]string{{"User", "Tags"}, {"ListUsersResponse", "NextToken"}, {"CreateUserRequest", "Tags"}, {"RoutingProfile", "AssociatedQueueIds"}} {
		if a.sent(not[0], not[1]) {
			t.Errorf("%s.%s is always sent", not[0], not[1])
		}
	}
}
