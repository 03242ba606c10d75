package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

// renameImportedName fixes `from m import OLD` into `from m import NEW`:
// the imported name is renamed and, unless the import binds an alias,
// every use of the bound name that resolves to m.OLD too. No fix (nil)
// when NEW is already bound in the file to something else, which the
// rename would shadow or be shadowed by.
func renameImportedName(in analyzer.Inputs, imp *analyzer.Import, newName, title string) *analysis.SuggestedFix {
	edits := []analysis.TextEdit{replace(in.File, imp.Node, newName)}
	if imp.Bound == imp.Name {
		newFull := imp.Module + "." + newName
		for _, id := range in.Index.Of("identifier") {
			if id.StartByte() == imp.Node.StartByte() || !isNameUse(id) {
				continue
			}
			switch in.File.Text(id) {
			case imp.Name:
				if in.Resolver.Resolve(id) == imp.Full {
					edits = append(edits, replace(in.File, id, newName))
				}
			case newName:
				if qn := in.Resolver.Resolve(id); qn != newFull && !isImportName(in, id) {
					return nil
				}
			}
		}
	}
	return &analysis.SuggestedFix{Message: title, TextEdits: edits}
}

// isNameUse reports whether an identifier is a use of a variable, not the
// attribute of `x.name` or the keyword of `f(name=...)`.
func isNameUse(id *parser.Node) bool {
	p := id.Parent()
	if p == nil || p.IsNull() {
		return true
	}
	switch p.Type() {
	case "attribute":
		if a := parser.Field(p, "attribute"); a != nil && a.StartByte() == id.StartByte() {
			return false
		}
	case "keyword_argument":
		if n := parser.Field(p, "name"); n != nil && n.StartByte() == id.StartByte() {
			return false
		}
	}
	return true
}

// isImportName reports an identifier that is part of an import statement.
func isImportName(in analyzer.Inputs, id *parser.Node) bool {
	return parser.Ancestor(id, "import_from_statement", "import_statement") != nil
}

// reportRenamedConstant reports every import and attribute read of
// module.old, a constant MLflow replaced by module.to, with a fix renaming it
// (none for an import guarded by a try that already imports module.to).
func reportRenamedConstant(pass *analysis.Pass, in analyzer.Inputs, module, old, to, msg, title string) {
	imps, attrs := importsOf(in, module, old)
	for _, imp := range imps {
		var fix *analysis.SuggestedFix
		if !in.Resolver.GuardedBy(imp, module+"."+to) {
			fix = renameImportedName(in, imp, to, title)
		}
		pass.Report(diag(in.File, imp.Node, msg, fix, false))
	}
	for _, a := range attrs {
		pass.Report(diag(in.File, a, msg, renameFix(in.File, a, to, title), false))
	}
}

// importsOf returns the from-imports of module.name (absolute, not
// wildcards) and the attribute reads `<module>.name` whose object resolves
// to module.
func importsOf(in analyzer.Inputs, module, name string) (imps []*analyzer.Import, attrs []*parser.Node) {
	for _, imp := range in.Resolver.Imports() {
		if !imp.Relative && imp.Module == module && imp.Name == name {
			imps = append(imps, imp)
		}
	}
	for _, a := range in.Index.Of("attribute") {
		attr := parser.Field(a, "attribute")
		if attr != nil && in.File.Text(attr) == name && in.Resolver.Resolve(parser.Field(a, "object")) == module {
			attrs = append(attrs, attr)
		}
	}
	return imps, attrs
}
