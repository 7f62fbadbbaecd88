package switchboardtest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-dev/switchboard/switchboardtest"
)

// In a test, switchboardtest.New(t) starts the server and stops it when
// the test ends; Start and Close do the same anywhere else.
func Example() {
	srv, err := switchboardtest.Start(switchboardtest.WithVirtualClock(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)))
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	ctx := context.Background()
	client := connect.NewFromConfig(srv.AWSConfig())

	inst, err := client.CreateInstance(ctx, &connect.CreateInstanceInput{IdentityManagementType: types.DirectoryTypeConnectManaged,
		InstanceAlias: aws.String("example"), InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true)})
	if err != nil {
		panic(err)
	}
	profiles, err := client.ListRoutingProfiles(ctx, &connect.ListRoutingProfilesInput{InstanceId: inst.Id})
	if err != nil {
		panic(err)
	}
	fmt.Println("routing profile:", *profiles.RoutingProfileSummaryList[0].Name)

	// The contact engine's clock moves when the test says.
	now, err := srv.API().Advance(ctx, 90*time.Second)
	if err != nil {
		panic(err)
	}
	fmt.Println("clock:", now.Format(time.TimeOnly))
	// Output:
	// routing profile: Basic Routing Profile
	// clock: 09:01:30
}
