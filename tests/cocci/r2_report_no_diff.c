// Report and context modes on a forward that patch mode converts: report
// mode prints the report and no diff (with or without --no-show-diff),
// context mode prints the forward as a context diff (r2_report_no_diff.context).
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
	}

	return foo_mmap_native(obj, vma);
}

static const struct drm_gem_object_funcs foo_gem_funcs = {
	.mmap = foo_gem_mmap,
};
