package analyzer

import (
	"strings"

	"github.com/mlflowlint/mlflowlint/apidb"
	"github.com/mlflowlint/mlflowlint/parser"
)

// Typer infers which MLflow class an expression's value is an instance of,
// from the API data of one release: what MLflow functions and methods
// return (their annotations), properties and attributes, `self.x`
// assignments, annotated parameters and variables, and user classes that
// subclass an MLflow class. Types are class paths of the data
// ("mlflow.entities.run.Run"); "[" before one is a list of them; "" is
// unknown.
type Typer struct {
	r   *Resolver
	db  *apidb.DB
	rel int
	// selfAttrs memoizes the type of `self.<name>` per class node.
	selfAttrs map[selfKey]string
	memo      map[*parser.Node]string
	assigns   map[*parser.Node][]*parser.Node
	// defines memoizes definesMember: a rule asks it of every
	// `self.<name>` it reads, and each answer walks the class.
	defines map[selfKey]bool
}

type selfKey struct {
	class *parser.Node
	name  string
}

// NewTyper returns a Typer of the resolver's file for release rel.
func NewTyper(r *Resolver, db *apidb.DB, rel int) *Typer {
	return &Typer{r: r, db: db, rel: rel, selfAttrs: map[selfKey]string{}, memo: map[*parser.Node]string{}, assigns: map[*parser.Node][]*parser.Node{}, defines: map[selfKey]bool{}}
}

// TypeOf returns the class of the object e holds, or "".
func (t *Typer) TypeOf(e *parser.Node) string { return t.typeOf(e, 0) }

func (t *Typer) typeOf(e *parser.Node, depth int) string {
	e = parser.Unparen(e)
	if e == nil || depth > 12 {
		return ""
	}
	if ty, ok := t.memo[e]; ok {
		return ty
	}
	t.memo[e] = "" // a cycle gives unknown
	ty := t.infer(e, depth)
	t.memo[e] = ty
	return ty
}

func (t *Typer) infer(e *parser.Node, depth int) string {
	f := t.r.f
	switch e.Type() {
	case "call":
		fn := parser.Unparen(parser.Field(e, "function"))
		if fn == nil {
			return ""
		}
		if qn := t.r.Resolve(fn); qn != "" {
			return t.callResult(t.db.Resolve(qn, t.rel))
		}
		if fn.Type() == "attribute" {
			return t.memberType(parser.Field(fn, "object"), f.Text(parser.Field(fn, "attribute")), depth, true)
		}
	case "attribute":
		if t.r.Resolve(e) != "" {
			return "" // a module's attribute: its value's type is not known
		}
		return t.memberType(parser.Field(e, "object"), f.Text(parser.Field(e, "attribute")), depth, false)
	case "subscript":
		coll := t.typeOf(parser.Field(e, "value"), depth+1)
		if sub := parser.Field(e, "subscript"); sub != nil && sub.Type() == "slice" {
			return coll
		}
		if elem, ok := strings.CutPrefix(coll, "["); ok {
			return elem
		}
	case "identifier":
		return t.nameType(e, depth)
	}
	return ""
}

// callResult is the type of what calling the resolved object returns: an
// instance of a class, or a function's annotated result.
func (t *Typer) callResult(r apidb.Resolved) string {
	if r.Status != apidb.Found {
		return ""
	}
	switch r.Entry.Kind {
	case apidb.Class:
		return r.Node.Path()
	case apidb.Function:
		return t.canonical(r.Entry.Returns())
	}
	return ""
}

// canonical resolves a type path of the data to the class's own path.
func (t *Typer) canonical(ty string) string {
	list := strings.HasPrefix(ty, "[")
	ty = strings.TrimPrefix(ty, "[")
	if ty == "" {
		return ""
	}
	r := t.db.Resolve(ty, t.rel)
	if r.Status != apidb.Found || r.Entry.Kind != apidb.Class {
		return ""
	}
	if list {
		return "[" + r.Node.Path()
	}
	return r.Node.Path()
}

// memberType is the type of obj.name (called: the type of what calling it
// returns).
func (t *Typer) memberType(obj *parser.Node, name string, depth int, called bool) string {
	obj = parser.Unparen(obj)
	if obj == nil {
		return ""
	}
	var class string
	if cls := t.selfClass(obj); cls != nil {
		if t.definesMember(cls, name) {
			if called {
				return ""
			}
			return t.selfAttr(cls, name, depth)
		}
		class = t.MLflowBase(cls)
	} else {
		class = t.typeOf(obj, depth+1)
	}
	if class == "" || strings.HasPrefix(class, "[") {
		return ""
	}
	r := t.db.Member(class, name, t.rel)
	if r.Status != apidb.Found {
		return ""
	}
	switch r.Entry.Kind {
	case apidb.Function:
		if called {
			return t.canonical(r.Entry.Returns())
		}
	case apidb.Property, apidb.Attribute:
		if !called {
			return t.canonical(r.Entry.Returns())
		}
	case apidb.Class:
		if called {
			return r.Node.Path()
		}
	}
	return ""
}

// nameType follows a name to its binding.
func (t *Typer) nameType(id *parser.Node, depth int) string {
	b := t.r.BindingOf(id)
	if b == nil {
		return ""
	}
	if b.Kind == BindParam {
		return t.annotationType(paramAnnotation(b.Node), depth)
	}
	if b.Kind == BindAssign && b.Node != nil {
		if a := parser.Field(b.Node.Parent(), "type"); a != nil && b.Node.Parent().Type() == "assignment" {
			if ty := t.annotationType(a, depth); ty != "" {
				return ty
			}
		}
	}
	v, how := t.r.ValueOf(id)
	if v == nil {
		return ""
	}
	ty := t.typeOf(v, depth+1)
	switch how {
	case HowAssigned:
		return ty
	case HowIterated:
		if elem, ok := strings.CutPrefix(ty, "["); ok {
			return elem
		}
	case HowWith:
		return t.entered(ty)
	}
	return ""
}

// entered is what `with <ty> as x` binds: the annotated result of the
// class's __enter__, or, unannotated, the object itself (the usual
// `return self`).
func (t *Typer) entered(ty string) string {
	if ty == "" || strings.HasPrefix(ty, "[") {
		return ""
	}
	r := t.db.Member(ty, "__enter__", t.rel)
	if r.Status != apidb.Found || r.Entry.Kind != apidb.Function {
		return ""
	}
	if r.Entry.Returns() != "" {
		return t.canonical(r.Entry.Returns())
	}
	return ty
}

// annotationType reads an annotation: a class, Optional[class], class |
// None, or a list of a class.
func (t *Typer) annotationType(a *parser.Node, depth int) string {
	a = parser.Unparen(a)
	if a == nil || depth > 12 {
		return ""
	}
	switch a.Type() {
	case "type":
		if a.NamedChildCount() == 1 {
			return t.annotationType(a.NamedChild(0), depth+1)
		}
	case "string":
		return "" // a forward reference would need parsing the string
	case "identifier", "attribute":
		if qn := t.r.Resolve(a); qn != "" {
			r := t.db.Resolve(qn, t.rel)
			if r.Status == apidb.Found && r.Entry.Kind == apidb.Class {
				return r.Node.Path()
			}
		}
	case "binary_operator":
		l, rgt := parser.Field(a, "left"), parser.Field(a, "right")
		if isNone(t.r.f, rgt) {
			return t.annotationType(l, depth+1)
		}
		if isNone(t.r.f, l) {
			return t.annotationType(rgt, depth+1)
		}
	case "generic_type", "subscript":
		return t.genericType(a, depth)
	}
	return ""
}

// genericType reads Optional[X], List[X] and list[X].
func (t *Typer) genericType(a *parser.Node, depth int) string {
	var head, arg *parser.Node
	if a.Type() == "subscript" {
		head, arg = parser.Field(a, "value"), parser.Field(a, "subscript")
	} else if a.NamedChildCount() == 2 {
		head = a.NamedChild(0)
		if params := a.NamedChild(1); params.NamedChildCount() == 1 {
			arg = params.NamedChild(0)
		}
	}
	if head == nil || arg == nil {
		return ""
	}
	name := t.r.Resolve(head)
	if name == "" {
		name = t.r.f.Text(head)
	}
	inner := t.annotationType(arg, depth+1)
	switch name {
	case "typing.Optional", "Optional":
		return inner
	case "typing.List", "List", "list", "typing.Sequence", "collections.abc.Sequence":
		if inner != "" && !strings.HasPrefix(inner, "[") {
			return "[" + inner
		}
	}
	return ""
}

func isNone(f *parser.File, n *parser.Node) bool {
	n = parser.Unparen(n)
	return n != nil && (n.Type() == "none" || n.Type() == "type" && n.NamedChildCount() == 1 && isNone(f, n.NamedChild(0)))
}

// paramAnnotation returns the annotation of a parameter's name node.
func paramAnnotation(name *parser.Node) *parser.Node {
	if name == nil {
		return nil
	}
	p := name.Parent()
	if p == nil {
		return nil
	}
	switch p.Type() {
	case "typed_parameter", "typed_default_parameter":
		return parser.Field(p, "type")
	}
	return nil
}

// selfClass returns the class whose instance obj is: obj is the first
// parameter of a method defined directly in a class body (not a
// staticmethod or classmethod), used in that method.
func (t *Typer) selfClass(obj *parser.Node) *parser.Node {
	if obj == nil {
		return nil
	}
	if obj.Type() != "identifier" {
		return nil
	}
	b := t.r.BindingOf(obj)
	if b == nil || b.Kind != BindParam || b.Node == nil {
		return nil
	}
	params := b.Node.Parent()
	if params == nil || params.Type() != "parameters" || params.NamedChildCount() == 0 || !sameNode(params.NamedChild(0), b.Node) {
		return nil
	}
	fn := params.Parent()
	if fn == nil || fn.Type() != "function_definition" {
		return nil
	}
	holder := fn.Parent()
	if holder != nil && holder.Type() == "decorated_definition" {
		for _, d := range parser.NamedChildren(holder) {
			if d.Type() == "decorator" {
				txt := strings.TrimSpace(strings.TrimPrefix(t.r.f.Text(d), "@"))
				if txt == "staticmethod" || txt == "classmethod" {
					return nil
				}
			}
		}
		holder = holder.Parent()
	}
	if holder == nil || holder.Type() != "block" {
		return nil
	}
	cls := holder.Parent()
	if cls == nil || cls.Type() != "class_definition" {
		return nil
	}
	return cls
}

// methods lists the function definitions directly in a class body.
func methods(cls *parser.Node) []*parser.Node {
	var out []*parser.Node
	for _, st := range parser.NamedChildren(parser.Field(cls, "body")) {
		if st.Type() == "decorated_definition" {
			st = parser.Field(st, "definition")
		}
		if st != nil && st.Type() == "function_definition" {
			out = append(out, st)
		}
	}
	return out
}

// definesMember reports whether a user class defines name itself: a
// method, a class-level binding or a `self.name = ...` in a method.
func (t *Typer) definesMember(cls *parser.Node, name string) bool {
	k := selfKey{cls, name}
	if d, ok := t.defines[k]; ok {
		return d
	}
	d := t.walkDefines(cls, name)
	t.defines[k] = d
	return d
}

// walkDefines is definesMember without the memo.
func (t *Typer) walkDefines(cls *parser.Node, name string) bool {
	f := t.r.f
	for _, st := range parser.NamedChildren(parser.Field(cls, "body")) {
		if st.Type() == "decorated_definition" {
			st = parser.Field(st, "definition")
		}
		if st == nil {
			continue
		}
		switch st.Type() {
		case "function_definition", "class_definition":
			if n := parser.Field(st, "name"); n != nil && f.Text(n) == name {
				return true
			}
		case "expression_statement":
			for _, a := range parser.NamedChildren(st) {
				if a.Type() == "assignment" {
					if l := parser.Field(a, "left"); l != nil && l.Type() == "identifier" && f.Text(l) == name {
						return true
					}
				}
			}
		}
	}
	return len(t.selfAssignments(cls, name)) > 0
}

// selfAssignments returns the values assigned to self.<name> in the
// methods of cls (an assignment without a value, such as an augmented
// one or a tuple target, gives a nil value).
func (t *Typer) selfAssignments(cls *parser.Node, name string) []*parser.Node {
	f := t.r.f
	var out []*parser.Node
	for _, a := range t.assignsIn(cls) {
		l := parser.Field(a, "left")
		if l == nil {
			continue
		}
		targets := []*parser.Node{l}
		if l.Type() == "pattern_list" || l.Type() == "tuple_pattern" {
			targets = parser.NamedChildren(l)
		}
		for _, tg := range targets {
			if tg.Type() != "attribute" || f.Text(parser.Field(tg, "attribute")) != name {
				continue
			}
			if t.selfClass(parser.Unparen(parser.Field(tg, "object"))) == nil || !sameNode(t.selfClass(parser.Unparen(parser.Field(tg, "object"))), cls) {
				continue
			}
			if len(targets) == 1 && a.Type() == "assignment" {
				out = append(out, parser.Field(a, "right"))
			} else {
				out = append(out, nil)
			}
		}
	}
	return out
}

// selfAttr is the type of self.<name> in a user class: the type every
// assignment in its methods gives (None aside), or a class-level
// annotation.
func (t *Typer) selfAttr(cls *parser.Node, name string, depth int) string {
	k := selfKey{cls, name}
	if ty, ok := t.selfAttrs[k]; ok {
		return ty
	}
	t.selfAttrs[k] = ""
	ty := ""
	for _, v := range t.selfAssignments(cls, name) {
		if v != nil && isNone(t.r.f, v) {
			continue
		}
		vt := ""
		if v != nil {
			vt = t.typeOf(v, depth+1)
		}
		if vt == "" || ty != "" && vt != ty {
			ty = ""
			break
		}
		ty = vt
	}
	t.selfAttrs[k] = ty
	return ty
}

// MLflowBase returns the MLflow class a user class derives from, or ""
// unless that class is its one base: with another base (a mixin, a
// keyword such as metaclass=) a member may come from elsewhere.
func (t *Typer) MLflowBase(cls *parser.Node) string {
	bases := parser.NamedChildren(parser.Field(cls, "superclasses"))
	if len(bases) != 1 {
		return ""
	}
	b := bases[0]
	if b.Type() != "identifier" && b.Type() != "attribute" {
		return ""
	}
	qn := t.r.Resolve(b)
	if qn == "" {
		return ""
	}
	r := t.db.Resolve(qn, t.rel)
	if r.Status == apidb.Found && r.Entry.Kind == apidb.Class {
		return r.Node.Path()
	}
	return ""
}

// SelfClass returns the user class whose instance obj is (the first
// parameter of one of its methods), or nil.
func (t *Typer) SelfClass(obj *parser.Node) *parser.Node { return t.selfClass(parser.Unparen(obj)) }

// DefinesMember reports whether a user class defines name itself.
func (t *Typer) DefinesMember(cls *parser.Node, name string) bool { return t.definesMember(cls, name) }

// assignsIn lists the assignments anywhere in a class (its methods'
// bodies included).
func (t *Typer) assignsIn(cls *parser.Node) []*parser.Node {
	if as, ok := t.assigns[cls]; ok {
		return as
	}
	var out []*parser.Node
	var walk func(n *parser.Node)
	walk = func(n *parser.Node) {
		for i := 0; i < int(n.ChildCount()); i++ {
			c := n.Child(i)
			if !c.IsNamed() {
				continue
			}
			if c.Type() == "assignment" || c.Type() == "augmented_assignment" {
				out = append(out, c)
			}
			walk(c)
		}
	}
	walk(cls)
	t.assigns[cls] = out
	return out
}
