package sqlite

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	switchboard "github.com/switchboard-dev/switchboard"
)

// killChildEnv, when set, makes TestMain's child branch write records to
// the database it names, printing each acknowledged commit, until killed.
const killChildEnv = "SWITCHBOARD_SQLITE_KILL_CHILD"

func TestMain(m *testing.M) {
	if path := os.Getenv(killChildEnv); path != "" {
		killChild(path)
		return
	}
	os.Exit(m.Run())
}

func killChild(path string) {
	s, err := Open(path)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	for i := 0; ; i++ {
		err := s.Update(context.Background(), func(tx switchboard.Tx) error {
			return tx.Insert(&switchboard.Record{Scope: testScope, Kind: switchboard.KindQueue, Parent: "i1", ID: fmt.Sprint("q", i)})
		})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println(i) // acknowledged: the commit returned
	}
}

// TestDurableAfterKill kills (SIGKILL) a process in the middle of writing
// and checks that every commit it acknowledged is in the file.
func TestDurableAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	path := filepath.Join(t.TempDir(), "db")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), killChildEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	const acked = 300
	lines := bufio.NewScanner(out)
	for n := 0; n < acked; n++ {
		if !lines.Scan() {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("child stopped after %d commits: %v", n, lines.Err())
		}
		if line := lines.Text(); line != fmt.Sprint(n) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("child said %q", line)
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	s := openFile(t, path)
	err = s.View(context.Background(), func(tx switchboard.Tx) error {
		n, err := tx.Count(testScope, switchboard.KindQueue, "i1")
		if err != nil {
			return err
		}
		if n < acked {
			t.Errorf("%d records after kill -9, but %d commits were acknowledged", n, acked)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
