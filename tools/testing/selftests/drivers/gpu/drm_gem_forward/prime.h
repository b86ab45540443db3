/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PRIME helpers shared by the drm_gem_forward selftest, its device matrix
 * and its benchmark: find DRM devices by driver name, make dma-bufs with
 * DRM dumb buffers, udmabuf and the system dma-heap, import them and map
 * them through an importer.
 */

#ifndef __PRIME_H__
#define __PRIME_H__

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* DRM_FILE_PAGE_OFFSET_START, in bytes: where fake offsets begin. */
#define PRIME_OFFSET_START	0x100000000ULL
/* How many pages of the fake offset space prime_scan_offset() tries. */
#define PRIME_SCAN_PAGES	65536

/* Exporters, by name: DRM drivers with dumb buffers, then the others. */
extern const char * const prime_exporters[];
extern const unsigned int prime_num_exporters;
/* Importers, by DRM driver name. */
extern const char * const prime_importers[];
extern const unsigned int prime_num_importers;

/**
 * struct prime_buf - a dma-buf and the exporter's own view of it
 * @exporter: exporter name, one of prime_exporters
 * @size: size of the buffer in bytes
 * @dev_fd: DRM file of a DRM exporter, or -1
 * @handle: GEM handle of the buffer in @dev_fd
 * @memfd: memfd behind a udmabuf, or -1
 * @dmabuf_fd: the dma-buf
 * @native: the exporter's own mapping of the buffer, or NULL
 */
struct prime_buf {
	const char *exporter;
	size_t size;
	int dev_fd;
	uint32_t handle;
	int memfd;
	int dmabuf_fd;
	void *native;
};

int prime_open_driver(const char *name);
int prime_export(const char *exporter, size_t size, bool writable,
		 struct prime_buf *buf);
int prime_map_native(struct prime_buf *buf);
void prime_release(struct prime_buf *buf);

int prime_import(int fd, int dmabuf_fd, uint32_t *handle);
int prime_handle_to_fd(int fd, uint32_t handle, bool writable, int *dmabuf_fd);
int prime_gem_close(int fd, uint32_t handle);
int prime_map_offset(int fd, uint32_t handle, uint64_t *offset);
int prime_scan_offset(int fd, size_t size, int prot, uint64_t *offset);
int prime_sync(int dmabuf_fd, bool start, bool write);
bool prime_same_file(int fd1, int fd2);

const char *prime_policy(void);
bool prime_import_unsupported(int err);

#endif /* __PRIME_H__ */
