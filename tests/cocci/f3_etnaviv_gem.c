// F3's other half on its own: the GEM mmap callback dispatches to the
// per-object ops, but no op in this file forwards, so no opt-in here (see
// f3_etnaviv_unit.c for both halves given together); report mode says so.
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
