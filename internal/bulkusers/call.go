package bulkusers

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/service"
)

// Caller runs one Connect operation for Plan and Apply and decodes its
// output into out (the operation's api response shape; nil: ignore it).
// Errors are the api package's error types, as the handlers return them.
//
// Direct runs the service's handlers without any access policy (the
// import-users command, which opens the store itself); the console
// implements Caller by sending each call through the signed API as the
// signed-in key, so that an import can do only what that key may.
type Caller interface {
	Call(ctx context.Context, op string, in api.Request, out any) error
}

// Direct returns the Caller that runs svc's handlers in process, in the
// scope of ctx (switchboard.WithScope), with no access policy.
func Direct(svc *service.Service) Caller { return newCaller(svc) }

// caller runs operations through svc.Invoke (validation, then the
// handler) in the caller's scope (already in ctx).
type caller struct{ svc *service.Service }

func newCaller(svc *service.Service) *caller { return &caller{svc: svc} }

// Call runs op and decodes its output into out (the operation's api
// response shape), through JSON: some handlers answer with a type of
// their own that encodes as the shape (ListUsers's page).
func (c *caller) Call(ctx context.Context, op string, in api.Request, out any) error {
	res, err := c.svc.Invoke(ctx, op, in)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

// listAll pages through a List operation; page makes the request for a
// token, and each calls back with each decoded page and returns its
// NextToken.
func listAll[Out any](ctx context.Context, c Caller, op string, page func(next *string) api.Request, each func(*Out) *string) error {
	var next *string
	for {
		var out Out
		if err := c.Call(ctx, op, page(next), &out); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		next = each(&out)
		if next == nil || *next == "" {
			return nil
		}
	}
}
