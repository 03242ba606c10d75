package rules

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
)

// modelLoggers maps the model-logging functions of MLflow 2.9 and 3.x to
// the position of their artifact_path parameter. Only these take
// artifact_path as the name of a logged model; log_artifact(s),
// list_artifacts and download_artifacts keep their artifact_path.
var modelLoggers = func() map[string]int {
	m := map[string]int{
		"mlflow.pyfunc.log_model":       0, // log_model(artifact_path, loader_module=None, ...)
		"mlflow.openai.log_model":       2, // log_model(model, task, artifact_path, ...)
		"mlflow.shap.log_explainer":     1, // log_explainer(explainer, artifact_path, ...)
		"mlflow.models.Model.log":       0, // Model.log(artifact_path, flavor, ...)
		"mlflow.models.model.Model.log": 0,
	}
	for _, flavor := range []string{
		"catboost", "diviner", "dspy", "h2o", "johnsnowlabs", "keras", "langchain", "lightgbm",
		"llama_index", "onnx", "paddle", "pmdarima", "promptflow", "prophet", "pytorch",
		"sentence_transformers", "sklearn", "spacy", "spark", "statsmodels", "tensorflow",
		"transformers", "xgboost",
	} {
		m["mlflow."+flavor+".log_model"] = 1 // log_model(<model>, artifact_path, ...)
	}
	return m
}()

// MLF901 reports artifact_path on model-logging calls, deprecated in
// MLflow 3.0 in favour of name.
var MLF901 = mlflowRule("MLF901", func(pass *analysis.Pass, in analyzer.Inputs) {
	for _, call := range in.Index.Of("call") {
		qn := in.Resolver.Callee(call)
		slot, ok := modelLoggers[qn]
		if !ok {
			continue
		}
		kws := keywords(in, call)
		for _, k := range kws {
			if k.Name != "artifact_path" {
				continue
			}
			fix := renameKwFix(in, call, k, kws, "name")
			pass.Report(diag(in.File, k.NameNode, "`"+qn+"(artifact_path=...)` is deprecated since MLflow 3.0 (it logs \"`artifact_path` is deprecated. Please use `name` instead.\"); pass `name=` instead", fix, true))
		}
		if pos := positional(call); len(pos) > slot && !hasKeyword(kws, "name") {
			pass.Report(diag(in.File, pos[slot], fmt.Sprintf("the %s positional argument of `%s` is `artifact_path`, deprecated since MLflow 3.0 (it logs a deprecation warning); pass `name=` instead", ordinal(slot), qn), nil, false))
		}
	}
})

var _ = wordTriggers("MLF901", func() []string {
	alts := make([]string, 0, len(modelLoggers))
	for qn := range modelLoggers {
		alts = append(alts, pathWords(qn))
	}
	return alts
}()...)

func ordinal(i int) string {
	switch i {
	case 0:
		return "first"
	case 1:
		return "second"
	case 2:
		return "third"
	case 3:
		return "fourth"
	case 4:
		return "fifth"
	}
	return fmt.Sprintf("%dth", i+1)
}
