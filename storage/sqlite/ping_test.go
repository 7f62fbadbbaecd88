package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// TestPing: a store answers Ping until it is closed, in memory and on a
// file (whose connections are all pinned, so a database/sql ping would
// hang), and a Ping whose context has ended fails.
func TestPing(t *testing.T) {
	open := map[string]func(t *testing.T) (*Store, error){
		"memory": func(*testing.T) (*Store, error) { return OpenMemory() },
		"file":   func(t *testing.T) (*Store, error) { return Open(filepath.Join(t.TempDir(), "ping.db")) },
	}
	for name, open := range open {
		t.Run(name, func(t *testing.T) {
			s, err := open(t)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.Ping(context.Background()); err != nil {
				t.Fatalf("Ping of an open store: %v", err)
			}
			ended, cancel := context.WithCancel(context.Background())
			cancel()
			if err := s.Ping(ended); !errors.Is(err, context.Canceled) {
				t.Errorf("Ping with an ended context: %v, want context.Canceled", err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if err := s.Ping(context.Background()); !errors.Is(err, ErrClosed) {
				t.Errorf("Ping after Close: %v, want ErrClosed", err)
			}
		})
	}
}
