// SPDX-License-Identifier: GPL-2.0
/*
 * PRIME helpers shared by the drm_gem_forward selftest, its device matrix
 * and its benchmark. Every function returns 0 or a negative errno.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <drm/drm.h>
#include <drm/drm_mode.h>
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <linux/udmabuf.h>

#include "../../../kselftest.h"
#include "prime.h"

#define DUMB_PITCH	4096

const char * const prime_exporters[] = {
	"vgem", "vkms", "virtio_gpu", "udmabuf", "system-heap",
};

const unsigned int prime_num_exporters = ARRAY_SIZE(prime_exporters);

const char * const prime_importers[] = {
	"vgem", "vkms", "cirrus-qemu", "virtio_gpu",
};

const unsigned int prime_num_importers = ARRAY_SIZE(prime_importers);

static int xioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, request, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));

	return ret ? -errno : 0;
}

/**
 * prime_open_driver() - open the primary node of a DRM driver
 * @name: driver name as DRM_IOCTL_VERSION reports it
 *
 * Return: a file descriptor, or -ENODEV if no device of @name exists.
 */
int prime_open_driver(const char *name)
{
	char path[64], drv[64];
	int minor, fd;

	for (minor = 0; minor < 64; minor++) {
		struct drm_version version = {
			.name = drv,
			.name_len = sizeof(drv) - 1,
		};

		snprintf(path, sizeof(path), "/dev/dri/card%d", minor);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		memset(drv, 0, sizeof(drv));
		if (!xioctl(fd, DRM_IOCTL_VERSION, &version) &&
		    !strcmp(drv, name))
			return fd;
		close(fd);
	}

	return -ENODEV;
}

static int export_dumb(struct prime_buf *buf, size_t size, bool writable)
{
	struct drm_mode_create_dumb create = {
		.width = DUMB_PITCH / 4,
		.height = (size + DUMB_PITCH - 1) / DUMB_PITCH,
		.bpp = 32,
	};
	int ret;

	buf->dev_fd = prime_open_driver(buf->exporter);
	if (buf->dev_fd < 0)
		return buf->dev_fd;

	ret = xioctl(buf->dev_fd, DRM_IOCTL_MODE_CREATE_DUMB, &create);
	if (ret)
		return ret;
	buf->handle = create.handle;
	buf->size = create.size;

	return prime_handle_to_fd(buf->dev_fd, buf->handle, writable,
				  &buf->dmabuf_fd);
}

static int export_udmabuf(struct prime_buf *buf, size_t size, bool writable)
{
	struct udmabuf_create create = {
		.flags = UDMABUF_FLAGS_CLOEXEC,
		.size = size,
	};
	int dev, ret;

	/* udmabuf always exports read-write. */
	if (!writable)
		return -EOPNOTSUPP;

	dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
	if (dev < 0)
		return -ENODEV;

	buf->memfd = memfd_create("prime", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	if (buf->memfd < 0 || ftruncate(buf->memfd, size) ||
	    fcntl(buf->memfd, F_ADD_SEALS, F_SEAL_SHRINK)) {
		ret = -errno;
		goto out;
	}

	create.memfd = buf->memfd;
	ret = ioctl(dev, UDMABUF_CREATE, &create);
	if (ret < 0) {
		ret = -errno;
		goto out;
	}
	buf->dmabuf_fd = ret;
	buf->size = size;
	ret = 0;
out:
	close(dev);
	return ret;
}

static int export_heap(struct prime_buf *buf, size_t size, bool writable)
{
	struct dma_heap_allocation_data alloc = {
		.len = size,
		.fd_flags = O_CLOEXEC | (writable ? O_RDWR : O_RDONLY),
	};
	int heap, ret;

	heap = open("/dev/dma_heap/system", O_RDONLY | O_CLOEXEC);
	if (heap < 0)
		return -ENODEV;

	ret = xioctl(heap, DMA_HEAP_IOCTL_ALLOC, &alloc);
	close(heap);
	if (ret)
		return ret;

	buf->dmabuf_fd = alloc.fd;
	buf->size = size;
	return 0;
}

/**
 * prime_export() - make a dma-buf of at least @size bytes
 * @exporter: one of prime_exporters
 * @size: size in bytes
 * @writable: export read-write (DRM_RDWR, O_RDWR) or read-only
 * @buf: the buffer, to be released with prime_release()
 *
 * Return: 0, -ENODEV if the exporter is absent, -EOPNOTSUPP if it cannot
 * export read-only, or the error of the export.
 */
int prime_export(const char *exporter, size_t size, bool writable,
		 struct prime_buf *buf)
{
	memset(buf, 0, sizeof(*buf));
	buf->exporter = exporter;
	buf->dev_fd = -1;
	buf->memfd = -1;
	buf->dmabuf_fd = -1;

	if (!strcmp(exporter, "udmabuf"))
		return export_udmabuf(buf, size, writable);
	if (!strcmp(exporter, "system-heap"))
		return export_heap(buf, size, writable);

	return export_dumb(buf, size, writable);
}

/**
 * prime_map_native() - map the buffer the exporter's own way
 * @buf: the buffer
 *
 * A DRM exporter's buffer is mapped through its own DRM file, a udmabuf
 * through its memfd, a heap buffer through the dma-buf (a heap has no
 * other way); read-only for a read-only heap buffer, read-write otherwise.
 *
 * Return: 0 with @buf->native set, or a negative errno.
 */
int prime_map_native(struct prime_buf *buf)
{
	int prot = PROT_READ | PROT_WRITE;
	uint64_t offset = 0;
	int fd, ret;

	if (buf->dev_fd >= 0) {
		ret = prime_map_offset(buf->dev_fd, buf->handle, &offset);
		if (ret)
			return ret;
		fd = buf->dev_fd;
	} else if (buf->memfd >= 0) {
		fd = buf->memfd;
	} else {
		fd = buf->dmabuf_fd;
		if ((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY)
			prot = PROT_READ;
	}

	buf->native = mmap(NULL, buf->size, prot, MAP_SHARED, fd, offset);
	if (buf->native == MAP_FAILED) {
		buf->native = NULL;
		return -errno;
	}

	return 0;
}

/**
 * prime_release() - unmap and close everything prime_export() made
 * @buf: the buffer
 */
void prime_release(struct prime_buf *buf)
{
	if (buf->native)
		munmap(buf->native, buf->size);
	if (buf->dmabuf_fd >= 0)
		close(buf->dmabuf_fd);
	if (buf->dev_fd >= 0) {
		prime_gem_close(buf->dev_fd, buf->handle);
		close(buf->dev_fd);
	}
	if (buf->memfd >= 0)
		close(buf->memfd);
	buf->native = NULL;
	buf->dmabuf_fd = -1;
	buf->dev_fd = -1;
	buf->memfd = -1;
}

/* DRM_IOCTL_PRIME_FD_TO_HANDLE */
int prime_import(int fd, int dmabuf_fd, uint32_t *handle)
{
	struct drm_prime_handle args = { .fd = dmabuf_fd };
	int ret;

	ret = xioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &args);
	if (!ret)
		*handle = args.handle;

	return ret;
}

/* DRM_IOCTL_PRIME_HANDLE_TO_FD, with DRM_RDWR if @writable */
int prime_handle_to_fd(int fd, uint32_t handle, bool writable, int *dmabuf_fd)
{
	struct drm_prime_handle args = {
		.handle = handle,
		.flags = DRM_CLOEXEC | (writable ? DRM_RDWR : 0),
	};
	int ret;

	ret = xioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &args);
	if (!ret)
		*dmabuf_fd = args.fd;

	return ret;
}

/* DRM_IOCTL_GEM_CLOSE */
int prime_gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close args = { .handle = handle };

	return xioctl(fd, DRM_IOCTL_GEM_CLOSE, &args);
}

/* DRM_IOCTL_MODE_MAP_DUMB: the fake offset to mmap() @handle at */
int prime_map_offset(int fd, uint32_t handle, uint64_t *offset)
{
	struct drm_mode_map_dumb args = { .handle = handle };
	int ret;

	ret = xioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &args);
	if (!ret)
		*offset = args.offset;

	return ret;
}

/* DMA_BUF_IOCTL_SYNC: bracket CPU access to a dma-buf */
int prime_sync(int dmabuf_fd, bool start, bool write)
{
	struct dma_buf_sync sync = {
		.flags = (start ? DMA_BUF_SYNC_START : DMA_BUF_SYNC_END) |
			 (write ? DMA_BUF_SYNC_RW : DMA_BUF_SYNC_READ),
	};

	return xioctl(dmabuf_fd, DMA_BUF_IOCTL_SYNC, &sync);
}

/* Whether two descriptors are the same dma-buf: one inode per dma-buf. */
bool prime_same_file(int fd1, int fd2)
{
	struct stat st1, st2;

	if (fstat(fd1, &st1) || fstat(fd2, &st2))
		return false;

	return st1.st_dev == st2.st_dev && st1.st_ino == st2.st_ino;
}

/**
 * prime_policy() - the forwarding policy in force
 *
 * Return: "never", "opt-in" or "all" from drm.gem_forward, or "none"
 * on a kernel without it.
 */
const char *prime_policy(void)
{
	static char policy[32];
	FILE *f;

	f = fopen("/sys/module/drm/parameters/gem_forward", "re");
	if (!f)
		return "none";
	if (!fgets(policy, sizeof(policy), f))
		snprintf(policy, sizeof(policy), "none");
	fclose(f);
	policy[strcspn(policy, "\n")] = '\0';

	return policy;
}

/**
 * prime_scan_offset() - find an import's fake offset without asking for it
 * @fd: the importer's DRM file, which holds a handle to the import
 * @size: size of the import
 * @prot: protection to try
 * @offset: the offset found
 *
 * As a process that owns the handle can: the helpers allocate the offset
 * at import time, and mmap() of the importer's file checks only that the
 * file holds a handle (EACCES for other files' objects, which the scan
 * passes by). The import must be @fd's only object with an offset. Tries
 * each page of the first PRIME_SCAN_PAGES pages of the fake offset space.
 *
 * Return: 0 at the first offset that maps (unmapped again), -EPERM at the
 * first that the policy refuses, or -ENOENT.
 */
int prime_scan_offset(int fd, size_t size, int prot, uint64_t *offset)
{
	uint64_t off, end;
	long page = sysconf(_SC_PAGESIZE);
	void *addr;
	int ret;

	end = PRIME_OFFSET_START + (uint64_t)PRIME_SCAN_PAGES * page;
	for (off = PRIME_OFFSET_START; off < end; off += page) {
		addr = mmap(NULL, size, prot, MAP_SHARED, fd, off);
		ret = addr == MAP_FAILED ? -errno : 0;
		if (!ret)
			munmap(addr, size);
		if (!ret || ret == -EPERM) {
			*offset = off;
			return ret;
		}
	}

	return -ENOENT;
}

/* Whether an import error means the driver cannot import foreign buffers. */
bool prime_import_unsupported(int err)
{
	return err == -ENODEV || err == -EOPNOTSUPP;
}
