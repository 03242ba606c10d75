package manifest

import (
	"strings"
)

// The TOML reader below knows just enough of TOML to find dependency
// strings with their exact byte offsets: tables, dotted and quoted keys,
// the four string forms, arrays and inline tables. Anything it cannot
// read is skipped to the end of the line.

type tomlKind byte

const (
	tomlString tomlKind = iota + 1
	tomlArray
	tomlTable
	tomlOther
)

type tomlValue struct {
	kind       tomlKind
	start, end int // the whole value
	// For strings: the text between the quotes, and whether it holds no
	// escapes (so that its bytes are the file's bytes at cstart..cend).
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

type tomlScanner struct {
	src []byte
	pos int
}

const tomlMaxDepth = 64

// tomlWalk calls fn for every key = value pair, with the full dotted path
// of the key (table header segments then key segments). Pairs inside
// arrays of tables get the array's path.
func tomlWalk(src []byte, fn func(path []string, keyStart int, v tomlValue)) {
	s := &tomlScanner{src: src}
	var table []string
	for s.pos < len(src) {
		s.skipBlank(true)
		if s.pos >= len(src) {
			return
		}
		lineStart := s.pos
		if src[s.pos] == '[' {
			s.pos++
			if s.pos < len(src) && src[s.pos] == '[' {
				s.pos++
			}
			keys, ok := s.key()
			if !ok {
				s.skipLine()
				continue
			}
			table = keys
			s.skipLine()
			continue
		}
		keys, ok := s.key()
		if !ok {
			s.skipLine()
			continue
		}
		s.skipSpaces()
		if s.pos >= len(src) || src[s.pos] != '=' {
			s.skipLine()
			continue
		}
		s.pos++
		s.skipSpaces()
		v, ok := s.value(0)
		if !ok {
			s.skipLine()
			continue
		}
		path := append(append([]string(nil), table...), keys...)
		fn(path, lineStart, v)
		s.skipLine()
	}
}

func (s *tomlScanner) skipSpaces() {
	for s.pos < len(s.src) && (s.src[s.pos] == ' ' || s.src[s.pos] == '\t') {
		s.pos++
	}
}

// skipBlank skips spaces, comments and (when newlines is set) line breaks.
func (s *tomlScanner) skipBlank(newlines bool) {
	for s.pos < len(s.src) {
		switch c := s.src[s.pos]; {
		case c == ' ' || c == '\t' || c == '\r':
			s.pos++
		case c == '\n' && newlines:
			s.pos++
		case c == '#':
			for s.pos < len(s.src) && s.src[s.pos] != '\n' {
				s.pos++
			}
		default:
			return
		}
	}
}

func (s *tomlScanner) skipLine() {
	for s.pos < len(s.src) && s.src[s.pos] != '\n' {
		s.pos++
	}
}

// key reads a dotted key ("a", "a.b", `"a b".c`).
func (s *tomlScanner) key() ([]string, bool) {
	var keys []string
	for {
		s.skipSpaces()
		if s.pos >= len(s.src) {
			return nil, false
		}
		switch c := s.src[s.pos]; {
		case c == '"' || c == '\'':
			v, ok := s.value(tomlMaxDepth)
			if !ok || v.kind != tomlString {
				return nil, false
			}
			keys = append(keys, v.str)
		case isAlnum(c) || c == '_' || c == '-':
			start := s.pos
			for s.pos < len(s.src) && (isAlnum(s.src[s.pos]) || s.src[s.pos] == '_' || s.src[s.pos] == '-') {
				s.pos++
			}
			keys = append(keys, string(s.src[start:s.pos]))
		default:
			return nil, false
		}
		s.skipSpaces()
		if s.pos < len(s.src) && s.src[s.pos] == '.' {
			s.pos++
			continue
		}
		return keys, true
	}
}

func (s *tomlScanner) value(depth int) (tomlValue, bool) {
	if s.pos >= len(s.src) || depth > tomlMaxDepth {
		return tomlValue{}, false
	}
	start := s.pos
	switch c := s.src[s.pos]; c {
	case '"', '\'':
		return s.str()
	case '[':
		s.pos++
		v := tomlValue{kind: tomlArray, start: start}
		for {
			s.skipBlank(true)
			if s.pos >= len(s.src) {
				return tomlValue{}, false
			}
			if s.src[s.pos] == ']' {
				s.pos++
				v.end = s.pos
				return v, true
			}
			item, ok := s.value(depth + 1)
			if !ok {
				return tomlValue{}, false
			}
			v.items = append(v.items, item)
			s.skipBlank(true)
			if s.pos < len(s.src) && s.src[s.pos] == ',' {
				s.pos++
			}
		}
	case '{':
		s.pos++
		v := tomlValue{kind: tomlTable, start: start}
		for {
			s.skipBlank(true)
			if s.pos >= len(s.src) {
				return tomlValue{}, false
			}
			if s.src[s.pos] == '}' {
				s.pos++
				v.end = s.pos
				return v, true
			}
			keyStart := s.pos
			keys, ok := s.key()
			if !ok {
				return tomlValue{}, false
			}
			s.skipSpaces()
			if s.pos >= len(s.src) || s.src[s.pos] != '=' {
				return tomlValue{}, false
			}
			s.pos++
			s.skipSpaces()
			f, ok := s.value(depth + 1)
			if !ok {
				return tomlValue{}, false
			}
			v.keys = append(v.keys, strings.Join(keys, "."))
			v.keyStarts = append(v.keyStarts, keyStart)
			v.fields = append(v.fields, f)
			s.skipBlank(true)
			if s.pos < len(s.src) && s.src[s.pos] == ',' {
				s.pos++
			}
		}
	}
	// Numbers, booleans, dates: up to a delimiter.
	for s.pos < len(s.src) && !strings.ContainsRune(",]}\n#", rune(s.src[s.pos])) {
		s.pos++
	}
	end := s.pos
	for end > start && isSpace(s.src[end-1]) {
		end--
	}
	if end == start {
		return tomlValue{}, false
	}
	return tomlValue{kind: tomlOther, start: start, end: end}, true
}

// str reads the four TOML string forms.
func (s *tomlScanner) str() (tomlValue, bool) {
	start := s.pos
	q := s.src[s.pos]
	multi := s.pos+2 < len(s.src) && s.src[s.pos+1] == q && s.src[s.pos+2] == q
	delim := string(q)
	if multi {
		delim = strings.Repeat(string(q), 3)
	}
	s.pos += len(delim)
	cstart := s.pos
	if multi {
		// A newline right after the opening delimiter is not content.
		if s.pos < len(s.src) && s.src[s.pos] == '\n' {
			s.pos++
			cstart = s.pos
		} else if s.pos+1 < len(s.src) && s.src[s.pos] == '\r' && s.src[s.pos+1] == '\n' {
			s.pos += 2
			cstart = s.pos
		}
	}
	escapes := false
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		if c == '\n' && !multi {
			return tomlValue{}, false
		}
		if c == '\\' && q == '"' {
			escapes = true
			s.pos += 2
			continue
		}
		if strings.HasPrefix(string(s.src[s.pos:min(len(s.src), s.pos+len(delim))]), delim) {
			cend := s.pos
			s.pos += len(delim)
			// A closing """ may be followed by up to two more quotes that
			// belong to the content.
			for extra := 0; multi && extra < 2 && s.pos < len(s.src) && s.src[s.pos] == q; extra++ {
				s.pos++
				cend++
			}
			v := tomlValue{kind: tomlString, start: start, end: s.pos, cstart: cstart, cend: cend, verbatim: !escapes}
			v.str = string(s.src[cstart:cend])
			if escapes {
				v.str = unescapeBasic(v.str)
			}
			return v, true
		}
		s.pos++
	}
	return tomlValue{}, false
}

// unescapeBasic decodes the common escapes of a TOML basic string; it is
// used only for names and values whose offsets are not needed.
func unescapeBasic(s string) string {
	r := strings.NewReplacer(`\"`, `"`, `\\`, `\`, `\n`, "\n", `\t`, "\t", `\r`, "\r")
	return r.Replace(s)
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
	if v.kind == tomlTable {
		for i, k := range v.keys {
			p := append(append([]string(nil), path...), strings.Split(k, ".")...)
			flatten(p, v.keyStarts[i], v.fields[i], fn)
		}
	}
}

// addPEP508Strings records each verbatim string of an array as a PEP 508
// requirement.
func (m *Manifest) addPEP508Strings(v tomlValue) {
	if v.kind != tomlArray {
		return
	}
	for _, it := range v.items {
		if it.kind == tomlString && it.verbatim {
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
				if v.kind == tomlString && v.verbatim {
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
		if v.kind == tomlString && v.verbatim {
			m.addPython(v.str, syn, v.cstart, v.cend)
		}
		return
	}
	switch v.kind {
	case tomlArray:
		for _, it := range v.items {
			if it.kind == tomlTable {
				m.addTableDependency(key, it.start, it, syn)
			}
		}
		return
	case tomlOther:
		return
	}
	r := Requirement{Name: name, Start: keyStart, End: v.end}
	spec := v
	if v.kind == tomlTable {
		if ex, ok := v.field("extras"); ok && ex.kind == tomlArray {
			for _, e := range ex.items {
				if e.kind == tomlString {
					r.Extras = append(r.Extras, NormalizeName(e.str))
				}
			}
		}
		if mk, ok := v.field("markers"); ok && mk.kind == tomlString {
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
	if spec.kind != tomlString || !spec.verbatim {
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
			if (path[1] == "python_version" || path[1] == "python_full_version") && v.kind == tomlString && v.verbatim {
				m.addPython(v.str, SyntaxPythonVersion, v.cstart, v.cend)
			}
		case "source", "pipenv", "scripts":
		default:
			// [packages], [dev-packages] and custom package categories.
			m.addTableDependency(path[1], keyStart, v, SyntaxPipfile)
		}
	})
}
