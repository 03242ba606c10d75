package rules

// MLF002 reports uses of mlflow.fastai, removed in MLflow 3.0.
var MLF002 = register(removedModule("MLF002", "mlflow.fastai",
	"`mlflow.fastai` was removed in MLflow 3.0 (ModuleNotFoundError); wrap fastai models in a `mlflow.pyfunc.PythonModel` instead"))
