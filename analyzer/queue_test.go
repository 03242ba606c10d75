package analyzer

import (
	"fmt"
	"slices"
	"sync"
	"testing"
)

func targets(from, n int) []Target {
	out := make([]Target, n)
	for i := range out {
		out[i] = Target{Path: fmt.Sprintf("f%04d.py", from+i)}
	}
	return out
}

// TestFileQueueShares: with 100 files waiting and two workers, a take gets
// a quarter of what waits, at most 16 and at least 1, in walk order.
func TestFileQueueShares(t *testing.T) {
	q := newFileQueue(2, 16, 1024)
	q.push(targets(0, 100))
	q.close()
	var sizes []int
	var got []Target
	var buf []Target
	for {
		buf = q.take(buf)
		if len(buf) == 0 {
			break
		}
		sizes = append(sizes, len(buf))
		got = append(got, buf...)
	}
	want := []int{16, 16, 16, 13, 9, 7, 5, 4, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1}
	if !slices.Equal(sizes, want) {
		t.Errorf("shares %v, want %v", sizes, want)
	}
	if !slices.Equal(got, targets(0, 100)) {
		t.Errorf("files taken out of order or lost: %v", got)
	}
	if len(q.take(nil)) != 0 {
		t.Error("a closed, empty queue gave files")
	}
}

// TestFileQueueBoundedAndComplete: the walk pushes more than the queue
// holds while workers take concurrently; every file is taken exactly once,
// no take exceeds the chunk limit, and the queue never holds more than its
// bound.
func TestFileQueueBoundedAndComplete(t *testing.T) {
	const total, jobs = 5000, 3
	q := newFileQueue(jobs, 8, 40)
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	errs := make(chan string, jobs)
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []Target
			for {
				buf = q.take(buf)
				if len(buf) == 0 {
					return
				}
				if len(buf) > 8 {
					errs <- fmt.Sprintf("a take of %d files", len(buf))
					return
				}
				mu.Lock()
				for _, f := range buf {
					seen[f.Path]++
				}
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < total; {
		n := min(1+i%97, total-i) // pushes of 1 to 97 files
		q.push(targets(i, n))
		q.mu.Lock()
		if held := len(q.items) - q.head; held > 40 {
			errs <- fmt.Sprintf("the queue holds %d files", held)
		}
		q.mu.Unlock()
		i += n
	}
	q.close()
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if len(seen) != total {
		t.Fatalf("%d distinct files taken, want %d", len(seen), total)
	}
	for p, n := range seen {
		if n != 1 {
			t.Fatalf("%s taken %d times", p, n)
		}
	}
}
