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
	parent := module[:strings.LastIndexByte(module, '.')]
	return &analysis.Analyzer{
		Name:             code,
		Doc:              analyzerDoc(code),
		URL:              docURL(code),
		Requires:         shared,
		RunDespiteErrors: true,
		Run: func(pass *analysis.Pass) (any, error) {
			in := analyzer.In(pass)
			if !in.Resolver.Seen("mlflow") && !in.File.Databricks {
				return nil, nil
			}
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
					pass.Report(diag(in.File, imp.ModuleNode, message, nil, false))
				case imp.Name != "" && within(imp.Full):
					pass.Report(diag(in.File, imp.Node, message, nil, false))
				}
			}
			for _, a := range in.Index.Of("attribute") {
				attr := parser.Field(a, "attribute")
				if attr == nil || in.File.Text(attr) != module[len(parent)+1:] {
					continue
				}
				if in.Resolver.Resolve(parser.Field(a, "object")) == parent {
					pass.Report(diag(in.File, a, message, nil, false))
				}
			}
			return nil, nil
		},
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
