// X.import_attach on a member whose type spatch knows: converted only when
// the member is a struct drm_gem_object. foo_buf's base is not, so its
// block is left alone although it has the forward's exact shape; bar_bo's
// base is, so its forward is converted and its object functions opted in.
struct foo_base {
	struct dma_buf_attachment *import_attach;
	struct dma_buf *dma_buf;
};

struct foo_buf {
	struct foo_base base;
};

struct bar_bo {
	struct drm_gem_object base;
};

static int foo_buf_mmap(struct foo_buf *b, struct vm_area_struct *vma)
{
	int ret;

	if (b->base.import_attach) {
		vma->vm_private_data = NULL;
		vma->vm_ops = NULL;
		ret = dma_buf_mmap(b->base.dma_buf, vma, 0);
		if (!ret)
			drm_gem_object_put(&b->base);
		return ret;
	}

	return foo_buf_mmap_native(b, vma);
}

static int bar_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	struct bar_bo *bo = to_bar_bo(obj);
	int ret;

	if (bo->base.import_attach) {
		vma->vm_private_data = NULL;
		vma->vm_ops = NULL;
		ret = dma_buf_mmap(bo->base.dma_buf, vma, 0);
		if (!ret)
			drm_gem_object_put(&bo->base);
		return ret;
	}

	return bar_mmap_native(bo, vma);
}

static const struct drm_gem_object_funcs bar_gem_funcs = {
	.mmap = bar_gem_mmap,
};
