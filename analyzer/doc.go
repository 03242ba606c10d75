// Package analyzer is mlflowlint's framework: go/analysis on Python.
//
// # Shared analyzers
//
// Rules are *analysis.Analyzer values named by their code (MLF011). They
// require the shared analyzers and read them with In(pass):
//
//   - File: the parsed source (parser.File), built from the very bytes the
//     driver read, so positions, findings and fixes agree;
//   - Imports: the Resolver, which maps identifiers and attribute chains to
//     qualified names following Python's scopes and binding order;
//   - Index: the syntax nodes by type, so rules never walk the tree;
//   - Config: run settings (the target MLflow version).
//
// Non-Python files (manifests, scripts, YAML) are read by TextRules, whose
// issues go through the same findings, fixes and suppressions.
//
// # Diagnostics
//
// The rule code is always the analyzer's Name. Diagnostic.Category is a
// comma-separated set of two flags and nothing else: "unsafe" (the fix is
// applied only with --unsafe-fixes) and "warning" (the code still works: a
// deprecation, reported with warning severity; every MLF9nn rule is a
// warning anyway). A diagnostic carries at most one SuggestedFix, whose
// Message is a verb phrase ("Rename `custom_metrics` to `extra_metrics`").
//
// # The driver
//
// Run walks the paths (sorted; .gitignore, excludes and virtualenvs
// skipped; named files always taken), and analyses files in parallel with
// conc's iter.Mapper, one file per goroutine at a time: read once, skipped
// before parsing when no enabled rule's trigger string occurs, parsed,
// analysed by every rule in dependency order with panics contained, and its
// positions made concrete at once (Finding holds no token.Pos). Results come
// back in input order and are sorted, so the output is identical for any
// number of workers.
//
// # Fixes
//
// With Fix or Diff, each file's fixes are merged (identical edits coalesce,
// overlapping fixes wait for the next round), applied, re-parsed (a round
// that adds syntax errors is dropped) and re-analysed, for a bounded number
// of rounds. Fix writes the result atomically, only if the file still holds
// the analysed bytes, keeping its mode, owner, byte-order mark and line
// endings.
//
// # Suppressions
//
// `# noqa: MLF011` (ruff's syntax) on the reported line, a bare `# noqa`,
// and file-level `# mlflowlint: noqa[: CODES]`; suppressed findings are kept
// (SARIF shows them as inSource suppressions).
package analyzer
