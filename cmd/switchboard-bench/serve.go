package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"runtime"
	rpprof "runtime/pprof"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/internal/server"
	"github.com/switchboard-dev/switchboard/service"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

// serveCmd runs the same handler cmd/switchboard serves (internal/server
// over the SQLite store), with two additions for profiling that the real
// server deliberately does not have: --cpuprofile writes a CPU profile of
// the whole run, and --pprof-addr serves net/http/pprof on a second
// loopback listener.
func serveCmd(ctx context.Context, args []string, logOut io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:4599", "listen address")
	dataDir := fs.String("data-dir", "", "directory of switchboard.db (required unless --ephemeral)")
	ephemeral := fs.Bool("ephemeral", false, "in-memory store")
	configPath := fs.String("config", "", "JSON config; only \"quotas\" is read")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run here")
	pprofAddr := fs.String("pprof-addr", "", "serve net/http/pprof on this loopback address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var fc struct {
		Quotas service.Quotas `json:"quotas"`
	}
	if *configPath != "" {
		raw, err := os.ReadFile(*configPath)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(raw, &fc); err != nil {
			return fmt.Errorf("%s: %w", *configPath, err)
		}
	}
	var store switchboard.Store
	var err error
	switch {
	case *ephemeral:
		store, err = sqlite.OpenMemory()
	case *dataDir != "":
		if err = os.MkdirAll(*dataDir, 0o700); err == nil {
			store, err = sqlite.Open(filepath.Join(*dataDir, "switchboard.db"))
		}
	default:
		err = errors.New("--data-dir or --ephemeral is required")
	}
	if err != nil {
		return err
	}
	defer store.Close()
	handler, _ := server.New(server.Config{Store: store, Quotas: fc.Quotas, Logger: slog.New(slog.DiscardHandler)})

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := rpprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer rpprof.StopCPUProfile()
	}
	if *pprofAddr != "" {
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/heap", pprof.Index)
		pln, err := net.Listen("tcp", *pprofAddr)
		if err != nil {
			return err
		}
		go http.Serve(pln, mux)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(logOut, "switchboard-bench serve: listening %s (GOMAXPROCS %d)\n", ln.Addr(), runtime.GOMAXPROCS(0))
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go func() { <-ctx.Done(); srv.Close() }()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
