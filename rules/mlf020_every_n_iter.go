package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

var tensorflowAutolog = set("mlflow.tensorflow.autolog")

// MLF020 reports mlflow.tensorflow.autolog(every_n_iter=...) and a
// positional first argument, which MLflow 3.0 binds to log_models.
var MLF020 = mlflowRule("MLF020", func(pass *analysis.Pass, in analyzer.Inputs) {
	calls(in, tensorflowAutolog, func(call *parser.Node, _ string) {
		for _, k := range keywords(in, call) {
			if k.Name != "every_n_iter" {
				continue
			}
			var fix *analysis.SuggestedFix
			if v := parser.Unparen(k.Value); v != nil && v.Type() == "integer" && in.File.Text(v) == "1" {
				fix = deleteFix(in, call, k, "Delete `every_n_iter=1` (logging every epoch is the default)")
			}
			pass.Report(diag(in.File, k.NameNode, "`mlflow.tensorflow.autolog(every_n_iter=...)` was removed in MLflow 3.0 (TypeError: unexpected keyword argument); use `log_every_epoch=True` or `log_every_n_steps=`", fix, true))
		}
		if pos := positional(call); len(pos) > 0 {
			pass.Report(diag(in.File, pos[0], "the first positional argument of `mlflow.tensorflow.autolog` was `every_n_iter` in MLflow 2.x; MLflow 3.0 binds it to `log_models`, silently changing its meaning; pass `log_every_epoch=` or `log_every_n_steps=` by keyword", nil, false))
		}
	})
})

var _ = wordTriggers("MLF020", pathAlts(tensorflowAutolog, "")...)
