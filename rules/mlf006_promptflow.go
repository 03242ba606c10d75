package rules

import "github.com/mlflowlint/mlflowlint/analyzer"

// MLF006 reports uses of mlflow.promptflow: deprecated in MLflow 3.6 (a
// warning for that target), removed in 3.7 (an error from there).
var MLF006 = register(removedModuleAt("MLF006", "mlflow.promptflow", analyzer.MustVersion("3.6"), analyzer.MustVersion("3.7"),
	"`mlflow.promptflow` is deprecated since MLflow 3.6 and removed in 3.7; wrap the flow in a `mlflow.pyfunc.PythonModel` before upgrading further",
	"`mlflow.promptflow` was removed in MLflow 3.7 (ModuleNotFoundError); wrap the flow in a `mlflow.pyfunc.PythonModel`"))
