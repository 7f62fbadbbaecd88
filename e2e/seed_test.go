package e2e

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

// TestSeedAtStartUp runs the binary with --seed on the full example
// (internal/seed/testdata/full.yaml), reads the seeded users back with the
// Go SDK, restarts it on the same data dir with the same file and finds the
// same ids; and checks a bad file stops start-up with the file position.
func TestSeedAtStartUp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	seedFile, err := filepath.Abs("../internal/seed/testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()

	read := func(client *connect.Client) (string, map[string]types.User) {
		t.Helper()
		c := ctx(t)
		insts, err := client.ListInstances(c, &connect.ListInstancesInput{})
		if err != nil || len(insts.InstanceSummaryList) != 1 || *insts.InstanceSummaryList[0].InstanceAlias != "acme-support" {
			t.Fatalf("ListInstances: %v %+v", err, insts)
		}
		inst := insts.InstanceSummaryList[0].Id
		list, err := client.ListUsers(c, &connect.ListUsersInput{InstanceId: inst})
		if err != nil {
			t.Fatal(err)
		}
		users := map[string]types.User{}
		for _, u := range list.UserSummaryList {
			d, err := client.DescribeUser(c, &connect.DescribeUserInput{InstanceId: inst, UserId: u.Id})
			if err != nil {
				t.Fatal(err)
			}
			users[*u.Username] = *d.User
		}
		return *inst, users
	}

	cmd, client, logs := runBinary(t, bin, "--data-dir", dir, "--seed", seedFile)
	inst, users := read(client)
	if len(users) != 2 {
		t.Fatalf("seeded users: %d, want 2", len(users))
	}
	mary, john := users["mary.major"], users["john.doe"]
	rp, err := client.DescribeRoutingProfile(ctx(t), &connect.DescribeRoutingProfileInput{InstanceId: &inst, RoutingProfileId: mary.RoutingProfileId})
	if err != nil || *rp.RoutingProfile.Name != "Sales Agents" {
		t.Fatalf("mary's routing profile: %v %+v", err, rp)
	}
	grp, err := client.DescribeUserHierarchyGroup(ctx(t), &connect.DescribeUserHierarchyGroupInput{InstanceId: &inst, HierarchyGroupId: mary.HierarchyGroupId})
	if err != nil || *grp.HierarchyGroup.Name != "London Sales" || *grp.HierarchyGroup.HierarchyPath.LevelOne.Name != "EMEA" {
		t.Fatalf("mary's hierarchy group: %v %+v", err, grp)
	}
	accept := map[types.Channel]bool{}
	for _, a := range mary.AutoAcceptConfigs {
		accept[a.Channel] = a.AutoAccept
	}
	if !accept[types.ChannelVoice] || accept[types.ChannelChat] || len(mary.SecurityProfileIds) != 2 || *mary.IdentityInfo.Email != "mary.major@example.com" {
		t.Fatalf("mary as seeded: %+v", mary)
	}
	if john.PhoneConfig.PhoneType != types.PhoneTypeDeskPhone || *john.PhoneConfig.DeskPhoneNumber != "+12065550143" || john.PhoneConfig.AfterContactWorkTimeLimit != 45 {
		t.Fatalf("john's phone config: %+v", john.PhoneConfig)
	}

	// Restarted with the same file, nothing is created again.
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	<-logs.done
	if !strings.Contains(logs.String(), "switchboard seeded") || !strings.Contains(logs.String(), "0 unchanged") {
		t.Errorf("first start's log does not report the seed: %s", logs.String())
	}
	_, client2, _ := runBinary(t, bin, "--data-dir", dir, "--seed", seedFile)
	inst2, users2 := read(client2)
	if inst2 != inst || len(users2) != 2 || *users2["mary.major"].Id != *mary.Id || *users2["john.doe"].Id != *john.Id {
		t.Fatalf("after a second start: instance %s (was %s), users %v", inst2, inst, users2)
	}

	// A bad file: a name that resolves to nothing stops start-up.
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	body := "instances:\n  - alias: bad\n    identityManagementType: CONNECT_MANAGED\n    inboundCallsEnabled: true\n    outboundCallsEnabled: true\n" +
		"    users:\n      - username: a\n        password: Str0ngPassw0rd\n        securityProfiles: [Agent]\n        routingProfile: Nowhere\n"
	if err := os.WriteFile(bad, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--addr", "127.0.0.1:0", "--ephemeral", "--seed", bad).CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("a bad seed: exit %v, want status 1; output: %s", err, out)
	}
	want := bad + `:10:25: routing profile "Nowhere" (instances[0].users[0].routingProfile) not found`
	if !strings.Contains(string(out), want) || strings.Contains(string(out), "switchboard listening") {
		t.Fatalf("a bad seed's output does not name the position (want %q) or it listened:\n%s", want, out)
	}
}
