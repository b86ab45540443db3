// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The drm-gem-forward authors
 */

#include <linux/dma-buf.h>
#include <linux/dma-resv.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/string.h>

#include <drm/drm_device.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_forward.h>
#include <drm/drm_print.h>
#include <drm/drm_vma_manager.h>

/**
 * DOC: Overview
 *
 * Userspace that shares buffers with PRIME often maps an imported buffer
 * through the importing driver's file: it asks for a fake offset for the
 * imported GEM handle (DRM_IOCTL_MODE_MAP_DUMB or a driver ioctl) and calls
 * mmap() on the DRM file. The importer does not own the memory, so the only
 * correct answer is to let the exporter set up the mapping, exactly as if
 * userspace had called mmap() on the dma-buf file. dma_buf_mmap() does that:
 * it makes the exporter's dma-buf file the VMA's file and calls the
 * exporter's &dma_buf_ops.mmap. The "CPU Access to DMA Buffer Objects"
 * section of the dma-buf documentation notes that redirecting the initial
 * mmap is all that is needed.
 *
 * drm_gem_forward_mmap() is that redirect, written once: it uses the
 * attachment's dma-buf (&drm_gem_object.dma_buf is not set for objects
 * imported in the kernel and is cleared with the last handle), clears the
 * importer's &vm_area_struct.vm_ops and &vm_area_struct.vm_private_data so
 * the exporter never runs the importer's callbacks, computes the page offset
 * from the object's offset node, keeps a read-only dma-buf read-only,
 * refuses private writable mappings, keeps VM_DONTEXPAND set, and drops the
 * reference the mmap path took for the VMA only once the exporter has taken
 * the mapping over. drm_gem_mmap_obj() calls it for every imported object, so
 * drivers that use drm_gem_mmap() get it without writing any code; drivers
 * with their own mmap path call it themselves, as in::
 *
 *	static int foo_gem_mmap_obj(struct drm_gem_object *obj,
 *				    struct vm_area_struct *vma)
 *	{
 *		int ret;
 *
 *		if (drm_gem_is_imported(obj)) {
 *			drm_gem_object_get(obj);
 *			ret = drm_gem_forward_mmap(obj, vma);
 *			if (ret)
 *				drm_gem_object_put(obj);
 *			return ret;
 *		}
 *
 *		return foo_mmap_native(obj, vma);
 *	}
 *
 * Forwarding is a compatibility feature. A mapping made through the importer
 * gives userspace no way to bracket CPU access, and maintainers have refused
 * to hide userspace that forgets to: see "CPU access" below. New userspace
 * should mmap() the dma-buf file directly.
 */

/**
 * DOC: Policy
 *
 * Whether an imported object may be mapped through its importer is decided
 * by drm_gem_forward_allowed(), at mmap() time and wherever an offset is
 * handed out, for every path. The answer follows a policy that the kernel
 * builder picks with the DRM_GEM_MMAP_FORWARD choice in Kconfig:
 *
 * - never: every such mmap() fails with -EPERM;
 * - opt-in (the default): forward for drivers that set
 *   &drm_gem_object_funcs.forward_import_mmap for their imported objects,
 *   fail with -EPERM for the others;
 * - all: forward for every driver.
 *
 * The drm.gem_mmap_forward module parameter (on the kernel command line or
 * in /sys/module/drm/parameters/gem_mmap_forward) takes "never", "opt-in",
 * "all" or 0, 1, 2 and can only tighten the built-in policy: asking for more
 * than the kernel was built with fails with -EPERM. Reading it shows the
 * policy in force.
 *
 * Each forwarded or refused mapping is logged with drm_dbg_prime(), naming
 * the task, the exporter and the outcome; enable it with drm.debug=0x8 to
 * find userspace that maps imported buffers through the importer.
 *
 * An offset that userspace found by scanning the importer's offset space
 * gives nothing more than an offset the driver handed out: the decision is
 * taken again, and the read-only check made, when the mapping is created.
 */

/**
 * DOC: CPU access
 *
 * A forwarded mapping is the exporter's mapping, with the exporter's caching
 * attributes, but the GEM handle has no ioctl to bracket CPU access. The
 * dma-buf file does: userspace must call DMA_BUF_IOCTL_SYNC with
 * DMA_BUF_SYNC_START before and DMA_BUF_SYNC_END after CPU access, on the
 * dma-buf file of the buffer. For an imported handle that file is easy to
 * get back: DRM_IOCTL_PRIME_HANDLE_TO_FD on the imported handle returns the
 * original dma-buf, not a new export. On coherent hardware the calls cost
 * little and on non-coherent hardware they are required, so userspace should
 * always make them.
 */

static int drm_gem_forward_limit = CONFIG_DRM_GEM_MMAP_FORWARD_DEFAULT;

static const char * const drm_gem_forward_names[] = {
	[DRM_GEM_FORWARD_NEVER] = "never",
	[DRM_GEM_FORWARD_OPT_IN] = "opt-in",
	[DRM_GEM_FORWARD_ALL] = "all",
};

/**
 * drm_gem_forward_policy - the forwarding policy in force
 *
 * Returns:
 * The built-in policy, or the stricter one set with drm.gem_mmap_forward.
 */
enum drm_gem_forward_policy drm_gem_forward_policy(void)
{
	return READ_ONCE(drm_gem_forward_limit);
}
EXPORT_SYMBOL_GPL(drm_gem_forward_policy);

/**
 * drm_gem_forward_policy_name - name of a forwarding policy
 * @policy: the policy
 *
 * Returns:
 * "never", "opt-in" or "all", as accepted by drm.gem_mmap_forward, or
 * "invalid" for a value outside &enum drm_gem_forward_policy.
 */
const char *drm_gem_forward_policy_name(enum drm_gem_forward_policy policy)
{
	if ((unsigned int)policy >= ARRAY_SIZE(drm_gem_forward_names))
		return "invalid";

	return drm_gem_forward_names[policy];
}
EXPORT_SYMBOL_GPL(drm_gem_forward_policy_name);

/**
 * drm_gem_forward_set_policy - tighten the forwarding policy
 * @policy: the new policy
 *
 * Sets the policy in force, as the drm.gem_mmap_forward parameter does.
 * Mappings that already exist are not affected.
 *
 * Returns:
 * 0 on success, -EINVAL if @policy is not a policy, or -EPERM if it is more
 * permissive than the policy the kernel was built with.
 */
int drm_gem_forward_set_policy(enum drm_gem_forward_policy policy)
{
	if ((unsigned int)policy >= ARRAY_SIZE(drm_gem_forward_names))
		return -EINVAL;
	if (policy > CONFIG_DRM_GEM_MMAP_FORWARD_DEFAULT)
		return -EPERM;

	WRITE_ONCE(drm_gem_forward_limit, policy);

	return 0;
}
EXPORT_SYMBOL_GPL(drm_gem_forward_set_policy);

/* Parse "never", "opt-in", "all" or a number for drm.gem_mmap_forward. */
static int drm_gem_forward_param_set(const char *val,
				     const struct kernel_param *kp)
{
	int policy;

	policy = sysfs_match_string(drm_gem_forward_names, val);
	if (policy < 0 && kstrtoint(val, 0, &policy))
		return -EINVAL;

	return drm_gem_forward_set_policy(policy);
}

/* Show the policy in force by name. */
static int drm_gem_forward_param_get(char *buffer,
				     const struct kernel_param *kp)
{
	return scnprintf(buffer, PAGE_SIZE, "%s\n",
			 drm_gem_forward_policy_name(drm_gem_forward_policy()));
}

static const struct kernel_param_ops drm_gem_forward_param_ops = {
	.set = drm_gem_forward_param_set,
	.get = drm_gem_forward_param_get,
};

module_param_cb(gem_mmap_forward, &drm_gem_forward_param_ops, NULL, 0644);
MODULE_PARM_DESC(gem_mmap_forward,
		 "mmap() of imported dma-bufs through the importer: never, opt-in or all (0-2); can only tighten the built-in policy");

/**
 * drm_gem_forward_allowed - may an imported object be mapped through its importer
 * @obj: GEM object
 *
 * Answers, for the policy in force (see "Policy" above), whether mmap() of
 * @obj through the importing driver's file may be forwarded to the
 * exporter. Every path that hands out an mmap offset for an imported object
 * or maps one asks this question; drm_gem_forward_mmap() asks it again when
 * the mapping is made.
 *
 * Returns:
 * True if @obj is imported and the policy allows forwarding its mappings,
 * false otherwise.
 */
bool drm_gem_forward_allowed(const struct drm_gem_object *obj)
{
	if (!drm_gem_is_imported(obj))
		return false;

	switch (drm_gem_forward_policy()) {
	case DRM_GEM_FORWARD_ALL:
		return true;
	case DRM_GEM_FORWARD_OPT_IN:
		return obj->funcs->forward_import_mmap;
	default:
		return false;
	}
}
EXPORT_SYMBOL_GPL(drm_gem_forward_allowed);

/* Log who mapped which imported buffer, and what came of it. */
static void drm_gem_forward_log(const struct drm_gem_object *obj,
				const struct dma_buf *dmabuf,
				const struct vm_area_struct *vma,
				const char *outcome, int ret)
{
	drm_dbg_prime(obj->dev,
		      "%s[%d]: mmap of imported %s dma-buf %lu (%lu bytes, %s): %s (%d)\n",
		      current->comm, task_pid_nr(current), dmabuf->exp_name,
		      file_inode(dmabuf->file)->i_ino,
		      vma->vm_end - vma->vm_start,
		      vma->vm_flags & VM_WRITE ? "rw" : "ro", outcome, ret);
}

/* The page offset into the dma-buf: the VMA's offset past the node's start. */
static int drm_gem_forward_pgoff(const struct drm_vma_offset_node *node,
				 const struct vm_area_struct *vma,
				 unsigned long *pgoff)
{
	unsigned long start = drm_vma_node_start(node);

	if (vma->vm_pgoff < start)
		return -EINVAL;

	*pgoff = vma->vm_pgoff - start;

	return 0;
}

/**
 * drm_gem_forward_mmap_node - forward mmap() of an imported GEM object to its exporter
 * @obj: imported GEM object
 * @node: the offset node the VMA's offset was looked up in
 * @vma: VMA being set up by mmap() on the importing driver's file
 *
 * Maps @obj by handing @vma to the exporter of its dma-buf with
 * dma_buf_mmap(), if drm_gem_forward_allowed() says so. &vm_area_struct.vm_pgoff
 * may point anywhere inside @node: the offset into the dma-buf is computed
 * from the node's start, so drivers that look nodes up with
 * drm_vma_offset_lookup_locked() can map part of an object, and drivers that
 * give an object several nodes (i915 has one per mmap type) pass the one
 * they found; drivers that use &drm_gem_object.vma_node call
 * drm_gem_forward_mmap(). On success the VMA belongs to the exporter: its
 * file is the dma-buf file, its &vm_area_struct.vm_ops are the exporter's
 * (or none), and VM_DONTEXPAND is set whatever the exporter did.
 *
 * Access is checked against the dma-buf, not the DRM file: if the dma-buf
 * file was not opened for writing (a PRIME export without DRM_RDWR), a
 * writable mapping is refused and VM_MAYWRITE is cleared, so mprotect()
 * cannot make the mapping writable later. Private mappings that could be
 * written (copy-on-write) are refused, as for native GEM objects.
 *
 * Reference contract: the caller holds a reference on @obj for the VMA, the
 * one drm_gem_mmap_obj() takes and that &drm_gem_object_funcs.vm_ops would
 * drop in their close callback. The importer's vm_ops never run on a
 * forwarded VMA, so on success this function drops that reference itself;
 * the mapping keeps the dma-buf, not the GEM object, alive. On failure the
 * reference is left to the caller, who drops it on its error path. Drivers
 * with their own mmap path take the reference, call this function and put
 * the reference only if it fails. A failure leaves every count as it was:
 * the GEM object's, the dma-buf file's and the DRM file's.
 *
 * Must be called from the &file_operations.mmap path, with the mmap lock
 * held for writing and without the dma-buf's reservation lock, which the
 * exporter may take.
 *
 * Returns:
 * 0 on success; -EPERM if the policy does not allow forwarding @obj;
 * -EINVAL for a copy-on-write mapping, an offset before @node or a range
 * past the end of the dma-buf, or when the exporter cannot mmap;
 * -EACCES for a writable mapping of a read-only dma-buf; -EOVERFLOW if the
 * range overflows; or the exporter's error.
 */
int drm_gem_forward_mmap_node(struct drm_gem_object *obj,
			      const struct drm_vma_offset_node *node,
			      struct vm_area_struct *vma)
{
	struct dma_buf *dmabuf;
	unsigned long pgoff;
	const char *outcome;
	int ret;

	if (drm_WARN_ON_ONCE(obj->dev, !drm_gem_is_imported(obj)))
		return -EINVAL;

	dmabuf = obj->import_attach->dmabuf;
	mmap_assert_write_locked(vma->vm_mm);
	lockdep_assert_not_held(&dmabuf->resv->lock.base);

	if (!drm_gem_forward_allowed(obj)) {
		ret = -EPERM;
		outcome = drm_gem_forward_policy() == DRM_GEM_FORWARD_NEVER ?
			  "refused by policy never" :
			  "refused by policy opt-in, driver not opted in";
		goto out;
	}

	if (is_cow_mapping(vma->vm_flags)) {
		ret = -EINVAL;
		outcome = "refused, private mapping";
		goto out;
	}

	if (!(dmabuf->file->f_mode & FMODE_WRITE)) {
		if (vma->vm_flags & VM_WRITE) {
			ret = -EACCES;
			outcome = "refused, read-only dma-buf";
			goto out;
		}
		vm_flags_clear(vma, VM_MAYWRITE);
	}

	ret = drm_gem_forward_pgoff(node, vma, &pgoff);
	if (ret) {
		outcome = "refused, offset before the node";
		goto out;
	}

	vma->vm_private_data = NULL;
	vma->vm_ops = NULL;

	ret = dma_buf_mmap(dmabuf, vma, pgoff);
	if (ret) {
		outcome = "exporter refused";
		goto out;
	}

	vm_flags_set(vma, VM_DONTEXPAND);
	drm_gem_forward_log(obj, dmabuf, vma, "forwarded", 0);

	/* The VMA is the exporter's now: drop the mmap path's reference. */
	drm_gem_object_put(obj);

	return 0;

out:
	drm_gem_forward_log(obj, dmabuf, vma, outcome, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(drm_gem_forward_mmap_node);

/**
 * drm_gem_forward_mmap - forward mmap() of an imported GEM object to its exporter
 * @obj: imported GEM object
 * @vma: VMA being set up by mmap() on the importing driver's file
 *
 * drm_gem_forward_mmap_node() for a VMA whose offset lies in the object's
 * own offset node, &drm_gem_object.vma_node, as for drm_gem_mmap() and
 * drm_gem_mmap_obj(), which call it for every imported object. The
 * reference contract and the checks are those of
 * drm_gem_forward_mmap_node().
 *
 * Returns:
 * 0 on success or a negative error code, as drm_gem_forward_mmap_node().
 */
int drm_gem_forward_mmap(struct drm_gem_object *obj,
			 struct vm_area_struct *vma)
{
	return drm_gem_forward_mmap_node(obj, &obj->vma_node, vma);
}
EXPORT_SYMBOL_GPL(drm_gem_forward_mmap);
