# SPDX-License-Identifier: GPL-2.0-only
#
# drm-gem-forward: the targets are the README's vocabulary; each runs the
# phases under tooling/ with one progress line per phase and full logs in
# build/logs/.  KSRC=/path/to/kernel/git/tree uses your tree as the base;
# IGT_SRC=/path/to/igt-gpu-tools (a git checkout) builds that IGT instead
# of the vendored tarball.

export T0 := $(shell date +%s)
PHASE := tooling/phase

# KSRC= and KSRC_BASE= count only on the make command line, passed to the
# tooling as DGF_KSRC and DGF_KSRC_BASE: a KSRC in the environment changes
# nothing.
cmdline = $(if $(filter command line,$(origin $(1))),$($(1)))
export DGF_KSRC := $(call cmdline,KSRC)
export DGF_KSRC_BASE := $(call cmdline,KSRC_BASE)
export DGF_IGT_SRC := $(call cmdline,IGT_SRC)
unexport KSRC KSRC_BASE IGT_SRC

.PHONY: help run check kunit tree export vm-kernel selftests bench stress \
	vm-mutants policy-module series igt igt-run stock stable bisect clean distclean

help:
	@sed -n 's/^## //p' Makefile

## make run        boot the patched kernel and print the cross-driver mapping table
run: tree vm-kernel selftests
	@tooling/run-matrix

## make check      run every test; the last line is "N passed, N failed"
check:
	@tooling/check

## make kunit      the DRM KUnit suites on UML under each forwarding policy
kunit: tree
	@set -e; for policy in $$(tooling/kunit --policies); do \
		$(PHASE) kunit-$$policy tooling/kunit $$policy; \
	done

## make tree       assemble the kernel tree in build/linux (base + patches/series)
tree:
	@$(PHASE) tree tooling/tree

## make export     write the commits of build/linux back to patches/ and the new files
export:
	@tooling/export

## make vm-kernel  build the test VM kernel and its modules
vm-kernel: tree
	@$(PHASE) vm-config tooling/vm-kernel configure
	@$(PHASE) vm-build tooling/vm-kernel build

## make selftests  build the selftests (stress, fuzz, mapping table, benchmark) for the VM
selftests: vm-kernel
	@$(PHASE) selftests-build tooling/selftests-build

## make bench      benchmark forwarded against direct and native mappings
bench: tree
	@VM_FLAVOR=bench $(PHASE) bench-config tooling/vm-kernel configure
	@VM_FLAVOR=bench $(PHASE) bench-build tooling/vm-kernel build
	@VM_FLAVOR=bench $(PHASE) selftests-build tooling/selftests-build
	@VM_FLAVOR=bench tooling/bench

## make stock      the mapping table and upstream IGT on Debian's kernel without the series
stock: selftests igt
	@tooling/stock

## make bisect     every commit of the series builds on its own (a cold build and one rebuild per commit)
bisect: tree
	@$(PHASE) bisect tooling/bisect

## make policy-module  DRM as a module: drm.gem_forward at load is clamped and DRM loads; its mutant
policy-module: tree
	@tooling/policy-module

## make stable     the stable fixes on 6.12 LTS (patches/stable-6.12): KUnit, the VM test and its mutant
stable:
	@tooling/stable

## make igt        build IGT GPU Tools with tests/igt/patches (build/igt/)
igt:
	@$(PHASE) igt tooling/igt

## make igt-run    run tests/igt/testlist with igt_runner in the test VM
igt-run: igt vm-kernel
	@$(PHASE) vm-igt tooling/vm-tests igt
## make stress     long races, cycles, fail-nth and fuzzing in the VM (STRESS_SECONDS=1200)
stress: selftests
	@STRESS_SECONDS=$(or $(STRESS_SECONDS),1200) tooling/vm-tests stress-long

## make vm-mutants kernel mutants the VM stress and IGT cases must kill (also in make check)
vm-mutants: selftests igt
	@$(PHASE) vm-mutants tooling/vm-mutants

## make series     the submission: git format-patch output in build/series/
series: tree
	@$(PHASE) series tooling/series

## make clean      remove build outputs but keep the extracted kernel tree
clean:
	rm -rf build/obj build/obj-ksrc build/results build/logs build/series \
		build/vm build/mutant-tree

## make distclean  remove build/ entirely
distclean:
	rm -rf build
