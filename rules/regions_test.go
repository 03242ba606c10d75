package rules_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/analyzer/analysistest"
	"github.com/mlflowlint/mlflowlint/parser"
)

// The driver parses only the top-level statements a finding may need
// (analyzer/regions.go). These tests build modules of many statements from
// the fixtures, where a finding's statement depends on others (imports
// far away, module-level clients, base classes, a `global` set in another
// function, a wildcard import, a builtin shadowed by a def), and compare
// the findings with those of a run that parses everything.

// regionLayouts rewrites a fixture into a module of several statements.
var regionLayouts = map[string]func(src string) string{
	// The fixture, then functions no rule needs.
	"fillers": func(src string) string {
		return "\"\"\"Module docstring.\"\"\"\n" + src + "\n\n" + fillers(3)
	},
	// The fixture's imports stay at the top, the rest goes into a
	// function between fillers.
	"function": func(src string) string {
		head, body := splitImports(src)
		return head + "\n\n" + fillers(2) + "\ndef _moved():\n" + indent(body, "    ") + "\n\n" + fillers(2)
	},
	// The rest goes into a method of a class after the fillers.
	"method": func(src string) string {
		head, body := splitImports(src)
		return head + "\n\n" + fillers(2) + "\nclass _Moved:\n    def run(self):\n" + indent(body, "        ") + "\n"
	},
	// The imports go last (the module's names are bound when the
	// functions run).
	"imports-last": func(src string) string {
		head, body := splitImports(src)
		return "def _moved():\n" + indent(body, "    ") + "\n\n" + fillers(1) + "\n" + head
	},
}

// regionSources are modules whose findings need statements other than
// their own, each written with a finding (reasoned from the rule) that a
// statement-by-statement reading would miss or invent.
var regionSources = map[string]string{
	// MLF033 reads MLFLOW_TRACKING_URI wherever the file imports mlflow;
	// the function never names it.
	"seen-elsewhere": "import os\nimport mlflow\n\n\ndef setup():\n    os.environ[\"MLFLOW_TRACKING_URI\"] = \"./mlruns\"\n\n\ndef other():\n    return 1\n",
	// RunInfo comes from a wildcard import.
	"wildcard": "from mlflow.entities import *\n\n\ndef f():\n    return RunInfo(run_uuid=\"a\", experiment_id=\"0\")\n\n\ndef other():\n    return 1\n",
	// getattr is the file's own: the string names no attribute.
	"shadowed-builtin": "import mlflow\n\n\ndef getattr(o, n):\n    return None\n\n\ndef f():\n    return getattr(mlflow, \"recipes\")\n\n\ndef other():\n    return 1\n",
	// The builtin getattr names mlflow.recipes.
	"builtin": "import mlflow\n\n\ndef f():\n    return getattr(mlflow, \"recipes\")\n\n\ndef other():\n    return 1\n",
	// The client is made by a module-level statement away from its use.
	"module-client": "from mlflow import MlflowClient\n\nclient = MlflowClient()\n\n\ndef use():\n    return client.list_experiments()\n\n\ndef other():\n    return 1\n",
	// The client is set by another function's global statement.
	"global": "from mlflow import MlflowClient\n\n\ndef init():\n    global client\n    client: MlflowClient = make()\n\n\ndef use():\n    return client.list_experiments()\n\n\ndef other():\n    return 1\n",
	// The alias is bound far from its use.
	"alias": "import mlflow as mf\n\n\ndef a():\n    return 1\n\n\ndef f(m, d):\n    return mf.evaluate(m, d, custom_metrics=[x])\n\n\ndef b():\n    return 2\n",
	// The client comes from a base class in another statement.
	"base-class": "from mlflow import MlflowClient\n\n\nclass Base(MlflowClient):\n    pass\n\n\nclass Child(Base):\n    def go(self):\n        return self.list_experiments()\n\n\ndef use(c: Base):\n    return c.list_experiments()\n",
	// The name imported from mlflow is redefined by a def after its use.
	"redefined": "from mlflow import evaluate\n\n\ndef run(m, d):\n    return evaluate(m, d, custom_metrics=[x])\n\n\ndef evaluate(*a, **k):\n    return None\n\n\ndef other():\n    return 1\n",
	// A file-wide noqa comment before the first statement.
	"file-noqa": "# mlflowlint: noqa\nimport mlflow\n\n\ndef f():\n    mlflow.fastai.autolog()\n\n\ndef other():\n    return 1\n",
	// MLF013's fix takes a name no identifier has (candidate_result is
	// taken far away) and the name mlflow is imported as, at the end.
	"fix-names": "from mlflow import evaluate\n\n\ndef run(model, data, thresholds):\n    evaluate(model, data, targets=\"y\", model_type=\"classifier\", validation_thresholds=thresholds)\n\n\ndef other():\n    candidate_result = 1\n    return candidate_result\n\n\ndef unrelated():\n    return 2\n\n\nimport mlflow as mf\n",
	// MLF021's fix renames the import and its use in a function.
	"fix-uses": "from mlflow.utils.mlflow_tags import LEGACY_MLFLOW_GIT_BRANCH_NAME\n\n\ndef branch(run):\n    return run.data.tags.get(LEGACY_MLFLOW_GIT_BRANCH_NAME)\n\n\ndef unrelated():\n    return 2\n",
	// The new name is a function of the file: no fix.
	"fix-taken": "from mlflow.utils.mlflow_tags import LEGACY_MLFLOW_GIT_BRANCH_NAME\n\n\ndef branch(run):\n    return run.data.tags.get(LEGACY_MLFLOW_GIT_BRANCH_NAME)\n\n\ndef MLFLOW_GIT_BRANCH():\n    return 1\n\n\ndef unrelated():\n    return 2\n",
	// The client is set in one method and used in another, which parses
	// apart from the methods between.
	"self-client": "from mlflow import MlflowClient\n\n\nclass Tracker:\n    \"\"\"Keeps a client.\"\"\"\n\n    def __init__(self):\n        self.client = MlflowClient()\n\n    def other(self):\n        return 1\n\n    def use(self):\n        return self.client.list_experiments()\n",
	// Another method assigns the attribute something else: its type is
	// not known.
	"self-reassigned": "from mlflow import MlflowClient\n\n\nclass Tracker:\n    def __init__(self):\n        self.client = MlflowClient()\n\n    def reset(self):\n        self.client, self.n = make(), 0\n\n    def other(self):\n        return 1\n\n    def use(self):\n        return self.client.list_experiments()\n",
	// Other methods assign the attribute through a parenthesised tuple,
	// an augmented or an annotated assignment: its type is not known.
	"self-reassigned-tuple":     "from mlflow import MlflowClient\n\n\nclass Tracker:\n    def __init__(self):\n        self.client = MlflowClient()\n\n    def reset(self):\n        (\n            self.n,\n            self.client,\n        ) = 0, make()\n\n    def other(self):\n        return 1\n\n    def use(self):\n        return self.client.list_experiments()\n",
	"self-reassigned-augmented": "from mlflow import MlflowClient\n\n\nclass Tracker:\n    def __init__(self):\n        self.client = MlflowClient()\n\n    def grow(self):\n        self.client += make()\n\n    def use(self):\n        return self.client.list_experiments()\n",
	"self-reassigned-annotated": "from mlflow import MlflowClient\n\n\nclass Tracker:\n    def __init__(self):\n        self.client = MlflowClient()\n\n    def reset(self):\n        if self.n: self.client: object = make()\n\n    def use(self):\n        return self.client.list_experiments()\n",
	// Other methods pass the attribute to calls, compare it and return it
	// in a tuple: they assign nothing, and are left unread.
	"self-passed": "from mlflow import MlflowClient\n\n\nclass Tracker:\n    def __init__(self):\n        self.client = MlflowClient()\n\n    def log(self):\n        show(self.client, level=1)\n        if self.client == other: pass\n        return self.client, {self.client: 1}\n\n    def use(self):\n        return self.client.list_experiments()\n",
	// A class and a function of the file's own, named like MLflow's
	// client and like a removed method of it; a comment ending in
	// `class` before a statement that uses RunInfo, which a wildcard
	// import binds.
	"defined-names":   "import mlflow\n\n\nclass MlflowClient:\n    def __init__(self):\n        self.n = 1\n\n    def list_experiments(self):\n        return self.n\n\n\ndef log_model():\n    return 2\n\n\ndef run():\n    return mlflow.fastai.autolog()\n",
	"comment-keyword": "from mlflow.entities import *\n\n\ndef other():\n    return 1\n\n\n# a run's info class\nRunInfo(\"a\", \"0\", \"u\", \"RUNNING\", 1, 2, \"active\", \"/a\", \"r\")\n",
	// The methods name their instance otherwise, and one reads it in
	// parentheses.
	"self-named":            "from mlflow import MlflowClient\n\n\nclass Tracker:\n    def __init__(this):\n        this.client = MlflowClient()\n\n    def other(this):\n        return 1\n\n    def use(this):\n        return (this).client.list_experiments()\n",
	"self-reassigned-named": "from mlflow import MlflowClient\n\n\nclass Tracker:\n    def __init__(self):\n        self.client = MlflowClient()\n\n    def reset(me):\n        me.client, me.n = make(), 0\n\n    def other(self):\n        return 1\n\n    def use(self):\n        return self.client.list_experiments()\n",
	// A method's body names the module's client, not the method of that
	// name.
	"method-shadows-name": "from mlflow import MlflowClient\n\nclient = MlflowClient()\n\n\nclass Tracker:\n    def client(self):\n        return 1\n\n    def other(self):\n        return 2\n\n    def use(self):\n        return client.list_experiments()\n",
	// A string names a removed module in prose, which no analysis reads;
	// an f-string's braces hold code.
	"prose-string": "import mlflow\n\n\ndef note():\n    return \"call mlflow.recipes.Recipe() instead\"\n\n\ndef run():\n    return mlflow.fastai.autolog()\n",
	"fstring-code": "import mlflow\n\n\ndef note():\n    return f\"call {mlflow.recipes.Recipe} instead\"\n\n\ndef unrelated():\n    return 2\n",
	// A string that starts with "models:/" but holds no stage.
	"stage-uri": "import mlflow\n\n\ndef note(uri):\n    return uri.startswith(\"models:/\")\n\n\ndef load():\n    return mlflow.pyfunc.load_model(\"models:/m/Production\")\n",
	// A Databricks API path is no path MLF206 judges; a removed MLflow one is.
	"rest-paths": "import mlflow\nimport requests\n\n\ndef note(host):\n    return requests.get(host + \"/api/2.0/jobs/runs/get\")\n\n\ndef old(host):\n    return requests.get(host + \"/api/2.0/mlflow/experiments/list\")\n",
	// The class defines the member of its MLflow base class itself.
	"self-defined": "from mlflow import MlflowClient\n\n\nclass Client(MlflowClient):\n    def list_experiments(self):\n        return []\n\n    def other(self):\n        return 1\n\n    def use(self):\n        return self.list_experiments()\n",
	// A class-level statement after the methods defines the member.
	"class-attribute": "from mlflow import MlflowClient\n\n\nclass Client(MlflowClient):\n    def use(self):\n        return self.list_experiments()\n\n    def other(self):\n        return 1\n\n    list_experiments = None\n",
	// A statement names a class whose body is methods only.
	"class-named": "import mlflow\n\n\nclass Holder:\n    def a(self):\n        return 1\n\n    def b(self):\n        return 2\n\n\nholder = Holder() if mlflow.recipes else None\n",
	// mlflow is imported beside another module, in one statement that
	// the function does not use.
	"import-list": "import os\nimport sys, mlflow\n\n\ndef setup():\n    os.environ[\"MLFLOW_TRACKING_URI\"] = \"./mlruns\"\n\n\ndef other():\n    return 1\n",
	// A function uses one name of an import whose other name was removed.
	"import-names": "from mlflow.utils.mlflow_tags import LEGACY_MLFLOW_GIT_BRANCH_NAME, MLFLOW_RUN_NAME\n\n\ndef name(run):\n    return run.data.tags.get(MLFLOW_RUN_NAME)\n\n\ndef unrelated():\n    return 2\n",
	// Another function opts out of MLF033 for the whole file.
	"file-store-opt-out": "import os\nimport mlflow\n\n\ndef setup():\n    os.environ[\"MLFLOW_TRACKING_URI\"] = \"./mlruns\"\n\n\ndef other():\n    os.environ[\"MLFLOW_ALLOW_FILE_STORE\"] = \"true\"\n\n\ndef unrelated():\n    return 2\n",
	// The client class is imported under another name far from the call
	// whose literal MLF033 reads.
	"client-alias": "from mlflow import (\n    MlflowClient as C,\n    set_tracking_uri,\n)\n\n\ndef other():\n    return 1\n\n\ndef make():\n    return C(\"./mlruns\")\n",
	// MLflow's version is imported under another name in a list; MLF044
	// reads the comparison in a function.
	"version-alias": "from mlflow import (\n    __version__ as v,\n    set_tracking_uri,\n)\n\n\ndef other():\n    return 1\n\n\ndef old():\n    return v.startswith(\"2.\")\n",
	// A module-level name bound to mlflow is read as MLflow's version by
	// note(); another package's version is not MLflow's, and note() is
	// left unread.
	"version-module-alias": "import mlflow\n\nm = mlflow\n\n\ndef note():\n    return m.__version__ < \"3\"\n\n\ndef other():\n    return 1\n",
	"version-other-module": "import mlflow\nimport langchain\n\n\ndef note():\n    return langchain.__version__ < \"3\"\n\n\ndef run():\n    return mlflow.fastai.autolog()\n",
	// Calls of _save_example, which keeps its signature in every 3.x
	// release but for a fourth positional parameter (no_conversion) gone:
	// calls that fit (a keyword it takes, a string or a comment holding a
	// parenthesis), one more positional argument, the removed keyword,
	// the name renamed by its import (on a line of its own) and passed
	// on by an assignment, written after a dot (which may bind a first
	// parameter), and a mapping unpacked.
	"gate-passes":     "import mlflow\nfrom mlflow.models.utils import _save_example\n\n\ndef note(model, example, path):\n    _save_example(model, example, path=path)\n    return _save_example(model,  # a comment, (\n                         \"(\", path)\n\n\ndef run():\n    return mlflow.fastai.autolog()\n",
	"gate-positional": "from mlflow.models.utils import _save_example\n\n\ndef note(model, example, path):\n    return _save_example(model, example, path, True)\n\n\ndef other():\n    return 1\n",
	"gate-keyword":    "from mlflow.models.utils import _save_example\n\n\ndef note(model, example, path):\n    return _save_example(model, example, path, no_conversion=True)\n\n\ndef other():\n    return 1\n",
	"gate-alias":      "from mlflow.models.utils import (\n    _save_example\n    as save,\n)\n\n\ndef note(model, example, path):\n    return save(model, example, path, True)\n\n\ndef other():\n    return 1\n",
	"gate-mapping":    "from mlflow.models.utils import _save_example\n\n\ndef note(model, example, path):\n    return _save_example(model, example, path, **{\"no_conversion\": True})\n\n\ndef other():\n    return 1\n",
	"gate-passed-on":  "from mlflow.models.utils import _save_example\n\nsave = _save_example\n\n\ndef note(model, example, path):\n    return save(model, example, path, True)\n\n\ndef other():\n    return 1\n",
	"gate-attribute":  "from mlflow.models import utils\n\n\ndef note(model, example, path):\n    return utils._save_example(model, example, path)\n\n\ndef other():\n    return 1\n",
	// RunInfo called with seven positional arguments and a keyword both
	// RunInfo's 3.x signature and MLF010 let through (and written in a
	// return annotation), then with nine, whose ninth MLF010 reports.
	"gate-hand":       "import mlflow\nfrom mlflow.entities import RunInfo\n\n\ndef note(run_id) -> RunInfo:\n    return RunInfo(run_id, \"0\", \"u\", \"RUNNING\", 1, 2, \"active\", status=None)\n\n\ndef run():\n    return mlflow.fastai.autolog()\n",
	"gate-hand-ninth": "import mlflow\nfrom mlflow.entities import RunInfo\n\n\ndef note(run_id):\n    return RunInfo(run_id, \"0\", \"u\", \"RUNNING\", 1, 2, \"active\", \"/a\", \"r\")\n\n\ndef run():\n    return mlflow.fastai.autolog()\n\n\ndef other():\n    return 1\n",
	// The keyword MLF012 reports, passed to a function of the file's own,
	// and to mlflow.evaluate through a mapping bound in the same scope.
	"keyword-other-call": "import mlflow\n\n\ndef note(metrics):\n    return compute(custom_metrics=metrics)\n\n\ndef run():\n    return mlflow.fastai.autolog()\n",
	"keyword-mapping":    "from mlflow import evaluate\n\n\ndef note(model, data, metrics):\n    kw = {\"custom_metrics\": metrics}\n    return evaluate(model, data, **kw)\n\n\ndef other():\n    return 1\n",
	// A module defines a class of the client's name (as MLflow's own
	// does); a method reads a member that __init__ assigns.
	"class-of-name": "import mlflow\n\n\nclass MlflowClient:\n    def __init__(self):\n        self._c = 1\n\n    def note(self):\n        return self._c\n\n\ndef setup():\n    mlflow.set_tracking_uri(\"./mlruns\")\n",
	// The same, and __init__'s docstring names set_tracking_uri.
	"member-docstring": "import mlflow\n\n\nclass MlflowClient:\n    def __init__(self):\n        \"\"\"Call ``mlflow.set_tracking_uri`` first.\"\"\"\n        self._c = 1\n\n    def note(self):\n        return self._c\n\n\ndef setup():\n    mlflow.set_tracking_uri(\"./mlruns\")\n",
	// A function reads a name whose import MLF301 reports (the target
	// has no such object); another writes it after a dot, in the other
	// source through a variable.
	"gone-bare":   "from mlflow.utils import IS_PYDANTIC_V2_OR_NEWER\nimport mlflow.utils as mu\n\n\ndef note():\n    return IS_PYDANTIC_V2_OR_NEWER\n\n\ndef other():\n    return mu.IS_PYDANTIC_V2_OR_NEWER\n",
	"gone-member": "from mlflow.utils import IS_PYDANTIC_V2_OR_NEWER\nimport mlflow.utils as mu\n\n\ndef note():\n    x = mu\n    return x.IS_PYDANTIC_V2_OR_NEWER\n\n\ndef other():\n    return 1\n",
	// A function with a global statement binds the names it lists, not
	// the parameter another function names too.
	"global-list": "import mlflow\n\n_cache = None\n\n\ndef note(spark):\n    return spark.version\n\n\ndef setup(spark):\n    global _cache\n    _cache = spark\n    return mlflow.fastai.autolog()\n",
	// A comment in brackets names a removed member after mlflow (as
	// protoc writes `# @@protoc_insertion_point(class_scope:mlflow.X)`);
	// a function reads it.
	"comment-member": "import mlflow.utils as mu\n\n\ndef note():\n    return dict(\n        flag=1,  # was mlflow.utils.IS_PYDANTIC_V2_OR_NEWER\n    )\n\n\ndef old():\n    return mu.IS_PYDANTIC_V2_OR_NEWER\n",
	// A function returns the alias an import of a removed module binds:
	// MLF001 reports the import, where the module's name is written.
	"module-alias": "import mlflow.recipes as rx\n\n\ndef note():\n    return rx\n\n\ndef other():\n    return 1\n",
	// A function's own docstring is a dotted path of a removed module;
	// another function uses the module.
	"docstring-path": "import mlflow\n\n\ndef note(x):\n    \"\"\"mlflow.fastai.autolog\"\"\"\n    return x\n\n\ndef old():\n    return mlflow.fastai.autolog()\n",
	// A class whose base changed, and lost a member: one function makes
	// a store, another reads the member.
	"class-members": "from mlflow.store.model_registry.rest_store import RestStore\n\n\ndef note(creds):\n    return RestStore(creds)\n\n\ndef old(creds):\n    s = RestStore(creds)\n    return s._copy_model_version_impl\n",
	// A docstring says evaluate in prose; a function calls mlflow.evaluate.
	"evaluate-prose": "import mlflow\n\n\ndef note(model):\n    \"\"\"Used to evaluate the model.\"\"\"\n    return model.score\n\n\ndef old(m, d):\n    return mlflow.evaluate(m, d)\n",
	// A function names run_uuid as a parameter; another reads it.
	"run-uuid-name": "import mlflow\n\n\ndef note(store, run_uuid):\n    return store.get(run_uuid)\n\n\ndef old():\n    run = mlflow.get_run(\"r\")\n    return run.info.run_uuid\n",
	// A method calls another through its instance; the other reads a
	// module-level name.
	"method-exists": "import mlflow\n\ntable = dict(a=1)\n\n\nclass Runner:\n    def use(self):\n        self.helper()\n        return mlflow.fastai.autolog()\n\n    def helper(self):\n        return table\n",
	// The same, and the other method has a finding through what it reads.
	"method-exists-fires": "import mlflow\nfrom mlflow import MlflowClient\n\nclient = MlflowClient()\n\n\nclass Runner:\n    def use(self):\n        self.helper()\n        return mlflow.fastai.autolog()\n\n    def helper(self):\n        return client.list_experiments()\n\n\ndef other():\n    return 1\n",
	// A deprecated function that no call breaks, bound by a from-import:
	// a function calls it by that name, another through its module.
	"deprecated-import": "from mlflow.pyfunc import load_pyfunc\n\n\ndef note(uri):\n    return load_pyfunc(uri)\n\n\ndef old(uri):\n    import mlflow.pyfunc\n    return mlflow.pyfunc.load_pyfunc(uri)\n",
	// The module docstring names APIs and holds a look-alike def; a
	// decorated function and an else branch use APIs.
	"docstring": "\"\"\"Uses mlflow.pipelines and mlflow.fastai.\n\ndef fake(): pass\n\"\"\"\nimport mlflow\n\n\n@decorator\ndef f():\n    mlflow.fastai.autolog()\n\n\nasync def g():\n    return 1\n\n\nif x:\n    pass\nelse:\n    y = mlflow.recipes\n",
}

func fillers(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\ndef _filler_%d(value):\n    \"\"\"Nothing of MLflow here.\"\"\"\n    return [value] * %d\n\n", i, i)
	}
	return b.String()
}

// splitImports separates the top-level one-line imports of src from the
// rest.
func splitImports(src string) (head, body string) {
	var h, b []string
	for _, line := range strings.SplitAfter(src, "\n") {
		if (strings.HasPrefix(line, "import ") || strings.HasPrefix(line, "from ")) && !strings.ContainsAny(line, "(\\") {
			h = append(h, line)
		} else {
			b = append(b, line)
		}
	}
	body = strings.Join(b, "")
	if strings.TrimSpace(body) == "" {
		body = "pass\n"
	}
	return strings.Join(h, ""), body
}

func indent(s, by string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			lines[i] = by + l
		}
	}
	return strings.Join(lines, "")
}

// analyzeBoth analyses src at 3.15 with the prefilter (and partial
// parsing) and without.
func analyzeBoth(t *testing.T, name string, src []byte) (with, without *analyzer.Result) {
	t.Helper()
	s := setup("3.15")
	with, _, err := analysistest.Analyze(s, name, src, false, false)
	if err != nil {
		t.Fatal(err)
	}
	s.NoPrefilter = true
	without, _, err = analysistest.Analyze(s, name, src, false, false)
	if err != nil {
		t.Fatal(err)
	}
	return with, without
}

// regionsAgree analyses src with and without the prefilter and reports
// whether it could (no syntax error), and the bytes read and parsed.
func regionsAgree(t *testing.T, name string, src []byte) (ok bool, findings, suppressed int, read, size int64) {
	t.Helper()
	if n, err := parser.CheckSyntax(context.Background(), src); err != nil || n > 0 {
		return false, 0, 0, 0, 0
	}
	a, b := analyzeBoth(t, name, src)
	if !reflect.DeepEqual(a.Findings, b.Findings) {
		var da, db []string
		for _, f := range a.Findings {
			da = append(da, fmt.Sprintf("%d:%s", f.Start.Line, f.Code))
		}
		for _, f := range b.Findings {
			db = append(db, fmt.Sprintf("%d:%s", f.Start.Line, f.Code))
		}
		t.Errorf("%s: findings differ parsing what findings need %v and everything %v\n%s", name, da, db, src)
	}
	for _, f := range b.Findings {
		if f.Suppressed {
			suppressed++
		}
	}
	return true, len(b.Findings), suppressed, a.ParsedBytes, a.ParsedSize
}

// TestRegionSourcesAgree runs the hand-written modules: same findings as
// a whole parse, the expected number of them, and a part of each module
// left unread.
func TestRegionSourcesAgree(t *testing.T) {
	// The findings of each module, read from the rules: the generic rule
	// on the string getattr names (MLF301); MLF010 on RunInfo(run_uuid=)
	// through the wildcard; MLF033 on the path; MLF202 on
	// list_experiments through the module-level client; MLF902 and MLF012
	// on the aliased or imported evaluate (the def comes after the use,
	// so the import binds it there); MLF002 and MLF001 in the docstring
	// module; and MLF002 in file-noqa, silenced. The typer follows neither
	// a global statement nor a user base class, with or without the rest.
	want := map[string]int{
		"seen-elsewhere":        1,
		"wildcard":              1,
		"shadowed-builtin":      0,
		"builtin":               1,
		"module-client":         1,
		"global":                0,
		"alias":                 2,
		"base-class":            0,
		"redefined":             2,
		"file-noqa":             1,
		"docstring":             2,
		"fix-names":             2, // MLF902 on the import, MLF013 on the call
		"fix-uses":              1,
		"fix-taken":             1,
		"self-client":           1,
		"self-reassigned":       0,
		"self-named":            1,
		"self-reassigned-named": 0,
		"method-shadows-name":   1,
		"prose-string":          1, // MLF002 on fastai
		"fstring-code":          1, // MLF001 on the chain in braces
		"stage-uri":             1, // MLF903 on the stage URI
		"rest-paths":            1, // MLF206 on experiments/list
		"self-defined":          0,
		"class-attribute":       0,
		"class-named":           1,
		"import-list":           1,
		"import-names":          1,
		"file-store-opt-out":    0,
		"client-alias":          1,
		"gone-bare":             2, // MLF301 on the import and other's member
		"gone-member":           2, // MLF301 on the import and the member
		"class-of-name":         1, // MLF033 on the path
		"global-list":           1, // MLF002 on fastai
		"comment-member":        1, // MLF301 on old()
		"module-alias":          1, // MLF001 on the import
		"docstring-path":        1, // MLF002 on old()
		"class-members":         1, // MLF301 on the member
		"evaluate-prose":        1, // MLF902 on old()
		"run-uuid-name":         1, // MLF010 on old()
		"method-exists":         1, // MLF002 on fastai
		"method-exists-fires":   2, // MLF002 on fastai, MLF202 on list_experiments
		"member-docstring":      1, // MLF033 on the path
		"version-alias":         1,
		"deprecated-import":     2, // MLF305 on the import and on old()

		// Tuples, augmented and annotated assignments.
		"self-reassigned-tuple":     0,
		"self-reassigned-augmented": 0,
		"self-reassigned-annotated": 0,
		"self-passed":               1,
		"defined-names":             1, // MLF002 on fastai
		"comment-keyword":           1, // MLF010 on RunInfo's ninth positional argument
		"version-module-alias":      1, // MLF044 on the comparison
		"version-other-module":      1, // MLF002 on fastai
		"gate-passes":               1, // MLF002 on fastai
		"gate-positional":           1, // MLF304 on the fourth argument
		"gate-keyword":              1, // MLF303 on no_conversion
		"gate-alias":                1, // MLF304 on the fourth argument
		"gate-mapping":              1, // MLF303 on the mapping's key
		"gate-passed-on":            1, // MLF304 through the assignment
		"gate-attribute":            0, // three positional arguments fit
		"gate-hand":                 1, // MLF002 on fastai
		"gate-hand-ninth":           2, // MLF010 on the ninth argument, MLF002 on fastai
		"keyword-other-call":        1, // MLF002 on fastai
		"keyword-mapping":           2, // MLF902 on the import, MLF012 on the key
	}
	for name, src := range regionSources {
		ok, n, silenced, read, size := regionsAgree(t, name+".py", []byte(src))
		if !ok {
			t.Errorf("%s: syntax error in the test source", name)
			continue
		}
		if n != want[name] {
			t.Errorf("%s: %d findings, want %d", name, n, want[name])
		}
		if wantSilenced := strings.HasPrefix(name, "file-noqa"); (silenced == n) != wantSilenced && n > 0 {
			t.Errorf("%s: %d of %d findings silenced", name, silenced, n)
		}
		if fix := fixOf(t, name, []byte(src)); fix != wantFix[name] {
			t.Errorf("%s: fix %q, want %q", name, fix, wantFix[name])
		}
		if read >= size && n > 0 {
			t.Errorf("%s: the parser read %d of %d bytes: nothing left out", name, read, size)
		}
	}
}

// TestProseNotParsed: a statement whose only mention of MLflow's changed
// API is prose in a string is left unread, as is one whose "models:/"
// starts no stage URI or whose "api/2" starts no MLflow API path, or that
// reads a removed object's name bound by an import (reported there
// alone), or a name that only a function's global statement could bind
// and does not list, or says evaluate in prose, or names run_uuid as a
// parameter; one whose f-string writes the path in braces is
// read, and so is one that writes the removed name after a dot.
func TestProseNotParsed(t *testing.T) {
	noteRead(t, map[string]bool{"prose-string": false, "fstring-code": true, "stage-uri": false, "rest-paths": false, "gone-bare": false, "gone-member": true, "global-list": false, "evaluate-prose": false, "run-uuid-name": false, "comment-member": false, "module-alias": false, "docstring-path": false, "class-members": false, "version-module-alias": true, "version-other-module": false})
}

// noteRead checks, for each region source named, whether its function
// note() is read by the parser, as want says.
func noteRead(t *testing.T, want map[string]bool) {
	t.Helper()
	for name, wantRead := range want {
		src := regionSources[name]
		at := strings.Index(src, "def note")
		note := src[at : at+strings.Index(src[at:], "\n\n\ndef ")+len("\n\n\n")]
		a, _ := analyzeBoth(t, name+".py", []byte(src))
		// Read, note() is among the bytes read; left out, they are at
		// most what is not note().
		if wantRead && a.ParsedBytes < int64(len(note)) || !wantRead && a.ParsedBytes > int64(len(src)-len(note)) {
			t.Errorf("%s: the parser read %d of %d bytes; want note() read: %v", name, a.ParsedBytes, len(src), wantRead)
		}
	}
}

// TestCallGatesRead: note() is left unread where its only uses of a gated
// trigger are calls that fit its gate, and read where a call passes one
// positional argument more, a keyword the gate does not let through or
// a mapping, where the name is renamed or passed on (a call elsewhere may
// not spell it), and where it is written after a dot, where the gate
// counts a bound first parameter. The same holds of MLF010's gate of
// RunInfo (gate-hand, gate-hand-ninth).
func TestCallGatesRead(t *testing.T) {
	noteRead(t, map[string]bool{"gate-passes": false, "gate-positional": true, "gate-keyword": true, "gate-alias": true, "gate-mapping": true, "gate-passed-on": true, "gate-attribute": true, "gate-hand": false, "gate-hand-ninth": true})
}

// TestKeywordRulesNeedCallee: a statement that passes a keyword MLF012
// reports is read only where it, or one it uses, spells a callee the rule
// checks (evaluate, imported from mlflow), the mapping's key included.
func TestKeywordRulesNeedCallee(t *testing.T) {
	noteRead(t, map[string]bool{"keyword-other-call": false, "keyword-mapping": true})
}

// TestDefinedNamesNotRead: the names a class and a function define
// (MlflowClient, list_experiments, log_model) make no statement one to
// parse: the class and the function are left unread.
func TestDefinedNamesNotRead(t *testing.T) {
	src := regionSources["defined-names"]
	class := src[strings.Index(src, "class "):strings.Index(src, "def log_model")]
	fn := src[strings.Index(src, "def log_model"):strings.Index(src, "def run")]
	a, _ := analyzeBoth(t, "defined-names.py", []byte(src))
	if a.ParsedBytes > int64(len(src)-len(class)-len(fn)) {
		t.Errorf("the parser read %d of %d bytes; want neither the class (%d) nor log_model (%d)", a.ParsedBytes, len(src), len(class), len(fn))
	}
}

// wantFix is the text of the fixes of the fix-* modules (see fixOf),
// written from what the rules do: MLF013 assigns the call to the first
// of candidate_result, candidate_result_2... that no identifier of the
// file is, and calls validate_evaluation_results through the name that
// binds mlflow; MLF021 renames the import and every use of the bound
// name, and gives no fix when the new name is bound in the file.
var wantFix = map[string]string{
	"fix-names": "MLF013: candidate_result_2 = evaluate(model, data, targets=\"y\", model_type=\"classifier\")\n" +
		"    mf.validate_evaluation_results(validation_thresholds=thresholds, candidate_result=candidate_result_2) | " +
		"MLF902: mlflow.models",
	"fix-uses":  "MLF021: MLFLOW_GIT_BRANCH, MLFLOW_GIT_BRANCH",
	"fix-taken": "",
}

// fixOf lists the new texts of the fixes of a run that parses only what
// findings need, for the fix-* modules.
func fixOf(t *testing.T, name string, src []byte) string {
	if !strings.HasPrefix(name, "fix-") {
		return ""
	}
	res, _ := analyzeBoth(t, name+".py", src)
	var out []string
	for _, f := range res.Findings {
		if f.Fix == nil {
			continue
		}
		var texts []string
		for _, e := range f.Fix.Edits {
			texts = append(texts, e.New)
		}
		out = append(out, f.Code+": "+strings.Join(texts, ", "))
	}
	sort.Strings(out)
	return strings.Join(out, " | ")
}

// TestClosureChecksReadCode: MLF033's lexical test reads a class
// statement's name as no use of the client (class-of-name), and the
// comments and docstrings of the statements a statement needs as nothing
// (member-docstring), so note(), which reads a member that __init__
// assigns, is not parsed; a use of the client's name in code is
// (client-read).
func TestClosureChecksReadCode(t *testing.T) {
	sources := map[string]string{
		"class-of-name":    regionSources["class-of-name"],
		"member-docstring": regionSources["member-docstring"],
		"client-read":      "import mlflow\n\n\nclass Holder:\n    def __init__(self):\n        self._c = mlflow.MlflowClient\n\n    def note(self):\n        return self._c(\"./mlruns\")\n\n\ndef other():\n    return 1\n",
	}
	for name, src := range sources {
		at := strings.Index(src, "    def note")
		note := src[at : at+strings.Index(src[at:], "\n\n\n")+1]
		a, b := analyzeBoth(t, name+".py", []byte(src))
		if len(a.Findings) != len(b.Findings) {
			t.Errorf("%s: %d findings read in parts, %d whole", name, len(a.Findings), len(b.Findings))
		}
		wantRead := name == "client-read"
		if wantRead && a.ParsedBytes < int64(len(note)) || !wantRead && a.ParsedBytes > int64(len(src)-len(note)) {
			t.Errorf("%s: the parser read %d of %d bytes; want note() read: %v", name, a.ParsedBytes, len(src), wantRead)
		}
	}
}

// TestMethodReadToExist: a method that calls another through its
// instance needs that method parsed (the class defines the member), not
// what the other reads (table's statement).
func TestMethodReadToExist(t *testing.T) {
	src := regionSources["method-exists"]
	a, b := analyzeBoth(t, "method-exists.py", []byte(src))
	if len(a.Findings) != 1 || len(b.Findings) != 1 {
		t.Fatalf("%d findings read in parts, %d whole; want 1", len(a.Findings), len(b.Findings))
	}
	helper := src[strings.Index(src, "    def helper"):]
	if a.ParsedBytes > int64(len(src)-len("table = dict(a=1)")) || a.ParsedBytes < int64(len(helper)) {
		t.Errorf("the parser read %d of %d bytes; want helper() and not table", a.ParsedBytes, len(src))
	}
}

// TestRegionLayoutsAgree rewrites every Python fixture in each layout.
// Over all of them, findings are many and a good part of the text is left
// unread, so the comparison is not vacuous.
func TestRegionLayoutsAgree(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "fixtures", "*", "*.py"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	var findings int
	var read, size int64
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for layout, rewrite := range regionLayouts {
			ok, n, _, r, s := regionsAgree(t, p+"."+layout+".py", []byte(rewrite(string(src))))
			if ok {
				findings += n
				read += r
				size += s
			}
		}
	}
	if findings < 500 || read*10 > size*9 {
		t.Errorf("%d findings, %d of %d bytes read: the layouts no longer exercise partial parsing", findings, read, size)
	}
}

// FuzzRegionsExact compares findings with and without the prefilter on
// two fixtures laid out together.
func FuzzRegionsExact(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "fixtures", "*", "*.py"))
	for i := 0; i+1 < len(files); i += 7 {
		a, _ := os.ReadFile(files[i])
		b, _ := os.ReadFile(files[i+1])
		f.Add(a, b, uint8(i))
	}
	for _, s := range regionSources {
		f.Add([]byte(s), []byte("def _x():\n    return 1\n"), uint8(0))
	}
	parser.ParseTimeout = 2 * time.Second
	names := []string{"fillers", "function", "method", "imports-last"}
	f.Fuzz(func(t *testing.T, a, b []byte, mode uint8) {
		la := regionLayouts[names[int(mode)%len(names)]]
		lb := regionLayouts[names[int(mode/4)%len(names)]]
		src := la(string(a)) + "\n" + lb(string(b))
		if bytes.Contains([]byte(src), []byte("\x00")) {
			return
		}
		regionsAgree(t, "fuzz.py", []byte(src))
	})
}

// TestRegionsOnHostileSources: modules of 50,000 statements that all bind
// and use one name, or all import * from mlflow, are analysed in time
// linear in their size (the choice of statements gives up on its budget
// and parses them whole), with their finding, and so is a method that
// passes a member of its instance 50,000 times to one call (the choice
// reads each such member up to the call's end to tell it from a tuple of
// targets, within its budget; the typer reads the class's assignments,
// and the rules the call's arguments, in one pass over each node's
// children). A quadratic choice would outlast the test's timeout under
// -race. So are 50,000 imports of a gated name in one list and 50,000
// nested calls of it (see analyzer.gateHolds).
func TestRegionsOnHostileSources(t *testing.T) {
	for name, src := range map[string]string{
		"one-name":   "import mlflow\n" + strings.Repeat("a = a\n", 50000) + "\ndef f():\n    mlflow.fastai.autolog()\n",
		"wildcards":  strings.Repeat("from mlflow.entities import *\n", 50000) + "\ndef f():\n    return RunInfo(run_uuid=\"a\", experiment_id=\"0\")\n",
		"self-items": "import mlflow\n\n\nclass C:\n    def f(self):\n        show(" + strings.Repeat("self.a, ", 50000) + ")\n\n    def g(self):\n        return self.a.b, mlflow.fastai.autolog()\n",
		// Each name of the list is read back to the keyword import, each
		// call's argument list to its end: within the gates' budget.
		"gated-uses": "import mlflow\nfrom mlflow.models.utils import (\n" + strings.Repeat("    _save_example,\n", 50000) + ")\n\n\ndef f():\n    return _save_example(a, b, c, d)\n\n\ndef g():\n    return [" + strings.Repeat("_save_example(a, ", 50000) + strings.Repeat(")", 50000) + "]\n",
	} {
		res, _, err := analysistest.Analyze(setup("3.15"), name+".py", []byte(src), false, false)
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, f := range res.Findings {
			codes = append(codes, f.Code)
		}
		// MLF002 on mlflow.fastai; MLF010 on RunInfo(run_uuid=...);
		// MLF304 on the fourth argument.
		want := map[string]string{"one-name": "MLF002", "wildcards": "MLF010", "self-items": "MLF002", "gated-uses": "MLF304"}[name]
		if strings.Join(codes, " ") != want {
			t.Errorf("%s: findings %v, want %s", name, codes, want)
		}
	}
}

// TestDocstringsNotParsed: a function that reaches a removed API is
// parsed without its docstring, and with its finding; a docstring that
// names an environment variable a rule reads in any string (MLF021) is
// parsed with its function.
func TestDocstringsNotParsed(t *testing.T) {
	doc := "    \"\"\"Logs the model.\n\n    Long prose about the model and what it does.\n    \"\"\"\n"
	src := "import mlflow\n\n\ndef old():\n" + doc + "    return mlflow.fastai.autolog()\n"
	a, b := analyzeBoth(t, "doc.py", []byte(src))
	if len(a.Findings) != 1 || !reflect.DeepEqual(a.Findings, b.Findings) {
		t.Fatalf("%d findings read in parts, %d whole; want the same one", len(a.Findings), len(b.Findings))
	}
	if a.ParsedBytes != int64(len(src)-len(doc)) {
		t.Errorf("the parser read %d of %d bytes; want all but the docstring's %d", a.ParsedBytes, len(src), len(doc))
	}
	named := strings.Replace(src, "about the model", "about MLFLOW_GCS_DEFAULT_TIMEOUT", 1)
	a, b = analyzeBoth(t, "named.py", []byte(named))
	if !reflect.DeepEqual(a.Findings, b.Findings) || len(a.Findings) < 1 {
		t.Fatalf("%d findings read in parts, %d whole", len(a.Findings), len(b.Findings))
	}
	if a.ParsedBytes != int64(len(named)) {
		t.Errorf("the parser read %d of %d bytes; want the docstring that names the variable", a.ParsedBytes, len(named))
	}
}
