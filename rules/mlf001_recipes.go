package rules

// MLF001 reports uses of mlflow.recipes, removed in MLflow 3.0.
var MLF001 = register(removedModule("MLF001", "mlflow.recipes",
	"`mlflow.recipes` was removed in MLflow 3.0 (ModuleNotFoundError); rewrite the recipe as plain MLflow tracking and registry code or an MLflow Project"))
