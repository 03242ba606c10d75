package main

import (
	"runtime"
	"testing"
)

// TestTuneProcs: the runtime gets one processor more than the workers,
// which stay as many as the processors it had; GOMAXPROCS in the
// environment is kept, and so is the number of workers.
func TestTuneProcs(t *testing.T) {
	prev := runtime.GOMAXPROCS(0)
	t.Cleanup(func() {
		runtime.GOMAXPROCS(prev)
		defaultJobs = 0
	})
	t.Setenv("GOMAXPROCS", "")
	tuneProcs()
	if defaultJobs != prev || runtime.GOMAXPROCS(0) != prev+1 {
		t.Errorf("workers %d, processors %d; want %d and %d", defaultJobs, runtime.GOMAXPROCS(0), prev, prev+1)
	}
	runtime.GOMAXPROCS(prev)
	t.Setenv("GOMAXPROCS", "7")
	tuneProcs()
	if defaultJobs != prev || runtime.GOMAXPROCS(0) != prev {
		t.Errorf("with GOMAXPROCS set: workers %d, processors %d; want %d and %d", defaultJobs, runtime.GOMAXPROCS(0), prev, prev)
	}
}
