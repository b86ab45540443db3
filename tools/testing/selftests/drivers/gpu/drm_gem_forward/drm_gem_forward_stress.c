// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded stress, balance and fault-injection tests of mmap() of imported
 * dma-bufs through the importing driver's DRM file, which the kernel
 * forwards to the exporter (drivers/gpu/drm/drm_gem_forward.c).
 *
 * race:    for each exporter -> importer pair, threads in this process and
 *          in forked processes race mmap/munmap through the importer,
 *          GEM_CLOSE and re-import of the shared imported handle, partial
 *          munmap, mprotect, DMA_BUF_IOCTL_SYNC, fork() with mappings live,
 *          and private imports whose dma-buf, exporter, handle and DRM file
 *          are closed in random order while they are mapped.
 * cycles:  sequential map/unmap cycles of one import.
 * fault:   fail-nth (Documentation/fault-injection/fault-injection.rst) on
 *          the import ioctl, MODE_MAP_DUMB and the forwarded mmap(): the
 *          Nth fault-injection point of the call fails, for N = 1, 2, ...
 *          until the call succeeds without consuming the fault.
 * tighten: the policy is tightened to "never" while threads map; done in
 *          a forked child, and irreversible until reboot: run it last.
 *
 * Every page read back is checked against the pattern the exporter wrote,
 * every call must succeed or fail with an errno of the set allowed for its
 * operation, and after each case the counts of balance.h must come back
 * to where they were. Prints KTAP, the operation counts and how often each
 * outcome (operation, errno) happened.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <drm/drm.h>
#include <drm/drm_mode.h>
#include <linux/dma-buf.h>

#include "../../../kselftest.h"
#include "balance.h"
#include "prime.h"

#define BUF_SIZE	(64 * 1024)
#define PRIV_SIZE	(16 * 1024)
#define MAX_SEGS	8
#define MAX_ERR		134
#define POLICY_PARAM	"/sys/module/drm/parameters/gem_forward"

enum op {
	OP_IMPORT, OP_MAP_DUMB, OP_MMAP, OP_READ, OP_WRITE, OP_MUNMAP,
	OP_PARTIAL_MUNMAP, OP_MPROTECT, OP_MPROTECT_EXEC, OP_SYNC,
	OP_GEM_CLOSE, OP_CLOSE_DMABUF, OP_CLOSE_DRM, OP_FORK, OP_EXPORT,
	OP_PRIV_MMAP, OP_PRIV_READ, NUM_OPS
};

static const char * const op_names[NUM_OPS] = {
	[OP_IMPORT] = "import", [OP_MAP_DUMB] = "map_dumb",
	[OP_MMAP] = "mmap", [OP_READ] = "read", [OP_WRITE] = "write",
	[OP_MUNMAP] = "munmap", [OP_PARTIAL_MUNMAP] = "partial_munmap",
	[OP_MPROTECT] = "mprotect", [OP_MPROTECT_EXEC] = "mprotect_exec",
	[OP_SYNC] = "sync", [OP_GEM_CLOSE] = "gem_close",
	[OP_CLOSE_DMABUF] = "close_dmabuf", [OP_CLOSE_DRM] = "close_drm",
	[OP_FORK] = "fork", [OP_EXPORT] = "export",
	[OP_PRIV_MMAP] = "private_mmap", [OP_PRIV_READ] = "private_read",
};

/*
 * The errnos each operation may fail with while others race it, besides
 * success. MAP_DUMB: the shared handle was closed (ENOENT). mmap at an
 * offset handed out earlier: the object was freed with its last handle and
 * its offset node with it, or the offset is inside the object, which
 * drm_gem_mmap() does not take (EINVAL), or it lives on without a handle
 * in this file (EACCES). GEM_CLOSE of a handle another thread closed: EINVAL.
 * PROT_EXEC may be refused (EACCES). Under policy "never": EINVAL from
 * MAP_DUMB and EPERM from mmap (the tighten case allows them itself).
 */
static const int op_allowed[NUM_OPS][4] = {
	[OP_MAP_DUMB] = { ENOENT },
	[OP_MMAP] = { EINVAL, EACCES },
	[OP_GEM_CLOSE] = { EINVAL },
	[OP_MPROTECT_EXEC] = { EACCES },
};

struct stats {
	unsigned long ops[NUM_OPS];
	unsigned long outcomes[NUM_OPS][MAX_ERR];
	unsigned long failures;
	unsigned long pages;
	unsigned long injected;
};

/* A pair's shared state, in memory shared with the forked workers. */
struct pair {
	const char *exporter;
	const char *importer;
	char imp_path[64];
	struct prime_buf buf;
	__u32 seed;
	int imp_fd;
	__u32 handle;
	int tightened;
};

/* A mapping a worker holds: @pages pages of the buffer from page @first. */
struct seg {
	char *addr;
	size_t pages;
	size_t first;
};

struct worker {
	struct pair *pair;
	pthread_t thread;
	unsigned int rng;
	int dfd;
	struct seg segs[MAX_SEGS];
	int nsegs;
};

static struct stats *st;
static long page_size;
static int opt_threads = 2, opt_procs = 2, opt_break, opt_leak;
static double opt_seconds = 60, opt_cycle_seconds = 15;
static long opt_iterations, opt_cycles = 100000;
static double deadline;

static const char * const race_pairs[][2] = {
	{ "vgem", "vkms" },
	{ "udmabuf", "vgem" },
	{ "system-heap", "cirrus-qemu" },
	{ "vkms", "vgem" },
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void add(unsigned long *counter, unsigned long n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

/* Report a failure; usable in forked children: no stdio buffers. */
static __printf(1, 2) void failure(const char *fmt, ...)
{
	char msg[256] = "# FAIL: ";
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(msg + 8, sizeof(msg) - 9, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	len += 8;
	if (len > (int)sizeof(msg) - 2)
		len = sizeof(msg) - 2;
	msg[len++] = '\n';
	/* the first ones tell: --break makes thousands */
	if (__atomic_fetch_add(&st->failures, 1, __ATOMIC_RELAXED) >= 20)
		return;
	/* one write: lines of racing threads do not mix */
	if (write(STDOUT_FILENO, msg, len) < 0)
		return;
}

static bool allowed(enum op op, int err)
{
	unsigned int i;

	if (!err)
		return true;
	for (i = 0; i < ARRAY_SIZE(op_allowed[op]); i++)
		if (op_allowed[op][i] == err)
			return true;
	return false;
}

/* Count the outcome @err (0 or an errno) of @op. */
static void count(enum op op, int err)
{
	add(&st->ops[op], 1);
	add(&st->outcomes[op][err >= 0 && err < MAX_ERR ? err : 0], 1);
}

/* Count the outcome @err of @op; false, a failure, if it is not allowed. */
static bool record(enum op op, int err)
{
	count(op, err);
	if (allowed(op, err))
		return true;
	failure("%s: unexpected errno %d (%s)", op_names[op], err,
		strerror(err));
	return false;
}

static unsigned int rnd(unsigned int *state)
{
	return rand_r(state);
}

static __u32 pattern(__u32 seed, size_t word)
{
	return seed ^ (__u32)(word * 2654435761u);
}

static void fill(void *p, size_t size, __u32 seed)
{
	__u32 *w = p;
	size_t i;

	for (i = 0; i < size / 4; i++)
		w[i] = pattern(seed, i);
}

/*
 * Check @pages pages at @p, which map the buffer from page @first; with
 * --break the expected pattern is corrupted, to show that this can fail.
 */
static bool check_pages(const char *what, const void *p, size_t first,
			size_t pages, __u32 seed)
{
	const __u32 *w = p;
	size_t words = pages * page_size / 4, base = first * page_size / 4;
	size_t i;

	if (opt_break)
		seed ^= 1;
	for (i = 0; i < words; i++) {
		if (w[i] != pattern(seed, base + i)) {
			failure("%s: word %zu of the buffer reads %#x, the exporter wrote %#x",
				what, base + i, w[i], pattern(seed, base + i));
			return false;
		}
	}
	add(&st->pages, pages);
	return true;
}

static void crash_handler(int sig, siginfo_t *info, void *uc __always_unused)
{
	failure("signal %d at %p", sig, info->si_addr);
	_exit(2);
}

static int open_path_of(int fd, char *path, size_t size)
{
	char link[64];
	ssize_t len;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	len = readlink(link, path, size - 1);
	if (len < 0)
		return -errno;
	path[len] = '\0';
	return 0;
}

static int map_dumb(int fd, __u32 handle, __u64 *offset)
{
	struct drm_mode_map_dumb args = { .handle = handle };

	if (ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &args))
		return errno;
	*offset = args.offset;
	return 0;
}

static int gem_close(int fd, __u32 handle)
{
	struct drm_gem_close args = { .handle = handle };

	return ioctl(fd, DRM_IOCTL_GEM_CLOSE, &args) ? errno : 0;
}

static int import(int fd, int dmabuf_fd, __u32 *handle)
{
	struct drm_prime_handle args = { .fd = dmabuf_fd };

	if (ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &args))
		return errno;
	*handle = args.handle;
	return 0;
}

static int sync_flags(int dfd, __u64 flags)
{
	struct dma_buf_sync sync = { .flags = flags };

	return ioctl(dfd, DMA_BUF_IOCTL_SYNC, &sync) ? errno : 0;
}

/* Make a writable buffer of @exporter filled with the pattern of @seed. */
static int make_buffer(const char *exporter, size_t size, __u32 seed,
		       struct prime_buf *buf)
{
	int ret;

	ret = prime_export(exporter, size, true, buf);
	if (!ret)
		ret = prime_map_native(buf);
	if (ret) {
		prime_release(buf);
		return ret;
	}
	prime_sync(buf->dmabuf_fd, true, true);
	fill(buf->native, buf->size, seed);
	prime_sync(buf->dmabuf_fd, false, true);
	munmap(buf->native, buf->size);
	buf->native = NULL;
	return 0;
}

static __u32 shared_handle(struct pair *p)
{
	return __atomic_load_n(&p->handle, __ATOMIC_RELAXED);
}

static void seg_drop(struct worker *w, int i)
{
	w->segs[i] = w->segs[--w->nsegs];
}

static void op_shared_map(struct worker *w)
{
	struct pair *p = w->pair;
	size_t pages = p->buf.size / page_size, first, n;
	__u64 offset = 0;
	void *addr;
	int err;

	if (w->nsegs == MAX_SEGS)
		return;
	err = map_dumb(p->imp_fd, shared_handle(p), &offset);
	if (!record(OP_MAP_DUMB, err) || err)
		return;
	/*
	 * drm_gem_mmap() takes only the exact offset of an object: from the
	 * middle of one, EINVAL (counted, allowed). Mostly the first page.
	 */
	first = rnd(&w->rng) % 4 ? 0 : rnd(&w->rng) % pages;
	n = 1 + rnd(&w->rng) % (pages - first);
	addr = mmap(NULL, n * page_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		    p->imp_fd, offset + first * page_size);
	err = addr == MAP_FAILED ? errno : 0;
	if (!record(OP_MMAP, err) || err)
		return;
	w->segs[w->nsegs++] = (struct seg){ addr, n, first };
}

static void op_read(struct worker *w, bool write)
{
	struct seg *s;
	size_t i;

	if (!w->nsegs)
		return;
	s = &w->segs[rnd(&w->rng) % w->nsegs];
	record(OP_SYNC, sync_flags(w->dfd, DMA_BUF_SYNC_START |
				   (write ? DMA_BUF_SYNC_RW : DMA_BUF_SYNC_READ)));
	if (write) {
		/* the values already there: readers racing see no change */
		for (i = 0; i < s->pages * page_size / 4; i++)
			((__u32 *)s->addr)[i] =
				pattern(w->pair->seed, s->first * page_size / 4 + i);
		record(OP_WRITE, 0);
	} else {
		count(OP_READ, check_pages("read", s->addr, s->first, s->pages,
					   w->pair->seed) ? 0 : EIO);
	}
	record(OP_SYNC, sync_flags(w->dfd, DMA_BUF_SYNC_END |
				   (write ? DMA_BUF_SYNC_RW : DMA_BUF_SYNC_READ)));
}

static void op_munmap(struct worker *w)
{
	int i;

	if (!w->nsegs)
		return;
	i = rnd(&w->rng) % w->nsegs;
	record(OP_MUNMAP, munmap(w->segs[i].addr, w->segs[i].pages * page_size) ?
	       errno : 0);
	seg_drop(w, i);
}

/* Unmap one page inside a mapping: the VMA splits in two. */
static void op_partial_munmap(struct worker *w)
{
	struct seg *s, tail;
	size_t k;
	int i;

	for (i = 0; i < w->nsegs; i++)
		if (w->segs[i].pages >= 3)
			break;
	if (i == w->nsegs || w->nsegs == MAX_SEGS)
		return;
	s = &w->segs[i];
	k = 1 + rnd(&w->rng) % (s->pages - 2);
	if (!record(OP_PARTIAL_MUNMAP, munmap(s->addr + k * page_size,
					      page_size) ? errno : 0))
		return;
	tail = (struct seg){ s->addr + (k + 1) * page_size, s->pages - k - 1,
			     s->first + k + 1 };
	s->pages = k;
	w->segs[w->nsegs++] = tail;
}

static void op_mprotect(struct worker *w)
{
	struct seg *s;

	if (!w->nsegs)
		return;
	s = &w->segs[rnd(&w->rng) % w->nsegs];
	record(OP_MPROTECT, mprotect(s->addr, s->pages * page_size, PROT_READ) ?
	       errno : 0);
	record(OP_MPROTECT_EXEC, mprotect(s->addr, s->pages * page_size,
					  PROT_READ | PROT_EXEC) ? errno : 0);
	record(OP_MPROTECT, mprotect(s->addr, s->pages * page_size,
				     PROT_READ | PROT_WRITE) ? errno : 0);
}

static void op_reimport(struct worker *w)
{
	__u32 handle = 0;
	int err;

	err = import(w->pair->imp_fd, w->dfd, &handle);
	if (record(OP_IMPORT, err) && !err)
		__atomic_store_n(&w->pair->handle, handle, __ATOMIC_RELAXED);
}

static void op_close_dmabuf(struct worker *w)
{
	record(OP_CLOSE_DMABUF, close(w->dfd) ? errno : 0);
	w->dfd = dup(w->pair->buf.dmabuf_fd);
}

/* fork() with the mappings live: the child reads them, maps, and exits. */
static void op_fork(struct worker *w)
{
	int i, status;
	pid_t pid;

	pid = fork();
	if (pid < 0) {
		record(OP_FORK, errno);
		return;
	}
	if (!pid) {
		unsigned long before = __atomic_load_n(&st->failures,
						       __ATOMIC_RELAXED);

		for (i = 0; i < w->nsegs; i++)
			check_pages("read in a child", w->segs[i].addr,
				    w->segs[i].first, w->segs[i].pages,
				    w->pair->seed);
		op_shared_map(w);
		if (rnd(&w->rng) % 2)
			record(OP_GEM_CLOSE, gem_close(w->pair->imp_fd,
						       shared_handle(w->pair)));
		_exit(__atomic_load_n(&st->failures, __ATOMIC_RELAXED) !=
		      before);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		failure("fork: the child ended with status %#x", status);
		count(OP_FORK, EIO);
		return;
	}
	record(OP_FORK, 0);
}

/*
 * A private buffer of the pair's exporter, imported through a DRM file of
 * its own and mapped; then the dma-buf fd, the exporter's buffer, the
 * imported handle and the DRM file are closed in a random order while the
 * mapping lives, which must read the exporter's data after each close.
 */
static void op_lifecycle(struct worker *w)
{
	__u32 seed = rnd(&w->rng), handle = 0;
	struct prime_buf buf;
	int ifd, err, step, order[4] = { 0, 1, 2, 3 };
	__u64 offset = 0;
	char *addr;

	err = make_buffer(w->pair->exporter, PRIV_SIZE, seed, &buf);
	if (!record(OP_EXPORT, err < 0 ? -err : 0))
		return;
	ifd = open(w->pair->imp_path, O_RDWR | O_CLOEXEC);
	if (ifd < 0) {
		failure("open %s: %s", w->pair->imp_path, strerror(errno));
		prime_release(&buf);
		return;
	}
	/* nothing races this import: each step must succeed */
	addr = MAP_FAILED;
	err = import(ifd, buf.dmabuf_fd, &handle);
	if (record(OP_IMPORT, err) && !err) {
		err = map_dumb(ifd, handle, &offset);
		count(OP_MAP_DUMB, err);
		if (err)
			failure("private MAP_DUMB: %s", strerror(err));
	}
	if (!err) {
		addr = mmap(NULL, buf.size, PROT_READ | PROT_WRITE, MAP_SHARED,
			    ifd, offset);
		count(OP_PRIV_MMAP, addr == MAP_FAILED ? errno : 0);
		if (addr == MAP_FAILED)
			failure("private mmap: %s", strerror(errno));
	}
	if (addr == MAP_FAILED) {
		close(ifd);
		prime_release(&buf);
		return;
	}

	for (step = 3; step > 0; step--) {
		int j = rnd(&w->rng) % (step + 1), t = order[step];

		order[step] = order[j];
		order[j] = t;
	}
	for (step = 0; step < 4; step++) {
		switch (order[step]) {
		case 0:
			/* the exporter's release closes it too */
			if (buf.dmabuf_fd >= 0)
				record(OP_CLOSE_DMABUF, close(buf.dmabuf_fd) ?
				       errno : 0);
			buf.dmabuf_fd = -1;
			break;
		case 1:
			prime_release(&buf);
			break;
		case 2:
			/*
			 * A private handle: nothing else closes it; gone with
			 * the DRM file if that was closed first, and its fd
			 * number may be another thread's by now.
			 */
			if (ifd < 0)
				break;
			err = gem_close(ifd, handle);
			if (err)
				failure("private GEM_CLOSE: %s", strerror(err));
			record(OP_GEM_CLOSE, err);
			break;
		case 3:
			record(OP_CLOSE_DRM, close(ifd) ? errno : 0);
			ifd = -1;
			break;
		}
		count(OP_PRIV_READ, check_pages("read after a close", addr, 0,
						PRIV_SIZE / page_size, seed) ?
		      0 : EIO);
		if (step == 1 && rnd(&w->rng) % 4 == 0)
			op_fork(w);
	}
	record(OP_MUNMAP, munmap(addr, PRIV_SIZE) ? errno : 0);
}

static bool out_of_time(long iteration)
{
	if (opt_iterations)
		return iteration >= opt_iterations;
	return now() >= deadline;
}

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	long it;

	w->dfd = dup(w->pair->buf.dmabuf_fd);
	for (it = 0; !out_of_time(it); it++) {
		switch (rnd(&w->rng) % 20) {
		case 0 ... 5:
			op_shared_map(w);
			break;
		case 6 ... 7:
			op_read(w, false);
			break;
		case 8:
			op_read(w, true);
			break;
		case 9:
			op_munmap(w);
			break;
		case 10:
			op_partial_munmap(w);
			break;
		case 11:
			op_mprotect(w);
			break;
		case 12:
			record(OP_GEM_CLOSE, gem_close(w->pair->imp_fd,
						       shared_handle(w->pair)));
			break;
		case 13 ... 14:
			op_reimport(w);
			break;
		case 15:
			op_close_dmabuf(w);
			break;
		case 16:
			op_fork(w);
			break;
		case 17:
			record(OP_SYNC, sync_flags(w->dfd, DMA_BUF_SYNC_START |
						   DMA_BUF_SYNC_RW));
			record(OP_SYNC, sync_flags(w->dfd, DMA_BUF_SYNC_END |
						   DMA_BUF_SYNC_RW));
			break;
		default:
			op_lifecycle(w);
			break;
		}
	}
	while (w->nsegs) {
		op_read(w, false);
		op_munmap(w);
	}
	close(w->dfd);
	return NULL;
}

#define STACK_SIZE	(256 * 1024)

/*
 * Start a thread on a stack of our own: glibc keeps the stacks it
 * allocates for reuse, which would count as mappings left behind.
 */
static int start_thread(pthread_t *thread, void *(*fn)(void *), void *arg,
			void **stack)
{
	pthread_attr_t attr;
	int ret;

	*stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (*stack == MAP_FAILED)
		return errno;
	pthread_attr_init(&attr);
	pthread_attr_setstack(&attr, *stack, STACK_SIZE);
	ret = pthread_create(thread, &attr, fn, arg);
	pthread_attr_destroy(&attr);
	if (ret) {
		munmap(*stack, STACK_SIZE);
		*stack = NULL;
	}
	return ret;
}

static void join_thread(pthread_t thread, void *stack)
{
	if (!stack)
		return;
	pthread_join(thread, NULL);
	munmap(stack, STACK_SIZE);
}

/* Run opt_threads workers on @p in this process; returns after all end. */
static void run_threads(struct pair *p, unsigned int seed)
{
	void *stacks[64] = { NULL };
	struct worker *ws;
	int i;

	ws = calloc(opt_threads, sizeof(*ws));
	if (!ws) {
		failure("out of memory");
		return;
	}
	for (i = 0; i < opt_threads && i < (int)ARRAY_SIZE(stacks); i++) {
		ws[i].pair = p;
		ws[i].rng = seed + i;
		if (start_thread(&ws[i].thread, worker_run, &ws[i], &stacks[i]))
			failure("pthread_create failed");
	}
	for (i = 0; i < opt_threads && i < (int)ARRAY_SIZE(stacks); i++)
		join_thread(ws[i].thread, stacks[i]);
	free(ws);
}

static void print_stats(const struct stats *s)
{
	char line[512];
	int op, e, len;

	for (op = 0; op < NUM_OPS; op++) {
		if (!s->ops[op])
			continue;
		len = snprintf(line, sizeof(line), "%-15s %8lu:", op_names[op],
			       s->ops[op]);
		for (e = 0; e < MAX_ERR && len < (int)sizeof(line) - 32; e++)
			if (s->outcomes[op][e])
				len += snprintf(line + len, sizeof(line) - len,
						" %s %lu", e ? strerrorname_np(e) : "ok",
						s->outcomes[op][e]);
		printf("#   %s\n", line);
	}
}

/*
 * A skip with the case's name, "ok N NAME # SKIP WHY", which expectation
 * files can list; ksft_test_result_skip() writes no name.
 */
static __printf(2, 3) void skip(const char *name, const char *fmt, ...)
{
	char why[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	ksft_test_result_code(KSFT_SKIP, name, "%s", why);
}

/* Settle the counts after a case and say whether they came back. */
static bool balanced(const char *name, const struct balance *before)
{
	struct balance after;
	int ret;

	ret = balance_settle(before, &after);
	if (!ret)
		return true;
	printf("# %s: the counts did not come back (%s)\n", name,
	       strerror(-ret));
	balance_print("before", before);
	balance_print("after", &after);
	return false;
}

static struct pair *setup_pair(const char *exporter, const char *importer,
			       __u32 seed, int *err)
{
	struct pair *p;
	int ret;

	p = mmap(NULL, sizeof(*p), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		*err = -errno;
		return NULL;
	}
	p->exporter = exporter;
	p->importer = importer;
	p->seed = seed;
	ret = make_buffer(exporter, BUF_SIZE, seed, &p->buf);
	if (ret)
		goto err_unmap;
	p->imp_fd = prime_open_driver(importer);
	if (p->imp_fd < 0) {
		ret = p->imp_fd;
		goto err_release;
	}
	ret = open_path_of(p->imp_fd, p->imp_path, sizeof(p->imp_path));
	if (!ret)
		ret = -import(p->imp_fd, p->buf.dmabuf_fd, &p->handle);
	if (!ret)
		return p;
	close(p->imp_fd);
err_release:
	prime_release(&p->buf);
err_unmap:
	munmap(p, sizeof(*p));
	*err = ret;
	return NULL;
}

static void teardown_pair(struct pair *p)
{
	gem_close(p->imp_fd, p->handle);
	close(p->imp_fd);
	prime_release(&p->buf);
	munmap(p, sizeof(*p));
}

static void reset_stats(void)
{
	memset(st, 0, sizeof(*st));
}

/* The race of one pair: opt_procs processes of opt_threads threads. */
static void case_race(const char *exporter, const char *importer,
		      double seconds, unsigned int seed)
{
	struct balance before;
	struct pair *p;
	double start = now();
	pid_t pids[64];
	int i, n = 0, err, status;
	char name[96];
	bool ok;

	snprintf(name, sizeof(name), "race %s -> %s", exporter, importer);
	reset_stats();
	if (balance_snapshot(&before)) {
		skip(name, "no debugfs bufinfo");
		return;
	}
	p = setup_pair(exporter, importer, seed, &err);
	if (!p) {
		if (err == -ENODEV || prime_import_unsupported(err)) {
			skip(name, "%s", strerror(-err));
			return;
		}
		ksft_test_result_fail("race %s -> %s: setup: %s\n", exporter,
				      importer, strerror(-err));
		return;
	}
	deadline = start + seconds;
	fflush(stdout);
	for (i = 0; i < opt_procs && i < (int)ARRAY_SIZE(pids); i++) {
		pids[n] = fork();
		if (!pids[n]) {
			run_threads(p, seed * 7919 + 1000 * (i + 1));
			_exit(0);
		}
		if (pids[n] > 0)
			n++;
	}
	run_threads(p, seed * 7919);
	for (i = 0; i < n; i++) {
		if (waitpid(pids[i], &status, 0) != pids[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			failure("worker process %d ended with status %#x",
				pids[i], status);
	}
	teardown_pair(p);
	ok = balanced("race", &before);
	printf("# race %s -> %s: %.1f s, %d processes x %d threads, %lu pages checked\n",
	       exporter, importer, now() - start, n + 1, opt_threads,
	       st->pages);
	print_stats(st);
	ksft_test_result(ok && !st->failures, "%s\n", name);
}

/* Sequential mmap/munmap cycles of one import, timed. */
static void case_cycles(const char *exporter, const char *importer)
{
	struct balance before;
	struct pair *p;
	double start, elapsed;
	__u64 offset = 0;
	long i;
	int err;
	char *addr;
	char name[96];

	snprintf(name, sizeof(name), "cycles %s -> %s", exporter, importer);
	reset_stats();
	if (balance_snapshot(&before)) {
		skip(name, "no debugfs bufinfo");
		return;
	}
	p = setup_pair(exporter, importer, 0x5eed, &err);
	if (!p) {
		skip(name, "%s", strerror(-err));
		return;
	}
	err = map_dumb(p->imp_fd, p->handle, &offset);
	record(OP_MAP_DUMB, err);
	start = now();
	for (i = 0; !err && i < opt_cycles; i++) {
		if (now() - start > opt_cycle_seconds)
			break;
		addr = mmap(NULL, p->buf.size, PROT_READ | PROT_WRITE,
			    MAP_SHARED, p->imp_fd, offset);
		if (addr == MAP_FAILED) {
			record(OP_MMAP, errno);
			failure("cycle %ld: mmap: %s", i, strerror(errno));
			break;
		}
		record(OP_MMAP, 0);
		/* every page of every 64th mapping, the first of the others */
		check_pages("cycle", addr, 0, i % 64 ? 1 : p->buf.size / page_size,
			    p->seed);
		record(OP_MUNMAP, munmap(addr, p->buf.size) ? errno : 0);
	}
	elapsed = now() - start;
	teardown_pair(p);
	err = !balanced("cycles", &before);
	printf("# cycles %s -> %s: %ld map/unmap cycles of %d KiB in %.1f s, %.0f us each%s\n",
	       exporter, importer, i, BUF_SIZE / 1024, elapsed,
	       i ? elapsed * 1e6 / i : 0.0,
	       i < opt_cycles ? " (stopped by --cycle-seconds)" : "");
	print_stats(st);
	ksft_test_result(!err && !st->failures && i > 0, "%s\n", name);
}

/* fail-nth: see Documentation/fault-injection/fault-injection.rst. */
static int fail_nth_fd = -1;

/*
 * Write @val to @path, first reading its value into @old if given. Plain
 * read() and write() on their own opens: debugfs's attribute files are
 * not seekable, so pread() and pwrite() fail there with ESPIPE.
 */
static int write_file(const char *path, const char *val, char *old,
		      size_t size)
{
	ssize_t len;
	int fd;

	if (old) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		len = read(fd, old, size - 1);
		close(fd);
		old[len > 0 ? len : 0] = '\0';
		old[strcspn(old, "\n")] = '\0';
	}
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = write(fd, val, strlen(val));
	if (len < 0)
		len = -errno;
	close(fd);
	return len < 0 ? len : 0;
}

static const char * const fault_knobs[][2] = {
	/* fail allocations that may sleep too: GFP_KERNEL is most of them */
	{ "/sys/kernel/debug/failslab/ignore-gfp-wait", "N" },
	{ "/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "N" },
	{ "/sys/kernel/debug/fail_page_alloc/min-order", "0" },
	/* no "FAULT_INJECTION: forcing a failure" stack dumps in the log */
	{ "/sys/kernel/debug/failslab/verbose", "0" },
	{ "/sys/kernel/debug/fail_page_alloc/verbose", "0" },
};

static char fault_saved[ARRAY_SIZE(fault_knobs)][32];

static int fault_setup(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(fault_knobs); i++) {
		ret = write_file(fault_knobs[i][0], fault_knobs[i][1],
				 fault_saved[i], sizeof(fault_saved[i]));
		if (ret)
			return ret;
	}
	fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	return fail_nth_fd < 0 ? -errno : 0;
}

static void fault_restore(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fault_knobs); i++)
		if (fault_saved[i][0])
			write_file(fault_knobs[i][0], fault_saved[i], NULL, 0);
	if (fail_nth_fd >= 0)
		close(fail_nth_fd);
	fail_nth_fd = -1;
}

static void fail_nth_arm(unsigned int n)
{
	char val[16];

	snprintf(val, sizeof(val), "%u", n);
	if (pwrite(fail_nth_fd, val, strlen(val), 0) < 0)
		failure("fail-nth: %s", strerror(errno));
}

/* Disarm; true if the armed fault was injected (fail-nth read 0). */
static bool fail_nth_disarm(void)
{
	char val[16] = "";
	ssize_t len;

	len = pread(fail_nth_fd, val, sizeof(val) - 1, 0);
	if (pwrite(fail_nth_fd, "0", 1, 0) < 0 || len <= 0) {
		failure("fail-nth: %s", strerror(errno));
		return false;
	}
	return atoi(val) == 0;
}

enum fault_path { FAULT_IMPORT, FAULT_MAP_DUMB, FAULT_MMAP };

static const char * const fault_path_names[] = {
	"import", "map_dumb", "mmap",
};

/* The errnos a call may fail with when an allocation in it fails. */
static bool fault_errno_ok(int err)
{
	return err == ENOMEM;
}

/*
 * fail-nth on one call of @path, for n = 1, 2, ... until the call succeeds
 * without the fault being injected. After each call the import is undone
 * (import) or the mapping unmapped (mmap), and the counts must be those
 * from before it; a failed mmap must leave no mapping.
 */
static void case_fault(const char *exporter, const char *importer,
		       enum fault_path path)
{
	struct balance before, pre;
	unsigned long points = 0, tolerated = 0, errs[MAX_ERR] = { 0 };
	__u64 offset = 0;
	__u32 handle = 0;
	struct pair *p;
	unsigned int n;
	bool injected, ok = true;
	char *addr;
	int err, e;
	char line[256] = "";
	char name[96];
	int len = 0;

	snprintf(name, sizeof(name), "fault %s %s -> %s",
		 fault_path_names[path], exporter, importer);
	reset_stats();
	if (balance_snapshot(&before)) {
		skip(name, "no debugfs bufinfo");
		return;
	}
	p = setup_pair(exporter, importer, 0xfa17, &err);
	if (!p) {
		skip(name, "%s", strerror(-err));
		return;
	}
	if (path == FAULT_IMPORT) {
		/* the import of setup_pair() must go, to import again */
		gem_close(p->imp_fd, p->handle);
	} else if (map_dumb(p->imp_fd, p->handle, &offset)) {
		failure("MAP_DUMB: %s", strerror(errno));
	}

	/*
	 * The counts once the setup's releases are done: twice the same, and
	 * for the import without the setup's import, as before the setup.
	 */
	for (n = 0; n < 50; n++) {
		struct balance again;

		balance_snapshot(&pre);
		usleep(100000);
		balance_snapshot(&again);
		if (balance_equal(&pre, &again) &&
		    (path != FAULT_IMPORT ||
		     pre.attachments == before.attachments))
			break;
	}
	balance_print("counts before the first call", &pre);
	if (path == FAULT_IMPORT && pre.attachments != before.attachments) {
		failure("fault import: the setup's import was not released");
		ok = false;
	}
	for (n = 1; n < 10000; n++) {
		balance_snapshot(&pre);
		addr = MAP_FAILED;
		err = 0;
		fail_nth_arm(n);
		switch (path) {
		case FAULT_IMPORT:
			err = import(p->imp_fd, p->buf.dmabuf_fd, &handle);
			break;
		case FAULT_MAP_DUMB:
			err = map_dumb(p->imp_fd, p->handle, &offset);
			break;
		case FAULT_MMAP:
			addr = mmap(NULL, p->buf.size, PROT_READ | PROT_WRITE,
				    MAP_SHARED, p->imp_fd, offset);
			err = addr == MAP_FAILED ? errno : 0;
			break;
		}
		injected = fail_nth_disarm();
		if (injected) {
			points++;
			add(&st->injected, 1);
		}
		errs[err < MAX_ERR ? err : 0]++;
		if (err && !fault_errno_ok(err)) {
			failure("fault %s, n=%u: errno %d (%s)",
				fault_path_names[path], n, err, strerror(err));
			ok = false;
		}
		if (err && !injected) {
			failure("fault %s, n=%u: failed without a fault: %s",
				fault_path_names[path], n, strerror(err));
			ok = false;
		}
		if (!err && injected)
			tolerated++;
		/* --leak keeps the import: the counts must catch it */
		if (!err && path == FAULT_IMPORT && !opt_leak)
			gem_close(p->imp_fd, handle);
		if (addr != MAP_FAILED) {
			check_pages("fault mmap", addr, 0,
				    p->buf.size / page_size, p->seed);
			munmap(addr, p->buf.size);
		}
		/* a failure leaves no mapping and every count as it was */
		if (!balanced(fault_path_names[path], &pre)) {
			failure("fault %s, n=%u (%s): counts changed",
				fault_path_names[path], n,
				err ? strerror(err) : "success");
			ok = false;
		}
		if (!injected && !err)
			break;
		if (!ok)
			break;
	}
	teardown_pair(p);
	if (!balanced("fault", &before))
		ok = false;
	for (e = 0; e < MAX_ERR; e++)
		if (errs[e])
			len += snprintf(line + len, sizeof(line) - len, " %s %lu",
					e ? strerrorname_np(e) : "ok", errs[e]);
	printf("# fault %s %s -> %s: %lu injection points, %lu failures tolerated, outcomes:%s\n",
	       fault_path_names[path], exporter, importer, points, tolerated,
	       line);
	ksft_test_result(ok && !st->failures && n < 10000, "%s\n", name);
}

/*
 * Tighten the policy to never in a forked child while threads map: an
 * mmap() begun after the write returned must fail with EPERM and a
 * MAP_DUMB with EINVAL; a mapping made before must still read right.
 */
struct tighten_worker {
	struct pair *p;
	pthread_t thread;
	unsigned long before, after_ok, refused;
};

static void *tighten_run(void *arg)
{
	struct tighten_worker *t = arg;
	__u64 offset = 0;
	int was, err;
	void *addr;

	while (now() < deadline) {
		/* 0: not yet written, 1: being written, 2: never in force */
		was = __atomic_load_n(&t->p->tightened, __ATOMIC_ACQUIRE);
		err = map_dumb(t->p->imp_fd, t->p->handle, &offset);
		if (err) {
			if (err != EINVAL || !was)
				failure("tighten: MAP_DUMB: %s", strerror(err));
			t->refused++;
			continue;
		}
		addr = mmap(NULL, page_size, PROT_READ, MAP_SHARED,
			    t->p->imp_fd, offset);
		if (addr == MAP_FAILED) {
			if (errno != EPERM || !was)
				failure("tighten: mmap: %s", strerror(errno));
			t->refused++;
			continue;
		}
		if (was == 2) {
			failure("tighten: mmap forwarded after the policy became never");
			t->after_ok++;
		} else {
			t->before++;
		}
		check_pages("tighten", addr, 0, 1, t->p->seed);
		munmap(addr, page_size);
	}
	return NULL;
}

static void case_tighten(void)
{
	struct tighten_worker tw[4];
	void *stacks[4];
	struct balance counts;
	unsigned long before = 0, refused = 0;
	const char *name = "tighten to never while mapping";
	bool ok;
	struct pair *p;
	char *live;
	__u64 offset = 0;
	int i, err, status;
	pid_t pid;

	reset_stats();
	if (strcmp(prime_policy(), "opt-in") && strcmp(prime_policy(), "all")) {
		skip(name, "policy is %s", prime_policy());
		return;
	}
	if (balance_snapshot(&counts)) {
		skip(name, "no debugfs bufinfo");
		return;
	}
	p = setup_pair("vgem", "vkms", 0x7197, &err);
	if (!p) {
		skip(name, "%s", strerror(-err));
		return;
	}
	live = MAP_FAILED;
	if (!map_dumb(p->imp_fd, p->handle, &offset))
		live = mmap(NULL, p->buf.size, PROT_READ, MAP_SHARED,
			    p->imp_fd, offset);
	if (live == MAP_FAILED)
		failure("tighten: the first mapping failed");
	deadline = now() + 3;
	for (i = 0; i < 4; i++) {
		tw[i] = (struct tighten_worker){ .p = p };
		if (start_thread(&tw[i].thread, tighten_run, &tw[i], &stacks[i]))
			failure("pthread_create failed");
	}
	usleep(1000000);
	__atomic_store_n(&p->tightened, 1, __ATOMIC_RELEASE);
	pid = fork();
	if (!pid)
		_exit(write_file(POLICY_PARAM, "never", NULL, 0) ? 1 : 0);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status)
		failure("tighten: writing never failed");
	__atomic_store_n(&p->tightened, 2, __ATOMIC_RELEASE);
	for (i = 0; i < 4; i++) {
		join_thread(tw[i].thread, stacks[i]);
		before += tw[i].before;
		refused += tw[i].refused;
	}
	if (strcmp(prime_policy(), "never"))
		failure("tighten: the policy reads %s", prime_policy());
	if (write_file(POLICY_PARAM, "opt-in", NULL, 0) != -EPERM)
		failure("tighten: loosening to opt-in was not refused with EPERM");
	if (live != MAP_FAILED) {
		check_pages("the mapping made before tightening", live, 0,
			    p->buf.size / page_size, p->seed);
		munmap(live, p->buf.size);
	}
	teardown_pair(p);
	/* the refusals, at MAP_DUMB and at mmap, must leak nothing either */
	ok = balanced("tighten", &counts);
	printf("# tighten: %lu mappings forwarded before, %lu refused around and after\n",
	       before, refused);
	ksft_test_result(ok && !st->failures && before && refused, "%s\n",
			 name);
}

static void usage_exit(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [-m race|cycles|fault|tighten]... [-s SECONDS] [-i ITERATIONS]\n"
		"          [-t THREADS] [-p PROCESSES] [-n CYCLES] [-c CYCLE-SECONDS]\n"
		"          [-S SEED] [--long] [--break] [--leak]\n"
		"  default: race, cycles and fault; tighten only when asked (irreversible)\n"
		"  -s: seconds of race for all pairs together (60; --long 1200)\n"
		"  -n: map/unmap cycles (100000, stopped after -c seconds, 15; --long: no limit)\n"
		"  --break: corrupt the expected pattern: every read check must fail\n"
		"  --leak: keep the fault case's successful imports: its counts must fail\n",
		argv0);
	exit(KSFT_FAIL);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "long", no_argument, NULL, 'L' },
		{ "break", no_argument, NULL, 'B' },
		{ "leak", no_argument, NULL, 'K' },
		{ NULL, 0, NULL, 0 },
	};
	bool race = false, cycles = false, fault = false, tighten = false;
	unsigned int seed = 1, i, plan = 0;
	struct sigaction sa = { .sa_sigaction = crash_handler,
				.sa_flags = SA_SIGINFO };
	int c;

	while ((c = getopt_long(argc, argv, "m:s:i:t:p:n:c:S:", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'm':
			race |= !strcmp(optarg, "race");
			cycles |= !strcmp(optarg, "cycles");
			fault |= !strcmp(optarg, "fault");
			tighten |= !strcmp(optarg, "tighten");
			break;
		case 's':
			opt_seconds = atof(optarg);
			break;
		case 'i':
			opt_iterations = atol(optarg);
			break;
		case 't':
			opt_threads = atoi(optarg);
			break;
		case 'p':
			opt_procs = atoi(optarg);
			break;
		case 'n':
			opt_cycles = atol(optarg);
			break;
		case 'c':
			opt_cycle_seconds = atof(optarg);
			break;
		case 'S':
			seed = strtoul(optarg, NULL, 0);
			break;
		case 'L':
			opt_seconds = 1200;
			opt_cycle_seconds = 1e9;
			break;
		case 'B':
			opt_break = 1;
			break;
		case 'K':
			opt_leak = 1;
			break;
		default:
			usage_exit(argv[0]);
		}
	}
	if (!race && !cycles && !fault && !tighten) {
		race = true;
		cycles = true;
		fault = true;
	}
	if (opt_threads < 1)
		usage_exit(argv[0]);

	page_size = sysconf(_SC_PAGESIZE);
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);

	plan = (race ? ARRAY_SIZE(race_pairs) : 0) + cycles + 9 * fault + tighten;
	ksft_print_header();
	ksft_set_plan(plan);
	ksft_print_msg("policy %s, seed %u, %d threads x %d processes, %.0f s of race%s\n",
		       prime_policy(), seed, opt_threads, opt_procs + 1,
		       opt_seconds, opt_break ? ", pattern broken on purpose" : "");

	if (race)
		for (i = 0; i < ARRAY_SIZE(race_pairs); i++)
			case_race(race_pairs[i][0], race_pairs[i][1],
				  opt_seconds / ARRAY_SIZE(race_pairs), seed + i);
	if (cycles)
		case_cycles("vgem", "vkms");
	if (fault) {
		int ret = fault_setup();

		for (i = 0; i < 9; i++) {
			const char *exp = race_pairs[i / 3][0];
			const char *imp = race_pairs[i / 3][1];

			if (ret) {
				char name[96];

				snprintf(name, sizeof(name), "fault %s %s -> %s",
					 fault_path_names[i % 3], exp, imp);
				skip(name, "fault injection: %s", strerror(-ret));
			} else {
				case_fault(exp, imp, i % 3);
			}
		}
		fault_restore();
	}
	if (tighten)
		case_tighten();

	ksft_finished();
}
