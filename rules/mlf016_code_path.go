package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

var pyfuncLogSave = set("mlflow.pyfunc.log_model", "mlflow.pyfunc.save_model")

// MLF016 reports mlflow.pyfunc.log_model/save_model(code_path=...),
// removed in MLflow 3.0.
var MLF016 = mlflowRule("MLF016", func(pass *analysis.Pass, in analyzer.Inputs) {
	calls(in, pyfuncLogSave, func(call *parser.Node, qn string) {
		kws := keywords(in, call)
		for _, k := range kws {
			if k.Name == "code_path" {
				fix := renameKwFix(in, call, k, kws, "code_paths")
				pass.Report(diag(in.File, k.NameNode, "`"+qn+"(code_path=...)` was removed in MLflow 3.0 (TypeError: unexpected keyword argument); use `code_paths` (available from MLflow 2.13)", fix, true))
			}
		}
		// log_model(artifact_path, loader_module, data_path, code_path, ...)
		// and save_model(path, loader_module, data_path, code_path, ...).
		if pos := positional(call); len(pos) >= 4 {
			pass.Report(diag(in.File, pos[3], "the fourth positional argument of `"+qn+"` is `code_path`, removed in MLflow 3.0 (the positions of the later parameters moved); pass `code_paths=` by keyword", nil, false))
		}
	})
})

var _ = wordTriggers("MLF016", pathAlts(pyfuncLogSave, "")...)
