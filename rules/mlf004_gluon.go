package rules

// MLF004 reports uses of mlflow.gluon, removed in late MLflow 2.x and
// absent from every 3.x release.
var MLF004 = register(removedModule("MLF004", "mlflow.gluon",
	"`mlflow.gluon` was removed in late MLflow 2.x and does not exist in 3.0 (ModuleNotFoundError); log the model with `mlflow.onnx` or wrap it in a `mlflow.pyfunc.PythonModel`"))
