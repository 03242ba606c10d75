# Databricks notebook source
# MAGIC %md
# MAGIC # Churn training

# COMMAND ----------

# MAGIC %pip install 'mlflow<3' \
# MAGIC   scikit-learn

# COMMAND ----------

%pip install mlflow-skinny==2.9.2
import mlflow
!ls /dbfs/tmp
value = (10
         % 3)

# COMMAND ----------

%run ./helpers
run = mlflow.start_run()
print(run.info.run_uuid)
