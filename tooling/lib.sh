#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Shared helpers for the drm-gem-forward tooling: where things live, the
# names every script agrees on, the patches/series parser, the KUnit
# options, test counts, phase progress lines with elapsed time and
# per-phase logs, and Debian packages.
#
# Sourced, not run.  Sourcing only defines variables and functions (and
# exits if DGF_BASE names a base without patches/stable-BASE); the scripts
# call dgf_init to create the output directories and set up PATH.
#
# Inputs, all optional, all prefixed so that a variable of the same name in
# the user's shell changes nothing:
#   DGF_BUILD      the build directory (default: build/ here)
#   DGF_TREE       the kernel tree (default: build/linux, build/ksrc, ...)
#   DGF_JOBS       parallel jobs (default: nproc)
#   DGF_BASE       the Debian base, a key of configs/kernel-bases (default:
#                  7.3; 6.12 is for make stable: make check, export, series
#                  and bisect refuse it)
#   DGF_KSRC       a kernel git tree to use as the base instead (the
#                  Makefile passes make's KSRC= here, from the command line
#                  only); DGF_KSRC_BASE, its revision (default: HEAD)
#   FORCE=1        tooling/tree: discard unexported work (saved first)

shopt -s inherit_errexit

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${DGF_BUILD:-$TOP/build}
# The Debian base: a key of configs/kernel-bases, 7.3 by default. DGF_BASE=6.12
# selects Debian's 6.12.117, the stable-backport target, in its own tree and
# object directories, with patches/stable-6.12 instead of the series (which
# does not apply there).
DGF_BASE=${DGF_BASE:-7.3}
KSRC=${DGF_KSRC:-}
# shellcheck disable=SC2034
KSRC_BASE=${DGF_KSRC_BASE:-HEAD}
# Each Debian base and a user's KSRC tree get their own tree and object dirs.
if [ -n "$KSRC" ]; then
	TREE=${DGF_TREE:-$BUILD/ksrc}
	OBJ=$BUILD/obj-ksrc
elif [ "$DGF_BASE" = 7.3 ]; then
	TREE=${DGF_TREE:-$BUILD/linux}
	OBJ=$BUILD/obj
else
	TREE=${DGF_TREE:-$BUILD/linux-$DGF_BASE}
	OBJ=$BUILD/obj-$DGF_BASE
fi
LOGS=$BUILD/logs
RESULTS=$BUILD/results
JOBS=${DGF_JOBS:-$(nproc)}
# shellcheck disable=SC2034
EXPECTATIONS=$TOP/tests/expectations
# The patches: patches/ for the series (7.3 or KSRC); for another Debian
# base, patches/stable-BASE, the stable fixes backported to it (make stable).
if [ -z "$KSRC" ] && [ "$DGF_BASE" != 7.3 ]; then
	PATCHES=$TOP/patches/stable-$DGF_BASE
	[ -f "$PATCHES/series" ] || {
		echo "DGF_BASE=$DGF_BASE: no $PATCHES/series (bases: 7.3, 6.12)" >&2
		exit 1
	}
else
	PATCHES=$TOP/patches
fi
SERIES=$PATCHES/series

# Names in the kernel tree.  BRANCH carries the series on BASE_TAG;
# ASSEMBLED_REF is the last head whose every commit this repository holds
# (written by tooling/tree after an assembly and by tooling/export): commits
# on BRANCH beyond it are work that only exists in the tree.
# shellcheck disable=SC2034
{
	BRANCH=drm-gem-forward
	BASE_TAG=drm-gem-forward-base
	ASSEMBLED_REF=refs/drm-gem-forward/assembled
}

# Our own KUnit suites; the other suites are upstream's.
OUR_KUNIT_SUITES='drm_gem_forward*'
# The KUnit runs, one per forwarding policy: every DRM suite under the
# default policy, ours under the other two (kunit_glob).
KUNIT_POLICIES=(opt-in never all)
# The IGT tests that are ours (tests/igt/patches), as igt-results.py's and
# igt-compare.py's --ours regexes; the rest are upstream IGT's.
# shellcheck disable=SC2034
IGT_OURS=('prime_mmap_forward@.*' 'prime_vgem@forwarded-.*')
# In the VM suite, the i915 mock selftests that are ours (the mman mock
# suite's import tests) and the others (upstream's); everything else there
# (the PRIME selftest, the quick benchmark) is ours.
# shellcheck disable=SC2034
{
	OUR_I915_TESTS='*/igt_mmap_import_*'
	UPSTREAM_I915_TESTS='i915_*/*'
}

# dgf_init: create the output directories and set up the environment the
# phases run in.
dgf_init()
{
	# Debian's python3 and its packages (python3-ply, python3-git for the
	# kernel's spdxcheck), whatever other python3 comes first in PATH.
	export PATH=/usr/bin:/bin:$PATH
	T0=${T0:-$(date +%s)}
	export T0 DGF_BASE
	mkdir -p "$LOGS" "$OBJ" "$RESULTS"
}

git_tree()
{
	git -C "$TREE" "$@"
}

# series_entries: the entries of patches/series ($SERIES), one a line: the
# patch (or @migrate) and the new files that commit adds, separated by
# single spaces; comments and blank lines dropped.
series_entries()
{
	sed -e 's/#.*//' -e 's/[[:space:]][[:space:]]*/ /g' -e 's/^ //' \
	    -e 's/ $//' -e '/^$/d' "$SERIES"
}

# series_new_files: the new kernel files patches/series adds.
series_new_files()
{
	local -a entry

	while read -r -a entry; do
		[ ${#entry[@]} -le 1 ] || printf '%s\n' "${entry[@]:1}"
	done < <(series_entries)
}

# kunit_glob POLICY: the suites KUnit runs under POLICY.
kunit_glob()
{
	case $1 in
	opt-in)	echo "" ;;
	never|all) echo "$OUR_KUNIT_SUITES" ;;
	*)	die "unknown policy '$1' (${KUNIT_POLICIES[*]})" ;;
	esac
}

# The debugging options of every KUnit build (tooling/kunit, tooling/mutants).
KUNIT_DEBUG_OPTIONS=(--kconfig_add CONFIG_DEBUG_KERNEL=y
		     --kconfig_add CONFIG_PROVE_LOCKING=y
		     --kconfig_add CONFIG_DEBUG_OBJECTS=y
		     --kconfig_add CONFIG_KASAN=y
		     --kconfig_add CONFIG_KASAN_VMALLOC=y)

# kunit_run DIR POLICY BUILD-DIR JSON [GLOB]: run the DRM KUnit suites of
# the kernel tree DIR on UML under POLICY, with KUNIT_DEBUG_OPTIONS, results
# to JSON; the raw kernel log is BUILD-DIR/test.log.  tooling/kunit and
# tooling/mutants both run KUnit through this.
kunit_run()
{
	local dir=$1 policy=$2 build_dir=$3 json=$4 glob=${5:-} symbol
	local -a args

	case $policy in
	never)	symbol=CONFIG_DRM_GEM_FORWARD_NEVER ;;
	opt-in)	symbol=CONFIG_DRM_GEM_FORWARD_OPT_IN ;;
	all)	symbol=CONFIG_DRM_GEM_FORWARD_ALL ;;
	*)	die "unknown policy '$policy' (${KUNIT_POLICIES[*]})" ;;
	esac
	args=(run --kunitconfig=drivers/gpu/drm/tests
	      --kconfig_add "$symbol=y" "${KUNIT_DEBUG_OPTIONS[@]}"
	      --build_dir="$build_dir"
	      --jobs="$JOBS" --timeout=900 --json="$json")
	[ -z "$glob" ] || args+=("$glob")
	(cd "$dir" && python3 tools/testing/kunit/kunit.py "${args[@]}")
}

# object_of TREE FILE: the object that compiles the kernel .c FILE of the
# git tree TREE: its own, or that of the .c that #includes it (i915's
# selftests are built that way), or nothing if no .c includes it.
# tooling/compile-coverage and tooling/bisect use it.
object_of()
{
	local tree=$1 f=$2 dir includer

	case $f in
	*/selftests/*)
		dir=${f%%/selftests/*}
		dir=${dir%/gem}
		includer=$(git -C "$tree" grep -l "selftests/$(basename "$f")\"" -- "$dir" |
			   grep -v /selftests/ | head -n 1 || true)
		[ -z "$includer" ] || echo "${includer%.c}.o"
		;;
	*)
		echo "${f%.c}.o"
		;;
	esac
}

# Test counts.  A test phase NAME leaves build/results/NAME.count, one line
# per kind of test it ran:
#
#   KIND PASSED FAILED SKIPPED
#
# KIND: ours (our KUnit suite, VM selftests, i915 mock import tests),
# upstream (other KUnit suites, i915 selftests not ours), static (lint,
# compile coverage, Coccinelle), mutants (PASSED: killed, FAILED: survived
# or broken), tooling (checks of the tooling itself), build (a failed
# build phase, one failure).  Skipped tests are listed in
# build/results/NAME.skipped, one "KIND<TAB>REASON" line each.
# tooling/summary adds them up.
COUNT_KINDS=(ours upstream static mutants tooling build)

# count_reset NAME: forget the counts of phase NAME.
count_reset()
{
	rm -f "$RESULTS/$1.count" "$RESULTS/$1.skipped"
}

# count_add NAME KIND PASSED FAILED [SKIPPED]: add one line to NAME.count.
count_add()
{
	case " ${COUNT_KINDS[*]} " in
	*" $2 "*) ;;
	*) die "count_add: unknown kind '$2'" ;;
	esac
	echo "$2 $3 $4 ${5:-0}" >>"$RESULTS/$1.count"
}

# cocci_findings KNOWN: read a Coccinelle report on stdin and print, one
# per line, its WARNING and ERROR lines that no line of KNOWN matches.
# Positions are removed first ("file.c:12:3-9: WARNING x" becomes
# "file.c: WARNING x"); a line of KNOWN is "PATTERN<TAB>REASON", PATTERN a
# shell glob on that text; "#" starts a comment.  Fails if KNOWN is
# malformed.
cocci_findings()
{
	local known=$1 line text pattern reason n=0
	local -a patterns=()

	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		case $line in
		''|'#'*) continue ;;
		esac
		IFS=$'\t' read -r pattern reason <<<"$line"
		if [ -z "$pattern" ] || [ -z "$reason" ]; then
			echo "$known:$n: want PATTERN<TAB>REASON: $line" >&2
			return 1
		fi
		patterns+=("$pattern")
	done <"$known"

	while IFS= read -r line; do
		[[ $line =~ (^|[^A-Za-z])(WARNING|ERROR)([^A-Za-z]|$) ]] || continue
		text=$(sed -E 's/^([^: ]+):[0-9]+:[0-9]+-[0-9]+:/\1:/' <<<"$line")
		for pattern in "${patterns[@]}"; do
			# shellcheck disable=SC2053
			[[ $text == $pattern ]] && continue 2
		done
		echo "$text"
	done
}

elapsed()
{
	local s=$(($(date +%s) - ${T0:-$(date +%s)}))

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

# test_phase NAME KIND CMD...: a phase (see phase) that counts its tests
# into build/results/NAME.count.  A phase that fails without counting a
# failure, or succeeds without writing a count at all, counts one failure
# of KIND: a test that cannot fail, or that fails silently, is a failure.
test_phase()
{
	local name=$1 kind=$2 count=$RESULTS/$1.count rc=0 failed
	shift 2

	count_reset "$name"
	phase "$name" "$@" || rc=$?
	if [ ! -s "$count" ]; then
		if [ "$rc" -eq 0 ]; then
			echo "  $name exited 0 but wrote no count in $count: counted as a failure"
		fi
		count_add "$name" "$kind" 0 1
		return 1
	fi
	if [ "$rc" -ne 0 ]; then
		failed=$(awk '{ f += $3 } END { print f + 0 }' "$count")
		[ "$failed" -gt 0 ] || count_add "$name" "$kind" 0 1
		return "$rc"
	fi
}

# run KIND-OR-build NAME CMD...: one phase of a sequence (tooling/check,
# tooling/stable), remembered in PHASES for tooling/summary: a build phase
# (build_phase) or a test phase of that kind (test_phase).
PHASES=()
run()
{
	local kind=$1
	shift
	PHASES+=("$1")
	if [ "$kind" = build ]; then
		build_phase "$@"
	else
		test_phase "$1" "$kind" "${@:2}"
	fi
}

# build_phase NAME CMD...: a phase later phases need; its failure counts
# as one failure of kind build.
build_phase()
{
	count_reset "$1"
	phase "$@" || { count_add "$1" build 0 1; return 1; }
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

# Packages the phases need, in one place.
# shellcheck disable=SC2034
{
	BASE_PKGS=(build-essential flex bison bc libelf-dev libssl-dev python3
		   git xz-utils kmod cpio rsync)
	VM_PKGS=(qemu-system-x86 libdrm-dev pkg-config)
	CHECK_PKGS=(coccinelle sparse perl python3-ply python3-git shellcheck)
	# IGT GPU Tools (tooling/igt), as /work/shared/vendor/README.md lists.
	IGT_PKGS=(meson ninja-build flex bison pkg-config libpciaccess-dev
		  libkmod-dev libproc2-dev libdw-dev zlib1g-dev liblzma-dev
		  libcairo2-dev libpixman-1-dev libudev-dev libglib2.0-dev
		  libdrm-dev libunwind-dev libjson-c-dev git xz-utils)
}
