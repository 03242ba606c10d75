package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

// removedModuleAt builds a rule for a module MLflow deprecated in one
// release and removed in a later one. It reports the same uses as
// removedModule, depending on the target version: nothing below
// `deprecated`, a warning (Category "warning") from `deprecated` up to
// `removed`, an error from `removed` on. Its doc's `since` is the
// deprecation release, so the driver runs it from there.
func removedModuleAt(code, module string, deprecated, removed analyzer.Version, warnMsg, errMsg string) *analysis.Analyzer {
	wordTriggers(code, writtenPath(module))
	return newMLflowRule(code, func(pass *analysis.Pass, in analyzer.Inputs) {
		target := in.Config.Target
		if target.Less(deprecated) {
			return
		}
		warn := target.Less(removed)
		moduleUses(in, module, func(n *parser.Node) {
			if warn {
				d := diag(in.File, n, warnMsg, nil, false)
				d.Category = "warning"
				pass.Report(d)
				return
			}
			pass.Report(diag(in.File, n, errMsg, nil, false))
		})
	})
}
