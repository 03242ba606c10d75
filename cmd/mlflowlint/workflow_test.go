package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The tests in this file run the real integrations: pre-commit installing
// and running the hooks of .pre-commit-hooks.yaml, and the shell steps of
// action.yml. They need git and pre-commit; .ci/run installs both.

// checkoutRoot is the repository root seen from this package.
func checkoutRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not on PATH; .ci/run installs it (Debian package %q), install it the same way to run this test", name, name)
	}
	return p
}

// isolatedEnv returns the environment for git and pre-commit: a private
// git configuration with an identity, a private pre-commit cache, and Go's
// module cache shared with this build so hook installs download nothing.
func isolatedEnv(t *testing.T, home string) []string {
	t.Helper()
	gitcfg := filepath.Join(home, "gitconfig")
	cfg := "[user]\n\tname = mlflowlint tests\n\temail = tests@mlflowlint.invalid\n[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n"
	if err := os.WriteFile(gitcfg, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	modcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatalf("go env GOMODCACHE: %v", err)
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GIT_") || strings.HasPrefix(k, "PRE_COMMIT") || k == "GOMODCACHE" || k == "GOFLAGS" {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"GIT_CONFIG_GLOBAL="+gitcfg,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=mlflowlint tests", "GIT_AUTHOR_EMAIL=tests@mlflowlint.invalid",
		"GIT_COMMITTER_NAME=mlflowlint tests", "GIT_COMMITTER_EMAIL=tests@mlflowlint.invalid",
		"PRE_COMMIT_HOME="+filepath.Join(home, "pre-commit"),
		"PRE_COMMIT_COLOR=never",
		"GOMODCACHE="+strings.TrimSpace(string(modcache)),
		// The hook clone is a git repository, but stamping VCS data into
		// the binary is not what is being tested (and fails in some
		// sandboxes: pre-commit#2722).
		"GOFLAGS=-buildvcs=false",
	)
}

type cmdResult struct {
	code int
	out  string
}

func runIn(t *testing.T, dir string, env []string, name string, args ...string) cmdResult {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("%s %v: %v", name, args, err)
		}
		code = ee.ExitCode()
	}
	return cmdResult{code, buf.String()}
}

func mustRun(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	r := runIn(t, dir, env, name, args...)
	if r.code != 0 {
		t.Fatalf("%s %s: exit %d\n%s", name, strings.Join(args, " "), r.code, r.out)
	}
	return r.out
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// snapshotCheckout copies what `go install ./...` builds from the working
// tree (go.mod, go.sum, the hook manifest and every package directory, tracked
// or not, minus what .gitignore ignores) into a fresh repository with one
// commit. pre-commit try-repo on a dirty checkout would only see tracked
// files (it snapshots with `git add -u`); this way the test exercises the
// working tree as it is, committed or not.
func snapshotCheckout(t *testing.T, env []string) string {
	t.Helper()
	root := checkoutRoot(t)
	out, err := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Fatalf("listing the checkout's files: %v", err)
	}
	var files []string
	goDirs := map[string]bool{}
	for _, f := range strings.Split(string(out), "\x00") {
		if f == "" {
			continue
		}
		if st, err := os.Lstat(filepath.Join(root, f)); err != nil || !st.Mode().IsRegular() {
			continue // deleted in the working tree, or not a plain file
		}
		files = append(files, f)
		if strings.HasSuffix(f, ".go") {
			goDirs[filepath.Dir(f)] = true
		}
	}
	dst := filepath.Join(t.TempDir(), "mlflowlint")
	n := 0
	for _, f := range files {
		keep := f == "go.mod" || f == "go.sum" || f == ".pre-commit-hooks.yaml"
		for d := filepath.Dir(f); !keep && d != "." && d != "/"; d = filepath.Dir(d) {
			keep = goDirs[d]
		}
		if !keep {
			continue
		}
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		writeFiles(t, dst, map[string]string{f: string(b)})
		n++
	}
	if n < 10 {
		t.Fatalf("snapshot holds only %d files", n)
	}
	mustRun(t, dst, env, "git", "init", "-q")
	mustRun(t, dst, env, "git", "add", "-A")
	mustRun(t, dst, env, "git", "commit", "-q", "-m", "snapshot of the working tree")
	return dst
}

// breakingProject is a small repository a user might have: one file whose
// findings all have safe fixes, one file under an excluded directory whose
// finding has none, and a configuration that excludes that directory.
var breakingProject = map[string]string{
	"train.py": `import mlflow
from mlflow.models import MetricThreshold

threshold = MetricThreshold(threshold=0.8, higher_is_better=True)
mlflow.evaluate(model_uri, data, custom_metrics=[lift])
`,
	"vendored/old.py": `import mlflow.fastai

mlflow.fastai.autolog()
`,
	"mlflowlint.toml": `extend-exclude = ["vendored"]
`,
}

const fixedTrain = `import mlflow
from mlflow.models import MetricThreshold

threshold = MetricThreshold(threshold=0.8, greater_is_better=True)
mlflow.evaluate(model_uri, data, extra_metrics=[lift])
`

// preCommitConfig turns examples/pre-commit-config.yaml into a
// configuration pointing at the hook repository, adding the check hook
// after the example's fix hook.
func preCommitConfig(t *testing.T, hookRepo, rev string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", "pre-commit-config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	repoRe := regexp.MustCompile(`(?m)^(\s*- repo: ).*$`)
	revRe := regexp.MustCompile(`(?m)^(\s*rev: ).*$`)
	if len(repoRe.FindAllString(s, -1)) != 1 || len(revRe.FindAllString(s, -1)) != 1 {
		t.Fatalf("examples/pre-commit-config.yaml should hold one repo with one rev:\n%s", s)
	}
	s = repoRe.ReplaceAllString(s, "${1}"+hookRepo)
	s = revRe.ReplaceAllString(s, "${1}"+rev)
	if !strings.Contains(s, "      - id: mlflowlint-fix\n") {
		t.Fatalf("examples/pre-commit-config.yaml should use the mlflowlint-fix hook:\n%s", s)
	}
	return strings.TrimRight(s, "\n") + "\n      - id: mlflowlint\n"
}

// TestPreCommitHooks installs the hooks with pre-commit from a snapshot of
// this checkout and runs them on a throw-away repository: the check hook
// fails with the finding and leaves the excluded file alone, the fix hook
// rewrites the file and fails, and then both hooks pass.
func TestPreCommitHooks(t *testing.T) {
	needTool(t, "git")
	needTool(t, "go")
	preCommit := needTool(t, "pre-commit")
	home := t.TempDir()
	env := isolatedEnv(t, home)
	hookRepo := snapshotCheckout(t, env)
	rev := strings.TrimSpace(mustRun(t, hookRepo, env, "git", "rev-parse", "HEAD"))

	work := filepath.Join(t.TempDir(), "project")
	writeFiles(t, work, breakingProject)
	writeFiles(t, work, map[string]string{".pre-commit-config.yaml": preCommitConfig(t, hookRepo, rev)})
	mustRun(t, work, env, "git", "init", "-q")
	mustRun(t, work, env, "git", "add", "-A")
	mustRun(t, work, env, "git", "commit", "-q", "-m", "a project still on MLflow 2")

	// The check hook, installed by try-repo exactly as the recipe.
	r := runIn(t, work, env, preCommit, "try-repo", hookRepo, "mlflowlint", "--all-files")
	if r.code == 0 {
		t.Fatalf("try-repo mlflowlint passed on breaking code:\n%s", r.out)
	}
	for _, want := range []string{"train.py:4:", "MLF011", "MLF012", "- exit code: 1"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("try-repo output lacks %q:\n%s", want, r.out)
		}
	}
	if strings.Contains(r.out, "vendored/old.py") {
		t.Errorf("--force-exclude did not keep the excluded file out:\n%s", r.out)
	}
	if b, _ := os.ReadFile(filepath.Join(work, "train.py")); string(b) != breakingProject["train.py"] {
		t.Errorf("the check hook changed train.py:\n%s", b)
	}

	// The fix hook, configured from the example file.
	r = runIn(t, work, env, preCommit, "run", "mlflowlint-fix", "--all-files")
	if r.code == 0 {
		t.Fatalf("mlflowlint-fix passed although it rewrote a file:\n%s", r.out)
	}
	if !strings.Contains(r.out, "files were modified by this hook") {
		t.Errorf("pre-commit did not see the rewrite:\n%s", r.out)
	}
	if b, _ := os.ReadFile(filepath.Join(work, "train.py")); string(b) != fixedTrain {
		t.Errorf("train.py after the fix hook:\n%s\nwant:\n%s", b, fixedTrain)
	}
	if b, _ := os.ReadFile(filepath.Join(work, "vendored", "old.py")); string(b) != breakingProject["vendored/old.py"] {
		t.Errorf("the fix hook touched an excluded file:\n%s", b)
	}

	// Only fixable findings existed, so both hooks now pass.
	r = runIn(t, work, env, preCommit, "run", "--all-files")
	if r.code != 0 {
		t.Fatalf("hooks fail after fixing:\n%s", r.out)
	}
	if strings.Count(r.out, "Passed") != 2 {
		t.Errorf("want both hooks to pass:\n%s", r.out)
	}
}
