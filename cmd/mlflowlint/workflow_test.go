package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/mlflowlint/mlflowlint/report/sarifcheck"
	"github.com/mlflowlint/mlflowlint/rules"
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
strict = MetricThreshold(threshold=0.9,
                         higher_is_better=False)
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
strict = MetricThreshold(threshold=0.9,
                         greater_is_better=False)
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
	for _, want := range []string{"train.py:4:44: MLF011", "train.py:6:26: MLF011", "- exit code: 1"} {
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

// A small reader for the YAML this repository writes (action.yml, the
// hook manifest, the example workflows): block maps and lists, plain and
// quoted scalars, `|` blocks, comments. Flow collections stay strings.
type yamlLine struct {
	indent int
	text   string
	n      int
}

type yamlReader struct {
	lines []yamlLine
	i     int
}

var yamlKeyRe = regexp.MustCompile(`^([A-Za-z0-9_.-]+):(?:\s+(.*))?$`)

func parseYAML(src string) (any, error) {
	var r yamlReader
	for i, raw := range strings.Split(src, "\n") {
		t := strings.TrimRight(raw, " \t\r")
		trimmed := strings.TrimLeft(t, " ")
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		r.lines = append(r.lines, yamlLine{len(t) - len(trimmed), trimmed, i + 1})
	}
	if len(r.lines) == 0 {
		return nil, nil
	}
	v, err := r.block(r.lines[0].indent)
	if err == nil && r.i < len(r.lines) {
		err = fmt.Errorf("line %d: unexpected indentation", r.lines[r.i].n)
	}
	return v, err
}

func isItem(text string) bool { return text == "-" || strings.HasPrefix(text, "- ") }

func (r *yamlReader) block(indent int) (any, error) {
	if isItem(r.lines[r.i].text) {
		var list []any
		for r.i < len(r.lines) && r.lines[r.i].indent == indent && isItem(r.lines[r.i].text) {
			l := r.lines[r.i]
			rest := strings.TrimLeft(strings.TrimPrefix(l.text, "-"), " ")
			if rest == "" {
				r.i++
				if r.i >= len(r.lines) || r.lines[r.i].indent <= indent {
					list = append(list, nil)
					continue
				}
				v, err := r.block(r.lines[r.i].indent)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
				continue
			}
			if !yamlKeyRe.MatchString(rest) {
				r.i++
				list = append(list, yamlScalar(rest))
				continue
			}
			// "- key: value": the item is a map whose keys line up with key.
			r.lines[r.i] = yamlLine{len(l.text) - len(rest) + l.indent, rest, l.n}
			v, err := r.block(r.lines[r.i].indent)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		return list, nil
	}
	m := map[string]any{}
	for r.i < len(r.lines) && r.lines[r.i].indent == indent && !isItem(r.lines[r.i].text) {
		l := r.lines[r.i]
		sm := yamlKeyRe.FindStringSubmatch(l.text)
		if sm == nil {
			return nil, fmt.Errorf("line %d: want key: value, got %q", l.n, l.text)
		}
		key, val := sm[1], stripYAMLComment(sm[2])
		if _, dup := m[key]; dup {
			return nil, fmt.Errorf("line %d: duplicate key %q", l.n, key)
		}
		r.i++
		switch {
		case val == "|" || val == ">":
			var text []string
			for r.i < len(r.lines) && r.lines[r.i].indent > indent {
				text = append(text, r.lines[r.i].text)
				r.i++
			}
			m[key] = strings.Join(text, "\n")
		case val != "":
			m[key] = yamlScalar(val)
		case r.i < len(r.lines) && (r.lines[r.i].indent > indent || r.lines[r.i].indent == indent && isItem(r.lines[r.i].text)):
			v, err := r.block(r.lines[r.i].indent)
			if err != nil {
				return nil, err
			}
			m[key] = v
		default:
			m[key] = nil
		}
	}
	return m, nil
}

func stripYAMLComment(s string) string {
	if strings.HasPrefix(s, `"`) || strings.HasPrefix(s, `'`) {
		return s
	}
	if i := strings.Index(s, " #"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	return s
}

func yamlScalar(s string) string {
	s = stripYAMLComment(s)
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}

func readYAML(t *testing.T, path string) any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := parseYAML(string(b))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

// ymap and ylist walk a parsed document, failing the test on a wrong shape.
func ymap(t *testing.T, v any, what string) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s is not a map: %#v", what, v)
	}
	return m
}

func ylist(t *testing.T, v any, what string) []any {
	t.Helper()
	l, ok := v.([]any)
	if !ok {
		t.Fatalf("%s is not a list: %#v", what, v)
	}
	return l
}

func ystr(v any) string {
	s, _ := v.(string)
	return s
}

func TestParseYAML(t *testing.T) {
	v, err := parseYAML("a: 1 # one\nb:\n  - x\n  - k: v\n    j: 'q # r'\nc:\n- d: |\n    line one\n    line two\n")
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(v)
	want := "map[a:1 b:[x map[j:q # r k:v]] c:[map[d:line one\nline two]]]"
	if got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	for _, bad := range []string{"a: 1\na: 2\n", "a:\n  b: 1\n c: 2\n", "just words\n"} {
		if _, err := parseYAML(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// hookFileSamples are paths a project holds: TestHookManifest checks that
// the hooks' `files` pattern passes every one mlflowlint reads.
var hookFileSamples = []string{
	"train.py", "pkg/types.pyi", "nb/Explore.ipynb", "setup.py", "setup.cfg", "pyproject.toml",
	"requirements.txt", "requirements-dev.txt", "dev-requirements.in", "constraints.txt",
	"requirements/base.txt", "Pipfile", "environment.yml", "conda.yaml", "ci/environment-gpu.yaml",
	"Dockerfile", "Dockerfile.gpu", "serve.Dockerfile", "docker/dockerfile", "run.sh", "deploy.bash",
	"Makefile", "GNUmakefile", "rules.mk", ".github/workflows/train.yml", "docker-compose.yaml",
	"compose.yml", "gateway.yaml", "helm/values.yaml", "MLproject", ".env", ".env.local", "prod.env",
	// and what it does not read
	"README.md", "notes.txt", "main.go", "bin/runme", "data.json", "Pipfile.lock", "setup.py.orig",
	"poetry.lock", "docs/requirements.md", "environment.json",
}

func TestHookManifest(t *testing.T) {
	hooks := ylist(t, readYAML(t, filepath.Join("..", "..", ".pre-commit-hooks.yaml")), "manifest")
	byID := map[string]map[string]any{}
	_, text := rules.Select(rules.Selection{Select: []string{"ALL"}})
	reads := includeFor(text)
	for i, h := range hooks {
		m := ymap(t, h, fmt.Sprintf("hook %d", i))
		byID[ystr(m["id"])] = m
		lang := ystr(m["language"])
		if lang != "golang" && lang != "python" || m["types_or"] != nil || m["types"] != nil ||
			ystr(m["require_serial"]) != "true" || ystr(m["minimum_pre_commit_version"]) == "" {
			t.Errorf("hook %s: %v", m["id"], m)
		}
		if (lang == "python") != strings.HasSuffix(ystr(m["id"]), "-py") {
			t.Errorf("hook %s: python hooks, and only they, end in -py", m["id"])
		}
		// pre-commit searches the path relative to the repository root with
		// Python's re; the pattern keeps to syntax RE2 reads the same way.
		files, err := regexp.Compile(ystr(m["files"]))
		if err != nil {
			t.Errorf("hook %s: files: %v", m["id"], err)
			continue
		}
		for _, p := range hookFileSamples {
			if reads(p) && !files.MatchString(p) {
				t.Errorf("hook %s: files leaves out %s, which mlflowlint reads", m["id"], p)
			}
			if !reads(p) && !reads(strings.ToLower(p)) && files.MatchString(p) {
				t.Errorf("hook %s: files passes %s, which mlflowlint does not read", m["id"], p)
			}
		}
		entry := strings.Fields(ystr(m["entry"]))
		if len(entry) == 0 || entry[0] != "mlflowlint" || !slices.Contains(entry, "--force-exclude") {
			t.Errorf("hook %s: entry %q must run mlflowlint with --force-exclude", m["id"], m["entry"])
		}
		// The entry must be a command line the CLI accepts.
		args := entry[1:]
		if len(args) > 0 && args[0] == "check" {
			args = args[1:]
		}
		if _, err := parseFlags(args); err != nil {
			t.Errorf("hook %s: %v", m["id"], err)
		}
	}
	if len(byID) != 4 {
		t.Fatalf("want hooks mlflowlint, mlflowlint-fix and their -py twins, got %v", byID)
	}
	for _, id := range []string{"mlflowlint", "mlflowlint-fix"} {
		g, p := byID[id], byID[id+"-py"]
		if g == nil || p == nil {
			t.Fatalf("want hooks %s and %s-py, got %v", id, id, byID)
		}
		for _, k := range []string{"entry", "files", "args", "name"} {
			if ystr(g[k]) != ystr(p[k]) {
				t.Errorf("%s and %s-py differ in %s: %q, %q", id, id, k, g[k], p[k])
			}
		}
	}
	if e := ystr(byID["mlflowlint"]["entry"]); strings.Contains(e, "--fix") {
		t.Errorf("the check hook fixes: %s", e)
	}
	if e := ystr(byID["mlflowlint-fix"]["entry"]); !strings.Contains(e, " --fix") || !strings.Contains(e, "--exit-non-zero-on-fix") {
		t.Errorf("the fix hook: %s", e)
	}
}

// TestHookPackageVersion keeps the python hooks on the wheel of their own
// release: the root pyproject.toml (what pre-commit installs) requires
// exactly the version python/pyproject.toml builds, and carries it itself.
func TestHookPackageVersion(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("..", "..", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	versionRe := regexp.MustCompile(`(?m)^version = "([^"]+)"$`)
	pkg := versionRe.FindStringSubmatch(read("python/pyproject.toml"))
	hook := read("pyproject.toml")
	own := versionRe.FindStringSubmatch(hook)
	if pkg == nil || own == nil {
		t.Fatal("python/pyproject.toml and pyproject.toml must each set version")
	}
	if own[1] != pkg[1] || !strings.Contains(hook, `dependencies = ["mlflowlint==`+pkg[1]+`"]`) {
		t.Errorf("pyproject.toml (version %s) must require mlflowlint==%s, the version python/pyproject.toml builds", own[1], pkg[1])
	}
	if devVersion != pkg[1]+"-dev" {
		t.Errorf("devVersion %s is not the packaged version %s marked -dev", devVersion, pkg[1])
	}
}

// actionInputs returns action.yml's inputs with their defaults.
func actionInputs(t *testing.T) (map[string]string, []any) {
	t.Helper()
	doc := ymap(t, readYAML(t, filepath.Join("..", "..", "action.yml")), "action.yml")
	inputs := map[string]string{}
	for name, v := range ymap(t, doc["inputs"], "inputs") {
		in := ymap(t, v, "input "+name)
		if ystr(in["description"]) == "" {
			t.Errorf("input %s has no description", name)
		}
		inputs[name] = ystr(in["default"])
	}
	runs := ymap(t, doc["runs"], "runs")
	if ystr(runs["using"]) != "composite" {
		t.Errorf("runs.using = %v", runs["using"])
	}
	return inputs, ylist(t, runs["steps"], "runs.steps")
}

var inputRefRe = regexp.MustCompile(`\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}`)

// actionStep is one shell step of action.yml: the script verb it runs and
// its environment with every ${{ inputs.X }} replaced by X's value.
type actionStep struct {
	verb string
	env  map[string]string
}

func actionSteps(t *testing.T, inputs map[string]string, steps []any) map[string]actionStep {
	t.Helper()
	runRe := regexp.MustCompile(`^bash "\$GITHUB_ACTION_PATH/scripts/action-run\.sh" (\w+)$`)
	out := map[string]actionStep{}
	for i, s := range steps {
		st := ymap(t, s, fmt.Sprintf("step %d", i))
		for _, v := range []any{st["if"], st["with"], st["env"]} {
			for _, ref := range inputRefRe.FindAllStringSubmatch(fmt.Sprint(v), -1) {
				if _, ok := inputs[ref[1]]; !ok {
					t.Errorf("step %d uses undefined input %s", i, ref[1])
				}
			}
		}
		if st["run"] == nil {
			continue
		}
		if ystr(st["shell"]) != "bash" {
			t.Errorf("step %d: composite run steps need shell: bash", i)
		}
		m := runRe.FindStringSubmatch(ystr(st["run"]))
		if m == nil {
			t.Errorf("step %d runs %q, not scripts/action-run.sh", i, st["run"])
			continue
		}
		env := map[string]string{}
		if st["env"] != nil {
			for k, v := range ymap(t, st["env"], "env") {
				env[k] = inputRefRe.ReplaceAllStringFunc(ystr(v), func(ref string) string {
					return inputs[inputRefRe.FindStringSubmatch(ref)[1]]
				})
			}
		}
		out[m[1]] = actionStep{m[1], env}
	}
	for _, verb := range []string{"resolve", "download", "install", "compile", "run", "verdict"} {
		if _, ok := out[verb]; !ok {
			t.Errorf("action.yml has no step running action-run.sh %s", verb)
		}
	}
	return out
}

// runStep runs one step of the action's script the way the runner would.
func runStep(t *testing.T, dir string, base []string, step actionStep, extra map[string]string) cmdResult {
	t.Helper()
	env := slices.Clone(base)
	for k, v := range step.env {
		env = append(env, k+"="+v)
	}
	for k, v := range extra {
		env = append(env, k+"="+v)
	}
	return runIn(t, dir, env, "bash", filepath.Join(checkoutRoot(t), "scripts", "action-run.sh"), step.verb)
}

func readOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	b, _ := os.ReadFile(path)
	out := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if k, v, ok := strings.Cut(l, "="); ok {
			out[k] = v
		}
	}
	return out
}

// countFindings counts what the command reports for dir as JSON.
func countFindings(t *testing.T, dir string, args ...string) int {
	t.Helper()
	args = append(append([]string{"--isolated"}, args...), "--output-format", "json", dir)
	o := runCLI(t, "", args...)
	var items []json.RawMessage
	if err := json.Unmarshal([]byte(o.stdout), &items); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, o.stdout)
	}
	return len(items)
}

// TestActionSteps runs the shell steps of action.yml with the inputs'
// defaults against the example project, as the runner would: install from
// the action's directory, write and validate the SARIF report, record the
// exit status, and fail in the verdict step only when findings remain.
func TestActionSteps(t *testing.T) {
	needTool(t, "bash")
	needTool(t, "go")
	inputs, steps := actionInputs(t)
	byVerb := actionSteps(t, inputs, steps)
	if t.Failed() {
		t.FailNow()
	}
	tmp := t.TempDir()
	ghPath := filepath.Join(tmp, "github_path")
	base := append(os.Environ(),
		"GITHUB_ACTION_PATH="+checkoutRoot(t),
		"GITHUB_PATH="+ghPath,
		"GOBIN="+filepath.Join(tmp, "bin"),
	)
	// uses: ./ has no ref, so no release: the binary is compiled.
	resolved := filepath.Join(tmp, "outputs-resolve")
	r := runStep(t, tmp, base, byVerb["resolve"], map[string]string{"MLFLOWLINT_REF": "", "GITHUB_OUTPUT": resolved})
	if outs := readOutputs(t, resolved); r.code != 0 || outs["version"] != "" || outs["dir"] != "" {
		t.Fatalf("resolve step without a ref: exit %d, outputs %v\n%s", r.code, outs, r.out)
	}
	installed := filepath.Join(tmp, "outputs-install")
	r = runStep(t, tmp, base, byVerb["install"], map[string]string{"MLFLOWLINT_DIR": "", "GITHUB_OUTPUT": installed})
	if outs := readOutputs(t, installed); r.code != 0 || outs["compile"] != "true" {
		t.Fatalf("install step without a release: exit %d, outputs %v\n%s", r.code, outs, r.out)
	}
	r = runStep(t, tmp, base, byVerb["compile"], map[string]string{"MLFLOWLINT_REF": ""})
	if r.code != 0 || !strings.Contains(r.out, "mlflowlint "+devVersion) {
		t.Fatalf("compile step: exit %d\n%s", r.code, r.out)
	}
	added, _ := os.ReadFile(ghPath)
	if strings.TrimSpace(string(added)) != filepath.Join(tmp, "bin") {
		t.Fatalf("GITHUB_PATH holds %q", added)
	}
	base = append(base, "PATH="+strings.TrimSpace(string(added))+string(os.PathListSeparator)+os.Getenv("PATH"))

	project := copyTree(t, example)
	outFile := filepath.Join(tmp, "outputs-findings")
	r = runStep(t, project, base, byVerb["run"], map[string]string{"GITHUB_OUTPUT": outFile})
	if r.code != 0 {
		t.Fatalf("run step failed (findings must not fail it): exit %d\n%s", r.code, r.out)
	}
	outs := readOutputs(t, outFile)
	if outs["exit-code"] != "1" || outs["sarif-file"] != inputs["sarif-file"] {
		t.Errorf("outputs %v", outs)
	}
	data, err := os.ReadFile(filepath.Join(project, inputs["sarif-file"]))
	if err != nil {
		t.Fatal(err)
	}
	if err := sarifcheck.Validate(data, filepath.Join("..", "..", "..", "shared", "schemas", "sarif-schema-2.1.0.json")); err != nil {
		t.Fatalf("SARIF: %v", err)
	}
	var log struct {
		Runs []struct {
			AutomationDetails struct{ ID string } `json:"automationDetails"`
			Results           []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	if want := countFindings(t, project); len(log.Runs) != 1 || len(log.Runs[0].Results) != want || want == 0 {
		t.Fatalf("want one run with the example's %d results: %s", want, data)
	}
	if got := log.Runs[0].AutomationDetails.ID; got != inputs["category"]+"/" {
		t.Errorf("automationDetails.id = %q; upload-sarif keeps it, so it must be the category input", got)
	}
	for _, res := range log.Runs[0].Results {
		uri := res.Locations[0].PhysicalLocation.ArtifactLocation.URI
		if strings.HasPrefix(uri, "/") || strings.Contains(uri, "://") || strings.HasPrefix(uri, "..") {
			t.Errorf("%s: URI %q is not relative to the workspace", res.RuleID, uri)
		}
	}
	r = runStep(t, project, base, byVerb["verdict"], map[string]string{"MLFLOWLINT_EXIT_CODE": outs["exit-code"]})
	if r.code != 1 || !strings.Contains(r.out, "::error") {
		t.Errorf("verdict after findings: exit %d\n%s", r.code, r.out)
	}

	// A project with nothing to report passes every step.
	clean := t.TempDir()
	writeFiles(t, clean, map[string]string{"ok.py": "import mlflow\n\nmlflow.log_metric(\"auc\", 0.9)\n"})
	outFile = filepath.Join(tmp, "outputs-clean")
	r = runStep(t, clean, base, byVerb["run"], map[string]string{"GITHUB_OUTPUT": outFile})
	outs = readOutputs(t, outFile)
	if r.code != 0 || outs["exit-code"] != "0" {
		t.Errorf("run step on a clean project: exit %d, outputs %v\n%s", r.code, outs, r.out)
	}
	if r = runStep(t, clean, base, byVerb["verdict"], map[string]string{"MLFLOWLINT_EXIT_CODE": outs["exit-code"]}); r.code != 0 {
		t.Errorf("verdict on a clean project: exit %d\n%s", r.code, r.out)
	}

	// A usage error fails the run step itself, before any upload.
	r = runStep(t, clean, base, byVerb["run"], map[string]string{"GITHUB_OUTPUT": outFile, "MLFLOWLINT_ARGS": "--select NOPE1"})
	if r.code != 2 || !strings.Contains(r.out, "::error") {
		t.Errorf("run step with a bad argument: exit %d\n%s", r.code, r.out)
	}
}

// TestActionRelease runs the release half of action.yml against a release
// directory laid out as the release workflow publishes it (served from a
// file:// URL): a vX.Y.Z ref downloads and checks the archive and puts its
// binary on PATH; a floating tag means the checked-out action's version; a
// missing archive falls back to compiling; a wrong checksum stops the job.
func TestActionRelease(t *testing.T) {
	needTool(t, "bash")
	needTool(t, "go")
	needTool(t, "tar")
	needTool(t, "curl")
	inputs, steps := actionInputs(t)
	byVerb := actionSteps(t, inputs, steps)
	if t.Failed() {
		t.FailNow()
	}
	tmp := t.TempDir()
	plat := map[string]string{"amd64": "x86_64", "arm64": "aarch64"}[runtime.GOARCH]
	if runtime.GOOS != "linux" || plat == "" {
		t.Fatalf("this test lays out a Linux release; GOOS/GOARCH %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	// The release archive, as release.yml makes it: the binary at the top.
	rel := filepath.Join(tmp, "release", "v9.8.7")
	stage := filepath.Join(tmp, "stage")
	for _, d := range []string{rel, stage} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	build := exec.Command("go", "build", "-buildvcs=false", "-ldflags", "-X main.version=9.8.7", "-o", filepath.Join(stage, "mlflowlint"), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	archive := "mlflowlint-9.8.7-linux-" + plat + ".tar.gz"
	mustRun(t, stage, os.Environ(), "tar", "-czf", filepath.Join(rel, archive), "mlflowlint")
	sum := strings.Fields(mustRun(t, rel, os.Environ(), "sha256sum", archive))[0]
	writeSums := func(line string) {
		if err := os.WriteFile(filepath.Join(rel, "SHA256SUMS"), []byte(line), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeSums(sum + "  " + archive + "\n" + strings.Repeat("0", 64) + "  mlflowlint-9.8.7-macos-arm64.tar.gz\n")

	base := append(os.Environ(),
		"GITHUB_ACTION_PATH="+checkoutRoot(t),
		"RUNNER_OS=Linux", "RUNNER_ARCH="+map[string]string{"x86_64": "X64", "aarch64": "ARM64"}[plat],
		"RUNNER_TOOL_CACHE="+filepath.Join(tmp, "toolcache"),
		"MLFLOWLINT_RELEASE_URL=file://"+filepath.ToSlash(filepath.Join(tmp, "release")),
	)
	resolve := func(ref string) map[string]string {
		t.Helper()
		f := filepath.Join(tmp, "outputs-resolve-"+ref)
		if r := runStep(t, tmp, base, byVerb["resolve"], map[string]string{"MLFLOWLINT_REF": ref, "GITHUB_OUTPUT": f}); r.code != 0 {
			t.Fatalf("resolve %q: exit %d\n%s", ref, r.code, r.out)
		}
		return readOutputs(t, f)
	}
	if got := resolve("main")["version"]; got != "" {
		t.Errorf("a branch resolved to release %q", got)
	}
	if got, want := resolve("v1")["version"], strings.TrimSuffix(devVersion, "-dev"); got != want {
		t.Errorf("the floating tag v1 resolved to %q, want the packaged version %q", got, want)
	}
	outs := resolve("v9.8.7")
	wantDir := filepath.Join(tmp, "toolcache", "mlflowlint", "9.8.7", "linux-"+plat)
	if outs["version"] != "9.8.7" || outs["dir"] != wantDir {
		t.Fatalf("resolve v9.8.7: %v, want version 9.8.7 in %s", outs, wantDir)
	}
	stepEnv := map[string]string{"MLFLOWLINT_VERSION": outs["version"], "MLFLOWLINT_DIR": outs["dir"]}
	if r := runStep(t, tmp, base, byVerb["download"], stepEnv); r.code != 0 || !strings.Contains(r.out, sum) {
		t.Fatalf("download: exit %d\n%s", r.code, r.out)
	}
	ghPath, installed := filepath.Join(tmp, "github_path"), filepath.Join(tmp, "outputs-install")
	r := runStep(t, tmp, base, byVerb["install"], map[string]string{"MLFLOWLINT_DIR": outs["dir"], "GITHUB_PATH": ghPath, "GITHUB_OUTPUT": installed})
	if o := readOutputs(t, installed); r.code != 0 || o["compile"] != "false" || !strings.Contains(r.out, "mlflowlint 9.8.7") {
		t.Fatalf("install of the release: exit %d, outputs %v\n%s", r.code, o, r.out)
	}
	if b, _ := os.ReadFile(ghPath); strings.TrimSpace(string(b)) != wantDir {
		t.Errorf("GITHUB_PATH holds %q, want %s", b, wantDir)
	}

	// A version without archives: no error, and install asks for a compile.
	missing := filepath.Join(tmp, "toolcache", "missing")
	r = runStep(t, tmp, base, byVerb["download"], map[string]string{"MLFLOWLINT_VERSION": "9.9.9", "MLFLOWLINT_DIR": missing})
	if r.code != 0 || !strings.Contains(r.out, "compiling instead") {
		t.Errorf("download of a version without archives: exit %d\n%s", r.code, r.out)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Errorf("a failed download left %s for the cache to keep", missing)
	}
	r = runStep(t, tmp, base, byVerb["install"], map[string]string{"MLFLOWLINT_DIR": missing, "GITHUB_OUTPUT": installed + "2"})
	if o := readOutputs(t, installed+"2"); r.code != 0 || o["compile"] != "true" {
		t.Errorf("install without a download: exit %d, outputs %v\n%s", r.code, o, r.out)
	}

	// An archive that does not match SHA256SUMS stops the job.
	writeSums(strings.Repeat("f", 64) + "  " + archive + "\n")
	other := filepath.Join(tmp, "toolcache", "other")
	r = runStep(t, tmp, base, byVerb["download"], map[string]string{"MLFLOWLINT_VERSION": "9.8.7", "MLFLOWLINT_DIR": other})
	if r.code == 0 || !strings.Contains(r.out, "::error") {
		t.Errorf("download with a wrong checksum: exit %d\n%s", r.code, r.out)
	}
	if _, err := os.Stat(other); err == nil {
		t.Errorf("a rejected archive was unpacked into %s", other)
	}
}

// TestExampleWorkflows checks the workflows the docs show: every `with:`
// of the action names an input it has, the code scanning workflow has the
// permissions upload-sarif needs, and the annotation workflow's mlflowlint
// command runs and prints workflow commands.
func TestExampleWorkflows(t *testing.T) {
	inputs, _ := actionInputs(t)
	dir := filepath.Join("..", "..", "examples", "workflows")
	names, _ := filepath.Glob(filepath.Join(dir, "*.yml"))
	if len(names) < 2 {
		t.Fatalf("want at least two example workflows, got %v", names)
	}
	usesAction, ranCLI := 0, 0
	for _, name := range names {
		doc := ymap(t, readYAML(t, name), name)
		if doc["on"] == nil || doc["jobs"] == nil {
			t.Errorf("%s: no on: or jobs:", name)
			continue
		}
		perms := ymap(t, doc["permissions"], name+" permissions")
		if perms["contents"] != "read" {
			t.Errorf("%s: permissions.contents = %v, want read", name, perms["contents"])
		}
		for job, j := range ymap(t, doc["jobs"], name+" jobs") {
			for i, s := range ylist(t, ymap(t, j, job)["steps"], job+" steps") {
				st := ymap(t, s, fmt.Sprintf("%s step %d", job, i))
				uses := ystr(st["uses"])
				if strings.HasPrefix(uses, "mlflowlint/mlflowlint@") {
					usesAction++
					if perms["security-events"] != "write" {
						t.Errorf("%s: the action uploads SARIF, which needs security-events: write", name)
					}
					if st["with"] != nil {
						for k := range ymap(t, st["with"], "with") {
							if _, ok := inputs[k]; !ok {
								t.Errorf("%s: with: %s is not an input of action.yml", name, k)
							}
						}
					}
				}
				cmdline := strings.Fields(ystr(st["run"]))
				if len(cmdline) > 0 && cmdline[0] == "go" {
					if len(cmdline) != 3 || cmdline[1] != "install" || !strings.HasPrefix(cmdline[2], "github.com/mlflowlint/mlflowlint/cmd/mlflowlint@") {
						t.Errorf("%s: %q does not install the command", name, st["run"])
					}
				}
				if len(cmdline) > 0 && cmdline[0] == "mlflowlint" {
					ranCLI++
					project := copyTree(t, example)
					args := cmdline[1:]
					if args[len(args)-1] == "." {
						args[len(args)-1] = project
					}
					o := runCLI(t, "", append([]string{"--isolated"}, args...)...)
					if want := countFindings(t, project, args[:len(args)-1]...); o.code != 1 || strings.Count("\n"+o.stdout, "\n::") != want {
						t.Errorf("%s: %v: exit %d\n%s%s", name, cmdline, o.code, o.stdout, o.stderr)
					}
				}
			}
		}
	}
	if usesAction == 0 || ranCLI == 0 {
		t.Errorf("want a workflow using the action and one running mlflowlint: %d, %d", usesAction, ranCLI)
	}
}
