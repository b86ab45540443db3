// The object functions' .mmap dispatches to per-object ops, none of which
// forwards imported objects: no opt-in. Report mode says what to check.
static int foo_gem_shmem_mmap_obj(struct foo_gem_object *foo_obj,
				  struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_page_prot = vma_get_page_prot(vma);

	return 0;
}

static int foo_gem_userptr_mmap_obj(struct foo_gem_object *foo_obj,
				    struct vm_area_struct *vma)
{
	return -EINVAL;
}

static const struct foo_gem_ops foo_gem_shmem_ops = {
	.get_pages = foo_gem_shmem_get_pages,
	.mmap = foo_gem_shmem_mmap_obj,
};

static const struct foo_gem_ops foo_gem_userptr_ops = {
	.get_pages = foo_gem_userptr_get_pages,
	.mmap = foo_gem_userptr_mmap_obj,
};

static int foo_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	struct foo_gem_object *foo_obj = to_foo_bo(obj);

	return foo_obj->ops->mmap(foo_obj, vma);
}

static const struct drm_gem_object_funcs foo_gem_object_funcs = {
	.free = foo_gem_free_object,
	.mmap = foo_gem_mmap,
	.vm_ops = &foo_vm_ops,
};
