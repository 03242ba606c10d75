#!/usr/bin/env bash
# The shell steps of action.yml, kept here so that they can be run (and
# tested) outside GitHub Actions with the variables the runner would set.
#
#   action-run.sh resolve   name the release the action's ref stands for, and
#                           where its binary is kept (cached by actions/cache)
#   action-run.sh download  fetch that release's archive, check its SHA-256
#                           against the release's SHA256SUMS, unpack it
#   action-run.sh install   put the release binary on PATH, or ask for a
#                           compile when there is none (an unreleased ref)
#   action-run.sh compile   go install mlflowlint at the action's ref
#   action-run.sh run       write the SARIF report, record the exit status
#   action-run.sh verdict   fail when findings were reported
#
# Inputs arrive as MLFLOWLINT_* variables (action.yml maps them); GitHub's
# GITHUB_ACTION_PATH, GITHUB_OUTPUT, GITHUB_PATH, RUNNER_OS, RUNNER_ARCH and
# RUNNER_TOOL_CACHE are used as the runner defines them.
set -euo pipefail

module=github.com/mlflowlint/mlflowlint
# Where release archives are published; another URL (a mirror, a GitHub
# Enterprise server, a test's file:// directory) through
# MLFLOWLINT_RELEASE_URL.
release_url="${MLFLOWLINT_RELEASE_URL:-https://github.com/mlflowlint/mlflowlint/releases/download}"

# out NAME VALUE appends a step output.
out() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
  fi
}

# release_version prints the release the action's ref names: vX.Y.Z is
# that release; a floating tag (v1, v1.2) is moved only onto release
# commits, so the checked-out action's packaged version is it. A branch, a
# commit or a local action (uses: ./) has no release: nothing is printed.
release_version() {
  local ref="${MLFLOWLINT_REF:-}"
  if [[ "$ref" =~ ^v([0-9]+\.[0-9]+\.[0-9]+)$ ]]; then
    echo "${BASH_REMATCH[1]}"
  elif [[ "$ref" =~ ^v[0-9]+(\.[0-9]+)?$ ]]; then
    sed -n 's/^version = "\([0-9][0-9.]*\)"$/\1/p' "$GITHUB_ACTION_PATH/python/pyproject.toml"
  fi
}

# target prints the release archive's platform name for this runner.
target() {
  local os arch
  case "${RUNNER_OS:-$(uname -s)}" in
  Linux) os=linux ;;
  macOS | Darwin) os=macos ;;
  Windows | MINGW* | MSYS*) os=windows ;;
  *) return 1 ;;
  esac
  case "${RUNNER_ARCH:-$(uname -m)}" in
  X64 | x86_64 | amd64) arch=x86_64 ;;
  ARM64 | arm64 | aarch64) arch=$([ "$os" = linux ] && echo aarch64 || echo arm64) ;;
  *) return 1 ;;
  esac
  echo "$os-$arch"
}

resolve() {
  local version plat dir=""
  version="$(release_version)"
  if [ -n "$version" ] && plat="$(target)"; then
    dir="${RUNNER_TOOL_CACHE:-${TMPDIR:-/tmp}}/mlflowlint/$version/$plat"
    echo "mlflowlint $version ($plat) from the release, kept in $dir"
  else
    version=""
    echo "no mlflowlint release for ref '${MLFLOWLINT_REF:-}' on this runner: it will be compiled"
  fi
  out version "$version"
  out dir "$dir"
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

download() {
  local version="$MLFLOWLINT_VERSION" dir="$MLFLOWLINT_DIR" plat name tmp want got
  plat="$(target)"
  name="mlflowlint-$version-$plat.tar.gz"
  [[ "$plat" == windows-* ]] && name="mlflowlint-$version-$plat.zip"
  tmp="$(mktemp -d)"
  # A release without this archive (not published yet, or a platform it
  # lacks) is not an error: install falls back to compiling.
  if ! curl -fsSL --retry 3 -o "$tmp/$name" "$release_url/v$version/$name" ||
    ! curl -fsSL --retry 3 -o "$tmp/SHA256SUMS" "$release_url/v$version/SHA256SUMS"; then
    echo "::notice title=mlflowlint::no release archive $name for v$version; compiling instead"
    rm -rf "$tmp"
    return 0
  fi
  want="$(awk -v n="$name" '$2 == n || $2 == "*" n { print $1 }' "$tmp/SHA256SUMS")"
  got="$(sha256 "$tmp/$name")"
  if [ -z "$want" ] || [ "$want" != "$got" ]; then
    echo "::error title=mlflowlint::$name has SHA-256 $got, but the release's SHA256SUMS says '${want:-nothing}'"
    rm -rf "$tmp"
    exit 1
  fi
  mkdir -p "$tmp/unpacked"
  if [[ "$name" == *.zip ]]; then
    (cd "$tmp/unpacked" && unzip -q "../$name")
  else
    tar -xzf "$tmp/$name" -C "$tmp/unpacked"
  fi
  # Only a complete directory is moved into place, for the cache to keep.
  mkdir -p "$(dirname "$dir")"
  rm -rf "$dir"
  mv "$tmp/unpacked" "$dir"
  rm -rf "$tmp"
  echo "downloaded $name (SHA-256 $got)"
}

install() {
  local dir="${MLFLOWLINT_DIR:-}" exe=mlflowlint
  [[ "$(target 2>/dev/null)" == windows-* ]] && exe=mlflowlint.exe
  if [ -n "$dir" ] && [ -x "$dir/$exe" ]; then
    if [ -n "${GITHUB_PATH:-}" ]; then
      echo "$dir" >>"$GITHUB_PATH"
    fi
    "$dir/$exe" --version
    out compile false
  else
    out compile true
  fi
}

compile() {
  local ref="${MLFLOWLINT_REF:-}"
  # A floating tag such as v1 or v1.2 is not a Go version (go would pick the
  # newest matching release, not the tag's commit), and a local action has
  # no ref; build the checked-out action instead, which is exactly that ref.
  if [ -n "$ref" ] && ! [[ "$ref" =~ ^v[0-9]+(\.[0-9]+)?$ ]]; then
    echo "go install $module/cmd/mlflowlint@$ref"
    go install "$module/cmd/mlflowlint@$ref"
  else
    echo "go install ./cmd/mlflowlint (from $GITHUB_ACTION_PATH)"
    (cd "$GITHUB_ACTION_PATH" && go install -buildvcs=false ./cmd/mlflowlint)
  fi
  local bin
  bin="$(go env GOBIN)"
  if [ -z "$bin" ]; then
    bin="$(go env GOPATH)/bin"
  fi
  if [ -n "${GITHUB_PATH:-}" ]; then
    echo "$bin" >>"$GITHUB_PATH"
  fi
  "$bin/mlflowlint" --version
}

run() {
  local sarif="${MLFLOWLINT_SARIF_FILE:-mlflowlint.sarif}"
  local args=(--output-format sarif --output-file "$sarif")
  if [ -n "${MLFLOWLINT_CATEGORY:-}" ]; then
    args+=(--sarif-category "$MLFLOWLINT_CATEGORY")
  fi
  if [ -n "${MLFLOWLINT_TARGET_VERSION:-}" ]; then
    args+=(--target-version "$MLFLOWLINT_TARGET_VERSION")
  fi
  local extra=() paths=()
  # Extra arguments and paths are split on white space, like a command line
  # without quotes.
  read -r -a extra <<<"${MLFLOWLINT_ARGS:-}"
  read -r -a paths <<<"${MLFLOWLINT_PATHS:-.}"
  if [ ${#paths[@]} -eq 0 ]; then
    paths=(.)
  fi
  echo "mlflowlint ${args[*]} ${extra[*]} -- ${paths[*]}"
  local status=0
  mlflowlint "${args[@]}" "${extra[@]}" -- "${paths[@]}" || status=$?
  out exit-code "$status"
  out sarif-file "$sarif"
  case "$status" in
  0) echo "mlflowlint: no findings" ;;
  1) echo "mlflowlint: findings reported in $sarif" ;;
  *)
    echo "::error title=mlflowlint::mlflowlint failed with exit status $status (configuration or usage error, see above)"
    exit "$status"
    ;;
  esac
  # Findings do not fail this step, so the upload still runs; the verdict
  # step decides.
}

verdict() {
  local status="${MLFLOWLINT_EXIT_CODE:-}"
  if [ "$status" = "0" ]; then
    echo "mlflowlint: no findings"
    return 0
  fi
  echo "::error title=mlflowlint::mlflowlint reported findings (exit status $status); see the code scanning alerts or ${MLFLOWLINT_SARIF_FILE:-the SARIF report}"
  exit 1
}

case "${1:-}" in
resolve | download | install | compile | run | verdict) "$1" ;;
*)
  echo "usage: $0 resolve|download|install|compile|run|verdict" >&2
  exit 2
  ;;
esac
