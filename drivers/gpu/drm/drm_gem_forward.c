// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The drm-gem-forward authors
 */

#include <linux/dma-buf.h>
#include <linux/dma-resv.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/string.h>

#include <kunit/static_stub.h>
#include <kunit/visibility.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
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
 * from the object's offset node, leaves private mappings to the exporter
 * as mmap() of the dma-buf file does, keeps VM_DONTEXPAND set, and drops
 * the reference the mmap path took for the VMA only once the exporter has
 * taken the mapping over.
 *
 * drm_gem_mmap_obj() calls it for every imported object, so drivers that use
 * drm_gem_mmap() get it without writing any code; drivers with their own
 * mmap path call it themselves, as in::
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
 * by drm_gem_forward_allowed() when the mapping is made, on the paths that
 * reach this helper: drm_gem_mmap() and drm_gem_mmap_obj() for every
 * imported object, and the mmap paths of drivers that call
 * drm_gem_forward_mmap() or drm_gem_forward_mmap_node() themselves (the DMA
 * helper's drm_gem_dma_mmap(), i915's WB and FIXED mmap types).
 * Two paths that hand out offsets ask it too, and hand out none for an
 * imported object it refuses: drm_gem_dumb_map_offset(), the
 * DRM_IOCTL_MODE_MAP_DUMB of most drivers, and i915's CPU mmap offsets.
 * The others do not ask: drm_gem_ttm_dumb_map_offset(), the dumb map
 * offsets of amdgpu, radeon and omapdrm, and driver ioctls that hand out
 * offsets for any object (VC4_MMAP_BO, PANFROST_MMAP_BO, MSM_GEM_INFO, ...);
 * a mapping at such an offset is decided when it is made, like any other.
 * Mappings that a driver makes without reaching this helper are not
 * covered: i915's GTT mmaps of imported objects go through its aperture as
 * they always have, and drivers whose imports do not set
 * &drm_gem_object.import_attach (amdxdna; tegra without an IOMMU domain)
 * are not seen as imports. The policy is chosen by the kernel builder with
 * the DRM_GEM_FORWARD choice in Kconfig:
 *
 * - never: every such mmap() fails with -EPERM;
 * - opt-in (the default): forward for drivers that set
 *   &drm_gem_object_funcs.gem_forward for their imported objects,
 *   fail with -EPERM for the others;
 * - all: forward for the drivers that opted in and for every driver whose
 *   &file_operations.mmap is drm_gem_mmap(); fail with -EPERM for a driver
 *   with an mmap of its own that did not opt in, since it may use the VMA
 *   after the core returns (tegra does), and a forwarded VMA is the
 *   exporter's.
 *
 * KUnit's drm_gem_forward_test_policy checks these answers for each policy,
 * at the dumb map offset and at mmap(), including a driver whose mmap wraps
 * drm_gem_mmap() and uses the VMA afterwards.
 *
 * The drm.gem_forward module parameter takes "never", "opt-in", "all"
 * or 0, 1, 2, and can only tighten the policy in force. Written at run time
 * (/sys/module/drm/parameters/gem_forward), a value more permissive
 * than the policy in force fails with -EPERM. Given while DRM loads (on the
 * kernel command line, or to modprobe), a value more permissive than the
 * built-in policy is clamped to it and a value that is no policy is
 * ignored, each with a warning naming both values, so that DRM still loads.
 * No value loosens the policy in force, on either path: a lockdown made at
 * boot or by an init script holds until DRM is unloaded, and loading DRM
 * as a module again starts from the built-in policy and the options
 * modprobe passes. While DRM as a module is still loading (its parameter
 * file exists from before its init runs until its init returns), a write
 * to the file is taken as a value given at load: a more permissive value
 * is clamped with the warning, a value that is no policy ignored with one,
 * and the write returns 0, not -EPERM or -EINVAL; built in, the same holds
 * for a write before the system is running, which only a usermode helper
 * could make. Reading the parameter shows the policy in force. KUnit's
 * drm_gem_forward_test_set_policy checks the rules each path applies
 * (which path a write takes is not tested); tests never change the policy
 * in force.
 *
 * Each mapping that reaches drm_gem_forward_mmap_node() is logged with
 * drm_dbg_prime(), forwarded or refused, naming the task, the exporter and
 * the outcome; enable it with drm.debug=0x8 to find userspace that maps
 * imported buffers through the importer. Offsets refused by
 * drm_gem_dumb_map_offset() are not logged.
 *
 * An offset that userspace found by scanning the importer's offset space
 * gives nothing more than an offset the driver handed out: the decision is
 * taken again when the mapping is created.
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

/* The policy in force: the built-in one, or a stricter one set later. */
static int drm_gem_forward_in_force = CONFIG_DRM_GEM_FORWARD_DEFAULT;

static const char * const drm_gem_forward_names[] = {
	[DRM_GEM_FORWARD_NEVER] = "never",
	[DRM_GEM_FORWARD_OPT_IN] = "opt-in",
	[DRM_GEM_FORWARD_ALL] = "all",
};

/**
 * drm_gem_forward_get_policy - the forwarding policy in force
 *
 * Returns:
 * The built-in policy, or the stricter one set with drm.gem_forward.
 */
enum drm_gem_forward_policy drm_gem_forward_get_policy(void)
{
	KUNIT_STATIC_STUB_REDIRECT(drm_gem_forward_get_policy);

	return READ_ONCE(drm_gem_forward_in_force);
}
EXPORT_SYMBOL_GPL(drm_gem_forward_get_policy);

/**
 * drm_gem_forward_policy_name - name of a forwarding policy
 * @policy: the policy
 *
 * Returns:
 * "never", "opt-in" or "all", as accepted by drm.gem_forward, or
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
 * drm_gem_forward_tighten - tighten a policy variable
 * @in_force: the policy variable
 * @policy: the new policy
 *
 * Sets *@in_force to @policy if @policy is at most as permissive as the
 * policy *@in_force holds, atomically against concurrent writers, so that a
 * policy can only ever be tightened. drm_gem_forward_set_policy() applies it
 * to the policy in force; tests apply it to a variable of their own.
 *
 * Returns:
 * 0 on success, -EINVAL if @policy is not a policy, or -EPERM if it is more
 * permissive than *@in_force.
 */
int drm_gem_forward_tighten(int *in_force, int policy)
{
	int old = READ_ONCE(*in_force);

	if ((unsigned int)policy >= ARRAY_SIZE(drm_gem_forward_names))
		return -EINVAL;

	do {
		if (policy > old)
			return -EPERM;
	} while (!try_cmpxchg(in_force, &old, policy));

	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(drm_gem_forward_tighten);

/**
 * drm_gem_forward_set_policy - tighten the forwarding policy
 * @policy: the new policy
 *
 * Sets the policy in force, as a write to the drm.gem_forward
 * parameter at run time does. The policy can only be tightened: relative to
 * the policy in force, not only to the built-in one, so that a lockdown made
 * at boot or by an init script cannot be undone while DRM is loaded.
 * Mappings that already exist are not affected.
 *
 * Returns:
 * 0 on success, -EINVAL if @policy is not a policy, or -EPERM if it is more
 * permissive than the policy in force.
 */
static int drm_gem_forward_set_policy(enum drm_gem_forward_policy policy)
{
	return drm_gem_forward_tighten(&drm_gem_forward_in_force, policy);
}

/**
 * drm_gem_forward_parse_policy - parse a value of drm.gem_forward
 * @val: "never", "opt-in", "all" or 0, 1, 2, with an optional newline
 *
 * Returns:
 * The policy, or -EINVAL if @val names none.
 */
int drm_gem_forward_parse_policy(const char *val)
{
	int policy;

	policy = sysfs_match_string(drm_gem_forward_names, val);
	if (policy >= 0)
		return policy;
	if (kstrtoint(val, 0, &policy) ||
	    (unsigned int)policy >= ARRAY_SIZE(drm_gem_forward_names))
		return -EINVAL;

	return policy;
}
EXPORT_SYMBOL_IF_KUNIT(drm_gem_forward_parse_policy);

/*
 * Whether the parameter is being set while DRM loads (the kernel command
 * line for built-in DRM, modprobe's arguments and options for the module)
 * rather than by a write to sysfs. parse_args() runs while the module is
 * MODULE_STATE_COMING; a write while it is going away takes the run-time
 * path.
 */
static bool drm_gem_forward_param_at_load(void)
{
#ifdef MODULE
	return READ_ONCE(THIS_MODULE->state) == MODULE_STATE_COMING;
#else
	return system_state < SYSTEM_RUNNING;
#endif
}

/**
 * drm_gem_forward_load_policy - apply drm.gem_forward as DRM loads
 * @in_force: the policy variable
 * @val: the parameter's value
 *
 * A value given when DRM loads must not keep DRM from loading: a parameter
 * error would fail the module's load, or, built in, make the kernel ignore
 * the value with a misleading message. So a value more permissive than
 * *@in_force is clamped to it, and a value that is no policy leaves it,
 * each with a warning that names both values.
 *
 * Returns:
 * 0, always.
 */
int drm_gem_forward_load_policy(int *in_force, const char *val)
{
	int policy = drm_gem_forward_parse_policy(val);
	int old = READ_ONCE(*in_force);

	if (policy < 0) {
		pr_warn("drm: gem_forward=%s is not a policy (never, opt-in, all), keeping %s\n",
			val, drm_gem_forward_policy_name(old));
		return 0;
	}
	if (drm_gem_forward_tighten(in_force, policy) == -EPERM)
		pr_warn("drm: gem_forward=%s asks for more than the policy in force, %s: keeping %s\n",
			drm_gem_forward_policy_name(policy),
			drm_gem_forward_policy_name(old),
			drm_gem_forward_policy_name(old));

	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(drm_gem_forward_load_policy);

/* drm.gem_forward: clamped while DRM loads, -EPERM to loosen later. */
static int drm_gem_forward_param_set(const char *val,
				     const struct kernel_param *kp)
{
	int policy;

	if (drm_gem_forward_param_at_load())
		return drm_gem_forward_load_policy(&drm_gem_forward_in_force,
						   val);

	policy = drm_gem_forward_parse_policy(val);
	if (policy < 0)
		return policy;

	return drm_gem_forward_set_policy(policy);
}

/* Show the policy in force by name. */
static int drm_gem_forward_param_get(char *buffer,
				     const struct kernel_param *kp)
{
	return scnprintf(buffer, PAGE_SIZE, "%s\n",
			 drm_gem_forward_policy_name(drm_gem_forward_get_policy()));
}

static const struct kernel_param_ops drm_gem_forward_param_ops = {
	.set = drm_gem_forward_param_set,
	.get = drm_gem_forward_param_get,
};

module_param_cb(gem_forward, &drm_gem_forward_param_ops, NULL, 0644);
MODULE_PARM_DESC(gem_forward,
		 "mmap() of imported dma-bufs through the importer: never, opt-in or all (0-2); can only tighten the policy in force");

/*
 * Whether DRM's own drm_gem_mmap() is the driver's mmap. A driver with an
 * mmap of its own may use the VMA after drm_gem_mmap() or drm_gem_mmap_obj()
 * returns: tegra_drm_mmap() maps vma->vm_private_data as its own object,
 * which a forwarded VMA's is not (NULL, or the exporter's). Only a driver
 * that opted in has said that it does not, so policy all forwards for the
 * others only if nothing of theirs runs after the core.
 */
static bool drm_gem_forward_core_mmap(const struct drm_device *dev)
{
	return dev->driver->fops && dev->driver->fops->mmap == drm_gem_mmap;
}

/* drm_gem_forward_allowed() for a policy read once by the caller. */
static bool drm_gem_forward_allowed_by(const struct drm_gem_object *obj,
				       enum drm_gem_forward_policy policy)
{
	if (!drm_gem_is_imported(obj))
		return false;

	switch (policy) {
	case DRM_GEM_FORWARD_ALL:
		return obj->funcs->gem_forward ||
		       drm_gem_forward_core_mmap(obj->dev);
	case DRM_GEM_FORWARD_OPT_IN:
		return obj->funcs->gem_forward;
	default:
		return false;
	}
}

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
	return drm_gem_forward_allowed_by(obj, drm_gem_forward_get_policy());
}
EXPORT_SYMBOL_GPL(drm_gem_forward_allowed);

/* Why @policy refuses an object, for the log. */
static const char *drm_gem_forward_refusal(enum drm_gem_forward_policy policy)
{
	switch (policy) {
	case DRM_GEM_FORWARD_ALL:
		return "refused by policy all, driver has its own mmap and did not opt in";
	case DRM_GEM_FORWARD_OPT_IN:
		return "refused by policy opt-in, driver not opted in";
	default:
		return "refused by policy never";
	}
}

/* Log who mapped which imported buffer, and what came of it. */
static void drm_gem_forward_log(const struct drm_gem_object *obj,
				const struct dma_buf *dmabuf,
				const struct vm_area_struct *vma,
				const char *outcome, int ret)
{
	drm_dbg_prime(obj->dev,
		      "%s[%d]: mmap of imported %s dma-buf %llu (%lu bytes, %s): %s (%d)\n",
		      current->comm, task_pid_nr(current), dmabuf->exp_name,
		      (unsigned long long)file_inode(dmabuf->file)->i_ino,
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
 * Private (copy-on-write) mappings are handed to the exporter like shared
 * ones, which accepts or refuses them as it does for mmap() of the dma-buf
 * file: the forwarding code that drivers had before this helper forwarded
 * them too (KUnit: drm_gem_forward_test_private).
 *
 * Reference contract: the caller holds a reference on @obj for the VMA, the
 * one drm_gem_mmap_obj() takes and that &drm_gem_object_funcs.vm_ops would
 * drop in their close callback. The importer's vm_ops never run on a
 * forwarded VMA, so on success this function drops that reference itself;
 * the mapping keeps the dma-buf, not the GEM object, alive. On failure the
 * reference is left to the caller, who drops it on its error path. Drivers
 * with their own mmap path take the reference, call this function and put
 * the reference only if it fails. If the exporter's mmap fails,
 * dma_buf_mmap() has already made the dma-buf file the VMA's file and
 * changed &vm_area_struct.vm_pgoff; mmap_region() puts whichever file the
 * VMA holds when the mmap callback fails, so the GEM object's, the dma-buf
 * file's and the DRM file's counts are back where they were once mmap()
 * returns. A caller outside the mmap path must do the same.
 *
 * Must be called from the &file_operations.mmap path, with the mmap lock
 * held for writing and without the dma-buf's reservation lock, which the
 * exporter may take.
 *
 * Returns:
 * 0 on success; -EPERM if the policy does not allow forwarding @obj;
 * -EINVAL for an offset before @node or a range
 * past the end of the dma-buf, or when the exporter cannot mmap;
 * -EOVERFLOW if the range overflows; or the exporter's error.
 */
int drm_gem_forward_mmap_node(struct drm_gem_object *obj,
			      const struct drm_vma_offset_node *node,
			      struct vm_area_struct *vma)
{
	enum drm_gem_forward_policy policy;
	struct dma_buf *dmabuf;
	unsigned long pgoff;
	const char *outcome;
	int ret;

	if (drm_WARN_ON_ONCE(obj->dev, !drm_gem_is_imported(obj)))
		return -EINVAL;

	/*
	 * The attachment's dma-buf, not &drm_gem_object.dma_buf: that one is
	 * not set for objects imported in the kernel and is cleared when the
	 * last handle goes, while the attachment lives as long as the import.
	 * (A 2025 conversion of such uses to obj->dma_buf was reverted for
	 * this reason.)
	 */
	dmabuf = obj->import_attach->dmabuf;
	mmap_assert_write_locked(vma->vm_mm);
	/*
	 * The exporter may take the reservation lock: the counterpart of
	 * dma_resv_assert_held().
	 */
	lockdep_assert_not_held(&dmabuf->resv->lock.base);

	policy = drm_gem_forward_get_policy();
	if (!drm_gem_forward_allowed_by(obj, policy)) {
		ret = -EPERM;
		outcome = drm_gem_forward_refusal(policy);
		goto out;
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
