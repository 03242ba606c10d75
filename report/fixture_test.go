package report

import (
	"strings"
	"testing"

	"github.com/mlflowlint/mlflowlint/analyzer"
)

// The fixture is a small made-up project: a script with CJK, emoji and
// accented text before findings, a multi-line finding, a suppressed one, a
// deprecation warning with an unsafe fix, a notebook finding and a pinned
// requirement.

// spanOf returns the positions of the first occurrence of sub in text, the
// 1-based line line, whose first byte is at file offset base.
func spanOf(t *testing.T, text, sub string, line, base int) (analyzer.Position, analyzer.Position) {
	t.Helper()
	i := strings.Index(text, sub)
	if i < 0 {
		t.Fatalf("fixture: %q not in %q", sub, text)
	}
	return analyzer.Position{Offset: base + i, Line: line, Col: i + 1},
		analyzer.Position{Offset: base + i + len(sub), Line: line, Col: i + len(sub) + 1}
}

// rename is a fix replacing the span [start, end) by repl.
func rename(msg string, unsafe bool, start, end analyzer.Position, repl string) *analyzer.Fix {
	return &analyzer.Fix{Message: msg, Unsafe: unsafe, Edits: []analyzer.Edit{{Start: start, End: end, New: repl}}}
}

func fixtureDocs() []analyzer.RuleDoc {
	url := func(code string) string {
		return "https://github.com/mlflowlint/mlflowlint/blob/main/docs/rules/" + code + ".md"
	}
	return []analyzer.RuleDoc{
		{Code: "MLF901", Name: "log-model-artifact-path", Title: "`artifact_path=` of `log_model` is deprecated",
			Severity: analyzer.SeverityWarning, Since: "3.0", FixAvailability: "always", FixSafety: "unsafe",
			WhatItDoes:    "Finds `artifact_path=` passed to a flavor's `log_model`.",
			Why:           "MLflow 3 names logged models with `name=` and warns on `artifact_path=`.",
			Example:       "mlflow.sklearn.log_model(clf, artifact_path=\"model\")",
			UseInstead:    "mlflow.sklearn.log_model(clf, name=\"model\")",
			FixSafetyText: "Unsafe: `name=` does not exist before MLflow 3.0.", URL: url("MLF901"),
			Tags: []string{"mlflow", "deprecation"}},
		{Code: "MLF002", Name: "fastai-flavor-removed", Title: "the `mlflow.fastai` flavor was removed",
			Severity: analyzer.SeverityError, Since: "3.0", PR: "#15255", FixAvailability: "never",
			WhatItDoes: "Finds imports and uses of `mlflow.fastai`.",
			Why:        "MLflow 3.0 deleted the fastai flavor; importing it raises `ModuleNotFoundError`.",
			Example:    "import mlflow.fastai\nmlflow.fastai.autolog()",
			UseInstead: "import mlflow.pyfunc  # wrap the learner in a custom PythonModel",
			URL:        url("MLF002"), Tags: []string{"mlflow", "migration", "removed-flavor"}},
		{Code: "MLF003", Name: "mleap-flavor-removed", Title: "the `mlflow.mleap` flavor was removed",
			Severity: analyzer.SeverityError, Since: "3.0", PR: "#15259", FixAvailability: "never",
			WhatItDoes: "Finds imports and uses of `mlflow.mleap`.",
			Why:        "MLflow 3.0 deleted the MLeap flavor.",
			URL:        url("MLF003")},
		{Code: "MLF011", Name: "metric-threshold-higher-is-better", Title: "`MetricThreshold(higher_is_better=...)` was renamed",
			Severity: analyzer.SeverityError, Since: "3.0", PR: "#15343", FixAvailability: "sometimes", FixSafety: "safe",
			WhatItDoes:    "Finds `higher_is_better=` given to `MetricThreshold`.",
			Why:           "MLflow 3.0 renamed the argument to `greater_is_better`; the old name raises `TypeError`.",
			Example:       "MetricThreshold(threshold=0.8, higher_is_better=True)",
			UseInstead:    "MetricThreshold(threshold=0.8, greater_is_better=True)",
			FixSafetyText: "Safe: the two names mean the same on MLflow 3.", URL: url("MLF011")},
		{Code: "MLF012", Name: "evaluate-custom-metrics", Title: "`custom_metrics=` of `mlflow.evaluate` was removed",
			Severity: analyzer.SeverityError, Since: "3.0", PR: "#15343", FixAvailability: "sometimes", FixSafety: "safe",
			WhatItDoes: "Finds `custom_metrics=` given to `mlflow.evaluate`.",
			Why:        "MLflow 3.0 only accepts `extra_metrics=`.",
			Example:    "mlflow.evaluate(model, data, custom_metrics=[m])",
			UseInstead: "mlflow.evaluate(model, data, extra_metrics=[m])",
			URL:        url("MLF012")},
		{Code: "MLF013", Name: "evaluate-baseline-validation", Title: "model validation arguments of `mlflow.evaluate` were removed",
			Severity: analyzer.SeverityError, Since: "3.0", PR: "#15343", FixAvailability: "never",
			WhatItDoes: "Finds `baseline_model=`, `validation_thresholds=` and `baseline_config=` on `mlflow.evaluate`.",
			Why:        "MLflow 3.0 moved model validation to `mlflow.validate_evaluation_results`.",
			URL:        url("MLF013")},
		{Code: "MLF041", Name: "requirement-pins-mlflow-2", Title: "a requirement keeps MLflow below 3 (`==2.x` | `<3`)",
			Severity: analyzer.SeverityError, Since: "3.0", FixAvailability: "sometimes", FixSafety: "unsafe",
			WhatItDoes: "Finds requirement lines that exclude MLflow 3.",
			URL:        url("MLF041")},
	}
}

func fixtureResult(t *testing.T) *analyzer.Result {
	t.Helper()
	var fs []analyzer.Finding
	add := func(f analyzer.Finding) { fs = append(fs, f) }

	// src/eval.py
	l4 := "阈值 = MetricThreshold(threshold=0.8, higher_is_better=True)"
	s, e := spanOf(t, l4, "higher_is_better", 4, 60)
	add(analyzer.Finding{Code: "MLF011", Severity: analyzer.SeverityError, Path: "src/eval.py", Start: s, End: e,
		Message: "`higher_is_better` was removed from `MetricThreshold` in MLflow 3.0; use `greater_is_better`",
		Src:     analyzer.NewSource(60, l4), NoqaLine: 4,
		Fix: rename("Rename `higher_is_better` to `greater_is_better`", false, s, e, "greater_is_better")})

	l9 := "print(\"🚀\"); mlflow.evaluate(model, data, custom_metrics=[m])"
	s, e = spanOf(t, l9, "custom_metrics", 9, 200)
	add(analyzer.Finding{Code: "MLF012", Severity: analyzer.SeverityError, Path: "src/eval.py", Start: s, End: e,
		Message: "`custom_metrics` is no longer accepted by `mlflow.evaluate` in MLflow 3.0; use `extra_metrics`",
		Src:     analyzer.NewSource(200, l9), NoqaLine: 9,
		Fix: rename("Rename `custom_metrics` to `extra_metrics`", false, s, e, "extra_metrics")})

	l12 := "résultat = mlflow.evaluate(m, d, validation_thresholds={"
	l13 := "    \"accuracy\": seuil})"
	s, _ = spanOf(t, l12, "validation_thresholds", 12, 300)
	_, e = spanOf(t, l13, "}", 13, 300+len(l12)+1)
	add(analyzer.Finding{Code: "MLF013", Severity: analyzer.SeverityError, Path: "src/eval.py", Start: s, End: e,
		Message: "`validation_thresholds` was removed from `mlflow.evaluate` in MLflow 3.0; validate with `mlflow.validate_evaluation_results`",
		Src:     analyzer.NewSource(300, l12+"\n"+l13), NoqaLine: 12})

	l15 := "mlflow.evaluate(m, d, baseline_model=\"runs:/abc/model\")  # noqa: MLF013"
	s, e = spanOf(t, l15, "baseline_model", 15, 400)
	add(analyzer.Finding{Code: "MLF013", Severity: analyzer.SeverityError, Path: "src/eval.py", Start: s, End: e,
		Message: "`baseline_model` was removed from `mlflow.evaluate` in MLflow 3.0; validate with `mlflow.validate_evaluation_results`",
		Src:     analyzer.NewSource(400, l15), NoqaLine: 15, Suppressed: true})

	// src/my project/log.py: a path with a space, a deprecation warning.
	l3 := "mlflow.sklearn.log_model(clf, artifact_path=\"modèle\")"
	s, e = spanOf(t, l3, "artifact_path", 3, 40)
	add(analyzer.Finding{Code: "MLF901", Severity: analyzer.SeverityWarning, Path: "src/my project/log.py", Start: s, End: e,
		Message: "`artifact_path` is deprecated in MLflow 3; use `name`",
		Src:     analyzer.NewSource(40, l3), NoqaLine: 3,
		Fix: rename("Replace `artifact_path` with `name`", true, s, e, "name")})

	// src/train.py
	l1 := "import mlflow.fastai"
	s, e = spanOf(t, l1, "mlflow.fastai", 1, 0)
	add(analyzer.Finding{Code: "MLF002", Severity: analyzer.SeverityError, Path: "src/train.py", Start: s, End: e,
		Message: "`mlflow.fastai` was removed in MLflow 3.0; importing it fails",
		Src:     analyzer.NewSource(0, l1), NoqaLine: 1})

	// notebooks/explore.ipynb, cell 3, line 2.
	c2 := "scores = mlflow.evaluate(modèle, df, custom_metrics=[rmse])"
	raw := "    \"scores = mlflow.evaluate(modèle, df, custom_metrics=[rmse])\\n\","
	s, e = spanOf(t, c2, "custom_metrics", 2, 20)
	rs, re := spanOf(t, raw, "custom_metrics", 27, 900)
	add(analyzer.Finding{Code: "MLF012", Severity: analyzer.SeverityError, Path: "notebooks/explore.ipynb", Cell: 3,
		Start: s, End: e, Raw: &analyzer.RawSpan{Start: rs, End: re},
		Message: "`custom_metrics` is no longer accepted by `mlflow.evaluate` in MLflow 3.0; use `extra_metrics`",
		Src:     analyzer.NewSource(20, c2).WithRaw(strings.Repeat("{\n", 26) + raw), NoqaLine: 2,
		Fix: rename("Rename `custom_metrics` to `extra_metrics`", false, s, e, "extra_metrics")})

	// requirements.txt
	r2 := "mlflow==2.12.1"
	s, e = spanOf(t, r2, r2, 2, 7)
	add(analyzer.Finding{Code: "MLF041", Severity: analyzer.SeverityError, Path: "requirements.txt", Start: s, End: e,
		Message: "`mlflow==2.12.1` keeps the project on MLflow 2",
		Src:     analyzer.NewSource(7, r2), NoqaLine: 2,
		Fix: rename("Require `mlflow>=3.4,<4`", true, s, e, "mlflow>=3.4,<4")})

	return &analyzer.Result{
		Findings: analyzer.SortFindings(fs),
		Errors:   []analyzer.FileError{{Path: "src/broken.py", Message: "not valid UTF-8 (byte 0xff at offset 12)"}},
		Files:    6,
		Parsed:   5,
	}
}

func fixtureOptions() Options {
	return Options{Rules: fixtureDocs(), Target: "3.4", ToolVersion: "0.1.0", SrcRoot: "/home/dev/my repo"}
}
