package sqlite

import (
	"context"

	switchboard "github.com/switchboard-dev/switchboard"
)

var _ switchboard.Pinger = (*Store)(nil)

// pingScope names no account (account ids are twelve digits), so Ping
// counts a collection that is always empty.
var pingScope = switchboard.Scope{Account: "switchboard", Region: "ping"}

// Ping checks that the store can run a read transaction now: ErrClosed
// after Close, ctx's error when no connection frees up in time, or the
// database's error. A read that touches the database, rather than
// database/sql's PingContext: every connection is pinned (the writer and
// the readers), so a PingContext would wait for one that never returns to
// the pool.
func (s *Store) Ping(ctx context.Context) error {
	if s.closed.Load() {
		return ErrClosed
	}
	return s.View(ctx, func(tx switchboard.Tx) error {
		_, err := tx.Count(pingScope, switchboard.KindInstance, "")
		return err
	})
}
