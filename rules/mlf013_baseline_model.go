package rules

import (
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

// MLF013 reports the model-validation arguments removed from evaluate in
// MLflow 3.0: baseline_model, validation_thresholds and baseline_config.
// Where the call is a whole statement, the validation_thresholds finding
// carries an unsafe fix splitting it into evaluations and a
// validate_evaluation_results call.
var MLF013 = mlflowRule("MLF013", func(pass *analysis.Pass, in analyzer.Inputs) {
	calls(in, evaluateFuncs, func(call *parser.Node, qn string) {
		kws := keywords(in, call)
		for _, k := range kws {
			switch k.Name {
			case "baseline_model", "validation_thresholds", "baseline_config":
				var fix *analysis.SuggestedFix
				if k.Name == "validation_thresholds" {
					fix = splitValidation(in, call, kws)
				}
				pass.Report(diag(in.File, k.NameNode, "`"+shortName(qn)+"("+k.Name+"=...)` was removed in MLflow 3.0 (TypeError: unexpected keyword argument); evaluate the candidate and the baseline separately, then call `mlflow.validate_evaluation_results(validation_thresholds=..., candidate_result=..., baseline_result=...)`", fix, true))
			}
		}
	})
})

var _ = keywordTriggers("MLF013", evaluateFuncs, "baseline_model", "validation_thresholds", "baseline_config")

// splitValidation rewrites the statement holding
//
//	r = evaluate(cand, data, ..., baseline_model=b, validation_thresholds=t)
//
// into
//
//	r = evaluate(cand, data, ...)
//	baseline_result = evaluate(b, data, ...)
//	mlflow.validate_evaluation_results(validation_thresholds=t, candidate_result=r, baseline_result=baseline_result)
//
// It returns nil unless the call is the whole statement (or the whole
// right side of an assignment to one name), starting its own line, with
// the model given as the first positional argument or model=, and the
// removed arguments written as plain keywords (no **, no baseline_config).
func splitValidation(in analyzer.Inputs, call *parser.Node, kws []kwarg) *analysis.SuggestedFix {
	f := in.File
	var thresholds, baseline, model *kwarg
	for i := range kws {
		k := &kws[i]
		switch k.Name {
		case "baseline_config":
			return nil // its mapping onto the baseline evaluation is not settled
		case "validation_thresholds":
			thresholds = k
		case "baseline_model":
			baseline = k
		case "model":
			model = k
		}
	}
	if thresholds == nil || thresholds.ViaDict || (baseline != nil && baseline.ViaDict) || (model != nil && model.ViaDict) {
		return nil
	}
	args := parser.Field(call, "arguments")
	for _, a := range parser.NamedChildren(args) {
		if a.Type() == "list_splat" || a.Type() == "dictionary_splat" {
			return nil
		}
	}
	modelValue := (*parser.Node)(nil)
	if model != nil {
		modelValue = model.Value
	} else if pos := positional(call); len(pos) > 0 {
		modelValue = pos[0]
	}
	if modelValue == nil || thresholds.Value == nil || (baseline != nil && baseline.Value == nil) {
		return nil
	}

	// The statement: `call` or `name = call`, alone on its line(s).
	stmt, target := call.Parent(), ""
	if stmt != nil && stmt.Type() == "assignment" {
		left := parser.Field(stmt, "left")
		if left == nil || left.Type() != "identifier" || parser.Field(stmt, "type") != nil || !sameNode(parser.Field(stmt, "right"), call) {
			return nil
		}
		target = f.Text(left)
		stmt = stmt.Parent()
	}
	if stmt == nil || stmt.Type() != "expression_statement" || stmt.NamedChildCount() != 1 {
		return nil
	}
	if p := stmt.Parent(); p == nil || (p.Type() != "module" && p.Type() != "block") {
		return nil
	}
	indent, ok := lineIndent(f.Src, int(stmt.StartByte()))
	if !ok {
		return nil
	}
	if end := skipBlanks(f.Src, int(stmt.EndByte())); end < len(f.Src) && f.Src[end] != '\n' && f.Src[end] != '\r' && f.Src[end] != '#' {
		return nil // `stmt; more` on one line
	}
	mod := mlflowModuleName(in, call)
	if mod == "" {
		return nil
	}

	taken := identifierNames(in)
	lhs := target
	if lhs == "" {
		lhs = freshName(taken, "candidate_result")
	}
	del := []*parser.Node{thresholds.Node}
	if baseline != nil {
		del = append(del, baseline.Node)
	}
	spans := deleteArgs(f, del...)
	cs, ce := int(call.StartByte()), int(call.EndByte())
	var b strings.Builder
	b.WriteString(lhs + " = " + applySpans(f.Src, cs, ce, spans))
	result := ", candidate_result=" + lhs
	if baseline != nil {
		name := freshName(taken, "baseline_result")
		withModel := append(append([]span(nil), spans...), span{int(modelValue.StartByte()), int(modelValue.EndByte()), f.Text(baseline.Value)})
		b.WriteString("\n" + indent + name + " = " + applySpans(f.Src, cs, ce, withModel))
		result += ", baseline_result=" + name
	}
	b.WriteString("\n" + indent + mod + ".validate_evaluation_results(validation_thresholds=" + f.Text(thresholds.Value) + result + ")")
	return &analysis.SuggestedFix{
		Message:   "Split into separate evaluations and `" + mod + ".validate_evaluation_results`",
		TextEdits: []analysis.TextEdit{replace(f, stmt, b.String())},
	}
}

// lineIndent returns the blanks between the start of the line holding
// off and off, and false when anything else precedes off on its line.
func lineIndent(src []byte, off int) (string, bool) {
	ls := off
	for ls > 0 && (src[ls-1] == ' ' || src[ls-1] == '\t') {
		ls--
	}
	if ls > 0 && src[ls-1] != '\n' {
		return "", false
	}
	return string(src[ls:off]), true
}

// mlflowModuleName returns a name bound to the mlflow module where call
// is: the base of the callee (`mf` of `mf.evaluate`) or any import of it.
func mlflowModuleName(in analyzer.Inputs, call *parser.Node) string {
	for e := parser.Unparen(parser.Field(call, "function")); e != nil && e.Type() == "attribute"; e = parser.Unparen(parser.Field(e, "object")) {
		obj := parser.Unparen(parser.Field(e, "object"))
		if obj != nil && obj.Type() == "identifier" && in.Resolver.Resolve(obj) == "mlflow" {
			return in.File.Text(obj)
		}
	}
	off := int(call.StartByte())
	for _, imp := range in.Resolver.Imports() {
		if imp.Bound == "" || imp.Relative {
			continue
		}
		if b := in.Resolver.Lookup(imp.Bound, off); b != nil && b.Kind == analyzer.BindImport && b.QN == "mlflow" {
			return imp.Bound
		}
	}
	return ""
}

// identifierNames returns every identifier spelled in the file.
func identifierNames(in analyzer.Inputs) map[string]bool {
	out := map[string]bool{}
	for _, id := range in.Index.Of("identifier") {
		out[in.File.Text(id)] = true
	}
	return out
}

// freshName returns base, or base_2, base_3... whichever is not in taken,
// and marks it taken.
func freshName(taken map[string]bool, base string) string {
	name := base
	for i := 2; taken[name]; i++ {
		name = base + "_" + strconv.Itoa(i)
	}
	taken[name] = true
	return name
}

// MLF013 reads beyond the statements of its findings: its fix picks
// names no identifier of the file has and writes the name the file
// imports mlflow as.
func init() {
	analyzer.ReadsBeyond(MLF013, analyzer.Reading{Prefixes: []string{"candidate_result", "baseline_result"}, MlflowImports: true})
}
