package apidb

import (
	"strings"
	"testing"
)

func TestCLIReleasesMatchAPIData(t *testing.T) {
	c := LoadCLI()
	if strings.Join(c.Versions(), " ") != strings.Join(Versions(), " ") {
		t.Fatalf("mlflow.cli.gz releases %v differ from mlflow.api %v", c.Versions(), Versions())
	}
}

func mustIndex(t *testing.T, v string) int {
	t.Helper()
	i, ok := Load().Index(v)
	if !ok {
		t.Fatalf("no release %s", v)
	}
	return i
}

// Facts checked by hand against `mlflow ... --help` of real installs.
func TestCLIFacts(t *testing.T) {
	c := LoadCLI()
	v130, v292, v300, v318 := mustIndex(t, "1.30.1"), mustIndex(t, "2.9.2"), mustIndex(t, "3.0.0"), mustIndex(t, "3.18.0")
	for _, tc := range []struct {
		path string
		rel  int
		want bool
	}{
		{"mlflow recipes run", v292, true},
		{"mlflow recipes run", v300, false},
		{"mlflow deployments start-server", v292, true},
		{"mlflow deployments start-server", v318, false},
		{"mlflow gateway start", v318, true},
		{"mlflow models serve", v318, true},
		{"mlflow pipelines run", v130, true},
		{"mlflow pipelines run", v292, false},
	} {
		if got, _ := c.Command(tc.path, tc.rel); got != tc.want {
			t.Errorf("Command(%q, %s) = %v, want %v", tc.path, c.Versions()[tc.rel], got, tc.want)
		}
	}
	for _, tc := range []struct {
		path, opt string
		rel       int
		want      bool
		nvalue    int
	}{
		{"mlflow run", "--no-conda", v130, true, 0},
		{"mlflow run", "--no-conda", v292, false, 0},
		{"mlflow run", "--env-manager", v318, true, 1},
		{"mlflow run", "--build-image", v292, true, 0},
		{"mlflow models serve", "--no-conda", v318, true, 0},
		{"mlflow models serve", "-m", v318, true, 1},
		{"mlflow server", "--serve-artifacts", v292, true, 0},
		{"mlflow server", "--no-serve-artifacts", v292, true, 0},
		{"mlflow deployments start-server", "--config-path", v292, true, 1},
		{"mlflow", "--version", v318, true, 0},
	} {
		n, ok := c.Option(tc.path, tc.opt, tc.rel)
		if ok != tc.want || ok && n != tc.nvalue {
			t.Errorf("Option(%q, %q, %s) = %d, %v; want %d, %v", tc.path, tc.opt, c.Versions()[tc.rel], n, ok, tc.nvalue, tc.want)
		}
	}
	if got := strings.Join(c.Subcommands("mlflow recipes", v292), " "); got != "clean get-artifact inspect run" {
		t.Errorf("Subcommands(mlflow recipes, 2.9.2) = %q", got)
	}
	if !c.EnvDefined("MLFLOW_GCS_DEFAULT_TIMEOUT", v292) || c.EnvNamed("MLFLOW_GCS_DEFAULT_TIMEOUT", v318) {
		t.Error("MLFLOW_GCS_DEFAULT_TIMEOUT: want defined in 2.9.2, gone in 3.18.0")
	}
	if !c.EnvDefined("MLFLOW_TRACKING_URI", v318) {
		t.Error("MLFLOW_TRACKING_URI not defined in 3.18.0")
	}
}

func TestParseCLIRejects(t *testing.T) {
	for _, text := range []string{
		"",
		"c\tmlflow\t*\n",
		"versions\t1.0.0\nc\tmlflow\t3\n",
		"versions\t1.0.0\nc\tmlflow\t*\no\tmlflow\t--x\tmany\t*\n",
		"versions\t1.0.0\nc\tmlflow\t*\nz\tq\n",
		"versions\t1.0.0\ne\tMLFLOW_X\t*\n",
	} {
		if _, err := ParseCLI(text); err == nil {
			t.Errorf("ParseCLI(%q): no error", text)
		}
	}
}

// MLFLOW_CONFIGURE_LOGGING read "MLFLOW_LOGGING_CONFIGURE_LOGGING" up to
// 2.21 and its own name from 2.22, where a shim still reads the old one.
func TestCLIEnvRename(t *testing.T) {
	c := LoadCLI()
	v221, v318 := mustIndex(t, "2.21.3"), mustIndex(t, "3.18.0")
	if got := c.EnvRenamed("MLFLOW_LOGGING_CONFIGURE_LOGGING", v221, v318); got != "MLFLOW_CONFIGURE_LOGGING" {
		t.Errorf("EnvRenamed = %q, want MLFLOW_CONFIGURE_LOGGING", got)
	}
	if !c.EnvNamed("MLFLOW_LOGGING_CONFIGURE_LOGGING", v318) || c.EnvDefined("MLFLOW_LOGGING_CONFIGURE_LOGGING", v318) {
		t.Error("MLFLOW_LOGGING_CONFIGURE_LOGGING: want named (the shim) but not defined in 3.18.0")
	}
	if got := c.EnvRenamed("MLFLOW_TRACKING_URI", v221, v318); got != "" {
		t.Errorf("EnvRenamed(MLFLOW_TRACKING_URI) = %q, want none", got)
	}
}

// TestEnvDropped agrees with its definition, checked release by release:
// a variable some release defines that a later release does not name.
func TestEnvDropped(t *testing.T) {
	c := LoadCLI()
	last := len(c.Versions()) - 1
	want := map[string]bool{}
	for r := 0; r < last; r++ {
		for _, v := range c.EnvVars(r) {
			for t := r + 1; t <= last; t++ {
				if !c.EnvNamed(v, t) {
					want[v] = true
				}
			}
		}
	}
	got := c.EnvDropped()
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("EnvDropped has %d variables, want %d", len(got), len(want))
	}
	for _, v := range got {
		if !want[v] {
			t.Errorf("EnvDropped lists %s", v)
		}
	}
}
