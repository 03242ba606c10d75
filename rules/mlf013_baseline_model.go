package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

// MLF013 reports the model-validation arguments removed from evaluate in
// MLflow 3.0: baseline_model, validation_thresholds and baseline_config.
var MLF013 = register(&analysis.Analyzer{
	Name:             "MLF013",
	Doc:              analyzerDoc("MLF013"),
	URL:              docURL("MLF013"),
	Requires:         shared,
	RunDespiteErrors: true,
	Run: func(pass *analysis.Pass) (any, error) {
		in := analyzer.In(pass)
		if !in.Resolver.Seen("mlflow") && !in.File.Databricks {
			return nil, nil
		}
		calls(in, evaluateFuncs, func(call *parser.Node, qn string) {
			for _, k := range keywords(in, call) {
				switch k.Name {
				case "baseline_model", "validation_thresholds", "baseline_config":
					pass.Report(diag(in.File, k.NameNode, "`"+shortName(qn)+"("+k.Name+"=...)` was removed in MLflow 3.0 (TypeError: unexpected keyword argument); evaluate the candidate and the baseline separately, then call `mlflow.validate_evaluation_results(validation_thresholds=..., candidate_result=..., baseline_result=...)`", nil, false))
				}
			}
		})
		return nil, nil
	},
})
