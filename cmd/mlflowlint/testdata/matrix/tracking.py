"""Local tracking: the file store raises from MLflow 3.13."""
import mlflow

mlflow.set_tracking_uri("file:./mlruns")
