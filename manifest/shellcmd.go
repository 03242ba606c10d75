package manifest

import (
	"path"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Shell is parsed with mvdan.cc/sh's parser, which knows quoting,
// redirections, here-documents, pipelines and compound commands and gives
// every word its byte offsets. pip install commands are found among its
// simple commands, including those run through "sh -c '...'".

// shellSource is shell text together with the file offset of each of its
// bytes: the text may be a whole script, a Dockerfile instruction joined
// from continued lines, or a YAML scalar whose indentation was removed.
type shellSource struct {
	text string
	m    spanMap
}

// fileSource is src itself, each byte at its own offset.
func fileSource(src []byte) shellSource {
	m := make(spanMap, len(src))
	for i := range m {
		m[i] = i
	}
	return shellSource{string(src), m}
}

func (s shellSource) sub(lo, hi int) shellSource {
	return shellSource{s.text[lo:hi], s.m[lo:hi]}
}

// shWord is one argument of a simple command.
type shWord struct {
	text string // its value, quotes and escapes removed (expansions kept as written)
	// The value is the source text cstart..cend when verbatim: then a fix
	// can edit the value in place.
	verbatim     bool
	cstart, cend int
}

// maxShellNesting bounds "sh -c" inside "sh -c".
const maxShellNesting = 4

func newShellParser() *syntax.Parser {
	return syntax.NewParser(syntax.Variant(syntax.LangBash))
}

// parseShellSource records the pip install commands of s. Text the parser
// refuses as a whole (another shell's syntax, a fragment) is read one
// logical line at a time, and the lines it refuses too are skipped.
func (m *Manifest) parseShellSource(s shellSource, depth int) {
	p := newShellParser()
	if f, ok := parseShellText(p, s.text); ok {
		m.shellFile(s, f, depth)
		return
	}
	for _, l := range logicalLines([]byte(s.text), false) {
		lm := make(spanMap, len(l.m))
		for i, off := range l.m {
			lm[i] = s.m[off]
		}
		if f, ok := parseShellText(p, l.text); ok {
			m.shellFile(shellSource{l.text, lm}, f, depth)
		}
	}
}

// maxShellGroups bounds the brackets one parse may meet. The parser
// recurses once per nested "(", "$(", "{" or backquote, and a file of
// hundreds of thousands of them would exhaust the goroutine stack, which
// is a crash, not an error; text over the bound is read line by line,
// and a line over it is skipped. Real scripts stay far below it.
const maxShellGroups = 10000

func parseShellText(p *syntax.Parser, text string) (*syntax.File, bool) {
	groups := strings.Count(text, "(") + strings.Count(text, "{") + strings.Count(text, "`")
	if groups > maxShellGroups {
		return nil, false
	}
	f, err := p.Parse(strings.NewReader(text), "")
	return f, err == nil
}

func (m *Manifest) shellFile(s shellSource, f *syntax.File, depth int) {
	syntax.Walk(f, func(n syntax.Node) bool {
		if c, ok := n.(*syntax.CallExpr); ok && len(c.Args) > 0 {
			words := make([]shWord, len(c.Args))
			for i, w := range c.Args {
				words[i] = shellWord(s.text, w)
			}
			m.shellCommand(s, words, depth)
		}
		return true
	})
}

// shellWord reads the value of w and, when the value stands verbatim in
// text, where it stands.
func shellWord(text string, w *syntax.Word) shWord {
	var b strings.Builder
	for _, p := range w.Parts {
		appendWordPart(&b, text, p, false)
	}
	lo, hi := int(w.Pos().Offset()), int(w.End().Offset())
	if len(w.Parts) == 1 {
		switch q := w.Parts[0].(type) {
		case *syntax.SglQuoted:
			if !q.Dollar {
				lo, hi = int(q.Left.Offset())+1, int(q.Right.Offset())
			}
		case *syntax.DblQuoted:
			if !q.Dollar {
				lo, hi = int(q.Left.Offset())+1, int(q.Right.Offset())
			}
		}
	}
	if hi > lo && hi <= len(text) && text[hi-1] == '\r' {
		hi-- // the parser reads a CRLF line break as a line break
	}
	sw := shWord{text: b.String(), cstart: lo, cend: hi}
	sw.verbatim = lo <= hi && hi <= len(text) && text[lo:hi] == sw.text
	return sw
}

// appendWordPart writes the value of one part of a word: literal text with
// its escapes resolved, quoted text without its quotes, and expansions as
// written (their value is not known statically).
func appendWordPart(b *strings.Builder, text string, p syntax.WordPart, inDouble bool) {
	switch p := p.(type) {
	case *syntax.Lit:
		v := p.Value
		for i := 0; i < len(v); i++ {
			if v[i] == '\\' && i+1 < len(v) && (!inDouble || strings.IndexByte("$`\"\\\n", v[i+1]) >= 0) {
				i++
				if v[i] != '\n' {
					b.WriteByte(v[i])
				}
				continue
			}
			b.WriteByte(v[i])
		}
	case *syntax.SglQuoted:
		b.WriteString(p.Value)
	case *syntax.DblQuoted:
		for _, q := range p.Parts {
			appendWordPart(b, text, q, true)
		}
	default:
		lo, hi := int(p.Pos().Offset()), int(p.End().Offset())
		if lo <= hi && hi <= len(text) {
			b.WriteString(text[lo:hi])
		}
	}
}

// pipValueOptions are pip install options that take the next word as value.
var pipValueOptions = map[string]bool{
	"-i": true, "--index-url": true, "--extra-index-url": true, "-f": true, "--find-links": true,
	"-t": true, "--target": true, "--prefix": true, "--root": true, "--platform": true,
	"--python-version": true, "--implementation": true, "--abi": true, "--trusted-host": true,
	"--cache-dir": true, "--src": true, "--upgrade-strategy": true, "--progress-bar": true,
	"--log": true, "--proxy": true, "--retries": true, "--timeout": true, "--exists-action": true,
	"--cert": true, "--client-cert": true, "--config-settings": true, "-C": true,
	"--global-option": true, "--no-binary": true, "--only-binary": true, "-e": true,
	"--editable": true, "--python": true, "-p": true, "--report": true, "--index-strategy": true,
	"--keyring-provider": true, "--extra-index": true,
}

// commandWrappers run the command that follows them, after their own
// options; the value is the options that take the next word as value.
var commandWrappers = map[string][]string{
	"sudo": {"-u", "--user", "-g", "--group", "-C", "-D", "--chdir", "-h", "--host", "-p", "--prompt", "-r", "--role", "-t", "--type", "-U", "--other-user", "-T", "--command-timeout"},
	"env":  {"-u", "--unset", "-C", "--chdir", "-S", "--split-string"},
	"time": {"-f", "--format", "-o", "--output"}, "nice": {"-n", "--adjustment"},
	"nohup": nil, "exec": {"-a"}, "command": nil, "xargs": {"-a", "-d", "-E", "-I", "-L", "-n", "-P", "-s"},
	"stdbuf": {"-i", "-o", "-e"}, "timeout": {"-k", "--kill-after", "-s", "--signal"},
}

// runWrappers are tools whose "run" subcommand runs the command that
// follows ("conda run -n env pip install ...").
var runWrappers = map[string][]string{
	"conda": {"-n", "--name", "-p", "--prefix", "--cwd"}, "mamba": {"-n", "--name", "-p", "--prefix", "--cwd"},
	"micromamba": {"-n", "--name", "-p", "--prefix", "--cwd"}, "poetry": {"-C", "--directory", "-P", "--project"},
	"pipenv": nil, "pdm": {"-p", "--project"}, "hatch": {"-e", "--env"},
	"uv": {"--python", "-p", "--with", "--directory", "--project", "--package"},
}

// commandStart returns the index of the command that cmd runs, past
// wrappers such as sudo, env and "conda run" with their options, or -1.
func commandStart(cmd []shWord) int {
	i := 0
	for i < len(cmd) {
		name := path.Base(cmd[i].text)
		valueOpts, wrapper := commandWrappers[name]
		if !wrapper {
			ropts, ok := runWrappers[name]
			if !ok || i+1 >= len(cmd) || cmd[i+1].text != "run" {
				return i
			}
			valueOpts, i = ropts, i+1
		}
		i = skipOptions(cmd, i+1, valueOpts, name == "env")
	}
	return -1
}

// skipOptions returns the index of the first word from i on that is not
// an option (nor, for env, a NAME=value assignment).
func skipOptions(cmd []shWord, i int, valueOpts []string, env bool) int {
	for i < len(cmd) {
		t := cmd[i].text
		switch {
		case slices.Contains(valueOpts, t):
			i += 2
		case strings.HasPrefix(t, "-"), env && strings.Contains(t, "="):
			i++
		default:
			return i
		}
	}
	return i
}

// pipInstallArgs returns the index of the first argument after
// "pip install" in cmd, or -1 when cmd does not run pip install.
func pipInstallArgs(cmd []shWord) int {
	i := commandStart(cmd)
	if i < 0 {
		return -1
	}
	w := strings.TrimLeft(cmd[i].text, "%!")
	base := path.Base(w)
	at := -1
	switch {
	case isPipName(base):
		at = i
	case isPythonName(base) && i+2 < len(cmd) && cmd[i+1].text == "-m" && cmd[i+2].text == "pip":
		at = i + 2
	case base == "uv" && i+1 < len(cmd) && cmd[i+1].text == "pip":
		at = i + 1
	}
	if at < 0 {
		return -1
	}
	for j := at + 1; j < len(cmd); j++ {
		t := cmd[j].text
		switch {
		case t == "install":
			return j + 1
		case pipValueOptions[t]:
			j++
		case strings.HasPrefix(t, "-"):
		default:
			return -1
		}
	}
	return -1
}

func isPipName(s string) bool {
	return s == "pip" || strings.HasPrefix(s, "pip") && strings.Trim(s[3:], "0123456789.") == "" && len(s) > 3
}

func isPythonName(s string) bool {
	return s == "python" || strings.HasPrefix(s, "python") && strings.Trim(s[6:], "0123456789.") == ""
}

// shellCommandString returns the index of the command string of
// "sh -c 'string'" (bash, dash, zsh; -c possibly among other flags such as
// -ec or -lc), or -1.
func shellCommandString(cmd []shWord) int {
	switch path.Base(cmd[0].text) {
	case "sh", "bash", "dash", "zsh":
	default:
		return -1
	}
	c := false
	for i := 1; i < len(cmd); i++ {
		t := cmd[i].text
		switch {
		case strings.HasPrefix(t, "-") && !strings.HasPrefix(t, "--"):
			c = c || strings.Contains(t, "c")
		case strings.HasPrefix(t, "--"):
		case c:
			return i
		default:
			return -1
		}
	}
	return -1
}

// shellCommand records the requirements and includes of one simple
// command when it is a pip install, and reads the string of "sh -c" as
// shell in its turn.
func (m *Manifest) shellCommand(s shellSource, cmd []shWord, depth int) {
	if i := shellCommandString(cmd); i >= 0 {
		if w := cmd[i]; w.verbatim && depth < maxShellNesting {
			m.parseShellSource(s.sub(w.cstart, w.cend), depth+1)
		}
		return
	}
	i := pipInstallArgs(cmd)
	if i < 0 {
		return
	}
	texts := make([]string, len(cmd))
	for k, w := range cmd {
		texts[k] = w.text
	}
	for ; i < len(cmd); i++ {
		w := cmd[i]
		if f, ok, n := includeOption(texts, i); ok {
			if f != "" {
				m.Includes = append(m.Includes, f)
			}
			i += n - 1
			continue
		}
		if pipValueOptions[w.text] {
			i++
			continue
		}
		if strings.HasPrefix(w.text, "-") || !w.verbatim || w.cend <= w.cstart {
			continue
		}
		if r, ok := parsePEP508(w.text, 0, s.m[w.cstart:w.cend]); ok {
			m.add(r, SyntaxPEP440)
		}
	}
}

// parseDockerfile reads the shell of RUN, CMD and ENTRYPOINT instructions
// (shell form) and the Python version of "FROM python:<version>".
// Continued lines are joined and comment lines inside an instruction
// dropped, as Docker does.
func parseDockerfile(m *Manifest, src []byte) {
	skipUntil := 0 // the end of a here-document already read
	for _, l := range logicalLines(src, true) {
		fields := fieldSpans(l.text)
		if len(fields) == 0 || l.m[0] < skipUntil {
			continue
		}
		switch strings.ToUpper(l.text[fields[0][0]:fields[0][1]]) {
		case "FROM":
			m.dockerFrom(l, fields[1:])
		case "RUN", "CMD", "ENTRYPOINT":
			k := 1
			for k < len(fields) && strings.HasPrefix(l.text[fields[k][0]:], "--") {
				k++ // RUN --mount=... --network=...
			}
			if k == len(fields) || l.text[fields[k][0]] == '[' {
				continue // exec form: a JSON array, not shell
			}
			lo := fields[k][0]
			if strings.HasPrefix(l.text[lo:], "<<") {
				skipUntil = m.dockerHeredoc(src, l, fields[k:])
				continue
			}
			m.parseShellSource(shellSource{l.text[lo:], l.m[lo:]}, 0)
		}
	}
}

// dockerHeredoc reads the body of "RUN <<EOF" (or "RUN <<-EOF bash") as
// shell and returns the offset after its closing delimiter line. A
// here-document fed to another program ("RUN python3 <<EOF") is not shell.
func (m *Manifest) dockerHeredoc(src []byte, l logical, fields [][2]int) int {
	tok := l.text[fields[0][0]+2 : fields[0][1]]
	strip := strings.HasPrefix(tok, "-")
	delim := strings.Trim(strings.TrimPrefix(tok, "-"), `"'`)
	shell := len(fields) == 1
	if len(fields) > 1 {
		switch path.Base(l.text[fields[1][0]:fields[1][1]]) {
		case "sh", "bash", "dash", "zsh":
			shell = true
		}
	}
	start := l.m[len(l.m)-1] + 1
	for start < len(src) && src[start-1] != '\n' {
		start++
	}
	for off := start; off < len(src); {
		end := off
		for end < len(src) && src[end] != '\n' {
			end++
		}
		line := strings.TrimSuffix(string(src[off:end]), "\r")
		if strip {
			line = strings.TrimLeft(line, "\t")
		}
		if delim != "" && line == delim {
			if shell {
				body := shellSource{string(src[start:off]), make(spanMap, off-start)}
				for i := range body.m {
					body.m[i] = start + i
				}
				m.parseShellSource(body, 0)
			}
			return end
		}
		off = end + 1
	}
	return start // no closing delimiter: not a here-document Docker accepts
}

// fieldSpans returns the start and end of each blank-separated field.
func fieldSpans(s string) [][2]int {
	var out [][2]int
	for i := 0; i < len(s); {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		start := i
		for i < len(s) && !isSpace(s[i]) {
			i++
		}
		if i > start {
			out = append(out, [2]int{start, i})
		}
	}
	return out
}

// dockerFrom records the Python version of "FROM python:3.8-slim";
// fields are those after FROM.
func (m *Manifest) dockerFrom(l logical, fields [][2]int) {
	k := 0
	for k < len(fields) && strings.HasPrefix(l.text[fields[k][0]:], "--") {
		k++ // --platform=...
	}
	if k >= len(fields) {
		return
	}
	img := l.text[fields[k][0]:fields[k][1]]
	slash := strings.LastIndexByte(img, '/')
	colon := strings.LastIndexByte(img, ':')
	if colon < slash+1 || img[slash+1:colon] != "python" {
		return
	}
	tag := img[colon+1:]
	n := 0
	dots := 0
	for n < len(tag) && (isDigit(tag[n]) || tag[n] == '.' && dots < 2 && n+1 < len(tag) && isDigit(tag[n+1])) {
		if tag[n] == '.' {
			dots++
		}
		n++
	}
	if n == 0 || dots == 0 {
		return
	}
	lo := fields[k][0] + colon + 1
	m.addPython(tag[:n], SyntaxPythonVersion, l.m.at(lo), l.m.end(lo+n))
}

// ParseNotebookPip reads the pip install commands of notebook magic lines
// ("%pip install mlflow==2.9.2", "!pip install ..."). text holds the lines,
// the first of which is line number line and starts at byte offset offset
// of the file whose offsets the caller wants back.
func ParseNotebookPip(path, text string, line, offset int) *Manifest {
	m := &Manifest{Path: path, Kind: KindNotebookPip, lines: newLineTable([]byte(text))}
	m.parseShellSource(fileSource([]byte(text)), 0)
	for i := range m.Requirements {
		r := &m.Requirements[i]
		r.Line += line - 1
		r.Start += offset
		r.End += offset
		r.SpecStart += offset
		r.SpecEnd += offset
	}
	for i := range m.Python {
		p := &m.Python[i]
		p.Line += line - 1
		p.Start += offset
		p.End += offset
	}
	return m
}
