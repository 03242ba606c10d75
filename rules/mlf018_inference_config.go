package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

var transformersLogSave = set("mlflow.transformers.log_model", "mlflow.transformers.save_model")

// MLF018 reports mlflow.transformers.log_model/save_model(inference_config=...),
// removed in MLflow 3.0.
var MLF018 = mlflowRule("MLF018", func(pass *analysis.Pass, in analyzer.Inputs) {
	keywordCalls(in, transformersLogSave, "inference_config", func(_ *parser.Node, qn string, k kwarg, _ []kwarg) {
		pass.Report(diag(in.File, k.NameNode, "`"+qn+"(inference_config=...)` was removed in MLflow 3.0 (#15415): the setting is no longer stored with the model; set the pipeline or generation config before logging, or pass it at inference time", nil, false))
	})
})

var _ = keywordTriggers("MLF018", transformersLogSave, "inference_config")
