"""Training with fastai (removed in 3.0) and a validated evaluation."""
import mlflow
import mlflow.fastai
from mlflow.models import MetricThreshold


def train(learner, data, baseline_uri):
    mlflow.fastai.log_model(learner, artifact_path="model")
    mlflow.fastai.autolog()
    threshold = MetricThreshold(threshold=0.7, higher_is_better=True)
    result = mlflow.models.evaluate(
        "runs:/x/model",
        data,
        targets="y",
        validation_thresholds={"f1": threshold},
        baseline_model=baseline_uri,
    )
    return result
