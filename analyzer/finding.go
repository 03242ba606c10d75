package analyzer

import (
	"cmp"
	"slices"
)

// Position is a concrete place in a file: a byte offset, a 1-based line and
// a 1-based column counted in bytes. Positions never hold token.Pos values,
// which only make sense inside the goroutine that analysed a file.
type Position struct {
	Offset int `json:"offset"`
	Line   int `json:"line"`
	Col    int `json:"col"`
}

// Edit replaces the bytes [Start.Offset, End.Offset) of a file with New.
type Edit struct {
	Start Position `json:"start"`
	End   Position `json:"end"`
	New   string   `json:"new"`
}

// Fix is the one suggested fix of a finding.
type Fix struct {
	Message string `json:"message"`
	// Unsafe fixes are applied only with --unsafe-fixes.
	Unsafe bool   `json:"unsafe"`
	Edits  []Edit `json:"edits"`
}

// Severity of a finding: breaking changes are errors, deprecations warnings.
type Severity string

const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// RawSpan locates a finding in the raw bytes of a file that was analysed
// through a virtual Python view (a notebook); Finding.RawLine is the text of
// its start line.
type RawSpan struct {
	Start Position `json:"start"`
	End   Position `json:"end"`
}

// Finding is one diagnostic, with every position made concrete.
type Finding struct {
	Code     string   `json:"code"`
	Message  string   `json:"message"`
	Severity Severity `json:"severity"`
	// Path is the file as the user named it or as the walk found it, with
	// forward slashes.
	Path  string   `json:"path"`
	Start Position `json:"start"`
	End   Position `json:"end"`
	// Cell is the 1-based notebook cell holding the finding, or 0. When it is
	// set, Start and End lines and columns are relative to the cell, and Raw
	// holds the position in the raw .ipynb file.
	Cell int      `json:"cell,omitempty"`
	Raw  *RawSpan `json:"raw,omitempty"`
	// Src is the text of the file, shared by its findings, from which
	// Lines cuts the finding's lines when a report prints them.
	Src *Source `json:"-"`
	Fix *Fix    `json:"fix,omitempty"`
	// Suppressed is true when a noqa comment silences the finding; such
	// findings are kept for SARIF and dropped by the other formats.
	Suppressed bool `json:"suppressed,omitempty"`
	// NoqaLine is the line where a noqa comment for this finding goes.
	NoqaLine int `json:"noqa_line"`
}

// Lines returns the source lines Start.Line..End.Line (at most five)
// without line endings, or nil when the finding has no source.
func (f *Finding) Lines() []string {
	return f.Src.Lines(f.Start.Offset, f.End.Offset)
}

// RawLine returns the raw file's line of Raw.Start (a notebook's JSON), or
// "" when there is none.
func (f *Finding) RawLine() string {
	if f.Raw == nil {
		return ""
	}
	return f.Src.RawLine(f.Raw.Start.Line)
}

// Fixable reports whether the finding has a fix that the given setting
// would apply.
func (f *Finding) Fixable(unsafe bool) bool {
	return f.Fix != nil && len(f.Fix.Edits) > 0 && (unsafe || !f.Fix.Unsafe)
}

// CompareFindings orders findings by path, position, code and message.
func CompareFindings(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.Path, b.Path),
		cmp.Compare(a.Cell, b.Cell),
		cmp.Compare(a.Start.Offset, b.Start.Offset),
		cmp.Compare(a.End.Offset, b.End.Offset),
		cmp.Compare(a.Code, b.Code),
		cmp.Compare(a.Message, b.Message),
	)
}

// SortFindings sorts findings and removes exact duplicates.
func SortFindings(fs []Finding) []Finding {
	slices.SortStableFunc(fs, CompareFindings)
	return slices.CompactFunc(fs, func(a, b Finding) bool { return CompareFindings(a, b) == 0 })
}

// FileError is a problem with one file that kept it from being analysed or
// fixed (unreadable, not UTF-8, too large, a fix that would break syntax).
type FileError struct {
	Path    string `json:"path"`
	Message string `json:"message"`
	// Fatal errors make the run exit with code 2 (an explicitly named path
	// that does not exist); the others are reported and the run goes on.
	Fatal bool `json:"fatal,omitempty"`
}

// FileDiff is the change --fix made or --diff would make to one file.
type FileDiff struct {
	Path string
	Old  []byte
	New  []byte
}

// Result is what one run produced.
type Result struct {
	Findings []Finding
	Errors   []FileError
	// Notes are informational messages (files skipped by size, ...).
	Notes []FileError
	Diffs []FileDiff
	// Fixed counts the fixes applied (or, with --diff, that would be).
	Fixed int
	// Files counts the files considered; Parsed those actually parsed;
	// Cached those whose result the cache served.
	Files  int
	Parsed int
	// ParsedSize is the size of the parsed files, ParsedBytes the part
	// of it the parser read (the statements a finding may need).
	ParsedSize, ParsedBytes int64
	Cached                  int
	// Unread counts the files the cache's quiet index let go unread:
	// unchanged since a run found they never mention MLflow.
	Unread int
	// Matrix counts the findings of each migration of Options.Matrix, in
	// its order.
	Matrix []Tally
}
