// SPDX-License-Identifier: GPL-2.0
/*
 * Print what mmap() of an imported buffer through the importing driver's
 * DRM file does for every exporter and importer on this machine: forwarded
 * to the exporter (with the data checked both ways), refused by the
 * drm.gem_forward policy, or impossible because the importer cannot
 * import foreign buffers.
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

/* Map the import, check data both ways; describe what happened. */
static bool try_pair(const char *exporter, const char *importer,
		     char *outcome, size_t len)
{
	struct prime_buf buf;
	uint64_t offset;
	uint32_t handle;
	unsigned char *map;
	bool ok = false;
	int imp_fd, ret;
	size_t i;

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

	ret = prime_map_offset(imp_fd, handle, &offset);
	if (ret) {
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

	snprintf(outcome, len, ok ? "forwarded, data verified" :
		 "FAILED: forwarded, data differs");

out_close:
	prime_gem_close(imp_fd, handle);
out:
	prime_release(&buf);
	close(imp_fd);
	return ok;
}

int main(void)
{
	char outcome[128];
	struct utsname uts;
	unsigned int e, i;
	int failed = 0;

	uname(&uts);
	printf("kernel %s, drm.gem_forward=%s\n\n", uts.release,
	       prime_policy());
	printf("%-12s %-11s %s\n", "exporter", "importer",
	       "mmap through the importer");
	printf("%-12s %-11s %s\n", "--------", "--------",
	       "-------------------------");

	for (e = 0; e < prime_num_exporters; e++) {
		for (i = 0; i < prime_num_importers; i++) {
			if (!try_pair(prime_exporters[e], prime_importers[i],
				      outcome, sizeof(outcome)))
				failed++;
			printf("%-12s %-11s %s\n", prime_exporters[e],
			       prime_importers[i], outcome);
		}
	}

	printf("\n%s\n", failed ? "some pairs failed" :
	       "every pair the policy allows works");
	return failed ? 1 : 0;
}
