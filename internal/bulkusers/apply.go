package bulkusers

import (
	"context"
	"errors"
	"fmt"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// Status is what Apply did with a row.
type Status string

// The statuses of a RowResult.
const (
	// Created: the user exists.
	Created Status = "created"
	// Invalid: the row has problems (ImportPlan.Errors) and was left out.
	Invalid Status = "invalid"
	// Failed: CreateUser refused the row although Plan had found no
	// problem (the instance changed in between).
	Failed Status = "failed"
	// RolledBack: the user was created, then deleted again because a
	// later row failed.
	RolledBack Status = "rolled back"
	// NotRolledBack: the user was created, a later row failed, and
	// deleting the user failed too: it still exists.
	NotRolledBack Status = "created, not rolled back"
	// NotAttempted: an earlier row failed before this one was reached.
	NotAttempted Status = "not attempted"
)

// RowResult is what became of one row.
type RowResult struct {
	Row      int
	Username string
	Status   Status
	// UserID is the created user's id (Created, RolledBack,
	// NotRolledBack).
	UserID string
	// Err is CreateUser's refusal (Failed) or DeleteUser's
	// (NotRolledBack).
	Err error
}

// Result lists every row of the plan and what became of it, in row order.
type Result struct {
	Rows []RowResult
}

// Count is how many rows have the status.
func (r *Result) Count(s Status) int {
	n := 0
	for _, row := range r.Rows {
		if row.Status == s {
			n++
		}
	}
	return n
}

// InvalidError is Apply's refusal to start: rows have problems and only
// the valid rows were not asked for. Nothing was created.
type InvalidError struct {
	Errors []*RowError
	Valid  int
}

func (e *InvalidError) Error() string {
	return fmt.Sprintf("%d problems in the file; no user was created (%d rows are valid: import them alone with the valid-only option)", len(e.Errors), e.Valid)
}

// FailedError is a CreateUser that failed part way through an import of
// every row. The users the import had created were deleted again
// (RolledBack rows of Result); any that could not be are NotRolledBack.
type FailedError struct {
	Failure *RowError
	Result  *Result
}

func (e *FailedError) Error() string {
	rb, left := e.Result.Count(RolledBack), e.Result.Count(NotRolledBack)
	msg := fmt.Sprintf("%v; the %d users created before it were deleted again", e.Failure, rb)
	if left > 0 {
		msg = fmt.Sprintf("%v; %d users created before it were deleted again, %d could not be and still exist", e.Failure, rb, left)
	}
	return msg
}

func (e *FailedError) Unwrap() error { return e.Failure }

// Apply creates the plan's users through the CreateUser handler, in row
// order, calling progress after each (done of total rows to create).
//
// When any row has a problem it creates nothing and returns an
// *InvalidError, unless validOnly: then it creates the valid rows and
// marks the others Invalid.
//
// Plan checked every row, but the instance may change before Apply (a
// user of the same name created meanwhile, the users-per-instance quota
// reached). When CreateUser then refuses a row, an import of every row
// (validOnly false) is undone: the users it created are deleted with
// DeleteUser, and an *FailedError says which row failed and, in its
// Result, which rows were rolled back (and any that could not be). With
// validOnly the row is marked Failed and the import carries on. Connect's
// own bulk upload is not transactional either; neither is this: another
// client can see the users before the rollback deletes them.
func Apply(ctx context.Context, p *ImportPlan, progress func(done, total int), validOnly bool) (*Result, error) {
	if errs := p.Errors(); len(errs) > 0 && !validOnly {
		return nil, &InvalidError{Errors: errs, Valid: p.Valid()}
	}
	if progress == nil {
		progress = func(int, int) {}
	}
	ctx = switchboard.WithScope(ctx, p.scope)
	res := &Result{Rows: make([]RowResult, len(p.Rows))}
	total := 0
	for i, r := range p.Rows {
		res.Rows[i] = RowResult{Row: r.Row, Username: r.Username, Status: NotAttempted}
		if len(r.Errors) > 0 {
			res.Rows[i].Status = Invalid
		} else {
			total++
		}
	}
	progress(0, total)
	done := 0
	for i, r := range p.Rows {
		if len(r.Errors) > 0 {
			continue
		}
		err := ctx.Err()
		var out api.CreateUserResponse
		if err == nil {
			err = p.c.Call(ctx, "CreateUser", r.Request, &out)
		}
		done++
		if err == nil {
			res.Rows[i].Status, res.Rows[i].UserID = Created, deref(out.UserId)
			progress(done, total)
			continue
		}
		res.Rows[i].Status, res.Rows[i].Err = Failed, err
		if validOnly && ctx.Err() == nil {
			progress(done, total)
			continue
		}
		failure := &RowError{Row: r.Row, Column: "", Err: err}
		var dup *api.DuplicateResourceException
		if errors.As(err, &dup) {
			failure.Column = p.usernameColumn
		}
		if !validOnly {
			p.rollback(ctx, res)
		}
		return res, &FailedError{Failure: failure, Result: res}
	}
	return res, nil
}

// rollback deletes the users res says were created, latest first. It
// runs even when ctx was cancelled: leaving them would be worse.
func (p *ImportPlan) rollback(ctx context.Context, res *Result) {
	ctx = context.WithoutCancel(ctx)
	for i := len(res.Rows) - 1; i >= 0; i-- {
		r := &res.Rows[i]
		if r.Status != Created {
			continue
		}
		id := r.UserID
		err := p.c.Call(ctx, "DeleteUser", &api.DeleteUserRequest{InstanceId: &p.InstanceID, UserId: &id}, nil)
		if err != nil {
			r.Status, r.Err = NotRolledBack, err
			continue
		}
		r.Status = RolledBack
	}
}
