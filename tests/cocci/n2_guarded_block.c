// Not exactly a forward: the guarded block also refuses objects without
// CPU access and takes the object's lock, or maps another buffer. Patch
// mode leaves all of it alone and does not opt the object functions in;
// report mode lists the calls.
static int foo_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	struct foo_bo *bo = to_foo_bo(obj);
	int ret;

	if (obj->import_attach) {
		if (!(bo->flags & FOO_BO_CPU_ACCESS))
			return -EPERM;

		mutex_lock(&bo->lock);
		vma->vm_private_data = NULL;
		vma->vm_ops = NULL;
		ret = dma_buf_mmap(obj->dma_buf, vma, 0);
		if (!ret)
			drm_gem_object_put(obj);
		mutex_unlock(&bo->lock);
		return ret;
	}

	return foo_mmap_native(bo, vma);
}

static int bar_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	struct bar_bo *bo = to_bar_bo(obj);
	int ret;

	if (drm_gem_is_imported(obj)) {
		vma->vm_private_data = NULL;
		vma->vm_ops = NULL;
		ret = dma_buf_mmap(bo->shadow->dma_buf, vma, 0);
		if (!ret)
			drm_gem_object_put(obj);
		return ret;
	}

	return bar_mmap_native(bo, vma);
}

static const struct drm_gem_object_funcs foo_gem_funcs = {
	.free = foo_gem_free,
	.mmap = foo_gem_mmap,
	.vm_ops = &foo_vm_ops,
};

static const struct drm_gem_object_funcs bar_gem_funcs = {
	.free = bar_gem_free,
	.mmap = bar_gem_mmap,
};
