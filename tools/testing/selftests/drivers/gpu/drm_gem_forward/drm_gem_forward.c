// SPDX-License-Identifier: GPL-2.0
/*
 * Cross-driver PRIME tests for mmap() of imported buffers through the
 * importing driver's DRM file, which the kernel forwards to the exporter
 * (drivers/gpu/drm/drm_gem_forward.c).
 *
 * Every exporter (vgem, vkms, virtio-gpu dumb buffers, udmabuf, the system
 * dma-heap) is paired with every importer (vgem, vkms, cirrus, virtio-gpu).
 * Devices are found by driver name. Under the drm.gem_forward policy
 * "never" every mapping that would be forwarded must be refused instead:
 * MODE_MAP_DUMB with EINVAL, mmap() at the offset the import has with
 * EPERM.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../../../kselftest_harness.h"
#include "prime.h"

#define BUF_SIZE	(64 * 1024)

/* An import, and whether the policy forwards its mappings. */
struct import {
	int fd;
	uint32_t handle;
	size_t size;
	bool forwarded;
};

FIXTURE(prime) {
	struct prime_buf buf;
	struct import imp;
	long page;
};

FIXTURE_VARIANT(prime) {
	const char *exporter;
	const char *importer;
};

/* Pairs of one driver with itself are self-imports: nothing is forwarded. */
FIXTURE_VARIANT_ADD(prime, vgem_to_vkms) {
	.exporter = "vgem",
	.importer = "vkms",
};

FIXTURE_VARIANT_ADD(prime, vgem_to_cirrus) {
	.exporter = "vgem",
	.importer = "cirrus-qemu",
};

FIXTURE_VARIANT_ADD(prime, vgem_to_virtio_gpu) {
	.exporter = "vgem",
	.importer = "virtio_gpu",
};

FIXTURE_VARIANT_ADD(prime, vkms_to_vgem) {
	.exporter = "vkms",
	.importer = "vgem",
};

FIXTURE_VARIANT_ADD(prime, vkms_to_cirrus) {
	.exporter = "vkms",
	.importer = "cirrus-qemu",
};

FIXTURE_VARIANT_ADD(prime, vkms_to_virtio_gpu) {
	.exporter = "vkms",
	.importer = "virtio_gpu",
};

FIXTURE_VARIANT_ADD(prime, virtio_gpu_to_vgem) {
	.exporter = "virtio_gpu",
	.importer = "vgem",
};

FIXTURE_VARIANT_ADD(prime, virtio_gpu_to_vkms) {
	.exporter = "virtio_gpu",
	.importer = "vkms",
};

FIXTURE_VARIANT_ADD(prime, virtio_gpu_to_cirrus) {
	.exporter = "virtio_gpu",
	.importer = "cirrus-qemu",
};

FIXTURE_VARIANT_ADD(prime, udmabuf_to_vgem) {
	.exporter = "udmabuf",
	.importer = "vgem",
};

FIXTURE_VARIANT_ADD(prime, udmabuf_to_vkms) {
	.exporter = "udmabuf",
	.importer = "vkms",
};

FIXTURE_VARIANT_ADD(prime, udmabuf_to_cirrus) {
	.exporter = "udmabuf",
	.importer = "cirrus-qemu",
};

FIXTURE_VARIANT_ADD(prime, udmabuf_to_virtio_gpu) {
	.exporter = "udmabuf",
	.importer = "virtio_gpu",
};

FIXTURE_VARIANT_ADD(prime, system_heap_to_vgem) {
	.exporter = "system-heap",
	.importer = "vgem",
};

FIXTURE_VARIANT_ADD(prime, system_heap_to_vkms) {
	.exporter = "system-heap",
	.importer = "vkms",
};

FIXTURE_VARIANT_ADD(prime, system_heap_to_cirrus) {
	.exporter = "system-heap",
	.importer = "cirrus-qemu",
};

FIXTURE_VARIANT_ADD(prime, system_heap_to_virtio_gpu) {
	.exporter = "system-heap",
	.importer = "virtio_gpu",
};

/*
 * The importers that can import here (vgem, vkms, cirrus-qemu) use the
 * shmem helper, which opted in; virtio-gpu imports no foreign buffer in
 * this VM (no blob resources), and its variants skip.
 */
static bool policy_forwards(void)
{
	return strcmp(prime_policy(), "never") != 0;
}

static void fill(void *p, size_t size, unsigned char seed)
{
	unsigned char *c = p;
	size_t i;

	for (i = 0; i < size; i++)
		c[i] = seed + i * 7 + (i >> 12);
}

static bool check(const void *p, size_t size, unsigned char seed)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < size; i++)
		if (c[i] != (unsigned char)(seed + i * 7 + (i >> 12)))
			return false;

	return true;
}

/* mmap() through the importer, returning -errno on failure. */
static long map_import(int fd, size_t size, int prot, int flags,
		       uint64_t offset, void **addr)
{
	*addr = mmap(NULL, size, prot, flags, fd, offset);
	if (*addr == MAP_FAILED)
		return -errno;

	return 0;
}

/*
 * The offset to map the import at: from MODE_MAP_DUMB when the policy
 * forwards; when it does not, MODE_MAP_DUMB must refuse and the offset is
 * found by scanning, where mmap() must fail with EPERM.
 */
static void import_offset(struct __test_metadata *_metadata,
			  const struct import *imp, uint64_t *offset)
{
	if (imp->forwarded) {
		ASSERT_EQ(0, prime_map_offset(imp->fd, imp->handle, offset));
		return;
	}

	ASSERT_EQ(-EINVAL, prime_map_offset(imp->fd, imp->handle, offset));
	ASSERT_EQ(-EPERM,
		  prime_scan_offset(imp->fd, imp->size, PROT_READ, offset));
}

/*
 * Fill the buffer through the exporter with @seed and map the import
 * read-write; NULL when the policy does not forward, which
 * import_offset() has checked.
 */
static void *map_filled(struct __test_metadata *_metadata,
			const struct import *imp, struct prime_buf *buf,
			unsigned char seed)
{
	uint64_t offset;
	void *map;

	import_offset(_metadata, imp, &offset);
	if (!imp->forwarded)
		return NULL;
	fill(buf->native, buf->size, seed);
	ASSERT_EQ(0, map_import(imp->fd, buf->size, PROT_READ | PROT_WRITE,
				MAP_SHARED, offset, &map));

	return map;
}

/* A dma-buf in the list that debugfs keeps of every live dma-buf. */
static bool dma_buf_alive(unsigned long ino)
{
	char line[512], name[128];
	unsigned long size, count, i;
	unsigned int flags, mode;
	bool found = false;
	FILE *f;

	f = fopen("/sys/kernel/debug/dma_buf/bufinfo", "re");
	if (!f)
		return true;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lu %x %x %lu %127s %lu", &size, &flags,
			   &mode, &count, name, &i) == 6 && i == ino)
			found = true;
	fclose(f);

	return found;
}

static unsigned long dma_buf_ino(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? 0 : st.st_ino;
}

FIXTURE_SETUP(prime)
{
	int ret;

	self->page = getpagesize();
	self->imp.fd = prime_open_driver(variant->importer);
	if (self->imp.fd < 0)
		SKIP(return, "no %s device", variant->importer);

	ret = prime_export(variant->exporter, BUF_SIZE, true, &self->buf);
	if (ret == -ENODEV)
		SKIP(return, "no %s exporter", variant->exporter);
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, prime_map_native(&self->buf));

	ret = prime_import(self->imp.fd, self->buf.dmabuf_fd, &self->imp.handle);
	if (prime_import_unsupported(ret))
		SKIP(return, "unsupported: %s cannot import foreign buffers (%s)",
		     variant->importer, strerror(-ret));
	ASSERT_EQ(0, ret);

	self->imp.size = self->buf.size;
	self->imp.forwarded = policy_forwards();
	TH_LOG("policy %s: %s -> %s", prime_policy(), variant->exporter,
	       variant->importer);
}

FIXTURE_TEARDOWN(prime)
{
	prime_release(&self->buf);
	if (self->imp.fd >= 0)
		close(self->imp.fd);
}

/*
 * Data written through the exporter shows through the forwarded mapping and
 * back, with CPU access bracketed by DMA_BUF_IOCTL_SYNC on the dma-buf that
 * PRIME_HANDLE_TO_FD of the imported handle gives back: the original one.
 */
TEST_F(prime, data_both_ways)
{
	uint64_t offset;
	int sync_fd;
	void *map;

	ASSERT_EQ(0, prime_handle_to_fd(self->imp.fd, self->imp.handle, true,
					&sync_fd));
	ASSERT_TRUE(prime_same_file(sync_fd, self->buf.dmabuf_fd));

	import_offset(_metadata, &self->imp, &offset);
	if (!self->imp.forwarded) {
		ASSERT_EQ(-EPERM, map_import(self->imp.fd, self->buf.size,
					     PROT_READ | PROT_WRITE, MAP_SHARED,
					     offset, &map));
		close(sync_fd);
		return;
	}
	ASSERT_EQ(0, map_import(self->imp.fd, self->buf.size,
				PROT_READ | PROT_WRITE, MAP_SHARED, offset,
				&map));

	ASSERT_EQ(0, prime_sync(sync_fd, true, true));
	fill(self->buf.native, self->buf.size, 0x11);
	ASSERT_EQ(0, prime_sync(sync_fd, false, true));

	ASSERT_EQ(0, prime_sync(sync_fd, true, true));
	EXPECT_TRUE(check(map, self->buf.size, 0x11));
	fill(map, self->buf.size, 0x5a);
	ASSERT_EQ(0, prime_sync(sync_fd, false, true));

	ASSERT_EQ(0, prime_sync(sync_fd, true, false));
	EXPECT_TRUE(check(self->buf.native, self->buf.size, 0x5a));
	ASSERT_EQ(0, prime_sync(sync_fd, false, false));

	munmap(map, self->buf.size);
	close(sync_fd);
}

/*
 * Whether a kernel log record written since @kmsg was opened (at its end)
 * contains @what and this process's "comm[pid]".
 */
static bool kmsg_has(int kmsg, const char *what)
{
	char rec[1024], comm[32] = "", me[64];
	bool found = false;
	ssize_t len;
	FILE *f;

	f = fopen("/proc/self/comm", "re");
	if (f) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	snprintf(me, sizeof(me), "%s[%d]", comm, getpid());
	while ((len = read(kmsg, rec, sizeof(rec) - 1)) > 0 || errno == EPIPE) {
		if (len <= 0)
			continue;
		rec[len] = '\0';
		if (strstr(rec, what) && strstr(rec, me))
			found = true;
	}

	return found;
}

/* The kernel log names the task that mapped, the exporter and the outcome. */
TEST_F(prime, logged)
{
	char want[160], rec[1024], old[32] = "0";
	uint64_t offset;
	bool found = false;
	FILE *debug;
	ssize_t len;
	void *map;
	char comm[32] = "";
	int kmsg;

	debug = fopen("/sys/module/drm/parameters/debug", "r+e");
	if (!debug)
		SKIP(return, "no drm.debug parameter");
	if (!fgets(old, sizeof(old), debug))
		snprintf(old, sizeof(old), "0");
	fprintf(debug, "%lu\n", strtoul(old, NULL, 0) | 0x8);
	fclose(debug);

	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, kmsg);
	lseek(kmsg, 0, SEEK_END);

	import_offset(_metadata, &self->imp, &offset);
	if (!map_import(self->imp.fd, self->buf.size, PROT_READ, MAP_SHARED,
			offset, &map))
		munmap(map, self->buf.size);

	debug = fopen("/proc/self/comm", "re");
	ASSERT_NE(NULL, debug);
	if (fgets(comm, sizeof(comm), debug))
		comm[strcspn(comm, "\n")] = '\0';
	fclose(debug);
	snprintf(want, sizeof(want), "%s[%d]: mmap of imported", comm,
		 getpid());

	while ((len = read(kmsg, rec, sizeof(rec) - 1)) > 0 || errno == EPIPE) {
		if (len <= 0)
			continue;
		rec[len] = '\0';
		if (strstr(rec, want) &&
		    strstr(rec, self->imp.forwarded ? ": forwarded" :
						  ": refused by policy"))
			found = true;
	}
	close(kmsg);

	debug = fopen("/sys/module/drm/parameters/debug", "we");
	if (debug) {
		fputs(old, debug);
		fclose(debug);
	}
	EXPECT_TRUE(found) TH_LOG("no kernel log line with \"%s\"", want);
}

/* MAP_PRIVATE mappings could be written copy-on-write: refused. */
TEST_F(prime, private)
{
	uint64_t offset;
	void *map;

	import_offset(_metadata, &self->imp, &offset);
	EXPECT_EQ(self->imp.forwarded ? -EINVAL : -EPERM,
		  map_import(self->imp.fd, self->buf.size,
			     PROT_READ | PROT_WRITE, MAP_PRIVATE, offset, &map));
}

/* A mapping larger than the buffer is refused. */
TEST_F(prime, oversize)
{
	uint64_t offset;
	void *map;

	import_offset(_metadata, &self->imp, &offset);
	EXPECT_EQ(-EINVAL, map_import(self->imp.fd, self->buf.size + self->page,
				      PROT_READ, MAP_SHARED, offset, &map));
}

/*
 * The mapping outlives the exporter's handle and file, the dma-buf fd and
 * the importer's handle and file, with the data intact; munmap() then frees
 * the dma-buf.
 */
TEST_F(prime, outlives_handles)
{
	unsigned long ino = dma_buf_ino(self->buf.dmabuf_fd);
	void *map;

	map = map_filled(_metadata, &self->imp, &self->buf, 0x33);
	if (!map)
		return;

	prime_release(&self->buf);
	ASSERT_EQ(0, prime_gem_close(self->imp.fd, self->imp.handle));
	close(self->imp.fd);
	self->imp.fd = -1;

	EXPECT_TRUE(check(map, self->buf.size, 0x33));
	fill(map, self->buf.size, 0x44);
	EXPECT_TRUE(check(map, self->buf.size, 0x44));
	EXPECT_TRUE(dma_buf_alive(ino));

	munmap(map, self->buf.size);
	EXPECT_FALSE(dma_buf_alive(ino)) TH_LOG("dma-buf %lu still alive", ino);
}

/* A child process shares the mapping: its writes reach the exporter. */
TEST_F(prime, fork)
{
	int status;
	pid_t pid;
	void *map;

	map = map_filled(_metadata, &self->imp, &self->buf, 0x66);
	if (!map)
		return;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (!check(map, self->buf.size, 0x66))
			_exit(1);
		fill(map, self->buf.size, 0x77);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_TRUE(check(self->buf.native, self->buf.size, 0x77));
	munmap(map, self->buf.size);
}

/*
 * The mapping cannot grow. Every exporter here sets VM_DONTEXPAND or
 * VM_PFNMAP itself, so this checks what userspace sees, not the helper's
 * own VM_DONTEXPAND: KUnit's drm_gem_forward_test_map does, with an
 * exporter that sets no VMA flags.
 */
TEST_F(prime, mremap_grow)
{
	void *map, *grown;

	map = map_filled(_metadata, &self->imp, &self->buf, 0x55);
	if (!map)
		return;
	grown = mremap(map, self->buf.size, 2 * self->buf.size, MREMAP_MAYMOVE);
	EXPECT_EQ(MAP_FAILED, grown);
	if (grown != MAP_FAILED)
		map = grown;
	munmap(map, self->buf.size);
}

/* Unmapping the first page leaves the rest mapped and valid. */
TEST_F(prime, partial_munmap)
{
	char *map;

	map = map_filled(_metadata, &self->imp, &self->buf, 0x21);
	if (!map)
		return;

	ASSERT_EQ(0, munmap(map, self->page));
	EXPECT_EQ(((unsigned char *)self->buf.native)[self->page],
		  (unsigned char)map[self->page]);
	map[self->buf.size - 1] = 0x7e;
	EXPECT_EQ(0x7e, ((unsigned char *)self->buf.native)[self->buf.size - 1]);
	munmap(map + self->page, self->buf.size - self->page);
}

/*
 * A read-only dma-buf (exported without DRM_RDWR or O_RDWR) stays read-only
 * through the importer: PROT_WRITE gives EACCES, PROT_READ works, and
 * mprotect() cannot add PROT_WRITE. That holds at an offset found by
 * scanning the importer's offset space too, which on 6.12 gave a writable
 * mapping of the exporter's buffer.
 */
TEST_F(prime, read_only)
{
	struct prime_buf ro;
	uint64_t offset, scanned;
	uint32_t handle;
	void *map;
	int kmsg, ret;

	ret = prime_export(variant->exporter, BUF_SIZE, false, &ro);
	if (ret == -EOPNOTSUPP)
		SKIP(return, "%s cannot export read-only", variant->exporter);
	ASSERT_EQ(0, ret);
	ASSERT_EQ(O_RDONLY, fcntl(ro.dmabuf_fd, F_GETFL) & O_ACCMODE);

	/* The read-only import must be the only handle a scan can find. */
	ASSERT_EQ(0, prime_gem_close(self->imp.fd, self->imp.handle));
	ASSERT_EQ(0, prime_import(self->imp.fd, ro.dmabuf_fd, &handle));

	if (!self->imp.forwarded) {
		ASSERT_EQ(-EPERM, prime_scan_offset(self->imp.fd, ro.size,
						    PROT_READ | PROT_WRITE,
						    &scanned));
		goto out;
	}

	/*
	 * First at the offset found without asking for it. By default
	 * (CONFIG_DRM_GEM_FORWARD_ACCESS_MODE off), a writable mapping
	 * is still made, as shipping Mesa needs, and the task is named in a
	 * warning; with the option, it is refused with EACCES.
	 */
	ASSERT_EQ(0, prime_scan_offset(self->imp.fd, ro.size, PROT_READ,
				       &scanned));
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, kmsg);
	lseek(kmsg, 0, SEEK_END);
	ret = map_import(self->imp.fd, ro.size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, scanned, &map);
	if (!ret) {
		TH_LOG("access mode not kept: writable mapping made");
		fill(map, ro.size, 0x24);
		if (ro.dev_fd >= 0) {
			ASSERT_EQ(0, prime_map_native(&ro));
			EXPECT_TRUE(check(ro.native, ro.size, 0x24));
		}
		munmap(map, ro.size);
		EXPECT_TRUE(kmsg_has(kmsg, "maps a read-only"))
			TH_LOG("no warning naming the task");
		close(kmsg);
		goto out;
	}
	close(kmsg);
	EXPECT_EQ(-EACCES, ret);

	ASSERT_EQ(0, prime_map_offset(self->imp.fd, handle, &offset));
	EXPECT_EQ(scanned, offset);
	EXPECT_EQ(-EACCES, map_import(self->imp.fd, ro.size,
				      PROT_READ | PROT_WRITE, MAP_SHARED,
				      offset, &map));

	ASSERT_EQ(0, map_import(self->imp.fd, ro.size, PROT_READ, MAP_SHARED,
				offset, &map));
	EXPECT_EQ(-1, mprotect(map, ro.size, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	if (ro.dev_fd >= 0) {
		ASSERT_EQ(0, prime_map_native(&ro));
		fill(ro.native, ro.size, 0x42);
		EXPECT_TRUE(check(map, ro.size, 0x42));
	}
	munmap(map, ro.size);
out:
	prime_gem_close(self->imp.fd, handle);
	prime_release(&ro);
}

TEST_HARNESS_MAIN
