package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/apidb"
	"github.com/mlflowlint/mlflowlint/parser"
)

// MLF308 reports an MLFLOW_* environment variable that a source release
// reads (mlflow/environment_variables.py defines it) and the target
// release no longer names anywhere in its package: setting it has no
// effect. The facts come from the CLI and environment data
// (apidb.LoadCLI). The Python half reads string literals
// (os.environ["MLFLOW_X"] = ..., os.getenv("MLFLOW_X"),
// monkeypatch.setenv("MLFLOW_X", ...)); the text half the settings of
// .env files, Dockerfile ENV, shell and Makefile assignments, compose,
// workflow and Kubernetes env blocks. MLF022 owns
// MLFLOW_GCS_DEFAULT_TIMEOUT (renamed, with a fix); MLF308 is silent there.
var MLF308 = register(&analysis.Analyzer{
	Name:             "MLF308",
	Doc:              analyzerDoc("MLF308"),
	URL:              docURL("MLF308"),
	Requires:         shared,
	RunDespiteErrors: true,
	Run:              runMLF308,
})

// The Python half reports only a variable that some release defines and a
// later one no longer names: those names are its trigger words.
var _ = wordTriggersFunc("MLF308", "", func() []string {
	return slices.DeleteFunc(slices.Clone(apidb.DroppedEnv()), func(v string) bool { return v == gcsTimeoutVar })
})

var envNameRe = regexp.MustCompile(`\bMLFLOW_[A-Z0-9_]+\b`)

// isMlflowEnvName reports whether v is the whole name of an MLflow environment
// variable as envNameRe finds one (MLFLOW_, then capitals, digits and
// underscores): the test of each string literal of a parsed file, where
// a regexp took some 1% of a run over MLflow's own modules.
func isMlflowEnvName(v string) bool {
	rest, ok := strings.CutPrefix(v, "MLFLOW_")
	if !ok || rest == "" {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// removedEnvMessage words a removed variable, or returns "" when the
// variable is not one.
func removedEnvMessage(name string, rng analyzer.APIRange) string {
	if name == gcsTimeoutVar {
		return ""
	}
	db := apidb.LoadCLI()
	if db.EnvNamed(name, rng.Target) {
		return ""
	}
	read := false
	for _, s := range rng.Source {
		read = read || db.EnvDefined(name, s)
	}
	last := lastWith(rng.Target, func(r int) bool { return db.EnvNamed(name, r) })
	if !read || last < 0 {
		return ""
	}
	vs := db.Versions()
	msg := fmt.Sprintf("MLflow %s no longer reads the environment variable `%s` (removed in MLflow %s, last in %s): setting it has no effect",
		vs[rng.Target], name, releaseLabel(vs, last+1), vs[last])
	for i := len(rng.Source) - 1; i >= 0; i-- {
		if renamed := db.EnvRenamed(name, rng.Source[i], rng.Target); renamed != "" {
			return msg + "; it was renamed `" + renamed + "`"
		}
	}
	return msg
}

// envVarCalls take a variable name as their first argument.
var envVarCalls = set("getenv", "putenv", "unsetenv", "setenv", "delenv")

// environCalls are the methods of os.environ that take a variable name.
var environCalls = set("get", "setdefault", "pop")

// envContext reports whether a string literal names an environment
// variable by where it sits: os.environ["X"], os.getenv("X"),
// os.environ.get/setdefault/pop("X"), monkeypatch.setenv("X", ...), a
// dict key (an env mapping for subprocess or patch.dict), `"X" in
// os.environ`. A definition such as _EnvironmentVariable("X", ...) is not
// a setting.
func envContext(src []byte, s *parser.Node) bool {
	text := func(n *parser.Node) string {
		if n == nil {
			return ""
		}
		return string(src[n.StartByte():n.EndByte()])
	}
	p := s.Parent()
	if p == nil {
		return false
	}
	switch p.Type() {
	case "subscript":
		return strings.HasSuffix(text(p.ChildByFieldName("value")), "environ")
	case "pair":
		k := p.ChildByFieldName("key")
		return k != nil && k.StartByte() == s.StartByte()
	case "comparison_operator":
		return strings.Contains(text(p), "environ")
	case "argument_list":
		if first := p.NamedChild(0); first == nil || first.StartByte() != s.StartByte() {
			return false
		}
		fn := text(p.Parent().ChildByFieldName("function"))
		obj, name := "", fn
		if i := strings.LastIndexByte(fn, '.'); i >= 0 {
			obj, name = fn[:i], fn[i+1:]
		}
		return envVarCalls[name] || environCalls[name] && strings.HasSuffix(obj, "environ")
	}
	return false
}

func runMLF308(pass *analysis.Pass) (any, error) {
	in := analyzer.In(pass)
	rng := in.Config.API
	if len(rng.Source) == 0 {
		rng = analyzer.DefaultAPIRange()
	}
	for _, s := range in.Index.Of("string") {
		v, ok := parser.StringValue(in.File.Src, s)
		if !ok || !isMlflowEnvName(v) {
			continue
		}
		if !envContext(in.File.Src, s) {
			continue
		}
		msg := removedEnvMessage(v, rng)
		content := parser.StringContent(s)
		if msg == "" || content == nil {
			continue
		}
		d := diag(in.File, content, msg, nil, false)
		d.Category = "warning"
		pass.Report(d)
	}
	return nil, nil
}

// mlf308Env is the text half of MLF308.
var mlf308Env = registerText(&analyzer.TextRule{
	Code:     "MLF308",
	Match:    setsEnv,
	Triggers: [][]byte{[]byte("MLFLOW_")},
	Check: func(_ string, src []byte, cfg *analyzer.RunConfig) []analyzer.TextIssue {
		rng := apiRange(cfg)
		var out []analyzer.TextIssue
		seen := map[string]bool{}
		for _, name := range envNameRe.FindAll(src, -1) {
			if seen[string(name)] {
				continue
			}
			seen[string(name)] = true
			msg := removedEnvMessage(string(name), rng)
			if msg == "" {
				continue
			}
			for _, s := range envSettings(src, string(name)) {
				if !assigns(src, s, len(name)) {
					continue
				}
				out = append(out, analyzer.TextIssue{Message: msg, Severity: analyzer.SeverityWarning, Start: s.NameStart, End: s.NameStart + len(name)})
			}
		}
		return out
	},
})

// assigns reports whether a place naming a variable gives it a value
// (`NAME=`, `NAME: value`, `ENV NAME value`, `- name: NAME` + `value:`),
// rather than only naming it (`unset NAME`, `echo NAME`).
func assigns(src []byte, s envSetting, n int) bool {
	if s.ValueStart >= 0 {
		return true
	}
	i := s.NameStart + n
	return i < len(src) && (src[i] == '=' || src[i] == ':')
}
