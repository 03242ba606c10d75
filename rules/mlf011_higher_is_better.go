package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

// MLF011 reports MetricThreshold(higher_is_better=...) and reads of the
// removed higher_is_better property.
//
// A property read `t.higher_is_better` is reported when `t` is known to be
// a MetricThreshold: the receiver is a MetricThreshold(...) call, or a name
// whose binding in scope is a single assignment of such a call.
var MLF011 = register(&analysis.Analyzer{
	Name:             "MLF011",
	Doc:              analyzerDoc("MLF011"),
	URL:              docURL("MLF011"),
	Requires:         shared,
	RunDespiteErrors: true,
	Run:              runMLF011,
})

// Reads are reported where the statement writes `.higher_is_better`; the
// keyword and the positional form are calls of MetricThreshold.
var _ = wordTriggers("MLF011", append(pathAlts(metricThresholdPaths, ""), writtenMember("higher_is_better"))...)

const mlf011Msg = "`MetricThreshold(higher_is_better=...)` was removed in MLflow 3.0 (TypeError: unexpected keyword argument); use `greater_is_better`"

func runMLF011(pass *analysis.Pass) (any, error) {
	in := analyzer.In(pass)
	if !in.Resolver.Seen("mlflow") && !in.File.Databricks {
		return nil, nil
	}
	isThreshold := func(call *parser.Node) bool {
		return call != nil && call.Type() == "call" && metricThresholdPaths[in.Resolver.Callee(call)]
	}
	calls(in, metricThresholdPaths, func(call *parser.Node, _ string) {
		kws := keywords(in, call)
		both := hasKeyword(kws, "greater_is_better")
		for _, k := range kws {
			if k.Name != "higher_is_better" {
				continue
			}
			var fix *analysis.SuggestedFix
			if !both {
				fix = renameFix(in.File, k.NameNode, "greater_is_better", "Rename `higher_is_better` to `greater_is_better`")
			}
			pass.Report(diag(in.File, k.NameNode, mlf011Msg, fix, false))
		}
		// MetricThreshold(threshold, min_abs, min_rel, greater, higher):
		// a fifth positional argument is higher_is_better.
		if pos := positional(call); len(pos) >= 5 {
			pass.Report(diag(in.File, pos[4], "the fifth positional argument of `MetricThreshold` is `higher_is_better`, removed in MLflow 3.0 (TypeError: too many positional arguments); pass `greater_is_better=` instead", nil, false))
		}
	})
	for _, a := range in.Index.Of("attribute") {
		attr := parser.Field(a, "attribute")
		if attr == nil || in.File.Text(attr) != "higher_is_better" {
			continue
		}
		obj := parser.Unparen(parser.Field(a, "object"))
		known := isThreshold(obj)
		if !known && obj != nil && obj.Type() == "identifier" {
			if b := in.Resolver.BindingOf(obj); b != nil && b.Kind == analyzer.BindAssign {
				known = isThreshold(parser.Unparen(b.Value))
			}
		}
		if known {
			fix := renameFix(in.File, attr, "greater_is_better", "Rename `higher_is_better` to `greater_is_better`")
			pass.Report(diag(in.File, attr, "`MetricThreshold.higher_is_better` was removed in MLflow 3.0 (AttributeError); read `greater_is_better`", fix, false))
		}
	}
	return nil, nil
}

// positional returns the positional arguments of a call, up to the first
// *args (after which positions are unknown).
func positional(call *parser.Node) []*parser.Node { return analyzer.PositionalArgs(call) }
