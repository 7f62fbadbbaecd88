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
