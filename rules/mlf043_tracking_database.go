package rules

import (
	"regexp"
	"strings"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/apidb"
)

// MLF043 reports, once per file, a tracking server started on a SQL
// database: `mlflow server` or `mlflow ui` with a SQL --backend-store-uri
// (written out, or a `$VAR` the same file sets to one), or with
// MLFLOW_BACKEND_STORE_URI (which `mlflow server` reads) set to one in the
// file. The target's server migrates the older schema in place the first
// time it opens the database, without a backup, and the older MLflow
// cannot open it afterwards; the finding gives the migration step. A file
// that runs `mlflow db upgrade` before the server (anywhere, in YAML, where
// order is not execution order) is left alone.
var MLF043 = registerText(&analyzer.TextRule{
	Code:     "MLF043",
	Match:    func(path string) bool { return runsCommands(path) || isYAML(path) },
	Shell:    true,
	Triggers: [][]byte{[]byte("mlflow")},
	Check:    checkMLF043,
})

const backendStoreVar = "MLFLOW_BACKEND_STORE_URI"

// sqlStoreRe matches the database URIs MLflow's SQLAlchemy store accepts:
// sqlite, postgresql, mysql and mssql, each with an optional +driver.
var sqlStoreRe = regexp.MustCompile(`^(?i:sqlite|postgresql|mysql|mssql)(\+[A-Za-z0-9_]+)?://`)

// shellVarRe matches a value that is one variable: $NAME, ${NAME},
// ${NAME:-default} or ${NAME-default}, and Kubernetes' $(NAME).
var shellVarRe = regexp.MustCompile(`^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\(([A-Za-z_][A-Za-z0-9_]*)\))$`)

// passwordRe finds the password of a URI's user information.
var passwordRe = regexp.MustCompile(`^([^:/]+://[^:@/]*):[^@/]*@`)

func mlf043Msg(cfg *analyzer.RunConfig, command, uri string) string {
	target := targetRelease(cfg)
	return "`mlflow " + command + "` opens the SQL tracking database " + uri + ", whose schema MLflow " + target +
		" must upgrade: back up the database, then run `mlflow db upgrade <uri>` with MLflow " + target +
		" before starting the server (otherwise a database missing tables, as a 2.x one is, is migrated in place on first open, after which the older MLflow cannot open it, and one that has them is refused: \"Detected out-of-date database schema\")"
}

// targetRelease is the target release of a run.
func targetRelease(cfg *analyzer.RunConfig) string {
	rng := cfg.API
	if len(rng.Source) == 0 {
		rng = analyzer.DefaultAPIRange()
	}
	return apidb.Versions()[rng.Target]
}

func checkMLF043(path string, src []byte, cfg *analyzer.RunConfig) []analyzer.TextIssue {
	scan := src
	if isYAML(path) {
		scan = unfoldYAML(src)
	}
	cmds := append(mlflowCommands(scan), yamlListCommands(src)...)
	upgradeAt := -1
	for _, c := range cmds {
		if len(c.Args) >= 2 && c.Args[0].Text == "db" && c.Args[1].Text == "upgrade" && (upgradeAt < 0 || c.Start < upgradeAt) {
			upgradeAt = c.Start
		}
	}
	if upgradeAt >= 0 && isYAML(path) {
		return nil
	}
	var first *analyzer.TextIssue
	for _, c := range cmds {
		if sub := c.Args[0].Text; sub != "server" && sub != "ui" {
			continue
		}
		if upgradeAt >= 0 && upgradeAt < c.Start {
			continue
		}
		uri, ok := serverStoreURI(src, c)
		if !ok {
			continue
		}
		if first == nil || c.Start < first.Start {
			first = &analyzer.TextIssue{Message: mlf043Msg(cfg, c.Args[0].Text, uri), Severity: analyzer.SeverityWarning, Start: c.Start, End: c.Args[0].End}
		}
	}
	if first == nil {
		return nil
	}
	return []analyzer.TextIssue{*first}
}

// serverStoreURI returns the SQL backend store of a server command, as the
// message shows it (password masked, the variable named), if it has one.
func serverStoreURI(src []byte, c cliCommand) (string, bool) {
	for i, w := range c.Args {
		var v string
		switch {
		case w.Text == "--backend-store-uri" && i+1 < len(c.Args):
			v = c.Args[i+1].Text
		case strings.HasPrefix(w.Text, "--backend-store-uri="):
			v = strings.TrimPrefix(w.Text, "--backend-store-uri=")
		default:
			continue
		}
		if sqlStoreRe.MatchString(v) {
			return "`" + maskPassword(v) + "`", true
		}
		if m := shellVarRe.FindStringSubmatch(v); m != nil {
			name := m[1] + m[2] + m[4]
			if u, ok := sqlSetting(src, name); ok {
				return "`" + maskPassword(u) + "` (from `" + name + "`)", true
			}
			if sqlStoreRe.MatchString(m[3]) {
				return "`" + maskPassword(m[3]) + "` (the default of `" + name + "`)", true
			}
		}
		// A file store, another scheme or an unknown value.
		return "", false
	}
	// No option: `mlflow server` reads MLFLOW_BACKEND_STORE_URI.
	if u, ok := sqlSetting(src, backendStoreVar); ok {
		return "`" + maskPassword(u) + "` (from `" + backendStoreVar + "`)", true
	}
	return "", false
}

// sqlSetting returns the SQL URI the file sets the variable to, if any.
func sqlSetting(src []byte, name string) (string, bool) {
	for _, s := range envSettings(src, name) {
		if s.ValueStart >= 0 && sqlStoreRe.MatchString(s.Value) {
			return s.Value, true
		}
	}
	return "", false
}

// maskPassword hides the password of a database URI.
func maskPassword(uri string) string {
	return passwordRe.ReplaceAllString(uri, "$1:***@")
}

// yamlListCommands finds mlflow commands written as YAML block lists, as
// Kubernetes manifests and Helm charts do:
//
//	command:
//	  - mlflow
//	  - server
//	  - --backend-store-uri
//	  - postgresql://...
func yamlListCommands(src []byte) []cliCommand {
	var out []cliCommand
	lines := strings.SplitAfter(string(src), "\n")
	starts := make([]int, len(lines))
	off := 0
	for i, l := range lines {
		starts[i] = off
		off += len(l)
	}
	for i := range lines {
		indent, w, ok := yamlListItem(lines[i])
		if !ok || w.Text != "mlflow" {
			continue
		}
		cmd := cliCommand{Start: starts[i] + w.Start, End: starts[i] + w.End}
		for j := i + 1; j < len(lines); j++ {
			ind, a, ok := yamlListItem(lines[j])
			if !ok || ind != indent {
				break
			}
			cmd.Args = append(cmd.Args, cliWord{Start: starts[j] + a.Start, End: starts[j] + a.End, Text: a.Text})
		}
		if len(cmd.Args) > 0 {
			out = append(out, cmd)
		}
	}
	return out
}

// yamlListItem reads a `- value` line: its indentation and the value
// (quotes removed from Text, kept in the span; a trailing comment
// dropped), with offsets in the line.
func yamlListItem(line string) (int, cliWord, bool) {
	t := strings.TrimLeft(line, " ")
	indent := len(line) - len(t)
	if !strings.HasPrefix(t, "- ") {
		return 0, cliWord{}, false
	}
	v := strings.TrimLeft(t[2:], " ")
	at := len(line) - len(v)
	v = strings.TrimRight(v, "\r\n")
	if k := strings.Index(v, " #"); k >= 0 {
		v = v[:k]
	}
	v = strings.TrimRight(v, " \t")
	w := cliWord{Start: at, End: at + len(v), Text: v}
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		w.Text = v[1 : len(v)-1]
	}
	return indent, w, w.Text != ""
}

// foldedRe matches a line that opens a YAML folded block scalar: `key: >`
// or `- >`, with optional chomping and indentation indicators.
var foldedRe = regexp.MustCompile(`(?:^|:|-)\s*>[-+0-9]*\s*(?:#.*)?$`)

// unfoldYAML returns a copy of src in which the line breaks inside folded
// block scalars (`command: >` and its more indented lines) are blanks, as
// YAML reads them, so a command folded over several lines reads as one.
// Every offset is kept.
func unfoldYAML(src []byte) []byte {
	out := append([]byte(nil), src...)
	join := func(off int) { // blank the line break before off
		for i := off - 1; i >= 0 && (out[i] == '\n' || out[i] == '\r'); i-- {
			out[i] = ' '
		}
	}
	opener, blockIndent := -1, -1
	off := 0
	for _, l := range strings.SplitAfter(string(src), "\n") {
		body := strings.TrimRight(l, "\r\n")
		t := strings.TrimLeft(body, " ")
		indent := len(body) - len(t)
		if opener >= 0 {
			switch {
			case t == "":
				join(off)
				off += len(l)
				continue
			case blockIndent < 0 && indent > opener:
				blockIndent = indent
				join(off)
				off += len(l)
				continue
			case blockIndent >= 0 && indent >= blockIndent:
				join(off)
				off += len(l)
				continue
			}
			opener, blockIndent = -1, -1
		}
		if !strings.HasPrefix(t, "#") && foldedRe.MatchString(body) {
			opener = indent
		}
		off += len(l)
	}
	return out
}
