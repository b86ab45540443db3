// Not exactly a forward, in object functions' .mmap callbacks: a block
// that also logs, and the pre-2020 shmem shape that drops the reference
// before the exporter has taken the mapping (it puts even when
// dma_buf_mmap() fails). Patch mode leaves both alone, no opt-in.
static int foo_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	int ret;

	if (drm_gem_is_imported(obj)) {
		vma->vm_private_data = NULL;
		vma->vm_ops = NULL;
		ret = dma_buf_mmap(obj->dma_buf, vma, 0);
		if (!ret)
			drm_gem_object_put(obj);
		drm_dbg(obj->dev, "forwarded: %d\n", ret);
		return ret;
	}

	return foo_mmap_native(obj, vma);
}

static int bar_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	if (obj->import_attach) {
		/* Drop the reference drm_gem_mmap_obj() acquired.*/
		drm_gem_object_put(obj);
		vma->vm_private_data = NULL;

		return dma_buf_mmap(obj->dma_buf, vma, 0);
	}

	return bar_mmap_native(obj, vma);
}

static const struct drm_gem_object_funcs foo_gem_funcs = {
	.mmap = foo_gem_mmap,
};

static const struct drm_gem_object_funcs bar_gem_funcs = {
	.mmap = bar_gem_mmap,
};
