package rules

import (
	"testing"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/analyzer/analysistest"
)

// TestMLF033MayReport: the lexical test holds wherever MLF033 reports
// (every case runs the rule without any prefilter), and is false for the
// common uses that cannot report: plain imports, calls with a variable or
// nothing as the first argument, other keywords.
func TestMLF033MayReport(t *testing.T) {
	head := "import mlflow\nfrom mlflow import MlflowClient\n"
	cases := []struct {
		src  string
		want bool
	}{
		{"mlflow.set_tracking_uri(tmp_path.as_uri())\nclient = MlflowClient()\n", false},
		{"client = MlflowClient(tracking_uri=uri, registry_uri=\"./registry\")\n", false},
		{"from mlflow import (\n    MlflowClient,\n    set_tracking_uri,\n)\nset_tracking_uri(path)\n", false},
		{"if uri == \"x\":\n    MlflowClient(uri)\n", false},
		{"mlflow.set_tracking_uri(\"./mlruns\")\n", true},
		{"mlflow.set_tracking_uri  (  # why\n  (f\"file:{root}\"))\n", true},
		{"mlflow.set_tracking_uri(uri=\\\n    \"/srv/mlruns\")\n", true},
		{"MlflowClient(registry_uri=r, tracking_uri=  # local\n  \"mlruns\")\n", true},
		{"mlflow.set_tracking_uri(\"file://\" + root)\n", true},
		{"from mlflow import MlflowClient as C\nC(\"mlruns\")\n", true},
		{"from mlflow import (MlflowClient as C)\nC(\"mlruns\")\n", true},
		{"from mlflow import MlflowClient \\\n    as C\nC(\"mlruns\")\n", true},
		{"from mlflow import MlflowClient; MlflowClient(\"mlruns\")\n", true},
		{"f = mlflow.set_tracking_uri\nf(\"./mlruns\")\n", true},
		{"f = getattr(mlflow, \"set_tracking_uri\")\nf(\"./mlruns\")\n", true},
		{"import os\nos.environ[\"MLFLOW_TRACKING_URI\"] = \"./mlruns\"\n", true},
		{"def client() -> MlflowClient:\n    return make()\n", true},
		{"mlflow.set_tracking_uri(\"./mlruns\")\r\n", true},
	}
	s := analysistest.Setup{Rules: Suite, TextRules: TextSuite, Target: analyzer.MustVersion("3.15"), NoPrefilter: true}
	for _, c := range cases {
		src := head + c.src
		if got := mlf033MayReport([]byte(src)); got != c.want {
			t.Errorf("mlf033MayReport(%q) = %v, want %v", c.src, got, c.want)
		}
		res, _, err := analysistest.Analyze(s, "case.py", []byte(src), false, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Findings {
			if f.Code == "MLF033" && !mlf033MayReport([]byte(src)) {
				t.Errorf("MLF033 reports on %q, which the lexical test rules out", c.src)
			}
		}
	}
}
