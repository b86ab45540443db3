// SPDX-License-Identifier: GPL-2.0
/*
 * Print what mmap() of an imported buffer through the importing driver's
 * DRM file does for every exporter and importer on this machine: forwarded
 * to the exporter (with the data checked both ways), refused by the
 * drm.gem_forward policy, or impossible because the importer cannot
 * import foreign buffers; and whether a dma-buf exported read-only can be
 * mapped writable through the importer and written.
 *
 * On a kernel without drm.gem_forward (policy "none": a stock kernel),
 * where MODE_MAP_DUMB refuses imports, the import's offset is found by
 * scanning the importer's offset space, as any process holding the handle
 * can.
 *
 * Exits 0 when every pair that the policy allows works.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/utsname.h>

#include "prime.h"

#define BUF_SIZE	(64 * 1024)

static const char *errno_name(int err)
{
	switch (err) {
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case ENODEV: return "ENODEV";
	default: return strerror(err);
	}
}

/*
 * Where to map an import: MODE_MAP_DUMB's offset, or on a kernel without
 * drm.gem_forward, where MODE_MAP_DUMB refuses imports with EINVAL, the
 * offset a scan finds (@scanned).
 */
static int import_offset(int fd, uint32_t handle, size_t size,
			 uint64_t *offset, bool *scanned)
{
	int ret = prime_map_offset(fd, handle, offset);

	*scanned = false;
	if (ret != -EINVAL || strcmp(prime_policy(), "none"))
		return ret;
	*scanned = true;
	return prime_scan_offset(fd, size, PROT_READ, offset);
}

/*
 * A dma-buf exported read-only (without DRM_RDWR), imported into @imp_fd
 * (which holds no other import) and mapped PROT_WRITE through it: is the
 * mapping refused, or is the write seen by the exporter? False if the
 * write was lost, or on the series' kernels if the mapping was made or
 * refused with anything but EACCES (as mmap() of the read-only dma-buf
 * file is: none of the importers a VM has keeps writable forwards for
 * Mesa's kmsro drivers) or the read-only buffer could not be exported,
 * imported or given an offset.
 */
static bool try_read_only(const char *exporter, int imp_fd, char *outcome,
			  size_t len)
{
	bool stock = !strcmp(prime_policy(), "none");
	struct prime_buf ro;
	unsigned char *map;
	uint64_t offset;
	uint32_t handle;
	bool scanned, ok = false;
	int ret;

	ret = prime_export(exporter, BUF_SIZE, false, &ro);
	if (ret) {
		ok = ret == -EOPNOTSUPP;
		snprintf(outcome, len, ok ? "no ro export" : "FAILED: export %s",
			 errno_name(-ret));
		goto out;
	}
	ret = prime_import(imp_fd, ro.dmabuf_fd, &handle);
	if (ret) {
		snprintf(outcome, len, "FAILED: import %s", errno_name(-ret));
		goto out;
	}
	ret = import_offset(imp_fd, handle, ro.size, &offset, &scanned);
	if (ret) {
		ok = stock;
		snprintf(outcome, len, "%sno offset %s", ok ? "" : "FAILED: ",
			 errno_name(-ret));
		goto out_close;
	}

	map = mmap(NULL, ro.size, PROT_READ | PROT_WRITE, MAP_SHARED, imp_fd,
		   offset);
	if (map == MAP_FAILED) {
		ok = stock || errno == EACCES;
		snprintf(outcome, len, "%srefused (%s)", ok ? "" : "FAILED: ",
			 errno_name(errno));
		goto out_close;
	}
	memset(map, 0x5a, ro.size);
	munmap(map, ro.size);
	ok = !prime_map_native(&ro) &&
	     ((unsigned char *)ro.native)[0] == 0x5a &&
	     ((unsigned char *)ro.native)[ro.size - 1] == 0x5a;
	if (!ok)
		snprintf(outcome, len, "FAILED: write lost");
	else if (!stock)
		/* No importer a VM has keeps writable forwards (kmsro). */
		snprintf(outcome, len, "FAILED: written through, not EACCES");
	else
		snprintf(outcome, len, "written through");
	ok = ok && stock;

out_close:
	prime_gem_close(imp_fd, handle);
out:
	prime_release(&ro);
	return ok;
}

/*
 * Map the import, check data both ways, then try a read-only export;
 * describe what happened in @outcome and @ro ("-" where not tried).
 */
static bool try_pair(const char *exporter, const char *importer,
		     char *outcome, size_t len, char *ro, size_t ro_len)
{
	struct prime_buf buf;
	uint64_t offset;
	uint32_t handle;
	unsigned char *map;
	bool ok = false, scanned;
	int imp_fd, ret;
	size_t i;

	snprintf(ro, ro_len, "-");
	if (!strcmp(exporter, importer)) {
		snprintf(outcome, len, "self-import: the exporter's own object");
		return true;
	}

	imp_fd = prime_open_driver(importer);
	if (imp_fd < 0) {
		snprintf(outcome, len, "no %s device", importer);
		return true;
	}

	ret = prime_export(exporter, BUF_SIZE, true, &buf);
	if (ret) {
		snprintf(outcome, len, ret == -ENODEV ? "no %s exporter" :
			 "FAILED: export from %s: %s", exporter, strerror(-ret));
		prime_release(&buf);
		close(imp_fd);
		return ret == -ENODEV;
	}

	ret = prime_map_native(&buf);
	if (ret) {
		snprintf(outcome, len, "FAILED: exporter mmap: %s", strerror(-ret));
		goto out;
	}

	ret = prime_import(imp_fd, buf.dmabuf_fd, &handle);
	if (prime_import_unsupported(ret)) {
		snprintf(outcome, len, "import unsupported by %s (%s)",
			 importer, strerror(-ret));
		ok = true;
		goto out;
	} else if (ret) {
		snprintf(outcome, len, "FAILED: import: %s", strerror(-ret));
		goto out;
	}

	ret = import_offset(imp_fd, handle, buf.size, &offset, &scanned);
	if (ret && scanned) {
		/* A stock kernel: what it does is what is measured. */
		ok = true;
		snprintf(outcome, len, "not mappable (MODE_MAP_DUMB: EINVAL, scan: %s)",
			 strerror(-ret));
		goto out_close;
	} else if (ret) {
		ok = !strcmp(prime_policy(), "never") && ret == -EINVAL;
		snprintf(outcome, len, "%s (MODE_MAP_DUMB: %s)",
			 ok ? "refused by policy" : "FAILED", strerror(-ret));
		goto out_close;
	}

	map = mmap(NULL, buf.size, PROT_READ | PROT_WRITE, MAP_SHARED, imp_fd,
		   offset);
	if (map == MAP_FAILED) {
		snprintf(outcome, len, "FAILED: mmap: %s", strerror(errno));
		goto out_close;
	}

	prime_sync(buf.dmabuf_fd, true, true);
	for (i = 0; i < buf.size; i++)
		((unsigned char *)buf.native)[i] = i * 13;
	ok = true;
	for (i = 0; i < buf.size; i++) {
		ok &= map[i] == (unsigned char)(i * 13);
		map[i] = i * 29;
	}
	for (i = 0; i < buf.size; i++)
		ok &= ((unsigned char *)buf.native)[i] == (unsigned char)(i * 29);
	prime_sync(buf.dmabuf_fd, false, true);
	munmap(map, buf.size);

	snprintf(outcome, len, "%s%s", ok ? "forwarded, data verified" :
		 "FAILED: forwarded, data differs",
		 scanned ? " (at a scanned offset)" : "");

	/* The read-only import must be the only one a scan can find. */
	prime_gem_close(imp_fd, handle);
	if (ok)
		ok = try_read_only(exporter, imp_fd, ro, ro_len);
	goto out;

out_close:
	prime_gem_close(imp_fd, handle);
out:
	prime_release(&buf);
	close(imp_fd);
	return ok;
}

int main(void)
{
	char outcome[128], ro[40];
	struct utsname uts;
	unsigned int e, i;
	int failed = 0;

	uname(&uts);
	printf("kernel %s, drm.gem_forward=%s\n\n", uts.release,
	       prime_policy());
	printf("%-12s %-11s %-18s %s\n", "exporter", "importer",
	       "read-only, RW", "mmap through the importer");
	printf("%-12s %-11s %-18s %s\n", "--------", "--------",
	       "-------------", "-------------------------");

	for (e = 0; e < prime_num_exporters; e++) {
		for (i = 0; i < prime_num_importers; i++) {
			if (!try_pair(prime_exporters[e], prime_importers[i],
				      outcome, sizeof(outcome), ro, sizeof(ro)))
				failed++;
			printf("%-12s %-11s %-18s %s\n", prime_exporters[e],
			       prime_importers[i], ro, outcome);
		}
	}

	printf("\n%s\n", failed ? "some pairs failed" :
	       "every pair the policy allows works");
	return failed ? 1 : 0;
}
