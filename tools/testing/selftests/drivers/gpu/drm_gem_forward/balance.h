/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counts of the objects a PRIME test makes, taken before and after it so
 * that a reference it leaks in the kernel shows as a count that does not
 * come back: dma-bufs and their bytes, attachments (one per import of a
 * dma-buf into a DRM device), references to dma-buf files, open DRM files
 * of every device, and this process's open files and mappings.
 */

#ifndef __BALANCE_H__
#define __BALANCE_H__

#include <stdbool.h>

/**
 * struct balance - one snapshot
 * @dmabufs: dma-bufs in /sys/kernel/debug/dma_buf/bufinfo
 * @dmabuf_bytes: their total size
 * @attachments: attachments of all dma-bufs: one per live import
 * @file_refs: references to all dma-buf files: fds, mappings, imports
 * @drm_files: open DRM files, from every /sys/kernel/debug/dri/N/clients
 * @fds: open files of this process
 * @maps: mappings of this process
 */
struct balance {
	long dmabufs;
	long dmabuf_bytes;
	long attachments;
	long file_refs;
	long drm_files;
	long fds;
	long maps;
};

int balance_snapshot(struct balance *b);
bool balance_equal(const struct balance *a, const struct balance *b);
int balance_settle(const struct balance *before, struct balance *after);
void balance_print(const char *label, const struct balance *b);

#endif /* __BALANCE_H__ */
