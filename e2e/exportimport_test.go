package e2e

// Export and import end to end (docs/EXPORT.md): a state built through the
// Connect API, exported, imported into the other backend and exported
// again, byte for byte the same; and a server started on the imported store
// answers as the original did.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/engine"
	"github.com/switchboard-dev/switchboard/internal/dump"
	"github.com/switchboard-dev/switchboard/storage/postgres"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

func TestExportImportRoundTrip(t *testing.T) {
	memory := func(t *testing.T) switchboard.Store {
		s, err := sqlite.OpenMemory()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	file := func(t *testing.T) switchboard.Store {
		return openSQLiteFile(t, filepath.Join(t.TempDir(), "switchboard.db"))
	}
	pg := func(t *testing.T) switchboard.Store {
		if os.Getenv(pgEnvURL) == "" {
			t.Skipf("%s is not set: no PostgreSQL for this round trip. Start a throwaway one with\n"+
				"\teval \"$(scripts/pg-test-server.sh)\"", pgEnvURL)
		}
		u := freshDatabase(t, pgAdminURL(t))
		s, err := postgres.Open(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	for _, c := range []struct {
		name     string
		src, dst func(*testing.T) switchboard.Store
	}{
		{"SQLite to SQLite", memory, file},
		{"SQLite to PostgreSQL", file, pg},
		{"PostgreSQL to SQLite", pg, memory},
	} {
		t.Run(c.name, func(t *testing.T) {
			// The stores first: a PostgreSQL one skips the test when no
			// database is configured.
			src, dst := c.src(t), c.dst(t)
			roundTrip(t, src, dst)
		})
	}
}

func openSQLiteFile(t *testing.T, path string) switchboard.Store {
	t.Helper()
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// roundTrip builds a contact center on src through the API, exports it,
// imports it into dst, and checks dst's export and a server on dst.
func roundTrip(t *testing.T, src, dst switchboard.Store) {
	c := ctx(t)
	vc := engine.NewVirtualClock(clockStart)
	f := &engineFixture{fixture: newFixture(t, types.DirectoryTypeConnectManaged, options{store: src, clock: vc}), vc: vc}
	f.setUp(t)
	call(f.client.UpdateUserHierarchyStructure(c, &connect.UpdateUserHierarchyStructureInput{InstanceId: &f.instance,
		HierarchyStructure: &types.HierarchyStructureUpdate{LevelOne: &types.HierarchyLevelUpdate{Name: aws.String("Region")}}})).must(t)
	group := *call(f.client.CreateUserHierarchyGroup(c, &connect.CreateUserHierarchyGroupInput{InstanceId: &f.instance, Name: aws.String("EMEA"),
		Tags: map[string]string{"cost": "1"}})).must(t).HierarchyGroupId
	f.newQueue(t, "Billing", f.alwaysOpen)

	alice := f.agent(t, "alice", agentSettings{})
	aliceARN := *f.describe(t, alice).Arn
	call(f.client.TagResource(c, &connect.TagResourceInput{ResourceArn: &aliceARN, Tags: map[string]string{"team": "support", "site": "Zürich 2"}})).must(t)
	call(f.client.UpdateUserHierarchy(c, &connect.UpdateUserHierarchyInput{InstanceId: &f.instance, UserId: &alice, HierarchyGroupId: &group})).must(t)
	bobIn := f.user("bob")
	bobIn.Tags = map[string]string{"team": "billing"}
	bobIn.HierarchyGroupId = &group
	bob := f.create(t, bobIn)
	users := []string{alice, bob}
	contact := f.task(t, "export me")

	first := exportAll(t, src)
	parsed, err := dump.Read(bytes.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[switchboard.Kind]bool{}
	for _, r := range parsed.Records {
		kinds[r.Kind] = true
	}
	for _, k := range []switchboard.Kind{switchboard.KindInstance, switchboard.KindUser, switchboard.KindSecurityProfile, switchboard.KindRoutingProfile,
		switchboard.KindQueue, switchboard.KindHoursOfOperation, switchboard.KindHierarchyGroup, switchboard.KindHierarchyStructure,
		switchboard.KindContactFlow, switchboard.KindAgentStatus, switchboard.KindUserStatus, switchboard.KindContact,
		switchboard.KindLiveContact, switchboard.KindEngineInstance, switchboard.KindContactEvent} {
		if !kinds[k] {
			t.Errorf("the export has no %s record", k)
		}
	}

	// The store holds one instance: exported alone, it is every record
	// (the engine's record of it, in the engine's own scope, included).
	var one bytes.Buffer
	if _, err := dump.Export(context.Background(), src, dump.Filter{Account: "000000000000", Instance: f.instance}, &one); err != nil {
		t.Fatal(err)
	}
	if _, body, _ := bytes.Cut(one.Bytes(), []byte("\n")); !bytes.HasSuffix(first, body) {
		t.Errorf("the instance's export is not the whole store's:\n%s\n---\n%s", one.Bytes(), first)
	}

	if err := dump.Import(context.Background(), dst, parsed); err != nil {
		t.Fatal(err)
	}
	if second := exportAll(t, dst); !bytes.Equal(first, second) {
		t.Fatalf("the imported store exports differently:\n%s\n--- after import:\n%s", first, second)
	}
	// A second import of the same file clashes on every record and
	// changes nothing.
	var clash *dump.ClashError
	if err := dump.Import(context.Background(), dst, parsed); !errors.As(err, &clash) || clash.Total != len(parsed.Records) {
		t.Fatalf("second import: %v", err)
	}

	g := start(t, options{store: dst, clock: engine.NewVirtualClock(clockStart)})
	same := func(what string, a, b any) {
		t.Helper()
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if !bytes.Equal(ja, jb) {
			t.Errorf("%s differs after import:\n%s\n%s", what, ja, jb)
		}
	}
	for _, u := range users {
		in := &connect.DescribeUserInput{InstanceId: &f.instance, UserId: &u}
		same("DescribeUser "+u, call(f.client.DescribeUser(c, in)).must(t).User, call(g.client.DescribeUser(c, in)).must(t).User)
	}
	list := &connect.ListUsersInput{InstanceId: &f.instance}
	was, now := call(f.client.ListUsers(c, list)).must(t).UserSummaryList, call(g.client.ListUsers(c, list)).must(t).UserSummaryList
	same("ListUsers", was, now)
	if len(now) != len(users) {
		t.Errorf("ListUsers after import lists %d users, want %d", len(now), len(users))
	}
	in := &connect.DescribeContactInput{InstanceId: &f.instance, ContactId: &contact}
	same("DescribeContact", call(f.client.DescribeContact(c, in)).must(t).Contact, call(g.client.DescribeContact(c, in)).must(t).Contact)
	tags := call(g.client.ListTagsForResource(c, &connect.ListTagsForResourceInput{ResourceArn: &aliceARN})).must(t).Tags
	if tags["team"] != "support" || tags["site"] != "Zürich 2" {
		t.Errorf("alice's tags after import: %v", tags)
	}
	// The imported store takes new work: names stay unique, ids new.
	if _, err := g.client.CreateQueue(c, &connect.CreateQueueInput{InstanceId: &f.instance, Name: aws.String("Billing"),
		HoursOfOperationId: &f.alwaysOpen}); err == nil {
		t.Error("a queue named as an imported one was created")
	}
	call(g.client.CreateQueue(c, &connect.CreateQueueInput{InstanceId: &f.instance, Name: aws.String("Returns"), HoursOfOperationId: &f.alwaysOpen})).must(t)
	qs := call(g.client.ListQueues(c, &connect.ListQueuesInput{InstanceId: &f.instance, QueueTypes: []types.QueueType{types.QueueTypeStandard}})).must(t).QueueSummaryList
	var names []string
	for _, q := range qs {
		names = append(names, *q.Name)
	}
	if !slices.Equal(names, []string{"BasicQueue", "Support", "Billing", "Returns"}) {
		t.Errorf("queues after import, in order: %v", names)
	}
}

func exportAll(t *testing.T, s switchboard.Store) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := dump.Export(context.Background(), s, dump.Filter{}, &b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
