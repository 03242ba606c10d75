// Package config reads mlflowlint's configuration file.
//
// Settings live in the [tool.mlflowlint] table of pyproject.toml, or at the
// top level of mlflowlint.toml or .mlflowlint.toml. [Find] looks from a
// directory upward and takes, in the first directory that has one,
// .mlflowlint.toml, then mlflowlint.toml, then pyproject.toml; a
// pyproject.toml without the table is passed over and the search goes on
// upward. [Load] reads the file given with --config. Other tables of
// pyproject.toml ([project], [tool.ruff], ...) are never looked at.
//
// The keys:
//
//	target-version     "3.MINOR" or "3.MINOR.PATCH": the MLflow release to migrate to
//	select             codes or prefixes to enable ("MLF011", "MLF0", "MLF", "ALL"),
//	                   replacing the default set
//	extend-select      codes or prefixes to enable on top of the default set
//	ignore             codes or prefixes to disable
//	exclude            gitignore-style globs of paths to skip, replacing the default excludes
//	extend-exclude     globs to skip on top of the default excludes
//	per-file-ignores   table of glob = [codes] turned off for matching files
//	respect-gitignore  true or false: skip what git ignores (.gitignore files, .git/info/exclude)
//	unsafe-fixes       true or false: apply fixes marked unsafe
//	output-format      full, concise, json, sarif, markdown or github
//
// Globs are relative to the directory holding the configuration file and
// follow gitignore: "build" matches a file or directory of that name at any
// depth, "/build" only at the top, "build/" only directories, "docs/**"
// everything inside docs, and "src/**/gen_*.py" any depth between; a leading
// "!" re-includes in exclude lists and inverts a per-file-ignores glob.
//
// Example pyproject.toml table:
//
//	[tool.mlflowlint]
//	target-version = "3.4"
//	extend-select = ["MLF9"]
//	ignore = ["MLF011"]
//	extend-exclude = ["/build", "notebooks/scratch/**"]
//	respect-gitignore = true
//	unsafe-fixes = false
//	output-format = "concise"
//
//	[tool.mlflowlint.per-file-ignores]
//	"tests/**" = ["MLF0"]
//	"*.ipynb" = ["MLF902"]
//
// An unknown key, a value of the wrong type, a TOML syntax error, a
// target-version that is not a 3.x release, an unknown output-format or a bad
// glob is an [*Error] naming the file, line and column. Unknown rule codes
// are reported by [Config.CheckCodes], which takes the known codes from the
// caller.
package config
