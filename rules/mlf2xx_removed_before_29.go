package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

// The MLF2nn family: APIs MLflow removed in 2.0 that code written for 2.9
// still calls. They are already broken on every 2.x release, so they run
// for any target (their docs say since 2.0). Sources: the 2.0 release
// notes and the 2.9 sources, see docs/catalog-research.md section 2.
// Removed CLI flags (MLF214, MLF215, cli_removed.go) and REST paths
// (MLF206, MLF207, mlf206_rest_paths.go) are judged from the CLI and REST
// data generated from MLflow's wheels, not from a table here.

// removedAPI describes one MLF2nn rule. Exactly one of Funcs, Method,
// Module and Keyword says what is matched.
type removedAPI struct {
	Code string
	// Funcs are the qualified names of removed functions, matched when
	// imported by name or reached as attributes.
	Funcs []string
	// Method is a removed method of objects of kind Recv.
	Method, Recv string
	// Module is a removed module.
	Module string
	// Keyword is a removed keyword of the functions KeywordOf or, with
	// Recv set, of Method on Recv objects.
	Keyword   string
	KeywordOf map[string]bool
	// What names the removed API in messages; Use says what to do.
	What, Use string
	// Rename is the new name of a function, method or keyword whose
	// rename is a fix; "" means no fix. Delete deletes the keyword.
	Rename string
	Delete bool
	// RenameSafe decides whether the rename is safe for a call (nil: it
	// always is).
	RenameSafe func(in analyzer.Inputs, call *parser.Node) bool
}

var removedAPIs = []removedAPI{
	{Code: "MLF201", Funcs: []string{"mlflow.list_experiments", "mlflow.tracking.fluent.list_experiments"},
		What: "`mlflow.list_experiments`", Use: "use `mlflow.search_experiments`, which takes the same `view_type` and `max_results`", Rename: "search_experiments"},
	{Code: "MLF202", Method: "list_experiments", Recv: kindClient,
		What: "`MlflowClient.list_experiments`", Use: "use `MlflowClient.search_experiments` (its third positional parameter is `filter_string`, and `max_results` defaults to 1000)", Rename: "search_experiments",
		RenameSafe: func(in analyzer.Inputs, call *parser.Node) bool {
			return len(positional(call)) == 0 && !hasSplat(call) && hasKeyword(keywords(in, call), "max_results")
		}},
	{Code: "MLF203", Method: "list_registered_models", Recv: kindClient,
		What: "`MlflowClient.list_registered_models`", Use: "use `MlflowClient.search_registered_models` (its first positional parameter is `filter_string`)", Rename: "search_registered_models",
		RenameSafe: func(_ analyzer.Inputs, call *parser.Node) bool { return len(positional(call)) == 0 && !hasSplat(call) }},
	{Code: "MLF204", Method: "list_run_infos", Recv: kindClient,
		What: "`MlflowClient.list_run_infos`", Use: "use `[r.info for r in client.search_runs([experiment_id], ...)]` (`search_runs` returns runs, not `RunInfo` objects)"},
	{Code: "MLF205", Funcs: []string{"mlflow.list_run_infos", "mlflow.tracking.fluent.list_run_infos"},
		What: "`mlflow.list_run_infos`", Use: "use `[r.info for r in mlflow.search_runs(experiment_ids=[experiment_id], output_format=\"list\")]`"},
	{Code: "MLF208", Funcs: []string{"mlflow.sklearn.eval_and_log_metrics"},
		What: "`mlflow.sklearn.eval_and_log_metrics`", Use: "log the model and use `mlflow.models.evaluate(model_uri, data, targets=..., model_type=...)`"},
	{Code: "MLF209", Funcs: []string{"mlflow.sagemaker.deploy", "mlflow.sagemaker.delete"},
		What: "`mlflow.sagemaker.deploy`/`delete`", Use: "use `mlflow.deployments.get_deploy_client(\"sagemaker\").create_deployment(...)` / `.delete_deployment(...)`"},
	{Code: "MLF210", Module: "mlflow.azureml",
		What: "`mlflow.azureml`", Use: "deploy with the `azureml-mlflow` plugin through `mlflow.deployments.get_deploy_client(\"azureml\")`"},
	{Code: "MLF211", Module: "mlflow.pipelines",
		What: "`mlflow.pipelines`", Use: "it became `mlflow.recipes` in 2.0, itself removed in 3.0 (MLF001): rewrite the pipeline as plain MLflow code"},
	{Code: "MLF212", Method: "predict", Recv: kindDeployClient, Keyword: "df",
		What: "`predict(df=...)` of a deployments client", Use: "pass `inputs=`", Rename: "inputs"},
	{Code: "MLF213", Keyword: "dataset_name", KeywordOf: evaluateFuncs,
		What: "`evaluate(dataset_name=...)`", Use: "drop it: the dataset name comes from an `mlflow.data` dataset passed as `data`", Delete: true},
}

func init() {
	for i := range removedAPIs {
		r := &removedAPIs[i]
		register(removedAPIRule(r))
		switch {
		case r.Keyword != "" && r.Recv != "":
			wordTriggers(r.Code, r.Method+" "+r.Keyword)
		case r.Keyword != "":
			wordTriggers(r.Code, pathAlts(r.KeywordOf, r.Keyword)...)
		case r.Method != "":
			wordTriggers(r.Code, r.Method)
		case r.Module != "":
			wordTriggers(r.Code, writtenPath(r.Module))
		default:
			wordTriggers(r.Code, pathAlts(set(r.Funcs...), "")...)
		}
	}
}

func (r *removedAPI) message() string {
	return r.What + " is already broken on MLflow 2.x: removed in MLflow 2.0; " + r.Use
}

func removedAPIRule(r *removedAPI) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:             r.Code,
		Doc:              analyzerDoc(r.Code),
		URL:              docURL(r.Code),
		Requires:         shared,
		RunDespiteErrors: true,
		Run: func(pass *analysis.Pass) (any, error) {
			in := analyzer.In(pass)
			if !in.Resolver.Seen("mlflow") && !in.File.Databricks {
				return nil, nil
			}
			report := func(n *parser.Node, fix *analysis.SuggestedFix, unsafe bool) {
				pass.Report(diag(in.File, n, r.message(), fix, unsafe))
			}
			switch {
			case r.Module != "":
				moduleUses(in, r.Module, func(n *parser.Node) { report(n, nil, false) })
			case r.Keyword != "":
				r.keywordUses(in, report)
			case r.Method != "":
				r.methodCalls(in, report)
			default:
				r.funcUses(in, report)
			}
			return nil, nil
		},
	}
}

// funcUses reports imports of a removed function by name and attribute
// accesses reaching it; calls through an imported name are covered by the
// finding on the import.
func (r *removedAPI) funcUses(in analyzer.Inputs, report func(*parser.Node, *analysis.SuggestedFix, bool)) {
	funcs := set(r.Funcs...)
	for _, imp := range in.Resolver.Imports() {
		if imp.Relative || imp.Name == "" || !funcs[imp.Full] {
			continue
		}
		var fix *analysis.SuggestedFix
		if r.Rename != "" {
			text := r.Rename
			if imp.Bound == imp.Name {
				// Keep the local name so the calls stay valid.
				text = r.Rename + " as " + imp.Name
			}
			fix = renameFix(in.File, imp.Node, text, "Import `"+r.Rename+"`")
		}
		report(imp.Node, fix, false)
	}
	for _, a := range in.Index.Of("attribute") {
		attr := parser.Field(a, "attribute")
		if attr == nil || !funcs[in.Resolver.Resolve(a)] {
			continue
		}
		var fix *analysis.SuggestedFix
		if r.Rename != "" {
			fix = renameFix(in.File, attr, r.Rename, "Rename `"+in.File.Text(attr)+"` to `"+r.Rename+"`")
		}
		report(attr, fix, false)
	}
}

// methodCalls reports calls of the removed method on a known receiver.
func (r *removedAPI) methodCalls(in analyzer.Inputs, report func(*parser.Node, *analysis.SuggestedFix, bool)) {
	r.receiverCalls(in, func(call, name *parser.Node) {
		var fix *analysis.SuggestedFix
		unsafe := false
		if r.Rename != "" {
			fix = renameFix(in.File, name, r.Rename, "Rename `"+r.Method+"` to `"+r.Rename+"`")
			unsafe = r.RenameSafe != nil && !r.RenameSafe(in, call)
		}
		report(name, fix, unsafe)
	})
}

// receiverCalls calls fn for every call of r.Method on an object of kind
// r.Recv, with the method name node.
func (r *removedAPI) receiverCalls(in analyzer.Inputs, fn func(call, name *parser.Node)) {
	for _, call := range in.Index.Of("call") {
		f := parser.Unparen(parser.Field(call, "function"))
		if f == nil || f.Type() != "attribute" {
			continue
		}
		name := parser.Field(f, "attribute")
		if name == nil || in.File.Text(name) != r.Method {
			continue
		}
		if kindOf(in, parser.Field(f, "object")) == r.Recv {
			fn(call, name)
		}
	}
}

// keywordUses reports the removed keyword.
func (r *removedAPI) keywordUses(in analyzer.Inputs, report func(*parser.Node, *analysis.SuggestedFix, bool)) {
	check := func(call *parser.Node) {
		kws := keywords(in, call)
		for _, k := range kws {
			if k.Name != r.Keyword {
				continue
			}
			var fix *analysis.SuggestedFix
			switch {
			case r.Delete && !k.ViaDict:
				fix = &analysis.SuggestedFix{Message: "Remove `" + r.Keyword + "=`", TextEdits: []analysis.TextEdit{deleteArg(in.File, k.Node)}}
			case r.Rename != "" && !hasKeyword(kws, r.Rename):
				fix = renameFix(in.File, k.NameNode, r.Rename, "Rename `"+r.Keyword+"` to `"+r.Rename+"`")
			}
			report(k.NameNode, fix, false)
		}
	}
	if r.Recv != "" {
		r.receiverCalls(in, func(call, _ *parser.Node) { check(call) })
		return
	}
	calls(in, r.KeywordOf, func(call *parser.Node, _ string) { check(call) })
}

// hasSplat reports whether a call passes *args or **kwargs.
func hasSplat(call *parser.Node) bool {
	for _, a := range parser.NamedChildren(parser.Field(call, "arguments")) {
		if t := a.Type(); t == "list_splat" || t == "dictionary_splat" {
			return true
		}
	}
	return false
}
