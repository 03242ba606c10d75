#!/usr/bin/env bash
# The shell steps of action.yml, kept here so that they can be run (and
# tested) outside GitHub Actions with the variables the runner would set.
#
#   action-run.sh install   go install mlflowlint at the action's ref
#   action-run.sh run       write the SARIF report, record the exit status
#   action-run.sh verdict   fail when findings were reported
#
# Inputs arrive as MLFLOWLINT_* variables (action.yml maps them); GitHub's
# GITHUB_ACTION_PATH, GITHUB_OUTPUT and GITHUB_PATH are used as the runner
# defines them.
set -euo pipefail

module=github.com/mlflowlint/mlflowlint

# out NAME VALUE appends a step output.
out() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
  fi
}

install() {
  local ref="${MLFLOWLINT_REF:-}"
  # A floating tag such as v1 or v1.2 is not a Go version (go would pick the
  # newest matching release, not the tag's commit); build the checked-out
  # action instead, which is exactly that ref.
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
install | run | verdict) "$1" ;;
*)
  echo "usage: $0 install|run|verdict" >&2
  exit 2
  ;;
esac
