package rules

// MLF003 reports uses of mlflow.mleap, removed in MLflow 3.0.
var MLF003 = register(removedModule("MLF003", "mlflow.mleap",
	"`mlflow.mleap` was removed in MLflow 3.0 (ModuleNotFoundError); log Spark models with `mlflow.onnx` or `mlflow.pyfunc` instead"))
