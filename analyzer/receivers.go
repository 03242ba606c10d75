package analyzer

import (
	"github.com/mlflowlint/mlflowlint/parser"
)

// How says how a name got the value ValueOf returns.
type How int

const (
	// HowUnknown: the name's value is not known (a parameter, an import, a
	// tuple target, a name bound in several ways...).
	HowUnknown How = iota
	// HowAssigned: `name = value` or `(name := value)`.
	HowAssigned
	// HowWith: `with value as name`: the name holds what the context
	// manager's __enter__ returns.
	HowWith
	// HowIterated: `for name in value` (statement or comprehension): the
	// name holds an element of value.
	HowIterated
)

// ValueOf returns the expression an identifier's binding takes its value
// from at the place of the use, and how. Only bindings of the identifier
// alone are followed: `a, b = f()` or `for i, r in enumerate(rs)` give
// HowUnknown.
func (r *Resolver) ValueOf(id *parser.Node) (*parser.Node, How) {
	b := r.BindingOf(id)
	if b == nil || b.Node == nil {
		return nil, HowUnknown
	}
	switch b.Kind {
	case BindAssign:
		if b.Value != nil {
			return b.Value, HowAssigned
		}
	case BindOther:
		p := b.Node.Parent()
		if p == nil || p.IsNull() {
			return nil, HowUnknown
		}
		switch p.Type() {
		case "named_expression":
			if v := parser.Field(p, "value"); v != nil && sameNode(parser.Field(p, "name"), b.Node) {
				return v, HowAssigned
			}
		case "for_statement", "for_in_clause":
			if sameNode(parser.Field(p, "left"), b.Node) {
				if v := parser.Field(p, "right"); v != nil {
					return v, HowIterated
				}
			}
		case "as_pattern_target":
			ap := p.Parent()
			if ap == nil || ap.IsNull() || ap.Type() != "as_pattern" || p.NamedChildCount() != 1 {
				return nil, HowUnknown
			}
			item := ap.Parent()
			if item == nil || item.IsNull() || item.Type() != "with_item" {
				return nil, HowUnknown // except ... as e, case ... as x
			}
			if v := ap.NamedChild(0); v != nil && !sameNode(v, p) {
				return v, HowWith
			}
		}
	}
	return nil, HowUnknown
}

func sameNode(a, b *parser.Node) bool {
	return a != nil && b != nil && a.StartByte() == b.StartByte() && a.EndByte() == b.EndByte() && a.Type() == b.Type()
}

// Kinds is a small table of what MLflow calls return, used to infer the
// kind of object an expression holds ("run", "client", "modelinfo"...).
// A kind is any string the table chooses; "" means unknown.
type Kinds struct {
	// Funcs maps a resolved callee ("mlflow.get_run") to the kind of the
	// object the call returns.
	Funcs map[string]string
	// Func, when set, is asked for callees Funcs does not hold (patterns
	// such as "mlflow.<flavor>.log_model").
	Func func(qn string, call *parser.Node) string
	// Methods maps "kind.method" to the kind a method call on an object of
	// that kind returns ("client.get_run" -> "run").
	Methods map[string]string
	// Attrs maps "kind.attr" to the kind of an attribute ("run.info").
	Attrs map[string]string
	// Elems maps a collection kind to the kind of its elements, reached by
	// iterating (`for x in c`) or by indexing (`c[0]`).
	Elems map[string]string
	// Enter maps a kind to what `with <kind> as x` binds x to. A kind not
	// listed binds nothing known.
	Enter map[string]string
	// Member, when set, is asked for the kind of a member of an object of a
	// known kind that Methods (called) or Attrs (read) do not hold.
	Member func(kind, name string, called bool) string
	// Check, when set, may veto or change the kind of a call result (for
	// instance a producer that returns a list only for some arguments).
	// src is the source of the file, for reading argument values.
	Check func(src []byte, call *parser.Node, qn, kind string) string
}

// KindOf infers the kind of the object expression e holds: a call to a
// known producer, a method of a known object, an attribute, an element, or
// a name bound (by assignment, `with ... as`, or a for loop) to one of
// those. Unknown means "".
func (r *Resolver) KindOf(k *Kinds, e *parser.Node) string {
	return r.kindOf(k, e, 0)
}

func (r *Resolver) kindOf(k *Kinds, e *parser.Node, depth int) string {
	e = parser.Unparen(e)
	if e == nil || depth > 12 {
		return ""
	}
	switch e.Type() {
	case "call":
		fn := parser.Unparen(parser.Field(e, "function"))
		if fn == nil {
			return ""
		}
		kind := ""
		qn := r.Resolve(fn)
		if qn != "" {
			kind = k.Funcs[qn]
			if kind == "" && k.Func != nil {
				kind = k.Func(qn, e)
			}
		} else if fn.Type() == "attribute" {
			recv := r.kindOf(k, parser.Field(fn, "object"), depth+1)
			if recv != "" {
				name := r.f.Text(parser.Field(fn, "attribute"))
				kind = k.Methods[recv+"."+name]
				if kind == "" && k.Member != nil {
					kind = k.Member(recv, name, true)
				}
			}
		}
		if kind != "" && k.Check != nil {
			kind = k.Check(r.f.Src, e, qn, kind)
		}
		return kind
	case "attribute":
		if r.Resolve(e) != "" {
			return "" // a module attribute, not an object's
		}
		obj := r.kindOf(k, parser.Field(e, "object"), depth+1)
		if obj == "" {
			return ""
		}
		name := r.f.Text(parser.Field(e, "attribute"))
		if kind := k.Attrs[obj+"."+name]; kind != "" || k.Member == nil {
			return kind
		}
		return k.Member(obj, name, false)
	case "subscript":
		coll := r.kindOf(k, parser.Field(e, "value"), depth+1)
		if coll == "" {
			return ""
		}
		if sub := parser.Field(e, "subscript"); sub != nil && sub.Type() == "slice" {
			return coll
		}
		return k.Elems[coll]
	case "identifier":
		v, how := r.ValueOf(e)
		if v == nil {
			return ""
		}
		kind := r.kindOf(k, v, depth+1)
		if kind == "" {
			return ""
		}
		switch how {
		case HowAssigned:
			return kind
		case HowIterated:
			return k.Elems[kind]
		case HowWith:
			return k.Enter[kind]
		}
	}
	return ""
}
