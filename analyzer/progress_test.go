package analyzer

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestProgressThrottlesAndClears(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(&buf, 3, time.Second)
	clock := time.Unix(0, 0)
	p.now = func() time.Time { return clock }
	p.Update(1, 3) // at the threshold: silent
	if buf.Len() != 0 {
		t.Fatalf("printed for a small run: %q", buf.String())
	}
	p.Update(1, 4)
	p.Update(2, 4) // within the interval: skipped
	clock = clock.Add(2 * time.Second)
	p.Update(3, 4)
	p.Update(4, 4) // the last file always shows
	p.Finish()
	want := "\r[1/4] files\r[3/4] files\r[4/4] files\r           \r"
	if buf.String() != want {
		t.Errorf("got %q\nwant %q", buf.String(), want)
	}
	buf.Reset()
	p.Finish()
	if buf.Len() != 0 {
		t.Errorf("second Finish printed %q", buf.String())
	}
}

func TestProgressPadsShorterLines(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(&buf, 0, 0)
	p.Update(10000, 10000)
	p.Update(9, 10000)
	if !strings.HasSuffix(buf.String(), "\r[9/10000] files    ") {
		t.Errorf("shorter line not padded: %q", buf.String())
	}
}

func TestProgressConcurrent(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(&buf, 0, 0)
	var wg sync.WaitGroup
	for i := 1; i <= 50; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); p.Update(i, 50) }()
	}
	wg.Wait()
	p.Finish()
	if n := strings.Count(buf.String(), "files"); n != 50 {
		t.Errorf("%d updates printed, want 50", n)
	}
}

func TestIsTerminal(t *testing.T) {
	if IsTerminal(&bytes.Buffer{}) {
		t.Error("a buffer is a terminal")
	}
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(f) {
		t.Error("a regular file is a terminal")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if IsTerminal(w) {
		t.Error("a pipe is a terminal")
	}
	if tty, err := os.OpenFile("/dev/null", os.O_WRONLY, 0); err == nil {
		// /dev/null is a character device: what the check looks for.
		defer tty.Close()
		if !IsTerminal(tty) {
			t.Error("a character device is not taken for a terminal")
		}
	}
}
