package main

import (
	"os"
	"runtime"
)

// defaultJobs is the number of files analysed at once when --jobs is not
// given: the processors the Go runtime would use, the CPUs the process
// may run on. Zero until tuneProcs runs (the driver then picks).
var defaultJobs int

// tuneProcs gives the runtime one processor more than the workers. A
// worker spends about half of its time in tree-sitter's C parse. While
// every processor is held by a worker, the runtime's monitor takes back
// the processor of each parse that lasts more than a few microseconds,
// so that the collector and the walk can run, and, waking that often on
// a busy CPU, displaces a worker each time: on two CPUs, 20,000 context
// switches over three copies of MLflow's own sources with two workers,
// 8,000 with a third processor, and 4-13% less CPU on MLflow code over
// alternating runs. GOMAXPROCS in the environment is left as it is.
func tuneProcs() {
	defaultJobs = runtime.GOMAXPROCS(0)
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(defaultJobs + 1)
	}
}
