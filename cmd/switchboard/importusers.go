package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/internal/bulkusers"
	"github.com/switchboard-dev/switchboard/internal/seed"
	"github.com/switchboard-dev/switchboard/internal/server"
)

const importUsersUsage = "usage: switchboard import-users --instance ID [--data-dir DIR | --store URL | --config FILE] [--account ID] [--region R] [--valid-only] [--dry-run] FILE.csv"

// runImportUsers is `switchboard import-users`: users from a CSV file in
// the layout of Connect's bulk user upload template (docs/BULKIMPORT.md).
// Every row is checked before any user is created; every problem is
// printed as FILE:ROW:COLUMN: message. As with export and import, no
// server should be using the store meanwhile.
func runImportUsers(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import-users", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir, storeURL, configPath := storeFlags(fs)
	instance := fs.String("instance", "", "id or ARN of the instance the users are created in")
	account := fs.String("account", seed.DefaultScope.Account, "account the instance belongs to")
	region := fs.String("region", seed.DefaultScope.Region, "region the instance is in")
	validOnly := fs.Bool("valid-only", false, "import the valid rows even when other rows have problems")
	dryRun := fs.Bool("dry-run", false, "check the file against the instance and create nothing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *instance == "" {
		return errors.New(importUsersUsage)
	}
	name := fs.Arg(0)
	in, err := os.Open(name)
	if err != nil {
		return err
	}
	defer in.Close()
	file, err := bulkusers.Parse(in)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}

	fc, err := readConfig(*configPath)
	if err != nil {
		return err
	}
	if *storeURL == "" {
		*storeURL = fc.Store
	}
	store, where, err := openStore(fs, *storeURL, *dataDir, false)
	if err != nil {
		return err
	}
	defer store.Close()
	_, svc := server.New(server.Config{Store: store, Quotas: fc.Quotas, Engine: fc.Engine})
	defer svc.Close() // before the store's Close

	ctx := context.Background()
	scope := switchboard.Scope{Account: *account, Region: *region}
	plan, err := bulkusers.Plan(ctx, svc, scope, *instance, file)
	if err != nil {
		return err
	}
	errs := plan.Errors()
	for _, e := range errs {
		col := e.Column
		if col == "" {
			col = "-"
		}
		fmt.Fprintf(stderr, "%s:%d:%s: %v\n", name, e.Row, col, e.Err)
	}
	valid := plan.Valid()
	if *dryRun {
		fmt.Fprintf(stdout, "%s: %d rows, %d valid, %d problems; nothing created (--dry-run) in %s\n", name, len(plan.Rows), valid, len(errs), where)
		if len(errs) > 0 {
			return fmt.Errorf("%s: %d problems", name, len(errs))
		}
		return nil
	}
	if len(errs) > 0 && !*validOnly {
		return fmt.Errorf("%s: %d problems; no user was created (--valid-only imports the %d valid rows)", name, len(errs), valid)
	}
	bar := newProgressBar(stderr)
	res, err := bulkusers.Apply(ctx, plan, bar.update, *validOnly)
	bar.finish()
	if res != nil {
		for _, r := range res.Rows {
			if r.Status == bulkusers.Failed || r.Status == bulkusers.NotRolledBack {
				fmt.Fprintf(stderr, "%s:%d:-: %s: %v\n", name, r.Row, r.Status, r.Err)
			}
		}
	}
	var failed *bulkusers.FailedError
	if errors.As(err, &failed) {
		var created []string
		for _, r := range res.Rows {
			if r.Status == bulkusers.NotRolledBack {
				created = append(created, fmt.Sprint(r.Row))
			}
		}
		msg := fmt.Sprintf("%s:%d: %v", name, failed.Failure.Row, err)
		if len(created) > 0 {
			msg += " (rows still created: " + strings.Join(created, ", ") + ")"
		}
		return errors.New(msg)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d users created in instance %s (%s)", name, res.Count(bulkusers.Created), *instance, where)
	if n := res.Count(bulkusers.Invalid); n > 0 {
		fmt.Fprintf(stdout, ", %d invalid rows left out", n)
	}
	fmt.Fprintln(stdout)
	if n := res.Count(bulkusers.Failed); n > 0 {
		return fmt.Errorf("%s: CreateUser refused %d rows that had passed the checks", name, n)
	}
	return nil
}

// progressBar shows Apply's progress on stderr: one line redrawn in place
// on a terminal, else a plain line every tenth of the way.
type progressBar struct {
	w        io.Writer
	terminal bool
	last     int // the tenth last printed (plain lines)
	drawn    bool
}

func newProgressBar(w io.Writer) *progressBar {
	b := &progressBar{w: w, last: -1}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			b.terminal = true
		}
	}
	return b
}

func (b *progressBar) update(done, total int) {
	if total == 0 {
		return
	}
	if b.terminal {
		const width = 30
		n := done * width / total
		fmt.Fprintf(b.w, "\r[%s%s] %d/%d", strings.Repeat("#", n), strings.Repeat(" ", width-n), done, total)
		b.drawn = true
		return
	}
	if tenth := done * 10 / total; tenth != b.last {
		b.last = tenth
		fmt.Fprintf(b.w, "import-users: %d/%d\n", done, total)
	}
}

func (b *progressBar) finish() {
	if b.drawn {
		fmt.Fprintln(b.w)
	}
}
