package rules

import "bytes"

// mlf033MayReport reports whether a source may hold what MLF033's Python
// half reports, as far as its text tells (analyzer.Words.Checking): the
// environment variable named, a `uri=` or `tracking_uri=` keyword given a
// string, or a call of set_tracking_uri or MlflowClient whose first
// argument starts with a string. Any other use of those two names may
// stand for a call the resolver follows (an alias, an assignment, an
// argument to partial or getattr, an annotation, a mention in a string or
// comment), so it counts too; only their plain imports, calls whose first
// argument is no string, and the name a class statement defines (a class
// of that name, as MLflow's own modules hold) do not. Most files that use MLflow's client
// pass a variable or nothing and need no parse for MLF033.
func mlf033MayReport(src []byte) bool {
	if bytes.Contains(src, []byte(trackingURIVar)) {
		return true
	}
	for _, kw := range []string{"uri", "tracking_uri"} {
		for _, at := range wordOffsets(src, kw) {
			k := skipBlank(src, at+len(kw))
			if k < len(src) && src[k] == '=' && (k+1 == len(src) || src[k+1] != '=') && startsString(src, skipOpenings(src, k+1)) {
				return true
			}
		}
	}
	for _, name := range []string{"set_tracking_uri", "MlflowClient"} {
		for _, at := range wordOffsets(src, name) {
			if plainImport(src, at, at+len(name)) || afterKeyword(src, at, "class") {
				continue
			}
			k := skipBlank(src, at+len(name))
			if k >= len(src) || src[k] != '(' || startsString(src, skipOpenings(src, k+1)) {
				return true
			}
		}
	}
	return false
}

// afterKeyword reports whether the word at src[at] follows the word kw
// (blanks between), as the name a class statement defines follows
// `class`: a class of that name, which is no use of MLflow's.
func afterKeyword(src []byte, at int, kw string) bool {
	k := at
	for k > 0 && (src[k-1] == ' ' || src[k-1] == '\t') {
		k--
	}
	s := k - len(kw)
	return s >= 0 && string(src[s:k]) == kw && (s == 0 || !isWordByte(src[s-1])) && k < at
}

// skipBlank returns the offset of the first byte at or after i that is
// not blank: spaces, tabs, line breaks, backslash continuations and
// comments are skipped.
func skipBlank(src []byte, i int) int {
	for i < len(src) {
		switch src[i] {
		case ' ', '\t', '\r', '\n', '\f', '\\':
			i++
		case '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		default:
			return i
		}
	}
	return i
}

// skipOpenings skips blanks and opening parentheses from i: where an
// argument's first token starts.
func skipOpenings(src []byte, i int) int {
	for {
		i = skipBlank(src, i)
		if i >= len(src) || src[i] != '(' {
			return i
		}
		i++
	}
}

// startsString reports whether a string literal starts at i: up to two
// prefix letters, then a quote.
func startsString(src []byte, i int) bool {
	for n := 0; n < 3 && i < len(src); n++ {
		switch src[i] {
		case '"', '\'':
			return true
		case 'r', 'R', 'u', 'U', 'b', 'B', 'f', 'F', 't', 'T':
			i++
		default:
			return false
		}
	}
	return false
}

// plainImport reports whether the name at [start, end) is imported under
// its own name: on a line that is one `from ... import` or `import`
// statement without `as` (and no `;`), or in the parenthesised list of a
// `from ... import (...)` that holds only names and commas.
func plainImport(src []byte, start, end int) bool {
	ls, le := lineBounds(src, start)
	line := bytes.TrimLeft(src[ls:le], " \t")
	if (bytes.HasPrefix(line, []byte("from ")) || bytes.HasPrefix(line, []byte("import "))) &&
		bytes.IndexAny(line, ";#(\\") < 0 && len(wordOffsets(line, "as")) == 0 {
		return true
	}
	listByte := func(c byte) bool { return isWordByte(c) || c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n' }
	open := start
	for open > 0 && listByte(src[open-1]) {
		open--
	}
	close := end
	for close < len(src) && listByte(src[close]) {
		close++
	}
	if open == 0 || src[open-1] != '(' || close == len(src) || src[close] != ')' || len(wordOffsets(src[open:close], "as")) > 0 {
		return false
	}
	before := bytes.TrimRight(src[:open-1], " \t")
	if n := len(before) - len("import"); n < 1 || string(before[n:]) != "import" || isWordByte(before[n-1]) {
		return false
	}
	ls, _ = lineBounds(src, len(before)-1)
	return bytes.HasPrefix(bytes.TrimLeft(src[ls:len(before)], " \t"), []byte("from "))
}

// mlf044MayReport reports whether a source may hold a check MLF044
// evaluates, as far as its text tells: MLflow's version is read as
// `<something>.__version__` or `.VERSION` (an attribute, or a string
// naming one for getattr), as a bare name that an import from an mlflow
// module (or a star import) binds, or from the distribution named by a
// literal "mlflow" or "mlflow-skinny". A package's own `__version__ =
// "1.2"`, or its version imported from itself, is none of these.
func mlf044MayReport(src []byte) bool {
	for _, d := range mlflowDistNames {
		for _, q := range []string{`"`, `'`} {
			lit := []byte(q + d + q)
			for off := 0; ; {
				i := bytes.Index(src[off:], lit)
				if i < 0 {
					break
				}
				i += off
				if soleArgument(src, i, i+len(lit)) {
					return true
				}
				off = i + 1
			}
		}
	}
	names := []string{"__version__", "VERSION"}
	for _, name := range names {
		for _, at := range wordOffsets(src, name) {
			if prevByte(src, at) == '.' && !otherObject(src, at, name) || at > 0 && (src[at-1] == '"' || src[at-1] == '\'') {
				return true
			}
		}
	}
	imports := importRegions(src)
	if bindsMlflowModule(src, imports) {
		return true
	}
	for _, r := range imports {
		stmt := src[r[0]:r[1]]
		if len(wordOffsets(stmt, rootWord)) == 0 {
			continue
		}
		if bytes.IndexByte(stmt, '*') >= 0 {
			return true
		}
		for _, name := range names {
			if len(wordOffsets(stmt, name)) > 0 {
				return true
			}
		}
	}
	return false
}

// soleArgument reports whether the string literal src[i:j] (its quotes)
// may be the only argument of a call, as the distribution's name is where
// MLF044 reads it: an opening parenthesis before it (a prefix such as r
// aside) and a closing one after it (a trailing comma aside), blanks,
// line breaks and comments between. A quote next to it (a triple-quoted string) counts.
func soleArgument(src []byte, i, j int) bool {
	for i > 0 && isWordByte(src[i-1]) {
		i-- // a prefix
	}
	if i > 0 && (src[i-1] == '"' || src[i-1] == '\'') || j < len(src) && (src[j] == '"' || src[j] == '\'') {
		return true
	}
	if c := prevByte(src, i); c != '(' && c != '.' { // '.': a comment crossed
		return false
	}
	k := skipBlank(src, j)
	if k < len(src) && src[k] == ',' {
		k = skipBlank(src, k+1) // a trailing comma
	}
	return k == len(src) || src[k] == ')'
}

// otherObject reports whether the attribute name at offset at (after a
// dot) is read from a dotted chain of names none of which is mlflow (nor,
// for VERSION, version, in a chain of two names or more): a chain of two
// or more, google.protobuf for one, resolves to a module other than
// mlflow, whose name has no dot, or to an object's attribute, which
// MLF044 does not read; a name alone (langchain.__version__) is MLflow's
// only where it is bound to the module mlflow or mlflow.version, which
// the statement that binds it shows (bindsMlflowModule), and so the test
// holds there. A chain it cannot read to its start (a call, a subscript,
// a line break) may be MLflow's.
func otherObject(src []byte, at int, name string) bool {
	var idents []string
	i := at
	for {
		k := i - 1
		for k >= 0 && (src[k] == ' ' || src[k] == '\t') {
			k--
		}
		if k < 0 || src[k] != '.' {
			break // the chain's start
		}
		k--
		for k >= 0 && (src[k] == ' ' || src[k] == '\t') {
			k--
		}
		end := k + 1
		for k >= 0 && isWordByte(src[k]) {
			k--
		}
		if k+1 == end || src[k+1] >= '0' && src[k+1] <= '9' || k >= 0 && src[k] >= 0x80 {
			return false // not a name before the dot
		}
		idents = append(idents, string(src[k+1:end]))
		i = k + 1
	}
	if len(idents) == 0 {
		return false
	}
	for _, id := range idents {
		if id == rootWord || name == "VERSION" && id == "version" && len(idents) > 1 {
			return false
		}
	}
	return true
}

// bindsMlflowModule reports whether src may bind a name to the module
// mlflow or mlflow.version under another name, the way the resolver
// follows a name to a module: an import of either under an alias
// (`import mlflow as mf`, `import mlflow.version as mv`), an import of
// version from mlflow, or an assignment (or a default value, or a
// keyword argument) of the bare module (`m = mlflow`, `v =
// mlflow.version`), from which the resolver follows names that are
// assigned it in turn (`a = m`, whose closure holds `m = mlflow`).
// imports are the import statements of src (importRegions).
func bindsMlflowModule(src []byte, imports [][2]int) bool {
	for _, r := range imports {
		stmt := src[r[0]:r[1]]
		ats := wordOffsets(stmt, rootWord)
		if len(ats) == 0 {
			continue
		}
		if len(wordOffsets(stmt, "from")) > 0 && len(wordOffsets(stmt, "version")) > 0 {
			return true
		}
		for _, at := range ats {
			k := skipBlank(stmt, at+len(rootWord))
			if k < len(stmt) && stmt[k] == '.' {
				j := skipBlank(stmt, k+1)
				if !bytes.HasPrefix(stmt[j:], []byte("version")) {
					continue
				}
				k = skipBlank(stmt, j+len("version"))
			}
			if bytes.HasPrefix(stmt[k:], []byte("as")) && (k+2 == len(stmt) || !isWordByte(stmt[k+2])) {
				return true
			}
		}
	}
	for _, at := range wordOffsets(src, rootWord) {
		if !afterAssign(src, at) {
			continue
		}
		k := skipSpaces(src, at+len(rootWord))
		if k < len(src) && src[k] == '.' {
			j := skipSpaces(src, k+1)
			if !bytes.HasPrefix(src[j:], []byte("version")) || j+len("version") < len(src) && isWordByte(src[j+len("version")]) {
				continue // another member
			}
			k = skipSpaces(src, j+len("version"))
		}
		if k < len(src) && (src[k] == '.' || src[k] == '(' || src[k] == '[') {
			continue // a member, a call or a subscript of it
		}
		return true
	}
	return false
}

// afterAssign reports whether the word at src[at] may be what an `=` or
// `:=` assigns (not a comparison's `==`, `<=`, `>=` or `!=`): only blanks,
// line breaks, continuations and opening parentheses between, or a line
// break into a line holding a comment, which may hide them.
func afterAssign(src []byte, at int) bool {
	for {
		i, comment := prevIndex(src, at)
		switch {
		case comment:
			return true
		case i < 0:
			return false
		case src[i] == '(':
			at = i
		case src[i] == '=':
			return i == 0 || bytes.IndexByte([]byte("=<>!"), src[i-1]) < 0
		default:
			return false
		}
	}
}

// prevByte returns the byte before offset at, blanks and line breaks
// skipped, or '.' (which counts as an attribute's dot) when a line break
// is crossed into a line holding a comment, whose end may hide the dot.
func prevByte(src []byte, at int) byte {
	switch i, comment := prevIndex(src, at); {
	case comment:
		return '.'
	case i < 0:
		return 0
	default:
		return src[i]
	}
}

// prevIndex returns the offset of the byte before offset at, blanks and
// line breaks skipped, or -1; comment is set instead when a line break is
// crossed into a line holding a comment, whose end may hide what stands
// there.
func prevIndex(src []byte, at int) (i int, comment bool) {
	for i = at - 1; i >= 0; i-- {
		switch src[i] {
		case ' ', '\t', '\r', '\f', '\\':
		case '\n':
			ls, _ := lineBounds(src, max(i-1, 0))
			if i > 0 && bytes.IndexByte(src[ls:i], '#') >= 0 {
				return i, true
			}
		default:
			return i, false
		}
	}
	return -1, false
}

// importRegions returns the spans of the statements holding the word
// `import`: from the start of its line (and of the lines continued into it
// by a backslash) to the end of its line (and of the lines it continues
// into), or to the parenthesis closing a list opened right after `import`.
// Comments inside the list are skipped. Spans may hold more than the
// statement (the rest of a line after `;`), never less.
func importRegions(src []byte) [][2]int {
	var out [][2]int
	for _, at := range wordOffsets(src, "import") {
		start, _ := lineBounds(src, at)
		for start >= 2 && src[start-1] == '\n' && (src[start-2] == '\\' || start >= 3 && src[start-2] == '\r' && src[start-3] == '\\') {
			start, _ = lineBounds(src, start-2)
		}
		k := skipSpaces(src, at+len("import"))
		var end int
		if k < len(src) && src[k] == '(' {
			end = k + 1
			for end < len(src) && src[end] != ')' {
				if src[end] == '#' {
					for end < len(src) && src[end] != '\n' {
						end++
					}
					continue
				}
				end++
			}
		} else {
			_, end = lineBounds(src, at)
			for end < len(src) && end > 0 && bytes.HasSuffix(bytes.TrimRight(src[:end], "\r"), []byte(`\`)) {
				_, end = lineBounds(src, end+1)
			}
		}
		out = append(out, [2]int{start, min(end+1, len(src))})
	}
	return out
}

// skipSpaces skips spaces and tabs from i.
func skipSpaces(src []byte, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	return i
}

// keywordMayStart reports whether the match src[i:j] of a keyword's name
// may be where a rule that reports that keyword argument reports
// (keywords): the name alone, then `=` but not `==` (blanks, line breaks
// and comments between): a keyword argument, or one given to dict(...);
// or a string literal that is the name alone, a key of a dict literal
// unpacked into a call. Part of a longer name, an annotated parameter,
// a read of a variable of that name and a mention in prose are neither.
func keywordMayStart(src []byte, i, j int) bool {
	if i > 0 && isWordByte(src[i-1]) || j < len(src) && isWordByte(src[j]) {
		return false
	}
	if i > 0 && j < len(src) && (src[i-1] == '"' || src[i-1] == '\'') && src[j] == src[i-1] {
		return true
	}
	k := skipBlank(src, j)
	return k < len(src) && src[k] == '=' && (k+1 == len(src) || src[k+1] != '=')
}
