package switchboardtest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/aws/smithy-go"

	"github.com/switchboard-dev/switchboard/switchboardtest"
)

// noRetries is a client that makes one attempt a call.
func noRetries(srv *switchboardtest.Server) *connect.Client {
	return connect.NewFromConfig(srv.AWSConfig(), func(o *connect.Options) { o.RetryMaxAttempts = 1 })
}

func TestWithThrottling(t *testing.T) {
	srv := switchboardtest.New(t, switchboardtest.WithThrottling(map[string]switchboardtest.Limit{"ListInstances": {Rate: 0.001, Burst: 2}}))
	ctx := context.Background()
	c := noRetries(srv)
	for i := 1; i <= 3; i++ {
		_, err := c.ListInstances(ctx, &connect.ListInstancesInput{})
		var ae smithy.APIError
		switch {
		case i <= 2 && err != nil:
			t.Fatalf("call %d within the burst: %v", i, err)
		case i == 3 && (!errors.As(err, &ae) || ae.ErrorCode() != "ThrottlingException"):
			t.Fatalf("call 3 past the burst: %v, want ThrottlingException", err)
		}
	}
	if m := scrape(t, srv); !strings.Contains(m, `switchboard_throttled_requests_total{operation="ListInstances"} 1`+"\n") {
		t.Errorf("the metrics do not count the throttled call:\n%s", grepLines(m, "throttled"))
	}
	// Other operations keep Connect's own limits.
	if _, err := c.ListUsers(ctx, &connect.ListUsersInput{InstanceId: new(string)}); errors.As(err, new(*types.ThrottlingException)) {
		t.Errorf("ListUsers throttled by ListInstances' limit: %v", err)
	}
}

func TestWithFaultsAndSetFaults(t *testing.T) {
	srv := switchboardtest.New(t, switchboardtest.WithFaults(7,
		switchboardtest.FaultRule{Operation: "ListInstances", Error: "InternalServiceException", EveryNth: 2}))
	ctx := context.Background()
	c := noRetries(srv)
	var failed []int
	for i := 1; i <= 5; i++ {
		_, err := c.ListInstances(ctx, &connect.ListInstancesInput{})
		var ae smithy.APIError
		if errors.As(err, &ae) && ae.ErrorCode() == "InternalServiceException" {
			failed = append(failed, i)
		} else if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if len(failed) != 2 || failed[0] != 2 || failed[1] != 4 {
		t.Errorf("failed calls %v, want [2 4]", failed)
	}
	counts, err := srv.API().FaultCounts(ctx)
	if err != nil || len(counts) != 1 || counts[0] != (switchboardtest.FaultCount{Operation: "ListInstances", Fault: "InternalServiceException", Count: 2}) {
		t.Errorf("counts %+v, %v", counts, err)
	}
	if m := scrape(t, srv); !strings.Contains(m, `switchboard_injected_faults_total{fault="InternalServiceException",operation="ListInstances"} 2`+"\n") {
		t.Errorf("the metrics do not count the injected faults:\n%s", grepLines(m, "injected"))
	}
	srv.SetFaults(t, 0) // none
	for i := range 3 {
		if _, err := c.ListInstances(ctx, &connect.ListInstancesInput{}); err != nil {
			t.Fatalf("call %d with no rules: %v", i, err)
		}
	}
	// A rule with an error the operation does not model is refused.
	err = srv.API().SetFaults(ctx, 0, switchboardtest.FaultRule{Operation: "ListInstances", Error: "NoSuchThingException"})
	var apiErr *switchboardtest.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 400 {
		t.Errorf("an unmodelled error: %v, want a 400", err)
	}
}

// scrape reads the server's Prometheus metrics (unsigned, from loopback).
func scrape(t *testing.T, srv *switchboardtest.Server) string {
	t.Helper()
	resp, err := http.Get(srv.URL + "/_switchboard/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("metrics: %d %v", resp.StatusCode, err)
	}
	return string(b)
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
