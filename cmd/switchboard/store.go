package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/storage/postgres"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

// readConfig reads the --config file; an empty path is the empty config.
func readConfig(path string) (fileConfig, error) {
	var fc fileConfig
	if path == "" {
		return fc, nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return fc, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fc); err != nil {
		return fc, fmt.Errorf("%s: %w", path, err)
	}
	return fc, nil
}

// openStore opens the store the flags of fs chose, as serve, export and
// import do: PostgreSQL at storeURL when it is set (--store, or the config
// file's "store"), else SQLite in memory (ephemeral) or in dataDir. It
// returns the store and where it is, fit for logs (no password).
func openStore(fs *flag.FlagSet, storeURL, dataDir string, ephemeral bool) (switchboard.Store, string, error) {
	if storeURL != "" {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if set["ephemeral"] || set["data-dir"] {
			return nil, "", errors.New("--ephemeral and --data-dir are for the SQLite store; they cannot be combined with a postgres:// store")
		}
		shown, err := checkStoreURL(storeURL)
		if err != nil {
			return nil, "", err
		}
		// Migrations run here, serialized among replicas starting at
		// once. A database that does not answer stops start-up rather
		// than leave a server that fails every request.
		openCtx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		store, err := postgres.Open(openCtx, storeURL)
		if err != nil {
			return nil, "", fmt.Errorf("--store %s: %w", shown, err)
		}
		return store, shown, nil
	}
	if ephemeral {
		store, err := sqlite.OpenMemory()
		return store, "memory (ephemeral)", err
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, "", err
	}
	store, err := sqlite.Open(filepath.Join(dataDir, "switchboard.db"))
	return store, dataDir, err
}
