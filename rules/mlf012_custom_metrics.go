package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

// MLF012 reports evaluate(custom_metrics=...), removed in MLflow 3.0.
var MLF012 = mlflowRule("MLF012", func(pass *analysis.Pass, in analyzer.Inputs) {
	calls(in, evaluateFuncs, func(call *parser.Node, qn string) {
		kws := keywords(in, call)
		both := hasKeyword(kws, "extra_metrics")
		for _, k := range kws {
			if k.Name != "custom_metrics" {
				continue
			}
			var fix *analysis.SuggestedFix
			if !both {
				fix = renameFix(in.File, k.NameNode, "extra_metrics", "Rename `custom_metrics` to `extra_metrics`")
			}
			pass.Report(diag(in.File, k.NameNode, "`"+shortName(qn)+"(custom_metrics=...)` was removed in MLflow 3.0 (TypeError: unexpected keyword argument); use `extra_metrics`", fix, false))
		}
	})
})

var _ = keywordTriggers("MLF012", evaluateFuncs, "custom_metrics")

// shortName turns a qualified callee into the spelling used in messages.
func shortName(qn string) string {
	switch qn {
	case "mlflow.models.evaluation.evaluate", "mlflow.models.evaluation.base.evaluate":
		return "mlflow.models.evaluate"
	}
	return qn
}
