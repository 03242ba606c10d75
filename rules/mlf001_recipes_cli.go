package rules

import (
	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/apidb"
)

// mlf001CLI is the command-line half of MLF001: `mlflow recipes ...` in
// scripts, Dockerfiles, Makefiles, compose files, workflows and MLproject
// files. It shares its code with the Python rule for `mlflow.recipes`.
var mlf001CLI = registerText(&analyzer.TextRule{
	Code:     "MLF001",
	Match:    runsCommands,
	Shell:    true,
	Triggers: [][]byte{[]byte("recipes")},
	Check: func(_ string, src []byte, _ *analyzer.RunConfig) []analyzer.TextIssue {
		var out []analyzer.TextIssue
		for _, cmd := range mlflowCommands(src) {
			if cmd.Args[0].Text != "recipes" {
				continue
			}
			end := cmd.Args[0].End
			if len(cmd.Args) > 1 && recipesSubcommand(cmd.Args[1].Text) {
				end = cmd.Args[1].End
			}
			out = append(out, analyzer.TextIssue{
				Message: "the `mlflow recipes` CLI was removed in MLflow 3.0 (the command no longer exists, so this line fails); run the steps with MLflow tracking and the model registry, or an MLflow Project",
				Start:   cmd.Start, End: end,
			})
		}
		return out
	},
})

// recipesSubcommand reports a command of the `mlflow recipes` group in the
// last release that had it, per the CLI data (run, clean, inspect,
// get-artifact in 2.x).
func recipesSubcommand(name string) bool {
	db := apidb.LoadCLI()
	last := lastWith(len(db.Versions()), func(r int) bool { ok, _ := db.Command("mlflow recipes", r); return ok })
	if last < 0 {
		return false
	}
	ok, _ := db.Command("mlflow recipes "+name, last)
	return ok
}
