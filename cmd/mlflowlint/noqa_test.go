package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// project writes files into a fresh directory and returns it.
func project(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, files)
	return dir
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var adoptProject = map[string]string{
	"train.py": "import mlflow\nimport mlflow.fastai\nfrom mlflow.models import MetricThreshold\n\n" +
		"t = MetricThreshold(threshold=0.8, higher_is_better=True)  # noqa: E501\n" +
		"doc = '''uses mlflow.fastai\n'''\n",
	"win.py":   "import mlflow\r\nmlflow.evaluate(m, d, custom_metrics=[f])\r\n",
	"clean.py": "import mlflow\n\nmlflow.log_metric('a', 1)\n",
}

// TestAddNoqaAdoption is the adoption workflow: --add-noqa silences every
// current finding in place, the next check passes, a second --add-noqa
// adds nothing, and new breakage is still reported.
func TestAddNoqaAdoption(t *testing.T) {
	dir := project(t, adoptProject)
	o := runCLI(t, "", "--isolated", "--select", "MLF002,MLF011,MLF012", "--add-noqa", dir)
	if o.code != 0 || !strings.Contains(o.stderr, "Added 3 noqa directives.") {
		t.Fatalf("--add-noqa: exit %d\n%s%s", o.code, o.stdout, o.stderr)
	}
	if got := readFile(t, filepath.Join(dir, "train.py")); !strings.Contains(got, "import mlflow.fastai  # noqa: MLF002\n") ||
		!strings.Contains(got, "higher_is_better=True)  # noqa: E501, MLF011\n") {
		t.Errorf("train.py:\n%s", got)
	}
	if got := readFile(t, filepath.Join(dir, "win.py")); got != "import mlflow\r\nmlflow.evaluate(m, d, custom_metrics=[f])  # noqa: MLF012\r\n" {
		t.Errorf("win.py lost its line endings or got no comment: %q", got)
	}
	if got := readFile(t, filepath.Join(dir, "clean.py")); got != adoptProject["clean.py"] {
		t.Errorf("clean.py changed: %q", got)
	}
	o = runCLI(t, "", "--isolated", "--select", "MLF002,MLF011,MLF012", dir)
	if o.code != 0 {
		t.Fatalf("findings left after --add-noqa: exit %d\n%s", o.code, o.stdout)
	}
	o = runCLI(t, "", "--isolated", "--select", "MLF002,MLF011,MLF012", "--add-noqa", dir)
	if o.code != 0 || !strings.Contains(o.stderr, "Added 0 noqa directives.") {
		t.Errorf("second --add-noqa: exit %d\n%s", o.code, o.stderr)
	}
	writeFiles(t, dir, map[string]string{"clean.py": adoptProject["clean.py"] + "mlflow.evaluate(m, d, custom_metrics=[g])\n"})
	o = runCLI(t, "", "--isolated", "--select", "MLF002,MLF011,MLF012", "--output-format", "concise", dir)
	if o.code != 1 || !strings.Contains(o.stdout, "clean.py:4:23: MLF012") {
		t.Errorf("new breakage after adoption: exit %d\n%s", o.code, o.stdout)
	}
}

func TestAddNoqaSkipsWhatCannotTakeAComment(t *testing.T) {
	dir := project(t, map[string]string{
		"multi.py": "import mlflow\nmlflow.evaluate(m, d, custom_metrics=[f], note='''a\nb''')\n",
	})
	before := readFile(t, filepath.Join(dir, "multi.py"))
	o := runCLI(t, "", "--isolated", "--select", "MLF012", "--add-noqa", dir)
	if !strings.Contains(o.stderr, "multi.py:2: noqa not added: the line ends inside a multi-line string") ||
		!strings.Contains(o.stderr, "Added 0 noqa directives.") {
		t.Errorf("stderr:\n%s", o.stderr)
	}
	if readFile(t, filepath.Join(dir, "multi.py")) != before {
		t.Error("the file changed")
	}
	o = runCLI(t, "import mlflow\n", "--isolated", "--add-noqa", "-", "--stdin-filename", "x.py")
	if o.code != 2 {
		t.Errorf("--add-noqa on standard input: exit %d", o.code)
	}
}

func TestUnusedNoqaRule(t *testing.T) {
	src := "import mlflow\nmlflow.evaluate(m, d, extra_metrics=[f])  # noqa: MLF012\n"
	// MLF902 (mlflow.evaluate is deprecated) stays out of the way.
	// Not reported unless MLF000 is named.
	for _, args := range [][]string{{}, {"--select", "MLF"}, {"--select", "ALL"}} {
		o := runCLI(t, src, append([]string{"--isolated", "--ignore", "MLF902", "--output-format", "concise", "-", "--stdin-filename", "a.py"}, args...)...)
		if strings.Contains(o.stdout, "MLF000") {
			t.Errorf("%v: MLF000 reported without being selected:\n%s", args, o.stdout)
		}
	}
	o := runCLI(t, src, "--isolated", "--ignore", "MLF902", "--extend-select", "MLF000", "--output-format", "concise", "-", "--stdin-filename", "a.py")
	if o.code != 1 || !strings.Contains(o.stdout, "a.py:2:43: MLF000 [*] unused `noqa` directive") {
		t.Errorf("--extend-select MLF000: exit %d\n%s%s", o.code, o.stdout, o.stderr)
	}
	o = runCLI(t, src, "--isolated", "--ignore", "MLF902", "--extend-select", "MLF000", "--fix", "-", "--stdin-filename", "a.py")
	if o.stdout != "import mlflow\nmlflow.evaluate(m, d, extra_metrics=[f])\n" {
		t.Errorf("--fix did not remove the unused directive:\n%q", o.stdout)
	}
	o = runCLI(t, src, "--isolated", "--select", "MLF000", "-", "--stdin-filename", "a.py")
	if o.code != 0 {
		t.Errorf("--select MLF000 alone (MLF012 not run, so not unused): exit %d\n%s", o.code, o.stdout)
	}
	cfg := project(t, map[string]string{"mlflowlint.toml": "extend-select = [\"MLF000\"]\nignore = [\"MLF902\"]\n"})
	o = runCLI(t, src, "--config", filepath.Join(cfg, "mlflowlint.toml"), "-", "--stdin-filename", "a.py")
	if o.code != 1 || !strings.Contains(o.stdout, "MLF000") {
		t.Errorf("MLF000 from the configuration: exit %d\n%s%s", o.code, o.stdout, o.stderr)
	}
}

// TestConfigurationExample runs examples/mlflowlint.toml, the file the
// README and docs/configuration.md show, against a project that exercises
// each of its keys.
func TestConfigurationExample(t *testing.T) {
	cfg := readFile(t, filepath.Join("..", "..", "examples", "mlflowlint.toml"))
	breaking := "import mlflow\nfrom mlflow.models import MetricThreshold\nt = MetricThreshold(threshold=1, higher_is_better=True)\n"
	dir := project(t, map[string]string{
		"mlflowlint.toml":            cfg,
		"app.py":                     breaking + "mlflow.evaluate(m, d, extra_metrics=[f])\n",
		"stale.py":                   "import mlflow\nmlflow.log_metric('a', 1)  # noqa: MLF011\n",
		"tests/test_app.py":          breaking,
		"build/lib/app.py":           breaking,
		"notebooks/scratch/trial.py": breaking,
		"notebooks/keep.py":          breaking,
	})
	o := runCLI(t, "", "--config", filepath.Join(dir, "mlflowlint.toml"), "--output-format", "concise", dir)
	var got []string
	for _, l := range strings.Split(o.stdout, "\n") {
		if i := strings.Index(l, ": MLF"); i > 0 {
			rel, _ := filepath.Rel(dir, l[:strings.Index(l, ":")])
			got = append(got, filepath.ToSlash(rel)+" "+l[i+2:i+8])
		}
	}
	want := "app.py MLF011|notebooks/keep.py MLF011|stale.py MLF000"
	if strings.Join(got, "|") != want || o.code != 1 {
		t.Errorf("exit %d, findings %q, want %q\n%s%s", o.code, strings.Join(got, "|"), want, o.stdout, o.stderr)
	}
	// Flags win over the file. With MLF011 off, its noqa comment in
	// stale.py is not called unused either: the rule did not run.
	o = runCLI(t, "", "--config", filepath.Join(dir, "mlflowlint.toml"), "--ignore", "MLF011", "--output-format", "concise", dir)
	if o.code != 0 || strings.Contains(o.stdout, "MLF0") {
		t.Errorf("--ignore over the file: exit %d\n%s", o.code, o.stdout)
	}
	// --force-exclude applies the excludes to files named explicitly, as
	// pre-commit names them.
	named := filepath.Join(dir, "build", "lib", "app.py")
	if o := runCLI(t, "", "--config", filepath.Join(dir, "mlflowlint.toml"), named); o.code != 1 {
		t.Errorf("an explicitly named file is checked without --force-exclude: exit %d", o.code)
	}
	if o := runCLI(t, "", "--config", filepath.Join(dir, "mlflowlint.toml"), "--force-exclude", named); o.code != 0 {
		t.Errorf("--force-exclude: exit %d\n%s", o.code, o.stdout)
	}
}

func TestExitCodeFlags(t *testing.T) {
	fixable := "import mlflow\nmlflow.evaluate(m, d, custom_metrics=[f])\n"
	dir := project(t, map[string]string{"a.py": fixable})
	if o := runCLI(t, "", "--isolated", "--select", "MLF012", "--fix", dir); o.code != 0 {
		t.Errorf("--fix with everything fixed: exit %d", o.code)
	}
	writeFiles(t, dir, map[string]string{"a.py": fixable})
	if o := runCLI(t, "", "--isolated", "--select", "MLF012", "--fix", "--exit-non-zero-on-fix", dir); o.code != 1 {
		t.Errorf("--exit-non-zero-on-fix after fixing: exit %d", o.code)
	}
	if o := runCLI(t, "", "--isolated", "--select", "MLF012", "--fix", "--exit-non-zero-on-fix", dir); o.code != 0 {
		t.Errorf("--exit-non-zero-on-fix with nothing to fix: exit %d", o.code)
	}
	writeFiles(t, dir, map[string]string{"a.py": fixable})
	if o := runCLI(t, "", "--isolated", "--exit-zero", dir); o.code != 0 || !strings.Contains(o.stdout, "MLF012") {
		t.Errorf("--exit-zero: exit %d\n%s", o.code, o.stdout)
	}
	if o := runCLI(t, "", "--isolated", "--exit-zero", filepath.Join(dir, "missing.py")); o.code != 2 {
		t.Errorf("--exit-zero still exits 2 on an error: exit %d", o.code)
	}
}

func TestQuietVerboseVersion(t *testing.T) {
	dir := project(t, map[string]string{"ok.py": "import mlflow\nmlflow.log_metric('a', 1)\n", "skip.txt": "x"})
	if o := runCLI(t, "", "--isolated", "--quiet", dir); o.code != 0 || o.stdout != "" || o.stderr != "" {
		t.Errorf("--quiet on a clean tree printed %q %q", o.stdout, o.stderr)
	}
	if o := runCLI(t, "", "--isolated", dir); !strings.Contains(o.stdout, "All checks passed!") {
		t.Errorf("default output on a clean tree: %q", o.stdout)
	}
	// ok.py mentions mlflow but none of the rules' triggers, so it is not
	// parsed (rules.Triggers, rules.WordTriggers). `mlflow.autolog()` is no
	// trigger either: MLF020 needs `tensorflow` and `autolog` both.
	if o := runCLI(t, "", "--isolated", "--verbose", dir); !strings.Contains(o.stderr, "1 files considered, 0 parsed") {
		t.Errorf("--verbose: %q", o.stderr)
	}
	writeFiles(t, dir, map[string]string{"ok.py": "import mlflow\nmlflow.log_metric('a', 1)\nmlflow.autolog()\n"})
	if o := runCLI(t, "", "--isolated", "--verbose", dir); !strings.Contains(o.stderr, "1 files considered, 0 parsed") {
		t.Errorf("--verbose: %q", o.stderr)
	}
	writeFiles(t, dir, map[string]string{"ok.py": "import mlflow\nmlflow.log_metric('a', 1)\nmlflow.tensorflow.autolog()\n"})
	if o := runCLI(t, "", "--isolated", "--verbose", dir); !strings.Contains(o.stderr, "1 files considered, 1 parsed") {
		t.Errorf("--verbose: %q", o.stderr)
	}
	// g needs nothing: the import (16 bytes with its blank lines) and f
	// (43) are read, g (22) is not.
	writeFiles(t, dir, map[string]string{"ok.py": "import mlflow\n\n\ndef f():\n    mlflow.tensorflow.autolog()\n\n\ndef g():\n    return 1\n"})
	if o := runCLI(t, "", "--isolated", "--verbose", dir); !strings.Contains(o.stderr, "1 files considered, 1 parsed (59 B of their 81 B read by the parser)") {
		t.Errorf("--verbose: %q", o.stderr)
	}
	writeFiles(t, dir, map[string]string{"bad.py": "import mlflow.fastai\n"})
	if o := runCLI(t, "", "--isolated", "--quiet", dir); o.code != 1 || !strings.Contains(o.stdout, "MLF002") {
		t.Errorf("--quiet hides findings: exit %d %q", o.code, o.stdout)
	}
	for _, flag := range []string{"--version", "-V"} {
		if o := runCLI(t, "", flag); o.code != 0 || o.stdout != versionLine(toolVersion(), dataVersion())+"\n" || !strings.Contains(o.stdout, " (MLflow data 3.18.0, 57 releases, sha256:") {
			t.Errorf("%s: exit %d %q", flag, o.code, o.stdout)
		}
	}
}

func TestStdinFilenameDecidesPerFileSettings(t *testing.T) {
	cfg := project(t, map[string]string{
		"mlflowlint.toml": "select = [\"MLF012\"]\n\n[per-file-ignores]\n\"tests/**\" = [\"MLF012\"]\n",
	})
	src := "import mlflow\nmlflow.evaluate(m, d, custom_metrics=[f])\n"
	conf := filepath.Join(cfg, "mlflowlint.toml")
	if o := runCLI(t, src, "--config", conf, "-", "--stdin-filename", filepath.Join(cfg, "tests", "t.py")); o.code != 0 {
		t.Errorf("per-file-ignores by --stdin-filename: exit %d\n%s", o.code, o.stdout)
	}
	o := runCLI(t, src, "--config", conf, "--output-format", "json", "-", "--stdin-filename", filepath.Join(cfg, "src", "t.py"))
	if o.code != 1 || !strings.Contains(o.stdout, `"code": "MLF012"`) || !strings.Contains(o.stdout, "t.py") {
		t.Errorf("stdin json: exit %d\n%s", o.code, o.stdout)
	}
	o = runCLI(t, src+"x = 1  # noqa: MLF012\n", "--isolated", "--select", "MLF012", "--quiet", "--fix", "-", "--stdin-filename", "t.py")
	if o.stdout != "import mlflow\nmlflow.evaluate(m, d, extra_metrics=[f])\nx = 1  # noqa: MLF012\n" || o.stderr != "" {
		t.Errorf("--fix on standard input: %q %q", o.stdout, o.stderr)
	}
}

// TestNoProgressWhenPiped runs over more files than the progress threshold
// with standard error not a terminal: nothing but the report is printed.
func TestNoProgressWhenPiped(t *testing.T) {
	files := map[string]string{}
	for i := 0; i < 2001; i++ {
		files[fmt.Sprintf("pkg/d%d/m%04d.py", i%7, i)] = "x = 1\n"
	}
	dir := project(t, files)
	o := runCLI(t, "", "--isolated", "--verbose", dir)
	if o.code != 0 || strings.Contains(o.stderr, "\r") || strings.Contains(o.stderr, "] files") {
		t.Errorf("exit %d, stderr %q", o.code, o.stderr)
	}
	if !strings.Contains(o.stderr, "2001 files considered") {
		t.Errorf("want 2001 files considered: %q", o.stderr)
	}
}
