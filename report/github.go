package report

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/mlflowlint/mlflowlint/analyzer"
)

// escapeData escapes a workflow command's message as @actions/core does.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// github writes one ::error or ::warning workflow command per finding.
func (r *renderer) github(buf *bytes.Buffer) {
	for _, f := range r.shown {
		line, col, endLine, endCol := f.Start.Line, findingCharCol(f, f.Start), f.End.Line, findingCharCol(f, f.End)
		msg := f.Message
		if f.Cell > 0 {
			msg = withCellContext(msg, f.Cell, f.Start.Line, col)
			line, col, endLine, endCol = rawTextSpan(f.Raw, f.RawLine())
		}
		endLine = max(endLine, line)
		props := []string{"file=" + escapeProperty(f.Path), fmt.Sprintf("line=%d", line)}
		// The toolkit drops columns on annotations spanning several lines.
		if endLine == line {
			props = append(props, fmt.Sprintf("col=%d", col))
		}
		props = append(props, fmt.Sprintf("endLine=%d", endLine))
		if endLine == line {
			props = append(props, fmt.Sprintf("endColumn=%d", max(endCol, col)))
		}
		props = append(props, "title="+escapeProperty(f.Code))
		fmt.Fprintf(buf, "::%s %s::%s\n", levelOf(f.Severity), strings.Join(props, ","), escapeData(msg))
	}
}

// rawTextSpan is a notebook finding's place in the raw file, with code
// point columns; without one it is the top of the file.
func rawTextSpan(raw *analyzer.RawSpan, text string) (line, col, endLine, endCol int) {
	if raw == nil {
		return 1, 1, 1, 1
	}
	line, col, endLine, endCol = raw.Start.Line, charCol(text, raw.Start.Col), raw.End.Line, raw.End.Col
	if endLine == line {
		endCol = charCol(text, raw.End.Col)
	}
	return max(line, 1), col, endLine, endCol
}
