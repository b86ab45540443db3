// SPDX-License-Identifier: GPL-2.0-only
/// Forward mmap() of imported GEM objects with drm_gem_forward_mmap().
///
/// Open-coded calls of dma_buf_mmap() for imported GEM objects have got
/// the details wrong: exynos neither clears vm_ops nor drops the reference
/// drm_gem_mmap_obj() took, so the importer object leaks; etnaviv drops
/// the reference but keeps its vm_ops, so munmap() puts the object once
/// too often with exporters that install none; none of them checks a
/// policy or the dma-buf file's access mode. drm_gem_mmap_obj() forwards
/// imported objects itself for drivers that opt in with
/// drm_gem_object_funcs.gem_forward: replace the open-coded
/// forward with drm_gem_forward_mmap() and opt the object functions in.
///
/// Only code that is exactly such a forward is converted, because the
/// helper has a contract: its caller holds a reference on the GEM object
/// for the VMA, which the helper drops on success, and vm_pgoff holds the
/// object's fake offset, from which the helper computes the offset into
/// the dma-buf. Both hold in a GEM object mmap callback context, which
/// this script takes to be: a function
///   fn(struct drm_gem_object *obj, struct vm_area_struct *vma)
/// that is the .mmap of a struct drm_gem_object_funcs in the files spatch
/// is given, called by drm_gem_mmap_obj() or drm_gem_prime_mmap(), the
/// only callers of that member: both take the reference and add the fake
/// offset before they call it. Converted are
///  - "if (imported) return dma_buf_mmap(...);", optionally with the
///    vm_ops/vm_private_data resets, on obj itself and its own dma-buf,
///    only in that context (exynos);
///  - an "if (imported)" block, or a whole mmap op, that consists of
///    exactly: an optional local result, the optional resets,
///    dma_buf_mmap() of the object's own dma-buf at offset 0, a
///    drm_gem_object_put() of that object on success and the return of
///    the result (the shmem helper, panthor, vmwgfx, etnaviv). The put on
///    success says that the caller took the VMA's reference, as the
///    callback context does, so such code is converted wherever it is.
/// The object must be a GEM object: an import check on an expression whose
/// type spatch knows (a declared variable or parameter) is taken only on a
/// struct drm_gem_object pointer, or a struct drm_gem_object reached as
/// X.import_attach; where --no-includes leaves the type unknown (a member
/// of a driver structure), only the put, which takes a struct
/// drm_gem_object *, or the callback's typed parameter makes it one.
/// Everything else (extra checks, locks or calls in the block, another
/// buffer or object, a non-zero offset, fbdev or other non-GEM mmap paths,
/// a bare return outside the callback context) is left alone and listed in
/// report mode as an INFO to check by hand.
///
/// Branches that drm_gem_mmap_obj() makes unreachable are converted, not
/// deleted: once the core forwards imported objects of drivers that opted
/// in, the import branches of drm_gem_shmem_mmap(), exynos, vmwgfx and
/// etnaviv are not reached from in-tree callers of drm_gem_mmap_obj(). But
/// drm_gem_shmem_mmap() is exported and called by drivers from their own
/// mmap code, and any of these functions may be reached by a caller that
/// maps without drm_gem_mmap_obj(); deleting the branch would hand such an
/// import to the native path (shmem pages, TTM, the DMA API) of memory the
/// importer does not own. Converting keeps the change mechanical and keeps
/// those callers correct, with the policy checks; deleting it is left to a
/// later, reviewed cleanup.
///
/// Report mode also lists the rest of the landscape: code that refuses
/// imported mmaps, mmap code that maps with the DMA API without checking
/// for imports (memory the importer does not own), TTM object functions,
/// whose imported mappings fault with SIGBUS, and object functions that
/// dispatch to per-object ops.
///
// Confidence: Moderate. The fixtures in tests/cocci cover the in-tree
//  shapes and the shapes that must be left alone; that every caller of a
//  converted function outside drm_gem_mmap_obj() holds the VMA reference
//  and passes the fake offset is not something a semantic patch can prove.
//  Moderate for the landscape report.
// Copyright: (C) 2026 The drm-gem-forward authors
// Options: --no-includes --include-headers
// Keywords: dma_buf_mmap, import_attach, drm_gem_is_imported
// Comments: The opt-in goes only to the drm_gem_object_funcs whose .mmap
//  was converted, or whose .mmap hands the VMA to a per-object ops table
//  one of whose .mmap ops was converted. spatch sees only the files it is
//  given together: give a driver's files in one invocation, as
//  tooling/migrate does (etnaviv's forward op is in etnaviv_gem_prime.c,
//  its object functions in etnaviv_gem.c), or the dispatching object
//  functions are not opted in; report mode then lists them as INFO.

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
# Guards on an expression whose type spatch knows and is not a GEM object.
non_gem = set()
# dma_buf_mmap() calls in convertible forwards, and those after a vm_ops reset.
fwd_calls = set()
reset_calls = set()
# (function, variable): the result variable of a converted forward.
fwd_rets = set()
# Converted mmap ops.
fwd_ops = set()
# Functions that hold a convertible forward.
fwd_fns = set()
unused_decls = set()
# Files with a forward to convert, and the DRM headers each file has.
conv_files = set()
headers = {}

def key(p):
    return (p[0].file, p[0].line, p[0].column)

# Does the file of position p need the helper's header before this one?
def needs_header(p, before):
    have = headers.get(p[0].file, set())
    return p[0].file in conv_files and not have.intersection(before)

def emit(p, msg):
    if org_mode:
        coccilib.org.print_todo(p[0], msg)
    else:
        coccilib.report.print_report(p[0], msg)

def forward_msg(p, q, put):
    reset = key(q) in reset_calls
    if put and reset:
        msg = "WARNING open-coded forward of an imported object's mmap() with dma_buf_mmap(): use drm_gem_forward_mmap() and opt in with drm_gem_object_funcs.gem_forward"
    elif put:
        msg = "ERROR open-coded forward that drops drm_gem_mmap_obj()'s reference but keeps the importer's vm_ops: munmap() puts the object once too often with exporters that install none; use drm_gem_forward_mmap()"
    elif reset:
        msg = "ERROR open-coded forward that does not drop the reference drm_gem_mmap_obj() took: the importer object leaks; use drm_gem_forward_mmap()"
    else:
        msg = "ERROR open-coded forward that neither drops the reference drm_gem_mmap_obj() took nor clears vm_ops: the importer object leaks with exporters that install vm_ops; use drm_gem_forward_mmap()"
    emit(p, msg)

@script:python depends on org@
@@
org_mode.append(True)

// ---------------------------------------------------------------------
// What is a GEM object. An import check on an expression whose type spatch
// knows must be on a struct drm_gem_object (pointer); code that puts the
// object with drm_gem_object_put() or tests it with drm_gem_is_imported()
// only compiles for one, whatever spatch knows.

@obj_type@
type T;
T E;
position e;
@@
(
 E@e->import_attach
|
 drm_gem_is_imported(E@e)
)

@script:python@
T << obj_type.T;
e << obj_type.e;
@@
if T.replace(" ", "") not in ("structdrm_gem_object*", "conststructdrm_gem_object*"):
    non_gem.add(key(e))

@obj_type_s@
type T;
T X;
position e;
@@
(
 X@e.import_attach
|
 drm_gem_is_imported(&X@e)
)

@script:python@
T << obj_type_s.T;
e << obj_type_s.e;
@@
if T.replace(" ", "") not in ("structdrm_gem_object", "conststructdrm_gem_object"):
    non_gem.add(key(e))

// The .mmap callbacks of the object functions: drm_gem_mmap_obj() and
// drm_gem_prime_mmap() call them with a reference taken for the VMA and
// the fake offset in vm_pgoff.
@gem_mmap_cb@
identifier funcs, fn;
@@
struct drm_gem_object_funcs funcs = {
  ...,
  .mmap = fn,
  ...
};

@funcs_opted@
identifier funcs;
expression V;
@@
struct drm_gem_object_funcs funcs = {
  ...,
  .gem_forward = V,
  ...
};

@script:python@
funcs << funcs_opted.funcs;
@@
opted_funcs.add(funcs)

// Files with a dma_buf_mmap() at offset 0: the only ones that the
// tidying up after a conversion needs to look at (a single rule that spatch
// can prefilter files with; it does not for rules that only depend on
// several others).
@any_fwd depends on patch@
expression DB, V;
@@
dma_buf_mmap(DB, V, 0)

// ---------------------------------------------------------------------
// Open-coded forwards that drm_gem_forward_mmap() replaces as is. Each
// matching rule records what it found; in patch mode the rule after it
// converts it.

// A guarded block, on a GEM object pointer E.
@fwd_blk_p@
expression E;
identifier vma, ret;
type T;
position p, q;
position e : script:python() { key(e) not in non_gem };
@@
if (\(E@e->import_attach\|drm_gem_is_imported(E@e)\))@p {
? T ret;
? vma->vm_private_data = NULL;
? vma->vm_ops = NULL;
? vma->vm_private_data = NULL;
  ret = dma_buf_mmap@q(\(E->dma_buf\|E->import_attach->dmabuf\), vma, 0);
(
  if (!ret)
    drm_gem_object_put(E);
|
  if (!ret) {
    drm_gem_object_put(E);
  }
)
  return ret;
}

@script:python@
q << fwd_blk_p.q;
ret << fwd_blk_p.ret;
@@
fwd_calls.add(key(q))
fwd_fns.add(q[0].current_element)
conv_files.add(q[0].file)
fwd_rets.add((q[0].current_element, ret))

@c_blk_p depends on patch && fwd_blk_p@
expression C;
statement S;
position fwd_blk_p.p;
expression fwd_blk_p.E;
identifier fwd_blk_p.vma;
@@
- if (C)@p S
+ if (drm_gem_is_imported(E))
+	return drm_gem_forward_mmap(E, vma);

// The same on a GEM object X (&X is the pointer), e.g. bo->base.
@fwd_blk_s@
expression X;
identifier vma, ret;
type T;
position p, q;
position e : script:python() { key(e) not in non_gem };
@@
if (\(X@e.import_attach\|drm_gem_is_imported(&X@e)\))@p {
? T ret;
? vma->vm_private_data = NULL;
? vma->vm_ops = NULL;
? vma->vm_private_data = NULL;
  ret = dma_buf_mmap@q(\(X.dma_buf\|X.import_attach->dmabuf\), vma, 0);
(
  if (!ret)
    drm_gem_object_put(&X);
|
  if (!ret) {
    drm_gem_object_put(&X);
  }
)
  return ret;
}

@script:python@
q << fwd_blk_s.q;
ret << fwd_blk_s.ret;
@@
fwd_calls.add(key(q))
fwd_fns.add(q[0].current_element)
conv_files.add(q[0].file)
fwd_rets.add((q[0].current_element, ret))

@c_blk_s depends on patch && fwd_blk_s@
expression C;
statement S;
position fwd_blk_s.p;
expression fwd_blk_s.X;
identifier fwd_blk_s.vma;
@@
- if (C)@p S
+ if (drm_gem_is_imported(&X))
+	return drm_gem_forward_mmap(&X, vma);

// A tail return without a put: only in a drm_gem_object_funcs.mmap
// callback, on its own object, where the core took the VMA's reference.
@fwd_bare@
identifier gem_mmap_cb.fn, obj, vma;
position p, q;
@@
fn(struct drm_gem_object *obj, struct vm_area_struct *vma) {
  <+...
(
  if (\(obj->import_attach\|drm_gem_is_imported(obj)\))@p
    return dma_buf_mmap@q(\(obj->dma_buf\|obj->import_attach->dmabuf\), vma, 0);
|
  if (\(obj->import_attach\|drm_gem_is_imported(obj)\))@p {
?   vma->vm_private_data = NULL;
?   vma->vm_ops = NULL;
?   vma->vm_private_data = NULL;
    return dma_buf_mmap@q(\(obj->dma_buf\|obj->import_attach->dmabuf\), vma, 0);
  }
)
  ...+>
}

@script:python@
q << fwd_bare.q;
@@
fwd_calls.add(key(q))
fwd_fns.add(q[0].current_element)
conv_files.add(q[0].file)

@c_bare depends on patch && fwd_bare@
expression C;
statement S;
position fwd_bare.p;
identifier fwd_bare.obj;
identifier fwd_bare.vma;
@@
- if (C)@p S
+ if (drm_gem_is_imported(obj))
+	return drm_gem_forward_mmap(obj, vma);

// An import-only mmap op whose whole body is the forward (etnaviv), on a
// GEM object pointer E or a GEM object X.
@fwd_op_p@
identifier fn, vma, ret;
expression E;
type T;
position q;
@@
fn(...) {
? T ret;
? vma->vm_private_data = NULL;
? vma->vm_ops = NULL;
? vma->vm_private_data = NULL;
  ret = dma_buf_mmap@q(\(E->dma_buf\|E->import_attach->dmabuf\), vma, 0);
(
  if (!ret)
    drm_gem_object_put(E);
|
  if (!ret) {
    drm_gem_object_put(E);
  }
)
  return ret;
}

@script:python@
q << fwd_op_p.q;
fn << fwd_op_p.fn;
ret << fwd_op_p.ret;
@@
fwd_calls.add(key(q))
fwd_fns.add(q[0].current_element)
conv_files.add(q[0].file)
fwd_rets.add((fn, ret))
fwd_ops.add(fn)

@c_op_p depends on patch && fwd_op_p@
identifier fwd_op_p.fn;
identifier fwd_op_p.ret;
identifier fwd_op_p.vma;
expression fwd_op_p.E;
position fwd_op_p.q;
expression DB;
@@
fn(...) {
  <...
- ret = dma_buf_mmap@q(DB, vma, 0);
(
- if (!ret)
-   drm_gem_object_put(E);
|
- if (!ret) {
-   drm_gem_object_put(E);
- }
)
- return ret;
+ return drm_gem_forward_mmap(E, vma);
  ...>
}

@fwd_op_s@
identifier fn, vma, ret;
expression X;
type T;
position q;
@@
fn(...) {
? T ret;
? vma->vm_private_data = NULL;
? vma->vm_ops = NULL;
? vma->vm_private_data = NULL;
  ret = dma_buf_mmap@q(\(X.dma_buf\|X.import_attach->dmabuf\), vma, 0);
(
  if (!ret)
    drm_gem_object_put(&X);
|
  if (!ret) {
    drm_gem_object_put(&X);
  }
)
  return ret;
}

@script:python@
q << fwd_op_s.q;
fn << fwd_op_s.fn;
ret << fwd_op_s.ret;
@@
fwd_calls.add(key(q))
fwd_fns.add(q[0].current_element)
conv_files.add(q[0].file)
fwd_rets.add((fn, ret))
fwd_ops.add(fn)

@c_op_s depends on patch && fwd_op_s@
identifier fwd_op_s.fn;
identifier fwd_op_s.ret;
identifier fwd_op_s.vma;
expression fwd_op_s.X;
position fwd_op_s.q;
expression DB;
@@
fn(...) {
  <...
- ret = dma_buf_mmap@q(DB, vma, 0);
(
- if (!ret)
-   drm_gem_object_put(&X);
|
- if (!ret) {
-   drm_gem_object_put(&X);
- }
)
- return ret;
+ return drm_gem_forward_mmap(&X, vma);
  ...>
}

// ---------------------------------------------------------------------
// Reports (report, org) and context.

@fwd_reset depends on report || org@
identifier vma;
expression DB, R;
position q : script:python() { key(q) in fwd_calls };
@@
vma->vm_ops = NULL;
...
(
R = dma_buf_mmap@q(DB, vma, 0);
|
return dma_buf_mmap@q(DB, vma, 0);
)

@script:python@
q << fwd_reset.q;
@@
reset_calls.add(key(q))

@script:python depends on report || org@
p << fwd_blk_p.p;
q << fwd_blk_p.q;
@@
forward_msg(p, q, True)

@script:python depends on report || org@
p << fwd_blk_s.p;
q << fwd_blk_s.q;
@@
forward_msg(p, q, True)

@script:python depends on report || org@
p << fwd_bare.p;
q << fwd_bare.q;
@@
forward_msg(p, q, False)

@script:python depends on report || org@
q << fwd_op_p.q;
@@
forward_msg(q, q, True)

@script:python depends on report || org@
q << fwd_op_s.q;
@@
forward_msg(q, q, True)

// Other calls of dma_buf_mmap() at offset 0: left alone, worth a look.
@other_fwd depends on report || org@
identifier fn;
expression DB, V;
position q : script:python() { key(q) not in fwd_calls };
@@
fn(...) {
  <+... dma_buf_mmap@q(DB, V, 0) ...+>
}

@script:python depends on report || org@
q << other_fwd.q;
fn << other_fwd.fn;
@@
emit(q, "INFO %s() calls dma_buf_mmap() in a way drm_gem_forward_mmap() does not replace as is (more than the forward, another buffer or object, no VMA reference taken by drm_gem_mmap_obj(), or not a GEM object): not converted, check by hand" % fn)

@depends on context@
expression DB, V;
position q : script:python() { key(q) in fwd_calls };
@@
* dma_buf_mmap@q(DB, V, 0)

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

// TTM object functions: imported mappings fault with SIGBUS, unless
// their .mmap forwards imports itself (vmwgfx before the conversion).
// Whether the driver imports at all shows in another file (qxl's
// gem_prime_import_sg_table fails with -ENOSYS, the VRAM helper's drivers
// have none), so the message says "if it imports any".
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
if fn in ttm_mmap_fns and fn not in fwd_fns and funcs not in opted_funcs:
    emit(p, "INFO %s: mmap() of an object this driver imports (if it imports any) faulted with SIGBUS in TTM; the core refuses it with -EPERM unless the driver opts in to forwarding" % funcs)

// Object functions whose .mmap dispatches to per-object ops, where no
// ops table in the files given forwards: whether one of those ops forwards
// imports may only show in another file.
@dispatch_r depends on report || org@
identifier fn, vma;
expression E;
@@
fn(..., struct vm_area_struct *vma) {
  <+... E->ops->mmap(E, vma) ...+>
}

@helper_caller_r depends on report || org@
identifier fn;
@@
fn(...) {
  <+... drm_gem_forward_mmap(...) ...+>
}

@script:python@
fn << helper_caller_r.fn;
@@
fwd_ops.add(fn)

@ops_forward_r depends on report || org@
identifier S != drm_gem_object_funcs;
identifier tbl;
identifier dfn : script:python() { dfn in fwd_ops };
@@
struct S tbl = {
  ...,
  .mmap = dfn,
  ...
};

@dispatch_funcs depends on (report || org) && !ops_forward_r@
identifier funcs;
identifier dispatch_r.fn;
position p;
@@
struct drm_gem_object_funcs funcs@p = {
  ...,
  .mmap = fn,
  ...
};

@script:python depends on report || org@
p << dispatch_funcs.p;
funcs << dispatch_funcs.funcs;
fn << dispatch_r.fn;
@@
if funcs not in opted_funcs:
    emit(p, "INFO %s: .mmap %s() dispatches to per-object ops; if one of them forwards imported objects, opt in with gem_forward (patch mode does when it is given that op's file too)" % (funcs, fn))

// ---------------------------------------------------------------------
// Tidying up after the conversion (patch).

// The op's resets: the helper does them.
@depends on patch && any_fwd@
identifier opfn : script:python() { opfn in fwd_ops };
identifier vma;
@@
opfn(...) {
  <...
(
- vma->vm_private_data = NULL;
|
- vma->vm_ops = NULL;
)
  ...>
  return drm_gem_forward_mmap(..., vma);
}

// A result variable that the conversion left without a use.
@unused_ret depends on patch && any_fwd@
identifier rfn, ret;
type T;
position d;
@@
rfn(...) {
  ... when != ret
  T ret@d;
  ... when != ret
}

@script:python@
rfn << unused_ret.rfn;
ret << unused_ret.ret;
d << unused_ret.d;
@@
if (rfn, ret) in fwd_rets:
    unused_decls.add(key(d))

@depends on patch && unused_ret@
identifier ret;
type T;
position d : script:python() { key(d) in unused_decls };
@@
- T ret@d;

// The helper's header, placed among the DRM headers of each file that had
// a forward converted (not of other files given together with it).
@hdr depends on patch && any_fwd@
position i;
@@
(
#include <drm/drm_gem_forward.h>@i
|
#include "drm/drm_gem_forward.h"@i
)

@script:python@
i << hdr.i;
@@
headers.setdefault(i[0].file, set()).add("forward")

@hdr_shmem depends on patch && any_fwd@
position i;
@@
#include <drm/drm_gem_shmem_helper.h>@i

@script:python@
i << hdr_shmem.i;
@@
headers.setdefault(i[0].file, set()).add("shmem")

@hdr_prime depends on patch && any_fwd@
position i;
@@
#include <drm/drm_prime.h>@i

@script:python@
i << hdr_prime.i;
@@
headers.setdefault(i[0].file, set()).add("prime")

@depends on patch && any_fwd@
position i : script:python() { needs_header(i, ["forward"]) };
@@
+ #include <drm/drm_gem_forward.h>
  #include <drm/drm_gem_shmem_helper.h>@i

@depends on patch && any_fwd@
position i : script:python() { needs_header(i, ["forward", "shmem"]) };
@@
+ #include <drm/drm_gem_forward.h>
  #include <drm/drm_prime.h>@i

@depends on patch && any_fwd@
position i : script:python() { needs_header(i, ["forward", "shmem", "prime"]) };
@@
+ #include "drm/drm_gem_forward.h"
  #include "drm/drm_prime.h"@i

// Opt the object functions in: those whose .mmap was converted, and
// those whose .mmap hands the VMA to a per-object ops table whose .mmap op
// was converted (in any file given to spatch together with this one).
// fwd_fns holds the functions converted in this run: an .mmap that
// already called the helper without the opt-in is the driver's choice,
// left to the policy.
@optin_forwards depends on patch@
identifier cfn1 : script:python() { cfn1 in fwd_fns };
identifier ofuncs1 : script:python() { ofuncs1 not in opted_funcs };
@@
struct drm_gem_object_funcs ofuncs1 = {
  ...,
  .mmap = cfn1,
+ .gem_forward = true,
  ...
};

@ops_forward depends on patch@
identifier S != drm_gem_object_funcs;
identifier tbl;
identifier cfn2 : script:python() { cfn2 in fwd_fns };
@@
struct S tbl = {
  ...,
  .mmap = cfn2,
  ...
};

@dispatch depends on patch && ops_forward@
identifier fn, vma;
expression E;
@@
fn(..., struct vm_area_struct *vma) {
  <+... E->ops->mmap(E, vma) ...+>
}

@funcs_opted_now depends on patch && dispatch@
identifier funcs;
expression V;
@@
struct drm_gem_object_funcs funcs = {
  ...,
  .gem_forward = V,
  ...
};

@script:python depends on funcs_opted_now@
funcs << funcs_opted_now.funcs;
@@
opted_funcs.add(funcs)

@optin_dispatch depends on patch && dispatch@
identifier dispatch.fn;
identifier ofuncs2 : script:python() { ofuncs2 not in opted_funcs };
@@
struct drm_gem_object_funcs ofuncs2 = {
  ...,
  .mmap = fn,
+ .gem_forward = true,
  ...
};
