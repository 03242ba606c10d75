#!/usr/bin/env bash
# smoke.sh BINARY: the command runs on this runner. --version answers, and
# the bundled example's report (exit status 1, findings) is the one the test
# suite keeps in cmd/mlflowlint/testdata/example.concise.
set -euo pipefail
bin="$1"
"$bin" --version | grep -q '^mlflowlint [0-9]' || { echo "$bin --version: unexpected output" >&2; exit 1; }
status=0
"$bin" --isolated --target-version 3.4 --output-format concise examples/churn >"${RUNNER_TEMP:-/tmp}/example.concise" || status=$?
if [ "$status" != 1 ]; then
  echo "$bin examples/churn: exit $status, want 1" >&2
  exit 1
fi
# Windows checkouts may turn the golden file's line ends into CRLF.
diff --strip-trailing-cr "${RUNNER_TEMP:-/tmp}/example.concise" cmd/mlflowlint/testdata/example.concise
echo "$("$bin" --version): examples/churn reported as expected"
