package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"

	"github.com/switchboard-dev/switchboard/storage/internal/storeutil"
)

// migrations holds the schema as numbered scripts (0001_init.sql, ...). A
// database records the number of the last script applied in PRAGMA
// user_version, so opening an up-to-date database costs one pragma read.
//
//go:embed migrations/*.sql
var migrations embed.FS

// migrate applies every script newer than the database's user_version, all
// in one IMMEDIATE transaction so that two processes opening the same new
// file do not both create the schema, and a failed script leaves nothing
// half done. upTo > 0 stops after that script: tests use it to build a
// database of an earlier schema version.
func migrate(ctx context.Context, c *sql.Conn, upTo int) (err error) {
	ms, err := storeutil.Migrations(migrations, "migrations")
	if err != nil {
		return err
	}
	if upTo > 0 && upTo < len(ms) {
		ms = ms[:upTo]
	}
	if _, err := c.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			c.ExecContext(context.Background(), "ROLLBACK")
		}
	}()
	var current int
	if err := c.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return err
	}
	pending, err := storeutil.Pending(ms, current)
	if err != nil {
		return err
	}
	for _, m := range pending {
		if _, err := c.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("%s: %w", m.Name, err)
		}
	}
	// PRAGMA takes no bound parameters; the value is our own integer.
	if _, err := c.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(ms))); err != nil {
		return err
	}
	_, err = c.ExecContext(ctx, "COMMIT")
	return err
}
