package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

// MLF022 reports MLFLOW_GCS_DEFAULT_TIMEOUT, removed in MLflow 3.0 in
// favour of MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT (available since 2.2).
// Importing the constant from mlflow.environment_variables fails (error);
// the variable named in a string ("MLFLOW_GCS_DEFAULT_TIMEOUT" in
// os.environ, os.getenv, a subprocess env dict...) is silently ignored
// (warning). Both get a safe rename. The text half (mlf022Env) reads .env
// files, Dockerfiles, shell scripts, Makefiles and YAML.
var MLF022 = register(&analysis.Analyzer{
	Name:             "MLF022",
	Doc:              analyzerDoc("MLF022"),
	URL:              docURL("MLF022"),
	Requires:         shared,
	RunDespiteErrors: true,
	Run:              runMLF022,
})

var _ = triggers("MLF022", gcsTimeoutVar)

const (
	gcsTimeoutVar      = "MLFLOW_GCS_DEFAULT_TIMEOUT"
	artifactTimeoutVar = "MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT"
	envVarsModule      = "mlflow.environment_variables"
	mlf022ImportMsg    = "`mlflow.environment_variables.MLFLOW_GCS_DEFAULT_TIMEOUT` was removed in MLflow 3.0 (ImportError/AttributeError); use `MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT`"
	mlf022EnvMsg       = "MLflow 3.0 no longer reads the environment variable `MLFLOW_GCS_DEFAULT_TIMEOUT` (the setting is silently ignored); set `MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT`"
	mlf022Title        = "Rename `MLFLOW_GCS_DEFAULT_TIMEOUT` to `MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT`"
)

func runMLF022(pass *analysis.Pass) (any, error) {
	in := analyzer.In(pass)
	// Strings name the variable whatever the imports are.
	for _, s := range in.Index.Of("string") {
		if v, ok := parser.StringValue(in.File.Src, s); !ok || v != gcsTimeoutVar {
			continue
		}
		content := parser.StringContent(s)
		if content == nil {
			continue
		}
		d := diag(in.File, content, mlf022EnvMsg, renameFix(in.File, content, artifactTimeoutVar, mlf022Title), false)
		d.Category = "warning"
		pass.Report(d)
	}
	if !in.Resolver.Seen("mlflow") && !in.File.Databricks {
		return nil, nil
	}
	reportRenamedConstant(pass, in, envVarsModule, gcsTimeoutVar, artifactTimeoutVar, mlf022ImportMsg, mlf022Title)
	return nil, nil
}

// mlf022Env is the text half of MLF022: the variable set in .env files,
// Dockerfile ENV, shell and Makefile assignments and exports, compose and
// workflow `environment:`/`env:` maps and lists, Kubernetes `env:` lists.
// `$MLFLOW_GCS_DEFAULT_TIMEOUT` references are not reported; in a file that
// sets the variable, the fix renames them too.
var mlf022Env = registerText(&analyzer.TextRule{
	Code:     "MLF022",
	Match:    setsEnv,
	Triggers: [][]byte{[]byte(gcsTimeoutVar)},
	Check: func(_ string, src []byte, _ *analyzer.RunConfig) []analyzer.TextIssue {
		var out []analyzer.TextIssue
		for i, s := range envSettings(src, gcsTimeoutVar) {
			end := s.NameStart + len(gcsTimeoutVar)
			fix := &analyzer.TextFix{Message: mlf022Title, Edits: []analyzer.TextEdit{{Start: s.NameStart, End: end, New: artifactTimeoutVar}}}
			if i == 0 {
				// The file sets the variable: its own `$` references follow.
				for _, at := range wordAt(src, gcsTimeoutVar) {
					if isVarReference(src, at) {
						fix.Edits = append(fix.Edits, analyzer.TextEdit{Start: at, End: at + len(gcsTimeoutVar), New: artifactTimeoutVar})
					}
				}
			}
			out = append(out, analyzer.TextIssue{Message: mlf022EnvMsg, Severity: analyzer.SeverityWarning, Start: s.NameStart, End: end, Fix: fix})
		}
		return out
	},
})

// MLF022 reads beyond the statements of its findings: its fix renames
// every use of the imported constant, unless the new name is taken.
func init() {
	analyzer.ReadsBeyond(MLF022, analyzer.Reading{Words: []string{gcsTimeoutVar, artifactTimeoutVar}})
}
