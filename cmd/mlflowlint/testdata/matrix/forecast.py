"""Grouped forecasts, logged with the diviner flavor (deprecated in 3.6, gone in 3.7)."""
import mlflow
import mlflow.diviner


def log(grouped, name):
    with mlflow.start_run() as run:
        mlflow.diviner.log_model(grouped, name=name)
        return run.info.run_uuid
