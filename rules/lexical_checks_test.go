package rules

import (
	"testing"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/analyzer/analysistest"
)

// TestMLF033MayReport: the lexical test holds wherever MLF033 reports
// (every case runs the rule without any prefilter), and is false for the
// common uses that cannot report: plain imports, calls with a variable or
// nothing as the first argument, other keywords, a class of the name.
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
		{"class MlflowClient:\n    pass\n\n\nMlflowClient(uri)\n", false},
		{"class  MlflowClient(Base):\n    pass\n", false},
		{"class Sub(MlflowClient):\n    pass\n\n\nSub(\"./mlruns\")\n", true},
		{"mlflow.set_tracking_uri(\"./mlruns\")\r\n", true},
	}
	for _, c := range cases {
		checkLexical(t, "MLF033", mlf033MayReport, head+c.src, c.want)
	}
}

// checkLexical requires check(src) to be want, and the rule, run without
// any prefilter, to report nothing on src where check is false.
func checkLexical(t *testing.T, code string, check func([]byte) bool, src string, want bool) {
	t.Helper()
	if got := check([]byte(src)); got != want {
		t.Errorf("%s check of %q = %v, want %v", code, src, got, want)
	}
	s := analysistest.Setup{Rules: Suite, TextRules: TextSuite, Target: analyzer.MustVersion("3.15"), NoPrefilter: true}
	res, _, err := analysistest.Analyze(s, "case.py", []byte(src), false, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Code == code && !check([]byte(src)) {
			t.Errorf("%s reports on %q, which the lexical test rules out", code, src)
		}
	}
}

// TestMLF044MayReport: as TestMLF033MayReport, for the version checks.
func TestMLF044MayReport(t *testing.T) {
	check := "\nif v < \"3\":\n    pass\n"
	cases := []struct {
		src  string
		want bool
	}{
		{"import mlflow\nv = mlflow.__version__" + check, true},
		{"import mlflow as mf\nif mf.__version__.startswith(\"2.\"):\n    pass\n", true},
		{"from mlflow import __version__ as v" + check, true},
		{"from mlflow import (\n    # the version )\n    __version__,\n)\nv = __version__" + check, true},
		{"from mlflow \\\n    import __version__\nv = __version__" + check, true},
		{"from mlflow.version import VERSION as v" + check, true},
		{"from mlflow import *\nv = __version__" + check, true},
		{"import mlflow\nv = getattr(mlflow, \"__version__\")" + check, true},
		{"import mlflow\nv = (mlflow.  # why\n     __version__)" + check, true},
		{"import mlflow\nfrom importlib.metadata import version\nv = version(\"mlflow\")" + check, true},
		{"import mlflow\nimport pkg_resources\nv = pkg_resources.get_distribution('mlflow-skinny').version" + check, true},
		{"\"\"\"The package.\"\"\"\nimport mlflow\n__version__ = \"0.14.4\"\n", false},
		{"import mlflow\nfrom kedro_mlflow import __version__ as v" + check, false},
		{"import mlflow\nfrom importlib.metadata import version\nv = version(\"kedro-mlflow\")" + check, false},
		{"import mlflow\nVERSION = (1, 2)\nv = VERSION" + check, false},
		{"import mlflow as mf\nv = mf.version.VERSION" + check, true},
		{"import mlflow\nv = mlflow . __version__" + check, true},
		{"import mlflow\nfrom importlib.metadata import version\nv = version(\n    # which\n    'mlflow',\n)" + check, true},
		{"import mlflow\nfrom importlib import metadata\nv = metadata.version(r\"mlflow\")" + check, true},
		{"import mlflow\nimport google.protobuf\nfrom packaging.version import Version\nif Version(google.protobuf.__version__).major >= 5:\n    pass\n", false},
		{"import mlflow\nimport numpy\nv = numpy.lib.NumpyVersion(numpy.version.version)" + check, false},
		{"import mlflow\nfrom pydantic import __version__ as pydantic_version\nif pydantic_version < \"2\":\n    mlflow.set_tag(\"x\", \"mlflow\")\n", false},
		{"import mlflow\nctx.__setattr__(\"mlflow\", config)\nfrom importlib.metadata import version\nv = version(pkg)" + check, false},
		{"import mlflow\nconfig = {\"tracking\": \"mlflow\"}\nfrom importlib.metadata import version\nv = version(pkg)" + check, false},
	}
	for _, c := range cases {
		checkLexical(t, "MLF044", mlf044MayReport, c.src, c.want)
	}
}
