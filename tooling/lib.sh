#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Shared helpers for the drm-gem-forward tooling: where things live, phase
# progress lines with elapsed time and per-phase logs, and Debian packages.
#
# Sourced, not run.

shopt -s inherit_errexit

# Debian's python3 and its packages (python3-ply, python3-git for the
# kernel's spdxcheck), whatever other python3 comes first in PATH.
export PATH=/usr/bin:/bin:$PATH

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
# The Debian base: a key of configs/kernel-bases, 7.3 by default. DGF_BASE=6.12
# selects Debian's 6.12.117, the stable-backport target, in its own tree and
# object directories (the v2 series itself does not apply there).
DGF_BASE=${DGF_BASE:-7.3}
export DGF_BASE
# Each Debian base and a user's KSRC= tree get their own tree and object dirs.
if [ -n "${KSRC:-}" ]; then
	TREE=${TREE:-$BUILD/ksrc}
	OBJ=$BUILD/obj-ksrc
elif [ "$DGF_BASE" = 7.3 ]; then
	TREE=${TREE:-$BUILD/linux}
	OBJ=$BUILD/obj
else
	TREE=${TREE:-$BUILD/linux-$DGF_BASE}
	OBJ=$BUILD/obj-$DGF_BASE
fi
LOGS=$BUILD/logs
RESULTS=$BUILD/results
JOBS=${JOBS:-$(nproc)}
T0=${T0:-$(date +%s)}
export T0

mkdir -p "$LOGS" "$OBJ" "$RESULTS"

elapsed()
{
	local s=$(($(date +%s) - T0))

	printf '%02d:%02d' $((s / 60)) $((s % 60))
}

# say MESSAGE: one progress line, prefixed with the elapsed time.
say()
{
	printf '[%s] %s\n' "$(elapsed)" "$*"
}

# phase NAME CMD [ARGS...]: run CMD with all output in build/logs/NAME.log,
# print one line when it is done; on failure print the log's tail and path.
phase()
{
	local name=$1 log=$LOGS/$1.log start rc
	shift

	start=$(date +%s)
	printf '[%s] %-28s ' "$(elapsed)" "$name"
	rc=0
	"$@" >"$log" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		printf 'FAILED (%ss)\n' $(($(date +%s) - start))
		echo "---- last lines of $log ----"
		tail -n 40 "$log"
		echo "---- full log: $log ----"
		return "$rc"
	fi
	printf 'ok (%ss)\n' $(($(date +%s) - start))
}

die()
{
	echo "error: $*" >&2
	exit 1
}

# need_pkgs PKG...: install the Debian packages that are missing.
need_pkgs()
{
	local missing=() pkg

	for pkg in "$@"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0

	say "installing Debian packages: ${missing[*]}"
	local sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "${missing[@]}" \
		>"$LOGS/apt.log" 2>&1; then
		"${sudo[@]}" apt-get update -q >>"$LOGS/apt.log" 2>&1 || true
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -q --no-install-recommends "${missing[@]}" \
			>>"$LOGS/apt.log" 2>&1 ||
			die "apt-get install failed, see $LOGS/apt.log"
	fi
}

# The debugging options of every KUnit build (tooling/kunit, tooling/mutants).
# shellcheck disable=SC2034
KUNIT_DEBUG_OPTIONS=(--kconfig_add CONFIG_DEBUG_KERNEL=y
		     --kconfig_add CONFIG_PROVE_LOCKING=y
		     --kconfig_add CONFIG_DEBUG_OBJECTS=y
		     --kconfig_add CONFIG_KASAN=y
		     --kconfig_add CONFIG_KASAN_VMALLOC=y)

# Packages the phases need, in one place.
# shellcheck disable=SC2034
{
	BASE_PKGS=(build-essential flex bison bc libelf-dev libssl-dev python3
		   git xz-utils kmod cpio rsync)
	VM_PKGS=(qemu-system-x86 libdrm-dev pkg-config)
	CHECK_PKGS=(coccinelle sparse perl python3-ply python3-git shellcheck)
}
