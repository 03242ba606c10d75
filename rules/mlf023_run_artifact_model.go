package rules

import (
	"fmt"
	"regexp"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

// MLF023 reports models loaded through run artifact paths, which MLflow 3
// no longer uses for models (they live under the logged model):
//   - `mlflow.<flavor>.load_model(...)` / `mlflow.pyfunc.load_model(...)`
//     whose model URI is built from `mlflow.get_artifact_uri(...)` (or a
//     name assigned once from such an expression in the same scope): the
//     3.x load raises an MlflowException (resource not found) (error);
//   - `mlflow.artifacts.download_artifacts(run_id=..., artifact_path=P)`
//     where P is a literal the same file logs a model under (`name=` or
//     `artifact_path=` of a log_model call): the download finds nothing
//     (warning, as the path may still hold other artifacts).
//
// There is no fix: the code must keep the ModelInfo returned by log_model
// and load `info.model_uri`.
var MLF023 = register(&analysis.Analyzer{
	Name:             "MLF023",
	Doc:              analyzerDoc("MLF023"),
	URL:              docURL("MLF023"),
	Requires:         shared,
	RunDespiteErrors: true,
	Run:              runMLF023,
})

// A model loaded from a run artifact URI needs load_model or load_pyfunc
// and a get_artifact_uri; a download of a model's path needs the download
// and a log_model call naming the path.
var _ = wordTriggers("MLF023", append(append(pathAlts(artifactURIFuncs, "load_model"), pathAlts(artifactURIFuncs, "load_pyfunc")...),
	pathAlts(downloadArtifactsFuncs, "log_model")...)...)

var (
	loadModelRe = regexp.MustCompile(`^mlflow\.[a-z_]+\.(load_model|load_pyfunc)$`)
	logModelRe  = regexp.MustCompile(`^mlflow\.[a-z_]+\.log_model$`)
)

var artifactURIFuncs = set(
	"mlflow.get_artifact_uri",
	"mlflow.tracking.fluent.get_artifact_uri",
	"mlflow.tracking.artifact_utils.get_artifact_uri",
)

var downloadArtifactsFuncs = set("mlflow.artifacts.download_artifacts")

const (
	mlf023LoadMsg     = "MLflow 3 stores models outside the run's artifacts, so loading a model from `get_artifact_uri(...)` fails (MlflowException: resource not found); load `model_info.model_uri` returned by `log_model` (or `models:/<model_id>`)"
	mlf023DownloadMsg = "MLflow 3 stores models outside the run's artifacts, so downloading the model's run artifact path `%s` finds nothing; download or load `model_info.model_uri` returned by `log_model` instead"
)

func runMLF023(pass *analysis.Pass) (any, error) {
	in := analyzer.In(pass)
	if !in.Resolver.Seen("mlflow") && !in.File.Databricks {
		return nil, nil
	}
	modelNames := map[string]bool{}
	for _, c := range in.Index.Of("call") {
		qn := in.Resolver.Callee(c)
		switch {
		case loadModelRe.MatchString(qn):
			arg := argOrKeyword(in, c, 0, "model_uri")
			if at := artifactURIIn(in, arg, c); at != nil {
				pass.Report(diag(in.File, at, mlf023LoadMsg, nil, false))
			}
		case logModelRe.MatchString(qn):
			for _, k := range keywords(in, c) {
				if k.Name == "name" || k.Name == "artifact_path" {
					if v, ok := parser.StringValue(in.File.Src, parser.Unparen(k.Value)); ok {
						modelNames[v] = true
					}
				}
			}
			// The model name is the second positional argument, except for
			// pyfunc, whose log_model takes no model object first.
			slot := 1
			if qn == "mlflow.pyfunc.log_model" {
				slot = 0
			}
			if pos := positional(c); len(pos) > slot {
				if v, ok := parser.StringValue(in.File.Src, pos[slot]); ok {
					modelNames[v] = true
				}
			}
		}
	}
	calls(in, downloadArtifactsFuncs, func(c *parser.Node, _ string) {
		if argOrKeyword(in, c, 1, "run_id") == nil {
			return
		}
		p := parser.Unparen(argOrKeyword(in, c, 2, "artifact_path"))
		if v, ok := parser.StringValue(in.File.Src, p); ok && modelNames[v] {
			d := diag(in.File, p, fmt.Sprintf(mlf023DownloadMsg, v), nil, false)
			d.Category = "warning"
			pass.Report(d)
		}
	})
	return nil, nil
}

// argOrKeyword returns the argument of call at a position or keyword.
func argOrKeyword(in analyzer.Inputs, call *parser.Node, pos int, kw string) *parser.Node {
	for _, k := range keywords(in, call) {
		if k.Name == kw && !k.ViaDict {
			return k.Value
		}
	}
	if p := positional(call); len(p) > pos {
		return p[pos]
	}
	return nil
}

// artifactURIIn returns the get_artifact_uri call inside e, or e itself
// when it is a name bound once, in the scope of call, to an expression
// holding one.
func artifactURIIn(in analyzer.Inputs, e, call *parser.Node) *parser.Node {
	e = parser.Unparen(e)
	if e == nil {
		return nil
	}
	if e.Type() == "identifier" {
		b := in.Resolver.BindingOf(e)
		if b == nil || b.Kind != analyzer.BindAssign || b.Value == nil || b.Scope != in.Resolver.ScopeAt(int(call.StartByte())) {
			return nil
		}
		if findArtifactURICall(in, b.Value) != nil {
			return e
		}
		return nil
	}
	return findArtifactURICall(in, e)
}

// findArtifactURICall returns the first call of get_artifact_uri in n.
func findArtifactURICall(in analyzer.Inputs, n *parser.Node) *parser.Node {
	if n == nil {
		return nil
	}
	if n.Type() == "call" && artifactURIFuncs[in.Resolver.Callee(n)] {
		return n
	}
	for _, c := range parser.NamedChildren(n) {
		if found := findArtifactURICall(in, c); found != nil {
			return found
		}
	}
	return nil
}
