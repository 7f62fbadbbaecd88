package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/service"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

// loadDirectCmd fills a database file with users by calling the service's
// CreateUser handler in-process: the same validation, transaction and
// stored form as through the API, without HTTP and SigV4. It exists only
// to build the 1,000,000-user store of docs/PERFORMANCE.md in minutes; the
// server must not be running on the same file meanwhile (it may, SQLite
// serializes writers, but then it competes for the CPU being measured).
func loadDirectCmd(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("load-direct", flag.ContinueOnError)
	dataDir := fs.String("data-dir", "", "directory of switchboard.db (required)")
	instance := fs.String("instance", "", "instance id (default: create one)")
	n := fs.Int64("n", 1000000, "users to create")
	workers := fs.Int("workers", 4, "concurrent creators")
	account := fs.String("account", "000000000000", "account the users belong to")
	region := fs.String("region", "us-east-1", "region")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dataDir == "" {
		return fmt.Errorf("--data-dir is required")
	}
	if err := os.MkdirAll(*dataDir, 0o700); err != nil {
		return err
	}
	store, err := sqlite.Open(filepath.Join(*dataDir, "switchboard.db"))
	if err != nil {
		return err
	}
	defer store.Close()
	svc := service.New(service.Config{Store: store, Quotas: service.Quotas{UsersPerInstance: 1 << 30, InstancesPerAccount: 1 << 20}})
	h := svc.Handlers()
	ctx = switchboard.WithScope(ctx, switchboard.Scope{Account: *account, Region: *region})
	call := func(op string, in api.Request) (any, error) { return h[op](ctx, in) }

	if *instance == "" {
		out, err := call("CreateInstance", &api.CreateInstanceRequest{IdentityManagementType: ptr("CONNECT_MANAGED"),
			InstanceAlias: ptr("bench-" + randomTag(8)), InboundCallsEnabled: ptr(true), OutboundCallsEnabled: ptr(true)})
		if err != nil {
			return err
		}
		*instance = *out.(*api.CreateInstanceResponse).Id
	}
	t := &target{instanceID: *instance, gen: newUserGen()}
	rps, err := call("ListRoutingProfiles", &api.ListRoutingProfilesRequest{InstanceId: instance})
	if err != nil {
		return err
	}
	sps, err := call("ListSecurityProfiles", &api.ListSecurityProfilesRequest{InstanceId: instance})
	if err != nil {
		return err
	}
	for _, p := range rps.(*api.ListRoutingProfilesResponse).RoutingProfileSummaryList {
		if *p.Name == "Basic Routing Profile" {
			t.routingID = *p.Id
		}
	}
	for _, p := range sps.(*api.ListSecurityProfilesResponse).SecurityProfileSummaryList {
		if *p.Name == "Agent" {
			t.securityID = *p.Id
		}
	}
	fmt.Fprintf(stderr, "instance %s\n", *instance)

	var done atomic.Int64
	var next atomic.Int64
	var first error
	var once sync.Once
	start := time.Now()
	var wg sync.WaitGroup
	for range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && first == nil {
				if next.Add(1) > *n {
					return
				}
				in := &api.CreateUserRequest{}
				if err := json.Unmarshal(t.gen.body(t), in); err != nil {
					once.Do(func() { first = err })
					return
				}
				in.InstanceId = instance
				if _, err := call("CreateUser", in); err != nil {
					once.Do(func() { first = err })
					return
				}
				if d := done.Add(1); d%10000 == 0 {
					el := time.Since(start).Seconds()
					fmt.Fprintf(stderr, "\rload-direct: %s %d/%d users  %.0f users/s   ", bar(d, *n, 30), d, *n, float64(d)/el)
				}
			}
		}()
	}
	wg.Wait()
	el := time.Since(start).Seconds()
	fmt.Fprintf(stderr, "\rload-direct: %d users in %.1fs, %.0f users/s            \n", done.Load(), el, float64(done.Load())/el)
	return first
}

func ptr[T any](v T) *T { return &v }
