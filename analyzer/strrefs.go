package analyzer

import (
	"slices"
	"strings"

	"github.com/mlflowlint/mlflowlint/parser"
)

// StringRefKind says how a string names a Python object.
type StringRefKind int

const (
	// RefPatch: a mock patch target, "pkg.module.attr" (unittest.mock's
	// patch and patch.dict, pytest-mock's mocker.patch, monkeypatch.setattr
	// and delattr with a dotted string). The object must exist when the
	// patch starts.
	RefPatch StringRefKind = iota
	// RefAttr: an attribute named by a string on an object (patch.object,
	// mocker.patch.object, monkeypatch.setattr(obj, "name"), getattr
	// without a default).
	RefAttr
	// RefImport: a module imported by name (importlib.import_module,
	// __import__).
	RefImport
)

// StringRef is a string literal that names a Python object.
type StringRef struct {
	Kind StringRefKind
	// Value is the string's value; with RefAttr, the attribute name.
	Value string
	// Node is the string literal.
	Node *parser.Node
	// Object is, with RefAttr, the expression whose attribute is named.
	Object *parser.Node
	// Call is the call that takes the string.
	Call *parser.Node
	// How names the call for messages ("patch target", "getattr").
	How string
}

// patchers maps resolved callees to how their first argument names an
// object: patch targets or (object, attribute) pairs.
var patchers = map[string]StringRefKind{
	"unittest.mock.patch":        RefPatch,
	"mock.patch":                 RefPatch,
	"unittest.mock.patch.dict":   RefPatch,
	"mock.patch.dict":            RefPatch,
	"unittest.mock.patch.object": RefAttr,
	"mock.patch.object":          RefAttr,
	"importlib.import_module":    RefImport,
}

// builtinRefs are the builtins that name objects by string, unless the
// name is bound in the file.
var builtinRefs = map[string]StringRefKind{
	"__import__": RefImport,
	"getattr":    RefAttr,
}

// attrRefWords returns the last word of each call that names an attribute
// by a string (RefAttr): a source that writes none of them names no
// attribute that way (the prefilter's gate on whole-string words).
func attrRefWords() []string {
	var out []string
	for _, table := range []map[string]StringRefKind{patchers, fixtureMethods, builtinRefs} {
		for name, k := range table {
			if k == RefAttr {
				out = append(out, name[strings.LastIndexByte(name, '.')+1:])
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// fixtureMethods are the methods of pytest fixtures that name objects:
// `mocker` (pytest-mock) and `monkeypatch` (pytest), by the receiver's
// spelling, which pytest's fixture injection fixes.
var fixtureMethods = map[string]StringRefKind{
	"mocker.patch":         RefPatch,
	"mocker.patch.dict":    RefPatch,
	"mocker.patch.object":  RefAttr,
	"monkeypatch.setattr":  RefAttr,
	"monkeypatch.delattr":  RefAttr,
	"module_mocker.patch":  RefPatch,
	"class_mocker.patch":   RefPatch,
	"session_mocker.patch": RefPatch,
	"package_mocker.patch": RefPatch,
}

// StringRefs returns the string literals of calls that name objects:
// patch targets, attributes named by string, modules imported by name.
// A call that would not fail on a missing object (patch(..., create=True),
// monkeypatch.setattr(..., raising=False), getattr with a default) is left
// out.
func (r *Resolver) StringRefs(calls []*parser.Node) []StringRef {
	var out []StringRef
	for _, call := range calls {
		fn := parser.Unparen(parser.Field(call, "function"))
		if fn == nil {
			continue
		}
		args := PositionalArgs(call)
		kind, how, ok := r.refCall(fn)
		if !ok || len(args) == 0 {
			continue
		}
		if r.keywordTrue(call, "create") || r.keywordFalse(call, "raising") {
			continue
		}
		if strings.HasPrefix(how, "monkeypatch.") && args[0].Type() == "string" {
			kind = RefPatch // setattr("pkg.mod.name", value): the string is the target
		}
		switch kind {
		case RefPatch, RefImport:
			s := args[0]
			v, isStr := parser.StringValue(r.f.Src, s)
			if !isStr {
				continue
			}
			out = append(out, StringRef{Kind: kind, Value: v, Node: s, Call: call, How: how})
		case RefAttr:
			if len(args) < 2 {
				continue
			}
			if how == "getattr" && len(args) > 2 {
				continue // a default: a missing attribute does not fail
			}
			v, isStr := parser.StringValue(r.f.Src, args[1])
			if !isStr {
				continue
			}
			out = append(out, StringRef{Kind: RefAttr, Value: v, Node: args[1], Object: args[0], Call: call, How: how})
		}
	}
	return out
}

// refCall says whether a callee names objects by string, and how.
func (r *Resolver) refCall(fn *parser.Node) (StringRefKind, string, bool) {
	if qn := r.Resolve(fn); qn != "" {
		if k, ok := patchers[qn]; ok {
			return k, qn, true
		}
		return 0, "", false
	}
	switch fn.Type() {
	case "identifier":
		name := r.f.Text(fn)
		if r.BindingOf(fn) != nil {
			return 0, "", false
		}
		if k, ok := builtinRefs[name]; ok {
			return k, name, true
		}
	case "attribute":
		text := dotted(r.f, fn)
		root, _, _ := strings.Cut(text, ".")
		k, ok := fixtureMethods[text]
		if !ok {
			return 0, "", false
		}
		// The receiver is the fixture: a parameter (or unbound, in
		// doctest-like snippets), never an imported module.
		if b := r.Lookup(root, int(fn.StartByte())); b != nil && b.Kind != BindParam {
			return 0, "", false
		}
		return k, text, true
	}
	return 0, "", false
}

// dotted returns the text of an identifier/attribute chain ("a.b.c"), or "".
func dotted(f *parser.File, n *parser.Node) string {
	switch n.Type() {
	case "identifier":
		return f.Text(n)
	case "attribute":
		obj := dotted(f, parser.Unparen(parser.Field(n, "object")))
		if obj == "" {
			return ""
		}
		return obj + "." + f.Text(parser.Field(n, "attribute"))
	}
	return ""
}

// PositionalArgs returns a call's positional arguments up to the first
// *args (after which positions are unknown).
func PositionalArgs(call *parser.Node) []*parser.Node {
	args := parser.Field(call, "arguments")
	if args == nil || args.Type() != "argument_list" {
		return nil
	}
	var out []*parser.Node
	for _, a := range parser.NamedChildren(args) {
		switch a.Type() {
		case "keyword_argument", "dictionary_splat", "comment":
			continue
		case "list_splat":
			return out
		}
		out = append(out, a)
	}
	return out
}

func keywordArg(f *parser.File, call *parser.Node, name string) *parser.Node {
	for _, a := range parser.NamedChildren(parser.Field(call, "arguments")) {
		if a.Type() == "keyword_argument" {
			if n := parser.Field(a, "name"); n != nil && f.Text(n) == name {
				return parser.Field(a, "value")
			}
		}
	}
	return nil
}

// keywordTrue reports whether call passes name= with a value other than a
// literal False or None (create=True, create=flag).
func (r *Resolver) keywordTrue(call *parser.Node, name string) bool {
	v := keywordArg(r.f, call, name)
	return v != nil && v.Type() != "false" && v.Type() != "none"
}

// keywordFalse reports whether call passes name= with a value other than
// a literal True.
func (r *Resolver) keywordFalse(call *parser.Node, name string) bool {
	v := keywordArg(r.f, call, name)
	return v != nil && v.Type() != "true"
}
