package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migrations holds the schema as numbered scripts (0001_init.sql, ...). The
// database records each script it has applied in schema_migrations.
//
//go:embed migrations/*.sql
var migrations embed.FS

// migrationLock is the pg_advisory_xact_lock key that serializes migrations
// of one database among replicas starting at once. Any fixed number works as
// long as nothing else sharing the database uses it; this one spells
// "swbd-mig" in ASCII.
const migrationLock int64 = 0x73776264_2d6d6967

// migration is one numbered script.
type migration struct {
	version int
	name    string
}

// listMigrations returns the embedded scripts in order, checking that they
// are numbered 1, 2, 3... without gaps, so a misnamed file fails loudly
// instead of being skipped.
func listMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %q is not named NNNN_name.sql", e.Name())
		}
		ms = append(ms, migration{version: v, name: e.Name()})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %q: expected number %d", m.name, i+1)
		}
	}
	return ms, nil
}

// migrate applies every script the database has not recorded, all in one
// transaction: a failed script leaves nothing half done, and the advisory
// lock taken first makes a second replica starting at the same moment wait,
// then find the scripts recorded and apply nothing.
//
// The transaction is READ COMMITTED on purpose: each statement takes a new
// snapshot, so the reads that follow the lock see what the replica that
// held it committed. (Under REPEATABLE READ the snapshot would date from
// before the wait.)
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	ms, err := listMigrations()
	if err != nil {
		return err
	}
	return pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLock); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    integer PRIMARY KEY,
			name       text NOT NULL,
			applied_at timestamptz NOT NULL DEFAULT now()
		)`)
		if err != nil {
			return err
		}
		var current int
		if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&current); err != nil {
			return err
		}
		if current > len(ms) {
			return fmt.Errorf("database schema version %d is newer than this program's %d", current, len(ms))
		}
		for _, m := range ms[current:] {
			script, err := migrations.ReadFile("migrations/" + m.name)
			if err != nil {
				return err
			}
			// No arguments: pgx sends the script with the simple
			// protocol, which runs several statements.
			if _, err := tx.Exec(ctx, string(script)); err != nil {
				return fmt.Errorf("%s: %w", m.name, err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version, m.name); err != nil {
				return err
			}
		}
		return nil
	})
}
