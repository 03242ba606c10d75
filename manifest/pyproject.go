package manifest

import (
	"bytes"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// pyproject.toml and Pipfile are read with go-toml's unstable parser, which
// gives every key, string and key/value pair a byte range in the input.
// Parsing stops at the first syntax error; the pairs before it are kept.

// tomlValue is one parsed TOML value with the offsets the fixes need.
type tomlValue struct {
	kind       unstable.Kind
	start, end int // the whole value
	// For strings: the decoded text, and whether the file holds it
	// verbatim (no escapes) at cstart..cend.
	str          string
	verbatim     bool
	cstart, cend int
	items        []tomlValue // array items
	keys         []string    // inline table keys (one dotted key joined by ".")
	keyStarts    []int
	fields       []tomlValue
}

// field returns the inline table field named key.
func (v tomlValue) field(key string) (tomlValue, bool) {
	for i, k := range v.keys {
		if k == key {
			return v.fields[i], true
		}
	}
	return tomlValue{}, false
}

// tomlReader converts the parser's nodes into tomlValues.
type tomlReader struct {
	src []byte
	p   unstable.Parser
}

// tomlWalk calls fn for every key = value pair, with the full dotted path
// of the key (table header segments then key segments) and the offset at
// which the key starts. Pairs inside arrays of tables get the array's path.
func tomlWalk(src []byte, fn func(path []string, keyStart int, v tomlValue)) {
	r := &tomlReader{src: src}
	r.p.Reset(src)
	var table []string
	for r.p.NextExpression() {
		e := r.p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = keyPath(e.Key())
		case unstable.KeyValue:
			path := append(append([]string(nil), table...), keyPath(e.Key())...)
			fn(path, int(e.Raw.Offset), r.keyValue(e))
		}
	}
}

// keyPath returns the decoded parts of a dotted key.
func keyPath(it unstable.Iterator) []string {
	var parts []string
	for it.Next() {
		parts = append(parts, string(it.Node().Data))
	}
	return parts
}

// keyValue reads the value of a key/value node, whose range runs from the
// key to the end of the value.
func (r *tomlReader) keyValue(kv *unstable.Node) tomlValue {
	v := r.value(kv.Value())
	v.end = int(kv.Raw.Offset + kv.Raw.Length)
	if v.kind == unstable.Array || v.kind == unstable.InlineTable {
		v.start = r.openingBracket(int(kv.Raw.Offset), v.end)
	}
	return v
}

func (r *tomlReader) value(n *unstable.Node) tomlValue {
	v := tomlValue{kind: n.Kind, start: int(n.Raw.Offset), end: int(n.Raw.Offset + n.Raw.Length)}
	switch n.Kind {
	case unstable.String:
		r.stringValue(n, &v)
	case unstable.Array:
		// The parser gives arrays no range; items that need one (inline
		// tables) get theirs below.
		it := n.Children()
		for it.Next() {
			c := it.Node()
			if c.Kind == unstable.Comment {
				continue
			}
			v.items = append(v.items, r.value(c))
		}
	case unstable.InlineTable:
		it := n.Children()
		for it.Next() {
			kv := it.Node()
			if kv.Kind != unstable.KeyValue {
				continue
			}
			f := r.keyValue(kv)
			v.keys = append(v.keys, strings.Join(keyPath(kv.Key()), "."))
			v.keyStarts = append(v.keyStarts, int(kv.Raw.Offset))
			v.fields = append(v.fields, f)
			v.end = max(v.end, f.end)
		}
		v.end = r.closingBrace(v.end)
	}
	return v
}

// stringValue fills in the text of a string node. Its range covers the
// delimiters; the content is verbatim when the decoded text equals the
// bytes between them.
func (r *tomlReader) stringValue(n *unstable.Node, v *tomlValue) {
	v.str = string(n.Data)
	raw := r.src[v.start:v.end]
	q := 1
	if len(raw) >= 6 && (bytes.HasPrefix(raw, []byte(`"""`)) || bytes.HasPrefix(raw, []byte(`'''`))) {
		q = 3
	}
	cstart, cend := v.start+q, v.end-q
	if q == 3 {
		// A line break right after the opening delimiter is not content.
		if bytes.HasPrefix(r.src[cstart:cend], []byte("\r\n")) {
			cstart += 2
		} else if bytes.HasPrefix(r.src[cstart:cend], []byte("\n")) {
			cstart++
		}
	}
	if cstart <= cend && bytes.Equal(r.src[cstart:cend], n.Data) {
		v.verbatim, v.cstart, v.cend = true, cstart, cend
	}
}

// openingBracket returns the offset of the "[" or "{" that opens the value
// of the pair at from..to: the first one after the "=", which the parser
// has already checked.
func (r *tomlReader) openingBracket(from, to int) int {
	eq := bytes.IndexByte(r.src[from:to], '=')
	if eq < 0 {
		return from
	}
	i := from + eq + 1
	for i < to && (r.src[i] == ' ' || r.src[i] == '\t') {
		i++
	}
	return i
}

// closingBrace returns the offset just past the "}" that closes an inline
// table whose last field ends at i. Only blanks, a trailing comma and
// comments can come between them in a document the parser accepted.
func (r *tomlReader) closingBrace(i int) int {
	for i < len(r.src) {
		switch r.src[i] {
		case '}':
			return i + 1
		case '#':
			for i < len(r.src) && r.src[i] != '\n' {
				i++
			}
		default:
			i++
		}
	}
	return i
}

// pathIs reports whether path matches pattern, where "*" matches any one
// segment.
func pathIs(path []string, pattern ...string) bool {
	if len(path) != len(pattern) {
		return false
	}
	for i, p := range pattern {
		if p != "*" && p != path[i] {
			return false
		}
	}
	return true
}

// flatten calls fn for v at path and, when v is an inline table, for each
// of its fields at the extended path.
func flatten(path []string, keyStart int, v tomlValue, fn func([]string, int, tomlValue)) {
	fn(path, keyStart, v)
	if v.kind == unstable.InlineTable {
		for i, k := range v.keys {
			p := append(append([]string(nil), path...), strings.Split(k, ".")...)
			flatten(p, v.keyStarts[i], v.fields[i], fn)
		}
	}
}

// addPEP508Strings records each verbatim string of an array as a PEP 508
// requirement.
func (m *Manifest) addPEP508Strings(v tomlValue) {
	if v.kind != unstable.Array {
		return
	}
	for _, it := range v.items {
		if it.kind == unstable.String && it.verbatim {
			if r, ok := parsePEP508(it.str, it.cstart, nil); ok {
				m.add(r, SyntaxPEP440)
			}
		}
	}
}

func parsePyproject(m *Manifest, src []byte) {
	tomlWalk(src, func(path []string, keyStart int, v tomlValue) {
		flatten(path, keyStart, v, func(path []string, keyStart int, v tomlValue) {
			switch {
			case pathIs(path, "project", "dependencies"),
				pathIs(path, "project", "optional-dependencies", "*"),
				pathIs(path, "tool", "pdm", "dev-dependencies", "*"),
				pathIs(path, "dependency-groups", "*"),
				pathIs(path, "tool", "uv", "dev-dependencies"):
				m.addPEP508Strings(v)
			case pathIs(path, "project", "requires-python"):
				if v.kind == unstable.String && v.verbatim {
					m.addPython(v.str, SyntaxPEP440, v.cstart, v.cend)
				}
			case pathIs(path, "tool", "poetry", "dependencies", "*"),
				pathIs(path, "tool", "poetry", "dev-dependencies", "*"),
				pathIs(path, "tool", "poetry", "group", "*", "dependencies", "*"):
				m.addTableDependency(path[len(path)-1], keyStart, v, SyntaxPoetry)
			}
		})
	})
}

// addTableDependency records a `name = "constraint"` or
// `name = {version = "constraint", ...}` dependency (Poetry, Pipfile); an
// array of such tables gives one requirement each.
func (m *Manifest) addTableDependency(key string, keyStart int, v tomlValue, syn Syntax) {
	name := NormalizeName(key)
	if name == "python" && syn == SyntaxPoetry {
		if v.kind == unstable.String && v.verbatim {
			m.addPython(v.str, syn, v.cstart, v.cend)
		}
		return
	}
	switch v.kind {
	case unstable.Array:
		for _, it := range v.items {
			if it.kind == unstable.InlineTable {
				m.addTableDependency(key, it.start, it, syn)
			}
		}
		return
	case unstable.String, unstable.InlineTable:
	default:
		return
	}
	r := Requirement{Name: name, Start: keyStart, End: v.end}
	spec := v
	if v.kind == unstable.InlineTable {
		if ex, ok := v.field("extras"); ok && ex.kind == unstable.Array {
			for _, e := range ex.items {
				if e.kind == unstable.String {
					r.Extras = append(r.Extras, NormalizeName(e.str))
				}
			}
		}
		if mk, ok := v.field("markers"); ok && mk.kind == unstable.String {
			r.Marker = mk.str
		}
		ver, ok := v.field("version")
		if !ok {
			// A git, path or url dependency: no version constraint.
			r.SpecStart, r.SpecEnd = v.start, v.start
			m.add(r, syn)
			return
		}
		spec = ver
	}
	if spec.kind != unstable.String || !spec.verbatim {
		return
	}
	r.Specifier = spec.str
	r.SpecStart, r.SpecEnd = spec.cstart, spec.cend
	m.add(r, syn)
}

func parsePipfile(m *Manifest, src []byte) {
	tomlWalk(src, func(path []string, keyStart int, v tomlValue) {
		if len(path) != 2 {
			return
		}
		switch path[0] {
		case "requires":
			if (path[1] == "python_version" || path[1] == "python_full_version") && v.kind == unstable.String && v.verbatim {
				m.addPython(v.str, SyntaxPythonVersion, v.cstart, v.cend)
			}
		case "source", "pipenv", "scripts":
		default:
			// [packages], [dev-packages] and custom package categories.
			m.addTableDependency(path[1], keyStart, v, SyntaxPipfile)
		}
	})
}
