// Not a forward that drm_gem_forward_mmap() can replace: nobody took a
// reference on the object for the VMA, and vm_pgoff is not the object's
// fake offset. An fbdev mmap that hands an imported framebuffer to the
// exporter, and a GEM mmap path that is not a drm_gem_object_funcs.mmap
// callback. Patch mode leaves both alone.
static int foo_fb_mmap(struct fb_info *info, struct vm_area_struct *vma)
{
	struct drm_fb_helper *helper = info->par;
	struct drm_gem_object *obj = drm_gem_fb_get_obj(helper->fb, 0);

	if (drm_gem_is_imported(obj))
		return dma_buf_mmap(obj->dma_buf, vma, 0);

	return fb_deferred_io_mmap(info, vma);
}

static const struct fb_ops foo_fb_ops = {
	.owner = THIS_MODULE,
	.fb_mmap = foo_fb_mmap,
};

static int foo_cursor_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	if (obj->import_attach)
		return dma_buf_mmap(obj->import_attach->dmabuf, vma, 0);

	return foo_cursor_map_native(obj, vma);
}

static int foo_cursor_file_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct foo_file *ffile = to_foo_file(filp);

	return foo_cursor_mmap(ffile->cursor, vma);
}
