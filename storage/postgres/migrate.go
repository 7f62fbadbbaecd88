package postgres

import (
	"context"
	"embed"
	"fmt"

	"github.com/switchboard-dev/switchboard/storage/internal/storeutil"

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
	ms, err := storeutil.Migrations(migrations, "migrations")
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
		pending, err := storeutil.Pending(ms, current)
		if err != nil {
			return err
		}
		for _, m := range pending {
			// No arguments: pgx sends the script with the simple
			// protocol, which runs several statements.
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return fmt.Errorf("%s: %w", m.Name, err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.Version, m.Name); err != nil {
				return err
			}
		}
		return nil
	})
}
