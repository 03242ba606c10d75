// Package report renders the findings of one mlflowlint run. It reads the
// analyzer's concrete types (Result, Finding, RuleDoc) and nothing else.
//
// # Formats
//
//   - full (default): ruff-like "path:line:col: CODE [*] message" headers
//     (notebooks: "path:cell N:line:col:"), a code frame from Finding.Lines
//     with carets under the span, "= help:" with the fix title, then the
//     summary ("Found N errors (M fixable with --fix).", "All checks
//     passed!", with --fix "Found N errors (F fixed, R remaining).", and a
//     hint when unsafe fixes are hidden). Columns are code points; carets
//     are placed by display width, so CJK and emoji count two cells.
//   - concise: the header line only, then the summary.
//   - json: ruff's JSON array (cell, code, end_location, filename, fix,
//     location, message, noqa_row, url), keys in ruff's alphabetical order,
//     code point columns.
//   - sarif: see below.
//   - markdown: the upgrade report for an issue or pull request: verdict,
//     summary table, the upgrade matrix (Result.Matrix: findings, safe and
//     unsafe fixes, manual migrations and files for each 3.x target, the
//     report's own marked), per-rule findings with excerpt and diff, a
//     checklist of manual migrations (one item per rule and message, then
//     its places) and the dependency pins (MLF040-MLF049).
//   - github: workflow commands, see below.
//
// With Options.Statistics the text formats print one line per rule
// ("  3  MLF011  [*] name", most frequent first) and json prints the same
// counts as objects; the text formats add the upgrade matrix after them
// when Result.Matrix has rows (--upgrade-matrix). Suppressed findings appear only in SARIF. File errors
// are printed by the command on standard error; SARIF records them (and
// notes) as invocations[0].toolExecutionNotifications.
//
// # SARIF
//
// One run per log (GitHub refuses several runs of one tool and category).
// The rules array holds every rule doc, sorted by code, so ruleIndex is
// stable; no rule carries security-severity, which would turn migration
// findings into security alerts. Artifact URIs are relative, percent-encoded
// and based on %SRCROOT% (given in originalUriBaseIds when Options.SrcRoot
// is set); the caller passes paths relative to that root. An absolute path
// under SrcRoot is made relative; any other absolute path becomes a file:
// URI, valid SARIF that GitHub cannot place (the tests' sarifcheck.Validate reports it). Columns are UTF-16 code units (run.columnKind "utf16CodeUnits"),
// end columns exclusive. Safe fixes become "fixes" with line/column
// regions; fixes whose edits reach lines the finding does not carry, and
// fixes in notebooks (their edits are not in raw .ipynb coordinates), are
// left out. Notebook results point at the raw .ipynb line and carry the
// cell, cell line and cell column in the message and in properties.
//
// automationDetails.id is Options.Category (default "mlflowlint/"), always
// ending in "/": GitHub reads the part before the last "/" as the analysis
// category, so several uploads for one commit (say, one per subproject)
// stay apart when each is given its own category, e.g. "mlflowlint/api/".
//
// partialFingerprints are not emitted. GitHub's upload action computes
// primaryLocationLineHash from the checked-out source when it is absent,
// and keeps a provided value even when it differs from its own, so a hash
// computed any other way would only cause duplicate or orphaned alerts.
// Uploads through the REST API without the action may show duplicates.
//
// The output has no timestamps or absolute paths besides SrcRoot, so the
// same findings give the same bytes.
//
// # GitHub annotations
//
// "::error file=P,line=L,col=C,endLine=EL,endColumn=EC,title=CODE::message"
// (warnings use ::warning), escaped as GitHub's toolkit does: the message
// turns "%", CR and LF into %25, %0D, %0A; property values also turn ":"
// and "," into %3A and %2C. col and endColumn are left out when a finding
// spans lines, as the toolkit does. GitHub shows at most 10 error and 10
// warning annotations per step and 50 per job; the rest are dropped
// silently, so large repositories should upload SARIF instead.
package report
