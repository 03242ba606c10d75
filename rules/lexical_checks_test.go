package rules

import (
	"strings"
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
		// A name alone before the attribute is MLflow's where it is bound
		// to the module mlflow or mlflow.version under another name.
		{"import mlflow\nm = mlflow\nif m.__version__ < \"3\":\n    pass\n", true},
		{"import mlflow\na = mlflow\nb = a\nif b.__version__ < \"3\":\n    pass\n", true},
		{"import mlflow\nm = (  # the module\n    mlflow)\nv = m.__version__" + check, true},
		{"import mlflow\nm = \\\n    mlflow\nv = m.__version__" + check, true},
		{"import mlflow\nimport mlflow.version as mv\nv = mv.VERSION" + check, true},
		{"import mlflow\nimport mlflow . version  as mv\nv = mv.VERSION" + check, true},
		{"import mlflow\nfrom mlflow import version\nv = version.VERSION" + check, true},
		{"import mlflow\nfrom mlflow import (\n    version as mv,\n)\nv = mv.VERSION" + check, true},
		{"import mlflow\nmv = mlflow.version\nv = mv.VERSION" + check, true},
		{"import mlflow\ndef f(m=mlflow):\n    return m.__version__ < \"3\"\n", true},
		{"import mlflow\nif (m := mlflow).__version__ < \"3\":\n    pass\n", true},
		{"import mlflow\nimport langchain\nif langchain.__version__ < \"3\":\n    pass\n", false},
		{"import mlflow\nimport pydantic as pd\nv = pd.__version__" + check, false},
		{"import mlflow\nfrom packaging import version\nv = version.VERSION" + check, false},
		{"import mlflow\nm = mlflow.log_param\nv = m.__version__" + check, false},
		{"import mlflow\nm = mlflow.version.VERSION_INFO\nv = m.__version__" + check, false},
		{"import mlflow\nok = m == mlflow\nv = m.__version__" + check, false},
		{"import mlflow\nfrom mlflow.utils import x as y\nv = y.__version__" + check, false},
		{"import mlflow\nconfig = {\"tracking\": \"mlflow\"}\nfrom importlib.metadata import version\nv = version(pkg)" + check, false},
	}
	for _, c := range cases {
		checkLexical(t, "MLF044", mlf044MayReport, c.src, c.want)
	}
}

// TestKeywordMayStart: the test of a match of a removed keyword's name
// holds wherever its rule reports (every case runs the rule without any
// prefilter): keyword arguments, across lines and comments, and the keys
// of dict literals and dict(...) unpacked into the call; it is false for
// annotated parameters, reads of a variable of the name, longer names
// and prose. An assignment to a variable of the name looks like a keyword
// argument on its own line and counts.
func TestKeywordMayStart(t *testing.T) {
	head := "import mlflow\n"
	cases := []struct {
		code, name, src string
		want            bool
	}{
		{"MLF018", "inference_config", "mlflow.transformers.log_model(m, \"p\", inference_config={})\n", true},
		{"MLF018", "inference_config", "mlflow.transformers.save_model(\n    m,\n    \"p\",\n    inference_config  # set\n    = cfg,\n)\n", true},
		{"MLF018", "inference_config", "kw = {\"inference_config\": cfg}\nmlflow.transformers.log_model(m, \"p\", **kw)\n", true},
		{"MLF018", "inference_config", "mlflow.transformers.log_model(m, \"p\", **{'inference_config': cfg})\n", true},
		{"MLF018", "inference_config", "mlflow.transformers.log_model(m, \"p\", **dict(inference_config=cfg))\n", true},
		{"MLF018", "inference_config", "def save(m, inference_config: dict = None):\n    if inference_config:\n        return inference_config == {}\n", false},
		{"MLF018", "inference_config", "async_inference_config = 1\nf(async_inference_config=2)\n", false},
		{"MLF018", "inference_config", "msg = \"inference_config is gone\"  # see inference_config\n", false},
		{"MLF018", "inference_config", "inference_config = {}\n", true},
		{"MLF012", "custom_metrics", "mlflow.evaluate(m, d, custom_metrics=[c])\n", true},
		{"MLF012", "custom_metrics", "mlflow.evaluate(m, d, extra_metrics=custom_metrics)\n", false},
		{"MLF013", "baseline_model", "mlflow.evaluate(m, d, validation_thresholds=t, baseline_model=b)\n", true},
		{"MLF015", "example_no_conversion", "mlflow.sklearn.log_model(m, \"p\", example_no_conversion=True)\n", true},
	}
	for _, c := range cases {
		checkLexical(t, c.code, func(src []byte) bool {
			for _, at := range allIndexes(src, c.name) {
				if keywordMayStart(src, at, at+len(c.name)) {
					return true
				}
			}
			return false
		}, head+c.src, c.want)
	}
}

// allIndexes returns the offsets of every occurrence of s in src.
func allIndexes(src []byte, s string) []int {
	var out []int
	for off := 0; ; {
		i := strings.Index(string(src[off:]), s)
		if i < 0 {
			return out
		}
		out = append(out, off+i)
		off += i + 1
	}
}

// TestAttributeMayStart: the test of a match of a registry-stage method's
// name holds wherever MLF903 reports on it (every case runs the rule
// without any prefilter): calls of the client's attribute, the dot on
// the same line or on a line before; it is false for the methods a class
// defines, strings and longer names.
func TestAttributeMayStart(t *testing.T) {
	head := "import mlflow\nfrom mlflow import MlflowClient\nc = MlflowClient()\n"
	names := []string{"get_latest_versions", "transition_model_version_stage", "get_model_version_stages", "set_model_version_tag", "delete_model_version_tag"}
	cases := []struct {
		src  string
		want bool
	}{
		{"c.get_latest_versions(\"m\")\n", true},
		{"v = (c\n     .transition_model_version_stage(\"m\", 1, \"Production\"))\n", true},
		{"v = (c.  # why\n     get_model_version_stages(\"m\", 1))\n", true},
		{"v = c.\\\n    get_latest_versions(\"m\")\n", true},
		{"c.set_model_version_tag(\"m\", \"1\", \"k\", \"v\", stage=\"Production\")\n", true},
		{"c.delete_model_version_tag(\"m\", \"1\", \"k\", \"Staging\")\n", true},
		{"class Store:\n    def get_latest_versions(self, name):\n        return []\n", false},
		{"f = getattr(c, \"delete_model_version_tag\")\n", false},
		{"from mlflow.utils import get_latest_versions_cached\n", false},
	}
	for _, c := range cases {
		checkLexical(t, "MLF903", func(src []byte) bool {
			for _, n := range names {
				for _, at := range allIndexes(src, n) {
					if attributeMayStart(src, at, at+len(n)) {
						return true
					}
				}
			}
			return false
		}, head+c.src, c.want)
	}
}

// TestMlflowEnvName: isMlflowEnvName holds exactly where envNameRe finds
// the whole string.
func TestMlflowEnvName(t *testing.T) {
	for _, v := range []string{"MLFLOW_TRACKING_URI", "MLFLOW_X", "MLFLOW_2", "MLFLOW__", "MLFLOW_", "MLFLOW", "mlflow_x", "MLFLOW_x", "MLFLOW_A-B", "MLFLOW_A B", " MLFLOW_A", "MLFLOW_A\n", "XMLFLOW_A", "MLFLOW_É", ""} {
		want := envNameRe.FindString(v) == v && envNameRe.MatchString(v)
		if got := isMlflowEnvName(v); got != want {
			t.Errorf("isMlflowEnvName(%q) = %v, want %v", v, got, want)
		}
	}
}
