package analyzer

import "sync"

// fileQueue hands walked files to the workers. A worker takes a share of
// what is waiting that shrinks as the queue empties (guided scheduling):
// up to walkBatch files while many wait, so that a large tree costs few
// lock operations and wake-ups, and one file at a time at the end, so
// that no worker is left with a batch of large files while the others
// have nothing to do. The walk waits while maxQueued files wait.
type fileQueue struct {
	mu        sync.Mutex
	ready     sync.Cond // signalled when files arrive or the walk ends
	space     sync.Cond // signalled when files are taken
	items     []Target
	head      int
	closed    bool
	jobs      int
	maxChunk  int
	maxQueued int
}

func newFileQueue(jobs, maxChunk, maxQueued int) *fileQueue {
	q := &fileQueue{jobs: max(jobs, 1), maxChunk: max(maxChunk, 1), maxQueued: max(maxQueued, 1)}
	q.ready.L = &q.mu
	q.space.L = &q.mu
	return q
}

// push adds walked files, waiting while the queue is full.
func (q *fileQueue) push(ts []Target) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(ts) > 0 {
		for len(q.items)-q.head >= q.maxQueued {
			q.space.Wait()
		}
		if q.head > 0 && q.head >= len(q.items)/2 {
			// Drop what was taken, so that the slice stays as long as
			// what waits rather than as the whole walk.
			n := copy(q.items, q.items[q.head:])
			clear(q.items[n:])
			q.items, q.head = q.items[:n], 0
		}
		n := min(len(ts), q.maxQueued-(len(q.items)-q.head))
		q.items = append(q.items, ts[:n]...)
		ts = ts[n:]
		if n > 1 {
			q.ready.Broadcast()
		} else {
			q.ready.Signal()
		}
	}
}

// close tells the workers that no more files will come.
func (q *fileQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.ready.Broadcast()
}

// take returns the next files for a worker in dst's storage, or none once
// the queue is closed and empty.
func (q *fileQueue) take(dst []Target) []Target {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.head == len(q.items) && !q.closed {
		q.ready.Wait()
	}
	left := len(q.items) - q.head
	if left == 0 {
		return dst[:0]
	}
	n := min(max(left/(2*q.jobs), 1), q.maxChunk)
	out := append(dst[:0], q.items[q.head:q.head+n]...)
	clear(q.items[q.head : q.head+n])
	q.head += n
	q.space.Broadcast()
	return out
}
