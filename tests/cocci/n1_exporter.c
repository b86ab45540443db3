// Not a forward: an exporter's own dma-buf mmap at the VMA's offset, and
// a refusal. Patch mode leaves both alone.
static int foo_dmabuf_mmap(struct dma_buf *dmabuf, struct vm_area_struct *vma)
{
	struct foo_buf *buf = dmabuf->priv;

	return dma_buf_mmap(buf->parent, vma, vma->vm_pgoff);
}

static int qux_gem_object_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	if (obj->import_attach)
		return -EINVAL;

	return qux_map(obj, vma);
}
