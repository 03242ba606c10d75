#!/usr/bin/env bash
# Run the issue-7 benchmark: mlflowlint, cold (--no-cache) and with a warm
# cache, against `rg -c mlflow`, ast-grep with one pattern and ruff with
# every rule, in alternating runs (bench/alt), on the corpus that
# bench/corpus.sh builds. Prints medians and the goal ratios with PASS/FAIL
# and writes them to bench/out/summary.txt.
#
# Environment:
#   MLFLOWLINT      the binary to measure (default ./bin/mlflowlint)
#   CORPUS          corpus directory (default bench/corpus; built or refreshed
#                   by bench/corpus.sh first)
#   RUNS, WARMUP    timed runs and warmup runs of each command (default 5 and 1)
#   BASELINES_ONLY  1: measure only rg and ast-grep (no mlflowlint binary yet)
#   STRICT          1: exit 1 when a goal is missed or not measured
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
MLFLOWLINT=${MLFLOWLINT:-./bin/mlflowlint}
CORPUS=$(realpath -m "${CORPUS:-bench/corpus}")
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
BASELINES_ONLY=${BASELINES_ONLY:-0}
OUT=${OUT:-$ROOT/bench/out}
TOOLS=$ROOT/bench/.tools
AST_GREP_VERSION=0.51.1
RUFF_VERSION=0.17.5

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# --- tools ------------------------------------------------------------------
updated=0
apt_install() {
	log "apt-get install $*"
	if ! apt-get install -y -qq "$@" >&2; then
		[ "$updated" = 1 ] && die "apt-get install $* failed"
		apt-get update -qq >&2
		updated=1
		apt-get install -y -qq "$@" >&2
	fi
}
command -v rg >/dev/null || apt_install ripgrep
[ -x /usr/bin/time ] || apt_install time
command -v go >/dev/null || die "go is needed for the summary"

# ast-grep: the npm package's native binary. A bare `sg` is not trusted:
# on Debian it is newgrp from the passwd package.
AST_GREP=$TOOLS/node_modules/.bin/ast-grep
if ! "$AST_GREP" --version >/dev/null 2>&1; then
	if command -v ast-grep >/dev/null && ast-grep --version 2>/dev/null | grep -q '^ast-grep'; then
		AST_GREP=$(command -v ast-grep)
	else
		command -v npm >/dev/null || apt_install npm
		log "npm install @ast-grep/cli@$AST_GREP_VERSION into $TOOLS"
		mkdir -p "$TOOLS"
		npm install --silent --no-audit --no-fund --prefix "$TOOLS" "@ast-grep/cli@$AST_GREP_VERSION" >&2
		"$AST_GREP" --version >/dev/null || die "ast-grep from npm does not run"
	fi
fi

# ruff: the PyPI package in a virtual environment of its own.
RUFF=$TOOLS/ruff/bin/ruff
if ! "$RUFF" --version 2>/dev/null | grep -q "$RUFF_VERSION"; then
	log "pip install ruff==$RUFF_VERSION into $TOOLS/ruff"
	python3 -m venv "$TOOLS/ruff" >&2 || { apt_install python3-venv && python3 -m venv "$TOOLS/ruff" >&2; }
	"$TOOLS/ruff/bin/pip" install -q "ruff==$RUFF_VERSION" >&2
fi

# --- corpus -----------------------------------------------------------------
# Idempotent: rebuilds a part only when its stamp changed (about 1 s otherwise).
bench/corpus.sh "$CORPUS" >&2
PARSED=$CORPUS/mlflow
REAL=$CORPUS/pypi
# The packages built on MLflow, without MLflow's own sources: the code of
# teams that use MLflow. With the Debian part they make a repository in
# which few files use MLflow (the corpus the goals were first set on).
USERS=$(find "$REAL" -mindepth 1 -maxdepth 1 -type d ! -name 'mlflow-skinny-*' | sort | tr '\n' ' ')
REPO="$CORPUS/debian $USERS"
mb() { find "$@" -type f -name '*.py' -print0 | xargs -0 cat | wc -c | awk '{printf "%.4f", $1/1e6}'; }
CORPUS_MB=$(mb "$CORPUS")
# shellcheck disable=SC2086 # word splitting intended: several directories
USERS_MB=$(mb $USERS)
# shellcheck disable=SC2086
REPO_MB=$(mb $REPO)
PARSED_MB=$(mb "$PARSED")
REAL_MB=$(mb "$REAL")

# --- mlflowlint command lines -------------------------------------------------
have_lint=0
if [ "$BASELINES_ONLY" != 1 ]; then
	[ -x "$MLFLOWLINT" ] || die "no mlflowlint binary at $MLFLOWLINT (build it: go build -o bin/mlflowlint ./cmd/mlflowlint; or BASELINES_ONLY=1)"
	MLFLOWLINT=$(realpath "$MLFLOWLINT")
	have_lint=1
	help=$("$MLFLOWLINT" --help 2>&1 || true)
	flags=""
	if grep -q -- '--output-format' <<<"$help"; then flags="--output-format concise"; fi
	# lint DIR [extra flags]: the command line that is timed. Findings must
	# not fail the run: --exit-zero where the binary has it, else `|| true`.
	# Cold runs pass --no-cache where the binary has a cache.
	nocache=""
	if grep -q -- '--no-cache' <<<"$help"; then nocache="--no-cache"; fi
	lint() {
		if grep -q -- '--exit-zero' <<<"$help"; then
			echo "$MLFLOWLINT $flags --exit-zero $nocache ${*:2} $1 > /dev/null"
		else
			echo "$MLFLOWLINT $flags $nocache ${*:2} $1 > /dev/null || true"
		fi
	}
	# warm DIR NAME: a run with the cache in bench/out/cache-NAME, which
	# the warmup run fills (only for a binary that has a cache).
	warm() {
		echo "$MLFLOWLINT $flags --exit-zero --cache-dir $OUT/cache-$2 $1 > /dev/null"
	}
	grep -qE -- '(^|[ ,])-j[ ,]|--jobs' <<<"$help" || log "warning: $MLFLOWLINT --help shows no -j/--jobs flag"
fi
rg_cmd() { echo "rg ${*:2} -c mlflow $1"; }
ag_cmd() { echo "$AST_GREP run ${*:2} -p 'mlflow.evaluate(\$\$\$ARGS)' -l python $1"; }
ruff_cmd() { echo "$RUFF check --select ALL --no-cache --exit-zero --quiet --isolated $1 > /dev/null"; }

mkdir -p "$OUT"
rm -rf "$OUT"/*.json "$OUT"/summary.txt "$OUT"/cache-*

# Sanity: every tool must see the corpus (an ignore file could hide it).
n=$(rg -l mlflow "$CORPUS" | wc -l)
[ "$n" -gt 0 ] || die "rg finds no file mentioning mlflow under $CORPUS"
m=$(eval "$(ag_cmd "$PARSED")" | grep -c 'evaluate(' || true)
[ "$m" -gt 0 ] || die "ast-grep finds no mlflow.evaluate call under $PARSED"
log "rg: $n files mention mlflow; ast-grep: $m mlflow.evaluate lines in the MLflow-heavy part"
if [ "$have_lint" = 1 ]; then
	findings=$("$MLFLOWLINT" $flags "$CORPUS" 2>/dev/null | wc -l || true)
	[ "$findings" -gt 0 ] || die "mlflowlint prints no finding on $CORPUS"
	log "mlflowlint: $findings output lines on the corpus"
	if grep -q -- '--show-files' <<<"$help"; then
		seen=$("$MLFLOWLINT" --show-files "$CORPUS" 2>/dev/null | wc -l || true)
		total=$(find "$CORPUS" -type f \( -name '*.py' -o -name '*.ipynb' \) | wc -l)
		[ "$seen" -eq "$total" ] || die "mlflowlint would analyse $seen of the $total .py files under $CORPUS (an exclude or ignore file hides the rest): rg and ast-grep read them all"
	fi
fi

# alt NAME.json NAME=COMMAND...: alternating runs (run i of every command
# before run i+1 of any), medians, CPU time and peak RSS.
go build -o "$OUT/alt" ./bench/alt
alt() {
	local json=$1
	shift
	"$OUT/alt" -runs "$RUNS" -warmup "$WARMUP" -out "$OUT/$json" "$@"
}

# 1. Whole corpus: every tool side by side, mlflowlint cold and warm.
log "1/7 whole corpus ($(printf %.2f "$CORPUS_MB") MB)"
args=("rg=$(rg_cmd "$CORPUS")")
[ "$have_lint" = 1 ] && args+=("mlflowlint=$(lint "$CORPUS")")
[ "$have_lint" = 1 ] && [ -n "$nocache" ] && args+=("mlflowlint warm=$(warm "$CORPUS" whole)")
args+=("ast-grep=$(ag_cmd "$CORPUS")" "ruff=$(ruff_cmd "$CORPUS")")
alt whole.json "${args[@]}"

# 2. Real MLflow code (PyPI sdists: MLflow's own sources and packages
# built on it), default threads.
log "2/7 real MLflow code ($(printf %.2f "$REAL_MB") MB)"
args=("rg=$(rg_cmd "$REAL")")
[ "$have_lint" = 1 ] && args+=("mlflowlint=$(lint "$REAL")")
[ "$have_lint" = 1 ] && [ -n "$nocache" ] && args+=("mlflowlint warm=$(warm "$REAL" real)")
args+=("ast-grep=$(ag_cmd "$REAL")" "ruff=$(ruff_cmd "$REAL")")
alt real.json "${args[@]}"

# 3. The generated MLflow-heavy part alone, every tool on 2 threads.
log "3/7 generated MLflow-heavy part ($(printf %.2f "$PARSED_MB") MB), 2 threads"
args=("rg=$(rg_cmd "$PARSED" -j 2)")
[ "$have_lint" = 1 ] && args+=("mlflowlint=$(lint "$PARSED" -j 2)")
args+=("ast-grep=$(ag_cmd "$PARSED" --threads 2)")
alt parsed.json "${args[@]}"

if [ "$have_lint" = 1 ]; then
	# 4. One worker against two.
	log "4/7 mlflowlint -j 1 vs -j 2"
	alt workers.json "mlflowlint -j 1=$(lint "$PARSED" -j 1)" "mlflowlint -j 2=$(lint "$PARSED" -j 2)"

	# 5. The corpus against the corpus twice (hard links where possible).
	log "5/7 corpus vs doubled corpus"
	DOUBLE=$(mktemp -d)
	trap 'rm -rf "$DOUBLE"' EXIT
	for half in a b; do
		cp -al "$CORPUS" "$DOUBLE/$half" 2>/dev/null || cp -a "$CORPUS" "$DOUBLE/$half"
	done
	alt double.json "single=$(lint "$CORPUS")" "doubled=$(lint "$DOUBLE")"
fi

# 6. A repository where few files use MLflow: the Debian part and the
# packages built on MLflow, cold and warm against rg.
log "6/7 repository: Debian part and MLflow-using packages ($(printf %.2f "$REPO_MB") MB)"
args=("rg=$(rg_cmd "$REPO")")
[ "$have_lint" = 1 ] && args+=("mlflowlint=$(lint "$REPO")")
[ "$have_lint" = 1 ] && [ -n "$nocache" ] && args+=("mlflowlint warm=$(warm "$REPO" repo)")
# ast-grep exits 1 when nothing matches, as in these packages.
args+=("ast-grep=$(ag_cmd "$REPO") || true")
alt repo.json "${args[@]}"

# 7. The MLflow-using packages alone: the code of teams that use MLflow.
log "7/7 MLflow-using packages ($(printf %.2f "$USERS_MB") MB)"
args=("rg=$(rg_cmd "$USERS")")
[ "$have_lint" = 1 ] && args+=("mlflowlint=$(lint "$USERS")")
args+=("ast-grep=$(ag_cmd "$USERS") || true" "ruff=$(ruff_cmd "$USERS")")
alt users.json "${args[@]}"

# --- summary ------------------------------------------------------------------
{
	echo "mlflowlint benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
	echo "tools: $(rg --version | sed -n 1p), ast-grep $("$AST_GREP" --version | awk '{print $NF}'), $("$RUFF" --version)"
	if [ "$have_lint" = 1 ]; then
		echo "mlflowlint: $MLFLOWLINT ($(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown))"
	else
		echo "mlflowlint: not measured (BASELINES_ONLY=1)"
	fi
	echo "corpus: $CORPUS, $(find "$CORPUS" -type f -name '*.py' | wc -l) .py files, $(printf %.2f "$CORPUS_MB") MB; generated MLflow-heavy part $(find "$PARSED" -type f -name '*.py' | wc -l) files, $(printf %.2f "$PARSED_MB") MB; real MLflow code $(find "$REAL" -type f -name '*.py' | wc -l) files, $(printf %.2f "$REAL_MB") MB ($(grep -v '^#' bench/sdists.txt | awk 'NF {printf "%s%s==%s", sep, $1, $2; sep=" "}'))"
	echo "runs: alternating, $WARMUP warmup + $RUNS timed each, medians; reproduce: make bench"
} >"$OUT/machine.txt"

strict=()
[ "${STRICT:-0}" = 1 ] && strict=(-strict)
go run ./bench/summary -dir "$OUT" -header "$OUT/machine.txt" \
	-corpus-mb "$CORPUS_MB" -parsed-mb "$PARSED_MB" -real-mb "$REAL_MB" \
	-repo-mb "$REPO_MB" -users-mb "$USERS_MB" "${strict[@]}"
