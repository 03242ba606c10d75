package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

// MLF036 reports MetricThreshold and ModelValidationFailedException
// imported from mlflow.models.evaluation.base, which only re-exported them
// by accident in 2.x and no longer does in 3.x.
var MLF036 = register(&analysis.Analyzer{
	Name:             "MLF036",
	Doc:              analyzerDoc("MLF036"),
	URL:              docURL("MLF036"),
	Requires:         shared,
	RunDespiteErrors: true,
	Run:              runMLF036,
})

var _ = triggers("MLF036", "MetricThreshold", "ModelValidationFailedException")

const evaluationBase = "mlflow.models.evaluation.base"

// baseMoved maps each name to the public paths that provide it in both
// 2.9 and 3.x (a try/except shim importing one of them is not reported).
var baseMoved = map[string][]string{
	"MetricThreshold":                {"mlflow.models.MetricThreshold", "mlflow.models.evaluation.MetricThreshold", "mlflow.models.evaluation.validation.MetricThreshold"},
	"ModelValidationFailedException": {"mlflow.models.evaluation.validation.ModelValidationFailedException"},
}

func runMLF036(pass *analysis.Pass) (any, error) {
	in := analyzer.In(pass)
	if !in.Resolver.Seen("mlflow") && !in.File.Databricks {
		return nil, nil
	}
	all := in.Resolver.Imports()
	for _, imp := range all {
		if imp.Relative || imp.Module != evaluationBase || baseMoved[imp.Name] == nil || in.Resolver.GuardedBy(imp, baseMoved[imp.Name]...) {
			continue
		}
		var fix *analysis.SuggestedFix
		if to := baseTarget(all, imp); to != "" {
			fix = renameFix(in.File, imp.ModuleNode, to, "Import from `"+to+"`")
		}
		pass.Report(diag(in.File, imp.Node, mlf036Msg(imp.Name), fix, false))
	}
	for _, a := range in.Index.Of("attribute") {
		attr := parser.Field(a, "attribute")
		if attr == nil || baseMoved[in.File.Text(attr)] == nil {
			continue
		}
		if in.Resolver.Resolve(parser.Field(a, "object")) == evaluationBase {
			pass.Report(diag(in.File, a, mlf036Msg(in.File.Text(attr)), nil, false))
		}
	}
	return nil, nil
}

func mlf036Msg(name string) string {
	return "`" + evaluationBase + "." + name + "` was removed in MLflow 2.18 (ImportError): it was only re-exported there by accident; import it from `" + baseMoved[name][0][:len(baseMoved[name][0])-len(name)-1] + "`"
}

// baseTarget returns the module every name of imp's statement can be
// imported from in both 2.9 and 3.x, or "" when the statement also
// imports something else.
func baseTarget(all []*analyzer.Import, imp *analyzer.Import) string {
	onlyThreshold := true
	for _, o := range all {
		if o.Stmt.StartByte() != imp.Stmt.StartByte() {
			continue
		}
		switch o.Name {
		case "MetricThreshold":
		case "ModelValidationFailedException":
			onlyThreshold = false
		default:
			return ""
		}
	}
	if onlyThreshold {
		return "mlflow.models"
	}
	return "mlflow.models.evaluation.validation"
}
