package manifest

import (
	"strings"
)

// pyToken is a token of the small Python scanner used for setup.py: it
// knows names, string literals, comments and single punctuation bytes,
// which is all that finding string literals in setup(...) keywords needs.
type pyToken struct {
	kind         byte // 'n' name, 's' string, 'p' punctuation
	text         string
	start        int
	cstart, cend int  // string content
	verbatim     bool // content is the literal's value byte for byte
}

func pyTokens(src []byte) []pyToken {
	var toks []pyToken
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case isSpace(c) || c == '\\':
			i++
		case isAlnum(c) || c == '_' || c >= 0x80:
			start := i
			for i < len(src) && (isAlnum(src[i]) || src[i] == '_' || src[i] >= 0x80) {
				i++
			}
			word := string(src[start:i])
			if i < len(src) && (src[i] == '"' || src[i] == '\'') && len(word) <= 2 && strings.Trim(strings.ToLower(word), "rbuf") == "" {
				t, next := pyString(src, i, strings.ToLower(word))
				t.start = start
				toks = append(toks, t)
				i = next
				continue
			}
			toks = append(toks, pyToken{kind: 'n', text: word, start: start})
		case c == '"' || c == '\'':
			t, next := pyString(src, i, "")
			toks = append(toks, t)
			i = next
		default:
			toks = append(toks, pyToken{kind: 'p', text: string(c), start: i})
			i++
		}
	}
	return toks
}

// pyString reads the string literal whose quote is at i.
func pyString(src []byte, i int, prefix string) (pyToken, int) {
	q := src[i]
	n := 1
	if i+2 < len(src) && src[i+1] == q && src[i+2] == q {
		n = 3
	}
	t := pyToken{kind: 's', start: i, cstart: i + n}
	raw := strings.Contains(prefix, "r")
	escapes := strings.Contains(prefix, "f") || strings.Contains(prefix, "b")
	j := i + n
	for j < len(src) {
		c := src[j]
		if c == '\\' {
			if !raw {
				escapes = true
			}
			j += 2
			continue
		}
		if c == '\n' && n == 1 {
			break
		}
		if c == q && (n == 1 || j+2 < len(src) && src[j+1] == q && src[j+2] == q) {
			t.cend = j
			t.text = string(src[t.cstart:t.cend])
			t.verbatim = !escapes
			return t, j + n
		}
		j++
	}
	// Unterminated: treat the rest of the line as an unusable literal.
	t.cend = min(j, len(src))
	t.text = string(src[t.cstart:t.cend])
	return t, min(j+1, len(src))
}

func parseSetupPy(m *Manifest, src []byte) {
	toks := pyTokens(src)
	for i := 0; i+2 < len(toks); i++ {
		t := toks[i]
		if (t.kind != 'n' && t.kind != 's') || toks[i+1].kind != 'p' || (toks[i+1].text != "=" && toks[i+1].text != ":") {
			continue
		}
		// "install_requires=" but not "install_requires==".
		if toks[i+2].kind == 'p' && toks[i+2].text == "=" {
			continue
		}
		switch t.text {
		case "install_requires":
			for _, s := range listStrings(toks, resolveName(toks, i+2), false) {
				m.addPEP508Token(s)
			}
		case "extras_require":
			for _, s := range listStrings(toks, resolveName(toks, i+2), true) {
				m.addPEP508Token(s)
			}
		case "python_requires":
			if s := toks[i+2]; s.kind == 's' && s.verbatim {
				m.addPython(s.text, SyntaxPEP440, s.cstart, s.cend)
			}
		}
	}
}

// resolveName follows `install_requires=REQUIREMENTS` to the list assigned
// to REQUIREMENTS in the same file; otherwise it returns j.
func resolveName(toks []pyToken, j int) int {
	if toks[j].kind != 'n' {
		return j
	}
	for k := 0; k+2 < len(toks); k++ {
		if k != j && toks[k].kind == 'n' && toks[k].text == toks[j].text &&
			toks[k+1].text == "=" && toks[k+1].kind == 'p' && (toks[k+2].text == "[" || toks[k+2].text == "(") {
			return k + 2
		}
	}
	return j
}

// listStrings returns the string literals inside the bracketed expression
// starting at toks[j]. With inList, only literals directly inside a list
// or tuple count (the values of an extras_require dict, not its keys).
func listStrings(toks []pyToken, j int, inList bool) []pyToken {
	if j >= len(toks) || toks[j].kind != 'p' || !strings.Contains("[({", toks[j].text) {
		return nil
	}
	var out []pyToken
	var stack []string
	for k := j; k < len(toks); k++ {
		t := toks[k]
		if t.kind == 'p' {
			switch t.text {
			case "[", "(", "{":
				stack = append(stack, t.text)
			case "]", ")", "}":
				stack = stack[:len(stack)-1]
				if len(stack) == 0 {
					return out
				}
			}
			continue
		}
		if t.kind == 's' && t.verbatim && (!inList || stack[len(stack)-1] != "{") {
			out = append(out, t)
		}
	}
	return out
}

func (m *Manifest) addPEP508Token(t pyToken) {
	if r, ok := parsePEP508(t.text, t.cstart, nil); ok {
		m.add(r, SyntaxPEP440)
	}
}

// parseSetupCfg reads [options] install_requires and python_requires and
// the [options.extras_require] lists; every value line is one requirement.
func parseSetupCfg(m *Manifest, src []byte) {
	section, key := "", ""
	for lineOff, line := range physicalLines(src) {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || trimmed[0] == '#' || trimmed[0] == ';' {
			continue
		}
		if line[0] == '[' {
			section = strings.ToLower(strings.TrimSpace(strings.Trim(trimmed, "[]")))
			key = ""
			continue
		}
		value, valueOff := line, lineOff
		if !isSpace(line[0]) {
			// A new "key = value" line.
			eq := strings.IndexAny(line, "=:")
			if eq < 0 {
				key = ""
				continue
			}
			key = strings.ToLower(strings.TrimSpace(line[:eq]))
			value, valueOff = line[eq+1:], lineOff+eq+1
		}
		if section == "options" && key == "python_requires" {
			lo, hi := trimSpan(value, 0, len(value))
			if lo < hi {
				m.addPython(value[lo:hi], SyntaxPEP440, valueOff+lo, valueOff+hi)
			}
			continue
		}
		if section == "options" && key == "install_requires" || section == "options.extras_require" && key != "" {
			if r, ok := parsePEP508(stripComment(value), valueOff, nil); ok {
				m.add(r, SyntaxPEP440)
			}
		}
	}
}
