package analyzer

import (
	"regexp"
	"strings"

	"github.com/mlflowlint/mlflowlint/parser"
)

// Suppression comments follow ruff's syntax so that projects running both
// tools keep one style:
//
//	x = f(higher_is_better=True)  # noqa: MLF011
//	x = f(higher_is_better=True)  # noqa: MLF011, MLF012
//	x = f(higher_is_better=True)  # noqa            (every code on the line)
//	# mlflowlint: noqa                                (the whole file)
//	# mlflowlint: noqa: MLF002, MLF003                (these codes in the whole file)
var (
	noqaRe     = regexp.MustCompile(`(?i)#\s*noqa(?::\s*([A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?`)
	fileNoqaRe = regexp.MustCompile(`(?i)^#\s*mlflowlint\s*:\s*noqa(?::\s*([A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?\s*$`)
	codeSplit  = regexp.MustCompile(`[\s,]+`)
)

// Noqa is one suppression comment.
type Noqa struct {
	Line  int
	Codes []string // empty: every code
	File  bool
	// Start and End are the comment's byte offsets in the body.
	Start, End int
}

// ParseNoqa reads the suppression comment of one comment's text.
func ParseNoqa(text string) (codes []string, file bool, ok bool) {
	if m := fileNoqaRe.FindStringSubmatch(strings.TrimSpace(text)); m != nil {
		return splitCodes(m[1]), true, true
	}
	if m := noqaRe.FindStringSubmatch(text); m != nil {
		return splitCodes(m[1]), false, true
	}
	return nil, false, false
}

func splitCodes(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	var out []string
	for _, c := range codeSplit.Split(s, -1) {
		if c != "" {
			out = append(out, strings.ToUpper(c))
		}
	}
	return out
}

// collectNoqa finds the suppression comments of a parsed file.
func collectNoqa(f *parser.File, v *view) []Noqa {
	var out []Noqa
	walkComments(f.Root, func(n *parser.Node) {
		text := f.Text(n)
		codes, file, ok := ParseNoqa(text)
		if !ok {
			return
		}
		out = append(out, Noqa{Line: v.line(int(n.StartByte())), Codes: codes, File: file, Start: int(n.StartByte()), End: int(n.EndByte())})
	})
	return out
}

func walkComments(root *parser.Node, fn func(*parser.Node)) {
	if root == nil {
		return
	}
	var rec func(n *parser.Node)
	rec = func(n *parser.Node) {
		k := int(n.ChildCount())
		for i := 0; i < k; i++ {
			ch := n.Child(i)
			if ch.Type() == "comment" {
				fn(ch)
				continue
			}
			if ch.ChildCount() > 0 {
				rec(ch)
			}
		}
	}
	rec(root)
}

func covers(codes []string, code string) bool {
	if len(codes) == 0 {
		return true
	}
	for _, c := range codes {
		if c == code {
			return true
		}
	}
	return false
}

// applySuppressions marks the findings a noqa comment silences.
func applySuppressions(findings []Finding, f *parser.File, v *view) {
	if len(findings) == 0 {
		return
	}
	noqas := collectNoqa(f, v)
	if len(noqas) == 0 {
		return
	}
	for i := range findings {
		fd := &findings[i]
		for _, nq := range noqas {
			if (nq.File || nq.Line == fd.NoqaLine) && covers(nq.Codes, fd.Code) {
				fd.Suppressed = true
				break
			}
		}
	}
}
