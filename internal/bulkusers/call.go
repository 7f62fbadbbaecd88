package bulkusers

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/service"
)

// caller runs operations as the wire layer does after binding, like
// internal/seed's run.call: the generated validation, then the handler,
// in the caller's scope (already in ctx).
type caller struct {
	svc      *service.Service
	handlers map[string]service.Handler
}

func newCaller(svc *service.Service) *caller {
	return &caller{svc: svc, handlers: svc.Handlers()}
}

// call runs op and decodes its output into out (the operation's api
// response shape), through JSON: some handlers answer with a type of
// their own that encodes as the shape (ListUsers's page).
func (c *caller) call(ctx context.Context, op string, in api.Request, out any) error {
	h := c.handlers[op]
	if h == nil {
		return fmt.Errorf("%s: Switchboard does not implement this operation", op)
	}
	if err := api.Validate(in); err != nil {
		return err
	}
	res, err := h(ctx, in)
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
func listAll[Out any](ctx context.Context, c *caller, op string, page func(next *string) api.Request, each func(*Out) *string) error {
	var next *string
	for {
		var out Out
		if err := c.call(ctx, op, page(next), &out); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		next = each(&out)
		if next == nil || *next == "" {
			return nil
		}
	}
}
