package postgres

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// TestPingUnreachable: a Store whose database does not answer fails Ping
// within the context's time, saying so. It needs no PostgreSQL: the pool
// points at a port nothing listens on (pgxpool connects lazily).
func TestPingUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // now nothing listens there
	pool, err := pgxpool.New(context.Background(), "postgres://nobody:x@"+addr+"/none?connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	s := &Store{pool: pool, beginAttempts: 2}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	began := time.Now()
	err = s.Ping(ctx)
	if err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("Ping of an unreachable database: %v", err)
	}
	if took := time.Since(began); took > 3*time.Second {
		t.Errorf("Ping took %s", took)
	}
}

// TestPing: a Store on the test database answers Ping, and fails it once
// closed.
func TestPing(t *testing.T) {
	s := openStore(t, testURL(t))
	if err := s.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	s.Close()
	if err := s.Ping(context.Background()); err == nil {
		t.Error("Ping of a closed store succeeded")
	}
}
