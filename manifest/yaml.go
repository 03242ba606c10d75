package manifest

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// YAML files (conda environments, GitHub workflows, docker-compose files)
// are parsed with go.yaml.in/yaml/v3. Its nodes carry a line and a column
// counted in characters; yamlDoc turns them into byte offsets and maps each
// byte of a scalar's value back to the file, checking the mapping against
// the value the parser decoded. A value the mapping cannot reproduce (an
// escape, an unusual folding) is not used, so offsets are never guessed.

type yamlDoc struct {
	src   []byte
	lines []int // offsets at which lines start, with YAML's line breaks
	roots []*yaml.Node
}

// parseYAML parses every document of src; reading stops at the first
// syntax error, keeping the documents before it.
func parseYAML(src []byte) *yamlDoc {
	d := &yamlDoc{src: src, lines: yamlLineStarts(src)}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			return d // io.EOF after the last document, or a syntax error
		}
		if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
			d.roots = append(d.roots, n.Content[0])
		}
	}
}

// yamlLineStarts returns where lines start; YAML breaks lines at LF, CR,
// CRLF, NEL, LS and PS, and counts columns from there.
func yamlLineStarts(src []byte) []int {
	starts := []int{0}
	for i := 0; i < len(src); i++ {
		switch {
		case src[i] == '\r' && i+1 < len(src) && src[i+1] == '\n':
			i++
			starts = append(starts, i+1)
		case src[i] == '\r' || src[i] == '\n':
			starts = append(starts, i+1)
		case src[i] == 0xC2 && i+1 < len(src) && src[i+1] == 0x85:
			i++
			starts = append(starts, i+1)
		case src[i] == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9):
			i += 2
			starts = append(starts, i+1)
		}
	}
	return starts
}

// offset returns the byte offset of a node's 1-based line and column, or
// -1 when they lie outside the file.
func (d *yamlDoc) offset(n *yaml.Node) int {
	if n.Line < 1 || n.Line > len(d.lines) || n.Column < 1 {
		return -1
	}
	off := d.lines[n.Line-1]
	for range n.Column - 1 {
		if off >= len(d.src) {
			return -1
		}
		_, size := utf8.DecodeRune(d.src[off:])
		off += size
	}
	return off
}

// yamlGet returns the value of key in mapping n, or nil.
func yamlGet(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// yamlValues returns the values of mapping n in order.
func yamlValues(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	var out []*yaml.Node
	for i := 1; i < len(n.Content); i += 2 {
		out = append(out, n.Content[i])
	}
	return out
}

func isBreak(c byte) bool { return c == '\n' || c == '\r' }

// scalar returns the value of scalar n with the file offset of each of its
// bytes (trailing line breaks of block scalars left out), or false when
// the value is not made of the file's bytes.
func (d *yamlDoc) scalar(n *yaml.Node) (shellSource, bool) {
	if n == nil || n.Kind != yaml.ScalarNode {
		return shellSource{}, false
	}
	off := d.offset(n)
	if off < 0 || off >= len(d.src) {
		return shellSource{}, false
	}
	var m spanMap
	ok := false
	switch n.Style &^ yaml.TaggedStyle {
	case 0:
		m, ok = d.alignFlow(n.Value, off, 0)
	case yaml.SingleQuotedStyle, yaml.DoubleQuotedStyle:
		m, ok = d.alignFlow(n.Value, off+1, d.src[off])
	case yaml.LiteralStyle, yaml.FoldedStyle:
		var text string
		text, m, ok = d.block(off)
		ok = ok && text == strings.TrimRight(n.Value, "\n")
	}
	if !ok {
		return shellSource{}, false
	}
	value := strings.TrimRight(n.Value, "\n")
	return shellSource{value, m[:len(value)]}, true
}

// alignFlow maps value, a plain or quoted scalar starting at j, onto the
// file: bytes match one for one, and a line break with the blanks around
// it folds into a space (or into one "\n" per empty line that follows).
// Quoted scalars must end with their quote; escapes do not align.
func (d *yamlDoc) alignFlow(value string, j int, quote byte) (spanMap, bool) {
	src := d.src
	m := make(spanMap, 0, len(value))
	for i := 0; i < len(value); {
		if j < len(src) && src[j] == value[i] && !isBreak(src[j]) && (quote == 0 || src[j] != quote) && src[j] != '\\' {
			m = append(m, j)
			i, j = i+1, j+1
			continue
		}
		// A fold: blanks, a line break, blanks, and maybe empty lines.
		k := j
		for k < len(src) && (src[k] == ' ' || src[k] == '\t') {
			k++
		}
		if k >= len(src) || !isBreak(src[k]) {
			return nil, false
		}
		at := k
		empty := 0
		for k < len(src) && isBreak(src[k]) {
			if src[k] == '\r' && k+1 < len(src) && src[k+1] == '\n' {
				k++
			}
			k++
			for k < len(src) && (src[k] == ' ' || src[k] == '\t') {
				k++
			}
			if k < len(src) && isBreak(src[k]) {
				empty++
			}
		}
		if empty == 0 {
			if value[i] != ' ' {
				return nil, false
			}
			m = append(m, at)
			i++
		}
		for ; empty > 0; empty-- {
			if i >= len(value) || value[i] != '\n' {
				return nil, false
			}
			m = append(m, at)
			i++
		}
		j = k
	}
	if quote != 0 && (j >= len(src) || src[j] != quote) {
		return nil, false
	}
	return m, true
}

// block reads the literal (|) or folded (>) block scalar whose indicator
// is at off: its lines, indentation removed, with the offset of each byte.
// Explicit indentation indicators and folded scalars with more-indented
// lines are not read.
func (d *yamlDoc) block(off int) (string, spanMap, bool) {
	src := d.src
	folded := src[off] == '>'
	i := off + 1
	for i < len(src) && (src[i] == '-' || src[i] == '+') {
		i++
	}
	if i < len(src) && src[i] >= '1' && src[i] <= '9' {
		return "", nil, false
	}
	for i < len(src) && !isBreak(src[i]) {
		i++ // blanks and a comment after the indicator
	}
	type line struct {
		start, end int // the content, indentation removed
		brk        int // where its line break starts
	}
	var lines []line
	indent := -1
	for i < len(src) {
		if src[i] == '\r' && i+1 < len(src) && src[i+1] == '\n' {
			i++
		}
		i++ // the line break
		ls := i
		for i < len(src) && !isBreak(src[i]) {
			i++
		}
		sp := ls
		for sp < i && src[sp] == ' ' {
			sp++
		}
		if strings.TrimSpace(string(src[ls:i])) == "" {
			lines = append(lines, line{start: i, end: i, brk: i}) // empty
			continue
		}
		if indent < 0 {
			indent = sp - ls
		}
		if sp-ls < indent || indent == 0 {
			break
		}
		if folded && (sp-ls > indent || src[sp] == '\t') {
			return "", nil, false // more indented: folding keeps its breaks
		}
		lines = append(lines, line{start: ls + indent, end: i, brk: i})
	}
	for len(lines) > 0 && lines[len(lines)-1].start == lines[len(lines)-1].end {
		lines = lines[:len(lines)-1] // trailing empty lines: chomping
	}
	var b []byte
	var m spanMap
	for k, l := range lines {
		if k > 0 {
			prev := lines[k-1]
			empty, prevEmpty := l.start == l.end, prev.start == prev.end
			switch {
			case !folded, empty:
				b, m = append(b, '\n'), append(m, prev.brk)
			case !prevEmpty:
				b, m = append(b, ' '), append(m, prev.brk)
			}
		}
		for p := l.start; p < l.end; p++ {
			b, m = append(b, src[p]), append(m, p)
		}
	}
	return string(b), m, indent > 0
}

// parseWorkflow reads the shell of each step's run: in a GitHub workflow.
func parseWorkflow(m *Manifest, src []byte) {
	d := parseYAML(src)
	for _, root := range d.roots {
		for _, job := range yamlValues(yamlGet(root, "jobs")) {
			steps := yamlGet(job, "steps")
			if steps == nil || steps.Kind != yaml.SequenceNode {
				continue
			}
			for _, step := range steps.Content {
				if s, ok := d.scalar(yamlGet(step, "run")); ok {
					m.parseShellSource(s, 0)
				}
			}
		}
	}
}

// parseCompose reads the command: and entrypoint: of each docker-compose
// service: a string is split as shell words (and "sh -c" strings read as
// shell), a list is the command's words.
func parseCompose(m *Manifest, src []byte) {
	d := parseYAML(src)
	for _, root := range d.roots {
		for _, svc := range yamlValues(yamlGet(root, "services")) {
			for _, key := range []string{"entrypoint", "command"} {
				v := yamlGet(svc, key)
				switch {
				case v == nil:
				case v.Kind == yaml.ScalarNode:
					if s, ok := d.scalar(v); ok {
						m.parseShellSource(s, 0)
					}
				case v.Kind == yaml.SequenceNode:
					m.argvCommand(d, v.Content)
				}
			}
		}
	}
}

// argvCommand records a command given as a list of words (exec form): the
// words are joined into one source so that each keeps its offsets; words
// whose value is not the file's bytes are kept for matching but not for
// fixing.
func (m *Manifest) argvCommand(d *yamlDoc, items []*yaml.Node) {
	var s shellSource
	words := make([]shWord, 0, len(items))
	for _, it := range items {
		if it.Kind != yaml.ScalarNode {
			return
		}
		w := shWord{text: it.Value, cstart: len(s.text)}
		if v, ok := d.scalar(it); ok && v.text == it.Value {
			s.text += v.text
			s.m = append(s.m, v.m...)
			w.verbatim = true
		} else {
			s.text += strings.Repeat(" ", len(it.Value))
			for range it.Value {
				s.m = append(s.m, -1)
			}
		}
		w.cend = len(s.text)
		words = append(words, w)
		s.text += " "
		s.m = append(s.m, -1)
	}
	if len(words) > 0 {
		m.shellCommand(s, words, 0)
	}
}

// YAMLFile is a parsed YAML file for readers outside this package (the
// gateway config rule): its documents' root nodes and the byte offsets of
// its scalars.
type YAMLFile struct{ d *yamlDoc }

// ParseYAMLFile parses every document of src; a syntax error ends the
// reading, keeping the documents before it.
func ParseYAMLFile(src []byte) YAMLFile { return YAMLFile{parseYAML(src)} }

// Roots returns the root node of each document.
func (f YAMLFile) Roots() []*yaml.Node { return f.d.roots }

// Span returns the byte offsets of scalar n's value when the value stands
// unchanged on one line of the file (quotes excluded).
func (f YAMLFile) Span(n *yaml.Node) (start, end int, ok bool) {
	text, start, ok := f.d.line(n)
	return start, start + len(text), ok
}
