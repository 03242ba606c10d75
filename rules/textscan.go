package rules

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
)

// Scanning of the non-Python files that run MLflow: shell scripts,
// Dockerfiles, Makefiles, docker-compose files, GitHub workflows, MLproject
// files, .env files and YAML configs. The scanners work on raw bytes and
// report exact byte offsets, so fixes keep the rest of a file untouched.

// isShellScript: *.sh and *.bash (a shebang alone does not count).
func isShellScript(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return ext == ".sh" || ext == ".bash"
}

// isDockerfile: Dockerfile, Dockerfile.<suffix>, <name>.Dockerfile.
func isDockerfile(path string) bool {
	base := filepath.Base(path)
	return base == "Dockerfile" || strings.HasPrefix(base, "Dockerfile.") || strings.HasSuffix(base, ".Dockerfile")
}

// isMakefile: Makefile, GNUmakefile, makefile and *.mk.
func isMakefile(path string) bool {
	base := filepath.Base(path)
	return base == "Makefile" || base == "makefile" || base == "GNUmakefile" || strings.HasSuffix(base, ".mk")
}

func isYAML(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return ext == ".yml" || ext == ".yaml"
}

// isCompose: docker-compose*.yml|yaml and compose*.yml|yaml.
func isCompose(path string) bool {
	base := filepath.Base(path)
	return isYAML(path) && (strings.HasPrefix(base, "docker-compose") || strings.HasPrefix(base, "compose"))
}

// isWorkflow: .github/workflows/*.yml|yaml.
func isWorkflow(path string) bool {
	return isYAML(path) && strings.HasSuffix(filepath.ToSlash(filepath.Dir(path)), ".github/workflows")
}

func isMLproject(path string) bool { return filepath.Base(path) == "MLproject" }

// isDotEnv: .env, .env.<suffix> and <name>.env.
func isDotEnv(path string) bool {
	base := filepath.Base(path)
	return base == ".env" || strings.HasPrefix(base, ".env.") || strings.HasSuffix(base, ".env")
}

// runsCommands reports files whose lines can run the mlflow CLI.
func runsCommands(path string) bool {
	return isShellScript(path) || isDockerfile(path) || isMakefile(path) || isCompose(path) || isWorkflow(path) || isMLproject(path)
}

// setsEnv reports files that can set environment variables: the command
// files, .env files and any YAML (Kubernetes and Helm `env:` blocks).
func setsEnv(path string) bool {
	return runsCommands(path) || isDotEnv(path) || isYAML(path)
}

// lineBounds returns the start and end (excluding the newline) of the line
// holding off.
func lineBounds(src []byte, off int) (int, int) {
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	end := bytes.IndexByte(src[off:], '\n')
	if end < 0 {
		return start, len(src)
	}
	return start, off + end
}

// inComment reports whether off sits after a `#` comment start on its line:
// a `#` at the start of the line or after a blank, outside quotes.
func inComment(src []byte, off int) bool {
	start, _ := lineBounds(src, off)
	var quote byte
	for i := start; i < off; i++ {
		c := src[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == start || src[i-1] == ' ' || src[i-1] == '\t'):
			return true
		}
	}
	return false
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// wordAt returns the offsets of every whole-word occurrence of w in src
// (not inside a longer identifier) outside comments.
func wordAt(src []byte, w string) []int {
	out := wordOffsets(src, w)
	kept := out[:0]
	for _, at := range out {
		if !inComment(src, at) {
			kept = append(kept, at)
		}
	}
	return kept
}

// wordOffsets returns the offsets of w in src where it is not part of a
// longer identifier (comments and strings included).
func wordOffsets(src []byte, w string) []int {
	var out []int
	for i := 0; ; {
		j := bytes.Index(src[i:], []byte(w))
		if j < 0 {
			return out
		}
		at := i + j
		i = at + len(w)
		if at > 0 && isWordByte(src[at-1]) || i < len(src) && isWordByte(src[i]) {
			continue
		}
		out = append(out, at)
	}
}

// isVarReference reports a `$NAME` or `${NAME` reference at off.
func isVarReference(src []byte, off int) bool {
	return off > 0 && src[off-1] == '$' || off > 1 && src[off-1] == '{' && src[off-2] == '$'
}

// cliWord is one word of a command line: [Start, End) covers the word as
// written (quotes included), Text is its value.
type cliWord struct {
	Start, End int
	Text       string
}

// cliCommand is one `mlflow ...` invocation.
type cliCommand struct {
	// Start and End cover the word `mlflow` (or the path ending in it).
	Start, End int
	Args       []cliWord
}

// mlflowCommands finds the mlflow CLI invocations of a command file: shell
// words after `mlflow` (following line continuations, stopping at a
// command separator, a comment or the end of an enclosing quoted string),
// and the exec form `["mlflow", "server", ...]` of Dockerfiles and YAML.
func mlflowCommands(src []byte) []cliCommand {
	var out []cliCommand
	const name = "mlflow"
	for i := 0; ; {
		j := bytes.Index(src[i:], []byte(name))
		if j < 0 {
			return out
		}
		at := i + j
		end := at + len(name)
		i = end
		if at > 0 {
			if c := src[at-1]; isWordByte(c) || c == '.' || c == '-' {
				continue
			}
		}
		if end >= len(src) || inComment(src, at) {
			continue
		}
		cmd := cliCommand{Start: at, End: end}
		switch c := src[end]; {
		case c == '"' && at > 0 && src[at-1] == '"':
			cmd.Start, cmd.End = at-1, end+1
			cmd.Args = execArgs(src, end+1)
		case c == ' ' || c == '\t' || c == '\\':
			cmd.Args = shellArgs(src, end)
		default:
			continue
		}
		if len(cmd.Args) > 0 {
			out = append(out, cmd)
		}
	}
}

// shellArgs reads shell words from off.
func shellArgs(src []byte, off int) []cliWord {
	var out []cliWord
	i := off
	for i < len(src) {
		// Blanks and line continuations.
		switch c := src[i]; {
		case c == ' ' || c == '\t':
			i++
			continue
		case c == '\\' && i+1 < len(src) && src[i+1] == '\n':
			i += 2
			continue
		case c == '\\' && i+2 < len(src) && src[i+1] == '\r' && src[i+2] == '\n':
			i += 3
			continue
		case c == '\n' || c == '\r' || c == '#' || strings.IndexByte(";&|()<>`", c) >= 0:
			return out
		}
		w, ok := shellWord(src, i)
		if !ok {
			return out
		}
		out = append(out, w)
		i = w.End
	}
	return out
}

// shellWord reads one word at off: unquoted runs and quoted segments. A
// quote without its closing quote on the line ends the command (it closes
// a string the command sits in).
func shellWord(src []byte, off int) (cliWord, bool) {
	var b strings.Builder
	i := off
	for i < len(src) {
		c := src[i]
		if c == '"' || c == '\'' {
			k := bytes.IndexByte(src[i+1:], c)
			nl := bytes.IndexByte(src[i+1:], '\n')
			if k < 0 || nl >= 0 && nl < k {
				break
			}
			b.Write(src[i+1 : i+1+k])
			i += k + 2
			continue
		}
		if c == '$' && i+1 < len(src) && (src[i+1] == '(' || src[i+1] == '{') {
			// $(...) and ${...}: a substitution (or a Make variable) is
			// part of the word.
			if k := closing(src, i+1); k > 0 {
				b.Write(src[i:k])
				i = k
				continue
			}
		}
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || strings.IndexByte(";&|()<>`", c) >= 0 {
			break
		}
		if c == '\\' && i+1 < len(src) && src[i+1] == '\n' {
			break
		}
		b.WriteByte(c)
		i++
	}
	if i == off {
		return cliWord{}, false
	}
	return cliWord{Start: off, End: i, Text: b.String()}, true
}

// closing returns the offset after the bracket closing the one at open,
// on the same line, or -1.
func closing(src []byte, open int) int {
	want := byte(')')
	if src[open] == '{' {
		want = '}'
	}
	depth := 0
	for i := open; i < len(src) && src[i] != '\n'; i++ {
		switch src[i] {
		case src[open]:
			depth++
		case want:
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}

var execWordRe = regexp.MustCompile(`^\s*,\s*"((?:[^"\\\n]|\\.)*)"`)

// execArgs reads the following elements of a JSON exec-form array.
func execArgs(src []byte, off int) []cliWord {
	var out []cliWord
	for {
		m := execWordRe.FindSubmatchIndex(src[off:])
		if m == nil {
			return out
		}
		out = append(out, cliWord{Start: off + m[2] - 1, End: off + m[3] + 1, Text: string(src[off+m[2] : off+m[3]])})
		off += m[1]
	}
}

// envSetting is a value given to an environment variable in a text file.
type envSetting struct {
	// NameStart is the offset of the variable name.
	NameStart int
	// Value and its span (quotes excluded); ValueStart < 0 when the value
	// is not on the line (or not given).
	Value                string
	ValueStart, ValueEnd int
}

// envSettings finds the places that name the variable: `NAME=value`
// (.env, shell, `export`, Dockerfile `ENV`, compose lists), `NAME: value`
// (YAML maps), `ENV NAME value` (Dockerfile) and `- name: NAME` followed by
// `value: ...` (Kubernetes env lists). `$NAME` references are not settings.
func envSettings(src []byte, name string) []envSetting {
	var out []envSetting
	for _, at := range wordAt(src, name) {
		if isVarReference(src, at) {
			continue
		}
		s := envSetting{NameStart: at, ValueStart: -1}
		lineStart, lineEnd := lineBounds(src, at)
		i := at + len(name)
		for i < lineEnd && (src[i] == ' ' || src[i] == '\t') {
			i++
		}
		switch {
		case i < lineEnd && (src[i] == '=' || src[i] == ':'):
			s.Value, s.ValueStart, s.ValueEnd = envValue(src, i+1, lineEnd)
		case strings.HasPrefix(strings.TrimSpace(string(src[lineStart:at])), "ENV") && i > at+len(name):
			s.Value, s.ValueStart, s.ValueEnd = envValue(src, i, lineEnd)
		case strings.HasSuffix(strings.TrimSpace(string(src[lineStart:at])), "name:"):
			s.Value, s.ValueStart, s.ValueEnd = k8sValue(src, lineEnd)
		}
		out = append(out, s)
	}
	return out
}

// envValue reads a value from off to the end of the line: a quoted string
// or a run up to a blank, stopping before a comment.
func envValue(src []byte, off, lineEnd int) (string, int, int) {
	for off < lineEnd && (src[off] == ' ' || src[off] == '\t') {
		off++
	}
	if off >= lineEnd {
		return "", -1, -1
	}
	if q := src[off]; q == '"' || q == '\'' {
		k := bytes.IndexByte(src[off+1:lineEnd], q)
		if k < 0 {
			return "", -1, -1
		}
		return string(src[off+1 : off+1+k]), off + 1, off + 1 + k
	}
	end := off
	for end < lineEnd && src[end] != ' ' && src[end] != '\t' && src[end] != '"' && src[end] != '\'' && src[end] != ';' && src[end] != ',' && src[end] != ']' {
		end++
	}
	return string(src[off:end]), off, end
}

// k8sValue reads the `value:` key on the line after lineEnd, if any.
func k8sValue(src []byte, lineEnd int) (string, int, int) {
	if lineEnd >= len(src) {
		return "", -1, -1
	}
	next := lineEnd + 1
	_, nextEnd := lineBounds(src, next)
	line := string(src[next:nextEnd])
	t := strings.TrimLeft(line, " \t")
	if !strings.HasPrefix(t, "value:") {
		return "", -1, -1
	}
	off := next + len(line) - len(t) + len("value:")
	return envValue(src, off, nextEnd)
}

// commandWords may precede a command on its line: shell keywords,
// wrappers that run the command after them, Dockerfile instructions.
var commandWords = set("then", "do", "else", "exec", "sudo", "nohup", "time", "env", "xargs", "command",
	"RUN", "CMD", "ENTRYPOINT", "-m", "!")

// runners run the command after `<runner> run`.
var runners = set("uv", "poetry", "pipenv", "hatch", "pdm", "pixi", "rye")

// atCommandPosition reports whether the `mlflow` at off is a command, not
// an argument (`pip install mlflow`, `cd mlflow`, `echo "mlflow run"`):
// first on its line (after indentation, a YAML key or list dash, a Make
// recipe prefix), after a command separator, after variable assignments,
// after a word that runs what follows (`python -m`, `exec`, `sudo`, `uv
// run`, Dockerfile `RUN`), first in an exec form, or in a string given to
// `sh -c`.
func atCommandPosition(src []byte, off int) bool {
	start, _ := lineBounds(src, off)
	return commandBefore(strings.TrimRight(string(src[start:off]), " \t"))
}

func commandBefore(before string) bool {
	if before == "" {
		return true
	}
	switch c := before[len(before)-1]; c {
	case ';', '&', '|', '(', '{', '`', '[', '@', ':', '-', '!':
		return true
	case '"', '\'':
		rest := strings.TrimRight(before[:len(before)-1], " \t")
		if strings.HasSuffix(rest, ",") {
			// An exec-form element: only after "-m".
			return strings.HasSuffix(strings.TrimRight(rest[:len(rest)-1], " \t"), `"-m"`)
		}
		return rest == "" || strings.HasSuffix(rest, "-c") || commandBefore(rest)
	}
	words := strings.Fields(before)
	last := words[len(words)-1]
	if commandWords[last] || last == "run" && len(words) > 1 && runners[words[len(words)-2]] {
		return true
	}
	// NAME=value assignments before the command.
	for i := len(words) - 1; i >= 0; i-- {
		name, _, ok := strings.Cut(words[i], "=")
		if !ok || !isEnvName(name) {
			return false
		}
		if i == 0 {
			return true
		}
		if p := words[i-1]; !strings.Contains(p, "=") {
			return p != "export" && commandBefore(strings.Join(words[:i], " "))
		}
	}
	return false
}

func isEnvName(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isWordByte(s[i]) {
			return false
		}
	}
	return true
}
