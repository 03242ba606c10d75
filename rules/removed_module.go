package rules

import (
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

// removedModule builds a rule for a module MLflow removed. It reports every
// import of the module or of something inside it, and every attribute
// access that reaches it through its parent package (`mlflow.fastai`
// after `import mlflow`, which MLflow 2.x resolves lazily), including a
// module object passed as a value. Relative imports and other libraries
// of the same name never match: names are resolved, not spelled.
func removedModule(code, module, message string) *analysis.Analyzer {
	wordTriggers(code, writtenPath(module))
	return newMLflowRule(code, func(pass *analysis.Pass, in analyzer.Inputs) {
		moduleUses(in, module, func(n *parser.Node) {
			pass.Report(diag(in.File, n, message, nil, false))
		})
	})
}

// moduleUses calls report at every use of module (see removedModule): one
// node per import statement of it, per import of it from its parent, and
// per attribute access reaching it through its parent.
func moduleUses(in analyzer.Inputs, module string, report func(n *parser.Node)) {
	parent := module[:strings.LastIndexByte(module, '.')]
	within := func(name string) bool { return name == module || strings.HasPrefix(name, module+".") }
	for _, imp := range in.Resolver.Imports() {
		if imp.Relative {
			continue
		}
		switch {
		case within(imp.Module):
			if imp.Name != "" && imp.Name != "*" && imp != firstOfStmt(in.Resolver.Imports(), imp) {
				continue // one finding per from-import statement
			}
			report(imp.ModuleNode)
		case imp.Name != "" && within(imp.Full):
			report(imp.Node)
		}
	}
	for _, a := range in.Index.Of("attribute") {
		attr := parser.Field(a, "attribute")
		if attr == nil || in.File.Text(attr) != module[len(parent)+1:] {
			continue
		}
		if in.Resolver.Resolve(parser.Field(a, "object")) == parent {
			report(a)
		}
	}
}

// firstOfStmt returns the first import record of imp's statement.
func firstOfStmt(all []*analyzer.Import, imp *analyzer.Import) *analyzer.Import {
	for _, o := range all {
		if o.Stmt.StartByte() == imp.Stmt.StartByte() {
			return o
		}
	}
	return imp
}
