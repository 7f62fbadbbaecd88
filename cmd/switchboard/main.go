// Command switchboard serves the Amazon Connect API on a local endpoint.
//
//	switchboard                 serve on 127.0.0.1:4599 with state in the data dir
//	switchboard serve [flags]   the same, with flags
//	switchboard coverage        print the table of implemented operations (Markdown)
//	switchboard flow validate [--type T] FILE...
//	                            check flow-language files offline
package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/internal/coverage"
	"github.com/switchboard-dev/switchboard/internal/server"
	"github.com/switchboard-dev/switchboard/service"
	"github.com/switchboard-dev/switchboard/storage/postgres"
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
		server.TuneGC()
		err = serve(args, os.Stderr)
	case "coverage":
		err = writeCoverage(args)
	case "flow":
		os.Exit(runFlow(args, os.Stdout, os.Stderr))
	case "sim":
		os.Exit(runSim(args, os.Stdout, os.Stderr))
	case "help", "-h", "--help":
		fmt.Println("usage: switchboard [serve] [flags] | switchboard coverage [--readme README.md] | switchboard flow validate [--type T] FILE... | switchboard sim COMMAND (switchboard sim help)")
	default:
		err = fmt.Errorf("unknown command %q (want serve, coverage, flow or sim)", cmd)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "switchboard:", err)
		os.Exit(1)
	}
}

// fileConfig is the optional --config file (JSON); README.md and
// docs/SECURITY.md describe it.
type fileConfig struct {
	// Store is a postgres:// URL, as --store (which takes precedence); a
	// password is better kept here than on a command line others can read.
	Store  string         `json:"store"`
	Quotas service.Quotas `json:"quotas"`
	// Accounts replace the built-in test/test credentials when present.
	Accounts []server.Account `json:"accounts"`
	// Engine tunes the contact engine's simulation (docs/TESTING.md).
	Engine service.EngineSettings `json:"engine"`
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
	storeURL := fs.String("store", "", "postgres://user:password@host:port/db URL: keep the state in PostgreSQL (shared by replicas) instead of SQLite in --data-dir")
	configPath := fs.String("config", "", "JSON config file (quotas, accounts and their access keys)")
	tlsCert := fs.String("tls-cert", "", "PEM certificate (chain) file; serve https (needs --tls-key)")
	tlsKey := fs.String("tls-key", "", "PEM private key file of --tls-cert")
	allowRemote := fs.Bool("allow-default-credentials-remote", false, "allow listening beyond loopback with the built-in test/test credentials")
	quiet := fs.Bool("quiet", false, "do not log one line per request")
	clockKind := fs.String("clock", "real", "real, or virtual: a clock that moves only through POST /_switchboard/clock/advance (docs/TESTING.md)")
	clockStart := fs.String("clock-start", "", "RFC 3339 time the virtual clock starts at (default: the time at start-up)")
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
	var ids *server.Identities
	if fc.Accounts != nil {
		if len(fc.Accounts) == 0 {
			return fmt.Errorf("%s: \"accounts\" is empty; declare at least one account or leave it out to use the built-in test/test credentials", *configPath)
		}
		var err error
		if ids, err = server.CompileAccounts(fc.Accounts); err != nil {
			return fmt.Errorf("%s: %w", *configPath, err)
		}
	}
	clock, err := newClock(*clockKind, *clockStart, time.Now())
	if err != nil {
		return err
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	var tlsConfig *tls.Config
	if *tlsCert != "" {
		// Loaded before anything else starts so that a bad certificate
		// stops start-up rather than failing every handshake.
		cert, err := tls.LoadX509KeyPair(*tlsCert, *tlsKey)
		if err != nil {
			return fmt.Errorf("--tls-cert/--tls-key: %w", err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w", *addr, err)
	}
	if ip := net.ParseIP(host); ids == nil && host != "localhost" && (ip == nil || !ip.IsLoopback()) && !*allowRemote {
		return fmt.Errorf("refusing to listen on %s with the built-in test/test credentials, which anyone can use; listen on loopback, declare accounts in --config, or pass --allow-default-credentials-remote", *addr)
	}

	if *storeURL == "" {
		*storeURL = fc.Store
	}
	var storeShown string
	if *storeURL != "" {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if set["ephemeral"] || set["data-dir"] {
			return errors.New("--ephemeral and --data-dir are for the SQLite store; they cannot be combined with a postgres:// store")
		}
		if storeShown, err = checkStoreURL(*storeURL); err != nil {
			return err
		}
	}

	var store switchboard.Store
	switch {
	case storeShown != "":
		// Migrations run here, serialized among replicas starting at
		// once. A database that does not answer stops start-up rather
		// than leave a server that fails every request.
		openCtx, cancel := context.WithTimeout(context.Background(), time.Minute)
		store, err = postgres.Open(openCtx, *storeURL)
		cancel()
		if err != nil {
			return fmt.Errorf("--store %s: %w", storeShown, err)
		}
	case *ephemeral:
		store, err = sqlite.OpenMemory()
	default:
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
	cfg := server.Config{Store: store, Quotas: fc.Quotas, Logger: logger, Clock: clock, Engine: fc.Engine}
	if ids != nil {
		cfg.Credentials, cfg.Policies = ids.Credentials, ids.Policies
	}
	handler, svc := server.New(cfg)
	// Contacts that were queued, ringing or in after contact work when
	// the process stopped carry on: their timers are found again.
	defer svc.Close() // runs before the store's Close: no timer reaches a closed store
	if err := svc.ResumeEngine(context.Background()); err != nil {
		return fmt.Errorf("resuming the contact engine: %w", err)
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	// The limits are documented in docs/SECURITY.md: a slow or stalled
	// client holds a connection for at most these times, and the request
	// line (path and query included) plus headers may not exceed 64 KiB.
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	scheme := "http"
	if tlsConfig != nil {
		srv.TLSConfig, scheme = tlsConfig, "https"
	}
	where := *dataDir
	switch {
	case storeShown != "":
		where = storeShown
	case *ephemeral:
		where = "memory (ephemeral)"
	}
	accounts := "built-in test/test (account 000000000000)"
	if ids != nil {
		accounts = fmt.Sprintf("%d from %s", len(fc.Accounts), *configPath)
	}
	logger.Warn("switchboard listening", "addr", ln.Addr().String(), "scheme", scheme, "state", where, "accounts", accounts, "clock", *clockKind)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() {
		if scheme == "https" {
			// The certificate is in srv.TLSConfig already.
			errc <- srv.ServeTLS(ln, "", "")
			return
		}
		errc <- srv.Serve(ln)
	}()
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

// checkStoreURL checks that raw is a PostgreSQL URL and returns it with
// its password removed, fit for logs and error messages.
func checkStoreURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Opaque != "" {
		// url.Parse's error quotes the input, password and all.
		return "", errors.New("--store: want a postgres://user:password@host:port/database URL")
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "redacted")
		}
	}
	// libpq also takes the password as a query parameter.
	q := u.Query()
	for k := range q {
		if strings.EqualFold(k, "password") {
			q.Set(k, "redacted")
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// writeCoverage prints docs/COVERAGE.md's table, or with --readme FILE
// rewrites the table of implemented operations inside FILE's markers.
func writeCoverage(args []string) error {
	fs := flag.NewFlagSet("coverage", flag.ContinueOnError)
	readme := fs.String("readme", "", "rewrite the implemented-operations block of this README in place")
	if err := fs.Parse(args); err != nil {
		return err
	}
	_, svc := server.New(server.Config{})
	if *readme == "" {
		return coverage.Write(os.Stdout, svc.Implemented())
	}
	old, err := os.ReadFile(*readme)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := coverage.WriteImplemented(&b, svc.Implemented()); err != nil {
		return err
	}
	updated, err := coverage.ReplaceReadmeBlock(old, b.Bytes())
	if err != nil {
		return err
	}
	return os.WriteFile(*readme, updated, 0o644)
}
