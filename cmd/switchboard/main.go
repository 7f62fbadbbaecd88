// Command switchboard serves the Amazon Connect API on a local endpoint.
//
//	switchboard                 serve on 127.0.0.1:4599 with state in the data dir
//	switchboard serve [flags]   the same, with flags
//	switchboard coverage        print the table of implemented operations (Markdown)
//	switchboard flow validate [--type T] FILE...
//	                            check flow-language files offline
//	switchboard export [--account A] [--instance I] [--out FILE]
//	switchboard import FILE|-   copy the state out of and into a store (docs/EXPORT.md)
//	switchboard import-users --instance ID FILE.csv
//	                            create users from a bulk upload CSV (docs/BULKIMPORT.md)
package main

import (
	"bytes"
	"context"
	"crypto/tls"
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

	"github.com/switchboard-dev/switchboard/internal/coverage"
	"github.com/switchboard-dev/switchboard/internal/faults"
	"github.com/switchboard-dev/switchboard/internal/seed"
	"github.com/switchboard-dev/switchboard/internal/server"
	"github.com/switchboard-dev/switchboard/internal/throttle"
	"github.com/switchboard-dev/switchboard/service"
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
	case "export":
		err = runExport(args, os.Stdout, os.Stderr)
	case "import":
		err = runImport(args, os.Stdin, os.Stderr)
	case "import-users":
		err = runImportUsers(args, os.Stdout, os.Stderr)
	case "help", "-h", "--help":
		fmt.Println("usage: switchboard [serve] [flags] | switchboard coverage [--readme README.md] | switchboard flow validate [--type T] FILE... | switchboard sim COMMAND (switchboard sim help) | switchboard export [flags] | switchboard import [flags] FILE (docs/EXPORT.md) | switchboard import-users --instance ID [flags] FILE.csv (docs/BULKIMPORT.md)")
	default:
		err = fmt.Errorf("unknown command %q (want serve, coverage, flow, sim, export, import or import-users)", cmd)
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
	// Throttling applies Connect's API rate limits when enabled, and
	// Faults are fault injection rules (docs/TESTING.md, "Throttling and
	// fault injection").
	Throttling throttle.Config `json:"throttling"`
	Faults     *faults.Config  `json:"faults"`
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
	throttleOn := fs.Bool("throttle", false, "apply Connect's API rate limits (ThrottlingException past them); the config file's \"throttling\" tunes them")
	clockStart := fs.String("clock-start", "", "RFC 3339 time the virtual clock starts at (default: the time at start-up)")
	seedPath := fs.String("seed", "", "YAML or JSON file of resources to create at start-up when missing (docs/SEED.md)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	fc, err := readConfig(*configPath)
	if err != nil {
		return err
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
	limiter, faultRules, err := gateConfig(fc, *throttleOn)
	if err != nil {
		return fmt.Errorf("%s: %w", *configPath, err)
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
	store, where, err := openStore(fs, *storeURL, *dataDir, *ephemeral)
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
	cfg.Throttling, cfg.Faults = limiter, faultRules
	handler, svc := server.New(cfg)
	// Contacts that were queued, ringing or in after contact work when
	// the process stopped carry on: their timers are found again.
	defer svc.Close() // runs before the store's Close: no timer reaches a closed store
	if err := svc.ResumeEngine(context.Background()); err != nil {
		return fmt.Errorf("resuming the contact engine: %w", err)
	}
	// The seed is applied before listening: a bad file stops start-up.
	if *seedPath != "" {
		res, err := seed.ApplyFile(context.Background(), svc, seed.DefaultScope, *seedPath)
		if err != nil {
			return fmt.Errorf("--seed: %w", err)
		}
		logger.Warn("switchboard seeded", "file", *seedPath, "result", res.Summary())
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

// gateConfig builds the rate limiter (nil when throttling is off) and the
// fault rules of the config file, checked against the Connect model.
func gateConfig(fc fileConfig, throttleFlag bool) (*throttle.Limiter, *faults.Injector, error) {
	var limiter *throttle.Limiter
	if err := fc.Throttling.Validate(server.KnownOperation); err != nil {
		return nil, nil, err
	}
	if fc.Throttling.Enabled || throttleFlag {
		var err error
		if limiter, err = throttle.New(fc.Throttling, time.Now); err != nil {
			return nil, nil, err
		}
	}
	inj := server.NewFaults()
	if fc.Faults != nil {
		if err := inj.Set(*fc.Faults); err != nil {
			return nil, nil, err
		}
	}
	return limiter, inj, nil
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
