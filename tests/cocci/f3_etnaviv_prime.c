// F3: an import-only op, put without reset (the etnaviv underflow).
#include <drm/drm_prime.h>
#include <linux/dma-buf.h>

static int etnaviv_gem_prime_mmap_obj(struct etnaviv_gem_object *etnaviv_obj,
		struct vm_area_struct *vma)
{
	int ret;

	ret = dma_buf_mmap(etnaviv_obj->base.dma_buf, vma, 0);
	if (!ret) {
		/* Drop the reference acquired by drm_gem_mmap_obj(). */
		drm_gem_object_put(&etnaviv_obj->base);
	}

	return ret;
}

static const struct etnaviv_gem_ops etnaviv_gem_prime_ops = {
	.release = etnaviv_gem_prime_release,
	.mmap = etnaviv_gem_prime_mmap_obj,
};
