#!/usr/bin/env bash
# Build the benchmark corpus (issue 7) in DIR (default bench/corpus):
#   DIR/debian/  the *.py files of Debian's django, matplotlib, numpy, pandas,
#                scipy and sklearn packages (apt-get download + dpkg -x; the
#                -lib packages hold no .py files, so they are left out), as
#                DIR/debian/PKG/<module path>
#   DIR/mlflow/  350 MLflow-heavy modules from `go run ./bench/gen -seed 1`
#   DIR/pypi/    real MLflow code: the *.py and *.ipynb files of the PyPI
#                sdists pinned, with their sha256, in bench/sdists.txt
#                (MLflow's own sources and packages built on MLflow), as
#                DIR/pypi/NAME-VERSION/<path in the sdist>. The sdists are
#                fetched with pip into SDIST_CACHE (default
#                bench/.cache/sdists) once and checked against the list.
# Each part is rebuilt only when its stamp (package versions; generator
# source hash, count and seed; the sdist list) differs from the one stored
# in DIR.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=$(realpath -m "${1:-$ROOT/bench/corpus}")
PKGS=(python3-django python3-matplotlib python3-numpy python3-pandas python3-scipy python3-sklearn)
GEN_N=350
GEN_SEED=1

log() { printf 'corpus: %s\n' "$*" >&2; }

updated=0
apt_update() {
	if [ "$updated" = 0 ]; then
		log "apt-get update"
		apt-get update -qq >&2
		updated=1
	fi
}

# candidate_versions prints "pkg=version" per package, or fails when apt
# knows no candidate for one of them.
candidate_versions() {
	local out
	out=$(apt-cache policy "${PKGS[@]}" 2>/dev/null | awk '
		/^[^ ].*:$/ { pkg = substr($0, 1, length($0) - 1) }
		/^  Candidate:/ { if ($2 != "(none)") print pkg "=" $2 }')
	[ "$(printf '%s\n' "$out" | grep -c =)" = "${#PKGS[@]}" ] || return 1
	# The layout version: bump it when build_debian changes what it writes.
	echo "layout=2"
	printf '%s\n' "$out" | sort
}

build_debian() {
	local want=$1 tmp
	tmp=$(mktemp -d)
	# apt-get download as root drops to the _apt user, which must be able to
	# write here; without that it works anyway but warns.
	chmod 0755 "$tmp"
	if id _apt >/dev/null 2>&1; then chown _apt "$tmp"; fi
	mapfile -t specs < <(grep -v '^layout=' <<<"$want")
	log "downloading ${specs[*]}"
	if ! (cd "$tmp" && apt-get download -q "${specs[@]}" >&2); then
		apt_update
		(cd "$tmp" && apt-get download -q "${specs[@]}" >&2)
	fi
	rm -rf "$DIR/debian"
	mkdir -p "$DIR/debian"
	local deb pkg root
	for deb in "$tmp"/*.deb; do
		pkg=$(dpkg-deb -f "$deb" Package)
		mkdir -p "$tmp/x/$pkg" "$DIR/debian/$pkg"
		dpkg -x "$deb" "$tmp/x/$pkg"
		# Lay the modules out as a repository would (DIR/debian/PKG/django/...):
		# linters, mlflowlint among them, skip directories named dist-packages.
		root=$tmp/x/$pkg/usr/lib/python3/dist-packages
		[ -d "$root" ] || root=$tmp/x/$pkg
		# Regular files only: symlinks would count a file twice.
		(cd "$root" && find . -type f -name '*.py' -exec cp --parents -t "$DIR/debian/$pkg" {} +)
	done
	rm -rf "$tmp"
}

# counts PATH: prints "files lines bytes mentions" for the *.py files under PATH.
counts() {
	local files lines bytes mentions
	files=$(find "$1" -type f -name '*.py' | wc -l)
	read -r lines bytes < <(find "$1" -type f -name '*.py' -print0 | xargs -0 cat | wc -lc)
	mentions=$(grep -rl --include='*.py' mlflow "$1" | wc -l || true)
	echo "$files $lines $bytes $mentions"
}

row() { # row NAME files lines bytes mentions
	printf '%-8s %6d files %9d lines %7.2f MB %5d mention mlflow\n' \
		"$1" "$2" "$3" "$(awk -v b="$4" 'BEGIN {printf "%.2f", b/1e6}')" "$5"
}

mkdir -p "$DIR"

# Debian part.
if ! want=$(candidate_versions); then
	apt_update
	want=$(candidate_versions) || { log "apt knows no candidate for one of: ${PKGS[*]}"; exit 1; }
fi
if [ -d "$DIR/debian" ] && [ "$(cat "$DIR/.stamp-debian" 2>/dev/null)" = "$want" ]; then
	log "debian part up to date"
else
	rm -f "$DIR/.stamp-debian"
	build_debian "$want"
	printf '%s\n' "$want" >"$DIR/.stamp-debian"
fi

# Generated part.
gen_hash=$(cd "$ROOT" && find bench/gen -name '*.go' ! -name '*_test.go' | sort | xargs cat | sha256sum | cut -d' ' -f1)
gen_stamp="n=$GEN_N seed=$GEN_SEED gen=$gen_hash"
if [ -d "$DIR/mlflow" ] && [ "$(cat "$DIR/.stamp-mlflow" 2>/dev/null)" = "$gen_stamp" ]; then
	log "mlflow part up to date"
else
	rm -f "$DIR/.stamp-mlflow"
	rm -rf "$DIR/mlflow"
	(cd "$ROOT" && go run ./bench/gen -out "$DIR/mlflow" -n "$GEN_N" -seed "$GEN_SEED" >&2)
	printf '%s\n' "$gen_stamp" >"$DIR/.stamp-mlflow"
fi

# PyPI part.
SDISTS=$ROOT/bench/sdists.txt
SDIST_CACHE=$(realpath -m "${SDIST_CACHE:-$ROOT/bench/.cache/sdists}")

# fetch_sdist NAME VERSION SHA256: prints the path of the checked sdist.
fetch_sdist() {
	local name=$1 version=$2 sum=$3 f
	mkdir -p "$SDIST_CACHE"
	for f in "$SDIST_CACHE"/*; do
		[ -f "$f" ] && [ "$(sha256sum "$f" | cut -d' ' -f1)" = "$sum" ] && { echo "$f"; return; }
	done
	command -v pip >/dev/null || { log "pip is needed to fetch $name==$version"; exit 1; }
	log "pip download $name==$version"
	pip download -q --no-deps --no-binary :all: -d "$SDIST_CACHE" "$name==$version" >&2
	for f in "$SDIST_CACHE"/*; do
		[ -f "$f" ] && [ "$(sha256sum "$f" | cut -d' ' -f1)" = "$sum" ] && { echo "$f"; return; }
	done
	log "no sdist of $name==$version in $SDIST_CACHE has sha256 $sum"
	exit 1
}

pypi_stamp="layout=1 $(sha256sum "$SDISTS" | cut -d' ' -f1)"
if [ -d "$DIR/pypi" ] && [ "$(cat "$DIR/.stamp-pypi" 2>/dev/null)" = "$pypi_stamp" ]; then
	log "pypi part up to date"
else
	rm -f "$DIR/.stamp-pypi"
	rm -rf "$DIR/pypi"
	while read -r name version sum; do
		case "$name" in '' | '#'*) continue ;; esac
		sdist=$(fetch_sdist "$name" "$version" "$sum")
		tmp=$(mktemp -d)
		tar -xzf "$sdist" -C "$tmp"
		mkdir -p "$DIR/pypi/$name-$version"
		# The sdist's top directory (NAME-VERSION/) is dropped.
		(cd "$tmp"/* && find . -type f \( -name '*.py' -o -name '*.ipynb' \) -exec cp --parents -t "$DIR/pypi/$name-$version" {} +)
		rm -rf "$tmp"
	done <"$SDISTS"
	printf '%s\n' "$pypi_stamp" >"$DIR/.stamp-pypi"
fi

echo "corpus $DIR"
sed 's/^/  /' "$DIR/.stamp-debian"
echo "  generator: $gen_stamp"
read -r df dl db dm < <(counts "$DIR/debian")
read -r mf ml mb mm < <(counts "$DIR/mlflow")
read -r pf pl pb pm < <(counts "$DIR/pypi")
echo "  sdists: $(grep -v '^#' "$SDISTS" | awk 'NF {printf "%s%s==%s", sep, $1, $2; sep=" "}')"
row debian "$df" "$dl" "$db" "$dm"
row mlflow "$mf" "$ml" "$mb" "$mm"
row pypi "$pf" "$pl" "$pb" "$pm"
row total $((df + mf + pf)) $((dl + ml + pl)) $((db + mb + pb)) $((dm + mm + pm))
