"""Train and register the churn model (written for MLflow 2.9)."""
import mlflow
import mlflow.fastai
from fastai.tabular.all import TabularDataLoaders, tabular_learner

from churn.features import load_features


def train(data_path: str) -> str:
    df = load_features(data_path)
    dls = TabularDataLoaders.from_df(df, y_names="churned", bs=256)
    learner = tabular_learner(dls, metrics=[])
    mlflow.fastai.autolog()
    with mlflow.start_run() as run:
        learner.fit_one_cycle(3)
        mlflow.fastai.log_model(learner, artifact_path="model")
        print("run", run.info.run_uuid)
    return run.info.run_id


if __name__ == "__main__":
    train("data/churn.parquet")
