// Not GEM objects: a videobuf-style buffer and an import record with an
// import_attach of their own. Patch mode leaves them alone, even in a
// drm_gem_object_funcs.mmap callback, and even when the block has the
// forward's exact shape: spatch knows that b is a struct foo_vb *, so a
// drm_gem_object_put(b) (a wrapper macro's, say) does not make it a GEM
// object.
struct foo_vb {
	struct dma_buf_attachment *import_attach;
	struct dma_buf *dma_buf;
};

static int foo_vb_mmap(struct foo_vb *b, struct vm_area_struct *vma)
{
	int ret;

	if (b->import_attach) {
		vma->vm_private_data = NULL;
		vma->vm_ops = NULL;
		ret = dma_buf_mmap(b->dma_buf, vma, 0);
		if (!ret)
			foo_vb_put(b);
		return ret;
	}

	return foo_vb_mmap_native(b, vma);
}

static int foo_vb_mmap_exact(struct foo_vb *b, struct vm_area_struct *vma)
{
	int ret;

	if (b->import_attach) {
		vma->vm_private_data = NULL;
		vma->vm_ops = NULL;
		ret = dma_buf_mmap(b->dma_buf, vma, 0);
		if (!ret)
			drm_gem_object_put(b);
		return ret;
	}

	return foo_vb_mmap_native(b, vma);
}

static int foo_vb_mmap_import(struct foo_vb *b, struct vm_area_struct *vma)
{
	if (b->import_attach)
		return dma_buf_mmap(b->dma_buf, vma, 0);

	return -EINVAL;
}

static int foo_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	struct foo_bo *bo = to_foo_bo(obj);
	struct foo_import *imp = bo->imp;

	if (imp->import_attach)
		return dma_buf_mmap(imp->dma_buf, vma, 0);

	return foo_mmap_native(bo, vma);
}

static const struct drm_gem_object_funcs foo_gem_funcs = {
	.mmap = foo_gem_mmap,
};
