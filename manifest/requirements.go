package manifest

import (
	"iter"
	"strings"
)

// physicalLines yields the offset and text (without the newline) of each
// line of src.
func physicalLines(src []byte) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		for off := 0; off < len(src); {
			end := off
			for end < len(src) && src[end] != '\n' {
				end++
			}
			if !yield(off, string(src[off:end])) {
				return
			}
			off = end + 1
		}
	}
}

// logical is one logical line: physical lines joined at a trailing
// backslash, with a map from its bytes back to file offsets.
type logical struct {
	text string
	m    spanMap
}

// logicalLines joins backslash-continued lines of src. When dockerComments
// is set, comment lines inside a continued instruction are dropped, as
// Docker does.
func logicalLines(src []byte, dockerComments bool) []logical {
	var out []logical
	var b []byte
	var m spanMap
	cont := false
	for off := 0; off < len(src); {
		end := off
		for end < len(src) && src[end] != '\n' {
			end++
		}
		next := end + 1
		lineEnd := end
		if lineEnd > off && src[lineEnd-1] == '\r' {
			lineEnd--
		}
		line := src[off:lineEnd]
		if cont && dockerComments && strings.HasPrefix(strings.TrimLeft(string(line), " \t"), "#") {
			off = next
			continue
		}
		more := len(line) > 0 && line[len(line)-1] == '\\'
		if more {
			lineEnd--
		}
		for i := off; i < lineEnd; i++ {
			b = append(b, src[i])
			m = append(m, i)
		}
		if more && next <= len(src) {
			cont = true
			off = next
			continue
		}
		if len(b) > 0 {
			out = append(out, logical{string(b), m})
		}
		b, m, cont = nil, nil, false
		off = next
	}
	if len(b) > 0 {
		out = append(out, logical{string(b), m})
	}
	return out
}

// stripComment removes a "#" comment that starts the text or follows
// whitespace (so URL fragments like "#egg=" stay).
func stripComment(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '#' && (i == 0 || isSpace(s[i-1])) {
			return s[:i]
		}
	}
	return s
}

// includeOption recognises -r/-c style options in the words of a line and
// returns the file they name. The second result tells whether the word at
// i was such an option; n is how many words it used.
func includeOption(words []string, i int) (file string, ok bool, n int) {
	w := words[i]
	for _, opt := range []string{"--requirement", "--constraint", "-r", "-c"} {
		switch {
		case w == opt:
			if i+1 < len(words) {
				return words[i+1], true, 2
			}
			return "", true, 1
		case strings.HasPrefix(opt, "--") && strings.HasPrefix(w, opt+"="):
			return w[len(opt)+1:], true, 1
		case !strings.HasPrefix(opt, "--") && strings.HasPrefix(w, opt) && !strings.HasPrefix(w, "--"):
			return strings.TrimPrefix(w[len(opt):], "="), true, 1
		}
	}
	return "", false, 0
}

// parseRequirementsFile reads pip requirements syntax.
func parseRequirementsFile(m *Manifest, src []byte) {
	for _, l := range logicalLines(src, false) {
		text := stripComment(l.text)
		trimmed := strings.TrimSpace(text)
		if trimmed == "" {
			continue
		}
		if strings.HasPrefix(trimmed, "-") {
			words := strings.Fields(trimmed)
			if f, ok, _ := includeOption(words, 0); ok && f != "" {
				m.Includes = append(m.Includes, f)
			}
			continue // -e, --index-url and other options
		}
		// Per-requirement options ("--hash=...") end the requirement.
		hashed := strings.Contains(text, "--hash")
		if i := strings.Index(text, " --"); i >= 0 {
			text = text[:i]
		} else if i := strings.Index(text, "\t--"); i >= 0 {
			text = text[:i]
		}
		if r, ok := parsePEP508(text, 0, l.m); ok {
			r.Hashed = hashed
			m.add(r, SyntaxPEP440)
		}
	}
}

// add records a requirement, filling in its line, source and syntax.
func (m *Manifest) add(r Requirement, syn Syntax) {
	r.Syntax = syn
	r.Source = m.Path
	r.Line = m.lines.line(r.Start)
	m.Requirements = append(m.Requirements, r)
}

// addPython records a Python version constraint.
func (m *Manifest) addPython(spec string, syn Syntax, start, end int) {
	m.Python = append(m.Python, PythonPin{Spec: spec, Syntax: syn, Start: start, End: end, Line: m.lines.line(start)})
}
