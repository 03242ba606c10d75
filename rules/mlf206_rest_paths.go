package rules

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/apidb"
	"github.com/mlflowlint/mlflowlint/parser"
)

// MLF206 and MLF207 judge the tracking server's REST paths written in
// Python string literals and f-strings, and in command files (curl lines of
// shell scripts, Dockerfiles, Makefiles, compose files, workflows), against
// the routes each release's server registers (apidb.Meta, read from the
// wheels' protos and route registrations). Only MLflow's own API paths are
// judged: /api/N.N/mlflow/..., /api/N.N/mlflow-artifacts/... and their
// /ajax-api/ twins, with or without the old preview/ segment, written out
// to a clear end (a closing quote, a query string, a blank). A path cut by
// a placeholder (`{run_id}`, `%s`) or continued by `+` is not judged.
const (
	codeRemovedREST = "MLF206"
	codePreviewREST = "MLF207"
)

// Every path restPathRe matches holds "api/" and a digit in the source's
// own bytes (a path cut by a placeholder is not judged), so those ten
// strings trigger MLF206 where "api/" alone parsed every file that links
// to documentation such as .../python_api/mlflow.pyfunc.html.
var (
	_ = triggers(codeRemovedREST, "api/0", "api/1", "api/2", "api/3", "api/4", "api/5", "api/6", "api/7", "api/8", "api/9")
	_ = triggers(codePreviewREST, "preview/mlflow")
)

func init() {
	for _, t := range Triggers[codeRemovedREST] {
		analyzer.CheckPattern(string(t), restPathMayStart)
	}
}

// restPathMayStart reports whether the "api/N" of src[start:end] may be
// part of a path restPaths finds: right after "/" or "/ajax-", restPathRe
// matches from there to a byte that ends a path (restPathEnds, a closing
// quote among them) or to the end of the source. A Databricks API path
// (/api/2.0/jobs/...), a prefix that an f-string or `+` continues, or a
// link to the documentation is none.
func restPathMayStart(src []byte, start, end int) bool {
	from := start - 1
	if start >= 6 && string(src[start-6:start]) == "/ajax-" {
		from = start - 6
	}
	if from < 0 || src[from] != '/' {
		return false
	}
	to := len(src)
	if i := bytes.IndexByte(src[end:], '\n'); i >= 0 {
		to = end + i
	}
	m := restPathRe.FindIndex(src[from:to])
	if m == nil || m[0] != 0 {
		return false
	}
	e := from + m[1]
	return e == len(src) || strings.IndexByte(restPathEnds, src[e]) >= 0
}

// restPathRe matches the start of an MLflow API path up to the first byte
// that cannot be part of one.
var restPathRe = regexp.MustCompile(`/(?:ajax-)?api/\d+\.\d+/(?:preview/)?mlflow(?:-artifacts)?(?:/[A-Za-z0-9_.~-]*)*`)

// restPathEnds are the bytes after which a path is complete.
const restPathEnds = " \t\r\n\"'?#;),&|]`"

// restRef is an MLflow API path in a source, at bytes [Start, End).
type restRef struct {
	Start, End int
	Path       string
	// Method is the HTTP method of the call that sends it, "" if unknown.
	Method string
}

// restPaths finds the complete MLflow API paths of src[from:to]; closed
// says whether to may end a path (the end of a literal nothing continues).
func restPaths(src []byte, from, to int, closed bool) []restRef {
	var out []restRef
	for _, m := range restPathRe.FindAllIndex(src[from:to], -1) {
		start, end := from+m[0], from+m[1]
		if end < to && strings.IndexByte(restPathEnds, src[end]) < 0 || end == to && !closed {
			continue
		}
		// A sentence's full stop is not part of the path.
		for end > start && src[end-1] == '.' {
			end--
		}
		p := string(src[start:end])
		if strings.HasSuffix(p, "/") {
			continue
		}
		out = append(out, restRef{Start: start, End: end, Path: p})
	}
	return out
}

// restVerdict is what the release data says about one path.
type restVerdict struct {
	code    string
	message string
	// fix, for MLF207: the bytes of "preview/" to delete, relative to the
	// path's start.
	fixStart, fixEnd int
}

// judgeREST returns the finding for a path, if any, on the target release.
func judgeREST(r restRef, target int) (restVerdict, bool) {
	meta := apidb.LoadMeta()
	tv := apidb.Versions()[target]
	t, ok := meta.Index(tv)
	if !ok {
		return restVerdict{}, false
	}
	// With the call's method known, the path is judged for that method
	// (PATCH /api/2.0/mlflow/traces/<id> stayed when GET went).
	if meta.Serves(r.Method, r.Path, t) {
		return restVerdict{}, false
	}
	served := meta.Serving(r.Method, r.Path)
	last := -1
	for i := t - 1; i >= 0; i-- {
		if served.Has(i) {
			last = i
			break
		}
	}
	if last < 0 {
		// No release before the target served it: not a path of MLflow's
		// server this data knows (a Databricks-only path, a typo).
		return restVerdict{}, false
	}
	if i := strings.Index(r.Path, "/preview/mlflow"); i >= 0 {
		plain := r.Path[:i] + r.Path[i+len("/preview"):]
		if meta.Serves(r.Method, plain, t) {
			return restVerdict{
				code: codePreviewREST,
				message: fmt.Sprintf("`%s`: the MLflow %s tracking server does not serve the `preview/` prefix (last served by %s); it serves `%s`",
					r.Path, tv, meta.Versions()[last], plain),
				fixStart: i + 1, fixEnd: i + len("/preview/"),
			}, true
		}
	}
	gone := meta.Versions()[last+1]
	msg := fmt.Sprintf("`%s` is not served by the MLflow %s tracking server (a request gets 404): last served by %s, gone by %s",
		r.Path, tv, meta.Versions()[last], gone)
	if alt := restReplacement(meta, r.Method, r.Path, t); alt != "" {
		msg += fmt.Sprintf("; the target serves `%s`, whose request and response differ", alt)
	}
	return restVerdict{code: codeRemovedREST, message: msg}, true
}

// restSuccessors are endpoints MLflow replaced with another of a different
// request or response; a test checks the newest release serves each.
var restSuccessors = map[string]string{
	"/mlflow/experiments/list":       "/mlflow/experiments/search",
	"/mlflow/registered-models/list": "/mlflow/registered-models/search",
}

// restReplacement names a path the target serves in place of p: the
// successor of a replaced endpoint, or the same path under /api/3.0 (the
// API version the 3.x server moved endpoints to).
func restReplacement(meta *apidb.Meta, method, p string, t int) string {
	prefix, rest := splitRESTPrefix(p)
	if alt, ok := restSuccessors[rest]; ok && meta.Serves("", prefix+alt, t) {
		return prefix + alt
	}
	if v3 := strings.Replace(prefix, "/2.0", "/3.0", 1); v3 != prefix && meta.Serves(method, v3+rest, t) {
		return v3 + rest
	}
	return ""
}

// splitRESTPrefix splits "/api/2.0/mlflow/x" into "/api/2.0" and
// "/mlflow/x" (the text before the API version is kept in the prefix).
func splitRESTPrefix(p string) (string, string) {
	i := strings.Index(p, "/mlflow")
	return p[:i], p[i:]
}

// restTarget is the release index the rules judge against.
func restTarget(cfg *analyzer.RunConfig) int {
	rng := cfg.API
	if len(rng.Source) == 0 {
		rng = analyzer.DefaultAPIRange()
	}
	return rng.Target
}

func init() {
	for _, code := range []string{codeRemovedREST, codePreviewREST} {
		register(&analysis.Analyzer{
			Name:             code,
			Doc:              analyzerDoc(code),
			URL:              docURL(code),
			Requires:         shared,
			RunDespiteErrors: true,
			Run:              func(pass *analysis.Pass) (any, error) { runREST(pass, code); return nil, nil },
		})
		registerText(&analyzer.TextRule{
			Code:     code,
			Match:    runsCommands,
			Triggers: Triggers[code],
			Check: func(_ string, src []byte, cfg *analyzer.RunConfig) []analyzer.TextIssue {
				var out []analyzer.TextIssue
				for _, r := range restPaths(src, 0, len(src), true) {
					if inComment(src, r.Start) {
						continue
					}
					v, ok := judgeREST(r, restTarget(cfg))
					if !ok || v.code != code {
						continue
					}
					is := analyzer.TextIssue{Message: v.message, Start: r.Start, End: r.End}
					if v.fixEnd > 0 {
						is.Fix = &analyzer.TextFix{Message: "Remove `preview/` from the path",
							Edits: []analyzer.TextEdit{{Start: r.Start + v.fixStart, End: r.Start + v.fixEnd}}}
					}
					out = append(out, is)
				}
				return out
			},
		})
	}
}

// runREST reports the paths of one rule in a Python file's strings.
func runREST(pass *analysis.Pass, code string) {
	in := analyzer.In(pass)
	src := in.File.Src
	if !bytes.Contains(src, []byte("api/")) {
		return
	}
	t := restTarget(in.Config)
	for _, s := range in.Index.Of("string") {
		if p := s.Parent(); p != nil && p.Type() == "expression_statement" {
			continue // a docstring or a bare string: no request is sent
		}
		for _, r := range stringRESTPaths(src, s) {
			v, ok := judgeREST(r, t)
			if !ok || v.code != code {
				continue
			}
			d := analysis.Diagnostic{Pos: in.File.Tok.Pos(r.Start), End: in.File.Tok.Pos(r.End), Message: v.message}
			if v.fixEnd > 0 {
				d.SuggestedFixes = []analysis.SuggestedFix{{Message: "Remove `preview/` from the path",
					TextEdits: []analysis.TextEdit{{Pos: in.File.Tok.Pos(r.Start + v.fixStart), End: in.File.Tok.Pos(r.Start + v.fixEnd)}}}}
			}
			pass.Report(d)
		}
	}
}

// stringRESTPaths finds the complete API paths in a string literal's
// literal runs: a run cut by an interpolation is not complete, nor is the
// last run of a literal that `+` or an adjacent literal continues.
func stringRESTPaths(src []byte, s *parser.Node) []restRef {
	var out []restRef
	kids := parser.Children(s)
	runStart := -1
	for i, c := range kids {
		switch c.Type() {
		case "string_content", "escape_sequence":
			if runStart < 0 {
				runStart = int(c.StartByte())
			}
			continue
		}
		if runStart >= 0 {
			closed := c.Type() == "string_end" && !continued(s)
			out = append(out, restPaths(src, runStart, int(kids[i-1].EndByte()), closed)...)
			runStart = -1
		}
	}
	if len(out) > 0 {
		method := restCallMethod(src, s)
		for i := range out {
			out[i].Method = method
		}
	}
	return out
}

// continued reports a literal whose text goes on in the next operand of
// `+` or the next literal of an implicit concatenation.
func continued(s *parser.Node) bool {
	p := s.Parent()
	if p == nil {
		return false
	}
	switch p.Type() {
	case "binary_operator":
		return parser.Field(p, "left") == s
	case "concatenated_string":
		kids := parser.NamedChildren(p)
		return len(kids) > 0 && kids[len(kids)-1] != s
	}
	return false
}

// restCallMethod returns the HTTP method of a call such as
// requests.get(url) or session.post(url) whose URL (first argument) holds
// the literal, or "".
func restCallMethod(src []byte, s *parser.Node) string {
	n := s
	for p := n.Parent(); p != nil && (p.Type() == "binary_operator" || p.Type() == "concatenated_string"); p = n.Parent() {
		n = p
	}
	args := n.Parent()
	if args == nil || args.Type() != "argument_list" {
		return ""
	}
	if first := parser.NamedChildren(args); len(first) == 0 || first[0] != n {
		return ""
	}
	fn := parser.Field(args.Parent(), "function")
	if fn == nil || fn.Type() != "attribute" {
		return ""
	}
	attr := parser.Field(fn, "attribute")
	if attr == nil {
		return ""
	}
	switch name := string(src[attr.StartByte():attr.EndByte()]); name {
	case "get", "post", "put", "patch", "delete":
		return strings.ToUpper(name)
	}
	return ""
}
