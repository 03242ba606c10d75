package report

import (
	"slices"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"github.com/mlflowlint/mlflowlint/analyzer"
)

// nodeText is the plain text inside a node: text, code spans and strings.
func nodeText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := c.(type) {
		case *ast.Text:
			b.Write(v.Segment.Value(src))
		case *ast.String:
			b.Write(v.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

type parsedReport struct {
	src       []byte
	doc       ast.Node
	tables    []*extast.Table
	checkbox  int
	codeBlock map[string][]string // language -> contents
	headings  []string
	links     []string
}

func parseMarkdown(t *testing.T, src []byte) parsedReport {
	t.Helper()
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	p := parsedReport{src: src, doc: md.Parser().Parse(text.NewReader(src)), codeBlock: map[string][]string{}}
	_ = ast.Walk(p.doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := n.(type) {
		case *extast.Table:
			p.tables = append(p.tables, v)
		case *extast.TaskCheckBox:
			if v.IsChecked {
				t.Errorf("a checklist item is already checked")
			}
			p.checkbox++
		case *ast.FencedCodeBlock:
			var b strings.Builder
			for i := 0; i < v.Lines().Len(); i++ {
				seg := v.Lines().At(i)
				b.Write(seg.Value(src))
			}
			lang := string(v.Language(src))
			p.codeBlock[lang] = append(p.codeBlock[lang], b.String())
		case *ast.Heading:
			p.headings = append(p.headings, nodeText(v, src))
		case *ast.Link:
			p.links = append(p.links, string(v.Destination))
		}
		return ast.WalkContinue, nil
	})
	return p
}

func tableRows(tb *extast.Table, src []byte) [][]string {
	var rows [][]string
	for r := tb.FirstChild(); r != nil; r = r.NextSibling() {
		var cells []string
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			cells = append(cells, nodeText(c, src))
		}
		rows = append(rows, cells)
	}
	return rows
}

func TestMarkdownStructure(t *testing.T) {
	opt := fixtureOptions()
	opt.Format = "markdown"
	src := render(t, fixtureResult(t), opt)
	p := parseMarkdown(t, src)

	verdict := "6 breaking changes and 1 deprecation in 5 files, 3 fixable automatically (2 more with --unsafe-fixes), target MLflow 3.4."
	if first := p.doc.FirstChild().NextSibling(); first == nil || nodeText(first, src) != verdict {
		t.Errorf("verdict paragraph %q, want %q", nodeText(first, src), verdict)
	}

	if len(p.tables) != 1 {
		t.Fatalf("%d tables, want the summary table", len(p.tables))
	}
	rows := tableRows(p.tables[0], src)
	if want := []string{"Rule", "Title", "Findings", "Fixable", "MLflow"}; !slices.Equal(rows[0], want) {
		t.Errorf("table header %q, want %q", rows[0], want)
	}
	if len(rows) != 7 {
		t.Errorf("%d table rows, want header + 6 rules", len(rows))
	}
	for _, r := range rows {
		if len(r) != 5 {
			t.Errorf("row %q has %d cells: an unescaped | split it", r, len(r))
		}
	}
	// GFM drops the escaping backslash inside the code span; goldmark keeps
	// it. Either way the pipe is text in one cell.
	if pin := rows[5]; pin[0] != "MLF041" || !strings.Contains(pin[1], "==2.x") || !strings.Contains(pin[1], "| <3") || pin[2] != "1" {
		t.Errorf("pin row %q: the | in the title must survive as text", pin)
	}
	if emf := rows[3]; emf[0] != "MLF012" || emf[2] != "2" || emf[3] != "2" {
		t.Errorf("MLF012 row %q, want 2 findings, 2 fixable", emf)
	}

	// MLF002, MLF013 and the hidden-unsafe MLF901 are manual; the pin is
	// its own checklist.
	if p.checkbox != 4 {
		t.Errorf("%d checkboxes, want 3 manual migrations + 1 dependency pin", p.checkbox)
	}
	diffs := p.codeBlock["diff"]
	if len(diffs) != 4 {
		t.Errorf("%d diff blocks, want one per finding with a fix outside the pins (4)", len(diffs))
	}
	wantDiff := "-阈值 = MetricThreshold(threshold=0.8, higher_is_better=True)\n+阈值 = MetricThreshold(threshold=0.8, greater_is_better=True)\n"
	if !slices.Contains(diffs, wantDiff) {
		t.Errorf("no diff block applying the MLF011 fix; got %q", diffs)
	}
	if n := len(p.codeBlock["python"]); n != 6 {
		t.Errorf("%d python excerpts, want one per shown Python finding (6)", n)
	}
	for _, h := range []string{"MLflow 3 upgrade report", "Manual migrations", "Dependency pins"} {
		if !slices.Contains(p.headings, h) {
			t.Errorf("no heading %q in %q", h, p.headings)
		}
	}
	for _, l := range []string{"src/eval.py#L4", "src/my%20project/log.py#L3", "notebooks/explore.ipynb#L27", "requirements.txt#L2"} {
		if !slices.Contains(p.links, l) {
			t.Errorf("no link to %s in %q", l, p.links)
		}
	}
	if strings.Contains(string(src), "baseline_model") {
		t.Errorf("the suppressed finding appears in the report")
	}
	// Checklist order: rule code, then place.
	manual := string(src[strings.Index(string(src), "## Manual migrations"):])
	a, b, c := strings.Index(manual, "MLF002"), strings.Index(manual, "MLF013"), strings.Index(manual, "MLF901")
	if a < 0 || b < a || c < b {
		t.Errorf("checklist not ordered by rule code:\n%s", manual)
	}
}

func TestMarkdownAllClear(t *testing.T) {
	src := render(t, &analyzer.Result{Files: 3}, Options{Format: "markdown", Target: "3.1"})
	p := parseMarkdown(t, src)
	if !strings.Contains(string(src), "No MLflow 3 breaking changes found in 3 files, target MLflow 3.1.") {
		t.Errorf("all-clear verdict missing:\n%s", src)
	}
	if len(p.tables) != 0 || p.checkbox != 0 {
		t.Errorf("an all-clear report needs no table or checklist")
	}
}

func TestMarkdownFences(t *testing.T) {
	if got := fenced("python", "s = '```'\n"); got != "````python\ns = '```'\n````" {
		t.Errorf("fenced = %q", got)
	}
	if got := codeSpan("a`b"); got != "``a`b``" {
		t.Errorf("codeSpan = %q", got)
	}
	if got := cell("a | b\nc"); got != `a \| b c` {
		t.Errorf("cell = %q", got)
	}
	if got := linkPath("docs/a (1).py"); got != "docs/a%20%281%29.py" {
		t.Errorf("linkPath = %q", got)
	}
}

// TestMarkdownChecklistGroups checks that the manual checklist says what
// to do once per rule and message, then lists the places: findings of one
// rule with the same message group (in place order, across files), while
// another message of the rule, or the same message with a hidden unsafe
// fix, is an item of its own.
func TestMarkdownChecklistGroups(t *testing.T) {
	const moved = "`mlflow.fastai` was removed in MLflow 3.0; importing it fails"
	const other = "`validation_thresholds` was removed from `mlflow.evaluate` in MLflow 3.0"
	at := func(code, msg, path string, line int, fix *analyzer.Fix) analyzer.Finding {
		return analyzer.Finding{Code: code, Message: msg, Severity: analyzer.SeverityError, Path: path,
			Start: analyzer.Position{Offset: 10 * line, Line: line, Col: 1}, End: analyzer.Position{Offset: 10*line + 1, Line: line, Col: 2}, Fix: fix}
	}
	unsafe := &analyzer.Fix{Message: "split", Unsafe: true, Edits: []analyzer.Edit{{New: "x"}}}
	res := &analyzer.Result{Findings: []analyzer.Finding{
		at("MLF002", moved, "b.py", 4, nil),
		at("MLF002", moved, "a.py", 9, nil),
		at("MLF013", other, "a.py", 2, nil),
		at("MLF002", moved, "a.py", 3, nil),
		at("MLF013", other, "a.py", 7, unsafe),
		at("MLF013", other, "c.py", 1, unsafe),
	}}
	src := string(render(t, res, Options{Format: "markdown", Target: "3.4"}))
	manual := src[strings.Index(src, "## Manual migrations"):]
	want := "## Manual migrations\n\n" +
		"- [ ] **MLF002**, 3 places: " + moved + "\n" +
		"  - [ ] [`a.py:3`](a.py#L3)\n" +
		"  - [ ] [`a.py:9`](a.py#L9)\n" +
		"  - [ ] [`b.py:4`](b.py#L4)\n" +
		"- [ ] **MLF013** [`a.py:2`](a.py#L2): " + other + "\n" +
		"- [ ] **MLF013**, 2 places: " + other + " (an unsafe fix is available with `--unsafe-fixes`)\n" +
		"  - [ ] [`a.py:7`](a.py#L7)\n" +
		"  - [ ] [`c.py:1`](c.py#L1)\n"
	if manual != want {
		t.Errorf("checklist:\n%s\nwant:\n%s", manual, want)
	}
	if p := parseMarkdown(t, []byte(src)); p.checkbox != 8 {
		t.Errorf("%d checkboxes, want 3 items and 5 places", p.checkbox)
	}
	// With --unsafe-fixes the two MLF013 findings with a fix leave the
	// checklist: one MLF013 place remains, without the hint.
	src = string(render(t, res, Options{Format: "markdown", Target: "3.4", UnsafeFixes: true}))
	manual = src[strings.Index(src, "## Manual migrations"):]
	if strings.Count(manual, "MLF013") != 1 || strings.Contains(manual, "unsafe fix is available") {
		t.Errorf("checklist with --unsafe-fixes:\n%s", manual)
	}
}

// TestMarkdownMatrix checks the upgrade matrix table: one row per tally
// in order, the report's own target marked, the columns derived from the
// counts (breaking = findings - deprecations, manual = findings - safe -
// unsafe), and a note when the first targets are left out. A report with
// no finding at its own target still shows the matrix.
func TestMarkdownMatrix(t *testing.T) {
	v := func(s string) analyzer.Version { return analyzer.MustVersion(s) }
	res := &analyzer.Result{Files: 4, Matrix: []analyzer.Tally{
		{Target: v("3.5.1")},
		{Target: v("3.6.0"), Findings: 2, Warnings: 2, Files: 1},
		{Target: v("3.7.0"), Findings: 9, Warnings: 1, Safe: 3, Unsafe: 2, Files: 4},
	}}
	src := render(t, res, Options{Format: "markdown", Target: "3.5.1"})
	p := parseMarkdown(t, src)
	if len(p.tables) != 1 {
		t.Fatalf("%d tables, want the matrix alone:\n%s", len(p.tables), src)
	}
	want := [][]string{
		{"Target", "Findings", "Breaking", "Deprecations", "Safe fixes", "Unsafe fixes", "Manual", "Files"},
		{"3.5.1 (this report)", "0", "0", "0", "0", "0", "0", "0"},
		{"3.6.0", "2", "0", "2", "0", "0", "2", "1"},
		{"3.7.0", "9", "8", "1", "3", "2", "4", "4"},
	}
	if rows := tableRows(p.tables[0], src); !slices.EqualFunc(rows, want, slices.Equal) {
		t.Errorf("matrix rows %q, want %q", rows, want)
	}
	if !strings.Contains(string(src), "Targets before 3.5 are left out") {
		t.Errorf("no note on the targets left out:\n%s", src)
	}
	// The own target is compared as a version: "3.6" is 3.6.0.
	src = render(t, res, Options{Format: "markdown", Target: "3.6"})
	if !strings.Contains(string(src), "| **3.6.0** (this report) | 2 |") || strings.Count(string(src), "(this report)") != 1 {
		t.Errorf("3.6 not marked as the report's own:\n%s", src)
	}
	// Without tallies, no matrix.
	res.Matrix = nil
	if src := render(t, res, Options{Format: "markdown", Target: "3.6"}); strings.Contains(string(src), "Upgrade matrix") {
		t.Errorf("a matrix without tallies:\n%s", src)
	}
}
