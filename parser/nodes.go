package parser

import "strings"

// Field returns the child of n under the given field name, or nil.
func Field(n *Node, name string) *Node {
	if n == nil {
		return nil
	}
	c := n.ChildByFieldName(name)
	if c == nil || c.IsNull() {
		return nil
	}
	return c
}

// NamedChildren returns the named children of n.
func NamedChildren(n *Node) []*Node {
	if n == nil {
		return nil
	}
	k := int(n.NamedChildCount())
	out := make([]*Node, 0, k)
	// One pass over the children: NamedChild(i) counts the named ones
	// from the first, which for a call of many arguments (their commas
	// are children too) would read them again for every i.
	for i := 0; len(out) < k && i < int(n.ChildCount()); i++ {
		if c := n.Child(i); c.IsNamed() {
			out = append(out, c)
		}
	}
	return out
}

// Children returns all children of n, anonymous ones included.
func Children(n *Node) []*Node {
	if n == nil {
		return nil
	}
	k := int(n.ChildCount())
	out := make([]*Node, 0, k)
	for i := 0; i < k; i++ {
		out = append(out, n.Child(i))
	}
	return out
}

// Ancestor returns the nearest ancestor of n whose type is one of types.
func Ancestor(n *Node, types ...string) *Node {
	for p := n.Parent(); p != nil && !p.IsNull(); p = p.Parent() {
		for _, t := range types {
			if p.Type() == t {
				return p
			}
		}
	}
	return nil
}

// Unparen strips parentheses around an expression.
func Unparen(n *Node) *Node {
	for n != nil && n.Type() == "parenthesized_expression" && n.NamedChildCount() == 1 {
		n = n.NamedChild(0)
	}
	return n
}

// StringValue returns the value of a plain string literal node (no
// interpolation, no implicit concatenation) and whether it is one.
func StringValue(src []byte, n *Node) (string, bool) {
	if n == nil || n.Type() != "string" {
		return "", false
	}
	var b strings.Builder
	for _, c := range Children(n) {
		switch c.Type() {
		case "string_start":
			p := strings.ToLower(string(src[c.StartByte():c.EndByte()]))
			if strings.ContainsAny(p, "fb") {
				return "", false
			}
		case "string_content":
			b.Write(src[c.StartByte():c.EndByte()])
		case "escape_sequence":
			b.Write(src[c.StartByte():c.EndByte()])
		case "interpolation":
			return "", false
		}
	}
	return b.String(), true
}

// StringContent returns the node holding the text between the quotes of a
// plain string literal, or nil (empty string, f-string, several parts).
func StringContent(n *Node) *Node {
	if n == nil || n.Type() != "string" {
		return nil
	}
	var content *Node
	for _, c := range Children(n) {
		switch c.Type() {
		case "string_content":
			if content != nil {
				return nil
			}
			content = c
		case "interpolation", "escape_sequence":
			return nil
		}
	}
	return content
}
