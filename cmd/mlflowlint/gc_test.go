package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestTuneGC: a run starts with the collector off below minHeap and
// switches to GOGC=100 without a limit once its live heap passes three
// quarters of it; GOGC in the environment leaves the collector alone.
func TestTuneGC(t *testing.T) {
	defer debug.SetMemoryLimit(math.MaxInt64)
	defer debug.SetGCPercent(100)

	t.Setenv("GOGC", "100")
	tuneGC()
	if limit := debug.SetMemoryLimit(-1); limit != math.MaxInt64 {
		t.Fatalf("with GOGC set, the memory limit is %d", limit)
	}

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	tuneGC()
	if limit := debug.SetMemoryLimit(-1); limit != minHeap {
		t.Fatalf("memory limit %d, want %d", limit, minHeap)
	}
	if gcDefault.Load() {
		t.Fatal("switched to the default pacing before any collection")
	}
	// Keep more than 3/4 of minHeap live and collect until the watcher
	// has seen it.
	n := minHeap*3/4>>20 + 3
	live := make([][]byte, 0, n)
	for range n {
		live = append(live, make([]byte, 1<<20))
	}
	deadline := time.Now().Add(10 * time.Second)
	for !gcDefault.Load() && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	runtime.KeepAlive(live)
	if !gcDefault.Load() {
		t.Fatal("the live heap passed 3/4 of minHeap and the pacing stayed")
	}
	if limit := debug.SetMemoryLimit(-1); limit != math.MaxInt64 {
		t.Errorf("after the switch the memory limit is %d", limit)
	}
	if p := debug.SetGCPercent(100); p != 100 {
		t.Errorf("after the switch GOGC is %d", p)
	}
}
