# Databricks notebook source
# MAGIC %md
# MAGIC ## Nightly churn scoring

# COMMAND ----------

# MAGIC %pip install mlflow==2.9.2

# COMMAND ----------

%run ./setup

# COMMAND ----------

run = mlflow.active_run()
mlflow.mleap.log_model(spark_model=pipeline, sample_input=sample, artifact_path="scoring")
