package manifest

import (
	"sort"
	"strings"
)

// Requirement is one dependency found in a manifest. Offsets are byte
// offsets into the file; Start..End covers the whole requirement and
// SpecStart..SpecEnd only its version constraint (equal when there is none).
type Requirement struct {
	Name      string // normalized as PEP 503 does: lower case, runs of -_. become -
	Extras    []string
	Specifier string // as written, e.g. "==2.9.2", "<3,>=2.9", "^2.9", "=2.9.2"
	Marker    string // the environment marker after ";", if any
	Syntax    Syntax // the language of Specifier
	Start     int
	End       int
	SpecStart int
	SpecEnd   int
	Line      int // 1-based line of Start
	// Hashed is set for a requirements-file line with --hash options.
	Hashed bool
	Source string // the file the requirement was read from
}

// PythonPin is a constraint on the Python version: requires-python,
// python_requires, Poetry's python, conda's python=3.8, a python image tag.
type PythonPin struct {
	Spec   string
	Syntax Syntax
	Start  int // offsets of Spec in the file
	End    int
	Line   int
}

// Manifest is what Parse found in one file.
type Manifest struct {
	Path         string
	Kind         Kind
	Requirements []Requirement
	Python       []PythonPin
	// Includes are the files named by -r/-c (and --requirement,
	// --constraint), as written, relative to the manifest's directory.
	Includes []string
	// Compiled is set for a requirements file pip-compile or uv wrote.
	Compiled *Compiled

	lines lineTable
}

// NormalizeName applies PEP 503 normalization to a project name.
func NormalizeName(name string) string {
	var b strings.Builder
	sep := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '-' || c == '_' || c == '.' {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('-')
		}
		sep = false
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// lineTable maps byte offsets to 1-based lines.
type lineTable []int // offsets of line starts

func newLineTable(src []byte) lineTable {
	t := lineTable{0}
	for i, c := range src {
		if c == '\n' {
			t = append(t, i+1)
		}
	}
	return t
}

func (t lineTable) line(off int) int {
	return sort.Search(len(t), func(i int) bool { return t[i] > off })
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '-' || c == '_' || c == '.'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// spanMap maps offsets in a derived string (a logical line built from
// continued physical lines) back to file offsets.
type spanMap []int

// at maps a start offset; end maps an exclusive end offset.
func (m spanMap) at(i int) int {
	if m == nil {
		return i
	}
	if i >= len(m) {
		return m[len(m)-1] + 1
	}
	return m[i]
}

func (m spanMap) end(i int) int {
	if m == nil {
		return i
	}
	if i == 0 {
		return m[0]
	}
	return m[i-1] + 1
}

// parsePEP508 reads a PEP 508 requirement from text, which starts at file
// offset base (or is mapped through m when m is not nil). It reports false
// for text that is not a requirement (a URL, a path, prose).
func parsePEP508(text string, base int, m spanMap) (Requirement, bool) {
	var r Requirement
	lo, hi := 0, len(text)
	for lo < hi && isSpace(text[lo]) {
		lo++
	}
	for hi > lo && isSpace(text[hi-1]) {
		hi--
	}
	i := lo
	for i < hi && isNameByte(text[i]) {
		i++
	}
	if i == lo || !isAlnum(text[lo]) || !isAlnum(text[i-1]) {
		return r, false
	}
	r.Name = NormalizeName(text[lo:i])
	j := skipSpaces(text, i, hi)
	if j < hi && text[j] == '[' {
		k := strings.IndexByte(text[j:hi], ']')
		if k < 0 {
			return r, false
		}
		for e := range strings.SplitSeq(text[j+1:j+k], ",") {
			if e = strings.TrimSpace(e); e != "" {
				r.Extras = append(r.Extras, NormalizeName(e))
			}
		}
		i = j + k + 1
		j = skipSpaces(text, i, hi)
	}
	specLo, specHi := i, i
	rest := hi
	if semi := markerStart(text, j, hi); semi >= 0 {
		r.Marker = strings.TrimSpace(text[semi+1 : hi])
		rest = semi
	}
	switch {
	case j < rest && text[j] == '@':
		// name @ url: no version constraint.
	case j < rest && text[j] == '(':
		k := strings.IndexByte(text[j:rest], ')')
		if k < 0 {
			return r, false
		}
		specLo, specHi = trimSpan(text, j+1, j+k)
		if strings.TrimSpace(text[j+k+1:rest]) != "" {
			return r, false
		}
	case j < rest:
		if !strings.ContainsRune("<>=!~", rune(text[j])) {
			return r, false
		}
		specLo, specHi = trimSpan(text, j, rest)
	}
	r.Specifier = text[specLo:specHi]
	if m != nil {
		r.Start, r.End = m.at(lo), m.end(hi)
		r.SpecStart, r.SpecEnd = m.at(specLo), m.end(specHi)
		if specLo == specHi {
			// No constraint: where the name (or its extras) ends, not
			// past a line continuation that may follow it.
			r.SpecStart = m.end(specLo)
			r.SpecEnd = r.SpecStart
		}
	} else {
		r.Start, r.End = base+lo, base+hi
		r.SpecStart, r.SpecEnd = base+specLo, base+specHi
	}
	return r, true
}

func isAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) }

func skipSpaces(s string, i, hi int) int {
	for i < hi && isSpace(s[i]) {
		i++
	}
	return i
}

func trimSpan(s string, lo, hi int) (int, int) {
	for lo < hi && isSpace(s[lo]) {
		lo++
	}
	for hi > lo && isSpace(s[hi-1]) {
		hi--
	}
	return lo, hi
}

// markerStart finds the ";" that starts an environment marker. After a URL
// the ";" must follow whitespace, as PEP 508 requires.
func markerStart(s string, from, hi int) int {
	url := from < hi && s[from] == '@'
	for i := from; i < hi; i++ {
		if s[i] == ';' && (!url || i > 0 && isSpace(s[i-1])) {
			return i
		}
	}
	return -1
}
