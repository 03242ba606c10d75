package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestKilledFixLeavesOldOrNew builds the command, starts `--fix` over 300
// files and kills it with SIGKILL after a random delay, ten times. Every
// file must then hold exactly its original or exactly its fixed bytes;
// the only other files allowed are the `.NAME.mlflowlint-*` temporaries a
// killed run may leave behind.
func TestKilledFixLeavesOldOrNew(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "mlflowlint")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	orig := map[string][]byte{}
	for i := 0; i < 300; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "import mlflow\n\n# module %d\n", i)
		for j := 0; j < 1+i%7; j++ {
			fmt.Fprintf(&b, "r%d = mlflow.evaluate(model, data, custom_metrics=[m%d])\n", j, j)
			b.WriteString(strings.Repeat("x = 1  # filler so that writes take a little while\n", 20))
		}
		orig[filepath.Join(fmt.Sprintf("pkg%02d", i%12), fmt.Sprintf("mod_%03d.py", i))] = []byte(b.String())
	}
	restore := func(dir string) {
		t.Helper()
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		for name, body := range orig {
			p := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, body, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	args := func(dir string) []string { return []string{"--isolated", "--fix", "--unsafe-fixes", "-j", "2", dir} }

	// The fixed version of every file, from a run that is not killed.
	clean := filepath.Join(t.TempDir(), "clean")
	restore(clean)
	if out, err := exec.Command(bin, args(clean)...).CombinedOutput(); err != nil || !strings.Contains(string(out), "0 remaining") {
		t.Fatalf("clean --fix: %v\n%s", err, out)
	}
	fixed := map[string][]byte{}
	for name := range orig {
		b, err := os.ReadFile(filepath.Join(clean, name))
		if err != nil || bytes.Equal(b, orig[name]) {
			t.Fatalf("%s was not fixed by the clean run (%v)", name, err)
		}
		fixed[name] = b
	}

	temp := regexp.MustCompile(`^\.mod_\d{3}\.py\.mlflowlint-\d+$`)
	dir := filepath.Join(t.TempDir(), "tree")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 8))
	partial, leftovers := 0, 0
	for round := 0; round < 10; round++ {
		restore(dir)
		cmd := exec.Command(bin, args(dir)...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(rng.IntN(200)) * time.Millisecond
		time.Sleep(delay)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		nOld, nNew := 0, 0
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			want, ok := orig[rel]
			if !ok {
				if !temp.MatchString(d.Name()) {
					t.Errorf("round %d: unexpected file %s", round, rel)
				}
				leftovers++
				return nil
			}
			got, err := os.ReadFile(p)
			switch {
			case err != nil:
				t.Errorf("round %d: %s: %v", round, rel, err)
			case bytes.Equal(got, want):
				nOld++
			case bytes.Equal(got, fixed[rel]):
				nNew++
			default:
				t.Errorf("round %d (killed after %v): %s holds neither the original nor the fixed text:\n%s", round, delay, rel, got)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if nOld+nNew != len(orig) {
			t.Errorf("round %d: %d originals and %d fixed of %d files", round, nOld, nNew, len(orig))
		}
		if nOld > 0 && nNew > 0 {
			partial++
		}
		t.Logf("round %d: killed after %v: %d files fixed, %d untouched", round, delay, nNew, nOld)
	}
	t.Logf("%d of 10 rounds were killed in the middle of writing; %d temporary files left", partial, leftovers)
}
