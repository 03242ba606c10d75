"""Gate a candidate churn model against the production baseline."""
import mlflow
from mlflow.models import MetricThreshold as MT, make_metric


def lift_at_10(eval_df, builtin_metrics):
    top = eval_df.sort_values("prediction", ascending=False).head(len(eval_df) // 10)
    return top["target"].mean() / eval_df["target"].mean()


lift = make_metric(eval_fn=lift_at_10, greater_is_better=True, name="lift_at_10")

thresholds = {
    "f1_score": MT(threshold=0.7, min_absolute_change=0.01, higher_is_better=True),
    "lift_at_10": MT(threshold=2.0, higher_is_better=True),
}


def validate(candidate_uri: str, baseline_uri: str, data):
    result = mlflow.evaluate(
        candidate_uri,
        data,
        targets="target",
        model_type="classifier",
        custom_metrics=[lift],
        validation_thresholds=thresholds,
        baseline_model=baseline_uri,
    )
    return result.metrics


def compare(my_evaluator, baseline_model, data):
    # Our own evaluator: same keyword names, not MLflow's API.
    return my_evaluator.evaluate(baseline_model=baseline_model, custom_metrics=[], data=data)
