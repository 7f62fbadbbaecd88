package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/internal/dump"
)

// The export and import commands (docs/EXPORT.md). Both open the store as
// serve does; neither should run against a store a server is using: a
// server keeps projections of the store in memory, so it would not see an
// import until it restarts.

const (
	exportUsage = "usage: switchboard export [--data-dir DIR | --store URL] [--config FILE] [--account ID] [--instance ID] [--out FILE]"
	importUsage = "usage: switchboard import [--data-dir DIR | --store URL] [--config FILE] FILE|-"
)

// storeFlags registers the flags that choose the store, as serve has them.
func storeFlags(fs *flag.FlagSet) (dataDir, storeURL, configPath *string) {
	dataDir = fs.String("data-dir", defaultDataDir(), "directory holding the SQLite state")
	storeURL = fs.String("store", "", "postgres://user:password@host:port/db URL: the state in PostgreSQL instead of SQLite in --data-dir")
	configPath = fs.String("config", "", "JSON config file whose \"store\" is used when --store is not given")
	return
}

// openFlagged opens the store storeFlags chose: --store, else the config
// file's "store", else SQLite in --data-dir.
func openFlagged(fs *flag.FlagSet, dataDir, storeURL, configPath string) (switchboard.Store, string, error) {
	fc, err := readConfig(configPath)
	if err != nil {
		return nil, "", err
	}
	if storeURL == "" {
		storeURL = fc.Store
	}
	return openStore(fs, storeURL, dataDir, false)
}

// runExport is `switchboard export`: the state (or one account's, or one
// instance's) as one export stream on stdout or in --out.
func runExport(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir, storeURL, configPath := storeFlags(fs)
	account := fs.String("account", "", "export only this account's records")
	instance := fs.String("instance", "", "export only this instance, its resources and contacts, and the phone numbers claimed for it")
	out := fs.String("out", "", "write to this file (written whole or not at all) instead of stdout")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return errors.New(exportUsage)
	}
	store, where, err := openFlagged(fs, *dataDir, *storeURL, *configPath)
	if err != nil {
		return err
	}
	defer store.Close()
	filter := dump.Filter{Account: *account, Instance: *instance}
	if *out == "" {
		n, err := dump.Export(context.Background(), store, filter, stdout)
		if err == nil {
			fmt.Fprintf(stderr, "switchboard: exported %d records from %s\n", n, where)
		}
		return err
	}
	// A temporary file renamed into place: an export that fails half way
	// leaves no file that looks like a backup.
	tmp, err := os.CreateTemp(filepath.Dir(*out), "."+filepath.Base(*out)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	n, err := dump.Export(context.Background(), store, filter, tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), *out)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "switchboard: exported %d records from %s to %s\n", n, where, *out)
	return nil
}

// runImport is `switchboard import FILE`: the file is read and checked
// whole, then loaded in one transaction, or not at all.
func runImport(args []string, stdin io.Reader, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir, storeURL, configPath := storeFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New(importUsage)
	}
	name := fs.Arg(0)
	in := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	file, err := dump.Read(in)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	store, where, err := openFlagged(fs, *dataDir, *storeURL, *configPath)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := dump.Import(context.Background(), store, file); err != nil {
		return fmt.Errorf("import of %s into %s: %w", name, where, err)
	}
	fmt.Fprintf(stderr, "switchboard: imported %d records into %s (a server running on it sees them after a restart)\n", len(file.Records), where)
	return nil
}
