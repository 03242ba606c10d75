package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

// MLF014 reports EvaluationResult.baseline_model_metrics, gone before
// MLflow 2.18: reads on a known evaluate result (a name bound from an
// evaluate call or EvaluationResult.load), and the constructor argument.
var MLF014 = mlflowRule("MLF014", func(pass *analysis.Pass, in analyzer.Inputs) {
	attrReads(in, "baseline_model_metrics", kindEvalResult, func(_, attr *parser.Node) {
		pass.Report(diag(in.File, attr, "`EvaluationResult.baseline_model_metrics` was removed in MLflow 2.18 (AttributeError); evaluate the baseline model with its own `mlflow.models.evaluate(...)` call and read that result's `metrics`", nil, false))
	})
	calls(in, evaluationResultPaths, func(call *parser.Node, _ string) {
		for _, k := range keywords(in, call) {
			if k.Name == "baseline_model_metrics" {
				pass.Report(diag(in.File, k.NameNode, "`EvaluationResult(baseline_model_metrics=...)` was removed in MLflow 2.18 (TypeError: unexpected keyword argument); build the baseline's result separately", nil, false))
			}
		}
		// 2.9: EvaluationResult(metrics, artifacts, baseline_model_metrics, run_id);
		// 3.x: EvaluationResult(metrics, artifacts, run_id).
		if pos := positional(call); len(pos) >= 3 {
			pass.Report(diag(in.File, pos[2], "the third positional argument of `EvaluationResult(...)` was `baseline_model_metrics` up to MLflow 2.17 and is `run_id` from 2.18; pass `run_id=` by keyword and drop the baseline metrics", nil, false))
		}
	})
})

// Reads are reported where the statement writes
// `.baseline_model_metrics`; the keyword and the positional form are calls
// of EvaluationResult.
var _ = wordTriggers("MLF014", append(pathAlts(evaluationResultPaths, ""), writtenMember("baseline_model_metrics"))...)
