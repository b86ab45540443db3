/* SPDX-License-Identifier: GPL-2.0 OR MIT */

#ifndef __DRM_GEM_FORWARD_H__
#define __DRM_GEM_FORWARD_H__

#include <linux/types.h>

struct drm_gem_object;
struct drm_vma_offset_node;
struct vm_area_struct;

/**
 * enum drm_gem_forward_policy - which imported objects may be mapped
 *                               through their importer
 *
 * The values are ordered from the strictest to the most permissive. The
 * kernel configuration picks the built-in value; the drm.gem_forward
 * module parameter can lower it, never raise it.
 */
enum drm_gem_forward_policy {
	/**
	 * @DRM_GEM_FORWARD_NEVER: mmap() of an imported object through the
	 * importing driver's file always fails; userspace maps the dma-buf
	 * file instead.
	 */
	DRM_GEM_FORWARD_NEVER = 0,

	/**
	 * @DRM_GEM_FORWARD_OPT_IN: forward mmap() to the exporter for
	 * objects whose &drm_gem_object_funcs.gem_forward is set.
	 */
	DRM_GEM_FORWARD_OPT_IN = 1,

	/**
	 * @DRM_GEM_FORWARD_ALL: forward mmap() to the exporter also for
	 * imported objects of drivers that did not opt in, if the driver's
	 * &file_operations.mmap is drm_gem_mmap(); a driver with an mmap of
	 * its own that did not opt in is refused, since it may use the VMA
	 * after the core returns.
	 */
	DRM_GEM_FORWARD_ALL = 2,
};

enum drm_gem_forward_policy drm_gem_forward_get_policy(void);
const char *drm_gem_forward_policy_name(enum drm_gem_forward_policy policy);
bool drm_gem_forward_allowed(const struct drm_gem_object *obj);
int drm_gem_forward_mmap_node(struct drm_gem_object *obj,
			      const struct drm_vma_offset_node *node,
			      struct vm_area_struct *vma);
int drm_gem_forward_mmap(struct drm_gem_object *obj,
			 struct vm_area_struct *vma);

/* The parameter's logic, exported for its KUnit tests only. */
int drm_gem_forward_tighten(int *in_force, int policy);
int drm_gem_forward_parse_policy(const char *val);
int drm_gem_forward_load_policy(int *in_force, const char *val);

#endif /* __DRM_GEM_FORWARD_H__ */
