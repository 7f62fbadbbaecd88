package postgres

import (
	"context"
	"fmt"

	switchboard "github.com/switchboard-dev/switchboard"
)

var _ switchboard.Pinger = (*Store)(nil)

// Ping checks that the database answers now: it takes a pooled connection
// (opening one if none is idle) and sends it an empty statement. A dead
// pooled connection fails and is discarded by the pool, so a Ping after
// the database came back succeeds on a new one. ctx bounds the whole
// check, connecting included.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return fmt.Errorf("postgres: ping: database did not answer in time (database unreachable?): %w", cerr)
		}
		return fmt.Errorf("postgres: ping (database unreachable?): %w", err)
	}
	return nil
}
