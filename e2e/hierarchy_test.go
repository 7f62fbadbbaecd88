package e2e

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

func TestUserHierarchy(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	var ir *types.InvalidRequestException
	var ip *types.InvalidParameterException
	var inUse *types.ResourceInUseException
	var dup *types.DuplicateResourceException
	var nf *types.ResourceNotFoundException

	// No level defined yet: a group has nowhere to go.
	_, err := f.client.CreateUserHierarchyGroup(c, &connect.CreateUserHierarchyGroupInput{InstanceId: &f.instance, Name: aws.String("Early")})
	if !errors.As(err, &ir) {
		t.Fatalf("group before any level: %v", err)
	}
	_, err = f.client.UpdateUserHierarchyStructure(c, &connect.UpdateUserHierarchyStructureInput{InstanceId: &f.instance, HierarchyStructure: &types.HierarchyStructureUpdate{
		LevelTwo: &types.HierarchyLevelUpdate{Name: aws.String("Team")}}})
	if !errors.As(err, &ip) {
		t.Fatalf("level two without level one: %v", err)
	}
	if _, err := f.client.UpdateUserHierarchyStructure(c, &connect.UpdateUserHierarchyStructureInput{InstanceId: &f.instance, HierarchyStructure: &types.HierarchyStructureUpdate{
		LevelOne: &types.HierarchyLevelUpdate{Name: aws.String("Region")}, LevelTwo: &types.HierarchyLevelUpdate{Name: aws.String("Team")}}}); err != nil {
		t.Fatal(err)
	}
	st, err := f.client.DescribeUserHierarchyStructure(c, &connect.DescribeUserHierarchyStructureInput{InstanceId: &f.instance})
	if err != nil {
		t.Fatal(err)
	}
	hs := st.HierarchyStructure
	if *hs.LevelOne.Name != "Region" || *hs.LevelTwo.Name != "Team" || hs.LevelThree != nil || *hs.LevelOne.Id != "1" ||
		*hs.LevelTwo.Arn != "arn:aws:connect:us-east-1:000000000000:instance/"+f.instance+"/agent-group-level/2" {
		t.Fatalf("structure %+v %+v", hs.LevelOne, hs.LevelTwo)
	}

	top, err := f.client.CreateUserHierarchyGroup(c, &connect.CreateUserHierarchyGroupInput{InstanceId: &f.instance, Name: aws.String("EMEA"), Tags: map[string]string{"k": "v"}})
	if err != nil {
		t.Fatal(err)
	}
	child, err := f.client.CreateUserHierarchyGroup(c, &connect.CreateUserHierarchyGroupInput{InstanceId: &f.instance, Name: aws.String("Paris"), ParentGroupId: top.HierarchyGroupId})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.client.CreateUserHierarchyGroup(c, &connect.CreateUserHierarchyGroupInput{InstanceId: &f.instance, Name: aws.String("Floor 3"), ParentGroupId: child.HierarchyGroupId})
	if !errors.As(err, &ir) {
		t.Errorf("group at undefined level three: %v", err)
	}
	_, err = f.client.CreateUserHierarchyGroup(c, &connect.CreateUserHierarchyGroupInput{InstanceId: &f.instance, Name: aws.String("EMEA")})
	if !errors.As(err, &dup) {
		t.Errorf("duplicate group name: %v", err)
	}
	_, err = f.client.CreateUserHierarchyGroup(c, &connect.CreateUserHierarchyGroupInput{InstanceId: &f.instance, Name: aws.String("Orphan"), ParentGroupId: aws.String("nope")})
	if !errors.As(err, &nf) {
		t.Errorf("unknown parent: %v", err)
	}

	d, err := f.client.DescribeUserHierarchyGroup(c, &connect.DescribeUserHierarchyGroupInput{InstanceId: &f.instance, HierarchyGroupId: child.HierarchyGroupId})
	if err != nil {
		t.Fatal(err)
	}
	g := d.HierarchyGroup
	if *g.LevelId != "2" || *g.HierarchyPath.LevelOne.Id != *top.HierarchyGroupId || *g.HierarchyPath.LevelTwo.Name != "Paris" || g.HierarchyPath.LevelThree != nil {
		t.Errorf("group %+v path %+v %+v", g, g.HierarchyPath.LevelOne, g.HierarchyPath.LevelTwo)
	}
	if *g.Arn != *child.HierarchyGroupArn {
		t.Errorf("Arn %s vs %s", *g.Arn, *child.HierarchyGroupArn)
	}
	tags, err := f.client.ListTagsForResource(c, &connect.ListTagsForResourceInput{ResourceArn: top.HierarchyGroupArn})
	if err != nil || tags.Tags["k"] != "v" {
		t.Errorf("group tags: %v %v", err, tags)
	}

	// Removing level two while Paris sits there is refused.
	_, err = f.client.UpdateUserHierarchyStructure(c, &connect.UpdateUserHierarchyStructureInput{InstanceId: &f.instance, HierarchyStructure: &types.HierarchyStructureUpdate{
		LevelOne: &types.HierarchyLevelUpdate{Name: aws.String("Region")}}})
	if !errors.As(err, &inUse) || inUse.ResourceType != types.ResourceTypeHierarchyLevel {
		t.Errorf("removing a used level: %v", err)
	}

	in := f.user("hieruser")
	in.HierarchyGroupId = child.HierarchyGroupId
	uid := f.create(t, in)
	_, err = f.client.DeleteUserHierarchyGroup(c, &connect.DeleteUserHierarchyGroupInput{InstanceId: &f.instance, HierarchyGroupId: child.HierarchyGroupId})
	if !errors.As(err, &inUse) || inUse.ResourceType != types.ResourceTypeHierarchyGroup {
		t.Errorf("deleting a group with a user: %v", err)
	}
	_, err = f.client.DeleteUserHierarchyGroup(c, &connect.DeleteUserHierarchyGroupInput{InstanceId: &f.instance, HierarchyGroupId: top.HierarchyGroupId})
	if !errors.As(err, &inUse) {
		t.Errorf("deleting a group with a child: %v", err)
	}
	// An empty UpdateUserHierarchy body detaches the user.
	if _, err := f.client.UpdateUserHierarchy(c, &connect.UpdateUserHierarchyInput{InstanceId: &f.instance, UserId: &uid}); err != nil {
		t.Fatal(err)
	}
	if u := f.describe(t, uid); u.HierarchyGroupId != nil {
		t.Errorf("user still in group %s", *u.HierarchyGroupId)
	}
	if _, err := f.client.UpdateUserHierarchyGroupName(c, &connect.UpdateUserHierarchyGroupNameInput{InstanceId: &f.instance, HierarchyGroupId: child.HierarchyGroupId, Name: aws.String("Lyon")}); err != nil {
		t.Fatal(err)
	}
	l, err := f.client.ListUserHierarchyGroups(c, &connect.ListUserHierarchyGroupsInput{InstanceId: &f.instance})
	if err != nil || len(l.UserHierarchyGroupSummaryList) != 2 || *l.UserHierarchyGroupSummaryList[1].Name != "Lyon" {
		t.Fatalf("list: %v %+v", err, l)
	}
	for _, id := range []*string{child.HierarchyGroupId, top.HierarchyGroupId} {
		if _, err := f.client.DeleteUserHierarchyGroup(c, &connect.DeleteUserHierarchyGroupInput{InstanceId: &f.instance, HierarchyGroupId: id}); err != nil {
			t.Fatalf("delete %s: %v", *id, err)
		}
	}
	if _, err := f.client.UpdateUserHierarchyStructure(c, &connect.UpdateUserHierarchyStructureInput{InstanceId: &f.instance, HierarchyStructure: &types.HierarchyStructureUpdate{
		LevelOne: &types.HierarchyLevelUpdate{Name: aws.String("Region")}}}); err != nil {
		t.Errorf("removing an unused level: %v", err)
	}
}
