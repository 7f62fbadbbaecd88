// Command apigen reads a botocore-format service model (service-2.json) and
// writes Switchboard's api package: the operation table, the Go shapes with
// their JSON names, HTTP bindings and constraint checks, enum constants and
// the modelled error types.
//
//	go run ./internal/apigen -model ../shared/model/connect/service-2.json -out api
//
// Without -model it looks for ../shared/model/connect/service-2.json beside
// the module root, or $SWITCHBOARD_MODEL.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	modelPath := flag.String("model", "", "path to service-2.json (default: $SWITCHBOARD_MODEL or ../shared/model/connect/service-2.json beside the module root)")
	out := flag.String("out", ".", "directory to write the generated files into")
	flag.Parse()
	path := *modelPath
	if path == "" {
		path = DefaultModelPath()
	}
	if err := Generate(path, *out); err != nil {
		fmt.Fprintln(os.Stderr, "apigen:", err)
		os.Exit(1)
	}
}

// DefaultModelPath is $SWITCHBOARD_MODEL, or the shared model directory that
// sits beside the repository.
func DefaultModelPath() string {
	if p := os.Getenv("SWITCHBOARD_MODEL"); p != "" {
		return p
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "model", "connect", "service-2.json")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Generate writes the generated files for the model at modelPath into out.
func Generate(modelPath, out string) error {
	m, err := loadModel(modelPath)
	if err != nil {
		return err
	}
	if err := applyOverlay(m); err != nil {
		return err
	}
	g := newGenerator(m)
	files, err := g.files()
	if err != nil {
		return err
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(out, name), src, 0o644); err != nil {
			return err
		}
	}
	return nil
}
