package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestVersionLine(t *testing.T) {
	if got := versionLine("0.2.0", ""); got != "mlflowlint 0.2.0" {
		t.Errorf("without data: %q", got)
	}
	if got := versionLine("0.2.0", "3.15.0"); got != "mlflowlint 0.2.0 (MLflow data 3.15.0)" {
		t.Errorf("with data: %q", got)
	}
}

// TestVersionFromLinker builds the command twice and runs --version: the
// release build's -X flag wins (a leading v, as in a tag, is dropped), and
// a build with neither a flag nor a module version says devVersion.
func TestVersionFromLinker(t *testing.T) {
	needTool(t, "go")
	dir := t.TempDir()
	for _, c := range []struct{ ldflags, want string }{
		{"-X main.version=v9.8.7-rc.1", versionLine("9.8.7-rc.1", dataVersion()) + "\n"},
		{"", versionLine(devVersion, dataVersion()) + "\n"},
	} {
		bin := filepath.Join(dir, "mlflowlint")
		cmd := exec.Command("go", "build", "-buildvcs=false", "-ldflags", c.ldflags, "-o", bin, ".")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build -ldflags %q: %v\n%s", c.ldflags, err, out)
		}
		out, err := exec.Command(bin, "--version").Output()
		if err != nil || string(out) != c.want {
			t.Errorf("-ldflags %q: --version = %q (%v), want %q", c.ldflags, out, err, c.want)
		}
		os.Remove(bin)
	}
}

// TestDevVersionFollowsChangelog keeps the dev builds' version on the
// release being prepared: CHANGELOG.md's first release heading.
func TestDevVersionFollowsChangelog(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^## (\d+\.\d+\.\d+)\b`).FindStringSubmatch(string(b))
	if m == nil {
		t.Fatal("CHANGELOG.md has no `## X.Y.Z` heading")
	}
	if want := m[1] + "-dev"; devVersion != want {
		t.Errorf("devVersion = %q; CHANGELOG.md's newest release is %s, so want %q", devVersion, m[1], want)
	}
	if !strings.HasPrefix(toolVersion(), devVersion) {
		t.Errorf("a test build reports %q, want %q", toolVersion(), devVersion)
	}
}
