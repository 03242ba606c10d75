package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

// MLF012 reports evaluate(custom_metrics=...), removed in MLflow 3.0.
var MLF012 = register(&analysis.Analyzer{
	Name:             "MLF012",
	Doc:              analyzerDoc("MLF012"),
	URL:              docURL("MLF012"),
	Requires:         shared,
	RunDespiteErrors: true,
	Run: func(pass *analysis.Pass) (any, error) {
		in := analyzer.In(pass)
		if !in.Resolver.Seen("mlflow") && !in.File.Databricks {
			return nil, nil
		}
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
		return nil, nil
	},
})

var _ = triggers("MLF012", "custom_metrics")

// shortName turns a qualified callee into the spelling used in messages.
func shortName(qn string) string {
	switch qn {
	case "mlflow.models.evaluation.evaluate", "mlflow.models.evaluation.base.evaluate":
		return "mlflow.models.evaluate"
	}
	return qn
}
