#!/usr/bin/env bash
# Build the benchmark corpus (issue 7) in DIR (default bench/corpus):
#   DIR/debian/  the *.py files of Debian's django, matplotlib, numpy, pandas,
#                scipy and sklearn packages (apt-get download + dpkg -x; the
#                -lib packages hold no .py files, so they are left out), as
#                DIR/debian/PKG/<module path>
#   DIR/mlflow/  350 MLflow-heavy modules from `go run ./bench/gen -seed 1`
# Each part is rebuilt only when its stamp (package versions; generator
# source hash, count and seed) differs from the one stored in DIR.
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

echo "corpus $DIR"
sed 's/^/  /' "$DIR/.stamp-debian"
echo "  generator: $gen_stamp"
read -r df dl db dm < <(counts "$DIR/debian")
read -r mf ml mb mm < <(counts "$DIR/mlflow")
row debian "$df" "$dl" "$db" "$dm"
row mlflow "$mf" "$ml" "$mb" "$mm"
row total $((df + mf)) $((dl + ml)) $((db + mb)) $((dm + mm))
