// Not converted: amdxdna (7.3) imports objects itself, without setting
// import_attach, so drm_gem_is_imported() is false and the helper would
// refuse them; the forward is also followed by an HMM registration and a
// prefault of the exporter's VMA. Report mode lists it for a manual look.
static int amdxdna_insert_pages(struct amdxdna_gem_obj *abo,
				struct vm_area_struct *vma)
{
	struct amdxdna_dev *xdna = to_xdna_dev(to_gobj(abo)->dev);
	unsigned long num_pages = vma_pages(vma);
	unsigned long offset = 0;
	int ret;

	if (!is_import_bo(abo)) {
		ret = drm_gem_shmem_mmap(&abo->base, vma);
		if (ret) {
			XDNA_ERR(xdna, "Failed shmem mmap %d", ret);
			return ret;
		}
	} else {
		vma->vm_private_data = NULL;
		vma->vm_ops = NULL;
		ret = dma_buf_mmap(abo->dma_buf, vma, 0);
		if (ret) {
			XDNA_ERR(xdna, "Failed to mmap dma buf %d", ret);
			return ret;
		}

		/* Drop the reference drm_gem_mmap_obj() acquired.*/
		drm_gem_object_put(to_gobj(abo));
	}

	do {
		vm_fault_t fault_ret;

		fault_ret = handle_mm_fault(vma, vma->vm_start + offset,
					    FAULT_FLAG_WRITE, NULL);
		if (fault_ret & VM_FAULT_ERROR) {
			amdxdna_mark_mapp_invalid(abo, vma);
			break;
		}

		offset += PAGE_SIZE;
	} while (--num_pages);

	return 0;
}

static int amdxdna_gem_obj_mmap(struct drm_gem_object *gobj,
				struct vm_area_struct *vma)
{
	struct amdxdna_gem_obj *abo = to_xdna_obj(gobj);
	int ret;

	ret = amdxdna_hmm_register(abo, vma);
	if (ret)
		return ret;

	ret = amdxdna_insert_pages(abo, vma);
	if (ret)
		goto hmm_unreg;

	return 0;

hmm_unreg:
	amdxdna_hmm_unregister(abo, vma);
	return ret;
}

static const struct drm_gem_object_funcs amdxdna_gem_shmem_funcs = {
	.free = amdxdna_gem_obj_free,
	.mmap = amdxdna_gem_obj_mmap,
	.vm_ops = &drm_gem_shmem_vm_ops,
};
