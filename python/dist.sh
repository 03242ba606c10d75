#!/usr/bin/env bash
# Python distribution of mlflowlint: build it and test it as a user gets it.
#
#   dist.sh tools        create (once) the tools venv; print its path
#   dist.sh wheel        build the sdist, then the wheel from it, into dist/,
#                        and check the wheel's platform tag with auditwheel
#   dist.sh test-wheel   install the wheel into a fresh venv with pip and run
#                        it with no Go on PATH; run it through uvx, uv tool
#                        install and pipx run; check the sdist's message
#                        when Go is missing
#   dist.sh test-hooks   pre-commit try-repo of the python and the golang
#                        check hooks on a change to a requirements file only,
#                        timing first install and warm runs; then a real
#                        commit of such a change, refused by the python hook
#   dist.sh check-workflows  validate .github/workflows, the example workflows
#                        and action.yml against GitHub's schemas
#
# The tools venv (build, hatchling, auditwheel, pre-commit, check-jsonschema,
# uv and pipx at the versions of python/tools-requirements.txt) lives in
# $MLFLOWLINT_TOOLS, default .cache/tools in the checkout, and is reused while
# that file is unchanged; pip's own cache keeps the downloads of the build's
# isolated environments.
set -euo pipefail

# Each verb is bounded: a stuck download or hook install fails the run after
# DIST_TIMEOUT (GNU timeout stops the whole process group).
if [ -z "${DIST_SH_BOUNDED:-}" ] && command -v timeout >/dev/null 2>&1; then
  DIST_SH_BOUNDED=1 exec timeout "${DIST_TIMEOUT:-15m}" bash "$0" "$@"
fi

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
  # The wheel is built from the sdist, whose files are what go list
  # names; the profile go build optimises the command with is no Go file.
  grep -q '/cmd/mlflowlint/default\.pgo$' <<<"$(tar -tzf "$sdist")" || fail "the sdist holds no cmd/mlflowlint/default.pgo"
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
  [ "${out%% (MLflow data *}" = "mlflowlint $version" ] || fail "mlflowlint --version printed '$out', want 'mlflowlint $version'"
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

  # The README's other installers take the same wheel: uvx and pipx run
  # (a throw-away environment) and uv tool install (on PATH).
  # pipx keeps its shared pip (from PyPI) beside the tools; --no-cache
  # makes it install this wheel, not one it ran before.
  local isolated=(env -i "HOME=$tmp" "PATH=$tools/bin:/usr/bin:/bin" "UV_CACHE_DIR=$tmp/uv-cache"
    "UV_TOOL_DIR=$tmp/uv-tools" "UV_TOOL_BIN_DIR=$tmp/uv-bin" "PIPX_HOME=$tools.pipx" "PIPX_BIN_DIR=$tmp/pipx-bin"
    UV_PYTHON_DOWNLOADS=never)
  out=$("${isolated[@]}" uvx --quiet --offline --from "$root/$whl" mlflowlint --version) || fail "uvx: $out"
  [ "${out%% (MLflow data *}" = "mlflowlint $version" ] || fail "uvx mlflowlint --version printed '$out'"
  "${isolated[@]}" uv tool install --quiet --offline "$root/$whl" || fail "uv tool install failed"
  out=$(env -i "PATH=$tmp/uv-bin" mlflowlint --version) || fail "uv tool install put no mlflowlint on its PATH"
  [ "${out%% (MLflow data *}" = "mlflowlint $version" ] || fail "mlflowlint from uv tool install printed '$out'"
  out=$("${isolated[@]}" pipx run --no-cache --spec "$root/$whl" mlflowlint --version 2>/dev/null) || fail "pipx run failed"
  last=$(tail -n 1 <<<"$out"); [ "${last%% (MLflow data *}" = "mlflowlint $version" ] || fail "pipx run mlflowlint --version printed '$out'"
  echo "uvx, uv tool install and pipx run: mlflowlint $version"

  # Building the sdist where Go is missing stops with the reason.
  status=0
  out=$(env -i "HOME=$tmp" "PATH=$tools/bin" "$tools/bin/python" -m pip wheel --no-deps \
    --no-build-isolation --disable-pip-version-check -w "$tmp/w" "$sdist" 2>&1) || status=$?
  if [ "$status" = 0 ] || ! grep -q '`go` is not on PATH' <<<"$out"; then
    fail "building the sdist without Go: exit $status, want a failure naming the missing go:"$'\n'"$out"
  fi
  echo "sdist without Go: fails with the reason"
}

# elapsed START prints the seconds since START (a date +%s.%N value).
elapsed() {
  awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'
}

test_hooks() {
  ensure_tools
  local whl tmp
  whl=$(wheel_file)
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN

  # The python hooks install the root pyproject.toml, which requires the
  # mlflowlint wheel: pip takes it from dist/ and the build backend from a
  # wheelhouse kept beside the tools, with no index, so the wheel under
  # test is the one installed and a warm machine needs no network.
  local wheelhouse="$tools.wheelhouse"
  if ! cmp -s "$root/python/tools-requirements.txt" "$wheelhouse/.requirements"; then
    rm -rf "$wheelhouse"
    "$tools/bin/python" -m pip download --quiet --disable-pip-version-check --only-binary :all: \
      -d "$wheelhouse" "$(grep '^hatchling==' python/tools-requirements.txt)"
    cp python/tools-requirements.txt "$wheelhouse/.requirements"
  fi
  local gomodcache
  gomodcache=$(go env GOMODCACHE)
  printf '[user]\n\tname = mlflowlint tests\n\temail = tests@mlflowlint.invalid\n[init]\n\tdefaultBranch = main\n' >"$tmp/gitconfig"
  local hookenv=(env -u GOFLAGS -u PRE_COMMIT_HOME "GIT_CONFIG_GLOBAL=$tmp/gitconfig" GIT_CONFIG_NOSYSTEM=1
    "PRE_COMMIT_HOME=$tmp/pre-commit" PRE_COMMIT_COLOR=never
    PIP_NO_INDEX=1 "PIP_FIND_LINKS=$root/dist $wheelhouse" "PIP_CACHE_DIR=$tmp/pip-cache" PIP_DISABLE_PIP_VERSION_CHECK=1
    "GOMODCACHE=$gomodcache" GOFLAGS=-buildvcs=false
    "PATH=$tools/bin:$PATH")
  [ "$("${hookenv[@]}" pre-commit --version | cut -d' ' -f2 | cut -d. -f1)" = 4 ] || fail "want pre-commit 4.x from $tools"

  # The hook repository: this working tree as it is, committed or not.
  local hookrepo="$tmp/mlflowlint" rev
  mkdir "$hookrepo"
  git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - 2>/dev/null | tar -xf - -C "$hookrepo"
  "${hookenv[@]}" git -C "$hookrepo" init -q
  "${hookenv[@]}" git -C "$hookrepo" add -A
  "${hookenv[@]}" git -C "$hookrepo" commit -q -m snapshot
  rev=$(git -C "$hookrepo" rev-parse HEAD)

  # A project on MLflow 3 whose next commit changes only requirements.txt,
  # back to an MLflow 2 pin.
  local project="$tmp/project"
  mkdir "$project"
  printf 'import mlflow\n\nmlflow.log_metric("auc", 0.9)\n' >"$project/train.py"
  printf 'mlflow>=3.4\npandas\n' >"$project/requirements.txt"
  (
    cd "$project"
    "${hookenv[@]}" git init -q
    "${hookenv[@]}" git add -A
    "${hookenv[@]}" git commit -q -m "a project on MLflow 3"
    printf 'mlflow==2.9.2\npandas\n' >requirements.txt
    "${hookenv[@]}" git add requirements.txt
  )

  # try-repo installs into a new store each time: every call is a first
  # install. The configured repository's environment is then installed
  # once and reused, which is the warm time a commit pays.
  local hook start status out head
  for hook in mlflowlint-py mlflowlint; do
    start=$(date +%s.%N)
    status=0
    out=$(cd "$project" && "${hookenv[@]}" pre-commit try-repo "$hookrepo" "$hook" 2>&1) || status=$?
    echo "pre-commit try-repo $hook (install and run): $(elapsed "$start") s"
    expect_pin_finding "try-repo $hook" "$status" "$out"
    hook_config "$project" "$hookrepo" "$rev" "$hook"
    (cd "$project" && "${hookenv[@]}" pre-commit install-hooks >/dev/null)
    start=$(date +%s.%N)
    status=0
    out=$(cd "$project" && "${hookenv[@]}" pre-commit run "$hook" 2>&1) || status=$?
    echo "pre-commit run $hook (warm): $(elapsed "$start") s"
    expect_pin_finding "pre-commit run $hook" "$status" "$out"
  done

  # The same change committed with the python hook installed: refused.
  hook_config "$project" "$hookrepo" "$rev" mlflowlint-py
  head=$(git -C "$project" rev-parse HEAD)
  status=0
  out=$(cd "$project" && "${hookenv[@]}" pre-commit install && "${hookenv[@]}" git commit -q -m "pin mlflow 2.9.2" 2>&1) || status=$?
  if [ "$(git -C "$project" rev-parse HEAD)" != "$head" ]; then
    fail "the commit of requirements.txt with mlflow==2.9.2 went through:"$'\n'"$out"
  fi
  expect_pin_finding "git commit with mlflowlint-py" "$status" "$out"
  echo "git commit of requirements.txt only (mlflow==2.9.2): refused by mlflowlint-py with MLF040"
}

# hook_config DIR REPO REV HOOK points DIR's pre-commit configuration (not
# committed) at one hook of REPO.
hook_config() {
  printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: %s\n' "$2" "$3" "$4" >"$1/.pre-commit-config.yaml"
}

# expect_pin_finding WHAT STATUS OUTPUT: the hook failed on the staged
# requirements.txt with MLF040 at its first line, and looked at nothing else.
expect_pin_finding() {
  if [ "$2" != 1 ] || ! grep -q '^requirements.txt:1:1: MLF040 mlflow pinned to `==2.9.2`' <<<"$3"; then
    fail "$1 on the staged requirements.txt: exit $2, want 1 with MLF040 at requirements.txt:1:1:"$'\n'"$3"
  fi
  if grep -q 'train.py' <<<"$3"; then
    fail "$1 looked at train.py, which the change does not touch:"$'\n'"$3"
  fi
}

check_workflows() {
  ensure_tools
  "$tools/bin/check-jsonschema" --builtin-schema vendor.github-workflows .github/workflows/*.yml examples/workflows/*.yml
  "$tools/bin/check-jsonschema" --builtin-schema vendor.github-actions action.yml
}

case "${1:-}" in
tools)
  ensure_tools
  echo "$tools"
  ;;
wheel) build_wheel ;;
test-wheel) test_wheel ;;
test-hooks) test_hooks ;;
check-workflows) check_workflows ;;
*)
  echo "usage: $0 tools|wheel|test-wheel|test-hooks|check-workflows" >&2
  exit 2
  ;;
esac
