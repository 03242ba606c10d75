package analyzer

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
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
	walkComments(f, func(n *parser.Node) {
		text := f.Text(n)
		codes, file, ok := ParseNoqa(text)
		if !ok {
			return
		}
		out = append(out, Noqa{Line: v.line(int(n.StartByte())), Codes: codes, File: file, Start: int(n.StartByte()), End: int(n.EndByte())})
	})
	return out
}

// walkComments calls fn for every comment of the tree, in source order,
// from the index built with the tree.
func walkComments(f *parser.File, fn func(*parser.Node)) {
	if f.Root == nil {
		return
	}
	for _, n := range f.Index().Of("comment") {
		fn(n)
	}
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

// UnusedNoqaCode is the opt-in rule that reports MLF codes of `# noqa`
// comments that silence nothing on their line. It is not an analyzer: the
// driver computes it from the findings of the other rules.
const UnusedNoqaCode = "MLF000"

// applySuppressions marks the findings a noqa comment silences. When ran
// is set (MLF000 is enabled), it also returns an MLF000 finding for each
// line comment listing MLF codes that silence nothing; ran tells which
// codes were checked in this file (a code whose rule did not run cannot be
// called unused).
func applySuppressions(findings []Finding, f *parser.File, v *view, path string, ran func(code string) bool) []Finding {
	if len(findings) == 0 && ran == nil {
		return findings
	}
	noqas := collectNoqa(f, v)
	if len(noqas) == 0 {
		return findings
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
	if ran == nil {
		return findings
	}
	onLine := map[int]map[string]bool{}
	for _, fd := range findings {
		if onLine[fd.NoqaLine] == nil {
			onLine[fd.NoqaLine] = map[string]bool{}
		}
		onLine[fd.NoqaLine][fd.Code] = true
	}
	for _, nq := range noqas {
		if nq.File || covers(nq.Codes, UnusedNoqaCode) && len(nq.Codes) > 0 {
			continue
		}
		var unused, kept []string
		for _, c := range nq.Codes {
			if strings.HasPrefix(c, "MLF") && ran(c) && !onLine[nq.Line][c] {
				unused = append(unused, c)
			} else {
				kept = append(kept, c)
			}
		}
		if len(unused) > 0 {
			fd := unusedNoqaFinding(v, path, nq, unused, kept)
			for _, fnq := range noqas {
				if fnq.File && covers(fnq.Codes, UnusedNoqaCode) {
					fd.Suppressed = true
				}
			}
			findings = append(findings, fd)
		}
	}
	return findings
}

// unusedNoqaFinding reports the unused codes of one comment, with a fix
// that drops them (or the whole directive when nothing else is left).
func unusedNoqaFinding(v *view, path string, nq Noqa, unused, kept []string) Finding {
	quoted := make([]string, len(unused))
	for i, c := range unused {
		quoted[i] = "`" + c + "`"
	}
	fd := Finding{
		Code:     UnusedNoqaCode,
		Message:  "unused `noqa` directive (nothing on this line is reported as " + strings.Join(quoted, ", ") + ")",
		Severity: SeverityWarning,
		Path:     filepath.ToSlash(path),
	}
	v.locate(&fd, nq.Start, nq.End)
	fd.NoqaLine = nq.Line
	text := string(v.body[nq.Start:nq.End])
	m := noqaRe.FindStringSubmatchIndex(text)
	if m == nil || m[2] < 0 {
		return fd
	}
	var e Edit
	rest := strings.TrimSpace(text[m[1]:])
	switch {
	case len(kept) > 0:
		e = Edit{Start: v.position(nq.Start + m[2]), End: v.position(nq.Start + m[3]), New: strings.Join(kept, ", ")}
	case rest != "" && !strings.HasPrefix(rest, "#"):
		return fd // "# noqa: MLF011 because ...": removing the directive would leave the rest outside a comment
	default:
		// Drop the directive and the blanks before it; a comment that held
		// only the directive goes entirely.
		start := nq.Start + m[0]
		for start > 0 && (v.body[start-1] == ' ' || v.body[start-1] == '\t') {
			start--
		}
		e = Edit{Start: v.position(start), End: v.position(nq.Start + m[1]), New: ""}
	}
	fd.Fix = &Fix{Message: "Remove the unused codes", Edits: []Edit{e}}
	return fd
}

// noqaChecker returns the `ran` argument of applySuppressions for a file:
// nil unless MLF000 is enabled and not ignored for the file.
func (d *driver) noqaChecker(ignored map[string]bool) func(string) bool {
	if !d.opt.ReportUnusedNoqa || codeIgnored(ignored, UnusedNoqaCode) {
		return nil
	}
	return func(code string) bool {
		if codeIgnored(ignored, code) {
			return false
		}
		for a := range d.rules {
			if a.Name == code {
				return true
			}
		}
		return false
	}
}

// NoqaSkip is a line AddNoqa left alone, and why.
type NoqaSkip struct {
	Line   int
	Reason string
}

// AddNoqa adds `# noqa: CODES` to the given 1-based lines of a Python
// source: a line without a noqa comment gets one at its end, and a noqa
// comment that lists codes gets the missing ones. It keeps a byte-order
// mark and the line endings, and skips (with a reason) lines that end
// inside a string or continue with a backslash, where a comment cannot
// go. It returns the new source and the number of lines changed.
func AddNoqa(ctx context.Context, src []byte, codes map[int][]string) ([]byte, int, []NoqaSkip, error) {
	body, prefix := src, []byte(nil)
	if bytes.HasPrefix(body, bom) {
		body, prefix = body[len(bom):], bom
	}
	f, err := parser.Parse(ctx, "", body, nil)
	if err != nil {
		return nil, 0, nil, err
	}
	defer f.Close()
	v := &view{body: body, parse: body, lineStarts: lineStarts(body)}
	comments := map[int]*parser.Node{}
	walkComments(f, func(n *parser.Node) { comments[v.line(int(n.StartByte()))] = n })
	var strs [][2]int
	var collect func(n *parser.Node)
	collect = func(n *parser.Node) {
		if n.Type() == "string" && v.line(int(n.StartByte())) != v.line(int(n.EndByte())) {
			strs = append(strs, [2]int{int(n.StartByte()), int(n.EndByte())})
			return
		}
		for i := 0; i < int(n.ChildCount()); i++ {
			collect(n.Child(i))
		}
	}
	collect(f.Root)

	lines := make([]int, 0, len(codes))
	for l := range codes {
		lines = append(lines, l)
	}
	sort.Ints(lines)
	var edits []Edit
	var skips []NoqaSkip
	for _, l := range lines {
		if l < 1 || l > len(v.lineStarts) {
			skips = append(skips, NoqaSkip{l, "no such line"})
			continue
		}
		eol := len(body)
		if l < len(v.lineStarts) {
			eol = v.lineStarts[l] - 1
			if eol > 0 && body[eol-1] == '\r' {
				eol--
			}
		}
		inString := false
		for _, s := range strs {
			if s[0] < eol && eol < s[1] {
				inString = true
			}
		}
		if inString {
			skips = append(skips, NoqaSkip{l, "the line ends inside a multi-line string"})
			continue
		}
		want := dedupe(codes[l])
		if c := comments[l]; c != nil {
			text := f.Text(c)
			if have, file, ok := ParseNoqa(text); ok && !file {
				if len(have) == 0 {
					continue // a bare # noqa already silences every code
				}
				merged := have
				for _, w := range want {
					if !covers(have, w) {
						merged = append(merged, w)
					}
				}
				if len(merged) == len(have) {
					continue
				}
				m := noqaRe.FindStringSubmatchIndex(text)
				start := int(c.StartByte())
				edits = append(edits, Edit{Start: Position{Offset: start + m[2]}, End: Position{Offset: start + m[3]}, New: strings.Join(merged, ", ")})
				continue
			}
		} else if content := strings.TrimRight(string(body[v.lineStarts[l-1]:eol]), " \t"); strings.HasSuffix(content, "\\") {
			skips = append(skips, NoqaSkip{l, "the line continues with a backslash"})
			continue
		}
		end := eol
		for end > v.lineStarts[l-1] && (body[end-1] == ' ' || body[end-1] == '\t') {
			end--
		}
		edits = append(edits, Edit{Start: Position{Offset: end}, End: Position{Offset: eol}, New: "  # noqa: " + strings.Join(want, ", ")})
	}
	if len(edits) == 0 {
		return src, 0, skips, nil
	}
	out, err := ApplyEdits(body, edits)
	if err != nil {
		return nil, 0, skips, err
	}
	before := f.SyntaxErrors()
	after, err := parser.CheckSyntax(ctx, out)
	if err != nil {
		return nil, 0, skips, err
	}
	if after > before {
		return nil, 0, skips, fmt.Errorf("adding noqa comments would break the syntax (%d errors instead of %d); nothing written", after, before)
	}
	return append(append([]byte{}, prefix...), out...), len(edits), skips, nil
}

func dedupe(codes []string) []string {
	out := slices.Clone(codes)
	slices.Sort(out)
	return slices.Compact(out)
}
