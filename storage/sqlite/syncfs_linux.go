package sqlite

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncDir flushes the file system holding dir (syncfs(2)), through a
// descriptor of the directory: never one of the database file, whose
// close would drop the POSIX locks SQLite holds on it.
func syncDir(dir string) {
	f, err := os.Open(dir)
	if err != nil {
		return
	}
	defer f.Close()
	unix.Syncfs(int(f.Fd()))
}
