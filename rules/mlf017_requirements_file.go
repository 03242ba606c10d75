package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

var pytorchLogSave = set("mlflow.pytorch.log_model", "mlflow.pytorch.save_model")

// MLF017 reports mlflow.pytorch.log_model/save_model(requirements_file=...),
// removed in MLflow 3.0.
var MLF017 = mlflowRule("MLF017", func(pass *analysis.Pass, in analyzer.Inputs) {
	keywordCalls(in, pytorchLogSave, "requirements_file", func(call *parser.Node, qn string, k kwarg, kws []kwarg) {
		fix := renameKwFix(in, call, k, kws, "pip_requirements")
		pass.Report(diag(in.File, k.NameNode, "`"+qn+"(requirements_file=...)` was removed in MLflow 3.0 (it now falls through `**kwargs` to `torch.save`, which is expected to raise TypeError); pass the file to `pip_requirements=` instead", fix, true))
	})
})

var _ = wordTriggers("MLF017", pathAlts(pytorchLogSave, "requirements_file")...)
