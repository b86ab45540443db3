// SPDX-License-Identifier: GPL-2.0
/*
 * What a forwarded mapping costs: mmap() of an imported buffer through the
 * importer's DRM file (forwarded), against mmap() of the dma-buf file
 * (direct) and of the exporter's own DRM file (native), measured in one
 * run with the three interleaved. Prints ratios, which mean something
 * even in an emulated machine, and the same numbers as JSON on a line
 * that starts with "JSON: ".
 *
 * usage: drm_gem_forward_bench [--quick]
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/utsname.h>

#include "../../../kselftest.h"
#include "prime.h"

enum way { FORWARDED, DIRECT, NATIVE, WAYS };

static const char * const way_names[WAYS] = { "forwarded", "direct", "native" };

struct pair {
	const char *exporter;
	const char *importer;
};

static const struct pair pairs[] = {
	{ "vgem", "vkms" },
	{ "udmabuf", "vgem" },
	{ "udmabuf", "vkms" },
	{ "system-heap", "vgem" },
	{ "system-heap", "vkms" },
};

static const size_t sizes[] = { 4 << 10, 64 << 10, 1 << 20, 16 << 20 };

struct setup {
	struct prime_buf buf;
	int imp_fd;
	uint32_t handle;
	uint64_t imp_offset;
	uint64_t native_offset;
};

struct result {
	bool valid;
	double map_median_ns, map_p99_ns;
	double fault_ns_per_page;
	double read_mbs, write_mbs;
};

static int rounds = 7, map_iters = 200, bw_reps = 5;
/* Sum of the bytes first-touch reads; printed, so the reads stay. */
static unsigned long touched;
static unsigned int scale_max = 10000;
static long page_size;
static char *json;
static size_t json_len, json_cap;

static void json_add(const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(json + json_len, json_cap - json_len, fmt, ap);
		va_end(ap);
		if (n >= 0 && json_len + n < json_cap)
			break;
		json_cap = json_cap * 2 + 4096;
		json = realloc(json, json_cap);
		if (!json)
			exit(1);
	}
	json_len += n;
}

/* Open an object in the array being written, after a comma if needed. */
static void json_item(void)
{
	json_add(json[json_len - 1] == '[' ? "{" : ",{");
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/*
 * The step of CLOCK_MONOTONIC in ns, the least of five: a whole tick when
 * the kernel runs on jiffies, as it does under TCG when the TSC cannot be
 * calibrated; the clocksource in use goes to @source.
 */
static double clock_step_ns(char *source, size_t len)
{
	double t0, t, step = 1e12;
	FILE *f;
	int i;

	snprintf(source, len, "unknown");
	f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		  "re");
	if (f) {
		if (fgets(source, len, f))
			source[strcspn(source, "\n")] = '\0';
		fclose(f);
	}
	for (i = 0; i < 5; i++) {
		t0 = now_ns();
		do
			t = now_ns();
		while (t == t0);
		if (t - t0 < step)
			step = t - t0;
	}
	return step;
}

/* Nanoseconds since @t, at least one: no duration divides by zero. */
static double since_ns(double t)
{
	double d = now_ns() - t;

	return d < 1 ? 1 : d;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double percentile(double *v, int n, double p)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[(int)((n - 1) * p + 0.5)];
}

static double median(double *v, int n)
{
	return percentile(v, n, 0.5);
}

/* The file and offset to map the buffer at, one way; -1 if none. */
static int way_target(struct setup *s, enum way w, uint64_t *offset)
{
	switch (w) {
	case FORWARDED:
		*offset = s->imp_offset;
		return s->imp_fd;
	case DIRECT:
		*offset = 0;
		return s->buf.dmabuf_fd;
	case NATIVE:
		*offset = s->native_offset;
		return s->buf.dev_fd;
	default:
		return -1;
	}
}

static int setup_pair(const struct pair *p, size_t size, struct setup *s)
{
	int ret;

	memset(s, 0, sizeof(*s));
	s->imp_fd = prime_open_driver(p->importer);
	if (s->imp_fd < 0)
		return s->imp_fd;
	ret = prime_export(p->exporter, size, true, &s->buf);
	if (!ret)
		ret = prime_import(s->imp_fd, s->buf.dmabuf_fd, &s->handle);
	if (!ret)
		ret = prime_map_offset(s->imp_fd, s->handle, &s->imp_offset);
	if (!ret && s->buf.dev_fd >= 0)
		ret = prime_map_offset(s->buf.dev_fd, s->buf.handle,
				       &s->native_offset);
	return ret;
}

static void teardown_pair(struct setup *s)
{
	if (s->imp_fd >= 0) {
		prime_gem_close(s->imp_fd, s->handle);
		close(s->imp_fd);
	}
	prime_release(&s->buf);
}

/* One round of one way: map latency samples, fault cost, bandwidth. */
static void measure(struct setup *s, enum way w, size_t size, char *anon,
		    double *map_ns, int *n_map, double *fault, double *rd,
		    double *wr, int *n_bw)
{
	uint64_t offset;
	int fd = way_target(s, w, &offset);
	unsigned char *map;
	double t;
	size_t i;
	int k;

	for (k = 0; k < map_iters; k++) {
		t = now_ns();
		map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			   offset);
		if (map == MAP_FAILED)
			return;
		munmap(map, size);
		map_ns[(*n_map)++] = since_ns(t);
	}

	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
	if (map == MAP_FAILED)
		return;
	t = now_ns();
	for (i = 0; i < size; i += page_size)
		touched += map[i];
	fault[*n_bw] = since_ns(t) / (size / page_size);

	prime_sync(s->buf.dmabuf_fd, true, true);
	t = now_ns();
	for (k = 0; k < bw_reps; k++)
		memcpy(anon, map, size);
	rd[*n_bw] = size * (double)bw_reps / since_ns(t) * 1e3;
	t = now_ns();
	for (k = 0; k < bw_reps; k++)
		memcpy(map, anon, size);
	wr[*n_bw] = size * (double)bw_reps / since_ns(t) * 1e3;
	prime_sync(s->buf.dmabuf_fd, false, true);
	(*n_bw)++;
	munmap(map, size);
}

static double anon_ceiling(size_t size)
{
	char *a = malloc(size), *b = malloc(size);
	double t, v[16];
	int r, k;

	memset(a, 1, size);
	memset(b, 2, size);
	for (r = 0; r < rounds && r < 16; r++) {
		t = now_ns();
		for (k = 0; k < bw_reps; k++) {
			memcpy(b, a, size);
			/* b is never read: keep the compiler from dropping the copy. */
			asm volatile("" : : "r"(b) : "memory");
		}
		v[r] = size * (double)bw_reps / since_ns(t) * 1e3;
	}
	free(a);
	free(b);
	return median(v, r);
}

static void json_result(const char *way, const struct result *r)
{
	json_add(",\"%s\":{", way);
	json_add("\"mmap_munmap_median_ns\":%.0f,", r->map_median_ns);
	json_add("\"mmap_munmap_p99_ns\":%.0f,", r->map_p99_ns);
	json_add("\"fault_ns_per_page\":%.0f,", r->fault_ns_per_page);
	json_add("\"read_mbs\":%.1f,", r->read_mbs);
	json_add("\"write_mbs\":%.1f}", r->write_mbs);
}

static void bench_pair(const struct pair *p, size_t size)
{
	int n_samples = rounds * map_iters, n_map[WAYS] = { 0 }, n_bw[WAYS] = { 0 };
	double *map_ns[WAYS], fault[WAYS][64], rd[WAYS][64], wr[WAYS][64];
	struct result res[WAYS] = {};
	double ceiling = anon_ceiling(size);
	struct setup s;
	char *anon;
	int r, w, ret;

	ret = setup_pair(p, size, &s);
	if (ret) {
		printf("%-12s %-5s %8zu  skipped: %s\n", p->exporter, p->importer,
		       size, strerror(-ret));
		teardown_pair(&s);
		return;
	}
	anon = malloc(size);
	memset(anon, 3, size);
	for (w = 0; w < WAYS; w++)
		map_ns[w] = calloc(n_samples, sizeof(double));

	/* Interleaved: forwarded, direct, native, forwarded, ... */
	for (r = 0; r < rounds; r++)
		for (w = 0; w < WAYS; w++)
			if (w != NATIVE || s.buf.dev_fd >= 0)
				measure(&s, w, size, anon, map_ns[w], &n_map[w],
					fault[w], rd[w], wr[w], &n_bw[w]);

	for (w = 0; w < WAYS; w++) {
		if (!n_map[w] || !n_bw[w])
			continue;
		res[w].valid = true;
		res[w].map_median_ns = median(map_ns[w], n_map[w]);
		res[w].map_p99_ns = percentile(map_ns[w], n_map[w], 0.99);
		res[w].fault_ns_per_page = median(fault[w], n_bw[w]);
		res[w].read_mbs = median(rd[w], n_bw[w]);
		res[w].write_mbs = median(wr[w], n_bw[w]);
	}

	printf("%-12s %-5s %8zu", p->exporter, p->importer, size);
	if (res[FORWARDED].valid && res[DIRECT].valid)
		printf("  %5.2f %5.2f %5.2f %5.2f %5.2f",
		       res[FORWARDED].map_median_ns / res[DIRECT].map_median_ns,
		       res[FORWARDED].map_p99_ns / res[DIRECT].map_p99_ns,
		       res[FORWARDED].fault_ns_per_page / res[DIRECT].fault_ns_per_page,
		       res[FORWARDED].read_mbs / res[DIRECT].read_mbs,
		       res[FORWARDED].write_mbs / res[DIRECT].write_mbs);
	else
		printf("  %29s", "(no forwarded mapping)");
	if (res[FORWARDED].valid && res[NATIVE].valid)
		printf("  %5.2f %5.2f",
		       res[FORWARDED].map_median_ns / res[NATIVE].map_median_ns,
		       res[FORWARDED].read_mbs / res[NATIVE].read_mbs);
	else
		printf("  %5s %5s", "-", "-");
	if (res[FORWARDED].valid)
		printf("  %5.2f %5.2f  %8.0f\n", res[FORWARDED].read_mbs / ceiling,
		       res[FORWARDED].write_mbs / ceiling,
		       res[FORWARDED].map_median_ns);
	else
		printf("\n");

	json_item();
	json_add("\"exporter\":\"%s\",", p->exporter);
	json_add("\"importer\":\"%s\",", p->importer);
	json_add("\"size\":%zu,\"anon_memcpy_mbs\":%.1f", size, ceiling);
	for (w = 0; w < WAYS; w++)
		if (res[w].valid)
			json_result(way_names[w], &res[w]);
	json_add("}");

	for (w = 0; w < WAYS; w++)
		free(map_ns[w]);
	free(anon);
	teardown_pair(&s);
}

static long slab_kib(void)
{
	char line[128];
	long kib = 0, v;
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Slab: %ld kB", &v) == 1)
			kib = v;
	fclose(f);
	return kib;
}

/*
 * mmap()+munmap() latency of one buffer through an importer that holds N
 * imported buffers (the offset manager is an rbtree), and kernel memory
 * per forwarded mapping, with all N mapped at once.
 */
static void bench_scale(void)
{
	unsigned int n, i, done = 0;
	struct rlimit rl = { 65536, 65536 };
	struct prime_buf *bufs;
	uint64_t *offsets;
	uint32_t *handles;
	void **maps;
	int imp_fd;

	setrlimit(RLIMIT_NOFILE, &rl);
	imp_fd = prime_open_driver("vgem");
	if (imp_fd < 0) {
		printf("scale: no vgem\n");
		return;
	}
	bufs = calloc(scale_max, sizeof(*bufs));
	handles = calloc(scale_max, sizeof(*handles));
	offsets = calloc(scale_max, sizeof(*offsets));
	maps = calloc(scale_max, sizeof(*maps));

	printf("\n%8s  %12s  %12s  %16s  %16s\n", "N", "median ns", "p99 ns",
	       "slab KiB/mapping", "(direct)");
	json_add("],\"scale\":[");
	for (n = 10; n <= scale_max; n *= 10) {
		double v[400];
		long before, fwd_kib, direct_kib;
		int k;

		for (; done < n; done++) {
			if (prime_export("system-heap", page_size, true, &bufs[done]) ||
			    prime_import(imp_fd, bufs[done].dmabuf_fd, &handles[done]) ||
			    prime_map_offset(imp_fd, handles[done], &offsets[done])) {
				printf("scale: stopped at %u buffers: %s\n", done,
				       strerror(errno));
				goto out;
			}
		}

		for (k = 0; k < 400; k++) {
			double t = now_ns();
			void *m = mmap(NULL, page_size, PROT_READ, MAP_SHARED,
				       imp_fd, offsets[k % n]);

			if (m == MAP_FAILED)
				goto out;
			munmap(m, page_size);
			v[k] = since_ns(t);
		}

		before = slab_kib();
		for (i = 0; i < n; i++)
			maps[i] = mmap(NULL, page_size, PROT_READ, MAP_SHARED,
				       imp_fd, offsets[i]);
		fwd_kib = slab_kib() - before;
		for (i = 0; i < n; i++)
			munmap(maps[i], page_size);

		before = slab_kib();
		for (i = 0; i < n; i++)
			maps[i] = mmap(NULL, page_size, PROT_READ, MAP_SHARED,
				       bufs[i].dmabuf_fd, 0);
		direct_kib = slab_kib() - before;
		for (i = 0; i < n; i++)
			munmap(maps[i], page_size);

		printf("%8u  %12.0f  %12.0f  %16.3f  %16.3f\n", n, median(v, 400),
		       percentile(v, 400, 0.99), (double)fwd_kib / n,
		       (double)direct_kib / n);
		json_item();
		json_add("\"n\":%u,", n);
		json_add("\"mmap_munmap_median_ns\":%.0f,", median(v, 400));
		json_add("\"mmap_munmap_p99_ns\":%.0f,",
			 percentile(v, 400, 0.99));
		json_add("\"slab_kib_per_forwarded_mapping\":%.3f,",
			 (double)fwd_kib / n);
		json_add("\"slab_kib_per_direct_mapping\":%.3f}",
			 (double)direct_kib / n);
	}
out:
	for (i = 0; i < done; i++) {
		prime_gem_close(imp_fd, handles[i]);
		prime_release(&bufs[i]);
	}
	close(imp_fd);
	free(bufs);
	free(handles);
	free(offsets);
	free(maps);
}

int main(int argc, char **argv)
{
	const char *accel = getenv("VM_ACCEL");
	struct utsname uts;
	unsigned int p, z, nsizes = ARRAY_SIZE(sizes);
	bool quick = argc > 1 && !strcmp(argv[1], "--quick");
	char source[64];
	double step;

	if (quick) {
		rounds = 2;
		map_iters = 10;
		bw_reps = 1;
		scale_max = 100;
		nsizes = 2;
	}
	page_size = getpagesize();
	uname(&uts);

	printf("drm_gem_forward_bench: kernel %s, accelerator %s,\n",
	       uts.release, accel ? accel : "unknown");
	printf("policy %s, %d rounds of %d mmaps per way\n", prime_policy(),
	       rounds, map_iters);
	step = clock_step_ns(source, sizeof(source));
	printf("clocksource %s, clock step %.0f ns\n", source, step);
	/* Ratios of ticks are noise; the quick run only proves it runs. */
	if (step > 1000 && !quick) {
		printf("no high-resolution clock: no timings on this boot\n");
		return KSFT_SKIP;
	}
	printf("map, p99, fault, read, write: forwarded / direct\n");
	printf("  (mmap+munmap median and p99, first touch per page, bandwidth)\n");
	printf("map/n, rd/n: forwarded / native (exporter's own DRM file)\n");
	printf("rd/an, wr/an: forwarded bandwidth / anonymous memcpy\n");
	printf("targets: map <= 1.05, read and write >= 0.98,\n");
	printf("  mmap latency growing no faster than log N\n\n");
	printf("%-12s %-5s %8s  %5s %5s %5s %5s %5s  %5s %5s  %5s %5s  %8s\n",
	       "exporter", "imp", "size", "map", "p99", "fault", "read", "write",
	       "map/n", "rd/n", "rd/an", "wr/an", "fwd ns");

	json_add("{\"kernel\":\"%s\",", uts.release);
	json_add("\"accelerator\":\"%s\",", accel ? accel : "unknown");
	json_add("\"policy\":\"%s\",", prime_policy());
	json_add("\"rounds\":%d,\"mmaps_per_round\":%d,", rounds, map_iters);
	json_add("\"pairs\":[");
	for (z = 0; z < nsizes; z++)
		for (p = 0; p < ARRAY_SIZE(pairs); p++)
			bench_pair(&pairs[p], sizes[z]);
	bench_scale();
	json_add("]}");

	printf("\n(first-touch checksum %lu)\nJSON: %s\n", touched, json);
	free(json);
	return 0;
}
