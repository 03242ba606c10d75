package rules_test

import (
	"strings"
	"testing"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/analyzer/analysistest"
	"github.com/mlflowlint/mlflowlint/apidb"
)

// TestMLF044Pinned checks the source range: with the project pinned to
// one release, a check that is true only on that release is reported, and
// the message names the release.
func TestMLF044Pinned(t *testing.T) {
	src, err := apidb.Select("2.9.2")
	if err != nil {
		t.Fatal(err)
	}
	rng, err := analyzer.NewAPIRange(src, "3.15")
	if err != nil {
		t.Fatal(err)
	}
	s := setup("3.15")
	s.API = &rng
	code := []byte(`import mlflow

EXACT = mlflow.__version__ == "2.9.2"
PINNED = mlflow.__version__ in ("2.9.2", "2.9.1")
SAME = mlflow.__version__ >= "2.10"
`)
	res, _, err := analysistest.Analyze(s, "pinned.py", code, false, false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Findings {
		if f.Code == "MLF044" {
			got = append(got, f.Message)
		}
	}
	// "2.9.2" >= "2.10" and "3.15.2" >= "2.10" are both True as strings;
	// as versions the first is False, but the string result does not
	// change, and the target's string result agrees with the versions.
	want := []string{
		"`mlflow.__version__ == \"2.9.2\"` is False on MLflow 3.15.2 (True on MLflow 2.9.2): review this check",
		"`mlflow.__version__ in (\"2.9.2\", \"2.9.1\")` is False on MLflow 3.15.2 (True on MLflow 2.9.2): review this check",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
