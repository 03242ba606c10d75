package parser

import (
	"bytes"
	"strings"
)

// LogicalLines calls fn with the start of each line of src[start:end] that
// begins outside brackets, strings and continued lines (start itself is
// taken for one), until fn returns false; comment, unless nil, with the
// bounds of each comment; and str, unless nil, with those of each string
// literal (from its opening quote, a prefix before it aside).
func LogicalLines(src []byte, start, end int, fn func(i int) bool, comment, str func(i, j int)) {
	depth := 0
	lineStart := true
	for i := start; i < end; {
		if lineStart {
			lineStart = false
			if !fn(i) {
				return
			}
		}
		switch c := src[i]; c {
		case '#':
			j := i
			for i < end && src[i] != '\n' && src[i] != '\r' {
				i++
			}
			if comment != nil {
				comment(j, i)
			}
		case '"', '\'':
			j := min(StringEnd(src[:end], i), end)
			if str != nil {
				str(i, j)
			}
			i = j
		case '\\':
			i++
			if i < end && src[i] == '\r' {
				i++
			}
			if i < end && src[i] == '\n' {
				i++
			}
		case '(', '[', '{':
			depth++
			i++
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
			i++
		case '\n':
			lineStart = depth == 0
			i++
		case '\r':
			i++
			if i < end && src[i] == '\n' {
				i++
			}
			lineStart = depth == 0
		default:
			for i++; i < end && plainByte[src[i]]; i++ {
			}
		}
	}
}

// plainByte tells the bytes LogicalLines passes over: all but those that
// open strings and comments, continue lines, nest or end a line.
var plainByte = func() (t [256]bool) {
	for c := range 256 {
		t[c] = !strings.ContainsRune("#\"'\\()[]{}\r\n", rune(c))
	}
	return t
}()

// StringEnd returns the index after the string literal whose opening
// quote is src[i] (a prefix before it changes nothing here); an
// unterminated one-line string ends before its line break.
func StringEnd(src []byte, i int) int {
	q := src[i]
	if i+2 < len(src) && src[i+1] == q && src[i+2] == q {
		// A triple-quoted string (a docstring, most of them) is read
		// from quote to quote: a quote ends it when three stand there
		// and the backslashes right before it, which begin after the
		// last quote read, are even in number.
		for j := i + 3; j < len(src); {
			k := bytes.IndexByte(src[j:], q)
			if k < 0 {
				break
			}
			p := j + k
			n := 0
			for p-n-1 >= j && src[p-n-1] == '\\' {
				n++
			}
			if n%2 == 0 && p+2 < len(src) && src[p+1] == q && src[p+2] == q {
				return p + 3
			}
			j = p + 1
		}
		return len(src)
	}
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
			if j+1 < len(src) && src[j] == '\r' && src[j+1] == '\n' {
				j++
			}
		case q:
			return j + 1
		case '\n', '\r':
			return j
		}
	}
	return len(src)
}

// lineNodes are the nodes whose children begin lines: statements that hold
// blocks, their clauses and blocks.
var lineNodes = map[string]bool{
	"module": true, "block": true, "decorated_definition": true,
	"function_definition": true, "class_definition": true, "if_statement": true,
	"for_statement": true, "while_statement": true, "try_statement": true,
	"with_statement": true, "match_statement": true, "elif_clause": true,
	"else_clause": true, "except_clause": true, "except_group_clause": true,
	"finally_clause": true, "case_clause": true,
}

// lineChildren are the children of a compound statement that begin a line
// in Python (of a module or a block, every statement does).
var lineChildren = map[string]bool{
	"block": true, "decorator": true, "function_definition": true, "class_definition": true,
	"elif_clause": true, "else_clause": true, "except_clause": true,
	"except_group_clause": true, "finally_clause": true, "case_clause": true,
}

// JoinedLines counts the logical lines of the source that begin no
// statement, clause or decorator of the tree. Python ends a statement at
// the end of every logical line; tree-sitter's grammar passes over a line
// break where it expects none, so that it reads "import\nmlflow" as one
// statement, and "x = 1 +\n2" as one assignment, where Python reports a
// syntax error. In a tree without errors, each such line is one.
func (f *File) JoinedLines() int {
	if f.Root == nil {
		return 0
	}
	starts := lineStarts(f.Root, nil)
	src := f.Src
	joined, k := 0, 0
	LogicalLines(src, 0, len(src), func(i int) bool {
		j := i
		if i == 0 && len(src) >= 3 && string(src[:3]) == "\xEF\xBB\xBF" {
			j = 3 // a byte order mark
		}
	blank:
		for j < len(src) {
			switch c := src[j]; {
			case c == ' ' || c == '\t' || c == '\f':
				j++
			case c == '\\' && j+1 < len(src) && (src[j+1] == '\n' || src[j+1] == '\r'):
				// A line continued from nothing: the statement follows.
				j += 2
				if src[j-1] == '\r' && j < len(src) && src[j] == '\n' {
					j++
				}
			default:
				break blank
			}
		}
		if j == len(src) || src[j] == '\n' || src[j] == '\r' || src[j] == '#' {
			return true // a blank or comment line
		}
		for k < len(starts) && starts[k] < uint32(j) {
			k++
		}
		if k == len(starts) || starts[k] != uint32(j) {
			joined++
		}
		return true
	}, nil, nil)
	return joined
}

// lineStarts appends to out, in order, the starts of the children of n
// that begin a line, and theirs.
func lineStarts(n *Node, out []uint32) []uint32 {
	all := n.Type() == "module" || n.Type() == "block"
	for j := n.first; j < n.first+n.nkids; j++ {
		c := n.at(j)
		if !c.IsNamed() || !all && !lineChildren[c.Type()] {
			continue
		}
		out = append(out, c.start)
		if lineNodes[c.Type()] {
			out = lineStarts(c, out)
		}
	}
	return out
}

// Misindented counts the statements of the tree that begin a line at an
// indentation Python rejects: a module's statement that is indented, or a
// block's that is not indented as the first of the block to begin a line
// (Python's "unexpected indent" and "unindent does not match"). The
// grammar reads " import mlflow" after a module's statement as one more,
// without an error node. Indentations compare as CPython's tokenizer
// compares them, with tabs to the next multiple of 8 and of 1 (the two
// must agree); one with a form feed is not judged.
func (f *File) Misindented() int {
	if f.Root == nil {
		return 0
	}
	return misindented(f.Root, f.Src)
}

func misindented(n *Node, src []byte) int {
	bad := 0
	all := n.Type() == "module" || n.Type() == "block"
	var level [2]int
	leveled := n.Type() == "module" // at 0
	for j := n.first; j < n.first+n.nkids; j++ {
		c := n.at(j)
		if !c.IsNamed() || !all && !lineChildren[c.Type()] {
			continue
		}
		if all && c.Type() != "comment" { // a comment may stand anywhere
			if w, ok := indentWidths(src, int(c.start)); ok {
				if !leveled {
					level, leveled = w, true
				} else if w != level {
					bad++
				}
			}
		}
		if lineNodes[c.Type()] {
			bad += misindented(c, src)
		}
	}
	return bad
}

// indentWidths returns the widths of the indentation before src[i], with
// tabs to multiples of 8 and of 1, and whether i begins its line after
// blanks alone (a byte order mark first, no form feed).
func indentWidths(src []byte, i int) (w [2]int, ok bool) {
	k := i
	for k > 0 && src[k-1] != '\n' && src[k-1] != '\r' {
		k--
	}
	if k == 0 && i >= 3 && string(src[:3]) == "\xEF\xBB\xBF" {
		k = 3
	}
	for _, c := range src[k:i] {
		switch c {
		case ' ':
			w[0]++
			w[1]++
		case '\t':
			w[0] = (w[0]/8 + 1) * 8
			w[1]++
		default:
			return w, false
		}
	}
	return w, true
}
