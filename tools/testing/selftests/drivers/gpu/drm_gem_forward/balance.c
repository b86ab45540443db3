// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshots of the counts a PRIME test must leave as it found them; see
 * balance.h.
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "balance.h"

#define BUFINFO		"/sys/kernel/debug/dma_buf/bufinfo"
#define DRI_DEBUGFS	"/sys/kernel/debug/dri"
#define SETTLE_TRIES	50
#define SETTLE_US	100000

static int read_bufinfo(struct balance *b)
{
	unsigned long size, flags, mode;
	char line[512];
	long count;
	int n;
	FILE *f;

	f = fopen(BUFINFO, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lu\t%lx\t%lx\t%ld\t", &size, &flags, &mode,
			   &count) == 4) {
			b->file_refs += count;
		} else if (strstr(line, " devices attached") &&
			   sscanf(line, "Total %d", &n) == 1) {
			/* "Total %d objects" would match this format's start */
			b->attachments += n;
		} else if (sscanf(line, "Total %ld objects, %lu bytes",
				  &b->dmabufs, &size) == 2) {
			b->dmabuf_bytes = size;
		}
	}
	fclose(f);

	return 0;
}

/* Lines of @path, less @skip header lines; 0 if it cannot be read. */
static long count_lines(const char *path, long skip)
{
	long lines = 0;
	int c, last = '\n';
	FILE *f;

	f = fopen(path, "re");
	if (!f)
		return 0;
	while ((c = fgetc(f)) != EOF) {
		if (c == '\n')
			lines++;
		last = c;
	}
	if (last != '\n')
		lines++;
	fclose(f);

	return lines > skip ? lines - skip : 0;
}

static long count_dir(const char *path)
{
	struct dirent *de;
	long n = 0;
	DIR *d;

	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);

	return n;
}

static long count_drm_files(void)
{
	char path[300];
	struct dirent *de;
	long n = 0;
	DIR *d;

	d = opendir(DRI_DEBUGFS);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		/* card minors only: render and accel nodes list the same files */
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), DRI_DEBUGFS "/%s/clients",
			 de->d_name);
		n += count_lines(path, 1);
	}
	closedir(d);

	return n;
}

/**
 * balance_snapshot() - take the counts now
 * @b: the snapshot
 *
 * Return: 0, or a negative errno if debugfs's bufinfo cannot be read.
 */
int balance_snapshot(struct balance *b)
{
	int ret;

	memset(b, 0, sizeof(*b));
	ret = read_bufinfo(b);
	if (ret)
		return ret;
	b->drm_files = count_drm_files();
	/* the directory stream's own descriptor is counted: subtract it */
	b->fds = count_dir("/proc/self/fd") - 1;
	b->maps = count_lines("/proc/self/maps", 0);

	return 0;
}

bool balance_equal(const struct balance *a, const struct balance *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/**
 * balance_settle() - wait for the counts to come back to @before
 * @before: the counts before the test
 * @after: the counts last taken
 *
 * Releases finish asynchronously (delayed fput, RCU, workers), so the
 * counts are taken again for up to five seconds until they match.
 *
 * Return: 0 if they match, -EAGAIN if they never did, or the error of
 * balance_snapshot().
 */
int balance_settle(const struct balance *before, struct balance *after)
{
	int i, ret;

	for (i = 0; i < SETTLE_TRIES; i++) {
		ret = balance_snapshot(after);
		if (ret)
			return ret;
		if (balance_equal(before, after))
			return 0;
		usleep(SETTLE_US);
	}

	return -EAGAIN;
}

void balance_print(const char *label, const struct balance *b)
{
	printf("# %s: dma-bufs %ld (%ld bytes), attachments %ld, dma-buf file refs %ld, ",
	       label, b->dmabufs, b->dmabuf_bytes, b->attachments,
	       b->file_refs);
	printf("DRM files %ld, fds %ld, maps %ld\n", b->drm_files, b->fds,
	       b->maps);
}
