package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/switchboard-dev/switchboard/service"
)

// TestReplicasClaimOneNumberOnce: two replicas claiming the same number at
// once, to two instances, give it to exactly one; every other claim is
// InvalidParameterException ("Phone number not available"), and the number
// is listed once in the Region.
func TestReplicasClaimOneNumberOnce(t *testing.T) {
	r := startReplicas(t, service.Quotas{})
	f := replicaFixture(t, r, "claims-a")
	g := replicaFixture(t, r, "claims-b")
	instances := [2]string{f.instance, g.instance}
	for round, number := range []string{"+12025550100", "+442079460000", "+61491570006"} {
		errs := race(8, func(i int) error {
			_, err := r[i%2].client.ClaimPhoneNumber(ctx(t), &connect.ClaimPhoneNumberInput{InstanceId: &instances[(i/2)%2], PhoneNumber: aws.String(number)})
			return err
		})
		ok, refused := tally[*types.InvalidParameterException](t, number, errs)
		if ok != 1 || refused != 7 {
			t.Fatalf("round %d, %s: %d claims won, %d refused; want 1 and 7", round, number, ok, refused)
		}
		listed := 0
		for _, n := range call(r[round%2].client.ListPhoneNumbersV2(ctx(t), &connect.ListPhoneNumbersV2Input{PhoneNumberPrefix: aws.String(number)})).must(t).ListPhoneNumbersSummaryList {
			if *n.PhoneNumber == number {
				listed++
			}
		}
		if listed != 1 {
			t.Errorf("%s listed %d times", number, listed)
		}
	}
}
