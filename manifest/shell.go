package manifest

import (
	"path"
	"strings"
)

// shWord is a word or an operator of a shell command line.
type shWord struct {
	text string
	op   bool
	// The word's value is the logical line's bytes cstart..cend when
	// verbatim (an unquoted word without escapes, or one quoted part).
	verbatim     bool
	cstart, cend int
}

// shellWords splits a logical line into words and control operators,
// dropping comments and redirections.
func shellWords(s string) []shWord {
	var out []shWord
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			i++
			continue
		case c == '#':
			return out
		case c == '&' || c == '|' || c == ';' || c == '(' || c == ')':
			j := i + 1
			if j < len(s) && (s[j] == c && c != '(' && c != ')') {
				j++
			}
			out = append(out, shWord{text: s[i:j], op: true})
			i = j
			continue
		case c == '<' || c == '>':
			// A redirection: skip the operator and its target.
			i++
			for i < len(s) && (s[i] == '>' || s[i] == '<' || s[i] == '&') {
				i++
			}
			for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
				i++
			}
			_, i = shellWord(s, i)
			continue
		}
		w, next := shellWord(s, i)
		// "2>&1": the file descriptor number belongs to the redirection.
		if next < len(s) && (s[next] == '>' || s[next] == '<') && w.verbatim && strings.Trim(w.text, "0123456789") == "" {
			i = next
			continue
		}
		out = append(out, w)
		i = next
	}
	return out
}

// shellWord reads one word starting at i.
func shellWord(s string, i int) (shWord, int) {
	var b strings.Builder
	w := shWord{verbatim: true, cstart: i}
	parts := 0
	for i < len(s) {
		c := s[i]
		switch {
		case strings.IndexByte(" \t\r\n&|;()<>", c) >= 0:
			goto done
		case c == '\\':
			w.verbatim = false
			if i+1 < len(s) {
				b.WriteByte(s[i+1])
			}
			i += 2
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(s) && s[j] != c {
				if c == '"' && s[j] == '\\' && j+1 < len(s) {
					w.verbatim = false
					b.WriteByte(s[j+1])
					j += 2
					continue
				}
				b.WriteByte(s[j])
				j++
			}
			if parts == 0 {
				w.cstart = i + 1
				w.cend = j
			}
			parts++
			i = min(j+1, len(s))
		default:
			start := i
			for i < len(s) && strings.IndexByte(" \t\r\n&|;()<>\\'\"", s[i]) < 0 {
				i++
			}
			b.WriteString(s[start:i])
			if parts == 0 {
				w.cstart, w.cend = start, i
			}
			parts++
		}
	}
done:
	w.text = b.String()
	if parts != 1 {
		w.verbatim = false
	}
	return w, i
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

// pipInstallArgs returns the index of the first argument after
// "pip install" in cmd, or -1 when cmd does not run pip install.
func pipInstallArgs(cmd []shWord) int {
	for i := range cmd {
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
			continue
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
	return -1
}

func isPipName(s string) bool {
	return s == "pip" || strings.HasPrefix(s, "pip") && strings.Trim(s[3:], "0123456789.") == "" && len(s) > 3
}

func isPythonName(s string) bool {
	return s == "python" || strings.HasPrefix(s, "python") && strings.Trim(s[6:], "0123456789.") == ""
}

// parseShell reads pip install commands from a shell script or Dockerfile
// (and, for Dockerfiles, "FROM python:<version>" lines).
func parseShell(m *Manifest, src []byte, docker bool) {
	for _, l := range logicalLines(src, docker) {
		words := shellWords(l.text)
		if docker {
			m.dockerFrom(l, words)
		}
		start := 0
		for k := 0; k <= len(words); k++ {
			if k < len(words) && !words[k].op {
				continue
			}
			m.pipCommand(l, words[start:k])
			start = k + 1
		}
	}
}

// pipCommand records the requirements and includes of one simple command
// when it is a pip install.
func (m *Manifest) pipCommand(l logical, cmd []shWord) {
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
		if r, ok := parsePEP508(w.text, 0, l.m[w.cstart:w.cend]); ok {
			m.add(r, SyntaxPEP440)
		}
	}
}

// dockerFrom records the Python version of a "FROM python:3.8-slim" line.
func (m *Manifest) dockerFrom(l logical, words []shWord) {
	if len(words) < 2 || !strings.EqualFold(words[0].text, "FROM") {
		return
	}
	k := 1
	for k < len(words) && strings.HasPrefix(words[k].text, "--") {
		k++
	}
	if k >= len(words) || !words[k].verbatim {
		return
	}
	img := words[k]
	slash := strings.LastIndexByte(img.text, '/')
	colon := strings.LastIndexByte(img.text, ':')
	if colon < slash+1 || img.text[slash+1:colon] != "python" {
		return
	}
	tag := img.text[colon+1:]
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
	lo := img.cstart + colon + 1
	m.addPython(tag[:n], SyntaxPythonVersion, l.m.at(lo), l.m.end(lo+n))
}

// ParseNotebookPip reads the pip install commands of notebook magic lines
// ("%pip install mlflow==2.9.2", "!pip install ..."). text holds the lines,
// the first of which is line number line and starts at byte offset offset
// of the file whose offsets the caller wants back.
func ParseNotebookPip(path, text string, line, offset int) *Manifest {
	m := &Manifest{Path: path, Kind: KindNotebookPip, lines: newLineTable([]byte(text))}
	parseShell(m, []byte(text), false)
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
