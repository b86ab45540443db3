# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Sourced by tests/vm/policy and tests/vm/policy-module (inside the test
# VM): KTAP checks on the drm.gem_forward parameter. check counts into n
# and failed; totals prints the "# Totals:" line and returns the verdict.

param=/sys/module/drm/parameters/gem_forward
n=0
failed=0

# check WHAT CMD...: one KTAP line, ok if CMD succeeds.
check()
{
	local what=$1
	shift

	n=$((n + 1))
	if "$@"; then
		echo "ok $n $what"
	else
		echo "not ok $n $what"
		failed=$((failed + 1))
	fi
}

# write VALUE WANT: write VALUE to the parameter; WANT is ok or an errno name.
write()
{
	local err

	err=$( (printf '%s' "$1" >"$param") 2>&1)
	case $2 in
	ok) [ -z "$err" ] ;;
	EPERM) grep -q 'Operation not permitted' <<<"$err" ;;
	EINVAL) grep -q 'Invalid argument' <<<"$err" ;;
	esac
}

# is POLICY: the parameter reads POLICY.
is() { [ "$(cat "$param" 2>/dev/null)" = "$1" ]; }

no_param_error() { ! dmesg | grep -q "invalid for parameter .*gem_forward"; }

totals()
{
	echo "# Totals: pass:$((n - failed)) fail:$failed xfail:0 xpass:0 skip:0 error:0"
	[ "$failed" -eq 0 ]
}
