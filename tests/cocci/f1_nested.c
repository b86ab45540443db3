// F1 variations: drm_gem_is_imported() on a nested base, the attachment's
// dma-buf, a put without braces, ret returned directly.
static int foo_gem_mmap(struct drm_gem_object *gem, struct vm_area_struct *vma)
{
	struct foo_bo *bo = to_foo_bo(gem);
	int err;

	if (drm_gem_is_imported(&bo->base.base)) {
		vma->vm_private_data = NULL;
		vma->vm_ops = NULL;
		err = dma_buf_mmap(bo->base.base.import_attach->dmabuf, vma, 0);
		if (!err)
			drm_gem_object_put(&bo->base.base);
		return err;
	}

	return foo_mmap_native(bo, vma);
}

static int bar_gem_mmap(struct drm_gem_object *gem, struct vm_area_struct *vma)
{
	struct bar_bo *bo = to_bar_bo(gem);

	if (bo->base.import_attach) {
		int ret;

		vma->vm_ops = NULL;
		vma->vm_private_data = NULL;
		ret = dma_buf_mmap(bo->base.dma_buf, vma, 0);
		if (!ret) {
			drm_gem_object_put(&bo->base);
		}
		return ret;
	}

	return bar_mmap_native(bo, vma);
}

static const struct drm_gem_object_funcs foo_funcs = {
	.mmap = foo_gem_mmap,
};

static const struct drm_gem_object_funcs bar_funcs = {
	.free = bar_free,
	.mmap = bar_gem_mmap,
};
