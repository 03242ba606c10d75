package rules

import (
	"strings"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/apidb"
	"github.com/mlflowlint/mlflowlint/parser"
)

// Known receivers: what MLflow calls return, from docs/catalog-research.md
// section 3 (2.9 signatures and return annotations). Rules ask
// kindOf(in, expr), which reads the API data's types first, and compare
// with these kinds.
const (
	kindClient       = "client"       // MlflowClient
	kindRun          = "run"          // Run / ActiveRun
	kindRunList      = "runs"         // PagedList[Run] / List[Run]
	kindRunInfo      = "runinfo"      // RunInfo
	kindModelInfo    = "modelinfo"    // ModelInfo
	kindModel        = "model"        // mlflow.models.Model
	kindEvalResult   = "evalresult"   // EvaluationResult
	kindDeployClient = "deployclient" // BaseDeploymentClient
)

// clientPaths are the public paths of MlflowClient in 2.9 and 3.x.
var clientPaths = set(
	"mlflow.MlflowClient",
	"mlflow.client.MlflowClient",
	"mlflow.tracking.MlflowClient",
	"mlflow.tracking.client.MlflowClient",
)

// runInfoPaths are the paths of the RunInfo class.
var runInfoPaths = set(
	"mlflow.entities.RunInfo",
	"mlflow.entities.run_info.RunInfo",
)

// evaluationResultPaths are the paths of the EvaluationResult class.
var evaluationResultPaths = set(
	"mlflow.models.EvaluationResult",
	"mlflow.models.evaluation.EvaluationResult",
	"mlflow.models.evaluation.base.EvaluationResult",
)

var mlflowKinds = buildKinds()

// buildKinds holds what the API data does not say, because MLflow's code
// carries no return annotation there (or a union): the data's types
// (classKinds, through kindOf) already give MlflowClient(...),
// mlflow.start_run(), get_run, active_run, last_active_run,
// get_parent_run, RunInfo(...), Model(...), get_model_info, the client's
// get_run, create_run, get_parent_run and search_runs, and Run.info.
// TestHandKindsAreNotInTheData keeps it that way.
func buildKinds() *analyzer.Kinds {
	k := &analyzer.Kinds{
		Funcs: map[string]string{},
		Methods: map[string]string{
			kindModel + ".get_model_info": kindModelInfo,
		},
		Elems: map[string]string{
			kindRunList: kindRun,
		},
		// ActiveRun.__enter__ returns the run itself.
		Enter: map[string]string{kindRun: kindRun},
	}
	for qn := range evaluateFuncs {
		k.Funcs[qn] = kindEvalResult
	}
	for qn := range evaluationResultPaths {
		k.Funcs[qn+".load"] = kindEvalResult
	}
	for _, mod := range []string{"mlflow", "mlflow.tracking.fluent"} {
		k.Funcs[mod+".search_runs"] = kindRunList
	}
	for _, p := range []string{"mlflow.models.Model", "mlflow.models.model.Model"} {
		k.Funcs[p+".load"] = kindModel
		k.Funcs[p+".log"] = kindModelInfo
	}
	for _, p := range []string{"mlflow.deployments.get_deploy_client", "mlflow.deployments.interface.get_deploy_client"} {
		k.Funcs[p] = kindDeployClient
	}
	// A member of an object of a known kind: what the data says of the
	// class of that kind, in the newest 2.x release.
	k.Member = func(kind, name string, called bool) string {
		class := kindClasses[kind]
		if class == "" {
			return ""
		}
		db := apidb.Load()
		src, _ := apidb.Select("2")
		r := db.Member(class, name, src[len(src)-1])
		if r.Status != apidb.Found || called != (r.Entry.Kind == apidb.Function) {
			return ""
		}
		ret := r.Entry.Returns()
		c := db.Resolve(strings.TrimPrefix(ret, "["), src[len(src)-1])
		if ret == "" || c.Status != apidb.Found {
			return ""
		}
		if strings.HasPrefix(ret, "[") {
			return classKinds["["+c.Node.Path()]
		}
		return classKinds[c.Node.Path()]
	}
	// Every flavor's log_model returns a ModelInfo: mlflow.<flavor>.log_model.
	k.Func = func(qn string, _ *parser.Node) string {
		if rest, ok := strings.CutPrefix(qn, "mlflow."); ok {
			if flavor, ok := strings.CutSuffix(rest, ".log_model"); ok && flavor != "" && !strings.Contains(flavor, ".") {
				return kindModelInfo
			}
		}
		return ""
	}
	k.Check = func(src []byte, call *parser.Node, qn, kind string) string {
		// mlflow.search_runs returns a DataFrame unless output_format="list".
		if (qn == "mlflow.search_runs" || qn == "mlflow.tracking.fluent.search_runs") && !outputFormatList(src, call) {
			return ""
		}
		return kind
	}
	return k
}

// classKinds maps the MLflow classes of the API data (analyzer.Typer) to
// the kinds above.
var classKinds = map[string]string{
	"mlflow.tracking.client.MlflowClient":            kindClient,
	"mlflow.entities.run.Run":                        kindRun,
	"mlflow.tracking.fluent.ActiveRun":               kindRun,
	"[mlflow.entities.run.Run":                       kindRunList,
	"mlflow.entities.run_info.RunInfo":               kindRunInfo,
	"mlflow.models.model.ModelInfo":                  kindModelInfo,
	"mlflow.models.model.Model":                      kindModel,
	"mlflow.models.evaluation.base.EvaluationResult": kindEvalResult,
	"mlflow.deployments.base.BaseDeploymentClient":   kindDeployClient,
}

// kindClasses maps each kind to its class in the API data.
var kindClasses = func() map[string]string {
	m := map[string]string{}
	for c, k := range classKinds {
		if !strings.HasPrefix(c, "[") {
			if old, ok := m[k]; !ok || c < old {
				m[k] = c
			}
		}
	}
	return m
}()

// kindOf returns the kind of object e holds: from the API data's types
// (return annotations, self attributes, annotated parameters, subclasses),
// else from the hand table above, which knows what the annotations do not
// say (search_runs returns runs only with output_format="list").
func kindOf(in analyzer.Inputs, e *parser.Node) string {
	if k := classKinds[in.Types.TypeOf(e)]; k != "" {
		return k
	}
	return in.Resolver.KindOf(mlflowKinds, e)
}

// outputFormatList reports whether a call passes output_format="list".
func outputFormatList(src []byte, call *parser.Node) bool {
	for _, a := range parser.NamedChildren(parser.Field(call, "arguments")) {
		if a.Type() != "keyword_argument" {
			continue
		}
		name, val := parser.Field(a, "name"), parser.Field(a, "value")
		if name == nil || val == nil || string(src[name.StartByte():name.EndByte()]) != "output_format" {
			continue
		}
		v, ok := parser.StringValue(src, val)
		return ok && v == "list"
	}
	return false
}

// attrReads calls fn for every read (not an assignment target or a del)
// of the attribute name on an object of the given kind.
func attrReads(in analyzer.Inputs, name, kind string, fn func(a, attr *parser.Node)) {
	for _, a := range in.Index.Of("attribute") {
		attr := parser.Field(a, "attribute")
		if attr == nil || in.File.Text(attr) != name || isStoreTarget(a) {
			continue
		}
		if kindOf(in, parser.Field(a, "object")) == kind {
			fn(a, attr)
		}
	}
}

// isStoreTarget reports whether an attribute is assigned to or deleted
// rather than read.
func isStoreTarget(a *parser.Node) bool {
	p := a.Parent()
	if p == nil || p.IsNull() {
		return false
	}
	switch p.Type() {
	case "assignment", "augmented_assignment":
		l := parser.Field(p, "left")
		return l != nil && l.StartByte() == a.StartByte() && l.EndByte() == a.EndByte()
	case "delete_statement":
		return true
	}
	return false
}
