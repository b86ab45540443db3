// SPDX-License-Identifier: GPL-2.0-only
/// Forward mmap() of imported GEM objects with drm_gem_forward_mmap().
///
/// Open-coded calls of dma_buf_mmap() for imported GEM objects have got
/// the details wrong: exynos neither clears vm_ops nor drops the reference
/// drm_gem_mmap_obj() took, so the importer object leaks; etnaviv drops
/// the reference but keeps its vm_ops, so munmap() puts the object once
/// too often with exporters that install none; none of them keeps a
/// read-only dma-buf read-only. drm_gem_mmap_obj() forwards imported
/// objects itself for drivers that opt in with
/// drm_gem_object_funcs.gem_forward: replace the open-coded
/// forward with drm_gem_forward_mmap() and opt the object functions in.
///
/// Report mode also lists the rest of the landscape: code that refuses
/// imported mmaps, mmap code that maps with the DMA API without checking
/// for imports (memory the importer does not own), and TTM object
/// functions, whose imported mappings fault with SIGBUS.
///
// Confidence: High for the conversion, Moderate for the landscape report
// Copyright: (C) 2026 The drm-gem-forward authors
// Options: --no-includes --include-headers
// Keywords: dma_buf_mmap, import_attach, drm_gem_is_imported
// Comments: The opt-in goes to the drm_gem_object_funcs of the same file
//  whose .mmap forwards, or whose .mmap hands the VMA to a per-object ops
//  table, as etnaviv's does for its import-only forward.

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
import_checked = set()
ttm_mmap_fns = set(["drm_gem_ttm_mmap"])
opted_funcs = set()
org_mode = []

def emit(p, msg):
    if org_mode:
        coccilib.org.print_todo(p[0], msg)
    else:
        coccilib.report.print_report(p[0], msg)

@script:python depends on org@
@@
org_mode.append(True)

// ---------------------------------------------------------------------
// Open-coded forwards (context, report, org).

@guarded_return depends on !patch@
expression E, DB;
identifier vma;
position p;
@@
* if (\(E->import_attach\|E.import_attach\|drm_gem_is_imported(E)\))@p
*   return dma_buf_mmap(DB, vma, 0);

@guarded_block depends on !patch@
expression E, DB;
identifier vma;
position p != guarded_return.p, q;
@@
* if (\(E->import_attach\|E.import_attach\|drm_gem_is_imported(E)\))@p {
    <+... dma_buf_mmap@q(DB, vma, 0) ...+>
  }

@unguarded depends on !patch@
expression DB, O;
identifier vma, ret;
position p != guarded_block.q;
@@
* ret = dma_buf_mmap@p(DB, vma, 0);
(
  if (!ret)
    drm_gem_object_put(O);
|
  if (!ret) {
    drm_gem_object_put(O);
  }
)
  return ret;

@unguarded_reset depends on !patch@
expression DB;
identifier vma, ret;
position unguarded.p;
@@
vma->vm_ops = NULL;
...
ret = dma_buf_mmap@p(DB, vma, 0);

@script:python depends on report || org@
p << guarded_block.p;
@@
emit(p, "WARNING open-coded forward of an imported object's mmap() with dma_buf_mmap(): use drm_gem_forward_mmap() and opt in with drm_gem_object_funcs.gem_forward")

@script:python depends on report || org@
p << guarded_return.p;
@@
emit(p, "ERROR open-coded forward that neither drops the reference drm_gem_mmap_obj() took nor clears vm_ops: the importer object leaks with exporters that install vm_ops; use drm_gem_forward_mmap()")

@script:python depends on (report || org) && unguarded_reset@
p << unguarded.p;
@@
emit(p, "WARNING open-coded forward of an imported object's mmap() with dma_buf_mmap(): use drm_gem_forward_mmap() and opt in with drm_gem_object_funcs.gem_forward")

@script:python depends on (report || org) && !unguarded_reset@
p << unguarded.p;
@@
emit(p, "ERROR open-coded forward that drops drm_gem_mmap_obj()'s reference but keeps the importer's vm_ops: munmap() puts the object once too often with exporters that install none; use drm_gem_forward_mmap()")

// ---------------------------------------------------------------------
// The rest of the landscape (report, org).

// Refusals in mmap code: "if (imported) return -E;" or "ret = -E; goto".
@refuse depends on report || org@
identifier fn =~ "mmap|map_offset";
expression E, C;
identifier ret, l;
position p;
@@
fn(...) {
  <+...
(
  if (\(E->import_attach\|E.import_attach\|drm_gem_is_imported(E)\))@p
    return -C;
|
  if (\(E->import_attach\|E.import_attach\|drm_gem_is_imported(E)\))@p {
    ret = -C;
    goto l;
  }
)
  ...+>
}

@script:python depends on report || org@
p << refuse.p;
fn << refuse.fn;
@@
emit(p, "INFO %s() refuses mmap of imported objects; drm_gem_forward_allowed() tells whether forwarding is allowed" % fn)

// DMA API mappings in mmap code of GEM drivers that never looks at
// imports, itself or in a caller that checks before calling it.
@uses_gem depends on report || org@
identifier f, x;
@@
f(..., struct drm_gem_object *x, ...) { ... }

@checks_import depends on report || org@
identifier fn;
expression E;
position p;
@@
fn@p(...) {
  <+... \(E->import_attach\|E.import_attach\|drm_gem_is_imported(E)\) ...+>
}

@script:python depends on report || org@
p << checks_import.p;
fn << checks_import.fn;
@@
import_checked.add((p[0].file, fn))

@checked_callee depends on report || org@
identifier caller, callee;
expression E;
statement S;
position p;
@@
caller@p(...) {
  ... when any
  if (\(E->import_attach\|E.import_attach\|drm_gem_is_imported(E)\)) S
  <+... callee(...) ...+>
}

@script:python depends on report || org@
p << checked_callee.p;
callee << checked_callee.callee;
@@
import_checked.add((p[0].file, callee))

@dma_mmap depends on (report || org) && uses_gem@
identifier fn =~ "mmap";
identifier dma_fn = { dma_mmap_wc, dma_mmap_attrs, dma_mmap_coherent,
		      dma_mmap_pages };
position p;
@@
fn(...) {
  <+... dma_fn@p(...) ...+>
}

@script:python depends on report || org@
p << dma_mmap.p;
fn << dma_mmap.fn;
@@
if (p[0].file, fn) not in import_checked:
    emit(p, "WARNING %s() maps with the DMA API and never checks for imported objects: for an import that is memory the importer does not own; forward with drm_gem_forward_mmap()" % fn)

// TTM object functions: imported mappings fault with SIGBUS.
@ttm_fn depends on report || org@
identifier fn;
@@
fn(...) {
  <+... \(drm_gem_ttm_mmap\|ttm_bo_mmap_obj\)(...) ...+>
}

@script:python depends on report || org@
fn << ttm_fn.fn;
@@
ttm_mmap_fns.add(fn)

@funcs_opted depends on report || org@
identifier funcs;
symbol true;
@@
struct drm_gem_object_funcs funcs = {
  ...,
  .gem_forward = true,
  ...
};

@script:python depends on report || org@
funcs << funcs_opted.funcs;
@@
opted_funcs.add(funcs)

@ttm depends on report || org@
identifier funcs, fn;
position p;
@@
struct drm_gem_object_funcs funcs@p = {
  ...,
  .mmap = fn,
  ...
};

@script:python depends on report || org@
p << ttm.p;
funcs << ttm.funcs;
fn << ttm.fn;
@@
if fn in ttm_mmap_fns and funcs not in opted_funcs:
    emit(p, "INFO %s: TTM maps imported objects and raises SIGBUS at the first fault; the core refuses them with -EPERM unless the driver opts in to forwarding" % funcs)

// ---------------------------------------------------------------------
// The conversion (patch).

@fwd_block depends on patch@
expression E, DB;
identifier vma;
@@
(
- if (E->import_attach) {
-   <+... dma_buf_mmap(DB, vma, 0) ...+>
- }
+ if (drm_gem_is_imported(E))
+	return drm_gem_forward_mmap(E, vma);
|
- if (E.import_attach) {
-   <+... dma_buf_mmap(DB, vma, 0) ...+>
- }
+ if (drm_gem_is_imported(&E))
+	return drm_gem_forward_mmap(&E, vma);
|
- if (drm_gem_is_imported(E)) {
-   <+... dma_buf_mmap(DB, vma, 0) ...+>
- }
+ if (drm_gem_is_imported(E))
+	return drm_gem_forward_mmap(E, vma);
)

@fwd_return depends on patch@
expression E, DB;
identifier vma;
@@
(
- if (\(E->import_attach\|drm_gem_is_imported(E)\))
-   return dma_buf_mmap(DB, vma, 0);
+ if (drm_gem_is_imported(E))
+	return drm_gem_forward_mmap(E, vma);
|
- if (E.import_attach)
-   return dma_buf_mmap(DB, vma, 0);
+ if (drm_gem_is_imported(&E))
+	return drm_gem_forward_mmap(&E, vma);
)

@fwd_op depends on patch@
expression DB, O;
identifier vma, ret;
@@
- ret = dma_buf_mmap(DB, vma, 0);
(
- if (!ret)
-   drm_gem_object_put(O);
|
- if (!ret) {
-   drm_gem_object_put(O);
- }
)
- return ret;
+ return drm_gem_forward_mmap(O, vma);

// A "ret" that the conversion left without a use.
@forwards depends on patch@
identifier fn;
@@
fn(...) {
  <+... drm_gem_forward_mmap(...) ...+>
}

@depends on patch@
identifier forwards.fn, ret;
type T;
@@
fn(...) {
  ... when != ret
- T ret;
  ... when != ret
}

// The helper's header, placed among the file's DRM headers.
@has_forward_h depends on patch@
@@
(
#include <drm/drm_gem_forward.h>
|
#include "drm/drm_gem_forward.h"
)

@include_shmem depends on patch && forwards && !has_forward_h@
@@
+ #include <drm/drm_gem_forward.h>
  #include <drm/drm_gem_shmem_helper.h>

@include_prime depends on patch && forwards && !has_forward_h && !include_shmem@
@@
+ #include <drm/drm_gem_forward.h>
  #include <drm/drm_prime.h>

@include_quoted depends on patch && forwards && !has_forward_h && !include_shmem && !include_prime@
@@
+ #include "drm/drm_gem_forward.h"
  #include "drm/drm_prime.h"

// Opt the object functions in: those whose .mmap forwards, and those
// whose .mmap hands the VMA to a per-object ops table.
@dispatch depends on patch@
identifier fn, vma;
expression E;
@@
fn(..., struct vm_area_struct *vma) {
  <+... E->ops->mmap(E, vma) ...+>
}

@opted depends on patch@
identifier funcs;
symbol true;
@@
struct drm_gem_object_funcs funcs = {
  ...,
  .gem_forward = true,
  ...
};

@optin_forwards depends on patch && !opted@
identifier funcs;
identifier forwards.fn;
@@
struct drm_gem_object_funcs funcs = {
  ...,
  .mmap = fn,
+ .gem_forward = true,
  ...
};

@depends on patch && !opted && !optin_forwards@
identifier funcs;
identifier dispatch.fn;
@@
struct drm_gem_object_funcs funcs = {
  ...,
  .mmap = fn,
+ .gem_forward = true,
  ...
};
