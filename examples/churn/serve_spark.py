import mleap.pyspark  # the standalone MLeap package: fine on MLflow 3
import mlflow
from mleap.pyspark.spark_support import SimpleSparkSerializer


def export(pipeline_model, sample_df):
    SimpleSparkSerializer().serializeToBundle(pipeline_model, "jar:file:/tmp/churn.zip", sample_df)
    mlflow.mleap.log_model(spark_model=pipeline_model, sample_input=sample_df, artifact_path="mleap-model")
