package report

import (
	"bytes"
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/mlflowlint/mlflowlint/analyzer"
)

// maxExcerptLines bounds the code excerpt shown per finding.
const maxExcerptLines = 8

// markdown writes the upgrade report: verdict, summary table, per-rule
// findings with excerpts and diffs, the manual checklist and the
// dependency pins.
func (r *renderer) markdown(buf *bytes.Buffer) {
	buf.WriteString("# MLflow 3 upgrade report\n\n")
	buf.WriteString("**" + r.verdict() + "**\n")
	if len(r.shown) == 0 {
		r.markdownMatrix(buf)
		return
	}
	byRule := map[string][]*analyzer.Finding{}
	var codes []string
	for _, f := range r.shown {
		if byRule[f.Code] == nil {
			codes = append(codes, f.Code)
		}
		byRule[f.Code] = append(byRule[f.Code], f)
	}
	slices.Sort(codes)
	r.summaryTable(buf, codes, byRule)
	r.markdownMatrix(buf)
	for _, code := range codes {
		if !isDependencyCode(code) {
			r.ruleSection(buf, code, byRule[code])
		}
	}
	r.checklist(buf)
	r.dependencyPins(buf)
}

// verdict is the one-line answer to "what does this upgrade cost".
func (r *renderer) verdict() string {
	errs, warns, fixable, hidden := 0, 0, 0, 0
	files := map[string]bool{}
	for _, f := range r.shown {
		files[f.Path] = true
		if f.Severity == analyzer.SeverityWarning {
			warns++
		} else {
			errs++
		}
		if r.fixable(f) {
			fixable++
		}
		if hiddenFix(f, r.opt.UnsafeFixes) {
			hidden++
		}
	}
	target := ""
	if r.opt.Target != "" {
		target = ", target MLflow " + r.opt.Target
	}
	fixed := ""
	if r.opt.FixMode && r.res.Fixed > 0 {
		fixed = " 1 fix was applied."
		if r.res.Fixed != 1 {
			fixed = fmt.Sprintf(" %d fixes were applied.", r.res.Fixed)
		}
	}
	if len(r.shown) == 0 {
		scanned := ""
		if r.res.Files > 0 {
			scanned = fmt.Sprintf(" in %d %s", r.res.Files, plural(r.res.Files, "file"))
		}
		return "No MLflow 3 breaking changes found" + scanned + target + "." + fixed
	}
	var what string
	switch {
	case errs > 0 && warns > 0:
		what = fmt.Sprintf("%d breaking %s and %d %s", errs, plural(errs, "change"), warns, plural(warns, "deprecation"))
	case errs > 0:
		what = fmt.Sprintf("%d breaking %s", errs, plural(errs, "change"))
	default:
		what = fmt.Sprintf("No MLflow 3 breaking changes found; %d %s", warns, plural(warns, "deprecation"))
	}
	if r.opt.FixMode {
		what += " left"
	}
	more := ""
	if hidden > 0 {
		more = fmt.Sprintf(" (%d more with --unsafe-fixes)", hidden)
	}
	return fmt.Sprintf("%s in %d %s, %d fixable automatically%s%s.%s",
		what, len(files), plural(len(files), "file"), fixable, more, target, fixed)
}

// cell makes text safe inside a GFM table cell.
func cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(s, "|", `\|`)
}

// codeSpan wraps s in backticks, more than any run inside it.
func codeSpan(s string) string {
	ticks := "`"
	for strings.Contains(s, ticks) {
		ticks += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return ticks + " " + s + " " + ticks
	}
	return ticks + s + ticks
}

// oneLine folds a message onto one line for list items and paragraphs.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func (r *renderer) summaryTable(buf *bytes.Buffer, codes []string, byRule map[string][]*analyzer.Finding) {
	buf.WriteString("\n| Rule | Title | Findings | Fixable | MLflow |\n| --- | --- | ---: | ---: | --- |\n")
	for _, code := range codes {
		fs := byRule[code]
		fixable := 0
		for _, f := range fs {
			if r.fixable(f) {
				fixable++
			}
		}
		ruleCell, title, since := code, "", ""
		if d := r.doc(code); d != nil {
			if d.URL != "" {
				ruleCell = "[" + code + "](" + d.URL + ")"
			}
			title = cmp.Or(d.Title, d.Name)
			since = d.Since
			if link := prLink(d.PR); link != "" && since != "" {
				since += " (" + link + ")"
			}
		}
		fmt.Fprintf(buf, "| %s | %s | %d | %d | %s |\n", cell(ruleCell), cell(title), len(fs), fixable, cell(since))
	}
}

// findingLink is "[`path:line`](path#Lline)", relative to the report.
func findingLink(f *analyzer.Finding) string {
	text := fmt.Sprintf("%s:%d", f.Path, f.Start.Line)
	dest := linkPath(f.Path)
	switch {
	case f.Cell > 0:
		text = fmt.Sprintf("%s:cell %d:%d", f.Path, f.Cell, f.Start.Line)
		if f.Raw != nil {
			dest += fmt.Sprintf("#L%d", f.Raw.Start.Line)
		}
	default:
		dest += fmt.Sprintf("#L%d", f.Start.Line)
	}
	return "[" + codeSpan(text) + "](" + dest + ")"
}

// linkPath percent-encodes a path for a Markdown link destination.
func linkPath(p string) string {
	uri, _ := artifactURI(p, "")
	if isAbs(p) {
		uri = escapePath(path.Clean(p), true)
	}
	return strings.NewReplacer("(", "%28", ")", "%29").Replace(uri)
}

// fenceLang picks the code block language from a file name.
func fenceLang(p string) string {
	base := path.Base(p)
	switch ext := path.Ext(base); {
	case ext == ".py" || ext == ".pyi" || ext == ".ipynb":
		return "python"
	case ext == ".toml":
		return "toml"
	case ext == ".yaml" || ext == ".yml":
		return "yaml"
	case ext == ".sh":
		return "sh"
	case strings.HasPrefix(base, "Dockerfile"):
		return "dockerfile"
	}
	return "text"
}

func trimCR(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimSuffix(l, "\r")
	}
	return out
}

func (r *renderer) ruleSection(buf *bytes.Buffer, code string, fs []*analyzer.Finding) {
	title := ""
	if d := r.doc(code); d != nil {
		title = cmp.Or(d.Title, d.Name)
	}
	fmt.Fprintf(buf, "\n## %s", code)
	if title != "" {
		fmt.Fprintf(buf, ": %s", oneLine(title))
	}
	buf.WriteString("\n")
	if u := r.url(code); u != "" {
		fmt.Fprintf(buf, "\n[Rule documentation](%s)\n", u)
	}
	for _, f := range fs {
		fmt.Fprintf(buf, "\n%s: %s\n", findingLink(f), oneLine(f.Message))
		if lines := f.Lines(); len(lines) > 0 {
			if len(lines) > maxExcerptLines {
				lines = lines[:maxExcerptLines]
			}
			for i, l := range lines {
				col := 1
				if i == 0 {
					col = f.Start.Col
				}
				lines[i] = shownLine(l, col)
			}
			fmt.Fprintf(buf, "\n%s\n", fenced(fenceLang(f.Path), strings.Join(lines, "\n")))
		}
		switch {
		case f.Fix == nil || len(f.Fix.Edits) == 0:
			buf.WriteString("\nNo automatic fix: see the checklist below.\n")
		default:
			how := "safe fix, applied by `mlflowlint --fix`"
			if f.Fix.Unsafe {
				how = "unsafe fix, review it; applied by `mlflowlint --fix --unsafe-fixes`"
			}
			fmt.Fprintf(buf, "\nSuggested change (%s): %s\n", how, oneLine(cmp.Or(f.Fix.Message, "apply the edit")))
			if before, after, ok := fixedLines(f); ok {
				var d strings.Builder
				for _, l := range before {
					d.WriteString("-" + l + "\n")
				}
				for _, l := range after {
					d.WriteString("+" + l + "\n")
				}
				fmt.Fprintf(buf, "\n%s\n", fenced("diff", d.String()))
			}
		}
	}
}

// fixedLines applies a finding's fix edits to its Lines and returns the
// changed lines before and after (common leading and trailing lines
// dropped). ok is false when an edit reaches outside the lines, edits
// overlap, or a line is too long to show whole (see window).
func fixedLines(f *analyzer.Finding) (before, after []string, ok bool) {
	lines := f.Lines()
	if f.Fix == nil || len(f.Fix.Edits) == 0 || len(lines) == 0 {
		return nil, nil, false
	}
	for _, l := range lines {
		if len(l) > maxShownLine {
			return nil, nil, false
		}
	}
	text := strings.Join(lines, "\n")
	index := func(p analyzer.Position) (int, bool) {
		i := p.Line - f.Start.Line
		if i < 0 || i >= len(lines) || p.Col < 1 || p.Col-1 > len(lines[i]) {
			return 0, false
		}
		off := p.Col - 1
		for _, l := range lines[:i] {
			off += len(l) + 1
		}
		return off, true
	}
	type span struct {
		lo, hi int
		text   string
	}
	var spans []span
	for _, e := range f.Fix.Edits {
		lo, ok1 := index(e.Start)
		hi, ok2 := index(e.End)
		if !ok1 || !ok2 || hi < lo {
			return nil, nil, false
		}
		spans = append(spans, span{lo, hi, e.New})
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Or(cmp.Compare(a.lo, b.lo), cmp.Compare(a.hi, b.hi)) })
	var b strings.Builder
	at := 0
	for _, s := range spans {
		if s.lo < at {
			return nil, nil, false
		}
		b.WriteString(text[at:s.lo])
		b.WriteString(s.text)
		at = s.hi
	}
	b.WriteString(text[at:])
	before = lines
	after = trimCR(strings.Split(b.String(), "\n"))
	for len(before) > 0 && len(after) > 0 && before[0] == after[0] {
		before, after = before[1:], after[1:]
	}
	for len(before) > 0 && len(after) > 0 && before[len(before)-1] == after[len(after)-1] {
		before, after = before[:len(before)-1], after[:len(after)-1]
	}
	if len(before) == 0 && len(after) == 0 {
		return nil, nil, false
	}
	return before, after, true
}

// byCodeThenPlace orders findings for the checklists: rule code, then
// path, cell and position.
func byCodeThenPlace(a, b *analyzer.Finding) int {
	return cmp.Or(cmp.Compare(a.Code, b.Code), analyzer.CompareFindings(*a, *b))
}

// checklistOf returns the shown findings keep accepts, in checklist order.
func (r *renderer) checklistOf(keep func(*analyzer.Finding) bool) []*analyzer.Finding {
	var out []*analyzer.Finding
	for _, f := range r.shown {
		if keep(f) {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, byCodeThenPlace)
	return out
}

// checklist lists the findings --fix leaves to a person. Findings of one
// rule with the same message are one item: what to do, said once, then
// the places.
func (r *renderer) checklist(buf *bytes.Buffer) {
	manual := r.checklistOf(func(f *analyzer.Finding) bool { return !r.fixable(f) && !isDependencyCode(f.Code) })
	if len(manual) == 0 {
		return
	}
	buf.WriteString("\n## Manual migrations\n\n")
	for _, g := range groupFindings(manual, func(f *analyzer.Finding) string {
		return fmt.Sprint(f.Code, "\x00", oneLine(f.Message), "\x00", hiddenFix(f, r.opt.UnsafeFixes))
	}) {
		f := g[0]
		what := oneLine(f.Message)
		if hiddenFix(f, r.opt.UnsafeFixes) {
			what += " (an unsafe fix is available with `--unsafe-fixes`)"
		}
		if len(g) == 1 {
			fmt.Fprintf(buf, "- [ ] **%s** %s: %s\n", f.Code, findingLink(f), what)
			continue
		}
		fmt.Fprintf(buf, "- [ ] **%s**, %d places: %s\n", f.Code, len(g), what)
		for _, p := range g {
			fmt.Fprintf(buf, "  - [ ] %s\n", findingLink(p))
		}
	}
}

// groupFindings groups findings by key, in the order of each group's
// first finding, keeping their order within a group.
func groupFindings(fs []*analyzer.Finding, key func(*analyzer.Finding) string) [][]*analyzer.Finding {
	var groups [][]*analyzer.Finding
	index := map[string]int{}
	for _, f := range fs {
		k := key(f)
		i, ok := index[k]
		if !ok {
			i = len(groups)
			index[k] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], f)
	}
	return groups
}

// dependencyPins lists the manifest findings (MLF040-MLF049) with the
// requirement line now and, when a fix says so, what it should become.
func (r *renderer) dependencyPins(buf *bytes.Buffer) {
	pins := r.checklistOf(func(f *analyzer.Finding) bool { return isDependencyCode(f.Code) })
	if len(pins) == 0 {
		return
	}
	buf.WriteString("\n## Dependency pins\n\n")
	for _, f := range pins {
		fmt.Fprintf(buf, "- [ ] **%s** %s: ", f.Code, findingLink(f))
		if before, after, ok := fixedLines(f); ok && len(before) == 1 && len(after) == 1 {
			fmt.Fprintf(buf, "%s → %s: ", codeSpan(strings.TrimSpace(before[0])), codeSpan(strings.TrimSpace(after[0])))
		} else if text, ok := lineText(f, f.Start.Line); ok && strings.TrimSpace(text) != "" {
			fmt.Fprintf(buf, "%s: ", codeSpan(strings.TrimSpace(text)))
		}
		buf.WriteString(oneLine(f.Message) + "\n")
	}
}
