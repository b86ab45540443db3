// Nothing to convert: the .mmap and a per-object op already call
// drm_gem_forward_mmap() without the opt-in, which leaves the decision to
// the policy. Patch mode opts in only object functions whose mmap code it
// converted, so it leaves both alone.
#include <drm/drm_gem_forward.h>
#include <drm/drm_prime.h>

static int foo_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	if (drm_gem_is_imported(obj))
		return drm_gem_forward_mmap(obj, vma);

	return foo_mmap_native(obj, vma);
}

static const struct drm_gem_object_funcs foo_gem_funcs = {
	.mmap = foo_gem_mmap,
};

static int bar_gem_prime_mmap_obj(struct bar_gem_object *bar_obj,
				  struct vm_area_struct *vma)
{
	return drm_gem_forward_mmap(&bar_obj->base, vma);
}

static const struct bar_gem_ops bar_gem_prime_ops = {
	.mmap = bar_gem_prime_mmap_obj,
};

static int bar_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	struct bar_gem_object *bar_obj = to_bar_bo(obj);

	return bar_obj->ops->mmap(bar_obj, vma);
}

static const struct drm_gem_object_funcs bar_gem_funcs = {
	.mmap = bar_gem_mmap,
};
