// Forwards with an else branch: not the shapes the conversion knows, so
// patch mode leaves them alone (no opt-in) and report mode lists them to
// convert by hand.
static int foo_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	int ret;

	if (drm_gem_is_imported(obj)) {
		vma->vm_private_data = NULL;
		vma->vm_ops = NULL;
		ret = dma_buf_mmap(obj->dma_buf, vma, 0);
		if (!ret)
			drm_gem_object_put(obj);
		return ret;
	} else {
		ret = foo_mmap_native(obj, vma);
	}

	return ret;
}

static int bar_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	if (obj->import_attach)
		return dma_buf_mmap(obj->dma_buf, vma, 0);
	else
		return bar_native(obj, vma);
}

static const struct drm_gem_object_funcs foo_gem_funcs = {
	.mmap = foo_gem_mmap,
};
static const struct drm_gem_object_funcs bar_gem_funcs = {
	.mmap = bar_gem_mmap,
};
