#!/bin/sh
# Runs every fuzz target of the module for FUZZTIME each (make fuzz).
#
# Go 1.26's fuzzing coordinator can fail a target with a bare "context
# deadline exceeded" when -fuzztime runs out while a worker is still busy
# (golang/go#75804, fixed in Go 1.27): no input fails, nothing is written
# to testdata/fuzz. Such a run, and only such a run, is tried once more; a
# real failure (a failing input written, a panic, any other message) fails
# at once, and so does a second deadline.
set -u
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-15s}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# deadline_only tells whether the failed run in $log reported nothing but
# the coordinator's deadline.
deadline_only() {
	grep -q 'context deadline exceeded' "$log" || return 1
	# Lines of a real failure: a written input, a panic, a test's own
	# message (indented under --- FAIL) other than the deadline.
	if grep -q -e 'Failing input written' -e '^panic:' -e 'fatal error:' "$log"; then
		return 1
	fi
	! sed -n '/^--- FAIL/,/^FAIL/p' "$log" | grep -v -e '^--- FAIL' -e '^FAIL' -e '^    context deadline exceeded$' -e '^exit status' | grep -q .
}

pkgs=$($GO list ./...) || exit 1
for pkg in $pkgs; do
	targets=$($GO test -list '^Fuzz' "$pkg") || exit 1
	for t in $(printf '%s\n' "$targets" | grep '^Fuzz' || true); do
		for try in 1 2; do
			echo "fuzz $pkg $t ($FUZZTIME)"
			if $GO test -run '^$' -fuzz "^$t\$" -fuzztime "$FUZZTIME" "$pkg" >"$log" 2>&1; then
				cat "$log"
				break
			fi
			cat "$log"
			if [ "$try" = 1 ] && deadline_only; then
				echo "fuzz: $t stopped on the coordinator's deadline with no failing input (golang/go#75804); running it once more"
				continue
			fi
			exit 1
		done
	done
done
