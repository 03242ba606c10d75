package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestVersionsCommand(t *testing.T) {
	o := runCLI(t, "", "versions")
	if o.code != 0 {
		t.Fatalf("versions: exit %d %s", o.code, o.stderr)
	}
	for _, want := range []string{"default target 3.18.0", "\n  2.9    2.9.2\n", "\n  3.1    3.1.0 3.1.1 3.1.3 3.1.4\n", "\n  1.30   1.30.1\n"} {
		if !strings.Contains(o.stdout, want) {
			t.Errorf("versions output lacks %q:\n%s", want, o.stdout)
		}
	}
	if o := runCLI(t, "", "versions", "extra"); o.code != 2 {
		t.Errorf("versions with an argument: exit %d", o.code)
	}
}

func TestTargetVersionMustBeARelease(t *testing.T) {
	for _, v := range []string{"3.99", "3.4.7", "2.9", "4"} {
		o := runCLI(t, "import mlflow\n", "--isolated", "--target-version", v, "-", "--stdin-filename", "t.py")
		if o.code != 2 || !strings.Contains(o.stderr, v+" is not an MLflow 3.x release; known: 3.0.0, 3.0.1, 3.1.0") || !strings.Contains(o.stderr, "3.18.0") {
			t.Errorf("--target-version %s: exit %d, stderr %q", v, o.code, o.stderr)
		}
	}
	for _, v := range []string{"3.4", "3.4.0", "3.18"} {
		if o := runCLI(t, "import mlflow\n", "--isolated", "--target-version", v, "-", "--stdin-filename", "t.py"); o.code != 0 {
			t.Errorf("--target-version %s: exit %d %s", v, o.code, o.stderr)
		}
	}
	if o := runCLI(t, "import mlflow\n", "--isolated", "--source-version", "2.99", "-", "--stdin-filename", "t.py"); o.code != 2 || !strings.Contains(o.stderr, "--source-version") {
		t.Errorf("--source-version 2.99: exit %d %q", o.code, o.stderr)
	}
}

// The source releases decide whether a name gone in 2.0 is reported as
// removed by the upgrade (code written for 1.x) or as already broken.
func TestSourceVersion(t *testing.T) {
	test := "from unittest import mock\n\n\n@mock.patch(\"mlflow.tracking.MlflowClient.list_experiments\")\ndef test_x(m):\n    pass\n"
	removed := "MLF301 patch target `mlflow.tracking.MlflowClient.list_experiments` was removed in MLflow 2.0 (last in 1.30.1)"
	for _, c := range []struct {
		name  string
		files map[string]string
		args  []string
		want  string
	}{
		{"any 2.x", map[string]string{"test_a.py": test}, nil, "MLF302 patch target `mlflow.tracking.MlflowClient.list_experiments` is already broken on MLflow 2.x: removed in MLflow 2.0 (last in 1.30.1)"},
		{"flag", map[string]string{"test_a.py": test}, []string{"--source-version", "1.30"}, removed},
		{"pinned 1.x", map[string]string{"test_a.py": test, "requirements.txt": "mlflow==1.30.1\n"}, nil, removed},
		{"pinned 2.9", map[string]string{"test_a.py": test, "requirements.txt": "mlflow==2.9.2\n"}, nil, "MLF302 patch target `mlflow.tracking.MlflowClient.list_experiments` is already broken on MLflow 2.9.2: removed in MLflow 2.0"},
		{"flag over pin", map[string]string{"test_a.py": test, "requirements.txt": "mlflow==2.9.2\n"}, []string{"--source-version", "1"}, removed},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := project(t, c.files)
			args := append([]string{"--isolated", "--output-format", "concise", "--select", "MLF3"}, c.args...)
			o := runCLI(t, "", append(args, dir)...)
			if o.code != 1 || !strings.Contains(o.stdout, filepath.Base("test_a.py")+":4:13: "+c.want) {
				t.Errorf("exit %d, want %q in:\n%s%s", o.code, c.want, o.stdout, o.stderr)
			}
		})
	}
}

// The result cache keys on the source releases: the same file checked for
// another source gives that source's findings.
func TestSourceVersionIsPartOfTheCacheKey(t *testing.T) {
	dir := project(t, map[string]string{"test_a.py": "from unittest import mock\n\n\n@mock.patch(\"mlflow.tracking.MlflowClient.list_experiments\")\ndef test_x(m):\n    pass\n"})
	cache := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "MLF302"},
		{[]string{"--source-version", "1.30"}, "MLF301"},
		{nil, "MLF302"},
	} {
		args := append([]string{"--isolated", "--output-format", "concise", "--select", "MLF3", "--cache-dir", cache}, c.args...)
		if o := runCLI(t, "", append(args, dir)...); !strings.Contains(o.stdout, c.want) {
			t.Errorf("%v: want %s in:\n%s%s", c.args, c.want, o.stdout, o.stderr)
		}
	}
}
