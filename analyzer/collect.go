package analyzer

import (
	"strings"

	"github.com/mlflowlint/mlflowlint/parser"
)

// collector walks a tree once and records scopes, bindings and imports.
type collector struct {
	r   *Resolver
	src []byte
	// tries holds the enclosing try statements that catch ImportError.
	tries []*parser.Node
}

func (c *collector) text(n *parser.Node) string { return string(c.src[n.StartByte():n.EndByte()]) }

func (c *collector) bind(s *Scope, name string, kind BindKind, off int, node, value *parser.Node, qn string, fb bool) {
	if name == "" {
		return
	}
	s.names[name] = append(s.names[name], &Binding{Name: name, Kind: kind, QN: qn, Off: off, Node: node, Value: value, Fallback: fb, Scope: s})
}

func newScope(kind ScopeKind, parent *Scope, start, end int) *Scope {
	s := &Scope{Kind: kind, Start: start, End: end, Parent: parent, names: map[string][]*Binding{}, globals: map[string]bool{}}
	parent.Children = append(parent.Children, s)
	return s
}

// block visits the children of n in scope s.
func (c *collector) block(n *parser.Node, s *Scope, fb bool) {
	k := int(n.ChildCount())
	for i := 0; i < k; i++ {
		c.visit(n.Child(i), s, fb)
	}
}

func (c *collector) visit(n *parser.Node, s *Scope, fb bool) {
	if n == nil || n.IsNull() {
		return
	}
	switch n.Type() {
	case "comment", "string", "integer", "float", "true", "false", "none":
		if n.Type() == "string" {
			// f-string interpolations hold code (walrus, lambdas).
			c.block(n, s, fb)
		}
		return
	case "import_statement":
		c.importStmt(n, s, fb)
		return
	case "import_from_statement":
		c.importFrom(n, s, fb)
		return
	case "future_import_statement":
		return
	case "function_definition":
		c.function(n, s, fb)
		return
	case "lambda":
		body := parser.Field(n, "body")
		if body == nil {
			return
		}
		if ps := parser.Field(n, "parameters"); ps != nil {
			c.defaults(ps, s, fb)
		}
		fs := newScope(ScopeFunction, s, int(body.StartByte()), int(body.EndByte()))
		if ps := parser.Field(n, "parameters"); ps != nil {
			c.params(ps, fs, int(body.StartByte()))
		}
		c.visit(body, fs, false)
		return
	case "class_definition":
		if name := parser.Field(n, "name"); name != nil {
			c.bind(s, c.text(name), BindClass, int(n.StartByte()), name, nil, "", fb)
		}
		if sup := parser.Field(n, "superclasses"); sup != nil {
			c.visit(sup, s, fb)
		}
		if body := parser.Field(n, "body"); body != nil {
			cs := newScope(ScopeClass, s, int(body.StartByte()), int(body.EndByte()))
			c.block(body, cs, false)
		}
		return
	case "list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression":
		cs := newScope(ScopeComprehension, s, int(n.StartByte()), int(n.EndByte()))
		for _, ch := range parser.NamedChildren(n) {
			if ch.Type() == "for_in_clause" {
				c.targets(parser.Field(ch, "left"), cs, int(n.StartByte()), fb)
			}
		}
		c.block(n, cs, fb)
		return
	case "assignment":
		c.assignment(n, s, fb)
		return
	case "augmented_assignment":
		if l := parser.Field(n, "left"); l != nil && l.Type() == "identifier" {
			c.bind(s, c.text(l), BindOther, int(n.EndByte()), l, nil, "", fb)
		}
	case "named_expression":
		if name := parser.Field(n, "name"); name != nil {
			c.bind(s, c.text(name), BindOther, int(n.EndByte()), name, nil, "", fb)
		}
	case "for_statement":
		c.targets(parser.Field(n, "left"), s, int(n.StartByte()), fb)
	case "as_pattern":
		if a := parser.Field(n, "alias"); a != nil {
			c.targets(a, s, int(n.StartByte()), fb)
		}
	case "global_statement":
		for _, id := range parser.NamedChildren(n) {
			if id.Type() == "identifier" {
				s.globals[c.text(id)] = true
			}
		}
		return
	case "try_statement":
		c.try(n, s, fb)
		return
	}
	c.block(n, s, fb)
}

func (c *collector) try(n *parser.Node, s *Scope, fb bool) {
	guards := catchesImportError(c.src, n)
	if guards {
		c.tries = append(c.tries, n)
		defer func() { c.tries = c.tries[:len(c.tries)-1] }()
	}
	for _, ch := range parser.Children(n) {
		switch ch.Type() {
		case "except_clause", "except_group_clause":
			c.visit(ch, s, true)
		default:
			c.visit(ch, s, fb)
		}
	}
}

// catchesImportError reports whether a try statement has a handler for
// ImportError, ModuleNotFoundError, Exception, BaseException or a bare except.
func catchesImportError(src []byte, try *parser.Node) bool {
	for _, ch := range parser.NamedChildren(try) {
		if ch.Type() != "except_clause" {
			continue
		}
		named := parser.NamedChildren(ch)
		if len(named) == 0 || named[0].Type() == "block" {
			return true
		}
		t := string(src[named[0].StartByte():named[0].EndByte()])
		for _, w := range []string{"ImportError", "ModuleNotFoundError", "Exception", "BaseException"} {
			if strings.Contains(t, w) {
				return true
			}
		}
	}
	return false
}

func (c *collector) guard() *parser.Node {
	if len(c.tries) == 0 {
		return nil
	}
	return c.tries[len(c.tries)-1]
}

func (c *collector) function(n *parser.Node, s *Scope, fb bool) {
	if name := parser.Field(n, "name"); name != nil {
		c.bind(s, c.text(name), BindDef, int(n.StartByte()), name, nil, "", fb)
	}
	ps := parser.Field(n, "parameters")
	if ps != nil {
		c.defaults(ps, s, fb)
	}
	if rt := parser.Field(n, "return_type"); rt != nil {
		c.visit(rt, s, fb)
	}
	body := parser.Field(n, "body")
	if body == nil {
		return
	}
	fs := newScope(ScopeFunction, s, int(body.StartByte()), int(body.EndByte()))
	if ps != nil {
		c.params(ps, fs, int(body.StartByte()))
	}
	c.block(body, fs, false)
}

// defaults visits default values and annotations, which run in the
// enclosing scope.
func (c *collector) defaults(ps *parser.Node, s *Scope, fb bool) {
	for _, p := range parser.NamedChildren(ps) {
		for _, f := range []string{"value", "type"} {
			if v := parser.Field(p, f); v != nil {
				c.visit(v, s, fb)
			}
		}
	}
}

func (c *collector) params(ps *parser.Node, fs *Scope, off int) {
	for _, p := range parser.NamedChildren(ps) {
		var name *parser.Node
		switch p.Type() {
		case "identifier":
			name = p
		case "default_parameter", "typed_default_parameter":
			name = parser.Field(p, "name")
		case "typed_parameter", "list_splat_pattern", "dictionary_splat_pattern":
			for _, ch := range parser.NamedChildren(p) {
				if ch.Type() == "identifier" {
					name = ch
					break
				}
				if ch.Type() == "list_splat_pattern" || ch.Type() == "dictionary_splat_pattern" {
					if id := ch.NamedChild(0); id != nil && id.Type() == "identifier" {
						name = id
					}
					break
				}
			}
		}
		if name != nil && name.Type() == "identifier" {
			c.bind(fs, c.text(name), BindParam, off, name, nil, "", false)
		}
	}
}

// targets binds every identifier of an assignment target.
func (c *collector) targets(t *parser.Node, s *Scope, off int, fb bool) {
	if t == nil {
		return
	}
	switch t.Type() {
	case "identifier":
		c.bind(s, c.text(t), BindOther, off, t, nil, "", fb)
	case "pattern_list", "tuple_pattern", "list_pattern", "tuple", "list", "expression_list",
		"parenthesized_expression", "list_splat_pattern", "as_pattern_target", "list_splat":
		for _, ch := range parser.NamedChildren(t) {
			c.targets(ch, s, off, fb)
		}
	}
}

func (c *collector) assignment(n *parser.Node, s *Scope, fb bool) {
	left := parser.Field(n, "left")
	right := parser.Field(n, "right")
	// The value of a chained assignment a = b = v is v.
	value := right
	for value != nil && value.Type() == "assignment" {
		value = parser.Field(value, "right")
	}
	if right != nil {
		c.visit(right, s, fb)
	}
	if t := parser.Field(n, "type"); t != nil {
		c.visit(t, s, fb)
	}
	off := int(n.EndByte())
	if left == nil {
		return
	}
	if left.Type() == "identifier" {
		if value != nil {
			c.bind(s, c.text(left), BindAssign, off, left, value, "", fb)
		} else {
			// An annotation without a value does not bind at run time.
			return
		}
		return
	}
	c.targets(left, s, off, fb)
	// Subscript and attribute targets evaluate their objects.
	if left.Type() == "subscript" || left.Type() == "attribute" {
		c.visit(left, s, fb)
	}
}

func (c *collector) markSeen(module string) {
	for i := 0; i < len(module); i++ {
		if module[i] == '.' {
			c.r.seen[module[:i]] = true
		}
	}
	c.r.seen[module] = true
}

func (c *collector) importStmt(n *parser.Node, s *Scope, fb bool) {
	off := int(n.EndByte())
	try := c.guard()
	for _, ch := range parser.NamedChildren(n) {
		var dotted, alias *parser.Node
		switch ch.Type() {
		case "dotted_name":
			dotted = ch
		case "aliased_import":
			dotted = parser.Field(ch, "name")
			alias = parser.Field(ch, "alias")
		default:
			continue
		}
		if dotted == nil {
			continue
		}
		mod := c.text(dotted)
		c.markSeen(mod)
		imp := &Import{Stmt: n, Module: mod, Full: mod, Node: dotted, ModuleNode: dotted, Guarded: try != nil, Try: try}
		if alias != nil {
			imp.Bound = c.text(alias)
			c.bind(s, imp.Bound, BindImport, off, alias, nil, mod, fb)
		} else {
			first, _, _ := strings.Cut(mod, ".")
			imp.Bound = first
			c.bind(s, first, BindImport, off, dotted, nil, first, fb)
		}
		c.r.imports = append(c.r.imports, imp)
	}
}

func (c *collector) importFrom(n *parser.Node, s *Scope, fb bool) {
	off := int(n.EndByte())
	try := c.guard()
	modNode := parser.Field(n, "module_name")
	if modNode == nil {
		return
	}
	relative := modNode.Type() == "relative_import"
	mod := c.text(modNode)
	if !relative {
		c.markSeen(mod)
	}
	for i := 0; i < int(n.ChildCount()); i++ {
		ch := n.Child(i)
		if n.FieldNameForChild(i) == "module_name" {
			continue
		}
		switch ch.Type() {
		case "wildcard_import":
			imp := &Import{Stmt: n, Module: mod, Name: "*", Full: mod + ".*", Node: modNode, ModuleNode: modNode, Guarded: try != nil, Try: try, Relative: relative}
			c.r.imports = append(c.r.imports, imp)
			qn := mod
			if relative {
				qn = ""
			}
			s.wildcards = append(s.wildcards, &Binding{Kind: BindWildcard, QN: qn, Off: off, Node: ch, Scope: s, Fallback: fb})
		case "dotted_name", "aliased_import":
			nameNode, alias := ch, (*parser.Node)(nil)
			if ch.Type() == "aliased_import" {
				nameNode = parser.Field(ch, "name")
				alias = parser.Field(ch, "alias")
			}
			if nameNode == nil {
				continue
			}
			name := c.text(nameNode)
			imp := &Import{Stmt: n, Module: mod, Name: name, Full: mod + "." + name, Node: nameNode, ModuleNode: modNode, Bound: name, Guarded: try != nil, Try: try, Relative: relative}
			bindNode := nameNode
			if alias != nil {
				imp.Bound = c.text(alias)
				bindNode = alias
			}
			qn := imp.Full
			if relative {
				qn = ""
			} else {
				c.markSeen(imp.Full)
			}
			c.bind(s, imp.Bound, BindImport, off, bindNode, nil, qn, fb)
			c.r.imports = append(c.r.imports, imp)
		}
	}
}
