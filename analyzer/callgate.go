package analyzer

import (
	"bytes"

	"github.com/mlflowlint/mlflowlint/apidb"
)

// Call gates. A trigger of the generic rules whose objects stay callables
// of a known signature in every target (apidb.CallGate) can be reported
// only at a call whose arguments the target rejects: neither an import of
// its name nor any other use breaks. Where a source is read a statement
// at a time, its gated alternatives count for a statement only where the
// statement or one of those it uses holds a use of the name that may be
// such a call, read lexically (gateHolds). Every use that is not plainly
// a call, a plain import, a read of a member or a return annotation
// holds: a name passed on, assigned, decorated with, subclassed or
// written in a string may be called elsewhere, where its name is not
// written (partial(name, ...), an alias, getattr).

// heldFlag marks, in a statement's word refs, a use of a gated trigger
// that holds one of its call gates.
const heldFlag = 1 << 28

// gateHolds reports whether the use of a gated trigger at src[i] (a whole
// word; quoted when it is a whole string literal) may be where the
// generic rules report through it, as far as g tells: anything but a
// plain call whose arguments g lets through, or a name in an import's
// list that is not renamed there. budget bounds the bytes the tests read
// over a source (each use reads its argument list, or back to its
// import's keyword); once it is spent every use holds, so that a source
// of many uses in one long list costs time linear in its size.
func gateHolds(src []byte, i int, quoted bool, g *apidb.CallGate, budget *int) bool {
	if quoted || *budget <= 0 {
		return true
	}
	j := i
	for j < len(src) && wordByte[src[j]] {
		j++
	}
	if importedAt(src, i, budget) {
		return string(wordFrom(src, skipComments(src, j))) == "as"
	}
	k := skipBlanks(src, j)
	if k < len(src) && src[k] == '.' {
		// A member of the object, which calls no gated object but
		// through its dunder methods (__init__, __call__, __wrapped__).
		w := wordFrom(src, skipBlanks(src, k+1))
		return len(w) == 0 || bytes.HasPrefix(w, []byte("__"))
	}
	if k >= len(src) || src[k] != '(' {
		b := backBlanks(src, i-1)
		// Anything but a return annotation may be called elsewhere.
		return b < 1 || src[b] != '>' || src[b-1] != '-' || afterComment(src, b, i)
	}
	// Written after a dot, or where that cannot be told (a comment on
	// an earlier line of a bracket), a method may bind its first
	// parameter.
	b := backBlanks(src, i-1)
	attr := b >= 0 && (src[b] == '.' || afterComment(src, b, i))
	return callHolds(src, k, attr, g, budget)
}

// wordFrom returns the word that starts at src[i] (empty for none).
func wordFrom(src []byte, i int) []byte {
	j := i
	for j < len(src) && wordByte[src[j]] {
		j++
	}
	return src[i:j]
}

// importedAt reports whether the word at src[i] is one of the names an
// import statement lists: walking back over names, `as`, commas and
// blanks reaches the keyword `import` of a statement that starts with it
// or with `from`, crossing a line break only inside the parenthesis that
// follows `import` (a comment on the way, or anything else, says no).
func importedAt(src []byte, i int, budget *int) bool {
	newline, paren := false, false
	k := i - 1
	defer func() { *budget -= i - k }()
	for k >= 0 {
		c := src[k]
		switch {
		case c == ' ' || c == '\t' || c == '\f' || c == '\r':
			k--
		case c == '\n':
			k--
			if k >= 0 && src[k] == '\r' {
				k--
			}
			if k >= 0 && src[k] == '\\' {
				k-- // a continuation
				continue
			}
			if paren {
				return false
			}
			newline = true
		case c == ',':
			if paren {
				return false
			}
			k--
		case c == '(':
			if paren {
				return false
			}
			paren = true
			k--
		case wordByte[c]:
			end := k + 1
			for k >= 0 && wordByte[src[k]] {
				k--
			}
			if string(src[k+1:end]) != "import" {
				if paren {
					return false // only `import` stands before the parenthesis
				}
				continue
			}
			if newline && !paren {
				return false
			}
			return importStarts(src, k)
		default:
			return false
		}
	}
	return false
}

// importStarts reports whether the keyword `import` that ends at src[k+1]
// (k the byte before it) is that of an import statement: it starts the
// statement, or a module name (dotted, or relative dots) stands between
// it and a `from` that does.
func importStarts(src []byte, k int) bool {
	if startsStatement(src, k) {
		return true
	}
	k = backInline(src, k)
	module := false
	for k >= 0 {
		c := src[k]
		if c == '.' {
			module = true
			k = backInline(src, k-1)
			continue
		}
		if !wordByte[c] {
			return false
		}
		end := k + 1
		for k >= 0 && wordByte[src[k]] {
			k--
		}
		if string(src[k+1:end]) == "from" {
			return module && startsStatement(src, k)
		}
		module = true
		k = backInline(src, k)
	}
	return false
}

// backInline returns the index of the last byte of src[:k+1] that is no
// blank or line continuation.
func backInline(src []byte, k int) int {
	for k >= 0 {
		switch {
		case src[k] == ' ' || src[k] == '\t' || src[k] == '\f':
			k--
		case src[k] == '\n' && k > 0 && src[k-1] == '\\':
			k -= 2
		case src[k] == '\n' && k > 1 && src[k-1] == '\r' && src[k-2] == '\\':
			k -= 3
		default:
			return k
		}
	}
	return k
}

// callHolds reports whether the call whose argument list opens at
// src[k] ('(') may be reported under g, attr telling whether the name
// is written after a dot: it passes a keyword that holds, unpacks a
// mapping (whose keys are not read here), or passes more positional
// arguments than g's cap without unpacking a sequence. An argument list
// read otherwise than plainly (an f-string, an unclosed bracket) holds.
// Counting every item between commas at the list's own depth counts a
// lambda's parameters too, and a lambda's default reads as a keyword:
// both only make the call hold more often.
func callHolds(src []byte, k int, attr bool, g *apidb.CallGate, budget *int) bool {
	depth, npos := 0, 0
	splat, item := false, true // item: at the start of an argument
	i := k + 1
	defer func() { *budget -= i - k }()
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\f' || c == '\r' || c == '\n' || c == '\\':
			i++
			continue
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			continue
		}
		if item && depth == 0 {
			item = false
			switch {
			case c == ')':
				return (!splat || g.Splat) && g.PositionalHolds(npos, attr)
			case c == '*' && i+1 < len(src) && src[i+1] == '*':
				return true // a mapping unpacked: keywords unknown
			case c == '*':
				splat = true
				i++
				continue
			case wordByte[c] && (c < '0' || c > '9'):
				j := i
				for j < len(src) && wordByte[src[j]] {
					j++
				}
				if e := skipComments(src, j); e < len(src) && src[e] == '=' && (e+1 == len(src) || src[e+1] != '=') {
					if g.KeywordHolds(string(src[i:j])) {
						return true
					}
					i = e + 1
					continue
				}
			}
			npos++
		}
		switch c {
		case '(', '[', '{':
			depth++
			i++
		case ')', ']', '}':
			if depth == 0 {
				if c != ')' {
					return true
				}
				return (!splat || g.Splat) && g.PositionalHolds(npos, attr)
			}
			depth--
			i++
		case ',':
			if depth == 0 {
				item = true
			}
			i++
		case '"', '\'':
			end, ok := stringEnd(src, i)
			if !ok {
				return true
			}
			i = end
		default:
			if !wordByte[c] {
				i++
				continue
			}
			j := i
			for j < len(src) && wordByte[src[j]] {
				j++
			}
			if j < len(src) && (src[j] == '"' || src[j] == '\'') && j-i <= 3 {
				if !plainPrefix(src[i:j]) {
					return true // an f-string (or a t-string): not read here
				}
			}
			i = j
		}
	}
	return true // unclosed
}

// plainPrefix reports whether p is a string prefix whose literal holds no
// code: any of r, b, u in either case, alone or r with b.
func plainPrefix(p []byte) bool {
	seen := map[byte]bool{}
	for _, c := range p {
		c |= 0x20 // lower case
		if c != 'r' && c != 'b' && c != 'u' || seen[c] {
			return false
		}
		seen[c] = true
	}
	return len(p) < 2 || !seen['u']
}

// stringEnd returns the end of the string literal whose opening quote is
// src[i], and false when it does not end (a single-quoted one at a line
// break). A backslash takes the next byte with it, as in raw literals
// for the purpose of finding the end.
func stringEnd(src []byte, i int) (int, bool) {
	q := src[i]
	triple := i+2 < len(src) && src[i+1] == q && src[i+2] == q
	j := i + 1
	if triple {
		j = i + 3
	}
	for j < len(src) {
		switch c := src[j]; {
		case c == '\\':
			j += 2
		case c == q && !triple:
			return j + 1, true
		case c == q && j+2 < len(src) && src[j+1] == q && src[j+2] == q:
			return j + 3, true
		case c == '\n' && !triple:
			return 0, false
		default:
			j++
		}
	}
	return 0, false
}

// gateBudgetPerByte bounds the bytes the call gates read per byte of a
// source (see gateHolds): real modules read their calls' argument lists
// about once.
const gateBudgetPerByte = 4
