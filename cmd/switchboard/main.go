// Command switchboard serves the Amazon Connect API on a local endpoint.
//
//	switchboard                 serve on 127.0.0.1:4599 with state in the data dir
//	switchboard serve [flags]   the same, with flags
//	switchboard coverage        print the table of implemented operations (Markdown)
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/internal/coverage"
	"github.com/switchboard-dev/switchboard/internal/server"
	"github.com/switchboard-dev/switchboard/service"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

func main() {
	args := os.Args[1:]
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(args, os.Stderr)
	case "coverage":
		_, svc := server.New(server.Config{})
		err = coverage.Write(os.Stdout, svc.Implemented())
	case "help", "-h", "--help":
		fmt.Println("usage: switchboard [serve] [flags] | switchboard coverage")
	default:
		err = fmt.Errorf("unknown command %q (want serve or coverage)", cmd)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "switchboard:", err)
		os.Exit(1)
	}
}

// fileConfig is the optional --config file (JSON).
type fileConfig struct {
	Quotas service.Quotas `json:"quotas"`
}

func defaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "switchboard")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".local", "share", "switchboard")
	}
	return "switchboard-data"
}

func serve(args []string, logOut io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:4599", "address to listen on")
	dataDir := fs.String("data-dir", defaultDataDir(), "directory holding the durable state")
	ephemeral := fs.Bool("ephemeral", false, "keep state in memory only (lost at exit)")
	configPath := fs.String("config", "", "JSON config file (quotas)")
	allowRemote := fs.Bool("allow-default-credentials-remote", false, "allow listening beyond loopback with the built-in test/test credentials")
	quiet := fs.Bool("quiet", false, "do not log one line per request")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var fc fileConfig
	if *configPath != "" {
		raw, err := os.ReadFile(*configPath)
		if err != nil {
			return err
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&fc); err != nil {
			return fmt.Errorf("%s: %w", *configPath, err)
		}
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w", *addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) && !*allowRemote {
		return fmt.Errorf("refusing to listen on %s with the built-in test/test credentials, which anyone can use; listen on loopback or pass --allow-default-credentials-remote", *addr)
	}

	var store switchboard.Store
	if *ephemeral {
		store, err = sqlite.OpenMemory()
	} else {
		if err = os.MkdirAll(*dataDir, 0o700); err != nil {
			return err
		}
		store, err = sqlite.Open(filepath.Join(*dataDir, "switchboard.db"))
	}
	if err != nil {
		return err
	}
	defer store.Close()

	level := slog.LevelInfo
	if *quiet {
		level = slog.LevelWarn
	}
	logger := slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: level}))
	handler, _ := server.New(server.Config{Store: store, Quotas: fc.Quotas, Logger: logger})

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	where := *dataDir
	if *ephemeral {
		where = "memory (ephemeral)"
	}
	logger.Warn("switchboard listening", "addr", ln.Addr().String(), "state", where)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Warn("switchboard shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
