// F3's other half: the GEM mmap callback dispatches to the per-object
// ops, so its object functions get the opt-in.
static int etnaviv_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	struct etnaviv_gem_object *etnaviv_obj = to_etnaviv_bo(obj);

	return etnaviv_obj->ops->mmap(etnaviv_obj, vma);
}

static const struct drm_gem_object_funcs etnaviv_gem_object_funcs = {
	.free = etnaviv_gem_free_object,
	.mmap = etnaviv_gem_mmap,
	.vm_ops = &vm_ops,
};
