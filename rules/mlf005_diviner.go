package rules

import "github.com/mlflowlint/mlflowlint/analyzer"

// MLF005 reports uses of mlflow.diviner: deprecated in MLflow 3.6 (a
// warning for that target), removed in 3.7 (an error from there).
var MLF005 = register(removedModuleAt("MLF005", "mlflow.diviner", analyzer.MustVersion("3.6"), analyzer.MustVersion("3.7"),
	"`mlflow.diviner` is deprecated since MLflow 3.6 and removed in 3.7; wrap diviner models in a `mlflow.pyfunc.PythonModel` before upgrading further",
	"`mlflow.diviner` was removed in MLflow 3.7 (ModuleNotFoundError); wrap diviner models in a `mlflow.pyfunc.PythonModel`"))
