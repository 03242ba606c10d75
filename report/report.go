package report

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/mlflowlint/mlflowlint/analyzer"
)

// Options select the output format and the facts a report needs besides
// the findings.
type Options struct {
	Format      string             // "full" (default), "concise", "json", "sarif", "markdown", "github"
	Rules       []analyzer.RuleDoc // catalog docs, for SARIF rules, markdown titles/links, URLs
	UnsafeFixes bool               // whether unsafe fixes count as fixable ([*])
	FixMode     bool               // --fix was given: Result.Fixed fixes were applied
	Target      string             // target MLflow version, e.g. "3.4"
	ToolVersion string             // mlflowlint version, e.g. "0.1.0"
	Statistics  bool               // --statistics: print counts per rule instead of findings (text formats)
	Color       bool               // ANSI colours in full/concise text (off when not a terminal)
	Category    string             // SARIF automationDetails.id prefix, default "mlflowlint/"
	SrcRoot     string             // absolute dir the relative URIs are relative to (for SARIF originalUriBaseIds)
}

var formats = []string{"full", "concise", "json", "sarif", "markdown", "github"}

// Formats lists the accepted values of Options.Format, the default first.
func Formats() []string { return slices.Clone(formats) }

// Write renders res in the format opt.Format selects. The output is built
// in memory and written at once, so a failing writer leaves no half report
// behind a successful return. File errors (res.Errors) are not printed by
// the text formats: the command prints them on standard error.
func Write(w io.Writer, res *analyzer.Result, opt Options) error {
	if res == nil {
		res = &analyzer.Result{}
	}
	r := newRenderer(res, opt)
	var buf bytes.Buffer
	var err error
	switch opt.Format {
	case "", "full":
		return r.text(w, true)
	case "concise":
		return r.text(w, false)
	case "json":
		err = r.json(&buf)
	case "sarif":
		err = r.sarif(&buf)
	case "markdown":
		r.markdown(&buf)
	case "github":
		r.github(&buf)
	default:
		return fmt.Errorf("unknown output format %q (want one of %s)", opt.Format, strings.Join(formats, ", "))
	}
	if err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// renderer holds what every format derives from the inputs.
type renderer struct {
	res   *analyzer.Result
	opt   Options
	docs  map[string]*analyzer.RuleDoc
	shown []*analyzer.Finding // findings that are not suppressed, in order
}

func newRenderer(res *analyzer.Result, opt Options) *renderer {
	r := &renderer{res: res, opt: opt, docs: make(map[string]*analyzer.RuleDoc, len(opt.Rules))}
	for i := range opt.Rules {
		d := &opt.Rules[i]
		if _, dup := r.docs[d.Code]; !dup {
			r.docs[d.Code] = d
		}
	}
	for i := range res.Findings {
		if !res.Findings[i].Suppressed {
			r.shown = append(r.shown, &res.Findings[i])
		}
	}
	return r
}

// doc returns the rule doc of code, or nil.
func (r *renderer) doc(code string) *analyzer.RuleDoc { return r.docs[code] }

// url is the documentation address of a rule, or "".
func (r *renderer) url(code string) string {
	if d := r.doc(code); d != nil {
		return d.URL
	}
	return ""
}

// ruleName is the kebab-case name of a rule, or its code when unknown.
func (r *renderer) ruleName(code string) string {
	if d := r.doc(code); d != nil && d.Name != "" {
		return d.Name
	}
	return code
}

// fixable reports whether --fix would apply the finding's fix now.
func (r *renderer) fixable(f *analyzer.Finding) bool { return f.Fixable(r.opt.UnsafeFixes) }

// hiddenFix reports whether the finding has an unsafe fix that the current
// settings leave out.
func hiddenFix(f *analyzer.Finding, unsafe bool) bool {
	return !unsafe && f.Fix != nil && f.Fix.Unsafe && len(f.Fix.Edits) > 0
}

// levelOf maps a severity to "error" or "warning"; unset means error.
func levelOf(s analyzer.Severity) string {
	if s == analyzer.SeverityWarning {
		return "warning"
	}
	return "error"
}

// textLocation is "path:line:col" or, in a notebook, "path:cell N:line:col",
// with the column counted in code points as ruff does.
func textLocation(f *analyzer.Finding) string {
	col := findingCharCol(f, f.Start)
	if f.Cell > 0 {
		return fmt.Sprintf("%s:cell %d:%d:%d", f.Path, f.Cell, f.Start.Line, col)
	}
	return fmt.Sprintf("%s:%d:%d", f.Path, f.Start.Line, col)
}

// plural returns word in the plural ("s", or "es" after x) unless n is 1.
func plural(n int, word string) string {
	switch {
	case n == 1:
		return word
	case strings.HasSuffix(word, "x"):
		return word + "es"
	}
	return word + "s"
}

// isDependencyCode reports whether code belongs to the dependency-manifest
// range MLF040-MLF049.
func isDependencyCode(code string) bool {
	return len(code) == 6 && strings.HasPrefix(code, "MLF04") && code[5] >= '0' && code[5] <= '9'
}
