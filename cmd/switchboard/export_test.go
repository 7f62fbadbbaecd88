package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

// TestExportImportCommands: export to --out and to stdout give the same
// bytes; import loads a file into another data dir, refuses it the second
// time, and refuses a corrupt file naming the line.
func TestExportImportCommands(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	if err := os.MkdirAll(src, 0o700); err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(filepath.Join(src, "switchboard.db"))
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(context.Background(), func(tx switchboard.Tx) error {
		return tx.Insert(&switchboard.Record{Scope: switchboard.Scope{Account: "000000000000", Region: "us-east-1"},
			Kind: switchboard.KindInstance, ID: "i1", Name: "one", Data: []byte(`{"alias":"one"}`)})
	})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(dir, "backup.jsonl")
	var stderr bytes.Buffer
	if err := runExport([]string{"--data-dir", src, "--out", out}, nil, &stderr); err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	if err := runExport([]string{"--data-dir", src, "--account", "000000000000"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(stdout.String(), `"version":1,"account":"000000000000"}`, `"version":1}`, 1); string(file) != want {
		t.Errorf("--out wrote\n%s\nstdout had\n%s", file, stdout.String())
	}
	if err := runImport([]string{"--data-dir", dst, out}, nil, &stderr); err != nil {
		t.Fatal(err)
	}
	err = runImport([]string{"--data-dir", dst, "-"}, bytes.NewReader(file), &stderr)
	if err == nil || !strings.Contains(err.Error(), "1 records of the file already exist") || !strings.Contains(err.Error(), `line 2: instance "i1"`) {
		t.Errorf("second import: %v", err)
	}
	corrupt := bytes.Replace(file, []byte(`"kind"`), []byte(`"kind`), 1)
	err = runImport([]string{"--data-dir", dst, "-"}, bytes.NewReader(corrupt), &stderr)
	if err == nil || !strings.Contains(err.Error(), "-: line 2: corrupt line") {
		t.Errorf("corrupt import: %v", err)
	}
	if err := runImport([]string{"--data-dir", dst}, nil, &stderr); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("import without a file: %v", err)
	}
	if err := runExport([]string{"--data-dir", src, "--store", "postgres://x@127.0.0.1:1/db"}, nil, &stderr); err == nil || !strings.Contains(err.Error(), "--data-dir") {
		t.Errorf("--store with --data-dir: %v", err)
	}
}
