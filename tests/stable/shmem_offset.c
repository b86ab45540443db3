// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which page does a fault of a shmem-helper mapping map?  The test of the
 * stable fix "drm/shmem-helper: fault in the page the VMA's offset points
 * at", runnable on any kernel (it needs nothing of the drm-gem-forward
 * series): vgem's dumb buffers are shmem-helper objects.
 *
 * A 4-page vgem dumb buffer whose page i is filled with the byte i + 1:
 *  front-munmap   mapped through the DRM file, its first page unmapped:
 *                 the rest still reads pages 1..3, and a write to page 2
 *                 lands in page 2
 *  dmabuf-offset  its dma-buf mapped at offset 2 pages reads pages 2, 3
 *  mprotect-split mapped, the front page's protection changed (a split
 *                 without unmapping): the back part reads pages 1..3
 *
 * KTAP output; exit status 0 if all pass, 1 if one fails, 4 (kselftest's
 * skip) if there is no vgem.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <drm/drm.h>
#include <drm/drm_mode.h>

#define PAGES 4

static long page;
static int failed, passed;

static int open_vgem(void)
{
	char path[32], name[16];
	int i, fd;

	for (i = 0; i < 16; i++) {
		struct drm_version v = { .name = name, .name_len = sizeof(name) - 1 };

		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		memset(name, 0, sizeof(name));
		if (!ioctl(fd, DRM_IOCTL_VERSION, &v) && !strcmp(name, "vgem"))
			return fd;
		close(fd);
	}
	return -1;
}

/* Every byte of page @i of @map (@first the object's page at @map) is i + 1. */
static bool pages_are(const unsigned char *map, int first, int n)
{
	int i;
	long b;

	for (i = 0; i < n; i++)
		for (b = 0; b < page; b++)
			if (map[i * page + b] != first + i + 1) {
				printf("# object page %d, byte %ld: 0x%02x, wanted 0x%02x\n",
				       first + i, b, map[i * page + b], first + i + 1);
				return false;
			}
	return true;
}

static void result(int n, bool ok, const char *name)
{
	printf("%sok %d %s\n", ok ? "" : "not ", n, name);
	if (ok)
		passed++;
	else
		failed++;
}

int main(void)
{
	struct drm_mode_create_dumb create = { 0 };
	struct drm_mode_map_dumb map_dumb = { 0 };
	struct drm_prime_handle prime = { 0 };
	unsigned char *map;
	size_t size;
	bool ok;
	int fd, i;

	page = sysconf(_SC_PAGESIZE);
	printf("TAP version 13\n");
	fd = open_vgem();
	if (fd < 0) {
		printf("1..0 # SKIP no vgem device\n");
		return 4;
	}
	printf("1..3\n");

	create.width = page / 4;
	create.height = PAGES;
	create.bpp = 32;
	if (ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &create)) {
		printf("Bail out! CREATE_DUMB: %s\n", strerror(errno));
		return 1;
	}
	size = create.size;
	map_dumb.handle = create.handle;
	if (size < (size_t)PAGES * page || ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map_dumb)) {
		printf("Bail out! size %zu or MAP_DUMB: %s\n", size, strerror(errno));
		return 1;
	}
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   map_dumb.offset);
	if (map == MAP_FAILED) {
		printf("Bail out! mmap: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < PAGES; i++)
		memset(map + i * page, i + 1, page);
	munmap(map, size);

	/* front-munmap */
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   map_dumb.offset);
	ok = map != MAP_FAILED && !munmap(map, page) &&
	     pages_are(map + page, 1, PAGES - 1);
	if (ok) {
		memset(map + 2 * page, 3, page);	/* page 2's own value */
		map[2 * page] = 0xee;
		munmap(map + page, size - page);
		map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			   map_dumb.offset);
		ok = map != MAP_FAILED && map[2 * page] == 0xee &&
		     map[page] == 2 && map[3 * page] == 4;
		if (!ok)
			printf("# the write to page 2 landed elsewhere\n");
		if (map != MAP_FAILED) {
			map[2 * page] = 3;
			munmap(map, size);
		}
	}
	result(1, ok, "front-munmap");

	/* dmabuf-offset */
	prime.handle = create.handle;
	prime.flags = DRM_CLOEXEC | DRM_RDWR;
	ok = !ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &prime);
	if (ok) {
		map = mmap(NULL, 2 * page, PROT_READ, MAP_SHARED, prime.fd,
			   2 * page);
		ok = map != MAP_FAILED && pages_are(map, 2, 2);
		if (map != MAP_FAILED)
			munmap(map, 2 * page);
		close(prime.fd);
	} else {
		printf("# PRIME_HANDLE_TO_FD: %s\n", strerror(errno));
	}
	result(2, ok, "dmabuf-offset");

	/* mprotect-split */
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   map_dumb.offset);
	ok = map != MAP_FAILED && !mprotect(map, page, PROT_READ) &&
	     pages_are(map + page, 1, PAGES - 1) && pages_are(map, 0, 1);
	if (map != MAP_FAILED)
		munmap(map, size);
	result(3, ok, "mprotect-split");

	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0\n",
	       passed, failed);
	close(fd);
	return failed ? 1 : 0;
}
