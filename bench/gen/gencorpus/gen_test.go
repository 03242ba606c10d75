package gencorpus

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/mlflowlint/mlflowlint/parser"
)

// markers holds, per family, a pattern that every block of that family writes.
var markers = map[string]*regexp.Regexp{
	"tracking":                  regexp.MustCompile(`\.log_params\(params\)`),
	"evaluate-custom-metrics":   regexp.MustCompile(`custom_metrics`),
	"evaluate-baseline":         regexp.MustCompile(`baseline_model=baseline_uri`),
	"metric-threshold":          regexp.MustCompile(`higher_is_better=(True|False)`),
	"run-uuid":                  regexp.MustCompile(`\.info\.run_uuid`),
	"log-model-artifact-path":   regexp.MustCompile(`log_model\(\s*model,\s*(artifact_path=|"model")`),
	"fastai":                    regexp.MustCompile(`fastai\.log_model\(learn, artifact_path=`),
	"removed-modules":           regexp.MustCompile(`mlflow\.(recipes|mleap|gluon|diviner)|from mlflow import (gluon|diviner)`),
	"gateway":                   regexp.MustCompile(`mlflow\.gateway`),
	"pyfunc-code-path":          regexp.MustCompile(`code_path=\[`),
	"pytorch-requirements-file": regexp.MustCompile(`pytorch\.log_model\(net, "model", requirements_file=`),
	"signature-dict":            regexp.MustCompile(`\.signature_dict`),
	"tensorflow-autolog":        regexp.MustCompile(`tensorflow\.autolog\((every_n_iter=)?\d+`),
	"git-tags-and-env":          regexp.MustCompile(`"mlflow\.gitBranchName"[\s\S]*"MLFLOW_GCS_DEFAULT_TIMEOUT"|"MLFLOW_GCS_DEFAULT_TIMEOUT"[\s\S]*"mlflow\.gitBranchName"`),
	"registry-stages":           regexp.MustCompile(`\.transition_model_version_stage\(`),
	"lookalikes":                regexp.MustCompile(`def evaluate(_\d+)?\(model, data, custom_metrics=None`),
}

// spellings are import and call forms the corpus as a whole must contain.
var spellings = []string{
	`(?m)^import mlflow$`,
	`(?m)^import mlflow as (mf|ml|mlf)$`,
	`(?m)^import mlflow\.\w+ as mlflow_\w+$`,
	`(?m)^from mlflow import \w+ as ml_\w+$`,
	`(?m)^from mlflow import evaluate$`,
	`(?m)^from mlflow\.models import evaluate as model_evaluate$`,
	`\bmlf?\.evaluate\(|\bmf\.evaluate\(`,
	`(?m)^from mlflow\.models\.evaluation\.base import MetricThreshold$`,
	`(?m)^from mlflow\.models import MetricThreshold as Threshold$`,
	`(?m)^from mlflow\.client import MlflowClient as TrackingClient$`,
	`(?m)^    import mlflow\.fastai$`,
	`(?m)^    from mlflow\.recipes import Recipe$`,
	`(?m)^try:\n    import mlflow`,
	`baseline_config=`,
	`\*\*kwargs\)`,
	`log_artifacts?\([^)]*artifact_path=`,
	`greater_is_better=`,
}

func TestGenerateIsDeterministic(t *testing.T) {
	a := Generate(7, 40)
	b := Generate(7, 40)
	if len(a) != 40 || len(b) != 40 {
		t.Fatalf("got %d and %d files, want 40", len(a), len(b))
	}
	for i := range a {
		if a[i].Path != b[i].Path || !bytes.Equal(a[i].Data, b[i].Data) {
			t.Fatalf("file %d differs between two runs with the same seed", i)
		}
	}
	// Module i does not depend on how many modules are asked for.
	short := Generate(7, 10)
	for i := range short {
		if short[i].Path != a[i].Path || !bytes.Equal(short[i].Data, a[i].Data) {
			t.Fatalf("file %d differs between n=10 and n=40", i)
		}
	}
	other := Generate(8, 40)
	same := 0
	for i := range a {
		if bytes.Equal(a[i].Data, other[i].Data) {
			same++
		}
	}
	if same != 0 {
		t.Fatalf("%d of 40 files are equal for seeds 7 and 8", same)
	}
	paths := map[string]bool{}
	for _, f := range Generate(1, 350) {
		if paths[f.Path] {
			t.Fatalf("path %s generated twice", f.Path)
		}
		paths[f.Path] = true
	}
}

func TestEveryFileCarriesItsFamily(t *testing.T) {
	if len(markers) != len(families) {
		t.Fatalf("%d markers for %d families", len(markers), len(families))
	}
	files := Generate(1, 2*len(families))
	for i, f := range files {
		fam := families[i%len(families)].name
		re, ok := markers[fam]
		if !ok {
			t.Fatalf("no marker for family %q", fam)
		}
		if !re.Match(f.Data) {
			t.Errorf("%s (file %d) lacks family %s: %s", f.Path, i, fam, re)
		}
		if !bytes.Contains(f.Data, []byte("mlflow")) {
			t.Errorf("%s does not mention mlflow", f.Path)
		}
	}
}

func TestCorpusHasEverySpelling(t *testing.T) {
	all := bytes.Join(func() [][]byte {
		var out [][]byte
		for _, f := range Generate(1, 350) {
			out = append(out, f.Data)
		}
		return out
	}(), []byte("\n"))
	for _, s := range spellings {
		if !regexp.MustCompile(s).Match(all) {
			t.Errorf("no generated file matches %s", s)
		}
	}
}

func TestGeneratedCodeParses(t *testing.T) {
	for _, f := range Generate(3, 64) {
		n, err := parser.CheckSyntax(context.Background(), f.Data)
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		if n != 0 {
			t.Errorf("%s: %d syntax errors", f.Path, n)
		}
	}
}

func TestWriteLaysOutFiles(t *testing.T) {
	dir := t.TempDir()
	files := Generate(2, 12)
	if err := Write(dir, files); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, f.Data) {
			t.Errorf("%s: written bytes differ", f.Path)
		}
	}
}
