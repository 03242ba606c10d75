package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

// shared is what every Python rule requires.
var shared = analyzer.Shared

// kwarg is one keyword argument of a call, written directly or passed
// through a dict unpacked with **.
type kwarg struct {
	Name string
	// NameNode is the keyword's name: the identifier of `k=v`, or the text
	// between the quotes of a dict key "k".
	NameNode *parser.Node
	// Node is the whole `k=v` argument or `"k": v` pair.
	Node    *parser.Node
	Value   *parser.Node
	ViaDict bool
}

// keywords returns the keyword arguments of call, including the keys of
// dicts unpacked with ** when the dict is a literal or a dict(...) call,
// written inline or assigned once in the same scope as the call.
func keywords(in analyzer.Inputs, call *parser.Node) []kwarg {
	args := parser.Field(call, "arguments")
	if args == nil || args.Type() != "argument_list" {
		return nil
	}
	var out []kwarg
	for _, a := range parser.NamedChildren(args) {
		switch a.Type() {
		case "keyword_argument":
			name := parser.Field(a, "name")
			if name == nil {
				continue
			}
			out = append(out, kwarg{Name: in.File.Text(name), NameNode: name, Node: a, Value: parser.Field(a, "value")})
		case "dictionary_splat":
			if inner := a.NamedChild(0); inner != nil {
				out = append(out, dictKeywords(in, parser.Unparen(inner), call)...)
			}
		}
	}
	return out
}

// dictKeywords returns the keys of the dict expression e unpacked into call.
func dictKeywords(in analyzer.Inputs, e, call *parser.Node) []kwarg {
	if e == nil {
		return nil
	}
	if e.Type() == "identifier" {
		b := in.Resolver.BindingOf(e)
		if b == nil || b.Kind != analyzer.BindAssign || b.Value == nil {
			return nil
		}
		// Only a dict built in the scope of the call, bound once there.
		if b.Scope != in.Resolver.ScopeAt(int(call.StartByte())) {
			return nil
		}
		e = parser.Unparen(b.Value)
		if e.Type() == "identifier" {
			return nil
		}
	}
	var out []kwarg
	switch e.Type() {
	case "dictionary":
		for _, p := range parser.NamedChildren(e) {
			if p.Type() != "pair" {
				continue
			}
			key := parser.Field(p, "key")
			name, ok := parser.StringValue(in.File.Src, key)
			content := parser.StringContent(key)
			if !ok || content == nil {
				continue
			}
			out = append(out, kwarg{Name: name, NameNode: content, Node: p, Value: parser.Field(p, "value"), ViaDict: true})
		}
	case "call":
		fn := parser.Field(e, "function")
		if fn == nil || fn.Type() != "identifier" || in.File.Text(fn) != "dict" || in.Resolver.BindingOf(fn) != nil {
			return nil
		}
		for _, k := range keywords(in, e) {
			k.ViaDict = true
			out = append(out, k)
		}
	}
	return out
}

// hasKeyword reports whether a keyword is among kws.
func hasKeyword(kws []kwarg, name string) bool {
	for _, k := range kws {
		if k.Name == name {
			return true
		}
	}
	return false
}

// replace returns an edit replacing the text of n.
func replace(f *parser.File, n *parser.Node, text string) analysis.TextEdit {
	return analysis.TextEdit{Pos: f.Pos(n), End: f.End(n), NewText: []byte(text)}
}

// diag builds a diagnostic at n with an optional fix.
func diag(f *parser.File, n *parser.Node, msg string, fix *analysis.SuggestedFix, unsafe bool) analysis.Diagnostic {
	d := analysis.Diagnostic{Pos: f.Pos(n), End: f.End(n), Message: msg}
	if fix != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*fix}
		if unsafe {
			d.Category = "unsafe"
		}
	}
	return d
}

// renameFix renames a node's text.
func renameFix(f *parser.File, n *parser.Node, to, title string) *analysis.SuggestedFix {
	return &analysis.SuggestedFix{Message: title, TextEdits: []analysis.TextEdit{replace(f, n, to)}}
}

// calls visits every call whose callee resolves to one of names.
func calls(in analyzer.Inputs, names map[string]bool, fn func(call *parser.Node, qn string)) {
	for _, c := range in.Index.Of("call") {
		if qn := in.Resolver.Callee(c); qn != "" && names[qn] {
			fn(c, qn)
		}
	}
}

// mlflowRule declares and registers a Python rule that runs only on files
// that import mlflow somewhere (or Databricks exports, which receive it
// implicitly): a file that never imports mlflow cannot reach its API.
func mlflowRule(code string, run func(pass *analysis.Pass, in analyzer.Inputs)) *analysis.Analyzer {
	return register(newMLflowRule(code, run))
}

// newMLflowRule is mlflowRule without the registration, for rule
// constructors whose callers register.
func newMLflowRule(code string, run func(pass *analysis.Pass, in analyzer.Inputs)) *analysis.Analyzer {
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
			run(pass, in)
			return nil, nil
		},
	}
}
