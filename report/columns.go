package report

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/mlflowlint/mlflowlint/analyzer"
)

// UTF16Col converts a 1-based byte column in line to a 1-based column
// counted in UTF-16 code units, the unit SARIF's "utf16CodeUnits" column
// kind and JavaScript tools use. A byte column past the end of the line is
// clamped to the column just after its last character; bytes that are not
// valid UTF-8 count as one unit each.
func UTF16Col(line string, byteCol int) int {
	prefix := linePrefix(line, byteCol)
	n := 0
	for _, r := range prefix {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n + 1
}

// charCol converts a 1-based byte column to a 1-based column counted in
// Unicode code points, the unit of ruff's text and JSON output.
func charCol(line string, byteCol int) int {
	return utf8.RuneCountInString(linePrefix(line, byteCol)) + 1
}

// linePrefix returns the bytes of line before the 1-based byte column.
func linePrefix(line string, byteCol int) string {
	end := byteCol - 1
	if end <= 0 {
		return ""
	}
	if end > len(line) {
		end = len(line)
	}
	return line[:end]
}

// tabWidth is how many columns a tab takes in a code frame.
const tabWidth = 4

// displayWidth is the number of terminal cells s takes: East Asian wide and
// fullwidth characters (CJK, most emoji) take two, combining marks and
// zero-width formatting characters none, a tab tabWidth, the rest one.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	switch {
	case r == '\t':
		return tabWidth
	case r == utf8.RuneError:
		return 1
	case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Me, r), unicode.Is(unicode.Cf, r):
		return 0
	case r < 0x20 || r == 0x7f:
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// expandTabs replaces tabs by tabWidth spaces so that frame text and caret
// lines agree on widths.
func expandTabs(s string) string {
	return strings.ReplaceAll(s, "\t", strings.Repeat(" ", tabWidth))
}

// lineText returns the text of the given 1-based line from a finding's
// Lines, without a trailing carriage return, and whether it is known.
func lineText(f *analyzer.Finding, line int) (string, bool) {
	i := line - f.Start.Line
	if i < 0 || i >= len(f.Lines) {
		return "", false
	}
	return strings.TrimSuffix(f.Lines[i], "\r"), true
}

// findingCharCol is the code point column of a position inside a finding's
// lines; positions on lines the finding does not carry keep their byte
// column.
func findingCharCol(f *analyzer.Finding, p analyzer.Position) int {
	if text, ok := lineText(f, p.Line); ok {
		return charCol(text, p.Col)
	}
	return max(p.Col, 1)
}

// findingUTF16Col is findingCharCol in UTF-16 code units; ok is false when
// the line is not among the finding's lines and the column is a guess.
func findingUTF16Col(f *analyzer.Finding, p analyzer.Position) (int, bool) {
	if text, ok := lineText(f, p.Line); ok {
		return UTF16Col(text, p.Col), true
	}
	return max(p.Col, 1), false
}
