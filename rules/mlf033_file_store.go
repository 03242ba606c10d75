package rules

import (
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

// MLF033 reports file-store tracking URIs (`./mlruns`, plain paths,
// `file:` URIs), which MLflow 3.13 refuses unless MLFLOW_ALLOW_FILE_STORE
// is true. Python: the URI given as a literal to `mlflow.set_tracking_uri`,
// `MlflowClient(tracking_uri=...)` or `os.environ["MLFLOW_TRACKING_URI"] =`.
// Text (mlf033Text): MLFLOW_TRACKING_URI set in .env files, Dockerfiles,
// scripts and YAML, and `mlflow server|ui --backend-store-uri`. A file
// that sets MLFLOW_ALLOW_FILE_STORE itself is left alone. No fix: moving
// the data to a database (`mlflow migrate-filestore`) is a person's call.
var MLF033 = register(&analysis.Analyzer{
	Name:             "MLF033",
	Doc:              analyzerDoc("MLF033"),
	URL:              docURL("MLF033"),
	Requires:         shared,
	RunDespiteErrors: true,
	Run:              runMLF033,
})

// The functions and classes are reached through `mlflow`; the environment
// variable is set without it in a Databricks notebook, where mlflow is
// implicit. The words only say that a source names them; mlf033MayReport
// looks for a literal where the rule reads one.
var _ = wordTriggersFunc("MLF033", "", func() []string {
	alts := append(pathAlts(setTrackingURIFuncs, ""), pathAlts(trackingClientClasses, "")...)
	for i := range alts {
		alts[i] = rootWord + " " + alts[i]
	}
	return append(alts, "environ "+trackingURIVar)
}).Checking(mlf033MayReport)

// MLF033 reads beyond the statements of its findings: a string naming
// MLFLOW_ALLOW_FILE_STORE anywhere in the file silences all of them.
func init() {
	analyzer.ReadsBeyond(MLF033, analyzer.Reading{Words: []string{allowFileStoreVar}})
}

const (
	allowFileStoreVar = "MLFLOW_ALLOW_FILE_STORE"
	trackingURIVar    = "MLFLOW_TRACKING_URI"
)

var setTrackingURIFuncs = set(
	"mlflow.set_tracking_uri",
	"mlflow.tracking.set_tracking_uri",
	"mlflow.tracking._tracking_service.utils.set_tracking_uri",
)

var trackingClientClasses = set(
	"mlflow.MlflowClient",
	"mlflow.client.MlflowClient",
	"mlflow.tracking.MlflowClient",
	"mlflow.tracking.client.MlflowClient",
)

func mlf033Msg(uri string) string {
	return "the file-store tracking backend `" + uri + "` raises MlflowException from MLflow 3.13 (the filesystem backend is in maintenance mode); migrate the runs with `mlflow migrate-filestore` to a database such as `sqlite:///mlflow.db`, or set MLFLOW_ALLOW_FILE_STORE=true to keep it for now"
}

// fileStoreURI reports a tracking URI that selects the file store: a
// `file:` URI or a plain path (no scheme; a Windows drive letter is a path).
// Values holding template or variable syntax are unknown, hence not.
func fileStoreURI(v string) bool {
	v = strings.TrimSpace(v)
	if v == "" || strings.ContainsAny(v, "${}%<>") {
		return false
	}
	l := strings.ToLower(v)
	switch {
	case strings.HasPrefix(l, "file:"):
		return true
	case strings.HasPrefix(l, "databricks"):
		return false
	}
	if i := strings.IndexByte(v, ':'); i >= 0 {
		c := l[0]
		return i == 1 && c >= 'a' && c <= 'z' && len(v) > 2 && (v[2] == '\\' || v[2] == '/')
	}
	return true
}

func runMLF033(pass *analysis.Pass) (any, error) {
	in := analyzer.In(pass)
	if !in.Resolver.Seen("mlflow") && !in.File.Databricks {
		return nil, nil
	}
	for _, s := range in.Index.Of("string") {
		if v, ok := parser.StringValue(in.File.Src, s); ok && v == allowFileStoreVar {
			return nil, nil // the file opts out of the 3.13 error itself
		}
	}
	report := func(e *parser.Node) {
		if s, uri := fileURILiteral(in, e); s != nil {
			pass.Report(diag(in.File, s, mlf033Msg(uri), nil, false))
		}
	}
	for _, c := range in.Index.Of("call") {
		qn := in.Resolver.Callee(c)
		switch {
		case setTrackingURIFuncs[qn]:
			report(argOrKeyword(in, c, 0, "uri"))
		case trackingClientClasses[qn]:
			report(argOrKeyword(in, c, 0, "tracking_uri"))
		}
	}
	for _, a := range in.Index.Of("assignment") {
		left := parser.Field(a, "left")
		if left == nil || left.Type() != "subscript" || in.Resolver.Resolve(parser.Field(left, "value")) != "os.environ" {
			continue
		}
		if k, ok := parser.StringValue(in.File.Src, parser.Field(left, "subscript")); ok && k == trackingURIVar {
			report(parser.Field(a, "right"))
		}
	}
	return nil, nil
}

// fileURILiteral returns the string literal of e that makes it a file-store
// URI, and the URI as written: a plain literal, an f-string or a `+`
// concatenation whose literal start is `file:`.
func fileURILiteral(in analyzer.Inputs, e *parser.Node) (*parser.Node, string) {
	e = parser.Unparen(e)
	if e == nil {
		return nil, ""
	}
	switch e.Type() {
	case "string":
		if v, ok := parser.StringValue(in.File.Src, e); ok {
			if fileStoreURI(v) {
				return e, v
			}
			return nil, ""
		}
		// An f-string: only its literal start is known.
		for _, c := range parser.Children(e) {
			switch c.Type() {
			case "string_start":
				continue
			case "string_content":
				if t := in.File.Text(c); strings.HasPrefix(strings.ToLower(t), "file:") {
					return e, in.File.Text(e)
				}
			}
			break
		}
	case "binary_operator":
		if op := parser.Field(e, "operator"); op != nil && in.File.Text(op) == "+" {
			s, _ := fileURILiteral(in, parser.Field(e, "left"))
			if s != nil {
				if v, _ := parser.StringValue(in.File.Src, s); strings.HasPrefix(strings.ToLower(v), "file:") {
					return s, in.File.Text(e)
				}
			}
		}
	}
	return nil, ""
}

// mlf033Text is the text half of MLF033.
var mlf033Text = registerText(&analyzer.TextRule{
	Code:     "MLF033",
	Match:    setsEnv,
	Triggers: [][]byte{[]byte(trackingURIVar), []byte("backend-store-uri")},
	Check: func(path string, src []byte, _ *analyzer.RunConfig) []analyzer.TextIssue {
		for _, s := range envSettings(src, allowFileStoreVar) {
			switch strings.ToLower(s.Value) {
			case "true", "1", "yes":
				return nil
			}
		}
		var out []analyzer.TextIssue
		add := func(v string, start, end int) {
			if start >= 0 && fileStoreURI(v) {
				out = append(out, analyzer.TextIssue{Message: mlf033Msg(v), Start: start, End: end})
			}
		}
		for _, s := range envSettings(src, trackingURIVar) {
			add(s.Value, s.ValueStart, s.ValueEnd)
		}
		if !runsCommands(path) {
			return out
		}
		for _, cmd := range mlflowCommands(src) {
			if a := cmd.Args; a[0].Text != "server" && a[0].Text != "ui" {
				continue
			}
			for i, w := range cmd.Args {
				if w.Text == "--backend-store-uri" && i+1 < len(cmd.Args) {
					v := cmd.Args[i+1]
					add(v.Text, v.Start, v.End)
				} else if val, ok := strings.CutPrefix(w.Text, "--backend-store-uri="); ok {
					add(val, w.Start+len("--backend-store-uri="), w.End)
				}
			}
		}
		return out
	},
})
