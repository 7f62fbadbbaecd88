package e2e

import (
	"bytes"
	"os"
	"reflect"
	"testing"

	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/internal/coverage"
	"github.com/switchboard-dev/switchboard/internal/server"
)

// TestHandlersTakeTheirOperationsInput proves each hand-written handler is
// registered for the operation whose modelled input it expects, so a typo
// in a registration cannot route one operation's request to another's code.
func TestHandlersTakeTheirOperationsInput(t *testing.T) {
	_, svc := server.New(server.Config{})
	byName := map[string]*api.Operation{}
	for _, op := range api.Operations {
		byName[op.Name] = op
	}
	for _, name := range svc.Implemented() {
		op, ok := byName[name]
		if !ok {
			t.Errorf("%s is implemented but not in the model", name)
			continue
		}
		if got, want := svc.InputType(name), reflect.TypeOf(op.NewInput()); got != want {
			t.Errorf("%s handler takes %v, the model's input is %v", name, got, want)
		}
	}
}

// TestCoverageDocIsCurrent keeps docs/COVERAGE.md in step with the code.
func TestCoverageDocIsCurrent(t *testing.T) {
	_, svc := server.New(server.Config{})
	var b bytes.Buffer
	if err := coverage.Write(&b, svc.Implemented()); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../docs/COVERAGE.md")
	if err != nil || !bytes.Equal(got, b.Bytes()) {
		t.Fatalf("docs/COVERAGE.md is stale: run `go run ./cmd/switchboard coverage > docs/COVERAGE.md`")
	}
	b.Reset()
	if err := coverage.WriteImplemented(&b, svc.Implemented()); err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := coverage.ReplaceReadmeBlock(readme, b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(readme, want) {
		t.Fatalf("the README's table of implemented operations is stale: run `go run ./cmd/switchboard coverage --readme README.md`")
	}
}
