package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/apidb"
	"github.com/mlflowlint/mlflowlint/parser"
)

// MLF010 reports RunInfo.run_uuid, removed in MLflow 3.0: reads of
// `<run>.info.run_uuid` where the run is known (see known_receivers.go),
// reads on a RunInfo(...) object, and RunInfo(run_uuid=...).
//
// Precision first: the receiver must be inferred from an MLflow producer
// (mlflow.start_run(), mlflow.active_run(), mlflow.get_run(), a client's
// get_run() or search_runs(), a `with mlflow.start_run() as run:` target,
// a for-loop variable over runs, or a name assigned from one of those).
// `run.info.run_uuid` on a parameter of unknown type is not reported.
var MLF010 = register(&analysis.Analyzer{
	Name:             "MLF010",
	Doc:              analyzerDoc("MLF010"),
	URL:              docURL("MLF010"),
	Requires:         shared,
	RunDespiteErrors: true,
	Run:              runMLF010,
})

// Reads are reported where the statement writes `.run_uuid`; the
// keyword and the positional form are calls of RunInfo, which its path
// words find: only a call that passes run_uuid (or a mapping) or nine
// positional arguments, whatever it unpacks.
var _ = wordTriggers("MLF010", append(pathAlts(runInfoPaths, ""), writtenMember("run_uuid"))...).
	Gating("RunInfo", &apidb.CallGate{Cap: 8, AttrCap: 8, Open: true, Keywords: []string{"run_uuid"}, Splat: true})

const mlf010Msg = "`RunInfo.run_uuid` was removed in MLflow 3.0 (AttributeError: 'RunInfo' object has no attribute 'run_uuid'); read `run_id`"

func runMLF010(pass *analysis.Pass) (any, error) {
	in := analyzer.In(pass)
	if !in.Resolver.Seen("mlflow") && !in.File.Databricks {
		return nil, nil
	}
	attrReads(in, "run_uuid", kindRunInfo, func(_, attr *parser.Node) {
		fix := renameFix(in.File, attr, "run_id", "Rename `run_uuid` to `run_id`")
		pass.Report(diag(in.File, attr, mlf010Msg, fix, false))
	})
	calls(in, runInfoPaths, func(call *parser.Node, _ string) {
		kws := keywords(in, call)
		both := hasKeyword(kws, "run_id")
		for _, k := range kws {
			if k.Name != "run_uuid" {
				continue
			}
			var fix *analysis.SuggestedFix
			if !both {
				fix = renameFix(in.File, k.NameNode, "run_id", "Rename `run_uuid` to `run_id`")
			}
			pass.Report(diag(in.File, k.NameNode, "`RunInfo(run_uuid=...)` was removed in MLflow 3.0 (TypeError: unexpected keyword argument); pass `run_id`", fix, true))
		}
		// 2.9: RunInfo(run_uuid, experiment_id, user_id, status, start_time,
		// end_time, lifecycle_stage, artifact_uri, run_id, run_name); 3.x:
		// RunInfo(run_id, ..., artifact_uri, run_name). The first slot keeps
		// its meaning; a ninth positional argument (2.9's run_id) becomes
		// run_name, and a tenth is one too many.
		if pos := positional(call); len(pos) >= 9 {
			pass.Report(diag(in.File, pos[8], "the ninth positional argument of `RunInfo(...)` was `run_id` in MLflow 2.x and is `run_name` in 3.0, which removed `run_uuid`; pass the trailing arguments by keyword", nil, false))
		}
	})
	return nil, nil
}
