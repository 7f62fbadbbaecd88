package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/internal/server"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

// importUsersCenter makes a data dir holding one instance with the
// hierarchy groups of internal/bulkusers/testdata/example.csv, and returns
// the dir and the instance's id.
func importUsersCenter(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := sqlite.Open(filepath.Join(dir, "switchboard.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, svc := server.New(server.Config{Store: s})
	defer svc.Close()
	var inst api.CreateInstanceResponse
	callOp(t, "CreateInstance", &api.CreateInstanceRequest{IdentityManagementType: ptrTo(api.DirectoryTypeConnectManaged),
		InstanceAlias: ptrTo("cli-import"), InboundCallsEnabled: ptrTo(true), OutboundCallsEnabled: ptrTo(true)}, &inst, svc.Handlers())
	id := *inst.Id
	callOp(t, "UpdateUserHierarchyStructure", &api.UpdateUserHierarchyStructureRequest{InstanceId: &id,
		HierarchyStructure: &api.HierarchyStructureUpdate{LevelOne: &api.HierarchyLevelUpdate{Name: ptrTo("Region")}, LevelTwo: &api.HierarchyLevelUpdate{Name: ptrTo("Team")}}}, nil, svc.Handlers())
	var north api.CreateUserHierarchyGroupResponse
	callOp(t, "CreateUserHierarchyGroup", &api.CreateUserHierarchyGroupRequest{InstanceId: &id, Name: ptrTo("North")}, &north, svc.Handlers())
	callOp(t, "CreateUserHierarchyGroup", &api.CreateUserHierarchyGroupRequest{InstanceId: &id, Name: ptrTo("Support"), ParentGroupId: north.HierarchyGroupId}, nil, svc.Handlers())
	return dir, id
}

func ptrTo[T any](v T) *T { return &v }

func callOp[H ~func(context.Context, api.Request) (any, error)](t *testing.T, op string, in api.Request, out any, handlers map[string]H) {
	t.Helper()
	if err := api.Validate(in); err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	res, err := handlers[op](switchboard.WithScope(context.Background(), switchboard.Scope{Account: "000000000000", Region: "us-east-1"}), in)
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	if out != nil {
		b, _ := json.Marshal(res)
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatal(err)
		}
	}
}

// usernamesIn lists the instance's users' names, reading the data dir.
func usernamesIn(t *testing.T, dir, inst string) []string {
	t.Helper()
	s, err := sqlite.Open(filepath.Join(dir, "switchboard.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, svc := server.New(server.Config{Store: s})
	defer svc.Close()
	var out api.ListUsersResponse
	callOp(t, "ListUsers", &api.ListUsersRequest{InstanceId: &inst}, &out, svc.Handlers())
	var names []string
	for _, u := range out.UserSummaryList {
		names = append(names, *u.Username)
	}
	sort.Strings(names)
	return names
}

// TestImportUsersCommand: a file with a bad row is refused with
// FILE:ROW:COLUMN lines and creates nothing; --dry-run creates nothing;
// --valid-only creates the valid rows with a progress report; the shipped
// example imports whole.
func TestImportUsersCommand(t *testing.T) {
	dir, inst := importUsersCenter(t)
	example, err := os.ReadFile(filepath.Join("..", "..", "internal", "bulkusers", "testdata", "example.csv"))
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	// Row 3 (Mateo) names a routing profile the instance lacks.
	if err := os.WriteFile(bad, bytes.Replace(example, []byte("mjackson,Basic Routing Profile"), []byte("mjackson,Gold Profile"), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	err = runImportUsers([]string{"--data-dir", dir, "--instance", inst, bad}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "1 problems; no user was created") {
		t.Fatalf("bad file: %v", err)
	}
	if want := bad + `:3:routing profile name: no routing profile of the instance is named "Gold Profile"` + "\n"; stderr.String() != want {
		t.Fatalf("stderr %q, want %q", stderr.String(), want)
	}
	if got := usernamesIn(t, dir, inst); len(got) != 0 {
		t.Fatalf("a refused import created %v", got)
	}

	stdout.Reset()
	stderr.Reset()
	if err := runImportUsers([]string{"--data-dir", dir, "--instance", inst, "--dry-run", bad}, &stdout, &stderr); err == nil {
		t.Fatal("--dry-run of a bad file succeeded")
	}
	if !strings.Contains(stdout.String(), "3 rows, 2 valid, 1 problems") {
		t.Errorf("--dry-run said %q", stdout.String())
	}

	stdout.Reset()
	stderr.Reset()
	if err := runImportUsers([]string{"--data-dir", dir, "--instance", inst, "--valid-only", bad}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "2 users created") || !strings.Contains(stdout.String(), "1 invalid rows left out") {
		t.Errorf("stdout %q", stdout.String())
	}
	if !strings.Contains(stderr.String(), "import-users: 2/2\n") {
		t.Errorf("no progress lines on stderr: %q", stderr.String())
	}
	if got := strings.Join(usernamesIn(t, dir, inst), ","); got != "mmajor,rroe" {
		t.Fatalf("users %s", got)
	}

	// The example: its two rows imported already are now duplicates.
	good := filepath.Join(t.TempDir(), "example.csv")
	if err := os.WriteFile(good, example, 0o600); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	err = runImportUsers([]string{"--data-dir", dir, "--instance", inst, good}, &stdout, &stderr)
	if err == nil || !strings.Contains(stderr.String(), good+":2:user login: User with username rroe already exists") {
		t.Fatalf("duplicates: %v\n%s", err, stderr.String())
	}
	if err := runImportUsers([]string{"--data-dir", dir, good}, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("without --instance: %v", err)
	}
}
