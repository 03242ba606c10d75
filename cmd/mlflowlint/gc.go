package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// The collector's pacing for a short-lived process. With the default
// GOGC=100 a run over a few MLflow files collected a dozen times while its
// heap grew from nothing to the API data (9 MB of pointers, marked again
// by each cycle): a third of the CPU of a run over four MLflow-using
// packages. A run now lets its heap grow to minHeap before the first
// collection (a memory limit with GOGC off), and once the live heap
// passes half of that, collects as GOGC=100 does, so that a large run's
// peak stays at twice its live heap, as before. GOGC or GOMEMLIMIT in the
// environment leave the collector as they set it.
const minHeap = 40 << 20

// gcDefault is set when watchHeap has switched to the default pacing.
var gcDefault atomic.Bool

func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(minHeap)
	watchHeap()
}

// watchHeap checks the live heap after each collection, through the
// finalizer of an object that only the collector frees, and switches to
// the default pacing once the live heap passes minHeap/2.
func watchHeap() {
	sentinel := new([16]byte)
	runtime.SetFinalizer(sentinel, func(*[16]byte) {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 && sample[0].Value.Uint64() > minHeap/2 {
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(math.MaxInt64)
			gcDefault.Store(true)
			return
		}
		watchHeap()
	})
}
