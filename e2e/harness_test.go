package e2e

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestHarnessInAModuleOutsideTheRepo runs the tests of a module of its own
// (testdata/harness-example, with a replace directive pointing here) that
// uses switchboardtest.New(t) and the AWS SDK and nothing else, as a user's
// module would.
func TestHarnessInAModuleOutsideTheRepo(t *testing.T) {
	cmd := exec.Command("go", "test", "-count=1", "-v", "./...")
	cmd.Dir = "testdata/harness-example"
	// -mod=mod: the module's go.sum may lag a dependency this repository
	// added since; the go command fills it in from the module cache.
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test in the example module: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: TestOnboardAUser") {
		t.Fatalf("the example's test did not run:\n%s", out)
	}
}
