package rules

import (
	"strings"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/apidb"
)

// MLF008 reports `mlflow deployments start-server`, removed in MLflow 3.0,
// in scripts, Dockerfiles, Makefiles, compose files, workflows and MLproject
// files. The gateway server still starts with `mlflow gateway start`; the
// fix rewrites the two command words when every option given is one that
// `mlflow gateway start` accepts. `mlflow gateway start`, `mlflow server`
// and `mlflow models serve` are never reported.
var MLF008 = registerText(&analyzer.TextRule{
	Code:     "MLF008",
	Match:    runsCommands,
	Shell:    true,
	Triggers: [][]byte{[]byte("start-server")},
	Check:    checkMLF008,
})

const mlf008Msg = "`mlflow deployments start-server` was removed in MLflow 3.0 (the command no longer exists, so the server does not start); start the gateway with `mlflow gateway start` (installed by `pip install 'mlflow[gateway]'`), whose config must use `endpoints:` (see MLF009)"

func checkMLF008(_ string, src []byte, cfg *analyzer.RunConfig) []analyzer.TextIssue {
	tgt := apiRange(cfg).Target
	var out []analyzer.TextIssue
	for _, cmd := range mlflowCommands(src) {
		a := cmd.Args
		if len(a) < 2 || a[0].Text != "deployments" || a[1].Text != "start-server" {
			continue
		}
		is := analyzer.TextIssue{Message: mlf008Msg, Start: cmd.Start, End: a[1].End}
		if gatewayOptionsOnly(a[2:], tgt) {
			is.Fix = &analyzer.TextFix{
				Message: "Replace `deployments start-server` with `gateway start`",
				Unsafe:  true,
				Edits: []analyzer.TextEdit{
					{Start: a[0].Start, End: a[0].End, New: requoteWord(src, a[0], "gateway")},
					{Start: a[1].Start, End: a[1].End, New: requoteWord(src, a[1], "start")},
				},
			}
		}
		out = append(out, is)
	}
	return out
}

// gatewayOptionsOnly reports whether every option of args exists in
// `mlflow gateway start` of release tgt, per the CLI data (--config-path,
// --host, --port, --workers in 3.x; values of options are not options).
func gatewayOptionsOnly(args []cliWord, tgt int) bool {
	db := apidb.LoadCLI()
	for _, w := range args {
		if !strings.HasPrefix(w.Text, "-") {
			continue
		}
		name, _, _ := strings.Cut(w.Text, "=")
		if _, ok := db.Option("mlflow gateway start", name, tgt); !ok || name == "--help" {
			return false
		}
	}
	return true
}

// requoteWord returns text written with the quotes w was written with.
func requoteWord(src []byte, w cliWord, text string) string {
	if c := src[w.Start]; (c == '"' || c == '\'') && src[w.End-1] == c && w.End-w.Start >= 2 {
		return string(c) + text + string(c)
	}
	return text
}
