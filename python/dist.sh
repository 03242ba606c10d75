#!/usr/bin/env bash
# Python distribution of mlflowlint: build it and test it as a user gets it.
#
#   dist.sh tools        create (once) the tools venv; print its path
#   dist.sh wheel        build the sdist, then the wheel from it, into dist/,
#                        and check the wheel's platform tag with auditwheel
#   dist.sh test-wheel   install the wheel into a fresh venv with pip and run
#                        it with no Go on PATH; check the sdist's message
#                        when Go is missing
#
# The tools venv (build, auditwheel, pre-commit, check-jsonschema at the
# versions of python/tools-requirements.txt) lives in $MLFLOWLINT_TOOLS,
# default .cache/tools in the checkout, and is reused while that file is
# unchanged; pip's own cache keeps the downloads of the build's isolated
# environments.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tools="${MLFLOWLINT_TOOLS:-$root/.cache/tools}"
python="${PYTHON:-python3}"

fail() {
  echo "dist.sh: $*" >&2
  exit 1
}

ensure_tools() {
  local req="$root/python/tools-requirements.txt" stamp="$tools/.requirements"
  if [ -x "$tools/bin/python" ] && cmp -s "$req" "$stamp"; then
    return
  fi
  "$python" -m venv --help >/dev/null 2>&1 || fail "$python cannot create venvs (Debian: apt-get install python3-venv)"
  rm -rf "$tools"
  "$python" -m venv "$tools" || fail "$python -m venv $tools failed (Debian: apt-get install python3-venv)"
  "$tools/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
  cp "$req" "$stamp"
}

wheel_file() {
  local w
  w=$(ls dist/mlflowlint-*.whl 2>/dev/null) || fail "no wheel in dist/; run make wheel"
  [ "$(wc -l <<<"$w")" = 1 ] || fail "more than one wheel in dist/: $w"
  echo "$w"
}

build_wheel() {
  ensure_tools
  rm -rf dist
  # build makes the sdist, then the wheel from the unpacked sdist: the
  # wheel proves the sdist holds every source the command needs.
  "$tools/bin/python" -m build --outdir dist python
  local whl
  whl=$(wheel_file)
  case "$(uname -s)" in
  Linux) check_manylinux "$whl" ;;
  esac
}

# check_manylinux runs auditwheel on the wheel: it must need no shared
# library outside the policy and be consistent with a policy no newer than
# the manylinux_2_17 tag it carries.
check_manylinux() {
  local whl="$1" out floor
  out=$("$tools/bin/auditwheel" show "$whl" 2>&1) || fail "auditwheel show $whl failed:"$'\n'"$out"
  echo "$out"
  floor=$(sed -n 's/.*consistent with the following platform tag: "manylinux_2_\([0-9]*\)_.*/\1/p' <<<"$out")
  [ -n "$floor" ] || fail "auditwheel names no manylinux tag for $whl"
  [ "$floor" -le 17 ] || fail "$whl needs glibc 2.$floor, newer than its manylinux_2_17 tag"
  case "$whl" in
  *manylinux_2_17_*) ;;
  *) fail "$whl is not tagged manylinux_2_17" ;;
  esac
}

test_wheel() {
  ensure_tools
  local whl sdist tmp venv out status
  whl=$(wheel_file)
  sdist=$(ls dist/mlflowlint-*.tar.gz)
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  venv="$tmp/venv"
  "$python" -m venv "$venv"
  # From here on PATH holds the venv only: no Go, no compiler.
  local bare=(env -i "HOME=$tmp" "PATH=$venv/bin")
  if "${bare[@]}" "$venv/bin/python" -c 'import shutil, sys; sys.exit(shutil.which("go") is None)'; then
    fail "go is on the stripped PATH"
  fi
  "${bare[@]}" "$venv/bin/python" -m pip install --quiet --no-index --disable-pip-version-check "$whl"

  local version
  version=$(sed -n 's/^version = "\(.*\)"$/\1/p' python/pyproject.toml)
  out=$("${bare[@]}" mlflowlint --version)
  [ "$out" = "mlflowlint $version" ] || fail "mlflowlint --version printed '$out', want 'mlflowlint $version'"
  echo "installed wheel: $out"

  # The bundled example: findings are exit status 1, and the report is the
  # one the test suite keeps for it.
  status=0
  out=$("${bare[@]}" mlflowlint --isolated --target-version 3.4 --output-format concise examples/churn) || status=$?
  [ "$status" = 1 ] || fail "mlflowlint examples/churn exited $status, want 1 (findings)"
  diff <(printf '%s\n' "$out") cmd/mlflowlint/testdata/example.concise >&2 ||
    fail "the installed wheel's report on examples/churn differs from cmd/mlflowlint/testdata/example.concise"
  status=0
  out=$("${bare[@]}" mlflowlint examples/churn 2>&1) || status=$?
  [ "$status" = 1 ] || fail "mlflowlint examples/churn exited $status, want 1"
  grep -q '^Found [0-9]* errors' <<<"$out" || fail "mlflowlint examples/churn printed no summary:"$'\n'"$out"
  echo "installed wheel: mlflowlint examples/churn: exit 1, $(grep '^Found' <<<"$out")"

  # Building the sdist where Go is missing stops with the reason.
  status=0
  out=$(env -i "HOME=$tmp" "PATH=$tools/bin" "$tools/bin/python" -m pip wheel --no-deps \
    --no-build-isolation --disable-pip-version-check -w "$tmp/w" "$sdist" 2>&1) || status=$?
  if [ "$status" = 0 ] || ! grep -q '`go` is not on PATH' <<<"$out"; then
    fail "building the sdist without Go: exit $status, want a failure naming the missing go:"$'\n'"$out"
  fi
  echo "sdist without Go: fails with the reason"
}

case "${1:-}" in
tools)
  ensure_tools
  echo "$tools"
  ;;
wheel) build_wheel ;;
test-wheel) test_wheel ;;
*)
  echo "usage: $0 tools|wheel|test-wheel" >&2
  exit 2
  ;;
esac
