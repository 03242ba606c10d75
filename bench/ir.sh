#!/usr/bin/env bash
# Count the instructions one run of each given mlflowlint binary executes
# over a directory, with callgrind: one thread, no cache, the collector
# off (its work depends on timing, and so would the count) and no
# asynchronous preemption (callgrind does not follow Go's preemption
# signals). On a VM whose timings move by 20-40% within an hour, this is
# the repeatable measure of what a change to mlflowlint's own code saves:
# two counts of one binary differ by about 0.05%. It says nothing of
# time spent waiting for memory or in the kernel, so a change is still
# timed with bench/alt and `make bench`.
#
#   bench/ir.sh DIR BIN...      e.g. bench/ir.sh bench/corpus/pypi old/mlflowlint bin/mlflowlint
#
# Prints "instructions binary" per binary; callgrind's profiles are kept
# in $IR_OUT (default bench/out/ir) for callgrind_annotate.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: bench/ir.sh DIR BIN..." >&2; exit 2; }
dir=$1
shift
if ! command -v valgrind >/dev/null; then
	echo "bench/ir.sh: installing valgrind" >&2
	apt-get install -y -qq valgrind >&2 || { apt-get update -qq >&2 && apt-get install -y -qq valgrind >&2; }
fi
out=${IR_OUT:-bench/out/ir}
mkdir -p "$out"
for bin in "$@"; do
	name=$(basename "$bin")-$(date +%s)-$$
	GOGC=off GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file="$out/$name.callgrind" \
		"$bin" -j 1 --isolated --no-cache --output-format concise --exit-zero "$dir" >/dev/null 2>"$out/$name.log"
	n=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out/$name.log" | tail -1)
	[ -n "$n" ] || { echo "bench/ir.sh: no count for $bin (see $out/$name.log)" >&2; exit 1; }
	echo "$n $bin"
done
