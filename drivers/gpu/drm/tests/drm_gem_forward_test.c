// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit test suite for forwarding mmap() of imported GEM objects
 *
 * The cases map for real: a dma-buf exporter defined here, with real pages
 * and a real mmap, is imported into a DRM device with the shmem helpers,
 * and the import is mapped with vm_mmap() through a DRM file, as userspace
 * would map it through the importer's DRM fd.
 *
 * Copyright (C) 2026 The drm-gem-forward authors
 */

#include <linux/completion.h>
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>

#include <kunit/static_stub.h>
#include <kunit/test.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_dma_helper.h>
#include <drm/drm_gem_forward.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_kunit_helpers.h>
#include <drm/drm_prime.h>
#include <drm/drm_vma_manager.h>

#define TEST_PAGES	4
#define TEST_SIZE	(TEST_PAGES * PAGE_SIZE)

/* How the test exporter behaves. */
enum drm_gem_forward_test_exporter {
	/* Installs vm_ops whose open and close are counted. */
	EXPORTER_VM_OPS,
	/*
	 * Installs no vm_ops and sets no VMA flags. No in-tree exporter does
	 * both (the system heap's remap_pfn_range() sets VM_DONTEXPAND), so
	 * only this one shows that the helper sets VM_DONTEXPAND itself.
	 */
	EXPORTER_NO_VM_OPS,
	/* Its mmap fails. */
	EXPORTER_MMAP_FAILS,
	/* Has no mmap at all. */
	EXPORTER_NO_MMAP,
	/* Installs its vm_ops, maps the pages, then fails. */
	EXPORTER_MMAP_FAILS_LATE,
};

/* How the importing DRM driver maps its objects. */
enum drm_gem_forward_test_importer {
	/* Shmem helper object functions: opted in to forwarding. */
	IMPORTER_OPTED_IN,
	/* Shmem helper object functions without the opt-in. */
	IMPORTER_NOT_OPTED_IN,
	/* Opted in, with an own mmap path using a non-exact offset lookup. */
	IMPORTER_OWN_MMAP,
	/* DMA helper object functions, mapped through drm_gem_mmap(). */
	IMPORTER_DMA,
	/* DMA helper, with an own mmap path calling drm_gem_dma_mmap(). */
	IMPORTER_DMA_DIRECT,
	/*
	 * Not opted in, with an mmap of its own that calls drm_gem_mmap() and
	 * then uses the VMA as its own, as tegra_drm_mmap() does.
	 */
	IMPORTER_WRAPPER,
	/*
	 * Opted in, and keeps writable forwards of read-only dma-bufs, as
	 * Mesa's kmsro GPU drivers do (gem_forward_rw_compat).
	 */
	IMPORTER_RW_COMPAT,
	/*
	 * Opted in, with an mmap of its own that maps through
	 * drm_gem_prime_mmap(), as the fbdev helpers do.
	 */
	IMPORTER_PRIME_MMAP,
};

struct drm_gem_forward_test_buf {
	enum drm_gem_forward_test_exporter kind;
	struct page **pages;
	atomic_t mmaps;
	atomic_t vm_opens;
	atomic_t vm_closes;
	/* What the last mmap() was handed by the importer. */
	const struct vm_operations_struct *handed_ops;
	void *handed_private;
	bool released;
};

struct drm_gem_forward_test_device {
	struct drm_device drm;
};

/* An importing DRM device and a DRM file to map through. */
struct drm_gem_forward_test_ctx {
	struct kunit *test;
	struct drm_device *drm;
	struct file *file;
};

/* A test dma-buf, its import into the device and the file's handle. */
struct drm_gem_forward_test_import {
	struct drm_gem_forward_test_ctx *ctx;
	struct drm_gem_forward_test_buf *buf;
	struct dma_buf *dmabuf;
	struct drm_gem_object *obj;
	u32 handle;
	u64 offset;
};

/* Snapshot of a VMA, taken under the mmap lock. */
struct drm_gem_forward_test_vma {
	vm_flags_t flags;
	struct file *file;
	const struct vm_operations_struct *ops;
	void *private;
};

/* The exporter: real pages, a real sg table, a real mmap. */

static struct sg_table *
drm_gem_forward_test_map_dma_buf(struct dma_buf_attachment *attach,
				 enum dma_data_direction dir)
{
	struct drm_gem_forward_test_buf *buf = attach->dmabuf->priv;
	struct sg_table *sgt;
	int ret;

	sgt = kzalloc_obj(*sgt);
	if (!sgt)
		return ERR_PTR(-ENOMEM);

	ret = sg_alloc_table_from_pages(sgt, buf->pages, TEST_PAGES, 0,
					TEST_SIZE, GFP_KERNEL);
	if (ret)
		goto err_free;

	ret = dma_map_sgtable(attach->dev, sgt, dir, 0);
	if (ret)
		goto err_free_table;

	return sgt;

err_free_table:
	sg_free_table(sgt);
err_free:
	kfree(sgt);
	return ERR_PTR(ret);
}

static void drm_gem_forward_test_unmap_dma_buf(struct dma_buf_attachment *attach,
					       struct sg_table *sgt,
					       enum dma_data_direction dir)
{
	dma_unmap_sgtable(attach->dev, sgt, dir, 0);
	sg_free_table(sgt);
	kfree(sgt);
}

static void drm_gem_forward_test_release(struct dma_buf *dmabuf)
{
	struct drm_gem_forward_test_buf *buf = dmabuf->priv;
	unsigned int i;

	for (i = 0; i < TEST_PAGES; i++)
		__free_page(buf->pages[i]);
	buf->released = true;
}

static void drm_gem_forward_test_vm_open(struct vm_area_struct *vma)
{
	struct drm_gem_forward_test_buf *buf = vma->vm_private_data;

	atomic_inc(&buf->vm_opens);
}

static void drm_gem_forward_test_vm_close(struct vm_area_struct *vma)
{
	struct drm_gem_forward_test_buf *buf = vma->vm_private_data;

	atomic_inc(&buf->vm_closes);
}

static const struct vm_operations_struct drm_gem_forward_test_vm_ops = {
	.open = drm_gem_forward_test_vm_open,
	.close = drm_gem_forward_test_vm_close,
};

static int drm_gem_forward_test_mmap(struct dma_buf *dmabuf,
				     struct vm_area_struct *vma)
{
	struct drm_gem_forward_test_buf *buf = dmabuf->priv;

	atomic_inc(&buf->mmaps);
	buf->handed_ops = vma->vm_ops;
	buf->handed_private = vma->vm_private_data;

	switch (buf->kind) {
	case EXPORTER_MMAP_FAILS:
		return -ENOMEM;
	case EXPORTER_MMAP_FAILS_LATE:
		vma->vm_ops = &drm_gem_forward_test_vm_ops;
		vma->vm_private_data = buf;
		return vm_map_pages(vma, buf->pages, TEST_PAGES) ?: -ENOMEM;
	case EXPORTER_VM_OPS:
		vma->vm_ops = &drm_gem_forward_test_vm_ops;
		vma->vm_private_data = buf;
		vm_flags_set(vma, VM_DONTEXPAND);
		break;
	default:
		break;
	}

	return vm_map_pages(vma, buf->pages, TEST_PAGES);
}

static const struct dma_buf_ops drm_gem_forward_test_dmabuf_ops = {
	.map_dma_buf = drm_gem_forward_test_map_dma_buf,
	.unmap_dma_buf = drm_gem_forward_test_unmap_dma_buf,
	.release = drm_gem_forward_test_release,
	.mmap = drm_gem_forward_test_mmap,
};

static const struct dma_buf_ops drm_gem_forward_test_dmabuf_ops_no_mmap = {
	.map_dma_buf = drm_gem_forward_test_map_dma_buf,
	.unmap_dma_buf = drm_gem_forward_test_unmap_dma_buf,
	.release = drm_gem_forward_test_release,
};

/* The importer: shmem helpers, opted in or not, and a DRM file. */

static const struct drm_gem_object_funcs drm_gem_forward_test_funcs_not_opted_in = {
	.free = drm_gem_shmem_object_free,
	.print_info = drm_gem_shmem_object_print_info,
	.pin = drm_gem_shmem_object_pin,
	.unpin = drm_gem_shmem_object_unpin,
	.get_sg_table = drm_gem_shmem_object_get_sg_table,
	.vmap = drm_gem_shmem_object_vmap,
	.vunmap = drm_gem_shmem_object_vunmap,
	.mmap = drm_gem_shmem_object_mmap,
	.vm_ops = &drm_gem_shmem_vm_ops,
};

static struct drm_gem_object *
drm_gem_forward_test_create_not_opted_in(struct drm_device *dev, size_t size)
{
	struct drm_gem_shmem_object *shmem;

	shmem = kzalloc_obj(*shmem);
	if (!shmem)
		return ERR_PTR(-ENOMEM);
	shmem->base.funcs = &drm_gem_forward_test_funcs_not_opted_in;

	return &shmem->base;
}

static const struct drm_gem_object_funcs drm_gem_forward_test_funcs_rw_compat = {
	.free = drm_gem_shmem_object_free,
	.print_info = drm_gem_shmem_object_print_info,
	.pin = drm_gem_shmem_object_pin,
	.unpin = drm_gem_shmem_object_unpin,
	.get_sg_table = drm_gem_shmem_object_get_sg_table,
	.vmap = drm_gem_shmem_object_vmap,
	.vunmap = drm_gem_shmem_object_vunmap,
	.mmap = drm_gem_shmem_object_mmap,
	.vm_ops = &drm_gem_shmem_vm_ops,
	.gem_forward = true,
	.gem_forward_rw_compat = true,
};

static struct drm_gem_object *
drm_gem_forward_test_create_rw_compat(struct drm_device *dev, size_t size)
{
	struct drm_gem_shmem_object *shmem;

	shmem = kzalloc_obj(*shmem);
	if (!shmem)
		return ERR_PTR(-ENOMEM);
	shmem->base.funcs = &drm_gem_forward_test_funcs_rw_compat;

	return &shmem->base;
}

/*
 * The object at the VMA's offset, with a reference, as a driver's own mmap
 * path looks it up: at an exact offset, or, as i915 does, anywhere inside
 * the object. NULL if there is none, ERR_PTR(-EACCES) if the DRM file may
 * not map it.
 */
static struct drm_gem_object *
drm_gem_forward_test_lookup(struct file *filp, struct vm_area_struct *vma,
			    bool exact, struct drm_vma_offset_node **nodep)
{
	struct drm_file *priv = filp->private_data;
	struct drm_vma_offset_manager *mgr = priv->minor->dev->vma_offset_manager;
	struct drm_vma_offset_node *node;
	struct drm_gem_object *obj = NULL;

	drm_vma_offset_lock_lookup(mgr);
	if (exact)
		node = drm_vma_offset_exact_lookup_locked(mgr, vma->vm_pgoff,
							  vma_pages(vma));
	else
		node = drm_vma_offset_lookup_locked(mgr, vma->vm_pgoff,
						    vma_pages(vma));
	if (node) {
		obj = container_of(node, struct drm_gem_object, vma_node);
		if (!kref_get_unless_zero(&obj->refcount))
			obj = NULL;
	}
	drm_vma_offset_unlock_lookup(mgr);

	if (obj && !drm_vma_node_is_allowed(node, priv)) {
		drm_gem_object_put(obj);
		return ERR_PTR(-EACCES);
	}

	*nodep = node;
	return obj;
}

/*
 * An mmap path of a driver's own, as i915 has: the offset node is looked
 * up with a non-exact lookup, so the mapping may start inside an object,
 * and the lookup reference is the one handed to the VMA.
 */
static int drm_gem_forward_test_own_mmap(struct file *filp,
					 struct vm_area_struct *vma)
{
	struct drm_vma_offset_node *node;
	struct drm_gem_object *obj;
	int ret;

	obj = drm_gem_forward_test_lookup(filp, vma, false, &node);
	if (!obj)
		return -EINVAL;
	if (IS_ERR(obj))
		return PTR_ERR(obj);

	if (!drm_gem_is_imported(obj)) {
		drm_gem_object_put(obj);
		return -ENODEV;
	}

	/*
	 * Prepared as for one of its own objects: the forward must not hand
	 * the exporter the importer's object or vm_ops.
	 */
	vma->vm_private_data = obj;
	vma->vm_ops = &drm_gem_shmem_vm_ops;
	ret = drm_gem_forward_mmap_node(obj, node, vma);
	if (ret)
		drm_gem_object_put(obj);

	return ret;
}

/*
 * A driver that maps its DMA-helper objects with drm_gem_dma_mmap() from an
 * mmap path of its own, as drivers that call the helper directly do.
 */
static int drm_gem_forward_test_dma_mmap(struct file *filp,
					 struct vm_area_struct *vma)
{
	struct drm_vma_offset_node *node;
	struct drm_gem_object *obj;
	int ret;

	obj = drm_gem_forward_test_lookup(filp, vma, true, &node);
	if (!obj)
		return -EINVAL;
	if (IS_ERR(obj))
		return PTR_ERR(obj);

	ret = drm_gem_dma_mmap(to_drm_gem_dma_obj(obj), vma);
	if (ret)
		drm_gem_object_put(obj);

	return ret;
}

/*
 * An mmap path that maps through drm_gem_prime_mmap(), as the fbdev helpers
 * do with the offset relative to the object: it takes its own reference.
 */
static int drm_gem_forward_test_prime_mmap_fop(struct file *filp,
					       struct vm_area_struct *vma)
{
	struct drm_vma_offset_node *node;
	struct drm_gem_object *obj;
	int ret;

	obj = drm_gem_forward_test_lookup(filp, vma, true, &node);
	/* Not drm_gem_prime_mmap()'s -EINVAL, so the test tells them apart. */
	if (!obj)
		return -ENOENT;
	if (IS_ERR(obj))
		return PTR_ERR(obj);

	vma->vm_pgoff -= drm_vma_node_start(node);
	ret = drm_gem_prime_mmap(obj, vma);
	drm_gem_object_put(obj);

	return ret;
}

/* Set when the wrapper below was handed a VMA that is not its own. */
static bool drm_gem_forward_test_wrapper_got_foreign_vma;

/*
 * A driver whose mmap wraps drm_gem_mmap() and then works on the VMA as one
 * of its own objects, as tegra_drm_mmap() does with vm_private_data. A
 * forwarded VMA is the exporter's: instead of dereferencing its private
 * data (a crash or type confusion in tegra), record that it got one.
 */
static int drm_gem_forward_test_wrapper_mmap(struct file *filp,
					     struct vm_area_struct *vma)
{
	struct drm_gem_object *obj;
	int ret;

	ret = drm_gem_mmap(filp, vma);
	if (ret)
		return ret;

	if (vma->vm_file != filp || vma->vm_ops != &drm_gem_shmem_vm_ops) {
		drm_gem_forward_test_wrapper_got_foreign_vma = true;
		return 0;
	}
	obj = vma->vm_private_data;
	return obj->size >= vma->vm_end - vma->vm_start ? 0 : -EINVAL;
}

DEFINE_DRM_GEM_FOPS(drm_gem_forward_test_fops);

static const struct file_operations drm_gem_forward_test_wrapper_fops = {
	.owner = THIS_MODULE,
	.open = drm_open,
	.release = drm_release,
	.unlocked_ioctl = drm_ioctl,
	.mmap = drm_gem_forward_test_wrapper_mmap,
};

static const struct file_operations drm_gem_forward_test_own_fops = {
	.owner = THIS_MODULE,
	.open = drm_open,
	.release = drm_release,
	.unlocked_ioctl = drm_ioctl,
	.mmap = drm_gem_forward_test_own_mmap,
};

static const struct file_operations drm_gem_forward_test_prime_mmap_fops = {
	.owner = THIS_MODULE,
	.open = drm_open,
	.release = drm_release,
	.unlocked_ioctl = drm_ioctl,
	.mmap = drm_gem_forward_test_prime_mmap_fop,
};

static const struct file_operations drm_gem_forward_test_dma_fops = {
	.owner = THIS_MODULE,
	.open = drm_open,
	.release = drm_release,
	.unlocked_ioctl = drm_ioctl,
	.mmap = drm_gem_forward_test_dma_mmap,
};

static const struct drm_driver drm_gem_forward_test_drivers[] = {
	[IMPORTER_OPTED_IN] = {
		.name = "drm_gem_forward_test",
		.driver_features = DRIVER_GEM,
		.fops = &drm_gem_forward_test_fops,
		DRM_GEM_SHMEM_DRIVER_OPS,
	},
	[IMPORTER_NOT_OPTED_IN] = {
		.name = "drm_gem_forward_test",
		.driver_features = DRIVER_GEM,
		.fops = &drm_gem_forward_test_fops,
		DRM_GEM_SHMEM_DRIVER_OPS,
		.gem_create_object = drm_gem_forward_test_create_not_opted_in,
	},
	[IMPORTER_OWN_MMAP] = {
		.name = "drm_gem_forward_test",
		.driver_features = DRIVER_GEM,
		.fops = &drm_gem_forward_test_own_fops,
		DRM_GEM_SHMEM_DRIVER_OPS,
	},
	[IMPORTER_DMA] = {
		.name = "drm_gem_forward_test",
		.driver_features = DRIVER_GEM,
		.fops = &drm_gem_forward_test_fops,
		DRM_GEM_DMA_DRIVER_OPS,
	},
	[IMPORTER_DMA_DIRECT] = {
		.name = "drm_gem_forward_test",
		.driver_features = DRIVER_GEM,
		.fops = &drm_gem_forward_test_dma_fops,
		DRM_GEM_DMA_DRIVER_OPS,
	},
	[IMPORTER_WRAPPER] = {
		.name = "drm_gem_forward_test",
		.driver_features = DRIVER_GEM,
		.fops = &drm_gem_forward_test_wrapper_fops,
		DRM_GEM_SHMEM_DRIVER_OPS,
		.gem_create_object = drm_gem_forward_test_create_not_opted_in,
	},
	[IMPORTER_RW_COMPAT] = {
		.name = "drm_gem_forward_test",
		.driver_features = DRIVER_GEM,
		.fops = &drm_gem_forward_test_fops,
		DRM_GEM_SHMEM_DRIVER_OPS,
		.gem_create_object = drm_gem_forward_test_create_rw_compat,
	},
	[IMPORTER_PRIME_MMAP] = {
		.name = "drm_gem_forward_test",
		.driver_features = DRIVER_GEM,
		.fops = &drm_gem_forward_test_prime_mmap_fops,
		DRM_GEM_SHMEM_DRIVER_OPS,
	},
};

KUNIT_DEFINE_ACTION_WRAPPER(drm_gem_object_put_wrapper, drm_gem_object_put,
			    struct drm_gem_object *);

/* Put a file and finish the deferred release a kthread's fput() leaves. */
static void drm_gem_forward_test_fput(void *file)
{
	fput(file);
	flush_delayed_fput();
}

static void drm_gem_forward_test_dma_buf_put(void *dmabuf)
{
	dma_buf_put(dmabuf);
	flush_delayed_fput();
}

static void drm_gem_forward_test_handle_delete(void *data)
{
	struct drm_gem_forward_test_import *imp = data;

	drm_gem_handle_delete(imp->ctx->file->private_data, imp->handle);
}

/*
 * Tests never change the policy in force: a policy can only be tightened,
 * and the running system's is not theirs. A test that needs another policy
 * redirects drm_gem_forward_get_policy() to this stub for itself only.
 */
static enum drm_gem_forward_policy drm_gem_forward_test_stubbed_policy;

static enum drm_gem_forward_policy drm_gem_forward_test_stub_policy(void)
{
	return drm_gem_forward_test_stubbed_policy;
}

static bool drm_gem_forward_test_stubbed_access_mode;

static bool drm_gem_forward_test_stub_access_mode(void)
{
	return drm_gem_forward_test_stubbed_access_mode;
}

/*
 * Counts the warnings drm_gem_forward_warn_writable() would print, in place
 * of printing them, for the test that redirects it here.
 */
static atomic_t drm_gem_forward_test_warnings;

static bool drm_gem_forward_test_stub_warn(const struct drm_gem_object *obj,
					   const struct dma_buf *dmabuf)
{
	atomic_inc(&drm_gem_forward_test_warnings);
	return true;
}

/* Keep read-only dma-bufs read-only, or not, for this test only. */
static void drm_gem_forward_test_use_access_mode(struct kunit *test,
						 bool enforce)
{
	drm_gem_forward_test_stubbed_access_mode = enforce;
	kunit_activate_static_stub(test, drm_gem_forward_enforce_access_mode,
				   drm_gem_forward_test_stub_access_mode);
}

static void drm_gem_forward_test_use_policy(struct kunit *test,
					    enum drm_gem_forward_policy policy)
{
	drm_gem_forward_test_stubbed_policy = policy;
	kunit_activate_static_stub(test, drm_gem_forward_get_policy,
				   drm_gem_forward_test_stub_policy);
}

/* Export a test dma-buf of TEST_SIZE, read-write or read-only. */
static struct dma_buf *
drm_gem_forward_test_export(struct kunit *test,
			    enum drm_gem_forward_test_exporter kind,
			    int mode, struct drm_gem_forward_test_buf **bufp)
{
	DEFINE_DMA_BUF_EXPORT_INFO(exp_info);
	struct drm_gem_forward_test_buf *buf;
	struct dma_buf *dmabuf;
	unsigned int i;
	int ret;

	buf = kunit_kzalloc(test, sizeof(*buf), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	buf->kind = kind;

	/* Physically contiguous, as the DMA helper's imports must be. */
	buf->pages = kunit_kcalloc(test, TEST_PAGES, sizeof(*buf->pages),
				   GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf->pages);
	buf->pages[0] = alloc_pages(GFP_KERNEL | __GFP_ZERO,
				    get_order(TEST_SIZE));
	KUNIT_ASSERT_NOT_NULL(test, buf->pages[0]);
	split_page(buf->pages[0], get_order(TEST_SIZE));
	for (i = 1; i < TEST_PAGES; i++)
		buf->pages[i] = buf->pages[0] + i;

	exp_info.ops = kind == EXPORTER_NO_MMAP ?
		       &drm_gem_forward_test_dmabuf_ops_no_mmap :
		       &drm_gem_forward_test_dmabuf_ops;
	exp_info.size = TEST_SIZE;
	exp_info.flags = mode;
	exp_info.priv = buf;
	dmabuf = dma_buf_export(&exp_info);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dmabuf);

	ret = kunit_add_action_or_reset(test, drm_gem_forward_test_dma_buf_put,
					dmabuf);
	KUNIT_ASSERT_EQ(test, ret, 0);

	*bufp = buf;
	return dmabuf;
}

/*
 * A DRM device of the given kind and a read-write DRM file on it, both
 * released at the end of the test.
 */
static struct drm_gem_forward_test_ctx *
drm_gem_forward_test_open(struct kunit *test,
			  enum drm_gem_forward_test_importer importer)
{
	const struct drm_driver *driver = &drm_gem_forward_test_drivers[importer];
	struct drm_gem_forward_test_device *tdev;
	struct drm_gem_forward_test_ctx *ctx;
	struct device *dev = test->priv;
	int ret;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->test = test;
	tdev = drm_kunit_helper_alloc_drm_device_with_driver(test, dev,
							     struct drm_gem_forward_test_device,
							     drm, driver);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tdev);
	ctx->drm = &tdev->drm;

	ctx->file = mock_drm_getfile(ctx->drm->primary, O_RDWR);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx->file);
	ret = kunit_add_action_or_reset(test, drm_gem_forward_test_fput,
					ctx->file);
	KUNIT_ASSERT_EQ(test, ret, 0);

	return ctx;
}

/*
 * Export a buffer, import it in the kernel with drm_gem_prime_import() and
 * give the DRM file a handle to it, as PRIME_FD_TO_HANDLE would. Every
 * reference is dropped at the end of the test.
 */
static struct drm_gem_forward_test_import *
drm_gem_forward_test_import(struct drm_gem_forward_test_ctx *ctx,
			    enum drm_gem_forward_test_exporter exporter,
			    int mode)
{
	struct drm_gem_forward_test_import *imp;
	struct kunit *test = ctx->test;
	int ret;

	imp = kunit_kzalloc(test, sizeof(*imp), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, imp);
	imp->ctx = ctx;
	imp->dmabuf = drm_gem_forward_test_export(test, exporter, mode,
						  &imp->buf);

	/* As PRIME_FD_TO_HANDLE imports: the driver's import, if it has one. */
	if (ctx->drm->driver->gem_prime_import)
		imp->obj = ctx->drm->driver->gem_prime_import(ctx->drm,
							      imp->dmabuf);
	else
		imp->obj = drm_gem_prime_import(ctx->drm, imp->dmabuf);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, imp->obj);
	ret = kunit_add_action_or_reset(test, drm_gem_object_put_wrapper,
					imp->obj);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_TRUE(test, drm_gem_is_imported(imp->obj));

	ret = drm_gem_handle_create(ctx->file->private_data, imp->obj,
				    &imp->handle);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = kunit_add_action_or_reset(test, drm_gem_forward_test_handle_delete,
					imp);
	KUNIT_ASSERT_EQ(test, ret, 0);

	/* The shmem helper gives imports an offset: scanning would find it. */
	KUNIT_ASSERT_NE(test, drm_vma_node_start(&imp->obj->vma_node), 0);
	imp->offset = drm_vma_node_offset_addr(&imp->obj->vma_node);

	return imp;
}

/* A device of the given kind with one imported buffer. */
static struct drm_gem_forward_test_import *
drm_gem_forward_test_setup(struct kunit *test,
			   enum drm_gem_forward_test_importer importer,
			   enum drm_gem_forward_test_exporter exporter,
			   int mode)
{
	return drm_gem_forward_test_import(drm_gem_forward_test_open(test, importer),
					   exporter, mode);
}

/*
 * vm_mmap() through the DRM file. kunit_vm_mmap() returns vm_mmap()'s error
 * as the address and 0 only when it could not set up the mm.
 */
static long drm_gem_forward_test_vm_mmap(struct drm_gem_forward_test_ctx *ctx,
					 unsigned long len, unsigned long prot,
					 unsigned long flags, u64 offset,
					 unsigned long *addr)
{
	struct kunit *test = ctx->test;
	unsigned long ret;

	ret = kunit_vm_mmap(test, ctx->file, 0, len, prot, flags, offset);
	KUNIT_ASSERT_NE(test, ret, 0);
	if (IS_ERR_VALUE(ret))
		return (long)ret;
	KUNIT_ASSERT_LT(test, ret, (unsigned long)TASK_SIZE);

	*addr = ret;
	return 0;
}

/* The counts that a mapping must leave as they were. */
struct drm_gem_forward_test_counts {
	unsigned int gem;
	long dmabuf;
	long file;
};

static void drm_gem_forward_test_counts(const struct drm_gem_forward_test_import *imp,
					struct drm_gem_forward_test_counts *counts)
{
	counts->gem = kref_read(&imp->obj->refcount);
	counts->dmabuf = file_count(imp->dmabuf->file);
	counts->file = file_count(imp->ctx->file);
}

/*
 * Expect the counts taken in @before, but for @mappings mappings of the
 * dma-buf that exist now: a forwarded mapping holds the dma-buf file and
 * neither the GEM object nor the DRM file.
 */
static void drm_gem_forward_test_expect_counts(struct kunit *test,
					       const struct drm_gem_forward_test_import *imp,
					       const struct drm_gem_forward_test_counts *before,
					       long mappings)
{
	KUNIT_EXPECT_EQ(test, kref_read(&imp->obj->refcount), before->gem);
	KUNIT_EXPECT_EQ(test, file_count(imp->dmabuf->file),
			before->dmabuf + mappings);
	KUNIT_EXPECT_EQ(test, file_count(imp->ctx->file), before->file);
}

static void drm_gem_forward_test_munmap(unsigned long addr, unsigned long len)
{
	vm_munmap(addr, len);
	flush_delayed_fput();
}

static void drm_gem_forward_test_vma(struct kunit *test, unsigned long addr,
				     struct drm_gem_forward_test_vma *info)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (vma) {
		info->flags = vma->vm_flags;
		info->file = vma->vm_file;
		info->ops = vma->vm_ops;
		info->private = vma->vm_private_data;
	}
	mmap_read_unlock(mm);

	KUNIT_ASSERT_NOT_NULL(test, vma);
}

static void drm_gem_forward_test_fill(struct page *page, u8 value)
{
	void *vaddr = kmap_local_page(page);

	memset(vaddr, value, PAGE_SIZE);
	kunmap_local(vaddr);
}

static bool drm_gem_forward_test_page_is(struct page *page, u8 value)
{
	u8 *vaddr = kmap_local_page(page);
	bool ret = !memchr_inv(vaddr, value, PAGE_SIZE);

	kunmap_local(vaddr);
	return ret;
}

/* Check that page @i of the buffer shows through the mapping at @addr. */
static void drm_gem_forward_test_check_data(struct kunit *test,
					    struct drm_gem_forward_test_buf *buf,
					    unsigned int i, unsigned long addr,
					    bool writable)
{
	u8 *chunk;

	chunk = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, chunk);

	/* Exporter to mapping. */
	drm_gem_forward_test_fill(buf->pages[i], 0xa0 + i);
	KUNIT_ASSERT_EQ(test, copy_from_user(chunk, (void __user *)addr,
					     PAGE_SIZE), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(chunk, 0xa0 + i, PAGE_SIZE));

	if (!writable)
		return;

	/* Mapping to exporter. */
	memset(chunk, 0x50 + i, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)addr, chunk,
					   PAGE_SIZE), 0);
	KUNIT_EXPECT_TRUE(test, drm_gem_forward_test_page_is(buf->pages[i],
							     0x50 + i));
}

static void drm_gem_forward_test_require_forwarding(struct kunit *test)
{
	if (CONFIG_DRM_GEM_FORWARD_DEFAULT == DRM_GEM_FORWARD_NEVER)
		kunit_skip(test, "built with DRM_GEM_FORWARD_NEVER");
	if (drm_gem_forward_get_policy() == DRM_GEM_FORWARD_NEVER)
		kunit_skip(test, "booted with drm.gem_forward=never");
}

static const char * const drm_gem_forward_test_exporter_names[] = {
	[EXPORTER_VM_OPS] = "exporter with vm_ops",
	[EXPORTER_NO_VM_OPS] = "exporter without vm_ops",
	[EXPORTER_MMAP_FAILS] = "exporter mmap fails",
	[EXPORTER_NO_MMAP] = "exporter without mmap",
	[EXPORTER_MMAP_FAILS_LATE] = "exporter mmap fails after mapping",
};

static void
drm_gem_forward_test_exporter_desc(const enum drm_gem_forward_test_exporter *kind,
				   char *desc)
{
	strscpy(desc, drm_gem_forward_test_exporter_names[*kind],
		KUNIT_PARAM_DESC_SIZE);
}

static const enum drm_gem_forward_test_exporter drm_gem_forward_test_mapping_exporters[] = {
	EXPORTER_VM_OPS,
	EXPORTER_NO_VM_OPS,
};

KUNIT_ARRAY_PARAM(drm_gem_forward_test_mapping_exporters,
		  drm_gem_forward_test_mapping_exporters,
		  drm_gem_forward_test_exporter_desc);

/*
 * Map an imported object through the importer's DRM file. The test case
 * succeeds if the mapping is the exporter's (the VMA's file is the dma-buf
 * file, its vm_ops and private data are the exporter's or none, and
 * VM_DONTEXPAND is set even when the exporter did not set it), data written
 * on either side is seen on the other, the GEM reference the mmap path took
 * was dropped, and after munmap() the GEM object, the dma-buf file and the
 * DRM file are back to their counts before the mapping, the exporter's
 * close having run once if it installed vm_ops.
 */
static void drm_gem_forward_test_map(struct kunit *test)
{
	const enum drm_gem_forward_test_exporter *kind = test->param_value;
	struct drm_gem_forward_test_import *imp;
	struct drm_gem_forward_test_vma vma = {};
	struct drm_gem_forward_test_counts before;
	unsigned int i;
	unsigned long addr;
	long ret;

	drm_gem_forward_test_require_forwarding(test);
	imp = drm_gem_forward_test_setup(test, IMPORTER_OPTED_IN,
					 *kind, O_RDWR);

	/* Imported in the kernel: only import_attach leads to the dma-buf. */
	KUNIT_EXPECT_NULL(test, imp->obj->dma_buf);

	drm_gem_forward_test_counts(imp, &before);

	ret = drm_gem_forward_test_vm_mmap(imp->ctx, TEST_SIZE,
					   PROT_READ | PROT_WRITE, MAP_SHARED,
					   imp->offset, &addr);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&imp->buf->mmaps), 1);
	KUNIT_EXPECT_NULL(test, imp->buf->handed_ops);
	KUNIT_EXPECT_NULL(test, imp->buf->handed_private);

	drm_gem_forward_test_vma(test, addr, &vma);
	KUNIT_EXPECT_PTR_EQ(test, vma.file, imp->dmabuf->file);
	KUNIT_EXPECT_TRUE(test, vma.flags & VM_DONTEXPAND);
	KUNIT_EXPECT_TRUE(test, vma.flags & VM_MAYWRITE);
	if (*kind == EXPORTER_VM_OPS) {
		KUNIT_EXPECT_PTR_EQ(test, vma.ops, &drm_gem_forward_test_vm_ops);
		KUNIT_EXPECT_PTR_EQ(test, vma.private, imp->buf);
	} else {
		KUNIT_EXPECT_NULL(test, vma.ops);
		KUNIT_EXPECT_NULL(test, vma.private);
	}

	drm_gem_forward_test_expect_counts(test, imp, &before, 1);

	for (i = 0; i < TEST_PAGES; i++)
		drm_gem_forward_test_check_data(test, imp->buf, i,
						addr + i * PAGE_SIZE, true);

	drm_gem_forward_test_munmap(addr, TEST_SIZE);

	drm_gem_forward_test_expect_counts(test, imp, &before, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&imp->buf->vm_closes),
			*kind == EXPORTER_VM_OPS ? 1 : 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&imp->buf->vm_opens), 0);
}

static const enum drm_gem_forward_test_exporter drm_gem_forward_test_failing_exporters[] = {
	EXPORTER_MMAP_FAILS,
	EXPORTER_NO_MMAP,
	EXPORTER_MMAP_FAILS_LATE,
};

KUNIT_ARRAY_PARAM(drm_gem_forward_test_failing_exporters,
		  drm_gem_forward_test_failing_exporters,
		  drm_gem_forward_test_exporter_desc);

/*
 * Map an imported object whose exporter cannot map it. The test case
 * succeeds if mmap() fails with the exporter's error (-ENOMEM from its
 * mmap, -EINVAL from dma_buf_mmap() when it has none) and the GEM object,
 * the dma-buf file and the DRM file keep the counts they had before; an
 * exporter that installed its vm_ops and mapped its pages before failing
 * has them undone by the core without its vm_ops being run.
 */
static void drm_gem_forward_test_exporter_fails(struct kunit *test)
{
	const enum drm_gem_forward_test_exporter *kind = test->param_value;
	struct drm_gem_forward_test_import *imp;
	struct drm_gem_forward_test_counts before;
	unsigned long addr;
	long ret;

	drm_gem_forward_test_require_forwarding(test);
	imp = drm_gem_forward_test_setup(test, IMPORTER_OPTED_IN,
					 *kind, O_RDWR);

	drm_gem_forward_test_counts(imp, &before);

	ret = drm_gem_forward_test_vm_mmap(imp->ctx, TEST_SIZE,
					   PROT_READ | PROT_WRITE, MAP_SHARED,
					   imp->offset, &addr);
	flush_delayed_fput();

	KUNIT_EXPECT_EQ(test, ret, *kind == EXPORTER_NO_MMAP ? -EINVAL :
							    -ENOMEM);
	drm_gem_forward_test_expect_counts(test, imp, &before, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&imp->buf->vm_opens), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&imp->buf->vm_closes), 0);
}

#define RACE_MAPS	64

/* The handle's owner racing the mapper: close the handle, make another. */
struct drm_gem_forward_test_race {
	struct drm_gem_forward_test_import *imp;
	struct drm_file *file_priv;
	u32 handle;
	int err;
};

static int drm_gem_forward_test_race_handles(void *data)
{
	struct drm_gem_forward_test_race *race = data;
	u32 handle;
	int ret;

	while (!kthread_should_stop()) {
		ret = drm_gem_handle_delete(race->file_priv,
					    READ_ONCE(race->handle));
		if (!ret)
			ret = drm_gem_handle_create(race->file_priv,
						    race->imp->obj, &handle);
		if (ret) {
			race->err = ret;
			break;
		}
		WRITE_ONCE(race->handle, handle);
		cond_resched();
	}

	return 0;
}

static void drm_gem_forward_test_stop_thread(void *thread)
{
	kthread_stop_put(thread);
}

/*
 * Map an import through its offset while a thread closes the DRM file's
 * handle and creates another, again and again; the object lives on with
 * the test's reference, so its offset stays. The test case succeeds if
 * each mmap() either is forwarded and shows the exporter's data, or fails
 * with -EACCES (the file has no handle at that moment), and the GEM
 * object, the dma-buf file and the DRM file are back at their counts when
 * it is over, with one vm_ops close per forwarded mapping.
 */
static void drm_gem_forward_test_close_races_mmap(struct kunit *test)
{
	struct drm_gem_forward_test_import *imp;
	struct drm_gem_forward_test_counts before;
	struct drm_gem_forward_test_race *race;
	struct task_struct *thread;
	unsigned int i, mapped = 0, refused = 0;
	unsigned long addr;
	long ret;

	drm_gem_forward_test_require_forwarding(test);
	imp = drm_gem_forward_test_setup(test, IMPORTER_OPTED_IN,
					 EXPORTER_VM_OPS, O_RDWR);
	drm_gem_forward_test_counts(imp, &before);

	/*
	 * Not on the stack, and the thread stopped by a KUnit action that
	 * holds a reference to it: a failed assertion below ends this test's
	 * thread, and the action then stops the racing one before the import
	 * and the DRM file are released. The thread may have returned by
	 * then (on an error), which the reference makes safe.
	 */
	race = kunit_kzalloc(test, sizeof(*race), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, race);
	race->imp = imp;
	race->file_priv = imp->ctx->file->private_data;
	race->handle = imp->handle;
	thread = kthread_create(drm_gem_forward_test_race_handles, race,
				"drm_gem_forward_race");
	KUNIT_ASSERT_FALSE(test, IS_ERR(thread));
	get_task_struct(thread);
	ret = kunit_add_action_or_reset(test, drm_gem_forward_test_stop_thread,
					thread);
	KUNIT_ASSERT_EQ(test, ret, 0);
	wake_up_process(thread);

	for (i = 0; i < RACE_MAPS; i++) {
		ret = drm_gem_forward_test_vm_mmap(imp->ctx, TEST_SIZE,
						   PROT_READ | PROT_WRITE,
						   MAP_SHARED, imp->offset,
						   &addr);
		if (ret) {
			KUNIT_EXPECT_EQ(test, ret, -EACCES);
			refused++;
		} else {
			drm_gem_forward_test_check_data(test, imp->buf, i % TEST_PAGES,
							addr + (i % TEST_PAGES) * PAGE_SIZE,
							true);
			drm_gem_forward_test_munmap(addr, TEST_SIZE);
			mapped++;
		}
		cond_resched();
	}

	kunit_release_action(test, drm_gem_forward_test_stop_thread, thread);
	KUNIT_EXPECT_EQ(test, race->err, 0);
	/* The test's cleanup deletes the handle the thread left. */
	imp->handle = READ_ONCE(race->handle);
	flush_delayed_fput();

	kunit_info(test, "%u mappings forwarded, %u refused while the handle was closed\n",
		   mapped, refused);
	KUNIT_EXPECT_EQ(test, mapped + refused, RACE_MAPS);
	drm_gem_forward_test_expect_counts(test, imp, &before, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&imp->buf->vm_closes), mapped);
}

struct drm_gem_forward_test_ro_param {
	enum drm_gem_forward_test_importer importer;
	bool enforce;
};

static const struct drm_gem_forward_test_ro_param drm_gem_forward_test_ro_params[] = {
	{ IMPORTER_OPTED_IN, false },
	{ IMPORTER_OPTED_IN, true },
	{ IMPORTER_RW_COMPAT, false },
	{ IMPORTER_RW_COMPAT, true },
};

static void
drm_gem_forward_test_ro_desc(const struct drm_gem_forward_test_ro_param *p,
			     char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s, %s",
		 p->importer == IMPORTER_RW_COMPAT ? "kmsro compatibility driver" :
						     "opted-in driver",
		 p->enforce ? "CONFIG_DRM_GEM_FORWARD_ACCESS_MODE=y" :
			      "CONFIG_DRM_GEM_FORWARD_ACCESS_MODE=n");
}

KUNIT_ARRAY_PARAM(drm_gem_forward_test_ro_params, drm_gem_forward_test_ro_params,
		  drm_gem_forward_test_ro_desc);

/*
 * Map an imported dma-buf that was exported read-only, as PRIME exports
 * without DRM_RDWR are, through an opted-in driver and through one with
 * gem_forward_rw_compat, with CONFIG_DRM_GEM_FORWARD_ACCESS_MODE on and off.
 * The test case succeeds if, as for mmap() of the dma-buf file, a writable
 * shared mapping fails with -EACCES before the exporter is asked and a
 * read-only one works, shows the data and has no VM_MAYWRITE, so that
 * mprotect() cannot make it writable; except for the compatibility driver
 * without the option, where the writable mapping is forwarded with data
 * both ways and named in a warning, as before the helper (the read-only one
 * has no VM_MAYWRITE there either); and either way no reference is left
 * behind.
 */
static void drm_gem_forward_test_read_only(struct kunit *test)
{
	const struct drm_gem_forward_test_ro_param *p = test->param_value;
	bool writable = p->importer == IMPORTER_RW_COMPAT && !p->enforce;
	struct drm_gem_forward_test_import *imp;
	struct drm_gem_forward_test_vma vma = {};
	struct drm_gem_forward_test_counts before;
	unsigned long addr;
	long ret;

	drm_gem_forward_test_require_forwarding(test);
	drm_gem_forward_test_use_access_mode(test, p->enforce);
	atomic_set(&drm_gem_forward_test_warnings, 0);
	kunit_activate_static_stub(test, drm_gem_forward_warn_writable,
				   drm_gem_forward_test_stub_warn);
	imp = drm_gem_forward_test_setup(test, p->importer, EXPORTER_NO_VM_OPS,
					 O_RDONLY);
	KUNIT_ASSERT_FALSE(test, imp->dmabuf->file->f_mode & FMODE_WRITE);

	drm_gem_forward_test_counts(imp, &before);

	ret = drm_gem_forward_test_vm_mmap(imp->ctx, TEST_SIZE,
					   PROT_READ | PROT_WRITE, MAP_SHARED,
					   imp->offset, &addr);
	if (writable) {
		KUNIT_ASSERT_EQ(test, ret, 0);
		drm_gem_forward_test_vma(test, addr, &vma);
		KUNIT_EXPECT_TRUE(test, vma.flags & VM_WRITE);
		KUNIT_EXPECT_PTR_EQ(test, vma.file, imp->dmabuf->file);
		drm_gem_forward_test_check_data(test, imp->buf, 1,
						addr + PAGE_SIZE, true);
		drm_gem_forward_test_munmap(addr, TEST_SIZE);
	} else {
		flush_delayed_fput();
		KUNIT_EXPECT_EQ(test, ret, -EACCES);
		KUNIT_EXPECT_EQ(test, atomic_read(&imp->buf->mmaps), 0);
	}
	drm_gem_forward_test_expect_counts(test, imp, &before, 0);

	ret = drm_gem_forward_test_vm_mmap(imp->ctx, TEST_SIZE, PROT_READ,
					   MAP_SHARED, imp->offset, &addr);
	KUNIT_ASSERT_EQ(test, ret, 0);

	drm_gem_forward_test_vma(test, addr, &vma);
	KUNIT_EXPECT_FALSE(test, vma.flags & VM_WRITE);
	/* Not even for the compatibility driver: mprotect() would not warn. */
	KUNIT_EXPECT_FALSE(test, vma.flags & VM_MAYWRITE);
	KUNIT_EXPECT_PTR_EQ(test, vma.file, imp->dmabuf->file);
	drm_gem_forward_test_check_data(test, imp->buf, 1, addr + PAGE_SIZE,
					false);

	drm_gem_forward_test_munmap(addr, TEST_SIZE);
	drm_gem_forward_test_expect_counts(test, imp, &before, 0);
	/* Only the writable forward is named, the read-only one is not. */
	KUNIT_EXPECT_EQ(test, atomic_read(&drm_gem_forward_test_warnings),
			writable ? 1 : 0);
}

/*
 * Map an import of a dma-buf that is not open for reading (O_WRONLY, as a
 * dma-heap allocation may be), which mmap() of the dma-buf file refuses
 * whatever the protection. The test case succeeds if shared and private,
 * read-only and writable mappings through the importer fail with -EACCES,
 * the exporter is not called and the counts are back.
 */
static void drm_gem_forward_test_write_only(struct kunit *test)
{
	static const unsigned long flags[] = { MAP_SHARED, MAP_PRIVATE };
	struct drm_gem_forward_test_import *imp;
	struct drm_gem_forward_test_counts before;
	unsigned long addr;
	unsigned int i;
	long ret;

	drm_gem_forward_test_require_forwarding(test);
	imp = drm_gem_forward_test_setup(test, IMPORTER_OPTED_IN,
					 EXPORTER_VM_OPS, O_WRONLY);
	drm_gem_forward_test_counts(imp, &before);

	for (i = 0; i < 2 * ARRAY_SIZE(flags); i++) {
		unsigned long prot = i & 1 ? PROT_READ | PROT_WRITE : PROT_READ;

		ret = drm_gem_forward_test_vm_mmap(imp->ctx, TEST_SIZE, prot,
						   flags[i / 2], imp->offset,
						   &addr);
		if (!ret)
			drm_gem_forward_test_munmap(addr, TEST_SIZE);
		flush_delayed_fput();
		KUNIT_EXPECT_EQ_MSG(test, ret, -EACCES, "%s, %s",
				    flags[i / 2] == MAP_SHARED ? "shared" : "private",
				    i & 1 ? "writable" : "read-only");
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&imp->buf->mmaps), 0);
	drm_gem_forward_test_expect_counts(test, imp, &before, 0);
}

/*
 * The processes named for a writable forward of a read-only dma-buf. The
 * test case succeeds if two processes that take turns 33 times are named
 * once each and a third one is named after them, each of more processes
 * than are remembered is named, a process that reuses an ID is named, and
 * the first one is named again only once that many others were.
 */
static void drm_gem_forward_test_name_once(struct kunit *test)
{
	struct drm_gem_forward_named *named;
	unsigned int i, first = 0;

	named = kunit_kzalloc(test, sizeof(*named), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, named);
	spin_lock_init(&named->lock);

	for (i = 0; i < 33; i++) {
		bool new_a = drm_gem_forward_name_once(named, 100, 1);
		bool new_b = drm_gem_forward_name_once(named, 101, 2);

		KUNIT_EXPECT_EQ(test, new_a, i == 0);
		KUNIT_EXPECT_EQ(test, new_b, i == 0);
	}
	KUNIT_EXPECT_TRUE(test, drm_gem_forward_name_once(named, 102, 3));
	KUNIT_EXPECT_FALSE(test, drm_gem_forward_name_once(named, 102, 3));
	/* The same ID, another process. */
	KUNIT_EXPECT_TRUE(test, drm_gem_forward_name_once(named, 100, 4));

	for (i = 0; i < 2 * DRM_GEM_FORWARD_NAMED; i++) {
		KUNIT_EXPECT_TRUE(test, drm_gem_forward_name_once(named, 1000 + i,
								  10 + i));
		if (drm_gem_forward_name_once(named, 100, 1))
			first++;
	}
	/*
	 * Forgotten, and so named again, once DRM_GEM_FORWARD_NAMED others
	 * were named after it: twice in 2 * DRM_GEM_FORWARD_NAMED rounds that
	 * name one new process each, and it once more each time it is.
	 */
	KUNIT_EXPECT_EQ(test, first, 2);
}

struct drm_gem_forward_test_warner {
	const struct drm_gem_object *obj;
	const struct dma_buf *dmabuf;
	struct completion done;
	bool named;
};

static int drm_gem_forward_test_warn_thread(void *data)
{
	struct drm_gem_forward_test_warner *warner = data;

	warner->named = drm_gem_forward_warn_writable(warner->obj,
						      warner->dmabuf);
	kthread_complete_and_exit(&warner->done, 0);
}

/*
 * The warning of a writable forward of a read-only dma-buf through a
 * compatibility driver, from the real drm_gem_forward_warn_writable(): the
 * other cases stub it. The test case succeeds if the test's process is
 * named the first time and not the second, and another process (a kthread
 * of its own) is named after it.
 */
static void drm_gem_forward_test_warn_writable(struct kunit *test)
{
	struct drm_gem_forward_test_warner warner = {};
	struct drm_gem_forward_test_import *imp;
	struct task_struct *task;

	imp = drm_gem_forward_test_setup(test, IMPORTER_RW_COMPAT,
					 EXPORTER_VM_OPS, O_RDONLY);
	KUNIT_EXPECT_TRUE(test, drm_gem_forward_warn_writable(imp->obj,
							      imp->dmabuf));
	KUNIT_EXPECT_FALSE(test, drm_gem_forward_warn_writable(imp->obj,
							       imp->dmabuf));

	warner.obj = imp->obj;
	warner.dmabuf = imp->dmabuf;
	init_completion(&warner.done);
	task = kthread_run(drm_gem_forward_test_warn_thread, &warner,
			   "drm_gem_forward_warn");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	wait_for_completion(&warner.done);
	KUNIT_EXPECT_TRUE(test, warner.named);
}

/*
 * Map an imported object privately, as mmap() of the dma-buf file may: the
 * exporter decides. The test case succeeds if a private writable mapping
 * of a read-write and of a read-only dma-buf is handed to the exporter,
 * as private mappings of the dma-buf file are, shows the exporter's data,
 * and keeps writes to itself (copy-on-write), and the counts are back
 * after munmap().
 */
static void drm_gem_forward_test_private(struct kunit *test)
{
	struct drm_gem_forward_test_import *imps[2];
	struct drm_gem_forward_test_counts before;
	struct drm_gem_forward_test_ctx *ctx;
	unsigned long addr, direct;
	unsigned int i;
	u8 *chunk;
	long ret;

	drm_gem_forward_test_require_forwarding(test);
	ctx = drm_gem_forward_test_open(test, IMPORTER_OPTED_IN);
	imps[0] = drm_gem_forward_test_import(ctx, EXPORTER_VM_OPS, O_RDWR);
	imps[1] = drm_gem_forward_test_import(ctx, EXPORTER_VM_OPS, O_RDONLY);
	chunk = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, chunk);

	for (i = 0; i < ARRAY_SIZE(imps); i++) {
		struct drm_gem_forward_test_import *imp = imps[i];

		drm_gem_forward_test_counts(imp, &before);
		ret = drm_gem_forward_test_vm_mmap(ctx, TEST_SIZE,
						   PROT_READ | PROT_WRITE,
						   MAP_PRIVATE, imp->offset,
						   &addr);
		KUNIT_ASSERT_EQ(test, ret, 0);
		/* Handed to the exporter's mmap. */
		KUNIT_EXPECT_EQ(test, atomic_read(&imp->buf->mmaps), 1);
		drm_gem_forward_test_check_data(test, imp->buf, 2,
						addr + 2 * PAGE_SIZE, false);

		/* Copy-on-write: the exporter's page keeps its data. */
		memset(chunk, 0x11, PAGE_SIZE);
		KUNIT_EXPECT_EQ(test, copy_to_user((void __user *)addr + 2 * PAGE_SIZE,
						   chunk, PAGE_SIZE), 0);
		KUNIT_EXPECT_TRUE(test, drm_gem_forward_test_page_is(imp->buf->pages[2],
								     0xa2));

		drm_gem_forward_test_munmap(addr, TEST_SIZE);
		drm_gem_forward_test_expect_counts(test, imp, &before, 0);

		/*
		 * What mmap() of the dma-buf file gives. Mapped after the
		 * forward: kunit_vm_mmap() gave this kthread its mm.
		 */
		direct = vm_mmap(imp->dmabuf->file, 0, TEST_SIZE,
				 PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
		KUNIT_ASSERT_FALSE_MSG(test, IS_ERR_VALUE(direct),
				       "private mmap of the dma-buf file: %ld",
				       (long)direct);
		KUNIT_EXPECT_EQ(test, atomic_read(&imp->buf->mmaps), 2);
		drm_gem_forward_test_munmap(direct, TEST_SIZE);
	}
}

/*
 * Map more than the object, or from inside it, through drm_gem_mmap().
 * The test case succeeds if both fail with -EINVAL and the exporter is
 * never asked.
 */
static void drm_gem_forward_test_oversize(struct kunit *test)
{
	struct drm_gem_forward_test_import *imp;
	unsigned long addr;

	drm_gem_forward_test_require_forwarding(test);
	imp = drm_gem_forward_test_setup(test, IMPORTER_OPTED_IN,
					 EXPORTER_VM_OPS, O_RDWR);

	KUNIT_EXPECT_EQ(test, drm_gem_forward_test_vm_mmap(imp->ctx,
							   TEST_SIZE + PAGE_SIZE,
							   PROT_READ, MAP_SHARED,
							   imp->offset, &addr),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, drm_gem_forward_test_vm_mmap(imp->ctx, PAGE_SIZE,
							   PROT_READ, MAP_SHARED,
							   imp->offset + PAGE_SIZE,
							   &addr),
			-EINVAL);
	flush_delayed_fput();
	KUNIT_EXPECT_EQ(test, atomic_read(&imp->buf->mmaps), 0);
}

/*
 * Map part of an imported object through a driver mmap path of its own
 * that looks offsets up with a non-exact lookup and hands its lookup
 * reference to the VMA, after setting the VMA's vm_ops and private data as
 * for one of its own objects. The test case succeeds if the exporter is
 * handed the VMA with neither, a mapping that starts at
 * the object's second page shows the exporter's second and third pages, a
 * mapping running past the end fails with -EINVAL, and the driver's
 * reference is dropped on success and left to the driver on failure, so
 * the GEM object's count is unchanged after both.
 */
static void drm_gem_forward_test_partial(struct kunit *test)
{
	struct drm_gem_forward_test_import *imp;
	struct drm_gem_forward_test_counts before;
	unsigned long addr;
	long ret;

	drm_gem_forward_test_require_forwarding(test);
	imp = drm_gem_forward_test_setup(test, IMPORTER_OWN_MMAP,
					 EXPORTER_VM_OPS, O_RDWR);
	drm_gem_forward_test_counts(imp, &before);

	ret = drm_gem_forward_test_vm_mmap(imp->ctx, 2 * PAGE_SIZE,
					   PROT_READ | PROT_WRITE, MAP_SHARED,
					   imp->offset + PAGE_SIZE, &addr);
	KUNIT_ASSERT_EQ(test, ret, 0);
	drm_gem_forward_test_expect_counts(test, imp, &before, 1);
	/* The driver had prepared the VMA as its own: none of it reached. */
	KUNIT_EXPECT_NULL(test, imp->buf->handed_ops);
	KUNIT_EXPECT_NULL(test, imp->buf->handed_private);

	drm_gem_forward_test_check_data(test, imp->buf, 1, addr, true);
	drm_gem_forward_test_check_data(test, imp->buf, 2, addr + PAGE_SIZE,
					true);
	drm_gem_forward_test_munmap(addr, 2 * PAGE_SIZE);

	ret = drm_gem_forward_test_vm_mmap(imp->ctx, TEST_SIZE,
					   PROT_READ | PROT_WRITE, MAP_SHARED,
					   imp->offset + PAGE_SIZE, &addr);
	flush_delayed_fput();
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	drm_gem_forward_test_expect_counts(test, imp, &before, 0);
}

/*
 * Close the handle and drop every reference to the object and the dma-buf
 * while a forwarded mapping exists. The test case succeeds if the data
 * stays reachable through the mapping, the exporter's buffer is released
 * only at munmap(), and is released then.
 */
static void drm_gem_forward_test_outlives_handles(struct kunit *test)
{
	struct drm_gem_forward_test_import *imp;
	unsigned long addr;
	long ret;

	drm_gem_forward_test_require_forwarding(test);
	imp = drm_gem_forward_test_setup(test, IMPORTER_OPTED_IN,
					 EXPORTER_VM_OPS, O_RDWR);

	ret = drm_gem_forward_test_vm_mmap(imp->ctx, TEST_SIZE,
					   PROT_READ | PROT_WRITE, MAP_SHARED,
					   imp->offset, &addr);
	KUNIT_ASSERT_EQ(test, ret, 0);

	kunit_release_action(test, drm_gem_forward_test_handle_delete, imp);
	kunit_release_action(test, drm_gem_object_put_wrapper, imp->obj);
	kunit_release_action(test, drm_gem_forward_test_dma_buf_put,
			     imp->dmabuf);
	kunit_release_action(test, drm_gem_forward_test_fput, imp->ctx->file);
	KUNIT_EXPECT_FALSE(test, imp->buf->released);

	drm_gem_forward_test_check_data(test, imp->buf, 3, addr + 3 * PAGE_SIZE,
					true);

	drm_gem_forward_test_munmap(addr, TEST_SIZE);
	KUNIT_EXPECT_TRUE(test, imp->buf->released);
	KUNIT_EXPECT_EQ(test, atomic_read(&imp->buf->vm_closes), 1);
}

/*
 * Map an import through drm_gem_prime_mmap(). The shmem helper's mmap
 * callback would forward it and drop the GEM reference, and
 * drm_gem_prime_mmap() would then set the exporter's vm_private_data to the
 * importer's object. The test case succeeds if the mapping fails with
 * -EINVAL under each policy (stubbed), the exporter is not called, every
 * count is back to where it was, and the same path maps an object of the
 * driver's own.
 */
static void drm_gem_forward_test_prime_mmap(struct kunit *test)
{
	static const enum drm_gem_forward_policy policies[] = {
		DRM_GEM_FORWARD_NEVER,
		DRM_GEM_FORWARD_OPT_IN,
		DRM_GEM_FORWARD_ALL,
	};
	struct drm_gem_forward_test_import *imp;
	struct drm_gem_forward_test_counts before;
	struct drm_gem_shmem_object *shmem;
	struct drm_file *file_priv;
	unsigned long addr;
	unsigned int i;
	u32 handle;
	u64 offset;
	long ret;

	imp = drm_gem_forward_test_setup(test, IMPORTER_PRIME_MMAP,
					 EXPORTER_NO_VM_OPS, O_RDWR);
	file_priv = imp->ctx->file->private_data;
	drm_gem_forward_test_counts(imp, &before);

	for (i = 0; i < ARRAY_SIZE(policies); i++) {
		drm_gem_forward_test_use_policy(test, policies[i]);
		ret = drm_gem_forward_test_vm_mmap(imp->ctx, TEST_SIZE,
						   PROT_READ, MAP_SHARED,
						   imp->offset, &addr);
		if (!ret)
			drm_gem_forward_test_munmap(addr, TEST_SIZE);
		flush_delayed_fput();
		KUNIT_EXPECT_EQ_MSG(test, ret, -EINVAL, "policy %s",
				    drm_gem_forward_policy_name(policies[i]));
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&imp->buf->mmaps), 0);
	drm_gem_forward_test_expect_counts(test, imp, &before, 0);

	/* The control: the same path maps the driver's own objects. */
	shmem = drm_gem_shmem_create(imp->ctx->drm, TEST_SIZE);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, shmem);
	ret = drm_gem_handle_create(file_priv, &shmem->base, &handle);
	drm_gem_object_put(&shmem->base);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = drm_gem_dumb_map_offset(file_priv, imp->ctx->drm, handle,
				      &offset);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = drm_gem_forward_test_vm_mmap(imp->ctx, TEST_SIZE,
					   PROT_READ | PROT_WRITE, MAP_SHARED,
					   offset, &addr);
	KUNIT_EXPECT_EQ(test, ret, 0);
	if (!ret)
		drm_gem_forward_test_munmap(addr, TEST_SIZE);
	KUNIT_EXPECT_EQ(test, drm_gem_handle_delete(file_priv, handle), 0);
}

static const enum drm_gem_forward_test_importer drm_gem_forward_test_dma_importers[] = {
	IMPORTER_DMA,
	IMPORTER_DMA_DIRECT,
};

static void
drm_gem_forward_test_dma_desc(const enum drm_gem_forward_test_importer *importer,
			      char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s",
		 *importer == IMPORTER_DMA ? "through drm_gem_mmap()" :
		 "through drm_gem_dma_mmap()");
}

KUNIT_ARRAY_PARAM(drm_gem_forward_test_dma_importers,
		  drm_gem_forward_test_dma_importers,
		  drm_gem_forward_test_dma_desc);

/*
 * Map an import of a DMA-helper driver, through drm_gem_mmap() and through
 * a driver's own call of drm_gem_dma_mmap(). The test case succeeds if the
 * mapping is the exporter's (the DMA API would map from the import's
 * kernel address, which it does not have, and its device address), data
 * shows both ways, the counts are back after munmap(), and a read-only
 * dma-buf refuses PROT_WRITE with -EACCES, even without
 * CONFIG_DRM_GEM_FORWARD_ACCESS_MODE.
 */
static void drm_gem_forward_test_dma_helper(struct kunit *test)
{
	const enum drm_gem_forward_test_importer *importer = test->param_value;
	struct drm_gem_forward_test_import *imp, *ro;
	struct drm_gem_forward_test_vma vma = {};
	struct drm_gem_forward_test_ctx *ctx;
	struct drm_gem_forward_test_counts before;
	unsigned long addr;
	long ret;

	drm_gem_forward_test_require_forwarding(test);
	drm_gem_forward_test_use_access_mode(test, false);
	ctx = drm_gem_forward_test_open(test, *importer);
	imp = drm_gem_forward_test_import(ctx, EXPORTER_VM_OPS, O_RDWR);
	ro = drm_gem_forward_test_import(ctx, EXPORTER_VM_OPS, O_RDONLY);
	/* Nothing of the buffer is the importer's to map. */
	KUNIT_ASSERT_NULL(test, to_drm_gem_dma_obj(imp->obj)->vaddr);

	drm_gem_forward_test_counts(imp, &before);

	ret = drm_gem_forward_test_vm_mmap(ctx, TEST_SIZE,
					   PROT_READ | PROT_WRITE, MAP_SHARED,
					   imp->offset, &addr);
	KUNIT_ASSERT_EQ(test, ret, 0);

	drm_gem_forward_test_vma(test, addr, &vma);
	KUNIT_EXPECT_PTR_EQ(test, vma.file, imp->dmabuf->file);
	KUNIT_EXPECT_PTR_EQ(test, vma.ops, &drm_gem_forward_test_vm_ops);
	drm_gem_forward_test_expect_counts(test, imp, &before, 1);
	drm_gem_forward_test_check_data(test, imp->buf, 0, addr, true);
	drm_gem_forward_test_check_data(test, imp->buf, TEST_PAGES - 1,
					addr + (TEST_PAGES - 1) * PAGE_SIZE,
					true);

	drm_gem_forward_test_munmap(addr, TEST_SIZE);
	drm_gem_forward_test_expect_counts(test, imp, &before, 0);

	KUNIT_EXPECT_EQ(test, drm_gem_forward_test_vm_mmap(ctx, TEST_SIZE,
							   PROT_READ | PROT_WRITE,
							   MAP_SHARED,
							   ro->offset, &addr),
			-EACCES);
	flush_delayed_fput();
}

struct drm_gem_forward_test_policy_param {
	enum drm_gem_forward_policy policy;
	enum drm_gem_forward_test_importer importer;
};

static const struct drm_gem_forward_test_policy_param drm_gem_forward_test_policies[] = {
	{ DRM_GEM_FORWARD_NEVER, IMPORTER_OPTED_IN },
	{ DRM_GEM_FORWARD_NEVER, IMPORTER_NOT_OPTED_IN },
	{ DRM_GEM_FORWARD_OPT_IN, IMPORTER_OPTED_IN },
	{ DRM_GEM_FORWARD_OPT_IN, IMPORTER_NOT_OPTED_IN },
	{ DRM_GEM_FORWARD_ALL, IMPORTER_OPTED_IN },
	{ DRM_GEM_FORWARD_ALL, IMPORTER_NOT_OPTED_IN },
	{ DRM_GEM_FORWARD_OPT_IN, IMPORTER_WRAPPER },
	{ DRM_GEM_FORWARD_ALL, IMPORTER_WRAPPER },
};

static const char * const drm_gem_forward_test_importer_names[] = {
	[IMPORTER_OPTED_IN] = "opted in",
	[IMPORTER_NOT_OPTED_IN] = "not opted in",
	[IMPORTER_WRAPPER] = "not opted in, mmap wraps drm_gem_mmap()",
};

static void
drm_gem_forward_test_policy_desc(const struct drm_gem_forward_test_policy_param *p,
				 char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "policy %s, driver %s",
		 drm_gem_forward_policy_name(p->policy),
		 drm_gem_forward_test_importer_names[p->importer]);
}

KUNIT_ARRAY_PARAM(drm_gem_forward_test_policies, drm_gem_forward_test_policies,
		  drm_gem_forward_test_policy_desc);

/*
 * Ask for a policy, then map an import of an opted-in driver, of a driver
 * that did not opt in, and of one whose mmap wraps drm_gem_mmap() and uses
 * the VMA afterwards, with that policy in force for this test only. The test
 * case succeeds if asking for a policy looser than the built-in one is
 * refused with -EPERM and leaves the built-in one, and if, for the policy
 * asked for, drm_gem_forward_allowed(), the dumb map offset (an offset or
 * -EINVAL) and mmap() at the offset the import already has (forwarded with
 * the data visible, or -EPERM without asking the exporter) all give the same
 * answer: never refuses, opt-in forwards for the opted-in driver only, all
 * forwards for every driver but the wrapper, which never sees a forwarded
 * VMA.
 */
static void drm_gem_forward_test_policy(struct kunit *test)
{
	const struct drm_gem_forward_test_policy_param *p = test->param_value;
	enum drm_gem_forward_policy builtin = CONFIG_DRM_GEM_FORWARD_DEFAULT;
	int in_force;
	struct drm_gem_forward_test_import *imp;
	struct drm_gem_forward_test_counts before;
	unsigned long addr;
	bool allowed;
	u64 offset;
	long ret;

	imp = drm_gem_forward_test_setup(test, p->importer, EXPORTER_VM_OPS,
					 O_RDWR);
	drm_gem_forward_test_counts(imp, &before);

	in_force = builtin;
	ret = drm_gem_forward_tighten(&in_force, p->policy);
	if (p->policy > builtin) {
		KUNIT_EXPECT_EQ(test, ret, -EPERM);
		KUNIT_EXPECT_EQ(test, in_force, builtin);
	} else {
		KUNIT_EXPECT_EQ(test, ret, 0);
		KUNIT_EXPECT_EQ(test, in_force, p->policy);
	}

	/* Whatever the build, decide under the policy asked for. */
	in_force = p->policy;
	drm_gem_forward_test_use_policy(test, in_force);
	KUNIT_ASSERT_EQ(test, drm_gem_forward_get_policy(), in_force);
	drm_gem_forward_test_wrapper_got_foreign_vma = false;

	allowed = (in_force == DRM_GEM_FORWARD_ALL &&
		   p->importer != IMPORTER_WRAPPER) ||
		  (in_force == DRM_GEM_FORWARD_OPT_IN &&
		   p->importer == IMPORTER_OPTED_IN);
	KUNIT_EXPECT_EQ(test, drm_gem_forward_allowed(imp->obj), allowed);

	ret = drm_gem_dumb_map_offset(imp->ctx->file->private_data, imp->ctx->drm,
				      imp->handle, &offset);
	if (allowed) {
		KUNIT_EXPECT_EQ(test, ret, 0);
		KUNIT_EXPECT_EQ(test, offset, imp->offset);
	} else {
		KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	}

	ret = drm_gem_forward_test_vm_mmap(imp->ctx, TEST_SIZE,
					   PROT_READ | PROT_WRITE, MAP_SHARED,
					   imp->offset, &addr);
	if (allowed) {
		KUNIT_ASSERT_EQ(test, ret, 0);
		drm_gem_forward_test_check_data(test, imp->buf, 0, addr, true);
		drm_gem_forward_test_munmap(addr, TEST_SIZE);
	} else {
		flush_delayed_fput();
		KUNIT_EXPECT_EQ(test, ret, -EPERM);
		KUNIT_EXPECT_EQ(test, atomic_read(&imp->buf->mmaps), 0);
	}
	KUNIT_EXPECT_FALSE(test, drm_gem_forward_test_wrapper_got_foreign_vma);
	drm_gem_forward_test_expect_counts(test, imp, &before, 0);
}

/*
 * Tighten a policy variable as drm_gem_forward_set_policy() tightens the one
 * in force, parse parameter values, and apply values given at load time.
 * The test case succeeds if every policy up to the built-in one is taken
 * and anything looser refused with -EPERM, once tightened a policy cannot be
 * loosened again (not even back to the built-in one), values that are no
 * policy are refused with -EINVAL, a value given at load time never fails
 * but is clamped to the policy in force or ignored, names match the
 * parameter's, and the policy in force is still the built-in one.
 */
static void drm_gem_forward_test_set_policy(struct kunit *test)
{
	enum drm_gem_forward_policy builtin = CONFIG_DRM_GEM_FORWARD_DEFAULT;
	int policy, in_force;

	KUNIT_EXPECT_EQ(test, drm_gem_forward_get_policy(), builtin);

	for (policy = DRM_GEM_FORWARD_NEVER; policy <= DRM_GEM_FORWARD_ALL;
	     policy++) {
		in_force = builtin;
		KUNIT_EXPECT_EQ(test, drm_gem_forward_tighten(&in_force, policy),
				policy <= builtin ? 0 : -EPERM);
		KUNIT_EXPECT_EQ(test, in_force, min_t(int, policy, builtin));
	}

	/* Monotonic: once never, nothing else, not even the built-in one. */
	in_force = builtin;
	KUNIT_EXPECT_EQ(test, drm_gem_forward_tighten(&in_force,
						      DRM_GEM_FORWARD_NEVER), 0);
	for (policy = DRM_GEM_FORWARD_OPT_IN; policy <= DRM_GEM_FORWARD_ALL;
	     policy++)
		KUNIT_EXPECT_EQ(test, drm_gem_forward_tighten(&in_force, policy),
				-EPERM);
	KUNIT_EXPECT_EQ(test, in_force, DRM_GEM_FORWARD_NEVER);

	KUNIT_EXPECT_EQ(test, drm_gem_forward_tighten(&in_force,
						      DRM_GEM_FORWARD_ALL + 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, drm_gem_forward_tighten(&in_force, -1), -EINVAL);

	KUNIT_EXPECT_EQ(test, drm_gem_forward_parse_policy("never"),
			DRM_GEM_FORWARD_NEVER);
	KUNIT_EXPECT_EQ(test, drm_gem_forward_parse_policy("opt-in\n"),
			DRM_GEM_FORWARD_OPT_IN);
	KUNIT_EXPECT_EQ(test, drm_gem_forward_parse_policy("all"),
			DRM_GEM_FORWARD_ALL);
	KUNIT_EXPECT_EQ(test, drm_gem_forward_parse_policy("1"),
			DRM_GEM_FORWARD_OPT_IN);
	KUNIT_EXPECT_EQ(test, drm_gem_forward_parse_policy("3"), -EINVAL);
	KUNIT_EXPECT_EQ(test, drm_gem_forward_parse_policy("-1"), -EINVAL);
	KUNIT_EXPECT_EQ(test, drm_gem_forward_parse_policy("everything"),
			-EINVAL);

	/* At load: clamped or ignored with a warning, never an error. */
	in_force = builtin;
	KUNIT_EXPECT_EQ(test, drm_gem_forward_load_policy(&in_force, "all"), 0);
	KUNIT_EXPECT_EQ(test, in_force, builtin);
	KUNIT_EXPECT_EQ(test, drm_gem_forward_load_policy(&in_force, "bogus"), 0);
	KUNIT_EXPECT_EQ(test, in_force, builtin);
	KUNIT_EXPECT_EQ(test, drm_gem_forward_load_policy(&in_force, "never"), 0);
	KUNIT_EXPECT_EQ(test, in_force, DRM_GEM_FORWARD_NEVER);
	KUNIT_EXPECT_EQ(test, drm_gem_forward_load_policy(&in_force, "opt-in"), 0);
	KUNIT_EXPECT_EQ(test, in_force, DRM_GEM_FORWARD_NEVER);

	KUNIT_EXPECT_STREQ(test, drm_gem_forward_policy_name(DRM_GEM_FORWARD_NEVER),
			   "never");
	KUNIT_EXPECT_STREQ(test, drm_gem_forward_policy_name(DRM_GEM_FORWARD_OPT_IN),
			   "opt-in");
	KUNIT_EXPECT_STREQ(test, drm_gem_forward_policy_name(DRM_GEM_FORWARD_ALL),
			   "all");

	/* None of this touched the policy in force. */
	KUNIT_EXPECT_EQ(test, drm_gem_forward_get_policy(), builtin);
}

/*
 * Map a native shmem object while the policy is never. The test case
 * succeeds if drm_gem_forward_allowed() is false for it and it maps and
 * shows its data as before: the policy only concerns imported objects.
 */
static void drm_gem_forward_test_native(struct kunit *test)
{
	struct drm_gem_forward_test_ctx *ctx;
	struct drm_gem_shmem_object *shmem;
	unsigned long addr;
	u8 *chunk;
	u32 handle;
	u64 offset;
	long ret;

	ctx = drm_gem_forward_test_open(test, IMPORTER_OPTED_IN);
	drm_gem_forward_test_use_policy(test, DRM_GEM_FORWARD_NEVER);

	shmem = drm_gem_shmem_create(ctx->drm, TEST_SIZE);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, shmem);
	ret = drm_gem_handle_create(ctx->file->private_data, &shmem->base,
				    &handle);
	drm_gem_object_put(&shmem->base);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_FALSE(test, drm_gem_forward_allowed(&shmem->base));

	ret = drm_gem_dumb_map_offset(ctx->file->private_data, ctx->drm,
				      handle, &offset);
	KUNIT_ASSERT_EQ(test, ret, 0);

	ret = drm_gem_forward_test_vm_mmap(ctx, TEST_SIZE,
					   PROT_READ | PROT_WRITE, MAP_SHARED,
					   offset, &addr);
	KUNIT_ASSERT_EQ(test, ret, 0);

	chunk = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, chunk);
	memset(chunk, 0x3c, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, copy_to_user((void __user *)addr, chunk,
					   PAGE_SIZE), 0);
	memset(chunk, 0, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, copy_from_user(chunk, (void __user *)addr,
					     PAGE_SIZE), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(chunk, 0x3c, PAGE_SIZE));

	drm_gem_forward_test_munmap(addr, TEST_SIZE);
	KUNIT_EXPECT_EQ(test, drm_gem_handle_delete(ctx->file->private_data,
						    handle), 0);
}

/* Fill each page of a user range with its page number, then check it. */
static void drm_gem_forward_test_number_pages(struct kunit *test,
					      unsigned long addr,
					      unsigned int first,
					      unsigned int count, bool write)
{
	u8 *chunk = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, chunk);
	for (i = 0; i < count; i++) {
		void __user *page = (void __user *)(addr + i * PAGE_SIZE);

		if (write) {
			memset(chunk, 0x70 + first + i, PAGE_SIZE);
			KUNIT_EXPECT_EQ(test, copy_to_user(page, chunk, PAGE_SIZE),
					0);
			continue;
		}
		KUNIT_EXPECT_EQ(test, copy_from_user(chunk, page, PAGE_SIZE), 0);
		KUNIT_EXPECT_NULL_MSG(test, memchr_inv(chunk, 0x70 + first + i,
						       PAGE_SIZE),
				      "page %u shows another page's data",
				      first + i);
	}
}

/*
 * Map a native shmem object, number its pages, and check two mappings that
 * do not start at the object's first page: what is left of the mapping after
 * munmap() of its first page, and an mmap() of the object's dma-buf at an
 * offset of one page. The test case succeeds if every page shows its own
 * number: the shmem helper's fault handler finds the object's page from the
 * VMA's offset, not from the distance to the start of the VMA.
 */
static void drm_gem_forward_test_shmem_fault_offset(struct kunit *test)
{
	struct drm_gem_forward_test_ctx *ctx;
	struct drm_gem_shmem_object *shmem;
	struct dma_buf *dmabuf;
	unsigned long addr;
	u32 handle;
	u64 offset;
	long ret;

	ctx = drm_gem_forward_test_open(test, IMPORTER_OPTED_IN);
	shmem = drm_gem_shmem_create(ctx->drm, TEST_SIZE);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, shmem);
	ret = drm_gem_handle_create(ctx->file->private_data, &shmem->base,
				    &handle);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = drm_gem_dumb_map_offset(ctx->file->private_data, ctx->drm,
				      handle, &offset);
	KUNIT_ASSERT_EQ(test, ret, 0);

	/* Number the pages through a first mapping, then drop it. */
	ret = drm_gem_forward_test_vm_mmap(ctx, TEST_SIZE,
					   PROT_READ | PROT_WRITE, MAP_SHARED,
					   offset, &addr);
	KUNIT_ASSERT_EQ(test, ret, 0);
	drm_gem_forward_test_number_pages(test, addr, 0, TEST_PAGES, true);
	drm_gem_forward_test_munmap(addr, TEST_SIZE);

	/* A new mapping, its first page unmapped before any fault. */
	ret = drm_gem_forward_test_vm_mmap(ctx, TEST_SIZE, PROT_READ,
					   MAP_SHARED, offset, &addr);
	KUNIT_ASSERT_EQ(test, ret, 0);
	drm_gem_forward_test_munmap(addr, PAGE_SIZE);
	drm_gem_forward_test_number_pages(test, addr + PAGE_SIZE, 1,
					  TEST_PAGES - 1, false);
	drm_gem_forward_test_munmap(addr + PAGE_SIZE, TEST_SIZE - PAGE_SIZE);

	/* The object's dma-buf, mapped from its second page. */
	dmabuf = drm_gem_prime_export(&shmem->base, O_RDWR);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dmabuf);
	ret = kunit_add_action_or_reset(test, drm_gem_forward_test_dma_buf_put,
					dmabuf);
	KUNIT_ASSERT_EQ(test, ret, 0);
	addr = vm_mmap(dmabuf->file, 0, TEST_SIZE - PAGE_SIZE, PROT_READ,
		       MAP_SHARED, PAGE_SIZE);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR_VALUE(addr), "mmap: %ld",
			       (long)addr);
	drm_gem_forward_test_number_pages(test, addr, 1, TEST_PAGES - 1, false);
	drm_gem_forward_test_munmap(addr, TEST_SIZE - PAGE_SIZE);

	drm_gem_object_put(&shmem->base);
	KUNIT_EXPECT_EQ(test, drm_gem_handle_delete(ctx->file->private_data,
						    handle), 0);
}

static int drm_gem_forward_test_init(struct kunit *test)
{
	struct device *dev;
	int ret;

	dev = drm_kunit_helper_alloc_device(test);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);

	/* The importer maps the exporter's sg table for DMA. */
	ret = dma_set_mask(dev, DMA_BIT_MASK(64));
	KUNIT_ASSERT_EQ(test, ret, 0);

	test->priv = dev;

	return 0;
}

static struct kunit_case drm_gem_forward_test_cases[] = {
	KUNIT_CASE_PARAM(drm_gem_forward_test_map,
			 drm_gem_forward_test_mapping_exporters_gen_params),
	KUNIT_CASE_PARAM(drm_gem_forward_test_exporter_fails,
			 drm_gem_forward_test_failing_exporters_gen_params),
	KUNIT_CASE_PARAM(drm_gem_forward_test_read_only,
			 drm_gem_forward_test_ro_params_gen_params),
	KUNIT_CASE(drm_gem_forward_test_write_only),
	KUNIT_CASE(drm_gem_forward_test_name_once),
	KUNIT_CASE(drm_gem_forward_test_warn_writable),
	KUNIT_CASE(drm_gem_forward_test_private),
	KUNIT_CASE(drm_gem_forward_test_oversize),
	KUNIT_CASE(drm_gem_forward_test_partial),
	KUNIT_CASE(drm_gem_forward_test_outlives_handles),
	KUNIT_CASE(drm_gem_forward_test_prime_mmap),
	KUNIT_CASE(drm_gem_forward_test_close_races_mmap),
	KUNIT_CASE_PARAM(drm_gem_forward_test_dma_helper,
			 drm_gem_forward_test_dma_importers_gen_params),
	KUNIT_CASE_PARAM(drm_gem_forward_test_policy,
			 drm_gem_forward_test_policies_gen_params),
	KUNIT_CASE(drm_gem_forward_test_set_policy),
	KUNIT_CASE(drm_gem_forward_test_native),
	KUNIT_CASE(drm_gem_forward_test_shmem_fault_offset),
	{}
};

static struct kunit_suite drm_gem_forward_test_suite = {
	.name = "drm_gem_forward",
	.init = drm_gem_forward_test_init,
	.test_cases = drm_gem_forward_test_cases,
};

kunit_test_suite(drm_gem_forward_test_suite);

MODULE_DESCRIPTION("KUnit test suite for forwarding mmap() of imported GEM objects");
MODULE_IMPORT_NS("DMA_BUF");
MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
MODULE_LICENSE("GPL");
