package report

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/mlflowlint/mlflowlint/analyzer"
)

// ANSI styles of the text formats.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiBlue   = "\x1b[34m"
	ansiCyan   = "\x1b[36m"
)

func (r *renderer) paint(style, s string) string {
	if !r.opt.Color || s == "" {
		return s
	}
	return style + s + ansiReset
}

func (r *renderer) severityStyle(f *analyzer.Finding) string {
	if f.Severity == analyzer.SeverityWarning {
		return ansiBold + ansiYellow
	}
	return ansiBold + ansiRed
}

// text writes the full (with code frames) or concise format to w.
func (r *renderer) text(w io.Writer, full bool) error {
	var buf bytes.Buffer
	if r.opt.Statistics {
		r.statisticsText(&buf)
		r.statisticsMatrix(&buf)
		_, err := w.Write(buf.Bytes())
		return err
	}
	if err := r.findingsText(w, r.shown, full); err != nil {
		return err
	}
	r.summary(&buf)
	_, err := w.Write(buf.Bytes())
	return err
}

// textChunk is the number of findings one goroutine renders at a time.
const textChunk = 256

// findingsText writes the findings' headers (and frames when full) to w.
// The report is written after every file is analysed, so the cores are
// idle: chunks of findings are rendered into buffers of their own in
// parallel and written in order, each as soon as those before it are, so
// that the report is never held whole in memory (30,000 findings made a
// 4.5 MB buffer and as much again to join the chunks).
func (r *renderer) findingsText(w io.Writer, fs []*analyzer.Finding, full bool) error {
	one := func(buf *bytes.Buffer, fs []*analyzer.Finding) {
		for _, f := range fs {
			r.header(buf, f)
			if full {
				r.frame(buf, f)
				buf.WriteByte('\n')
			}
		}
	}
	chunks := (len(fs) + textChunk - 1) / textChunk
	workers := min(runtime.GOMAXPROCS(0), chunks)
	if workers <= 1 {
		var buf bytes.Buffer
		one(&buf, fs)
		_, err := w.Write(buf.Bytes())
		return err
	}
	// Chunk k is rendered into parts[k] and signalled on ready[k]; at
	// most 2*workers chunks wait to be written (the claim waits on slots).
	parts := make([]bytes.Buffer, chunks)
	ready := make([]chan struct{}, chunks)
	for k := range ready {
		ready[k] = make(chan struct{})
	}
	slots := make(chan struct{}, 2*workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				slots <- struct{}{}
				k := int(next.Add(1)) - 1
				if k >= chunks {
					<-slots
					return
				}
				one(&parts[k], fs[k*textChunk:min((k+1)*textChunk, len(fs))])
				close(ready[k])
			}
		})
	}
	var err error
	for k := range parts {
		<-ready[k]
		if err == nil {
			_, err = w.Write(parts[k].Bytes())
		}
		parts[k] = bytes.Buffer{}
		<-slots
	}
	wg.Wait()
	return err
}

// header writes "path:line:col: CODE [*] message".
func (r *renderer) header(buf *bytes.Buffer, f *analyzer.Finding) {
	buf.WriteString(r.paint(ansiBold, textLocation(f)))
	buf.WriteString(": ")
	buf.WriteString(r.paint(r.severityStyle(f), f.Code))
	buf.WriteByte(' ')
	if r.fixable(f) {
		buf.WriteString(r.paint(ansiCyan, "[*]"))
		buf.WriteByte(' ')
	}
	buf.WriteString(f.Message)
	buf.WriteByte('\n')
}

// caretSpan is the part of one frame line that carets underline, as
// display-cell offsets.
type caretSpan struct{ pad, n int }

// frameSpans computes, for each of a finding's lines, the text the frame
// shows (long lines cut to a window around the span, see window) and where
// the carets go (n == 0: no carets on that line). Columns are bytes; widths
// are counted per rune so that carets line up under wide and combining
// characters.
func frameSpans(f *analyzer.Finding, lines []string) ([]string, []caretSpan) {
	shown := make([]string, len(lines))
	spans := make([]caretSpan, len(lines))
	last := len(lines) - 1
	for i, text := range lines {
		lo, hi := 0, len(text)
		if i == 0 {
			lo = min(max(f.Start.Col-1, 0), len(text))
		} else {
			lo = len(text) - len(strings.TrimLeftFunc(text, unicode.IsSpace))
		}
		if i == last && f.End.Line == f.Start.Line+last {
			hi = min(max(f.End.Col-1, 0), len(text))
		}
		a, b := window(text, lo, hi)
		shown[i] = cut(text, a, b)
		lo, hi = min(max(lo, a), b), min(max(hi, a), b)
		pad := len(leader(a)) + displayWidth(text[a:lo])
		switch {
		case hi > lo:
			spans[i] = caretSpan{pad, max(displayWidth(text[lo:hi]), 1)}
		case last == 0:
			// An empty span (an insertion point) still gets one caret.
			spans[i] = caretSpan{pad, 1}
		}
	}
	return shown, spans
}

// frame writes the code frame of a finding: its lines with a line-number
// gutter, carets under the span and the fix title.
func (r *renderer) frame(buf *bytes.Buffer, f *analyzer.Finding) {
	lines := f.Lines()
	gw := len(strconv.Itoa(f.Start.Line + max(len(lines)-1, 0)))
	blank := strings.Repeat(" ", gw)
	gutter := func(s string) string { return r.paint(ansiBlue+ansiBold, s+" |") }
	if len(lines) > 0 {
		var spans []caretSpan
		lines, spans = frameSpans(f, lines)
		lastCaret := -1
		for i, s := range spans {
			if s.n > 0 {
				lastCaret = i
			}
		}
		fmt.Fprintf(buf, "%s\n", gutter(blank))
		for i, text := range lines {
			num := fmt.Sprintf("%*d", gw, f.Start.Line+i)
			line := expandTabs(text)
			if line == "" {
				fmt.Fprintf(buf, "%s\n", gutter(num))
			} else {
				fmt.Fprintf(buf, "%s %s\n", gutter(num), line)
			}
			if s := spans[i]; s.n > 0 {
				carets := strings.Repeat(" ", s.pad) + r.paint(r.severityStyle(f), strings.Repeat("^", s.n))
				if i == lastCaret {
					carets += " " + r.paint(r.severityStyle(f), f.Code)
				}
				fmt.Fprintf(buf, "%s %s\n", gutter(blank), carets)
			}
		}
		fmt.Fprintf(buf, "%s\n", gutter(blank))
	}
	if f.Fix != nil && f.Fix.Message != "" {
		fmt.Fprintf(buf, "%s %s %s\n", blank, r.paint(ansiBlue+ansiBold, "="), r.paint(ansiBold, "help:")+" "+f.Fix.Message)
	}
}

// summary writes the closing lines of the text formats, as ruff does.
func (r *renderer) summary(buf *bytes.Buffer) {
	n, fixable, hidden := len(r.shown), 0, 0
	for _, f := range r.shown {
		if r.fixable(f) {
			fixable++
		}
		if hiddenFix(f, r.opt.UnsafeFixes) {
			hidden++
		}
	}
	fixed := 0
	if r.opt.FixMode {
		fixed = r.res.Fixed
	}
	if n+fixed == 0 {
		buf.WriteString(r.paint(ansiBold, "All checks passed!") + "\n")
		return
	}
	var line string
	switch {
	case r.opt.FixMode:
		total := fixed + n
		line = fmt.Sprintf("Found %d %s (%d fixed, %d remaining).", total, plural(total, "error"), fixed, n)
	case fixable > 0:
		line = fmt.Sprintf("Found %d %s (%d fixable with --fix).", n, plural(n, "error"), fixable)
	default:
		line = fmt.Sprintf("Found %d %s.", n, plural(n, "error"))
	}
	buf.WriteString(r.paint(ansiBold, line) + "\n")
	if hidden > 0 {
		hint := fmt.Sprintf("%d hidden %s can be enabled with the --unsafe-fixes option", hidden, plural(hidden, "fix"))
		if fixable == 0 || r.opt.FixMode {
			hint = "No fixes available (" + hint + ")."
		} else {
			hint += "."
		}
		buf.WriteString(hint + "\n")
	}
}

// ruleStat counts one rule's findings.
type ruleStat struct {
	Code    string `json:"code"`
	Count   int    `json:"count"`
	Fixable int    `json:"fixable"`
	Name    string `json:"name"`
}

// statistics counts the shown findings per rule, most frequent first.
func (r *renderer) statistics() []ruleStat {
	byCode := map[string]*ruleStat{}
	var stats []*ruleStat
	for _, f := range r.shown {
		s := byCode[f.Code]
		if s == nil {
			s = &ruleStat{Code: f.Code, Name: r.ruleName(f.Code)}
			byCode[f.Code] = s
			stats = append(stats, s)
		}
		s.Count++
		if r.fixable(f) {
			s.Fixable++
		}
	}
	out := make([]ruleStat, len(stats))
	for i, s := range stats {
		out[i] = *s
	}
	slices.SortFunc(out, func(a, b ruleStat) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Code, b.Code))
	})
	return out
}

// statisticsText writes "  3  MLF011  [*] name" lines, aligned.
func (r *renderer) statisticsText(buf *bytes.Buffer) {
	stats := r.statistics()
	cw, kw := 1, 1
	for _, s := range stats {
		cw = max(cw, len(strconv.Itoa(s.Count)))
		kw = max(kw, len(s.Code))
	}
	for _, s := range stats {
		mark := "[ ]"
		if s.Fixable > 0 {
			mark = r.paint(ansiCyan, "[*]")
		}
		fmt.Fprintf(buf, "  %*d  %s%s  %s %s\n", cw, s.Count, r.paint(ansiBold+ansiRed, s.Code),
			strings.Repeat(" ", kw-len(s.Code)), mark, s.Name)
	}
}
