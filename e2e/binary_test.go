package e2e

import (
	"bufio"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

// buildBinary compiles cmd/switchboard once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "switchboard-e2e-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "switchboard")
		cmd := exec.Command("go", "build", "-o", binPath, "../cmd/switchboard")
		cmd.Stderr = os.Stderr
		binErr = cmd.Run()
	})
	if binErr != nil {
		t.Fatalf("go build: %v", binErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// runBinary starts the server and waits until it answers.
// logBuf collects a process's stderr; read it only after done is closed.
type logBuf struct {
	strings.Builder
	done chan struct{}
}

func runBinary(t *testing.T, bin string, args ...string) (*exec.Cmd, *connect.Client, *logBuf) {
	t.Helper()
	return runBinaryAt(t, bin, freeAddr(t), args...)
}

// runBinaryAt is runBinary on a given address.
func runBinaryAt(t *testing.T, bin, addr string, args ...string) (*exec.Cmd, *connect.Client, *logBuf) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--addr", addr}, args...)...)
	logs := &logBuf{done: make(chan struct{})}
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logs.WriteString(sc.Text() + "\n")
		}
		close(logs.done)
	}()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	client := newClient("http://"+addr, "test", "test", region)
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := client.ListInstances(ctx(t), &connect.ListInstancesInput{})
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not answer: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return cmd, client, logs
}

// TestBinarySurvivesKill9 runs the real binary, acknowledges a write, kills
// the process with SIGKILL and reads the write back from a new process on
// the same data dir; then checks a SIGTERM ends the process cleanly.
func TestBinarySurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	cmd, client, _ := runBinary(t, bin, "--data-dir", dir)
	out, err := client.CreateInstance(ctx(t), &connect.CreateInstanceInput{IdentityManagementType: types.DirectoryTypeConnectManaged, InstanceAlias: strPtr("killed"), InboundCallsEnabled: boolPtr(true), OutboundCallsEnabled: boolPtr(true)})
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	cmd2, client2, logs := runBinary(t, bin, "--data-dir", dir)
	d, err := client2.DescribeInstance(ctx(t), &connect.DescribeInstanceInput{InstanceId: out.Id})
	if err != nil || *d.Instance.InstanceAlias != "killed" {
		t.Fatalf("after kill -9: %v %+v", err, d)
	}
	if err := cmd2.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- cmd2.Wait() }()
	select {
	case err := <-errc:
		var ee *exec.ExitError
		<-logs.done
		if errors.As(err, &ee) {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, logs.String())
		}
		if !strings.Contains(logs.String(), "DescribeInstance") {
			t.Errorf("no request log line for DescribeInstance in:\n%s", logs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server did not stop on SIGTERM")
	}
}

func TestBinaryRefusesRemoteWithDefaultCredentials(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	out, err := exec.Command(buildBinary(t), "--addr", "0.0.0.0:0", "--ephemeral").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "refusing to listen") {
		t.Fatalf("want a refusal, got %v: %s", err, out)
	}
}

func strPtr(s string) *string { return &s }
func boolPtr(b bool) *bool    { return &b }
