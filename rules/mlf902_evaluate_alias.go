package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

const mlf902Msg = "`mlflow.evaluate` is deprecated since MLflow 3.0 (FutureWarning \"The `mlflow.evaluate` API has been deprecated\" on every call from 3.6; in 3.0-3.5 only with a Databricks tracking URI); use `mlflow.models.evaluate` (or `mlflow.genai.evaluate` for GenAI evaluation)"

// MLF902 reports the top-level mlflow.evaluate, deprecated in MLflow 3.0
// in favour of mlflow.models.evaluate.
var MLF902 = mlflowRule("MLF902", func(pass *analysis.Pass, in analyzer.Inputs) {
	// `from mlflow import evaluate [as x]`: the uses go through the
	// import, which is where the fix belongs.
	imps := in.Resolver.Imports()
	for _, imp := range imps {
		if imp.Relative || imp.Module != "mlflow" || imp.Name != "evaluate" {
			continue
		}
		if in.Resolver.GuardedBy(imp, "mlflow.models.evaluate", "mlflow.models.evaluation.evaluate") {
			continue // a shim that already prefers the new path
		}
		var fix *analysis.SuggestedFix
		if namesInStmt(imps, imp) == 1 && imp.ModuleNode != nil {
			fix = renameFix(in.File, imp.ModuleNode, "mlflow.models", "Import `evaluate` from `mlflow.models`")
		}
		pass.Report(diag(in.File, imp.Node, mlf902Msg, fix, false))
	}
	// `mlflow.evaluate` through the module (`mlflow`, `mf`...).
	for _, a := range in.Index.Of("attribute") {
		attr := parser.Field(a, "attribute")
		obj := parser.Field(a, "object")
		if attr == nil || obj == nil || in.File.Text(attr) != "evaluate" || in.Resolver.Resolve(obj) != "mlflow" {
			continue
		}
		if p := a.Parent(); p != nil && p.Type() == "assignment" && sameNode(parser.Field(p, "left"), a) {
			continue // replacing the function, not calling it
		}
		fix := renameFix(in.File, attr, "models.evaluate", "Call `mlflow.models.evaluate`")
		pass.Report(diag(in.File, attr, mlf902Msg, fix, false))
	}
})

// The rule reports in the statement that writes evaluate as a member:
// after a dot or in the names of a from-import. A statement that names it
// elsewhere (`def evaluate`, prose in a docstring, a bare name that an
// import binds) has no finding of it.
var _ = wordTriggers("MLF902", writtenMember("evaluate"))

// namesInStmt counts the names imported by the statement of imp.
func namesInStmt(imps []*analyzer.Import, imp *analyzer.Import) int {
	n := 0
	for _, o := range imps {
		if o.Stmt != nil && imp.Stmt != nil && o.Stmt.StartByte() == imp.Stmt.StartByte() {
			n++
		}
	}
	return n
}
