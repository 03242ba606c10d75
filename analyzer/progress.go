package analyzer

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// ProgressThreshold is the number of files above which a run on a terminal
// shows a progress line.
const ProgressThreshold = 2000

// ProgressInterval is the least time between two updates of the line.
const ProgressInterval = 100 * time.Millisecond

// IsTerminal reports whether w is a character device (a terminal), so that
// a progress line never lands in a pipe or a file.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || f == nil {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Progress writes "\r[done/total] files" to a terminal while a run goes on.
// Its Update method is an Options.Progress callback; Finish clears the line.
type Progress struct {
	w         io.Writer
	threshold int
	interval  time.Duration
	now       func() time.Time

	mu      sync.Mutex
	last    time.Time
	printed int // width of the line on screen, 0 when nothing is shown
}

// NewProgress returns a progress line on w for runs over threshold files,
// updated at most every interval.
func NewProgress(w io.Writer, threshold int, interval time.Duration) *Progress {
	return &Progress{w: w, threshold: threshold, interval: interval, now: time.Now}
}

// Update records that done of total files are analysed. It is safe for
// concurrent use.
func (p *Progress) Update(done, total int) {
	if total <= p.threshold {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	t := p.now()
	if p.printed > 0 && done < total && t.Sub(p.last) < p.interval {
		return
	}
	p.last = t
	line := fmt.Sprintf("[%d/%d] files", done, total)
	pad := ""
	if len(line) < p.printed {
		pad = strings.Repeat(" ", p.printed-len(line))
	}
	fmt.Fprintf(p.w, "\r%s%s", line, pad)
	p.printed = max(p.printed, len(line))
}

// Finish clears the line, if one was shown, so the report starts on a clean
// line.
func (p *Progress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.printed > 0 {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.printed))
		p.printed = 0
	}
}
