package analyzer

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/sourcegraph/conc/panics"

	"github.com/mlflowlint/mlflowlint/parser"
)

// TextRule checks a kind of non-Python file as text: dependency manifests,
// shell scripts, Dockerfiles, YAML configs. Its findings, fixes and
// suppressions go through the same machinery as Python rules.
type TextRule struct {
	// Code is the rule's code. It may be the Name of a Python analyzer too:
	// the text rule is then the non-Python half of that rule, enabled and
	// ignored with it.
	Code string
	// Match selects the files the rule reads (by path).
	Match func(path string) bool
	// Triggers are byte strings a file must contain for Check to run.
	Triggers [][]byte
	// Check returns the issues of one file.
	Check func(path string, src []byte, cfg *RunConfig) []TextIssue
	// Shell, when set, runs Check on notebooks too, over their shell
	// lines (see shellText): `!cmd` lines and `%%bash`/`%%sh` cells.
	Shell bool
	// CheckPip, when set, checks the `%pip install` lines of notebooks and
	// Databricks exports; offsets are those of the lines' Offset field.
	CheckPip func(path string, lines []parser.PipLine, cfg *RunConfig) []TextIssue
}

// TextIssue is a finding of a text rule, by byte offsets.
type TextIssue struct {
	Code       string
	Message    string
	Severity   Severity
	Start, End int
	Fix        *TextFix
}

// TextFix is the fix of a text issue.
type TextFix struct {
	Message string
	Unsafe  bool
	Edits   []TextEdit
}

// TextEdit replaces [Start, End) with New.
type TextEdit struct {
	Start, End int
	New        string
}

func (d *driver) processText(path string, src []byte) fileOut {
	var out fileOut
	if bytes.IndexByte(src, 0) >= 0 {
		return out // binary: not a manifest
	}
	v := &view{body: src, parse: src, lineStarts: lineStarts(src)}
	findings, ferr := d.checkText(path, v)
	if ferr != nil {
		out.errs = append(out.errs, *ferr)
		return out
	}
	out.parsed = true
	if !d.opt.Fix && !d.opt.Diff {
		out.findings = findings
		return out
	}
	return d.fixRounds(path, src, v, findings, func(newRaw []byte) (*view, []Finding, *FileError) {
		nv := &view{body: newRaw, parse: newRaw, lineStarts: lineStarts(newRaw)}
		nf, ferr := d.checkText(path, nv)
		return nv, nf, ferr
	})
}

func (d *driver) checkText(path string, v *view) ([]Finding, *FileError) {
	var findings []Finding
	ignored := map[string]bool{}
	if d.opt.IgnoreFor != nil {
		for _, c := range d.opt.IgnoreFor(path) {
			ignored[c] = true
		}
	}
	for _, tr := range d.opt.TextRules {
		if !tr.Match(path) || codeIgnored(ignored, tr.Code) {
			continue
		}
		if len(tr.Triggers) > 0 && !d.opt.NoPrefilter && !Mentions(v.body, tr.Triggers) {
			continue
		}
		var issues []TextIssue
		if rec := panics.Try(func() { issues = tr.Check(path, v.body, d.config) }); rec != nil {
			return nil, &FileError{Path: path, Message: fmt.Sprintf("internal error in %s: %v", tr.Code, rec.Value)}
		}
		for _, is := range issues {
			if fd, ok := v.textFinding(path, tr.Code, is, true); ok {
				findings = append(findings, fd)
			}
		}
	}
	// `# noqa: MLF040` works in manifests, scripts and YAML too.
	for i := range findings {
		line := v.lineText(findings[i].NoqaLine)
		if j := strings.Index(line, "#"); j >= 0 {
			if codes, _, ok := ParseNoqa(line[j:]); ok && covers(codes, findings[i].Code) {
				findings[i].Suppressed = true
			}
		}
	}
	return findings, nil
}

// pipFindings runs the text rules that read pip lines over a view's
// `%pip install` lines. Fixes are kept only where the pip line is part of
// the editable text (Databricks exports); a notebook's magic lines are
// masked in its virtual source and cannot be edited through it.
func (d *driver) pipFindings(path string, v *view, ignored map[string]bool) []Finding {
	if len(v.pipLines) == 0 {
		return nil
	}
	var out []Finding
	for _, tr := range d.opt.TextRules {
		if tr.CheckPip == nil || codeIgnored(ignored, tr.Code) {
			continue
		}
		var issues []TextIssue
		if rec := panics.Try(func() { issues = tr.CheckPip(path, v.pipLines, d.config) }); rec != nil {
			continue
		}
		for _, is := range issues {
			if fd, ok := v.textFinding(path, tr.Code, is, !v.notebook); ok {
				out = append(out, fd)
			}
		}
	}
	return out
}

// textFinding makes a text rule's issue concrete; code is the rule's code,
// used when the issue names none. withFix drops the fix when false.
func (v *view) textFinding(path, code string, is TextIssue, withFix bool) (Finding, bool) {
	if is.Start < 0 || is.End < is.Start || is.End > len(v.body) {
		return Finding{}, false
	}
	if is.Code != "" {
		code = is.Code
	}
	fd := Finding{Code: code, Message: is.Message, Severity: is.Severity, Path: filepath.ToSlash(path)}
	v.locate(&fd, is.Start, is.End)
	if fd.Severity == "" {
		fd.Severity = SeverityError
	}
	if is.Fix != nil && withFix {
		fx := &Fix{Message: is.Fix.Message, Unsafe: is.Fix.Unsafe}
		for _, e := range is.Fix.Edits {
			fx.Edits = append(fx.Edits, Edit{Start: v.position(e.Start), End: v.position(e.End), New: v.matchEOL(e.Start, e.New)})
		}
		fd.Fix = fx
	}
	return fd, true
}

// shellFindings runs the text rules that read shell commands (Shell) over
// a notebook's shell lines. Offsets are those of the virtual source; fixes
// are dropped, as for pip lines (magic lines are masked in the virtual
// source and cannot be edited through it).
func (d *driver) shellFindings(path string, v *view, ignored map[string]bool) []Finding {
	nb, ok := v.virtual.(*parser.Notebook)
	if !ok {
		return nil
	}
	var text []byte
	var out []Finding
	for _, tr := range d.opt.TextRules {
		if !tr.Shell || codeIgnored(ignored, tr.Code) {
			continue
		}
		if text == nil {
			if text = shellText(nb, v.display, v.parse); text == nil {
				return nil
			}
		}
		if len(tr.Triggers) > 0 && !d.opt.NoPrefilter && !Mentions(text, tr.Triggers) {
			continue
		}
		var issues []TextIssue
		if rec := panics.Try(func() { issues = tr.Check(path, text, d.config) }); rec != nil {
			continue
		}
		for _, is := range issues {
			if fd, ok := v.textFinding(path, tr.Code, is, false); ok {
				out = append(out, fd)
			}
		}
	}
	return out
}

// shellCellMagics run their cell body as a shell script.
var shellCellMagics = map[string]bool{"%%bash": true, "%%sh": true, "%%script bash": true, "%%script sh": true}

// shellText returns a notebook's shell commands at their virtual offsets,
// every other byte blanked (newlines kept): the bodies of %%bash and %%sh
// cells, and `!cmd` lines (with their backslash continuations) that the
// notebook parser masked as shell escapes. orig is the unmasked virtual
// text, masked the parser's. It returns nil when there are none.
func shellText(nb *parser.Notebook, orig, masked []byte) []byte {
	if len(orig) != len(masked) {
		return nil
	}
	out := bytes.Repeat([]byte{' '}, len(orig))
	for i, c := range orig {
		if c == '\n' {
			out[i] = '\n'
		}
	}
	keep := func(from, to int) { copy(out[from:to], orig[from:to]) }
	found := false
	for cell := 1; cell <= nb.NumCells(); cell++ {
		start, end, ok := nb.Span(cell)
		if !ok {
			continue
		}
		body := orig[start:end]
		first := bytes.TrimSpace(body[:lineEnd(body, 0)])
		if shellCellMagics[string(bytes.Join(bytes.Fields(first), []byte(" ")))] {
			if nl := bytes.IndexByte(body, '\n'); nl >= 0 {
				keep(start+nl+1, end)
				found = true
			}
			continue
		}
		cont := false
		for at := 0; at < len(body); {
			e := lineEnd(body, at)
			line := body[at:e]
			ind := len(line) - len(bytes.TrimLeft(line, " \t"))
			switch {
			case cont:
				keep(start+at, start+e)
			case ind < len(line) && line[ind] == '!' && masked[start+at+ind] != '!':
				keep(start+at+ind+1, start+e)
				found = true
			default:
				at = e + 1
				continue
			}
			cont = bytes.HasSuffix(bytes.TrimRight(line, "\r"), []byte{'\\'})
			at = e + 1
		}
	}
	if !found {
		return nil
	}
	return out
}

func lineEnd(b []byte, at int) int {
	if i := bytes.IndexByte(b[at:], '\n'); i >= 0 {
		return at + i
	}
	return len(b)
}
