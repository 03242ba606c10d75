package analyzer

import (
	"bytes"
	"cmp"
	"context"
	"go/token"
	"math"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/apidb"
	"github.com/mlflowlint/mlflowlint/parser"
)

// Parsing part of a file. The prefilter decides per file; a file it lets
// through is often a long module of which a few functions reach the API
// that changed (MLflow's own sources, a project's utilities). The
// top-level statements of such a file are split lexically (splitRegions),
// and only those a finding may need are parsed (tree-sitter's included
// ranges, parser.ParseRanges): the statements whose words, with the words
// of every statement that binds a name they use (and so on: the
// closure), hold a trigger of a rule the file runs, and those closures.
// The tree holds them at their offsets in the file, and everything else
// (findings, code frames, noqa lines, fixes) reads the file's own text.
//
// What the analysis of a statement reads besides its own text is the
// bindings of the names it uses: imports, assignments, definitions of
// classes, wherever they are in the module. A def or class statement
// binds its name and the names its `global` statements list (a function
// assigns those in the module); an import statement the names it
// imports; `NAME = ...` its name; a
// docstring nothing; any other top-level statement may bind any word it
// holds (a `try` that defines a fallback, a tuple target). A use is any
// word outside member position, in code, strings (annotations may be
// strings) or comments. Besides, the rules ask whether the file imports
// mlflow anywhere (Resolver.Seen), and a wildcard import binds names
// unseen: a statement that imports mlflow, and every wildcard import,
// are parsed with the rest. Where the triggers find nothing in the words
// of a statement and its closure (with `mlflow` when the file imports
// it), the file made of those statements has no finding, and the
// statement's analysis is the same there as in the whole file: it has
// none either.
//
// A class statement is split further, into its header (the class line,
// its decorators and the statements of its body that are no methods) and
// its methods (splitClass). Python resolves no name of a method in the
// class's scope, so a method's names reach the module as a function's do;
// what a method reads of its class is the header (bases, class-level
// bindings) and the members it reads through `self` (the typer asks
// whether the class defines a member and which values a method assigns to
// it): a method needs the header and every method that may assign a
// member named like a member it reads, with their closures, and the
// method of that name, without its closure (regionGraph.exist) and, where
// nothing else keeps it, only up to the first statement of its body
// (existence): its parse tells that the class defines the member, and
// what it reads tells the reading method nothing. A method so kept is still a statement of its
// own, parsed with its closure where that fires. An import statement of
// several names is split into its names (splitImport): a statement that
// uses one needs that name and the statement's module, not the other
// names, and the parser reads all of it or none.
//
// A word set with a lexical test (Words.Checking: a literal where the
// rule reads one) triggers on a statement only where the test holds of
// the statement or of one of its closure (setChecks).
//
// The words of a comment or of a statement of strings alone (a docstring)
// count for no statement: they bind nothing, and the rules that word sets
// trigger report in neither, so neither makes a statement one to parse
// (softSpans); the patterns are still sought in the whole text. Nor are
// the indented ones parsed where their block keeps another statement
// (withoutDocstrings): they are a fourth of what MLflow's own modules
// hold.
//
// Rules that read more for one finding (a fix that renames every use of an
// imported name, or picks a name no identifier of the file has) say what
// (ReadsBeyond), and those statements are parsed too. A file whose
// partial tree has a syntax error (the split may have misread it) is
// parsed whole, and so is every file of a run that fixes, reports unused
// noqa comments or analyses an upgrade matrix.

// regionBudget bounds the steps of choosing the statements to parse, per
// byte of the source (several times what real modules take).
const regionBudget = 64

// Reading is what a rule's findings read beyond the statements they are
// in and the statements those name (ReadsBeyond).
type Reading struct {
	// Words and Prefixes: every statement that holds one of the words,
	// or a word that starts with one of the prefixes, anywhere (a fix
	// that renames every use of a name, or picks a name no identifier of
	// the file has).
	Words, Prefixes []string
	// MlflowImports: every statement that imports mlflow or a module
	// under it, and every statement that binds a name such an import
	// binds (a fix that writes the name the file imports mlflow as).
	MlflowImports bool
}

// readings holds what ReadsBeyond registered.
var readings = map[*analysis.Analyzer]Reading{}

// patternChecks holds what CheckPattern registered, by trigger string.
var patternChecks = map[string]func(src []byte, start, end int) bool{}

// CheckPattern registers a test of each match of the trigger string
// pattern (src[start:end]): where a source is read a statement at a time,
// a match counts for its statement only where check holds, for every rule
// the string triggers. A check must hold wherever such a rule may report
// on what the match is part of (the whole source is checked as before).
// Call it from an init function.
func CheckPattern(pattern string, check func(src []byte, start, end int) bool) {
	patternChecks[pattern] = check
}

// ReadsBeyond registers what rule a reads beyond the statements its
// findings are in: where a rule runs on a file, those statements are
// parsed too (with what they name). Call it from an init function.
func ReadsBeyond(a *analysis.Analyzer, r Reading) {
	readings[a] = r
}

// region is one top-level statement of a source (with the comment and
// blank lines after it), from the start of its first line to the start
// of the next statement.
type region struct {
	start, end int
	// def is set for a def or class statement (decorators included) that
	// binds name alone.
	def  bool
	name string
	// class is set for a def region of a class.
	class bool
	// group numbers, from 1, the class a piece of a class statement
	// belongs to (splitClasses); method is set for a piece that is a
	// method (name is its name), clear for the pieces of its header.
	group  int32
	method bool
	// self names a method's first parameter, whose name alone reads the
	// instance (Typer.selfClass); "" when its header does not read
	// plainly. body is the offset in the source where a method's body
	// starts, after the colon of its def line (0: not known).
	self string
	body int
	// imp is set for the pieces of an import statement of several names
	// (splitImport): the first (head set, names all the names of the
	// statement), up to the keyword `import`, and one for each name
	// (names the name it binds).
	imp, head bool
	names     []string
	// read tells what importBindings said of a statement that is no
	// def or class, when splitPieces asked: 1 no import statement, 2 one
	// (names are its names); 0 when not asked.
	read int8
}

// importBindings returns importBindings(text) of r, whose text is text.
func (r *region) importBindings(text []byte) ([]string, bool) {
	if r.read == 0 {
		return importBindings(text)
	}
	return r.names, r.read == 2
}

// pyKeyword reports whether w is a word that is never a name. The
// region passes ask it of every word of a source: a switch on the
// constants costs a few comparisons of lengths and bytes where a map
// hashed the word.
func pyKeyword(w []byte) bool {
	if len(w) < 2 || len(w) > 8 {
		return false
	}
	switch string(w) {
	case "False", "None", "True", "and", "as", "assert", "async",
		"await", "break", "class", "continue", "def", "del", "elif",
		"else", "except", "finally", "for", "from", "global", "if",
		"import", "in", "is", "lambda", "nonlocal", "not", "or",
		"pass", "raise", "return", "try", "while", "with", "yield":
		return true
	}
	return false
}

// splitRegions splits src into its top-level statements: a statement
// starts at a line that begins with neither a blank nor a comment, outside
// brackets, strings and continued lines, and does not continue the one
// before (`else`, `elif`, `except`, `finally`, or the def or class after
// decorators). The regions cover src.
func splitRegions(src []byte) []region {
	regs, _, _ := splitSource(src, false)
	return regs
}

// splitSource returns splitRegions(src) and, when soft is set, the spans
// softSpans(src) returns and those of its prose strings (proseString),
// read in the same pass.
func splitSource(src []byte, soft bool) ([]region, [][2]int, [][2]int) {
	regs, spans, prose, _ := splitSourceLines(src, soft)
	return regs, spans, prose
}

// splitSourceLines is splitSource that also returns the start of every
// logical line of src (parser.LogicalLines), in order, for splitPieces.
func splitSourceLines(src []byte, soft bool) ([]region, [][2]int, [][2]int, []int32) {
	var out []region
	var spans, prose [][2]int
	var lines []int32
	var comment, str func(i, j int)
	if soft {
		comment = func(i, j int) {
			if n := len(spans); n == 0 || spans[n-1][1] <= i {
				spans = append(spans, [2]int{i, j})
			}
		}
		str = func(i, j int) {
			if proseString(src, i, j) {
				prose = append(prose, [2]int{i, j})
			}
		}
	}
	decorators := false // the last region is decorators so far
	parser.LogicalLines(src, 0, len(src), func(i int) bool {
		lines = append(lines, int32(i))
		if soft {
			j := i
			for j < len(src) && (src[j] == ' ' || src[j] == '\t' || src[j] == '\f') {
				j++
			}
			if k := bareStrings(src, j); k > j {
				spans = append(spans, [2]int{j, k})
			}
		}
		if src[i] == '\f' && len(out) > 0 {
			// A form feed resets the indentation: what follows may
			// be a statement of its own.
			out[len(out)-1].def = false
		}
		c := src[i]
		if c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r' || c == '#' {
			return true
		}
		w, _ := wordAt(src, i)
		last := len(out) - 1
		switch {
		case last >= 0 && (w == "else" || w == "elif" || w == "except" || w == "finally"):
			out[last].def = false // a def or class has no such clause
		case last >= 0 && decorators && (c == '@' || w == "def" || w == "class" || w == "async"):
			if c != '@' {
				decorators = false
				out[last].name, out[last].class = defName(src, i)
			}
		default:
			if last >= 0 {
				out[last].end = i
			}
			decorators = c == '@'
			r := region{start: i, def: true}
			if !decorators {
				r.name, r.class = defName(src, i)
			}
			out = append(out, r)
		}
		return true
	}, comment, str)
	if n := len(out); n > 0 {
		// Comment and blank lines before the first statement go with it.
		out[0].start = 0
		out[n-1].end = len(src)
	}
	for k := range out {
		if out[k].name == "" {
			out[k].def = false
		}
	}
	return out, spans, prose, lines
}

// proseString reports whether the string literal src[i:j] (i its opening
// quote) holds prose: no f-string or template string (whose braces hold
// code), terminated, and its value holds a character no dotted name has,
// written as itself (an escape may stand for any character; in a raw
// string, a backslash stands for itself). The analyses read a string's
// value only where it is a whole dotted name (a patch target, a module
// imported by name, getattr's member), which a string concatenated with
// prose is not either; so a dot in prose reads no member.
func proseString(src []byte, i, j int) bool {
	raw := false
	for p := i - 1; p >= 0 && p >= i-2 && wordByte[src[p]]; p-- {
		switch src[p] {
		case 'f', 'F', 't', 'T':
			return false
		case 'r', 'R':
			raw = true
		}
	}
	q := src[i]
	n := 1 // quotes on each side
	if i+2 < j && src[i+1] == q && src[i+2] == q {
		n = 3
	}
	if j-n < i+n || bytes.Count(src[j-n:j], []byte{q}) != n {
		return false // unterminated
	}
	text := src[i+n : j-n]
	for k := 0; k < len(text); k++ {
		c := text[k]
		switch {
		case c == '\\' && raw:
			return true
		case c == '\\':
			// An escape: \N{...} names its character; the others end
			// with characters of names, or a line break the value
			// leaves out.
			k++
			if k+1 < len(text) && text[k] == 'N' && text[k+1] == '{' {
				e := bytes.IndexByte(text[k:], '}')
				if e < 0 {
					return false
				}
				k += e
			} else if k+1 < len(text) && text[k] == '\r' && text[k+1] == '\n' {
				k++
			}
		case !wordByte[c] && c != '.':
			return true
		}
	}
	return false
}

// splitPieces splits each class statement of regs into its pieces
// (splitClass), and each import statement of several names (splitImport);
// a statement it cannot split stays one region. The pieces of a statement
// share a group number.
func splitPieces(src []byte, regs []region) []region { return splitPiecesLines(src, regs, nil) }

// splitPiecesLines is splitPieces given the starts of the logical lines
// of src (splitSourceLines; nil: read them again): a class is split by
// the lines in its region, which a pass over the class from its start
// would find again (a region starts at a logical line, where no bracket,
// string or continued line is open).
func splitPiecesLines(src []byte, regs []region, lines []int32) []region {
	var out []region
	group := int32(0)
	for k, r := range regs {
		var pieces []region
		switch {
		case r.def && r.class:
			var in []int32
			if lines != nil {
				lo, _ := slices.BinarySearch(lines, int32(r.start))
				hi, _ := slices.BinarySearch(lines, int32(r.end))
				in = lines[lo:hi:hi]
			}
			pieces = splitClass(src, r, in)
		case !r.def:
			all, ok := importBindings(src[r.start:r.end])
			if ok && len(all) >= 2 {
				pieces = splitImport(src, r, all)
			}
			if pieces == nil {
				// buildRegionGraph reads what importBindings said.
				r.names, r.read = all, 1
				if ok {
					r.read = 2
				}
				if out == nil {
					regs[k] = r
				}
			}
		}
		if pieces == nil {
			if out != nil {
				out = append(out, r)
			}
			continue
		}
		if out == nil {
			out = append(make([]region, 0, len(regs)+len(pieces)), regs[:k]...)
		}
		group++
		for _, p := range pieces {
			p.group = group
			out = append(out, p)
		}
	}
	if out == nil {
		return regs
	}
	return out
}

// splitImport splits the region of an import statement that binds the
// names all (importBindings; several) into pieces: the statement up to its keyword `import` (which
// binds nothing and holds the module of a from-import), then each name
// with the comma after it. A statement that uses one of the names needs
// its piece and the first, not the words of the other names; the parser
// reads all pieces or none. It returns nil for any other region.
func splitImport(src []byte, r region, all []string) []region {
	text := src[r.start:r.end]
	// The keyword: the first word `import` (no module is named so).
	cut := -1
	for i := 0; i < len(text) && cut < 0; {
		switch c := text[i]; {
		case c == '#':
			for i < len(text) && text[i] != '\n' {
				i++
			}
		case wordByte[c]:
			j := i + 1
			for j < len(text) && wordByte[text[j]] {
				j++
			}
			if string(text[i:j]) == "import" {
				cut = j
			}
			i = j
		default:
			i++
		}
	}
	if cut < 0 {
		return nil
	}
	pieces := []region{{start: r.start, imp: true, head: true, names: all}}
	start := cut
	var bound []string
	for i := cut; i <= len(text); i++ {
		if i < len(text) && text[i] == '#' {
			for i < len(text) && text[i] != '\n' {
				i++
			}
		}
		if i < len(text) && text[i] != ',' {
			continue
		}
		end := min(i+1, len(text))
		if name := importedName(text[start:end]); name != "" {
			bound = append(bound, name)
			pieces[len(pieces)-1].end = r.start + start
			pieces = append(pieces, region{start: r.start + start, imp: true, names: []string{name}})
		}
		start = end
	}
	if len(bound) != len(all) || !slices.Equal(bound, all) {
		return nil
	}
	pieces[len(pieces)-1].end = r.end
	return pieces
}

// importedName returns the name one item of an import statement's list
// binds: the word after `as`, or else the first word; "" for an item
// without words (after a last comma).
func importedName(item []byte) string {
	var first, prev string
	for i := 0; i < len(item); {
		if item[i] == '#' {
			for i < len(item) && item[i] != '\n' {
				i++
			}
			continue
		}
		if !wordByte[item[i]] {
			i++
			continue
		}
		w, j := wordAt(item, i)
		if prev == "as" {
			return w
		}
		if first == "" {
			first = w
		}
		prev, i = w, j
	}
	return first
}

// splitClass splits the region of a class statement into pieces: its
// header (decorators, the class line, and each run of statements of its
// body that are no methods) and each method, with its decorators and the
// comment and blank lines after it. It returns nil for a class it leaves
// whole: one with a `global` statement, a form feed, indentation it cannot
// follow or no method. lines, unless nil, are the starts of the logical
// lines of the region, read already.
func splitClass(src []byte, r region, lines []int32) []region {
	text := src[r.start:r.end]
	if bytes.IndexByte(text, '\f') >= 0 || codeHasWord(text, "global") {
		return nil
	}
	pieces := []region{{start: r.start, def: true, name: r.name, class: true}}
	var body []byte // the indentation of the body
	classLine := false
	deco := -1 // the start of the decorators of the next statement
	ok, methods := true, 0
	line := func(i int) bool {
		j := i
		for j < r.end && (src[j] == ' ' || src[j] == '\t') {
			j++
		}
		if j == r.end || src[j] == '\n' || src[j] == '\r' || src[j] == '#' {
			return true // a blank or comment line
		}
		indent := src[i:j]
		if !classLine {
			// Decorators, then the class line.
			w, _ := wordAt(src, j)
			classLine = w == "class"
			return true
		}
		if body == nil {
			body = indent
		}
		if !bytes.Equal(indent, body) {
			// Deeper: a line of the statement before. Anything else
			// (no indentation, tabs for spaces) is left to the parser.
			ok = len(indent) > len(body) && bytes.HasPrefix(indent, body)
			return ok
		}
		last := &pieces[len(pieces)-1]
		w, _ := wordAt(src, j)
		switch {
		case len(body) == 0:
			ok = false // the class line holds the body
		case w == "else" || w == "elif" || w == "except" || w == "finally":
			ok = !last.method
		case src[j] == '@':
			if deco < 0 {
				deco = i
			}
		default:
			start := i
			if deco >= 0 {
				start, deco = deco, -1
			}
			name, class := defName(src, j)
			method := name != "" && !class
			if !method && !last.method {
				return true // the header goes on
			}
			last.end = start
			p := region{start: start, def: true, name: r.name, class: true}
			if method {
				p = region{start: start, name: name, method: true, self: firstParam(src, j), body: bodyStart(src, j, r.end)}
				methods++
			}
			pieces = append(pieces, p)
		}
		return ok
	}
	if lines == nil {
		parser.LogicalLines(src, r.start, r.end, line, nil, nil)
	} else {
		for _, i := range lines {
			if !line(int(i)) {
				break
			}
		}
	}
	if !ok || methods == 0 {
		return nil
	}
	pieces[len(pieces)-1].end = r.end
	return pieces
}

// softSpans returns the comments of src and its statements made of string
// literals alone (docstrings; an f-string may bind by a walrus), in order.
// No analysis of another statement reads them: they bind nothing.
func softSpans(src []byte) [][2]int {
	_, spans, _ := splitSource(src, true)
	return spans
}

// bareStrings returns the end of the string literals that make the whole
// statement at src[i] (blanks, continuations and a comment after them
// aside), or i when it is no such statement.
func bareStrings(src []byte, i int) int {
	for k := i; ; {
		q := k
		for q < len(src) && q-k < 2 && strings.IndexByte("rRbBuU", src[q]) >= 0 {
			q++
		}
		if q == len(src) || src[q] != '"' && src[q] != '\'' {
			return i // not a string: more than strings
		}
		end := parser.StringEnd(src, q)
		for k = end; k < len(src); k++ {
			c := src[k]
			if c == '\\' && k+1 < len(src) && (src[k+1] == '\n' || src[k+1] == '\r') {
				k++
				if src[k] == '\r' && k+1 < len(src) && src[k+1] == '\n' {
					k++
				}
				continue
			}
			if c != ' ' && c != '\t' && c != '\f' {
				break
			}
		}
		if k == len(src) || src[k] == '\n' || src[k] == '\r' || src[k] == '#' {
			return end
		}
	}
}

// defName returns the name a def, async def or class statement at src[i]
// binds, or "", and whether it is a class.
func defName(src []byte, i int) (string, bool) {
	w, j := wordAt(src, i)
	if w == "async" {
		w, j = wordAt(src, skipBlanks(src, j))
	}
	if w != "def" && w != "class" {
		return "", false
	}
	k := skipBlanks(src, j)
	if k == j {
		return "", false
	}
	name, _ := wordAt(src, k)
	if pyKeyword([]byte(name)) || name != "" && name[0] >= '0' && name[0] <= '9' {
		return "", false
	}
	return name, w == "class"
}

// firstParam returns the name of the first parameter of the def statement
// at src[i], or "" when it has none or its header does not read plainly.
func firstParam(src []byte, i int) string {
	w, j := wordAt(src, i)
	if w == "async" {
		w, j = wordAt(src, skipBlanks(src, j))
	}
	if w != "def" {
		return ""
	}
	if _, j = wordAt(src, skipBlanks(src, j)); j < 0 {
		return ""
	}
	if j = skipBlanks(src, j); j >= len(src) || src[j] != '(' {
		return ""
	}
	p, k := wordAt(src, skipComments(src, j+1))
	if k < 0 || pyKeyword([]byte(p)) || p[0] >= '0' && p[0] <= '9' {
		return ""
	}
	if k = skipComments(src, k); k < len(src) && strings.IndexByte(",):=", src[k]) >= 0 {
		return p
	}
	return ""
}

// bodyStart returns the offset after the colon that ends the def
// statement's header at src[i] (its parameters, its annotations), before
// end, or 0 when it does not find one.
func bodyStart(src []byte, i, end int) int {
	depth := 0
	for i < end {
		switch c := src[i]; c {
		case '#':
			for i < end && src[i] != '\n' && src[i] != '\r' {
				i++
			}
			continue
		case '"', '\'':
			i = parser.StringEnd(src[:end], i)
			continue
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case ':':
			if depth == 0 {
				return i + 1
			}
		}
		i++
	}
	return 0
}

// selfReceiver reports whether the member word at text[i] may be read from
// the instance that self, a method's first parameter, names: its receiver
// is that name or ends with a parenthesis (`(self).x`), or cannot be told
// (self unknown, a comment in between). A member of another object (a
// chain's, a subscript's, a literal's) is not the instance's
// (Typer.memberType).
func selfReceiver(text []byte, i int, self string) bool {
	dot := backBlanks(text, i-1)
	if self == "" || dot < 0 || text[dot] != '.' {
		return true
	}
	k := backBlanks(text, dot-1)
	if k < 0 || afterComment(text, k, dot) || text[k] == ')' {
		return true
	}
	if !wordByte[text[k]] {
		return false
	}
	s := k
	for s > 0 && wordByte[text[s-1]] {
		s--
	}
	return string(text[s:k+1]) == self
}

// regionGraph holds, for each region, the regions that may bind a name it
// uses.
type regionGraph struct {
	uses [][]int32
	// exist holds, for a method, the methods whose name it reads as a
	// member of its instance: the analysis asks only whether the class
	// defines that member (Typer.DefinesMember), which the method's
	// parse tells whatever its closure (withExisting).
	exist [][]int32
	// names numbers the names bound; binders lists by name id the
	// regions that may bind it.
	names   nameTable
	binders [][]int32
	// imports holds, for a region that is one import statement, the names
	// it binds; isImport tells which regions are.
	imports  [][]string
	isImport []bool
}

// bindersOf returns the regions that may bind name.
func (g *regionGraph) bindersOf(name []byte) []int32 {
	if id, ok := g.names.find(name, hashWord(name)); ok {
		return g.binders[id]
	}
	return nil
}

// buildRegionGraph reads the names each region of src binds and uses. A
// use of a name that only functions bind needs none of them when prune is
// set: the function is no MLflow object, and neither is an unbound name
// (unless a wildcard import may bind it), and no analysis reads a function
// of the file through a call of it (the types it infers come from MLflow's
// API data, classes, assignments and annotations). The names whose being
// unbound means something are the exception (bindingTested).
//
// It returns nil when the uses outnumber budget (a hostile source, where
// many statements bind and use one name).
func buildRegionGraph(src []byte, regs []region, soft [][2]int, prune bool, budget int) *regionGraph {
	if len(src) > math.MaxUint32 {
		return nil // the words' offsets are 32 bits: the file is parsed whole
	}
	cw := codeWordPool.Get().(*[]codeWord)
	defer codeWordPool.Put(cw)
	*cw = readCodeWords(src, soft, (*cw)[:0])
	words := codeWords(*cw)
	var names nameTable
	var binders [][]int32
	imported := make([][]string, len(regs))
	isImport := make([]bool, len(regs))
	var fnOnly []bool // by name: every binder is a function
	bind := func(name []byte, h uint32, k int, fn bool) {
		id, ok := names.find(name, h)
		if !ok {
			id = names.add(name, h)
			binders = append(binders, nil)
			fnOnly = append(fnOnly, true)
		}
		binders[id] = appendOnce(binders[id], int32(k))
		fnOnly[id] = fnOnly[id] && fn
	}
	bindString := func(name string, k int, fn bool) {
		bind([]byte(name), hashWord([]byte(name)), k, fn)
	}
	for k, r := range regs {
		text := src[r.start:r.end]
		if r.method {
			continue // it binds a member of its class
		}
		if r.imp {
			if r.head {
				// It stands for the statement where imports are
				// asked for, and binds nothing.
				imported[k], isImport[k] = r.names, true
				continue
			}
			for _, n := range r.names {
				bindString(n, k, false)
			}
			continue
		}
		if r.def {
			globals := globalNames(text)
			bindString(r.name, k, !r.class && len(globals) == 0)
			for _, n := range globals {
				bindString(n, k, false)
			}
			continue
		} else if imports, ok := r.importBindings(text); ok {
			imported[k], isImport[k] = imports, true
			for _, n := range imports {
				bindString(n, k, false)
			}
			continue
		} else if name, ok := simpleBinding(text); ok {
			if name != "" {
				bindString(name, k, false)
			}
			continue
		}
		for _, t := range words.in(r.start, r.end) {
			if w := src[t.i:t.j]; !t.dot && !pyKeyword(w) {
				bind(w, t.h, k, false)
			}
		}
	}
	g := &regionGraph{uses: make([][]int32, len(regs)), exist: make([][]int32, len(regs)), names: names, binders: binders, imports: imported, isImport: isImport}
	if len(binders) == 0 {
		return g
	}
	edges := 0
	lastUser := make([]int32, len(binders))
	for i := range lastUser {
		lastUser[i] = -1
	}
	for k, r := range regs {
		for _, t := range words.in(r.start, r.end) {
			if t.dot {
				continue
			}
			w := src[t.i:t.j]
			id, ok := names.find(w, t.h)
			if !ok || lastUser[id] == int32(k) {
				continue
			}
			lastUser[id] = int32(k)
			if prune && fnOnly[id] && !bindingTested(string(w)) {
				continue
			}
			edges += len(binders[id])
			if edges > budget {
				return nil
			}
			for _, b := range binders[id] {
				if b != int32(k) {
					g.uses[k] = append(g.uses[k], b)
				}
			}
		}
	}
	if !g.classEdges(src, regs, words, budget-edges) {
		return nil
	}
	return g
}

// classEdges adds the uses between the pieces of each class (splitClass):
// every piece needs the header, and a method that reads a member (a word
// after a dot, not assigned there) every method that may assign it
// (`.word` before a `=`, `,`, `)`, `:`, `]` or an operator), as the type
// of `self.word` comes from there, and the method of that name to exist
// (g.exist), as whether the class defines it comes from there too. Nothing
// outside a method reads the class's instance. A method's decorators and
// default values, and the header's statements, see the class's names, so
// a name a piece uses needs the methods of that name too. The pieces of an import statement need
// its first. It returns false past budget uses.
func (g *regionGraph) classEdges(src []byte, regs []region, words codeWords, budget int) bool {
	type member struct {
		methods []int32
		user    int32 // the last piece that used it
	}
	for first := 0; first < len(regs); {
		grp := regs[first].group
		if grp == 0 {
			first++
			continue
		}
		end := first
		var heads []int32
		members := map[string]*member{} // by the member they may define
		defs := map[string]*member{}    // by their names
		var names apidb.NameSig         // the keys of both
		bind := func(in map[string]*member, w string, k int) {
			m := in[w]
			if m == nil {
				m = &member{user: -1}
				in[w] = m
				names.Add(w)
			}
			m.methods = appendOnce(m.methods, int32(k))
		}
		for ; end < len(regs) && regs[end].group == grp; end++ {
			r := regs[end]
			if r.imp {
				// The name of an import statement needs its first
				// piece.
				if r.head {
					heads = append(heads, int32(end))
				}
				continue
			}
			if !r.method {
				heads = append(heads, int32(end))
				continue
			}
			bind(defs, r.name, end)
			text := src[r.start:r.end]
			depth := bracketDepth{text: text}
			steps := 0
			for _, t := range words.in(r.start, r.end) {
				i, j := int(t.i)-r.start, int(t.j)-r.start
				if steps <= budget && memberWord(text, i) && selfReceiver(text, i, r.self) && assignedAt(text, i, j, &depth, &steps) {
					bind(members, string(text[i:j]), end)
				}
			}
			if budget -= steps; budget < 0 {
				return false
			}
		}
		for k := first; k < end; k++ {
			for _, h := range heads {
				if h != int32(k) {
					g.uses[k] = append(g.uses[k], h)
				}
			}
			budget -= len(heads)
			if regs[k].imp {
				continue
			}
			header := !regs[k].method
			text := src[regs[k].start:regs[k].end]
			need := func(m *member, edges [][]int32) {
				if m == nil || m.user == int32(k) {
					return
				}
				m.user = int32(k)
				budget -= len(m.methods)
				for _, b := range m.methods {
					if b != int32(k) {
						edges[k] = append(edges[k], b)
					}
				}
			}
			visit := func(i, j int) {
				// A member read, or a name: a method's decorators and
				// defaults, and the header's statements, run in the
				// class's scope (`@name.setter`, `x = property(_get)`).
				w := text[i:j]
				if !names.MayBytes(w) {
					return
				}
				m, d := members[string(w)], defs[string(w)]
				if m == nil && d == nil || definedAt(text, i) {
					return // no method's, or its own name
				}
				if !memberWord(text, i) {
					if b := regs[k].body; b > 0 && regs[k].start+i >= b {
						return // a method's body does not see the class's names
					}
					need(d, g.uses)
					return
				}
				if header || storedAt(text, j) || !selfReceiver(text, i, regs[k].self) {
					return
				}
				// What the member holds comes from the methods that
				// assign it; that the class defines it, from the method
				// of its name too.
				need(m, g.uses)
				need(d, g.exist)
			}
			for _, t := range words.in(regs[k].start, regs[k].end) {
				visit(int(t.i)-regs[k].start, int(t.j)-regs[k].start)
			}
			if budget < 0 {
				return false
			}
		}
		first = end
	}
	return true
}

// definedAt reports whether the word at text[i] is the name a def
// statement defines, and classNamedAt whether it is the name a class
// statement defines: it follows the keyword on the keyword's line, which
// starts a statement (startsStatement; for def, `async` may come first).
// A keyword at the end of a comment is not one.
func definedAt(text []byte, i int) bool { return afterStatementKeyword(text, i, "def") }

func classNamedAt(text []byte, i int) bool { return afterStatementKeyword(text, i, "class") }

func afterStatementKeyword(text []byte, i int, kw string) bool {
	blank := func(c byte) bool { return c == ' ' || c == '\t' || c == '\f' }
	k := i
	for k > 0 && blank(text[k-1]) {
		k--
	}
	s := k - len(kw)
	if k == i || s < 0 || string(text[s:k]) != kw || s > 0 && wordByte[text[s-1]] {
		return false
	}
	if kw == "def" {
		a := s
		for a > 0 && blank(text[a-1]) {
			a--
		}
		if a >= 5 && string(text[a-5:a]) == "async" && (a == 5 || !wordByte[text[a-6]]) {
			s = a - 5
		}
	}
	return startsStatement(text, s-1)
}

// memberWord reports whether the word at text[i] may be a member: after
// a dot (blanks, line breaks and continuations aside), or after a line
// that holds a comment, which may follow a dot.
func memberWord(text []byte, i int) bool {
	k := backBlanks(text, i-1)
	return k >= 0 && (text[k] == '.' || afterComment(text, k, i))
}

// storedAt reports whether the word before text[j] is assigned there and
// not read: a `=` (not `==`) follows it.
func storedAt(text []byte, j int) bool {
	for j < len(text) && (text[j] == ' ' || text[j] == '\t') {
		j++
	}
	return j < len(text) && text[j] == '=' && (j+1 == len(text) || text[j+1] != '=')
}

// codeHasWord reports whether text holds the word w outside comments and
// strings. Text without w's bytes anywhere has no such word, which one
// search tells where the tokens of a whole class took a pass of their own.
func codeHasWord(text []byte, w string) bool {
	if !bytes.Contains(text, []byte(w)) {
		return false
	}
	found := false
	eachCodeToken(text, func(i, j int) (int, bool) {
		found = string(text[i:j]) == w
		return j, found
	})
	return found
}

// eachCodeToken calls fn with the bounds of each word of text outside
// comments and strings, in order; fn returns where to go on from (at
// least the word's end) and whether to stop.
func eachCodeToken(text []byte, fn func(i, j int) (next int, stop bool)) {
	for i := 0; i < len(text); {
		switch c := text[i]; {
		case c == '#':
			for i < len(text) && text[i] != '\n' && text[i] != '\r' {
				i++
			}
		case c == '"' || c == '\'':
			i = parser.StringEnd(text, i)
		case wordByte[c]:
			j := i + 1
			for j < len(text) && wordByte[text[j]] {
				j++
			}
			next, stop := fn(i, j)
			if stop {
				return
			}
			i = max(next, j)
		default:
			i++
		}
	}
}

// globalNames returns the names that the global statements of text list
// (`global a, b`), comments and strings aside; a name may come more than
// once.
func globalNames(text []byte) []string {
	if !bytes.Contains(text, []byte("global")) {
		return nil // as codeHasWord: no bytes of the word, no statement
	}
	var names []string
	eachCodeToken(text, func(i, j int) (int, bool) {
		if string(text[i:j]) != "global" {
			return j, false
		}
		// The list: names, commas, blanks and line continuations.
		for {
			j = skipBlanks(text, j)
			name, end := wordAt(text, j)
			if end < 0 {
				return j, false
			}
			names = append(names, name)
			j = skipBlanks(text, end)
			if j >= len(text) || text[j] != ',' {
				return j, false
			}
			j++
		}
	})
	return names
}

// assignedAt reports whether the member word text[i:j] of a method may
// be assigned there as the typer reads assignments to an instance's
// member (Typer.selfAssignments): what follows it (blanks, line breaks,
// continuations and comments aside) is `=` (not `==`), an augmented
// assignment's operator, or `:` where the member's receiver starts a
// statement (an annotated assignment), or it is one item of a bare or
// parenthesised tuple of targets: a `,` or `)` after which an `=` ends
// the statement's targets (targetList). A member passed to a call, read
// in a condition or an expression, or listed in a `for` or a list of
// targets (which the typer does not read) is not. depth keeps the
// brackets the method has opened up to i; steps counts the bytes read
// ahead.
func assignedAt(text []byte, i, j int, depth *bracketDepth, steps *int) bool {
	k := j
	for k < len(text) {
		switch c := text[k]; c {
		case ' ', '\t', '\r', '\n', '\\', '\f':
			k++
			continue
		case '#':
			for k < len(text) && text[k] != '\n' {
				k++
			}
			continue
		}
		break
	}
	if k == len(text) {
		return false
	}
	next := func(n int) byte {
		if k+n < len(text) {
			return text[k+n]
		}
		return 0
	}
	switch c := text[k]; c {
	case '=':
		return next(1) != '='
	case '+', '-', '*', '/', '%', '&', '|', '^', '@':
		return next(1) == '=' || (c == '*' || c == '/') && next(1) == c && next(2) == '='
	case '<', '>':
		return next(1) == c && next(2) == '='
	case ':':
		return next(1) != '=' && receiverStartsStatement(text, i)
	case ',', ')':
		d := depth.at(i)
		if d < 0 {
			return false // in a string: no target
		}
		return targetList(text, k, d, steps)
	}
	return false
}

// receiverStartsStatement reports whether the receiver of the member word at
// text[i] starts a simple statement: only blanks before it on its line,
// or a `;` or a compound statement's `:`. A receiver it cannot read back
// to a name (a parenthesis, a comment in between) may.
func receiverStartsStatement(text []byte, i int) bool {
	dot := backBlanks(text, i-1)
	if dot < 0 || text[dot] != '.' {
		return true
	}
	k := backBlanks(text, dot-1)
	if k < 0 || !wordByte[text[k]] || afterComment(text, k, dot) {
		return true
	}
	for k >= 0 && wordByte[text[k]] {
		k--
	}
	for k >= 0 && (text[k] == ' ' || text[k] == '\t' || text[k] == '\f') {
		k--
	}
	return k < 0 || text[k] == '\n' || text[k] == '\r' || text[k] == ';' || text[k] == ':'
}

// targetList reports whether the `,` or `)` at text[k], at bracket depth
// d of its statement, may end an item of the targets of an assignment:
// outside brackets, an `=` (not a comparison) follows in the statement
// before a line break, `;` or `:` at its level; inside brackets, an `=`
// follows the brackets that hold it once they close. It reads at most to
// the statement's end, adding each byte to steps.
func targetList(text []byte, k, d int, steps *int) bool {
	level := 0 // brackets opened after k and still open
	closed := false
	for p := k; p < len(text); p++ {
		*steps++
		c := text[p]
		switch {
		case c == '#':
			for p+1 < len(text) && text[p+1] != '\n' {
				p++
			}
		case c == '"' || c == '\'':
			p = parser.StringEnd(text, p) - 1
		case c == '\\':
			p++ // a continuation, or an escape outside a string
			if p+1 < len(text) && text[p] == '\r' && text[p+1] == '\n' {
				p++
			}
		case c == '(' || c == '[' || c == '{':
			if closed {
				return false
			}
			level++
		case c == ')' || c == ']' || c == '}':
			if level > 0 {
				level--
				continue
			}
			if d == 0 {
				return false // unbalanced
			}
			d--
			closed = true
		case c == ' ' || c == '\t' || c == '\f':
		case c == '\n' || c == '\r':
			if level == 0 && d == 0 {
				return false
			}
		case closed && c == '=':
			return p+1 == len(text) || text[p+1] != '='
		case closed:
			return false // the brackets closed, and something else follows
		case level == 0 && d == 0 && (c == ';' || c == ':'):
			return false
		case level == 0 && d == 0 && c == '=':
			if p+1 < len(text) && text[p+1] == '=' {
				p++
				continue
			}
			if b := text[p-1]; b == '<' || b == '>' || b == '!' {
				continue
			}
			return true
		}
	}
	return false
}

// bracketDepth reads a method's text forward once, counting the brackets
// open at each word it is asked about (words come in order).
type bracketDepth struct {
	text  []byte
	pos   int
	depth int
}

// at returns the number of brackets open at text[i], or -1 where i is in
// a string or a comment.
func (b *bracketDepth) at(i int) int {
	if i < b.pos {
		return -1 // skipped inside a string or comment
	}
	for b.pos < i {
		switch c := b.text[b.pos]; c {
		case '#':
			for b.pos < len(b.text) && b.text[b.pos] != '\n' {
				b.pos++
			}
			continue
		case '"', '\'':
			b.pos = parser.StringEnd(b.text, b.pos)
			continue
		case '\\':
			b.pos++
		case '(', '[', '{':
			b.depth++
		case ')', ']', '}':
			b.depth = max(b.depth-1, 0)
		}
		b.pos++
	}
	if b.pos > i {
		return -1
	}
	return b.depth
}

// nameTable numbers the names of one source: open addressing over the
// words' hashes, holding the words' bytes, so that reading a source's
// words makes no string per word.
type nameTable struct {
	slots  []int32 // 1 + the id of a name; 0: empty
	words  [][]byte
	hashes []uint32
}

// find returns the id of w, whose hash is h.
func (t *nameTable) find(w []byte, h uint32) (int32, bool) {
	if len(t.slots) == 0 {
		return 0, false
	}
	mask := uint32(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return 0, false
		}
		if id := s - 1; t.hashes[id] == h && bytes.Equal(t.words[id], w) {
			return id, true
		}
	}
}

// add numbers w, which the table does not hold.
func (t *nameTable) add(w []byte, h uint32) int32 {
	id := int32(len(t.words))
	t.words = append(t.words, w)
	t.hashes = append(t.hashes, h)
	if 2*len(t.words) > len(t.slots) {
		n := 64
		for n < 4*len(t.words) {
			n *= 2
		}
		t.slots = make([]int32, n)
		for k := range t.words {
			t.place(int32(k))
		}
		return id
	}
	t.place(id)
	return id
}

func (t *nameTable) place(id int32) {
	mask := uint32(len(t.slots) - 1)
	i := t.hashes[id] & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = id + 1
}

// eachCodeRun calls fn with the bounds of each run of [start, end) outside
// the spans of soft (in order).
func eachCodeRun(start, end int, soft [][2]int, fn func(a, b int)) {
	k, _ := slices.BinarySearchFunc(soft, start, func(sp [2]int, off int) int { return cmp.Compare(sp[1], off+1) })
	for ; start < end; k++ {
		stop := end
		if k < len(soft) && soft[k][0] < end {
			stop = max(soft[k][0], start)
		}
		fn(start, stop)
		if k >= len(soft) || soft[k][0] >= end {
			return
		}
		start = max(start, soft[k][1])
	}
}

// eachName calls fn with each word of text that may be a name (not after
// a dot on its line, not starting with a digit) and its hash (hashWord).
func eachName(text []byte, fn func(w []byte, h uint32)) {
	for i := 0; i < len(text); {
		if !wordByte[text[i]] {
			i++
			continue
		}
		j, h := hashedWord(text, i)
		if (text[i] < '0' || text[i] > '9') && !afterDot(text, i) {
			fn(text[i:j], h)
		}
		i = j
	}
}

// codeWord is a word of a source outside its soft spans (comments and
// statements of strings alone, which neither bind nor use a name, nor
// read a member) that does not start with a digit: its bounds, its hash
// (hashWord) and whether it follows a dot on its line (afterDot, read
// within its run: a name right after a span is taken for one, whatever
// stands before the span).
type codeWord struct {
	i, j, h uint32
	dot     bool
}

// codeWords are the code words of a source in order (readCodeWords). The
// passes of buildRegionGraph and classEdges over every statement and
// method read them from here, where each read the bytes again: a region
// starts and ends where no word does (a line, or the comma or keyword an
// import statement is split at), and after no dot, so its words and
// their dots are the same read from the region or from the source.
type codeWords []codeWord

// readCodeWords appends the code words of src (outside the spans of soft)
// to buf; src is at most math.MaxUint32 bytes.
func readCodeWords(src []byte, soft [][2]int, buf []codeWord) []codeWord {
	eachCodeRun(0, len(src), soft, func(a, b int) {
		text := src[a:b]
		for i := 0; i < len(text); {
			if !wordByte[text[i]] {
				i++
				continue
			}
			j, h := hashedWord(text, i)
			if text[i] < '0' || text[i] > '9' {
				buf = append(buf, codeWord{i: uint32(a + i), j: uint32(a + j), h: h, dot: afterDot(text, i)})
			}
			i = j
		}
	})
	return buf
}

// in returns the words that start in [start, end).
func (ws codeWords) in(start, end int) codeWords {
	lo := ws.from(start)
	return ws[lo : lo+ws[lo:].from(end)]
}

// from returns the index of the first word that starts at or after at (a
// binary search without a comparison function: it runs for every region
// of every source the prefilter lets through).
func (ws codeWords) from(at int) int {
	lo, hi := 0, len(ws)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int(ws[m].i) < at {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// codeWordPool keeps the tables of code words between files.
var codeWordPool = sync.Pool{New: func() any { return new([]codeWord) }}

func appendOnce(xs []int32, k int32) []int32 {
	if n := len(xs); n > 0 && xs[n-1] == k {
		return xs
	}
	return append(xs, k)
}

// afterDot reports whether the word at text[i] follows a dot on its line
// (a member, which names no binding of the module).
func afterDot(text []byte, i int) bool {
	k := i - 1
	for k >= 0 && (text[k] == ' ' || text[k] == '\t') {
		k--
	}
	return k >= 0 && text[k] == '.'
}

// hasWord reports whether text holds w as a whole word.
func hasWord(text []byte, w string) bool { return findWord(text, w, false) }

// hasWordPrefix reports whether text holds a word that starts with p.
func hasWordPrefix(text []byte, p string) bool { return findWord(text, p, true) }

func findWord(text []byte, w string, prefix bool) bool {
	for off := 0; ; {
		i := bytes.Index(text[off:], []byte(w))
		if i < 0 {
			return false
		}
		i += off
		j := i + len(w)
		if (i == 0 || !wordByte[text[i-1]]) && (prefix || j == len(text) || !wordByte[text[j]]) {
			return true
		}
		off = i + 1
	}
}

// closure returns the regions reachable from region k by uses, k
// included, marking them in seen (cleared first) and listing them in
// order of discovery, and the number of uses it followed.
// withExisting appends to the closure stack (whose regions seen marks) the
// methods its methods need to exist only (regionGraph.exist), without
// their closures, and returns it with the steps taken.
func (g *regionGraph) withExisting(stack []int32, seen []bool) ([]int32, int) {
	steps := 0
	for _, m := range stack {
		steps += len(g.exist[m])
		for _, e := range g.exist[m] {
			if !seen[e] {
				seen[e] = true
				stack = append(stack, e)
			}
		}
	}
	return stack, steps
}

func (g *regionGraph) closure(k int, seen []bool, stack []int32) ([]int32, int) {
	clear(seen)
	stack = append(stack[:0], int32(k))
	seen[k] = true
	steps := 0
	for n := 0; n < len(stack); n++ {
		steps += len(g.uses[stack[n]])
		for _, u := range g.uses[stack[n]] {
			if !seen[u] {
				seen[u] = true
				stack = append(stack, u)
			}
		}
	}
	return stack, steps
}

// regionRanges returns the byte ranges of v's parse text to parse: the
// regions some finding may need, or nil to parse it whole.
func (d *driver) regionRanges(path string, v *view) [][2]int {
	if d.opt.NoPrefilter || !d.allTriggered || d.opt.ReportUnusedNoqa || d.opt.Fix || d.opt.Diff || len(d.variants) > 0 {
		return nil
	}
	t := d.triggersOf(v)
	rt := d.triggers
	// The rules that run on the file, by their triggers: word sets and
	// pattern ids, and what they read beyond their findings' statements.
	// A rule that runs without triggers needs the whole file.
	var sets []int
	var pats []int
	var beyond []Reading
	for a := range d.rules {
		if !t.runs(a) {
			continue
		}
		if r, ok := readings[a]; ok {
			beyond = append(beyond, r)
		}
		if k, ok := rt.words[a]; ok {
			sets = append(sets, k)
			continue
		}
		ids, ok := rt.pats[a]
		if !ok {
			return nil
		}
		pats = append(pats, ids...)
	}
	for a := range d.shadow {
		if _, ok := rt.words[a]; !ok {
			if _, ok := rt.pats[a]; !ok {
				return nil
			}
		}
	}
	for _, p := range rt.patterns {
		if bytes.ContainsAny(p, "\r\n") {
			return nil
		}
	}
	src := v.parse
	if len(src) > math.MaxInt32 {
		return nil // line starts and word offsets are 32 bits: parsed whole
	}
	top, soft, prose, lines := splitSourceLines(src, true)
	regs := splitPiecesLines(src, top, lines)
	if len(regs) < 2 {
		return nil
	}

	// The words and patterns of each region, from the file's own scan:
	// wildcard imports and the calls that take attributes by string count
	// for the whole file, as they do there.
	filePresent := rt.presentWords(src, v.scanned)
	wildcard := filePresent.wildcard
	gate := rt.anyGate(filePresent)
	refs := make([][]int32, len(regs))
	chains := chainMemo{dot: -1}
	gateBudget := gateBudgetPerByte * (len(src) + 1)
	r, sp, pr := 0, 0, 0
	for _, o := range filePresent.occ {
		off := int(o.off)
		for regs[r].end <= off {
			r++
		}
		for sp < len(soft) && soft[sp][1] <= off {
			sp++
		}
		if sp < len(soft) && soft[sp][0] <= off {
			// A comment or a statement of strings alone: no rule
			// that word sets trigger reads one, its own statement's
			// nor another's (`# class_scope:mlflow.X` in protoc's
			// output, a docstring that names a path).
			continue
		}
		if o.id&(occListed|occQuoted) == 0 && (definedAt(src, off) || classNamedAt(src, off)) {
			// The name a def or class statement defines binds the
			// file's own function or class, which is no MLflow object:
			// no rule reports a definition, a use of the name spells
			// it where it is used, and what a class reaches of MLflow
			// through its instances comes from its bases, which its
			// header spells. A method of MLflow's own MlflowClient
			// needs the header `class MlflowClient:`, which so no
			// longer makes it one that reads MlflowClient.
			continue
		}
		ref := o.id &^ (occListed | occQuoted)
		for pr < len(prose) && prose[pr][1] <= off {
			pr++
		}
		inProse := pr < len(prose) && prose[pr][0] <= off
		if wildcard || o.id&occListed != 0 || o.id&occQuoted != 0 && gate || !inProse && memberAt(src, off, &chains) {
			ref |= memberFlag
		}
		if rt.callGates(ref&^memberFlag, func(g *apidb.CallGate) bool { return gateHolds(src, off, o.id&occQuoted != 0, g, &gateBudget) }) {
			ref |= heldFlag
		}
		refs[r] = append(refs[r], ref)
	}
	wanted := make([]bool, len(rt.patterns))
	for _, id := range pats {
		wanted[id] = true
	}
	found := make([][]int32, len(regs))
	// matchedAt holds the starts of the wanted patterns' matches, in
	// order: a string a pattern matches in is parsed with its statement.
	var matchedAt []int
	if len(pats) > 0 {
		// The file's scan kept its matches, in the order of their ends;
		// none spans a line break, so the region of a match's last byte
		// holds it all.
		matches := v.scanned.matches
		if v.scanned.m != rt.m {
			matches = nil
			rt.m.findEach(src, func(id, end int) { matches = append(matches, patMatch{int32(id), uint32(end)}) })
		}
		k := 0
		for _, mt := range matches {
			if !wanted[mt.id] {
				continue
			}
			matchedAt = append(matchedAt, int(mt.end)-len(rt.patterns[mt.id]))
			if check := patternChecks[string(rt.patterns[mt.id])]; check != nil && !check(src, int(mt.end)-len(rt.patterns[mt.id]), int(mt.end)) {
				continue
			}
			for regs[k].end < int(mt.end) {
				k++
			}
			h := k
			for regs[h].imp && !regs[h].head {
				h-- // a match in an import statement counts for its first piece
			}
			if n := len(found[h]); n == 0 || found[h][n-1] != mt.id {
				found[h] = append(found[h], mt.id)
			}
		}
	}
	// The work is bounded by the size of the source: past the budget,
	// the file is parsed whole.
	budget := regionBudget * (len(src) + 1)
	g := buildRegionGraph(src, regs, soft, !wildcard, budget)
	if g == nil {
		return nil
	}

	// Rules also ask whether the file imports mlflow anywhere
	// (Resolver.Seen), and the trigger sets need the word `mlflow` for it:
	// a statement that imports mlflow is parsed, with its closure, with
	// any other, and each statement's words count `mlflow` among them.
	var anchor []int32
	root := int32(-1)
	imports := mlflowImports(src, regs, g, false)
	if imp := imports; len(imp) > 0 {
		root = rt.vocabulary().id([]byte("mlflow"))
		inAnchor := seen(len(regs))
		var steps int
		anchor, steps = g.closure(imp[0], inAnchor, nil)
		budget -= steps + len(regs)
		if len(imp) > 1 && !g.isImport[imp[0]] {
			// None is an import statement of its own: which one really
			// imports (not a docstring's text) is not known, so all go.
			for _, k := range imp[1:] {
				if !inAnchor[k] {
					inAnchor[k] = true
					anchor = append(anchor, int32(k))
				}
			}
		}
	}
	// A wildcard import may bind any name any statement uses: it goes
	// with every statement, its words too.
	var wild []int32
	if wildcard {
		inWild := seen(len(regs))
		scratch := seen(len(regs))
		var buf []int32
		for k, r := range regs {
			if inWild[k] || !hasWildcardImport(src[r.start:r.end]) {
				continue
			}
			var steps int
			buf, steps = g.closure(k, scratch, buf)
			if budget -= steps + len(regs); budget < 0 {
				return nil
			}
			for _, m := range buf {
				if !inWild[m] {
					inWild[m] = true
					wild = append(wild, m)
				}
			}
		}
	}
	checks := newSetChecks(rt, src, regs, soft)
	sel := rt.selectSets(sets)
	keep := make([]bool, len(regs))
	// full marks the regions kept with their closures; a method kept only
	// to exist (withExisting) is read as a statement of its own still,
	// and its closure kept if it fires.
	full := make([]bool, len(regs))
	// exists marks the methods kept to exist; whole, those kept for
	// another reason besides (see existence).
	exists := make([]bool, len(regs))
	whole := make([]bool, len(regs))
	done := seen(len(regs))
	var stack []int32
	union := rt.newPresence()
	union.written = make([]uint64, len(union.bits))
	union.held = make([]uint64, len(union.bits))
	fired := false
	for k := range regs {
		if full[k] {
			continue // kept with its closure already
		}
		var steps int
		stack, steps = g.closure(k, done, stack)
		if budget -= steps + len(regs); budget < 0 {
			return nil
		}
		for _, m := range wild {
			if !done[m] {
				done[m] = true
				stack = append(stack, m)
			}
		}
		if !regionFires(rt, union, sel, refs, found, wanted, stack, root, checks) {
			continue
		}
		fired = true
		for _, m := range stack {
			keep[m], full[m] = true, true
		}
		var exist []int32
		exist, steps = g.withExisting(stack, done)
		if budget -= steps; budget < 0 {
			return nil
		}
		for _, m := range exist[len(stack):] {
			keep[m], exists[m] = true, true
		}
		stack = exist
	}
	if fired {
		for _, m := range anchor {
			keep[m], whole[m] = true, true
		}
		for _, r := range beyond {
			if r.MlflowImports {
				imports = mlflowImports(src, regs, g, true)
				break
			}
		}
		for _, k := range readBeyond(src, regs, g, beyond, imports) {
			more, steps := g.closure(k, done, stack)
			more, s := g.withExisting(more, done)
			if budget -= steps + s + len(regs); budget < 0 {
				return nil
			}
			for _, m := range more {
				keep[m], whole[m] = true, true
			}
		}
	}
	// A file-wide noqa comment applies to every finding.
	if containsFold(src, "mlflowlint") {
		for k, r := range regs {
			if (!keep[k] || exists[k]) && containsFold(src[r.start:r.end], "noqa") && containsFold(src[r.start:r.end], "mlflowlint") {
				keep[k], whole[k] = true, true
			}
		}
	}
	// A piece of a class needs its header; a piece of an import
	// statement, the statement.
	kept := map[int32]bool{}
	for k, r := range regs {
		if keep[k] && r.group > 0 {
			kept[r.group] = true
		}
	}
	for k, r := range regs {
		if kept[r.group] && !r.method {
			keep[k] = true
		}
	}
	var ranges [][2]int
	blank := 0
	for k, r := range regs {
		if keep[k] && exists[k] && !full[k] && !whole[k] {
			if end := existence(src, r); end > 0 {
				blank += r.end - end
				r.end = end
			}
		}
		switch {
		case !keep[k]:
			blank += r.end - r.start
		case len(ranges) > 0 && ranges[len(ranges)-1][1] == r.start:
			ranges[len(ranges)-1][1] = r.end
		default:
			ranges = append(ranges, [2]int{r.start, r.end})
		}
	}
	slices.Sort(matchedAt) // by their ends, they are: not by their starts
	ranges, carved := withoutDocstrings(src, ranges, soft, matchedAt)
	if blank+carved == 0 {
		return nil
	}
	if len(ranges) == 0 {
		// Nothing to parse: an empty range at the start stands for it.
		return [][2]int{{0, 0}}
	}
	return ranges
}

// existence returns where the part of method r that tells that its class
// defines the method ends, when r is kept only for that (its name, see
// regionGraph.exist): its decorators and def line with the first
// statement of its body (the rest of the def line, when it holds one),
// which completes the def. 0 when nothing can be left out: that statement
// is a compound one (or may be: a soft keyword, a decorator) or the last.
// What the method reads is another method's business: kept to exist, it
// does not fire with its closure, and neither does any part of it.
func existence(src []byte, r region) int {
	if r.body <= r.start || r.body >= r.end {
		return 0
	}
	first, end := false, 0
	parser.LogicalLines(src, r.body, r.end, func(i int) bool {
		j := i
		for j < r.end && (src[j] == ' ' || src[j] == '\t') {
			j++
		}
		code := j < r.end && src[j] != '\n' && src[j] != '\r' && src[j] != '#'
		switch {
		case !first:
			if !code {
				return true
			}
			if w, _ := wordAt(src, j); src[j] == '@' || compoundWords[w] {
				return false
			}
			first = true
			return true
		default:
			end = i
			return false
		}
	}, nil, nil)
	return end
}

// compoundWords begin the statements that have a block, or may (match
// and case are soft keywords).
var compoundWords = map[string]bool{
	"if": true, "for": true, "while": true, "try": true, "with": true, "def": true, "class": true,
	"async": true, "match": true, "case": true, "elif": true, "else": true, "except": true, "finally": true,
}

// withoutDocstrings returns ranges less the lines of the statements of
// strings alone (docstrings) in them that a parse can do without, and how
// many bytes those are. A string statement is left out with its whole
// line when it is indented (a module's own are statements of their own),
// nothing but blanks follows it on its line, no wanted pattern matches
// in it (matchedAt, sorted), and the next line of code is in the same
// range at the same indentation: its block keeps a statement, so the
// tree has no hole, and no rule that word sets trigger reads such a
// string (see softSpans). spans are softSpans', comments among them.
func withoutDocstrings(src []byte, ranges, spans [][2]int, matchedAt []int) ([][2]int, int) {
	var cuts [][2]int
	r, m := 0, 0
	for _, sp := range spans {
		j, k := sp[0], sp[1]
		if src[j] == '#' {
			continue // a comment
		}
		for r < len(ranges) && ranges[r][1] <= j {
			r++
		}
		if r == len(ranges) {
			break
		}
		end := ranges[r][1]
		ls := bytes.LastIndexByte(src[:j], '\n') + 1
		if ls < ranges[r][0] || ls == j || !indentOnly(src[ls:j]) {
			continue
		}
		if n := len(cuts); n > 0 && cuts[n-1][1] > ls {
			continue
		}
		le := k
		for le < len(src) && (src[le] == ' ' || src[le] == '\t' || src[le] == '\f') {
			le++
		}
		switch {
		case le < len(src) && src[le] == '\n':
			le++
		case le+1 < len(src) && src[le] == '\r' && src[le+1] == '\n':
			le += 2
		default:
			continue // a comment or a continued line after it
		}
		if le > end {
			continue
		}
		for m < len(matchedAt) && matchedAt[m] < j {
			m++
		}
		if m < len(matchedAt) && matchedAt[m] < k {
			continue
		}
		next, w := nextCodeLine(src, le, end), j-ls
		if next < 0 || next+w >= len(src) || !bytes.Equal(src[next:next+w], src[ls:j]) || indentOnly(src[next+w:next+w+1]) {
			continue
		}
		cuts = append(cuts, [2]int{ls, le})
	}
	if len(cuts) == 0 {
		return ranges, 0
	}
	out := make([][2]int, 0, len(ranges)+len(cuts))
	carved, c := 0, 0
	for _, rg := range ranges {
		at := rg[0]
		for c < len(cuts) && cuts[c][0] < rg[1] {
			if cuts[c][0] > at {
				out = append(out, [2]int{at, cuts[c][0]})
			}
			at = cuts[c][1]
			carved += cuts[c][1] - cuts[c][0]
			c++
		}
		if at < rg[1] {
			out = append(out, [2]int{at, rg[1]})
		}
	}
	return out, carved
}

// indentOnly reports whether b is blanks alone (spaces, tabs, form feeds).
func indentOnly(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\f' {
			return false
		}
	}
	return true
}

// nextCodeLine returns the start of the first line of src[from:end] (from
// a line start) that holds more than blanks and a comment, or -1.
func nextCodeLine(src []byte, from, end int) int {
	for i := from; i < end; {
		j := i
		for j < end && (src[j] == ' ' || src[j] == '\t' || src[j] == '\f') {
			j++
		}
		if j < end && src[j] != '\n' && src[j] != '\r' && src[j] != '#' {
			return i
		}
		nl := bytes.IndexByte(src[j:end], '\n')
		if nl < 0 {
			return -1
		}
		i = j + nl + 1
	}
	return -1
}

// regionFires reports whether the words of a region and its closure (and
// the word root, unless it is -1) hold a trigger of one of the selected
// word sets,
// or their text one of the wanted patterns. union is scratch space, left
// empty.
func regionFires(rt *ruleTriggers, union *presence, sets setSel, refs, found [][]int32, wanted []bool, closure []int32, root int32, checks *setChecks) bool {
	for _, m := range closure {
		for _, id := range found[m] {
			if wanted[id] {
				return true
			}
		}
	}
	union.ids = union.ids[:0]
	if root >= 0 {
		union.bits[root/64] |= 1 << (root % 64)
		union.ids = append(union.ids, root)
	}
	for i, m := range closure {
		for _, ref := range refs[m] {
			id := ref &^ (memberFlag | heldFlag)
			bit := uint64(1) << (id % 64)
			if union.bits[id/64]&bit == 0 {
				union.bits[id/64] |= bit
				union.ids = append(union.ids, id)
			}
			if ref&heldFlag != 0 {
				union.held[id/64] |= bit
			}
			if ref&memberFlag != 0 {
				union.member[id/64] |= bit
				if i == 0 {
					union.written[id/64] |= bit
				}
			}
		}
	}
	fires := rt.firesAny(sets, union, func(k int) bool { return checks == nil || checks.hold(k, closure) })
	for _, id := range union.ids {
		union.bits[id/64] = 0
		union.member[id/64] = 0
		union.written[id/64] = 0
		union.held[id/64] = 0
	}
	return fires
}

// setChecks applies the lexical tests of the word sets that have one
// (Words.Checking) to a statement and its closure: the set triggers there
// when its test holds of the text of one of them (an import statement's
// piece reads as the whole statement). The tests look for a word and what
// stands next to it (a literal after a call's parenthesis, the module
// path of an import), and what a finding of a statement reads is in the
// statement and its closure, so a test that holds of the file where the
// rule reports in a statement holds of one of those texts. Of the
// statements of the closure the analysis reads the code alone, as it
// reads their words (softSpans): their comments and docstrings are blank
// where the test reads them, so that a method's docstring that names
// `set_tracking_uri` no longer makes every method that reads a member it
// assigns a statement to parse. Each text is tested once per set and
// role.
type setChecks struct {
	rt   *ruleTriggers
	src  []byte
	regs []region
	soft [][2]int
	// memo holds by set, for each region, what the test said of it as
	// the statement (own) and as one of another's closure (code): 0 not
	// tested, 1 holds, 2 does not.
	own, code map[int][]int8
}

func newSetChecks(rt *ruleTriggers, src []byte, regs []region, soft [][2]int) *setChecks {
	for _, ws := range rt.sets {
		if ws.check != nil {
			return &setChecks{rt: rt, src: src, regs: regs, soft: soft, own: map[int][]int8{}, code: map[int][]int8{}}
		}
	}
	return nil
}

// hold reports whether set k has no test or its test holds of one of the
// texts of closure (whose first is the statement itself).
func (c *setChecks) hold(k int, closure []int32) bool {
	check := c.rt.sets[k].check
	if check == nil {
		return true
	}
	for i, m := range closure {
		memos := c.code
		if i == 0 {
			memos = c.own
		}
		memo := memos[k]
		if memo == nil {
			memo = make([]int8, len(c.regs))
			memos[k] = memo
		}
		if memo[m] == 0 {
			start, end := c.regs[m].start, c.regs[m].end
			if c.regs[m].imp {
				start, end = statement(c.regs, int(m))
			}
			text := c.src[start:end]
			if i > 0 {
				text = codeText(c.src, start, end, c.soft)
			}
			memo[m] = 2
			if check(text) {
				memo[m] = 1
			}
		}
		if memo[m] == 1 {
			return true
		}
	}
	return false
}

// codeText returns src[start:end] with the bytes of the spans of soft in
// it blank (line breaks kept); src's own bytes where none is.
func codeText(src []byte, start, end int, soft [][2]int) []byte {
	var out []byte
	blank := func(a, b int) {
		if out == nil {
			out = slices.Clone(src[start:end])
		}
		for p := a; p < b; p++ {
			if c := out[p-start]; c != '\n' && c != '\r' {
				out[p-start] = ' '
			}
		}
	}
	prev := start
	eachCodeRun(start, end, soft, func(a, b int) {
		if a > prev {
			blank(prev, a)
		}
		prev = b
	})
	if prev < end {
		blank(prev, end)
	}
	if out == nil {
		return src[start:end]
	}
	return out
}

// statement returns the bounds of the statement whose piece is regs[m]
// (all its pieces).
func statement(regs []region, m int) (start, end int) {
	first, last := m, m
	for first > 0 && regs[first-1].group == regs[m].group {
		first--
	}
	for last+1 < len(regs) && regs[last+1].group == regs[m].group {
		last++
	}
	return regs[first].start, regs[last].end
}

// containsFold reports whether s holds w, lower-case ASCII letters, in any
// case. It jumps from one occurrence of w's rarest letter (in either case)
// to the next with bytes.IndexByte, which reads a file far faster than a
// comparison at every byte.
func containsFold(s []byte, w string) bool {
	if len(w) == 0 {
		return true
	}
	at := rarestLetter(w)
	lo := w[at]
	up := lo
	if lo >= 'a' && lo <= 'z' {
		up = lo - 'a' + 'A'
	}
	// nextLo and nextUp are the next occurrences of each case at or after
	// i (len(s) for none), found again only once i has passed them.
	nextLo, nextUp := -1, -1
	for i := at; i < len(s); {
		if nextLo < i {
			nextLo = indexFrom(s, i, lo)
		}
		if nextUp < i {
			nextUp = indexFrom(s, i, up)
		}
		k := min(nextLo, nextUp)
		if k >= len(s) {
			return false
		}
		if start := k - at; start+len(w) <= len(s) && foldEqual(s[start:start+len(w)], w) {
			return true
		}
		i = k + 1
	}
	return false
}

// indexFrom returns the offset of the first c in s at or after i, or
// len(s).
func indexFrom(s []byte, i int, c byte) int {
	if j := bytes.IndexByte(s[i:], c); j >= 0 {
		return i + j
	}
	return len(s)
}

// foldEqual reports whether b is the lower-case ASCII word w in any case.
func foldEqual(b []byte, w string) bool {
	for j := range len(w) {
		if b[j]|0x20 != w[j] {
			return false
		}
	}
	return true
}

// rarestLetter returns the index of the byte of w that is least common in
// source code, by a fixed ranking of ASCII letters (others rank first).
func rarestLetter(w string) int {
	const common = "etaoinsrlcdpmuhfgbyvwkxqjz" // most common first, roughly
	best, rank := 0, -1
	for j := range len(w) {
		r := strings.IndexByte(common, w[j])
		if r < 0 {
			return j
		}
		if r > rank {
			best, rank = j, r
		}
	}
	return best
}

// parseRegions parses the ranges of v; when their tree has a syntax
// error, which the split may have caused, it parses v whole.
func parseRegions(ctx context.Context, path string, v *view, ranges [][2]int) (*parser.File, *token.FileSet, *FileError) {
	fset := token.NewFileSet()
	f, err := parser.ParseRanges(ctx, path, v.parse, ranges, fset)
	if err == nil && f.ErrorCount() == 0 {
		v.parsedBytes = 0
		for _, r := range ranges {
			v.parsedBytes += r[1] - r[0]
		}
		return f, fset, nil
	}
	if f != nil {
		f.Close()
	}
	return (*sharedParse)(nil).parse(ctx, path, v)
}

// importBindings returns the names an import statement (the whole of text,
// comments and blank lines after it) binds; ok is false for any other
// statement, or one that binds by a wildcard.
func importBindings(text []byte) (names []string, ok bool) {
	if w, _ := wordAt(text, skipComments(text, 0)); w != "import" && w != "from" {
		return nil, false
	}
	var toks []string
	for i := 0; i < len(text); {
		switch c := text[i]; {
		case c == '#':
			for i < len(text) && text[i] != '\n' {
				i++
			}
		case c == ' ' || c == '\t' || c == '\f' || c == '\r' || c == '\n' || c == '\\':
			i++
		case c == '.' || c == ',' || c == '(' || c == ')':
			toks = append(toks, string(c))
			i++
		case wordByte[c]:
			w, j := wordAt(text, i)
			toks = append(toks, w)
			i = j
		default:
			return nil, false // `*`, `;` or no import at all
		}
	}
	k := 0
	next := func() string {
		if k < len(toks) {
			k++
			return toks[k-1]
		}
		return ""
	}
	// dotted reads a module path and returns its first word.
	dotted := func() string {
		first := next()
		for k < len(toks) && toks[k] == "." {
			k++
			next()
		}
		return first
	}
	isName := func(w string) bool { return w != "" && wordByte[w[0]] && !pyKeyword([]byte(w)) }
	switch next() {
	case "import":
		for {
			first := dotted()
			if !isName(first) {
				return nil, false
			}
			bound := first
			if k < len(toks) && toks[k] == "as" {
				k++
				if bound = next(); !isName(bound) {
					return nil, false
				}
			}
			names = append(names, bound)
			if k == len(toks) {
				return names, true
			}
			if next() != "," {
				return nil, false
			}
		}
	case "from":
		for k < len(toks) && toks[k] == "." {
			k++
		}
		if k < len(toks) && toks[k] != "import" {
			if !isName(dotted()) {
				return nil, false
			}
		}
		if next() != "import" {
			return nil, false
		}
		paren := k < len(toks) && toks[k] == "("
		if paren {
			k++
		}
		for {
			if paren && k < len(toks) && toks[k] == ")" {
				k++
				return names, k == len(toks) && len(names) > 0
			}
			name := next()
			if !isName(name) {
				return nil, false
			}
			if k < len(toks) && toks[k] == "as" {
				k++
				if name = next(); !isName(name) {
					return nil, false
				}
			}
			names = append(names, name)
			switch next() {
			case ",":
			case ")":
				return names, paren && k == len(toks)
			case "":
				if paren {
					return nil, false
				}
				return names, true
			default:
				return nil, false
			}
		}
	}
	return nil, false
}

// simpleBinding returns the name a statement that binds at most one binds:
// a string (a docstring) binds none, `NAME = ...`, `NAME: T = ...` and
// `NAME op= ...` bind NAME. ok is false for any other statement, and for
// one with a walrus, a `;` or a second target (`a = b = ...`).
func simpleBinding(text []byte) (name string, ok bool) {
	annotated := false // the `=` of `NAME: T = value` is to come
	i := skipComments(text, 0)
	if i == len(text) {
		return "", false
	}
	text = text[i:]
	i = 0
	if c := text[0]; c == '"' || c == '\'' {
		i = parser.StringEnd(text, 0)
	} else {
		w, j := wordAt(text, 0)
		if w == "" || pyKeyword([]byte(w)) || w[0] >= '0' && w[0] <= '9' {
			return "", false
		}
		name, i = w, skipBlanks(text, j)
		switch {
		case i < len(text) && text[i] == ':':
			i++ // an annotation, then maybe a value
			annotated = true
		case i+1 < len(text) && text[i] == '=' && text[i+1] != '=':
			i++
		case i+2 < len(text) && text[i+2] == '=' && bytes.IndexByte([]byte("*/@"), text[i]) >= 0 && text[i+1] == text[i]:
			i += 3 // **=, //=
		case i+1 < len(text) && text[i+1] == '=' && bytes.IndexByte([]byte("+-*/%&|^@"), text[i]) >= 0:
			i += 2
		case i+2 < len(text) && text[i+2] == '=' && (text[i] == '<' || text[i] == '>') && text[i+1] == text[i]:
			i += 3 // <<=, >>=
		default:
			return "", false
		}
	}
	// The rest: no other target, walrus or statement.
	depth := 0
	for i < len(text) {
		switch c := text[i]; c {
		case '"', '\'':
			i = parser.StringEnd(text, i)
			continue
		case '#':
			for i < len(text) && text[i] != '\n' {
				i++
			}
			continue
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case ';':
			return "", false
		case ':':
			if i+1 < len(text) && text[i+1] == '=' {
				return "", false
			}
		case '=':
			prev := byte(0)
			if i > 0 {
				prev = text[i-1]
			}
			next := byte(0)
			if i+1 < len(text) {
				next = text[i+1]
			}
			if next == '=' {
				i += 2
				continue
			}
			if depth == 0 && bytes.IndexByte([]byte("=!<>"), prev) < 0 {
				if !annotated {
					return "", false
				}
				annotated = false
			}
		}
		i++
	}
	if name == "" {
		// A string statement: anything but blanks and comments after it
		// (`"a" if x else y`, an attribute call) is no docstring.
		if rest := text[parser.StringEnd(text, 0):]; skipComments(rest, 0) < len(rest) {
			return "", false
		}
	}
	return name, true
}

func seen(n int) []bool { return make([]bool, n) }

// mlflowImports returns the regions that may import mlflow or a module
// under it, those that are import statements of their own first. Unless
// all is set, the others are read only when no import statement of its
// own imports mlflow: the anchor of the file's import needs the first
// alone, and the others (a function, a try) are most of a module's bytes.
func mlflowImports(src []byte, regs []region, g *regionGraph, all bool) []int {
	var stmts, others []int
	for k := range regs {
		if g.isImport[k] && regionImportsMlflow(src, regs, k) {
			stmts = append(stmts, k)
		}
	}
	if len(stmts) > 0 && !all {
		return stmts
	}
	for k := range regs {
		if !g.isImport[k] && regionImportsMlflow(src, regs, k) {
			others = append(others, k)
		}
	}
	return append(stmts, others...)
}

// regionImportsMlflow reports whether region k may import mlflow or a
// module under it: its text, or an import piece's statement's (the first
// piece stands for the statement, the others for nothing).
func regionImportsMlflow(src []byte, regs []region, k int) bool {
	r := regs[k]
	text := src[r.start:r.end]
	if r.imp {
		if !r.head {
			return false
		}
		start, end := statement(regs, k)
		text = src[start:end]
	}
	return importsMlflow(text)
}

// importsMlflow reports whether text holds what may be an import of mlflow
// or a module under it: `from mlflow... import` or `import` followed by a
// list of module paths one of which starts with mlflow.
func importsMlflow(text []byte) bool {
	if !bytes.Contains(text, []byte("mlflow")) {
		return false // what readImports reads as mlflow spells it
	}
	ml, _ := readImports(text)
	return ml
}

// hasWildcardImport reports whether text holds `from ... import *`.
func hasWildcardImport(text []byte) bool {
	_, star := readImports(text)
	return star
}

// readImports reads the import statements text may hold (see
// importsMlflow and hasWildcardImport).
func readImports(text []byte) (ml, star bool) {
	if bytes.Index(text, []byte("import")) < 0 {
		return false, false
	}
	for i := 0; i < len(text); {
		if !wordByte[text[i]] {
			i++
			continue
		}
		j := i + 1
		for j < len(text) && wordByte[text[j]] {
			j++
		}
		switch string(text[i:j]) {
		case "from":
			end, fromMl, fromStar := fromImport(text, j, false)
			ml, star = ml || fromMl, star || fromStar
			if end > 0 {
				j = end // past `import`: the names are no modules
			}
		case "import":
			ml = ml || importsMlflowAt(text, j)
		}
		i = j
	}
	return ml, star
}

// importsMlflowAt reports whether the module paths of the import
// statement whose `import` ends at text[j] include mlflow or a module
// under it.
func importsMlflowAt(text []byte, j int) bool {
	for k := j; ; k++ {
		first, e := wordAt(text, skipBlanks(text, k))
		if first == "mlflow" {
			return true
		}
		if e < 0 {
			return false
		}
		// The rest of the path and an alias, then a comma.
		for k = skipBlanks(text, e); k < len(text) && text[k] == '.'; k = skipBlanks(text, e) {
			if _, e = wordAt(text, skipBlanks(text, k+1)); e < 0 {
				return false
			}
		}
		if a, e := wordAt(text, k); a == "as" {
			if _, e2 := wordAt(text, skipBlanks(text, e)); e2 > 0 {
				k = skipBlanks(text, e2)
			}
		}
		if k >= len(text) || text[k] != ',' {
			return false
		}
	}
}

// skipComments returns the index of the first byte of text[i:] that is no
// blank, line break, continuation or part of a comment.
func skipComments(text []byte, i int) int {
	for ; i < len(text); i++ {
		switch text[i] {
		case ' ', '\t', '\r', '\n', '\f', '\\':
		case '#':
			for i < len(text) && text[i] != '\n' {
				i++
			}
		default:
			return i
		}
	}
	return i
}

// bindingTested reports whether the analyses tell an unbound use of name
// from a bound one: a builtin (`getattr(mlflow, "x")` names an attribute
// unless getattr is the file's own), a pytest fixture whose methods patch
// (monkeypatch, mocker), and `mlflow`, which a Databricks notebook may
// leave unbound.
func bindingTested(name string) bool {
	return pyBuiltins[name] || fixtureRoots[name] || name == "mlflow"
}

// pyBuiltins are the names of Python's builtins module.
var pyBuiltins = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(`ArithmeticError AssertionError AttributeError BaseException
		BaseExceptionGroup BlockingIOError BrokenPipeError BufferError BytesWarning ChildProcessError
		ConnectionAbortedError ConnectionError ConnectionRefusedError ConnectionResetError
		DeprecationWarning EOFError Ellipsis EncodingWarning EnvironmentError Exception ExceptionGroup
		FileExistsError FileNotFoundError FloatingPointError FutureWarning GeneratorExit IOError
		ImportError ImportWarning IndentationError IndexError InterruptedError IsADirectoryError
		KeyError KeyboardInterrupt LookupError MemoryError ModuleNotFoundError NameError
		NotADirectoryError NotImplemented NotImplementedError OSError OverflowError
		PendingDeprecationWarning PermissionError ProcessLookupError RecursionError ReferenceError
		ResourceWarning RuntimeError RuntimeWarning StopAsyncIteration StopIteration SyntaxError
		SyntaxWarning SystemError SystemExit TabError TimeoutError TypeError UnboundLocalError
		UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError UnicodeWarning
		UserWarning ValueError Warning ZeroDivisionError __build_class__ __debug__ __doc__ __import__
		__loader__ __name__ __package__ __spec__ abs aiter all anext any ascii bin bool breakpoint
		bytearray bytes callable chr classmethod compile complex copyright credits delattr dict dir
		divmod enumerate eval exec exit filter float format frozenset getattr globals hasattr hash
		help hex id input int isinstance issubclass iter len license list locals map max memoryview
		min next object oct open ord pow print property quit range repr reversed round set setattr
		slice sorted staticmethod str sum super tuple type vars zip`) {
		m[n] = true
	}
	return m
}()

// fixtureRoots are the first names of fixtureMethods.
var fixtureRoots = func() map[string]bool {
	m := map[string]bool{}
	for k := range fixtureMethods {
		root, _, _ := strings.Cut(k, ".")
		m[root] = true
	}
	return m
}()

// readBeyond returns the regions the readings of the rules that run on a
// file ask for; mlflowImports are the regions that import mlflow.
func readBeyond(src []byte, regs []region, g *regionGraph, rs []Reading, mlflowImports []int) []int {
	var out []int
	mark := make([]bool, len(regs))
	add := func(k int) {
		if !mark[k] {
			mark[k] = true
			out = append(out, k)
		}
	}
	var words, prefixes []string
	imports := false
	for _, r := range rs {
		words = append(words, r.Words...)
		prefixes = append(prefixes, r.Prefixes...)
		imports = imports || r.MlflowImports
	}
	for k, r := range regs {
		text := src[r.start:r.end]
		for _, x := range words {
			if !mark[k] && hasWord(text, x) {
				add(k)
			}
		}
		for _, x := range prefixes {
			if !mark[k] && hasWordPrefix(text, x) {
				add(k)
			}
		}
	}
	if imports {
		for _, k := range mlflowImports {
			add(k)
			text := src[regs[k].start:regs[k].end]
			names := g.imports[k]
			if !g.isImport[k] {
				// Not an import statement alone (a try, a function):
				// any of its words may be a name it binds.
				eachName(text, func(w []byte, _ uint32) { names = append(names, string(w)) })
			}
			for _, n := range names {
				for _, b := range g.bindersOf([]byte(n)) {
					add(int(b))
				}
			}
		}
	}
	return out
}
