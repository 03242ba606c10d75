#!/usr/bin/env bash
# Regenerate cmd/mlflowlint/default.pgo, the CPU profile the Go compiler
# optimises the binary with (profile-guided optimisation: `go build` and
# `go install` of ./cmd/mlflowlint read it by default). The profile is of a
# build without one, so that it does not depend on the profile it replaces:
# ROUNDS rounds of cold runs, each over the benchmark corpus (bench/corpus.sh
# builds it: Debian's packages, the generated MLflow modules and the PyPI
# part) and over its PyPI part again (real MLflow code, which the corpus's
# quiet Debian files would otherwise thin out), each with --cpuprofile,
# merged by `go tool pprof -proto`.
#
# Environment:
#   CORPUS  corpus directory (default bench/corpus)
#   ROUNDS  rounds, each a run over the corpus and one over its PyPI part
#           (default 10)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
CORPUS=$(realpath -m "${CORPUS:-bench/corpus}")
ROUNDS=${ROUNDS:-10}
GO=${GO:-go}

bench/corpus.sh "$CORPUS" >&2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$GO" build -pgo=off -o "$tmp/mlflowlint" ./cmd/mlflowlint
profiles=()
for i in $(seq 1 "$ROUNDS"); do
	for part in "$CORPUS" "$CORPUS/pypi"; do
		# Exit status 1 means findings, which both have.
		rc=0
		"$tmp/mlflowlint" --isolated --no-cache --output-format concise \
			--cpuprofile "$tmp/cpu${#profiles[@]}.prof" "$part" >/dev/null || rc=$?
		[ "$rc" -le 1 ] || { echo "pgo: mlflowlint exited with $rc on $part" >&2; exit 1; }
		profiles+=("$tmp/cpu${#profiles[@]}.prof")
	done
done
"$GO" tool pprof -proto "${profiles[@]}" >"$tmp/merged.pgo" 2>/dev/null
mv "$tmp/merged.pgo" cmd/mlflowlint/default.pgo
echo "pgo: cmd/mlflowlint/default.pgo from ${#profiles[@]} runs over $CORPUS and its PyPI part" >&2
