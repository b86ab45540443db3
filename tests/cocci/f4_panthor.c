// F4: panthor in 7.3, drm_gem_is_imported() on the callback's object, a
// local ret that stays in use; the object functions get the opt-in.
#include <drm/drm_file.h>
#include <drm/drm_gpuvm.h>
#include <drm/drm_managed.h>
#include <drm/drm_prime.h>
#include <drm/drm_print.h>

static int panthor_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	struct panthor_gem_object *bo = to_panthor_bo(obj);
	int ret;

	if (drm_gem_is_imported(obj)) {
		/* Reset both vm_ops and vm_private_data, so we don't end up with
		 * vm_ops pointing to our implementation if the dma-buf backend
		 * doesn't set those fields.
		 */
		vma->vm_private_data = NULL;
		vma->vm_ops = NULL;

		ret = dma_buf_mmap(obj->dma_buf, vma, 0);

		/* Drop the reference drm_gem_mmap_obj() acquired.*/
		if (!ret)
			drm_gem_object_put(obj);

		return ret;
	}

	if (vma_is_cow_mapping(vma))
		return -EINVAL;

	if (!refcount_inc_not_zero(&bo->cmap.mmap_count)) {
		dma_resv_lock(obj->resv, NULL);
		if (!refcount_inc_not_zero(&bo->cmap.mmap_count)) {
			refcount_set(&bo->cmap.mmap_count, 1);
			mutex_lock(&bo->base.gpuva.lock);
			panthor_gem_update_reclaim_state_locked(bo, NULL);
			mutex_unlock(&bo->base.gpuva.lock);
		}
		dma_resv_unlock(obj->resv);
	}

	vm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_page_prot = vma_get_page_prot(vma);
	if (should_map_wc(bo))
		vma->vm_page_prot = pgprot_writecombine(vma->vm_page_prot);

	return 0;
}

static const struct drm_gem_object_funcs panthor_gem_funcs = {
	.free = panthor_gem_free_object,
	.print_info = panthor_gem_print_info,
	.mmap = panthor_gem_mmap,
	.status = panthor_gem_status,
	.vm_ops = &panthor_gem_vm_ops,
};
