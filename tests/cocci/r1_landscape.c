// Report only: DMA-API mapping without an import check (the DMA helper,
// tegra), the same with a check (after this series' DMA helper patch),
// a blanket refusal at offset time, and TTM object functions.
int drm_gem_dma_mmap(struct drm_gem_dma_object *dma_obj, struct vm_area_struct *vma)
{
	struct drm_gem_object *obj = &dma_obj->base;

	vma->vm_pgoff -= drm_vma_node_start(&obj->vma_node);
	return dma_mmap_wc(dma_obj->base.dev->dev, vma, dma_obj->vaddr,
			   dma_obj->dma_addr, vma->vm_end - vma->vm_start);
}

int checked_dma_mmap(struct drm_gem_dma_object *dma_obj, struct vm_area_struct *vma)
{
	struct drm_gem_object *obj = &dma_obj->base;

	if (drm_gem_is_imported(obj))
		return drm_gem_forward_mmap(obj, vma);

	return dma_mmap_wc(obj->dev->dev, vma, dma_obj->vaddr,
			   dma_obj->dma_addr, vma->vm_end - vma->vm_start);
}

int foo_dumb_map_offset(struct drm_file *file, struct drm_device *dev,
			u32 handle, u64 *offset)
{
	struct drm_gem_object *obj;
	int ret;

	obj = drm_gem_object_lookup(file, handle);
	if (drm_gem_is_imported(obj)) {
		ret = -EINVAL;
		goto out;
	}
	ret = 0;
out:
	drm_gem_object_put(obj);
	return ret;
}

static const struct drm_gem_object_funcs amdgpu_gem_object_funcs = {
	.free = amdgpu_gem_object_free,
	.mmap = drm_gem_ttm_mmap,
};

static const struct drm_gem_object_funcs opted_ttm_funcs = {
	.mmap = drm_gem_ttm_mmap,
	.gem_forward = true,
};

static int foo_mmap_buffer(struct foo_bo *bo, struct vm_area_struct *vma)
{
	return dma_mmap_attrs(bo->dev, vma, bo->vaddr, bo->dma_addr,
			      vma->vm_end - vma->vm_start, bo->attrs);
}

static int foo_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	if (drm_gem_is_imported(obj))
		return drm_gem_forward_mmap(obj, vma);

	return foo_mmap_buffer(to_foo_bo(obj), vma);
}

static int radeon_gem_object_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	if (radeon_ttm_tt_has_userptr(obj))
		return -EPERM;

	return drm_gem_ttm_mmap(obj, vma);
}

static const struct drm_gem_object_funcs radeon_gem_object_funcs = {
	.mmap = radeon_gem_object_mmap,
};
