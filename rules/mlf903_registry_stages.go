package rules

import (
	"bytes"
	"regexp"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

// stageClientKinds knows the objects that are MLflow clients.
var stageClientKinds = &analyzer.Kinds{
	Funcs: map[string]string{
		"mlflow.MlflowClient":                 "client",
		"mlflow.client.MlflowClient":          "client",
		"mlflow.tracking.MlflowClient":        "client",
		"mlflow.tracking.client.MlflowClient": "client",
	},
}

// stageMethods are the client methods deprecated with registry stages.
var stageMethods = set("get_latest_versions", "transition_model_version_stage", "get_model_version_stages")

// stageArgMethods take a deprecated stage argument: its keyword and its
// position (self not counted).
var stageArgMethods = map[string]int{
	"set_model_version_tag":    4, // (name, version, key, value, stage)
	"delete_model_version_tag": 3, // (name, version, key, stage)
}

// stageURI matches models:/<name>/<stage>; in an f-string every
// replacement field counts as one plain character.
var stageURI = regexp.MustCompile(`^models:/[^/@]+/(?i:none|staging|production|archived)$`)

const mlf903Advice = "use model version aliases instead (`set_registered_model_alias`, `get_model_version_by_alias`, `models:/<name>@<alias>`)"

// MLF903 reports model registry stages, deprecated since MLflow 2.9.
var MLF903 = register(&analysis.Analyzer{
	Name:             "MLF903",
	Doc:              analyzerDoc("MLF903"),
	URL:              docURL("MLF903"),
	Requires:         shared,
	RunDespiteErrors: true,
	Run: func(pass *analysis.Pass) (any, error) {
		in := analyzer.In(pass)
		// Stage URIs are plain strings: looked for in any source that
		// mentions MLflow (exactly what the driver's prefilter lets through),
		// also where no mlflow import is in sight (a constants module).
		if !in.File.Databricks && !analyzer.Mentions(in.File.Src, analyzer.Triggers) {
			return nil, nil
		}
		for _, s := range in.Index.Of("string") {
			if p := s.Parent(); p != nil && p.Type() == "concatenated_string" {
				continue
			}
			if v, ok := stringShape(in.File.Src, s); ok && stageURI.MatchString(v) {
				pass.Report(diag(in.File, s, "stage-based model URIs are deprecated since MLflow 2.9 (FutureWarning; registry stages will be removed in a future major release); "+mlf903Advice, nil, false))
			}
		}
		if !in.Resolver.Seen("mlflow") && !in.File.Databricks {
			return nil, nil
		}
		for _, call := range in.Index.Of("call") {
			fn := parser.Unparen(parser.Field(call, "function"))
			if fn == nil || fn.Type() != "attribute" {
				continue
			}
			name := parser.Field(fn, "attribute")
			method := in.File.Text(name)
			slot, tagMethod := stageArgMethods[method]
			if !stageMethods[method] && !tagMethod {
				continue
			}
			if in.Resolver.KindOf(stageClientKinds, parser.Field(fn, "object")) != "client" {
				continue
			}
			if stageMethods[method] {
				pass.Report(diag(in.File, name, "`MlflowClient."+method+"` is deprecated since MLflow 2.9 (FutureWarning; registry stages will be removed in a future major release); "+mlf903Advice, nil, false))
				continue
			}
			msg := "the `stage` argument of `MlflowClient." + method + "` is deprecated since MLflow 2.9 (FutureWarning); pass `version=` and " + mlf903Advice
			for _, k := range keywords(in, call) {
				if k.Name == "stage" {
					pass.Report(diag(in.File, k.NameNode, msg, nil, false))
				}
			}
			if pos := positional(call); len(pos) > slot {
				pass.Report(diag(in.File, pos[slot], msg, nil, false))
			}
		}
		return nil, nil
	},
})

var _ = triggers("MLF903", "models:/", "get_latest_versions", "transition_model_version_stage", "get_model_version_stages", "set_model_version_tag", "delete_model_version_tag")

func init() {
	analyzer.CheckPattern("models:/", stageURIMayStart)
	for m := range stageMethods {
		analyzer.CheckPattern(m, attributeMayStart)
	}
	for m := range stageArgMethods {
		analyzer.CheckPattern(m, attributeMayStart)
	}
}

// attributeMayStart reports whether the match src[i:j] of a method's
// name may be where MLF903 reads it, the attribute of a call: the name
// alone, after a dot (blanks between), or first on its line, where a dot
// may end a line before it (a comment after the dot, inside brackets).
// The name a def statement defines, a string of it and a bare name are
// no attribute.
func attributeMayStart(src []byte, i, j int) bool {
	if i > 0 && isWordByte(src[i-1]) || j < len(src) && isWordByte(src[j]) {
		return false
	}
	k := i - 1
	for k >= 0 && (src[k] == ' ' || src[k] == '\t' || src[k] == '\f') {
		k--
	}
	return k < 0 || src[k] == '.' || src[k] == '\n' || src[k] == '\r'
}

// stageURIMayStart reports whether the "models:/" of src[start:end] may
// start a string whose shape stageURI matches, as far as the text up to
// the string's end tells: right after the opening quote, then a name
// without "/" or "@", one "/", and a stage up to the closing quote. An
// escape, a replacement field or a line break on the way may stand for
// anything, and count.
func stageURIMayStart(src []byte, start, end int) bool {
	if start == 0 || src[start-1] != '"' && src[start-1] != '\'' {
		return false
	}
	q := src[start-1]
	closing := []byte{q}
	if start >= 3 && src[start-2] == q && src[start-3] == q {
		closing = []byte{q, q, q}
	}
	slash := -1
	for k := end; k < len(src); k++ {
		switch src[k] {
		case '\\', '{', '\n', '\r':
			return true
		case '@':
			return false
		case '/':
			if slash >= 0 {
				return false
			}
			slash = k
		case q:
			if bytes.HasPrefix(src[k:], closing) {
				return slash > end && stageURI.Match(append([]byte("models:/x/"), src[slash+1:k]...))
			}
		}
	}
	return true
}

// stringShape returns the text of a string literal, with every
// replacement field of an f-string written as "X".
func stringShape(src []byte, s *parser.Node) (string, bool) {
	if v, ok := parser.StringValue(src, s); ok {
		return v, true
	}
	var b strings.Builder
	for _, c := range parser.Children(s) {
		switch c.Type() {
		case "string_start":
			if strings.ContainsAny(strings.ToLower(string(src[c.StartByte():c.EndByte()])), "b") {
				return "", false
			}
		case "string_content", "escape_sequence":
			b.Write(src[c.StartByte():c.EndByte()])
		case "interpolation":
			b.WriteByte('X')
		}
	}
	return b.String(), true
}
