package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

// MLF019 reports ModelInfo.signature_dict, removed in MLflow 3.0, read on
// a known ModelInfo: the result of mlflow.<flavor>.log_model(...),
// mlflow.models.get_model_info(...) or Model.log(...), or a name bound to
// one.
var MLF019 = mlflowRule("MLF019", func(pass *analysis.Pass, in analyzer.Inputs) {
	attrReads(in, "signature_dict", kindModelInfo, func(a, attr *parser.Node) {
		obj := parser.Field(a, "object")
		var fix *analysis.SuggestedFix
		// The receiver is written twice by the fix: only a plain name or
		// attribute chain, never a call, may be repeated.
		if isNameChain(obj) {
			o := in.File.Text(obj)
			text := "(" + o + ".signature.to_dict() if " + o + ".signature else None)"
			fix = &analysis.SuggestedFix{Message: "Replace `signature_dict` with `signature.to_dict()`", TextEdits: []analysis.TextEdit{replace(in.File, a, text)}}
		}
		pass.Report(diag(in.File, attr, "`ModelInfo.signature_dict` was removed in MLflow 3.0 (AttributeError); use `signature.to_dict()` (`signature` may be None)", fix, true))
	})
})

var _ = triggers("MLF019", "signature_dict")

// isNameChain reports whether n is an identifier or an attribute chain of
// identifiers (`info`, `self.info`), which can be evaluated twice.
func isNameChain(n *parser.Node) bool {
	for n != nil {
		switch n.Type() {
		case "identifier":
			return true
		case "attribute":
			n = parser.Field(n, "object")
		default:
			return false
		}
	}
	return false
}
