package rules_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/mlflowlint/mlflowlint/analyzer"
)

// TestPrefilterSkipsQuietNotebooks: notebooks, Databricks exports and
// setup.py are parsed only when a Python rule may report on them or their
// pip lines or text rules have a finding (whose noqa comments the parse
// finds); the findings are those of a run without the prefilter.
func TestPrefilterSkipsQuietNotebooks(t *testing.T) {
	const quietCode = "import mlflow\\n\", \"mlflow.log_param(\\\"a\\\", 1)\\n"
	files := map[string]string{
		// Nothing to report: not parsed.
		"quiet_export.py": "# Databricks notebook source\n# MAGIC %pip install pandas\n\n# COMMAND ----------\n\nmlflow.log_param(\"a\", 1)\n",
		"quiet.ipynb":     `{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": ["%pip install pandas\n", "` + quietCode + `"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`,
		"ok/setup.py":     "from setuptools import setup\n\nsetup(name=\"a\", install_requires=[\"mlflow>=3.15\"])\n",
		// A pip line or a pin with a finding: parsed, so that the
		// noqa comment of the second export applies.
		"pinned_export.py": "# Databricks notebook source\n# MAGIC %pip install mlflow==2.9.2\n\n# COMMAND ----------\n\nmlflow.log_param(\"a\", 1)\n",
		"noqa_export.py":   "# Databricks notebook source\n# MAGIC %pip install mlflow==2.9.2  # noqa: MLF040\n\n# COMMAND ----------\n\nmlflow.log_param(\"a\", 1)\n",
		"pinned/setup.py":  "from setuptools import setup\n\nsetup(name=\"a\", install_requires=[\"mlflow==2.9.2\"])\n",
		// A Python rule triggers: parsed.
		"removed.ipynb": `{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": ["import mlflow\n", "mlflow.fastai.autolog()\n"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`,
	}
	dir := writeTree(t, files)
	with, without := runSuite(t, dir, false), runSuite(t, dir, true)
	type seen struct {
		path, code string
		suppressed bool
	}
	list := func(r *analyzer.Result) []seen {
		var out []seen
		for _, f := range r.Findings {
			rel, _ := filepath.Rel(dir, filepath.FromSlash(f.Path))
			out = append(out, seen{filepath.ToSlash(rel), f.Code, f.Suppressed})
		}
		return out
	}
	want := []seen{
		{"noqa_export.py", "MLF040", true},
		{"pinned/setup.py", "MLF040", false},
		{"pinned_export.py", "MLF040", false},
		{"removed.ipynb", "MLF002", false},
	}
	if got := list(with); !reflect.DeepEqual(got, want) {
		t.Errorf("findings with the prefilter:\n got %v\nwant %v", got, want)
	}
	if got := list(without); !reflect.DeepEqual(got, want) {
		t.Errorf("findings without the prefilter:\n got %v\nwant %v", got, want)
	}
	if with.Parsed != 4 || without.Parsed != len(files) {
		t.Errorf("parsed %d files with the prefilter (want 4: the three with a pin finding and the notebook a rule reads) and %d without (want %d)", with.Parsed, without.Parsed, len(files))
	}
}

// TestPrefilterNeedsTheWordMlflow: a source reaches MLflow's API only by
// writing `mlflow` as a word, so files that mention it only inside other
// names (a plugin package's own imports) are not parsed, however many
// trigger words they hold; the same files importing mlflow are, and
// findings agree with a run without the prefilter.
func TestPrefilterNeedsTheWordMlflow(t *testing.T) {
	// (MLF903's trigger strings, such as get_latest_versions, need no
	// word: `models:/` URIs are strings.)
	plugin := "from kedro_mlflow.pipelines import pipelines\nfrom kedro_mlflow import __version__\n\nclient = MlflowClient()\nrun = client.get_run(\"r\")\nprint(__version__, pipelines, run.info.run_uuid)\n"
	files := map[string]string{
		"plugin.py":   plugin,
		"imports.py":  "import mlflow\nfrom mlflow import MlflowClient\n" + strings.SplitN(plugin, "\n\n", 2)[1],
		"env_only.py": "# Databricks notebook source\nimport os\nos.environ[\"MLFLOW_TRACKING_URI\"] = \"./mlruns\"\n",
	}
	dir := writeTree(t, files)
	with, without := runSuite(t, dir, false), runSuite(t, dir, true)
	got := codesByFile(with)
	if len(got["plugin.py"]) != 0 || len(got["imports.py"]) == 0 || !reflect.DeepEqual(got["env_only.py"], []string{"MLF033"}) {
		t.Errorf("findings %v: want none in plugin.py, some in imports.py and MLF033 in env_only.py", got)
	}
	if !reflect.DeepEqual(got, codesByFile(without)) {
		t.Errorf("findings differ with the prefilter %v and without %v", got, codesByFile(without))
	}
	// imports.py and env_only.py (in a Databricks notebook, MLF033 reads
	// the environment variable without the word).
	if with.Parsed != 2 {
		t.Errorf("parsed %d files with the prefilter, want 2", with.Parsed)
	}
}

// codesByFile maps the base name of each file with findings to their
// codes.
func codesByFile(r *analyzer.Result) map[string][]string {
	out := map[string][]string{}
	for _, f := range r.Findings {
		out[filepath.Base(f.Path)] = append(out[filepath.Base(f.Path)], f.Code)
	}
	return out
}

// writeTree writes files (relative paths) under a new directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runSuite runs the whole suite at target 3.15 over dir, with or without
// the prefilter; file errors fail the test.
func runSuite(t *testing.T, dir string, noPrefilter bool) *analyzer.Result {
	t.Helper()
	s := setup("3.15")
	res, err := analyzer.Run(context.Background(), analyzer.Options{Paths: []string{dir}, Rules: s.Rules, TextRules: s.TextRules,
		Target: s.Target, RuleTriggers: s.RuleTriggers, RuleWords: s.RuleWords, Yield: s.Yield, API: s.API, NoPrefilter: noPrefilter, Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	return res
}

// TestPrefilterRESTPathsNeedAVersion: MLF206 judges only paths written as
// /api/N.N/mlflow/..., so a file whose `api/` is a documentation link's
// (python_api/mlflow.pyfunc.html) or a path without a literal version is
// not parsed for it, while the same file with a versioned path is, and
// findings agree with a run without the prefilter.
func TestPrefilterRESTPathsNeedAVersion(t *testing.T) {
	files := map[string]string{
		"docs_link.py": "import requests\n\n# see https://mlflow.org/docs/latest/python_api/mlflow.pyfunc.html\nURL = \"https://example.com/api/\"\n\n\ndef get(base, run_id):\n    return requests.get(f\"{base}/api/{VERSION}/mlflow/runs/get\", params={\"run_id\": run_id})\n",
		"versioned.py": "import requests\n\n\ndef listing(base):\n    return requests.get(base + \"/api/2.0/mlflow/experiments/list\")\n",
	}
	dir := writeTree(t, files)
	with, without := runSuite(t, dir, false), runSuite(t, dir, true)
	got := codesByFile(with)
	if !reflect.DeepEqual(got, map[string][]string{"versioned.py": {"MLF206"}}) {
		t.Errorf("findings %v: want MLF206 in versioned.py only", got)
	}
	if !reflect.DeepEqual(got, codesByFile(without)) {
		t.Errorf("findings differ with the prefilter %v and without %v", got, codesByFile(without))
	}
	if with.Parsed != 1 || without.Parsed != 2 {
		t.Errorf("parsed %d files with the prefilter (want 1: versioned.py) and %d without (want 2)", with.Parsed, without.Parsed)
	}
}

// TestPrefilterPathWordsAsMembers: a file that writes `pipelines` and
// `openai`, `utils` only as a keyword, a bare name and in imports of
// other packages (as kedro's and mlflow-extensions' tests do) cannot reach
// mlflow.pipelines or mlflow.openai.utils and is not parsed, nor is one
// that names `requirements_file` (MLF017's keyword) without
// mlflow.pytorch, while the names written as members of mlflow are:
// MLF211 and the generic rules report them, as without the prefilter.
func TestPrefilterPathWordsAsMembers(t *testing.T) {
	files := map[string]string{
		"kedro_like.py": "import mlflow\nfrom kedro_mlflow.framework.cli.cli import ui\nfrom mlflow_extensions.serving.compat.openai import OpenAI\n\n\n" +
			"def test_config(utils):\n    cfg = dict(disable_tracking=dict(pipelines=[\"a\"]))\n    pipelines = cfg[\"pipelines\"]\n    return mlflow.active_run(), pipelines, utils, OpenAI\n",
		"reaches.py": "import mlflow\nfrom mlflow import pipelines\n\n\ndef run():\n    return pipelines, mlflow.openai.utils\n",
		// MLF017 needs mlflow.pytorch's log_model or save_model besides
		// the keyword.
		"modelify.py": "import mlflow\n\n\ndef test_modelify(cli):\n    cli([\"--requirements_file\", \"r.txt\"])\n    return mlflow.active_run(), dict(requirements_file=\"r.txt\")\n",
	}
	dir := writeTree(t, files)
	with, without := runSuite(t, dir, false), runSuite(t, dir, true)
	got := codesByFile(with)
	if len(got) != 1 || !slices.Contains(got["reaches.py"], "MLF211") {
		t.Errorf("findings %v: want MLF211 in reaches.py and nothing elsewhere", got)
	}
	if !reflect.DeepEqual(got, codesByFile(without)) {
		t.Errorf("findings differ with the prefilter %v and without %v", got, codesByFile(without))
	}
	if with.Parsed != 1 || without.Parsed != 3 {
		t.Errorf("parsed %d files with the prefilter (want 1: reaches.py) and %d without (want 3)", with.Parsed, without.Parsed)
	}
}
