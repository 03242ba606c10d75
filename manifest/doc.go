// Package manifest reads Python dependency manifests and checks their pins
// against a target MLflow version.
//
// # Formats
//
// KindOf recognises a manifest by its file name and Parse reads it:
// requirements files (*requirements*.txt, *constraints*.txt, *.txt in a
// requirements/ directory, and the pip-tools *.in files named the same
// way) with -r/-c includes, markers,
// continuations and per-requirement options; pyproject.toml (PEP 621
// dependencies, optional dependencies and requires-python, PEP 735
// dependency groups, Poetry dependencies and groups, PDM and uv dev
// dependencies); setup.py string literals in install_requires,
// extras_require and python_requires; setup.cfg [options]; conda
// environment files with their pip section (parsed with
// go.yaml.in/yaml/v3, as are workflows and compose files); Pipfile; pip install commands
// of shell scripts, of Dockerfile RUN, CMD and ENTRYPOINT instructions
// and RUN <<EOF here-documents (plus FROM python:<version>), of GitHub
// workflow run: steps and of docker-compose command: and entrypoint:; and, through ParseNotebookPip, notebook
// %pip and !pip lines. Shell is parsed with mvdan.cc/sh: here-documents are
// data, commands inside if/for/$(...) are commands, "sh -c" strings are
// shell in their turn, and pip counts only as the command itself or after
// a wrapper (sudo, env, "conda run", ...), so "echo pip install x" is not
// an install. Load follows
// -r/-c includes. pyproject.toml and Pipfile are parsed with go-toml's
// parser, which gives the byte ranges of keys and strings (a syntax error
// ends the reading, keeping what came before it); the other readers read
// the shapes that carry dependencies and skip what they cannot read. Either
// way malformed input yields fewer requirements, never an error or a panic.
//
// Every Requirement and PythonPin carries exact byte offsets, so a fix can
// replace the version constraint and leave the rest of the file as it was.
// Specifiers keep the syntax they were written in (Syntax): PEP 440,
// Poetry (^ and ~ ranges, bare versions, ||), conda match specs (=2.9 is
// the 2.9 series, a bare version is exact, build strings are ignored),
// Pipfile ("*" is any) and bare Python versions (3.8 is 3.8.*). Admits and
// AdmitsIn evaluate them with PEP 440: release, pre, post and dev
// segments, epochs, local labels, ==, !=, <=, >=, <, >, ~=, === and the
// ==X.* / !=X.* wildcards, with the exclusive-ordering rules of Python's
// packaging library (a test compares thousands of generated versions and
// specifier sets with it). Version numbers are limited to 18 digits; a
// longer one makes the version invalid, so its pin is skipped.
//
// # Checks
//
// Check reports, for a target such as "3.4" (judged as 3.4.0):
//
//   - MLF040: a pin on mlflow or mlflow-skinny (with or without extras)
//     that excludes the target, such as ==2.9.2, <3, ~=2.9, ==2.*, Poetry
//     ^2.9 or conda mlflow=2.9.2.
//   - MLF041: a Python pin that admits only versions no MLflow 3 release
//     supports: only Pythons older than 3.9 for any 3.x target (3.x never
//     supported 3.8), and only Pythons older than 3.10 for targets 3.2 and
//     later (Requires-Python >=3.10 from mlflow-skinny 3.2.0 on; 3.1.0 has
//     >=3.9: read by `make oracle`). A range such as >=3.8 admits newer
//     Pythons and is fine.
//   - MLF042: a pydantic pin that admits no pydantic 2 release, for targets
//     3.6 and later, whose mlflow-skinny requires pydantic>=2.0.0 (3.5.0
//     still admits pydantic>=1.10.8: read by `make oracle`).
//
// MLF041 and MLF042 report only in manifests that also require mlflow or
// mlflow-skinny. Specifiers that cannot be evaluated (a shell variable, a
// typo) are skipped.
//
// # Fix policy (MLF040, unsafe)
//
// The fix replaces only the specifier and keeps its style. With target
// T = M.m (or M.m.p when the target names a patch release):
//
//	exact pin            ==2.9.2, ===2.9.2, ==2.9.*  ->  ==M.m.*  (==M.m.p)
//	major wildcard       ==2.*                       ->  ==M.*
//	compatible release   ~=2.9                       ->  ~=M.m
//	                     ~=2.9.2                     ->  ~=M.m.0 (~=M.m.p)
//	Poetry caret/tilde   ^2.9, ~2.9                  ->  ^M.m, ~M.m
//	Poetry exact         2.9.2                       ->  M.m.*
//	conda                mlflow=2.9.2, ==2.9.2       ->  mlflow=M.m (the M.m series)
//	conda space form     mlflow 2.9.2                ->  mlflow M.m.*
//	anything else        <3, >=2.9,<3, ^2.9 || ^2.10 ->  >=M.m,<M+1
//
// The fix is unsafe because it changes what gets installed; the code that
// uses MLflow may need the other rules' fixes first.
package manifest
