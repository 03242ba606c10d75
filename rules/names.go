package rules

// Qualified names through which user code reaches one MLflow object. MLflow
// re-exports most public objects from several modules; a rule matches the
// resolved qualified name against every public path, never a spelling.

// evaluateFuncs are the paths of mlflow.evaluate in 2.9 and 3.x.
var evaluateFuncs = set(
	"mlflow.evaluate",
	"mlflow.models.evaluate",
	"mlflow.models.evaluation.evaluate",
	"mlflow.models.evaluation.base.evaluate",
)

// metricThresholdPaths are the paths of MetricThreshold.
var metricThresholdPaths = set(
	"mlflow.models.MetricThreshold",
	"mlflow.models.evaluation.MetricThreshold",
	"mlflow.models.evaluation.validation.MetricThreshold",
	"mlflow.models.evaluation.base.MetricThreshold",
)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}
