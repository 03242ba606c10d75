package analyzer

import (
	"sort"
	"strings"

	"github.com/mlflowlint/mlflowlint/parser"
)

// BindKind says how a name was bound.
type BindKind int

const (
	BindImport   BindKind = iota // import x / from m import x
	BindWildcard                 // from m import *
	BindAssign                   // x = value (a single target)
	BindDef                      // def x
	BindClass                    // class x
	BindParam                    // a function or lambda parameter
	BindOther                    // for/with/except targets, tuple targets, walrus, del, match captures
)

// Binding is one binding of a name in one scope.
type Binding struct {
	Name string
	Kind BindKind
	// QN is the qualified name an import binds ("mlflow.models.MetricThreshold");
	// for a wildcard import, the module.
	QN string
	// Off is the byte offset from which the binding is visible.
	Off int
	// Node is the node that binds (the alias or name node; the import node
	// for a plain `import a.b`).
	Node *parser.Node
	// Value is the assigned expression of a single-target assignment.
	Value *parser.Node
	// Fallback is true for bindings made in an `except` handler: they only
	// take effect when the guarded code failed, so they do not hide it.
	Fallback bool
	Scope    *Scope
}

// ScopeKind distinguishes Python scopes.
type ScopeKind int

const (
	ScopeModule ScopeKind = iota
	ScopeFunction
	ScopeClass
	ScopeComprehension
)

// Scope is a Python scope with the byte range of the code that runs in it.
type Scope struct {
	Kind       ScopeKind
	Start, End int
	Parent     *Scope
	Children   []*Scope
	names      map[string][]*Binding
	globals    map[string]bool
	wildcards  []*Binding
}

// Import is one imported name of an import statement.
type Import struct {
	Stmt *parser.Node
	// Module is the module named by the statement ("mlflow.fastai" for
	// `import mlflow.fastai` or `from mlflow.fastai import x`).
	Module string
	// Name is the imported name of a from-import ("" for `import m`, "*"
	// for a wildcard).
	Name string
	// Full is what is imported: Module, or Module + "." + Name.
	Full string
	// Node is where to report: the dotted name of `import m`, the module of a
	// from-import for a wildcard, the imported name otherwise.
	Node *parser.Node
	// ModuleNode is the dotted module name node of the statement.
	ModuleNode *parser.Node
	// Bound is the local name bound ("" for wildcards).
	Bound string
	// Guarded is set when the statement sits in a try block or handler of a
	// try statement that catches ImportError (or a parent class of it).
	Guarded bool
	// Try is the guarding try statement, when Guarded.
	Try *parser.Node
	// Relative is set for relative imports, which never resolve to mlflow.
	Relative bool
}

// Resolver maps names and attribute chains of one file to qualified names.
// It follows Python's scoping: module, function, class (invisible to nested
// functions) and comprehension scopes, `global` declarations, and the
// textual order of bindings (the last binding before a use wins; a function
// body that runs later sees the enclosing scope's last binding before it, or
// failing that the first one after it).
type Resolver struct {
	f       *parser.File
	module  *Scope
	imports []*Import
	seen    map[string]bool
	// memo holds the qualified name of every node Resolve was asked about:
	// rules share one Resolver per file and ask about the same calls.
	memo map[memoKey]string
	// ImplicitMLflow makes an unbound name `mlflow` denote the mlflow
	// module (Databricks exports receive it through %run).
	ImplicitMLflow bool
}

// NewResolver collects the bindings of f.
func NewResolver(f *parser.File) *Resolver {
	r := &Resolver{f: f, seen: map[string]bool{}, memo: map[memoKey]string{}}
	r.module = &Scope{Kind: ScopeModule, Start: 0, End: len(f.Src), names: map[string][]*Binding{}, globals: map[string]bool{}}
	if f.Root != nil {
		c := &collector{r: r, src: f.Src}
		c.block(f.Root, r.module, false)
	}
	for _, s := range r.allScopes(r.module, nil) {
		for _, bs := range s.names {
			sort.SliceStable(bs, func(i, j int) bool { return bs[i].Off < bs[j].Off })
		}
		sort.Slice(s.Children, func(i, j int) bool { return s.Children[i].Start < s.Children[j].Start })
	}
	return r
}

func (r *Resolver) allScopes(s *Scope, out []*Scope) []*Scope {
	out = append(out, s)
	for _, c := range s.Children {
		out = r.allScopes(c, out)
	}
	return out
}

// Imports returns the import records of the file in source order.
func (r *Resolver) Imports() []*Import { return r.imports }

// Seen reports whether a module with this prefix was imported anywhere
// ("mlflow" is true after `import mlflow.models as mm`).
func (r *Resolver) Seen(module string) bool { return r.seen[module] }

// ScopeAt returns the innermost scope whose code contains offset off.
func (r *Resolver) ScopeAt(off int) *Scope {
	s := r.module
	for {
		next := (*Scope)(nil)
		i := sort.Search(len(s.Children), func(i int) bool { return s.Children[i].End > off })
		for ; i < len(s.Children); i++ {
			c := s.Children[i]
			if c.Start > off {
				break
			}
			if c.Start <= off && off < c.End {
				next = c
				break
			}
		}
		if next == nil {
			return s
		}
		s = next
	}
}

// Lookup returns the binding that a use of name at offset off refers to, or
// nil when the name is unbound (a builtin or undefined) or bound by a
// wildcard import of an unknown module.
func (r *Resolver) Lookup(name string, off int) *Binding {
	start := r.ScopeAt(off)
	for s := start; s != nil; s = s.Parent {
		if s.Kind == ScopeClass && s != start {
			continue
		}
		if s.globals[name] && s.Kind != ScopeModule {
			s = r.module
		}
		b, found := s.pick(name, off, s == start && s.Kind != ScopeModule)
		if found {
			return b
		}
		if s == r.module {
			break
		}
	}
	return nil
}

// pick chooses the binding of name in s for a use at off. found is false
// when s has no binding of name, so the search goes on outward.
func (s *Scope) pick(name string, off int, local bool) (*Binding, bool) {
	bs := s.names[name]
	var before, after *Binding
	var fbBefore *Binding
	for _, b := range bs {
		if b.Fallback {
			if b.Off <= off {
				fbBefore = b
			}
			continue
		}
		if b.Off <= off {
			before = b
		} else if after == nil {
			after = b
		}
	}
	// Wildcard imports bind every name they export: a wildcard after the
	// last explicit binding before the use hides that binding.
	var wild *Binding
	for _, w := range s.wildcards {
		if w.Off <= off {
			wild = w
		}
	}
	// A wildcard of another library is not taken to re-export a name that
	// was bound to an MLflow import (`import mlflow` then `from fastai.vision
	// import *` keeps `mlflow`); an unbound name after it is unknown.
	keep := before != nil && before.Kind == BindImport && isMLflow(before.QN) && !isMLflow(wildQN(wild))
	if wild != nil && !keep && (before == nil || wild.Off > before.Off) {
		if isMLflow(wild.QN) {
			return &Binding{Name: name, Kind: BindImport, QN: wild.QN + "." + name, Off: wild.Off, Node: wild.Node, Scope: s}, true
		}
		return nil, true
	}
	switch {
	case before != nil:
		return before, true
	case fbBefore != nil:
		return fbBefore, true
	case len(bs) == 0:
		return nil, false
	case local:
		// A local name used before its first binding is unbound.
		return nil, true
	case after != nil:
		return after, true
	}
	return bs[len(bs)-1], true
}

// Resolve returns the qualified name of an identifier or attribute chain
// ("mlflow.models.evaluate"), or "" when it does not resolve to an import.
// Results are memoized per node (and per ImplicitMLflow setting).
func (r *Resolver) Resolve(n *parser.Node) string {
	if n == nil {
		return ""
	}
	k := memoKey{n, r.ImplicitMLflow}
	if qn, ok := r.memo[k]; ok {
		return qn
	}
	qn := r.resolve(parser.Unparen(n), 0)
	r.memo[k] = qn
	return qn
}

type memoKey struct {
	n        *parser.Node
	implicit bool
}

func (r *Resolver) resolve(n *parser.Node, depth int) string {
	if n == nil || depth > 8 {
		return ""
	}
	switch n.Type() {
	case "identifier":
		name := r.f.Text(n)
		b := r.Lookup(name, int(n.StartByte()))
		if b == nil {
			if name == "mlflow" && r.ImplicitMLflow && r.unboundEverywhere(name) {
				return "mlflow"
			}
			return ""
		}
		return r.bindingQN(b, depth)
	case "attribute":
		obj := parser.Field(n, "object")
		attr := parser.Field(n, "attribute")
		if obj == nil || attr == nil {
			return ""
		}
		base := r.resolve(parser.Unparen(obj), depth+1)
		if base == "" {
			return ""
		}
		return base + "." + r.f.Text(attr)
	}
	return ""
}

func (r *Resolver) unboundEverywhere(name string) bool {
	return len(r.module.names[name]) == 0 && len(r.module.wildcards) == 0
}

func (r *Resolver) bindingQN(b *Binding, depth int) string {
	switch b.Kind {
	case BindImport:
		return b.QN
	case BindAssign:
		// An alias such as `evaluate = mlflow.evaluate`.
		if b.Value != nil {
			v := parser.Unparen(b.Value)
			if t := v.Type(); t == "identifier" || t == "attribute" {
				return r.resolve(v, depth+1)
			}
		}
	}
	return ""
}

// BindingOf returns the binding an identifier node refers to.
func (r *Resolver) BindingOf(id *parser.Node) *Binding {
	if id == nil || id.Type() != "identifier" {
		return nil
	}
	return r.Lookup(r.f.Text(id), int(id.StartByte()))
}

// Callee returns the qualified name of the function a call invokes.
func (r *Resolver) Callee(call *parser.Node) string {
	if call == nil || call.Type() != "call" {
		return ""
	}
	return r.Resolve(parser.Field(call, "function"))
}

// GuardedBy reports whether imp sits in a try statement catching
// ImportError whose other branch binds the same local name by importing
// one of the given qualified names (a compatibility shim that already
// provides the new spelling).
func (r *Resolver) GuardedBy(imp *Import, newNames ...string) bool {
	if !imp.Guarded || imp.Try == nil {
		return false
	}
	for _, other := range r.imports {
		if other == imp || other.Try == nil || other.Try.StartByte() != imp.Try.StartByte() || other.Bound != imp.Bound {
			continue
		}
		for _, nn := range newNames {
			if other.Full == nn {
				return true
			}
		}
	}
	return false
}

func isMLflow(qn string) bool { return qn == "mlflow" || strings.HasPrefix(qn, "mlflow.") }

func wildQN(w *Binding) string {
	if w == nil {
		return ""
	}
	return w.QN
}
