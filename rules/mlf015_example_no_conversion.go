package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

// exampleNoConversionFuncs are the functions that took
// example_no_conversion (2.10 to 2.x; a no-op since 2.16).
var exampleNoConversionFuncs = func() map[string]bool {
	m := set("mlflow.models.Model.log", "mlflow.models.model.Model.log")
	for _, fl := range []string{"pyfunc", "langchain", "openai", "promptflow", "sentence_transformers", "transformers"} {
		m["mlflow."+fl+".log_model"] = true
		m["mlflow."+fl+".save_model"] = true
	}
	return m
}()

// exampleNoConversionRaises are the functions whose 3.x signature has no
// **kwargs, so that the keyword raises TypeError (inspect.signature of
// 3.0.0 and 3.17.2: `make oracle`); the others take **kwargs and pass it on.
var exampleNoConversionRaises = set("mlflow.pyfunc.log_model", "mlflow.langchain.log_model", "mlflow.langchain.save_model")

// MLF015 reports example_no_conversion=, removed in MLflow 3.0.
var MLF015 = mlflowRule("MLF015", func(pass *analysis.Pass, in analyzer.Inputs) {
	keywordCalls(in, exampleNoConversionFuncs, "example_no_conversion", func(call *parser.Node, qn string, k kwarg, _ []kwarg) {
		fix := deleteFix(in, call, k, "Delete `example_no_conversion` (a no-op since MLflow 2.16)")
		what := "(TypeError: unexpected keyword argument)"
		if !exampleNoConversionRaises[qn] {
			what = "(the function takes **kwargs, so the keyword is passed on to code that does not expect it)"
		}
		pass.Report(diag(in.File, k.NameNode, "`"+qn+"(example_no_conversion=...)` was removed in MLflow 3.0 "+what+"; delete it, it has done nothing since MLflow 2.16", fix, false))
	})
})

var _ = keywordTriggers("MLF015", exampleNoConversionFuncs, "example_no_conversion")
