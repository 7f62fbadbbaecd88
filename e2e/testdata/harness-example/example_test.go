// Package harnessexample is a module outside Switchboard that uses its
// test harness the way a user's module would: switchboardtest.New(t) and
// the AWS SDK, nothing else.
package harnessexample

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-dev/switchboard/switchboardtest"
)

func TestOnboardAUser(t *testing.T) {
	srv := switchboardtest.New(t)
	client := connect.NewFromConfig(srv.AWSConfig())
	ctx := context.Background()
	inst := srv.CreateInstance(t, "onboarding")

	out, err := client.CreateUser(ctx, &connect.CreateUserInput{
		InstanceId:         &inst.ID,
		Username:           aws.String("jdoe"),
		Password:           aws.String("Password123!"),
		IdentityInfo:       &types.UserIdentityInfo{FirstName: aws.String("Jane"), LastName: aws.String("Doe"), Email: aws.String("jdoe@example.com")},
		PhoneConfig:        &types.UserPhoneConfig{PhoneType: types.PhoneTypeSoftPhone, AutoAccept: true, AfterContactWorkTimeLimit: 30},
		RoutingProfileId:   &inst.BasicRoutingProfileID,
		SecurityProfileIds: []string{inst.SecurityProfileIDs["Agent"]},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := client.DescribeUser(ctx, &connect.DescribeUserInput{InstanceId: &inst.ID, UserId: out.UserId})
	if err != nil {
		t.Fatal(err)
	}
	if *got.User.Username != "jdoe" || !got.User.PhoneConfig.AutoAccept || got.User.PhoneConfig.AfterContactWorkTimeLimit != 30 {
		t.Errorf("described %+v", got.User)
	}
	// A second user with the same name is refused as Connect refuses it.
	_, err = client.CreateUser(ctx, &connect.CreateUserInput{InstanceId: &inst.ID, Username: aws.String("jdoe"), Password: aws.String("Password123!"),
		IdentityInfo: &types.UserIdentityInfo{FirstName: aws.String("J"), LastName: aws.String("D")}, PhoneConfig: &types.UserPhoneConfig{PhoneType: types.PhoneTypeSoftPhone},
		RoutingProfileId: &inst.BasicRoutingProfileID, SecurityProfileIds: []string{inst.SecurityProfileIDs["Agent"]}})
	var dup *types.DuplicateResourceException
	if !errorsAs(err, &dup) {
		t.Errorf("duplicate user: %v, want DuplicateResourceException", err)
	}
}
