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
// by each cycle): a quarter of the CPU of a run over four MLflow-using
// packages (0.35 -> 0.26 s without it); and a large run's heap peaked at
// twice its live size. A run
// now keeps the Go runtime's memory under minHeap (a memory limit with
// GOGC off), collecting only as it nears it, and once the live heap
// passes three quarters of that (where collections would follow each
// other), collects as GOGC=100 does. On the whole benchmark corpus, whose
// live heap stays at 13-21 MB, peak RSS falls from 72 to 62 MB. The
// limit was 36 MiB until the work around the parse got cheaper and the
// collector's share of it grew (17% of the CPU samples of a run over
// MLflow's own sources): at 44 MiB a run over the whole corpus collects
// less often, 0.658 -> 0.594 s (CPU -7%, 21 alternating runs), the
// generated MLflow-heavy part 0.300 -> 0.271 s, the PyPI part 0.278 ->
// 0.270 s, for peak RSS 47.8 -> 54.5 MB (the corpus twice: 50 -> 58 MB).
// GOGC or GOMEMLIMIT in the environment leave the collector as they set
// it.
const minHeap = 44 << 20

// gcDefault is set when watchHeap has switched to the default pacing.
var gcDefault atomic.Bool

// memProfileRate is the runtime's default sampling rate of heap profiles,
// restored for --memprofile; other runs keep no samples (1.6 MB of
// profiling buckets on the whole benchmark corpus).
const memProfileRate = 512 * 1024

func tuneGC() {
	runtime.MemProfileRate = 0
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(minHeap)
	watchHeap()
}

// watchHeap checks the live heap after each collection, through the
// finalizer of an object that only the collector frees, and switches to
// the default pacing once the live heap passes 3/4 of minHeap.
func watchHeap() {
	sentinel := new([16]byte)
	runtime.SetFinalizer(sentinel, func(*[16]byte) {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 && sample[0].Value.Uint64() > minHeap*3/4 {
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(math.MaxInt64)
			gcDefault.Store(true)
			return
		}
		watchHeap()
	})
}
