//go:build !linux

package sqlite

// syncDir does nothing where syncfs(2) is not available; the checkpoint's
// own sync then does all the work.
func syncDir(string) {}
