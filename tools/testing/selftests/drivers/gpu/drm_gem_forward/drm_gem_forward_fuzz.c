// SPDX-License-Identifier: GPL-2.0
/*
 * A bounded, seeded fuzzer of PRIME and of mmap() through DRM files, in
 * the manner of syzkaller: random sequences of dumb buffer creation, PRIME
 * export (with random flags, invalid ones too) and import, GEM_CLOSE of
 * random handles, MODE_MAP_DUMB, mmap() at offsets near handed-out ones,
 * unaligned or past the end, with random lengths, protections and flags,
 * mprotect, mremap, munmap of random ranges, DMA_BUF_IOCTL_SYNC, fork and
 * closes. Every call must succeed or fail with an errno of the set allowed
 * for its operation; every page of a mapping that succeeded must be
 * readable; and once every descriptor is closed the counts of balance.h
 * must be where they were. Prints the seed, the number of operations and
 * the distinct (operation, errno) outcomes seen.
 *
 * usage: drm_gem_forward_fuzz [-S SEED]... [-n OPS] [-s SECONDS] [-E]
 * Without -S: seed 1, then one random seed, printed. -E allows no errno
 * at all, to show that the check fails.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
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

#define MAX_FDS		8
#define MAX_HANDLES	32
#define MAX_MAPS	16
#define MAX_OFFSETS	16
#define MAX_ERR		134
#define MAX_SEEDS	8
/* Pages touched or populated per mapping: bounded memory in the VM. */
#define TOUCH_PAGES	64

enum op {
	OP_OPEN, OP_CREATE_DUMB, OP_EXPORT, OP_MAKE_DMABUF, OP_IMPORT,
	OP_GEM_CLOSE, OP_MAP_DUMB, OP_MMAP, OP_TOUCH, OP_MPROTECT, OP_MREMAP,
	OP_MUNMAP, OP_SYNC, OP_FORK, OP_CLOSE, NUM_OPS
};

static const char * const op_names[NUM_OPS] = {
	"open", "create_dumb", "export", "make_dmabuf", "import", "gem_close",
	"map_dumb", "mmap", "touch", "mprotect", "mremap", "munmap", "sync",
	"fork", "close",
};

/*
 * Allowed errnos per operation, besides success. EINVAL: invalid flags,
 * sizes, offsets, unaligned addresses, a handle that is not one, or a
 * refusal of the policy at MAP_DUMB; ENOENT: no such handle (export,
 * MAP_DUMB); EBADF, ENOTTY: a descriptor that is not open, or not a
 * dma-buf or DRM file; ENODEV, EOPNOTSUPP: a driver that cannot import or
 * export; ENOMEM: out of memory or address space, or a range that is not
 * mapped (mprotect, mremap); EACCES: protections the file does not allow,
 * or an offset node of another file; EPERM: the forwarding policy;
 * EOVERFLOW: an offset plus length that overflows; EFAULT: mremap growing
 * a VM_DONTEXPAND mapping; E2BIG: an export of a dumb buffer too large;
 * EMFILE/ENFILE: too many files.
 */
static const int op_allowed[NUM_OPS][12] = {
	[OP_OPEN] = { EMFILE, ENFILE },
	[OP_CREATE_DUMB] = { EINVAL, ENOMEM, ENOSPC, E2BIG, EBADF },
	[OP_EXPORT] = { EINVAL, ENOENT, EBADF, EOPNOTSUPP, ENODEV, ENOMEM,
			EMFILE },
	[OP_MAKE_DMABUF] = { EINVAL, ENOMEM, ENODEV, EMFILE },
	[OP_IMPORT] = { EINVAL, EBADF, ENODEV, EOPNOTSUPP, ENOMEM, ENOTTY },
	[OP_GEM_CLOSE] = { EINVAL, EBADF, ENOTTY },
	[OP_MAP_DUMB] = { EINVAL, ENOENT, EBADF, EPERM, ENOTTY, ENOSPC },
	[OP_MMAP] = { EINVAL, EACCES, EPERM, ENOMEM, EOVERFLOW, ENODEV,
		      EOPNOTSUPP, EBADF },
	[OP_MPROTECT] = { EACCES, EINVAL, ENOMEM },
	[OP_MREMAP] = { EFAULT, EINVAL, ENOMEM },
	[OP_MUNMAP] = { EINVAL },
	[OP_SYNC] = { EINVAL, EBADF, ENOTTY },
};

static const char * const drivers[] = {
	"vgem", "vkms", "cirrus-qemu", "virtio_gpu",
};

struct fd_slot {
	int fd;
	bool drm;
};

struct handle_slot {
	int fd;
	__u32 handle;
};

struct map_slot {
	char *addr;
	size_t len;
	int prot;
};

struct state {
	unsigned int rng;
	struct fd_slot fds[MAX_FDS];
	struct handle_slot handles[MAX_HANDLES];
	struct map_slot maps[MAX_MAPS];
	__u64 offsets[MAX_OFFSETS];
	unsigned long ops;
	unsigned long outcomes[NUM_OPS][MAX_ERR];
	unsigned long failures;
};

static char driver_paths[ARRAY_SIZE(drivers)][64];
static long page_size;
static bool opt_no_errors;
static sigjmp_buf touch_jmp;
static int touching;

static unsigned int rnd(struct state *s, unsigned int n)
{
	return n ? (unsigned int)rand_r(&s->rng) % n : 0;
}

static __u64 rnd64(struct state *s)
{
	return (__u64)rand_r(&s->rng) << 33 ^ (__u64)rand_r(&s->rng) << 11 ^
	       rand_r(&s->rng);
}

static void record(struct state *s, enum op kind, int err)
{
	unsigned int i;

	s->ops++;
	s->outcomes[kind][err >= 0 && err < MAX_ERR ? err : 0]++;
	if (!err)
		return;
	for (i = 0; i < ARRAY_SIZE(op_allowed[kind]) && !opt_no_errors; i++)
		if (op_allowed[kind][i] == err)
			return;
	s->failures++;
	ksft_print_msg("FAIL: op %lu, %s: unexpected errno %d (%s)\n", s->ops,
		       op_names[kind], err, strerror(err));
}

static int ret_errno(long ret)
{
	return ret < 0 ? errno : 0;
}

static int pick_fd(struct state *s, int want_drm)
{
	unsigned int i, start = rnd(s, MAX_FDS);

	/* now and then a descriptor that is not ours, or not open */
	if (!rnd(s, 16))
		return rnd(s, 2) ? -1 : (int)(1000 + rnd(s, 10));
	for (i = 0; i < MAX_FDS; i++) {
		struct fd_slot *f = &s->fds[(start + i) % MAX_FDS];

		if (f->fd >= 0 && (want_drm < 0 || f->drm == want_drm))
			return f->fd;
	}
	return -1;
}

static void add_fd(struct state *s, int fd, bool drm)
{
	unsigned int i;

	for (i = 0; i < MAX_FDS; i++) {
		if (s->fds[i].fd < 0) {
			s->fds[i] = (struct fd_slot){ fd, drm };
			return;
		}
	}
	close(fd);
}

static void add_handle(struct state *s, int fd, __u32 handle)
{
	s->handles[rnd(s, MAX_HANDLES)] = (struct handle_slot){ fd, handle };
}

static struct handle_slot pick_handle(struct state *s)
{
	struct handle_slot h = s->handles[rnd(s, MAX_HANDLES)];

	if (!rnd(s, 8))
		h.handle = rnd(s, 4) ? rnd(s, 40) : rnd64(s);
	if (h.fd < 0 || !rnd(s, 8))
		h.fd = pick_fd(s, 1);
	return h;
}

static void op_open(struct state *s)
{
	const char *path = driver_paths[rnd(s, ARRAY_SIZE(drivers))];
	int fd;

	if (!path[0])
		return;
	fd = open(path, O_RDWR | O_CLOEXEC);
	record(s, OP_OPEN, ret_errno(fd));
	if (fd >= 0)
		add_fd(s, fd, true);
}

static void op_create_dumb(struct state *s)
{
	static const __u32 bpps[] = { 8, 16, 24, 32, 0, 7, 64, 1000 };
	struct drm_mode_create_dumb args = {
		.width = rnd(s, 8) ? 1 + rnd(s, 512) : rnd64(s),
		.height = rnd(s, 8) ? 1 + rnd(s, 64) : rnd64(s),
		.bpp = bpps[rnd(s, ARRAY_SIZE(bpps))],
		.flags = rnd(s, 8) ? 0 : rnd64(s),
	};
	int fd = pick_fd(s, 1), err;

	err = ret_errno(ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &args));
	record(s, OP_CREATE_DUMB, err);
	if (!err)
		add_handle(s, fd, args.handle);
}

static void op_export(struct state *s)
{
	static const __u32 flags[] = {
		DRM_CLOEXEC, DRM_CLOEXEC | DRM_RDWR, 0, DRM_RDWR,
		O_NONBLOCK, 0x80000000u, 0xffffffffu,
	};
	struct handle_slot h = pick_handle(s);
	struct drm_prime_handle args = {
		.handle = h.handle,
		.flags = flags[rnd(s, ARRAY_SIZE(flags))],
	};
	int err;

	err = ret_errno(ioctl(h.fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &args));
	record(s, OP_EXPORT, err);
	if (!err)
		add_fd(s, args.fd, false);
}

static void op_make_dmabuf(struct state *s)
{
	static const char * const exporters[] = { "udmabuf", "system-heap" };
	struct prime_buf buf;
	size_t size = (1 + rnd(s, 16)) * page_size;
	int err;

	if (!rnd(s, 8))
		size = rnd(s, 3) * page_size + rnd(s, page_size);
	err = -prime_export(exporters[rnd(s, 2)], size, true, &buf);
	record(s, OP_MAKE_DMABUF, err);
	if (!err)
		add_fd(s, dup(buf.dmabuf_fd), false);
	/* a failed export may leave its memfd open */
	prime_release(&buf);
}

static void op_import(struct state *s)
{
	struct drm_prime_handle args = {
		.fd = pick_fd(s, rnd(s, 8) ? 0 : -1),
		.flags = rnd(s, 8) ? 0 : rnd64(s),
	};
	int fd = pick_fd(s, 1), err;

	err = ret_errno(ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &args));
	record(s, OP_IMPORT, err);
	if (!err)
		add_handle(s, fd, args.handle);
}

static void op_gem_close(struct state *s)
{
	struct handle_slot h = pick_handle(s);
	struct drm_gem_close args = { .handle = h.handle };

	record(s, OP_GEM_CLOSE,
	       ret_errno(ioctl(h.fd, DRM_IOCTL_GEM_CLOSE, &args)));
}

static void op_map_dumb(struct state *s)
{
	struct handle_slot h = pick_handle(s);
	struct drm_mode_map_dumb args = {
		.handle = h.handle,
	};
	int err;

	err = ret_errno(ioctl(h.fd, DRM_IOCTL_MODE_MAP_DUMB, &args));
	record(s, OP_MAP_DUMB, err);
	if (!err)
		s->offsets[rnd(s, MAX_OFFSETS)] = args.offset;
}

static __u64 pick_offset(struct state *s)
{
	unsigned int i, start = rnd(s, MAX_OFFSETS);
	__u64 base = 0;

	/* one handed out, if any */
	for (i = 0; i < MAX_OFFSETS && !base; i++)
		base = s->offsets[(start + i) % MAX_OFFSETS];

	switch (rnd(s, 8)) {
	case 0:
		return rnd64(s) & ~(__u64)(page_size - 1);
	case 1:
		return base + 1 + rnd(s, page_size - 1);	/* unaligned */
	case 2:
		return base + (__u64)(rnd(s, 64) + 16) * page_size;	/* past */
	case 3:
		return base - (__u64)(1 + rnd(s, 4)) * page_size;	/* before */
	case 4:
		return base + (__u64)rnd(s, 16) * page_size;	/* scanned */
	default:
		return base;
	}
}

static void touch_handler(int sig)
{
	if (__atomic_load_n(&touching, __ATOMIC_RELAXED))
		siglongjmp(touch_jmp, sig);
	_exit(3);
}

/* Read every page of a mapping; a signal on a mapped page is a failure. */
static void touch(struct state *s, struct map_slot *m)
{
	unsigned int sum = 0;
	size_t off;
	int sig;

	if (!(m->prot & PROT_READ))
		return;
	sig = sigsetjmp(touch_jmp, 1);
	if (sig) {
		__atomic_store_n(&touching, 0, __ATOMIC_RELAXED);
		s->failures++;
		ksft_print_msg("FAIL: op %lu: signal %d reading a mapping that succeeded\n",
			       s->ops, sig);
		record(s, OP_TOUCH, EFAULT);
		return;
	}
	__atomic_store_n(&touching, 1, __ATOMIC_SEQ_CST);
	/*
	 * atomic loads: the reads cannot be optimized away. At most
	 * TOUCH_PAGES pages: a huge buffer must not fill the VM's memory.
	 */
	for (off = 0; off < m->len && off < TOUCH_PAGES * page_size;
	     off += page_size)
		sum += __atomic_load_n(&m->addr[off], __ATOMIC_RELAXED);
	__atomic_store_n(&touching, 0, __ATOMIC_SEQ_CST);
	record(s, OP_TOUCH, sum & 0);
}

static void add_map(struct state *s, void *addr, size_t len, int prot)
{
	struct map_slot *m = &s->maps[rnd(s, MAX_MAPS)];

	if (m->addr)
		munmap(m->addr, m->len);
	*m = (struct map_slot){ addr, len, prot };
	touch(s, m);
}

static void op_mmap(struct state *s)
{
	static const int flags[] = {
		MAP_SHARED, MAP_SHARED, MAP_SHARED, MAP_PRIVATE,
		MAP_SHARED_VALIDATE, MAP_SHARED | MAP_POPULATE,
		MAP_SHARED_VALIDATE | MAP_SYNC, MAP_SHARED | MAP_NORESERVE,
	};
	size_t len = (size_t)(1 + (rnd(s, 4) ? rnd(s, 4) : rnd(s, 20))) *
		     page_size;
	int prot = rnd(s, 8), flag, err;
	void *addr;

	if (!rnd(s, 8))
		len = rnd(s, 3) ? 1 + rnd(s, 3 * page_size) : rnd64(s);
	flag = flags[rnd(s, ARRAY_SIZE(flags))];
	/* MAP_POPULATE of a huge buffer would fill the VM's memory. */
	if ((flag & MAP_POPULATE) && len > TOUCH_PAGES * page_size)
		len = TOUCH_PAGES * page_size;
	addr = mmap(NULL, len, prot, flag,
		    pick_fd(s, rnd(s, 8) ? 1 : -1), pick_offset(s));
	err = addr == MAP_FAILED ? errno : 0;
	record(s, OP_MMAP, err);
	if (err)
		return;
	len = (len + page_size - 1) & ~(page_size - 1);
	add_map(s, addr, len, prot);
}

static struct map_slot *pick_map(struct state *s)
{
	unsigned int i, start = rnd(s, MAX_MAPS);

	for (i = 0; i < MAX_MAPS; i++)
		if (s->maps[(start + i) % MAX_MAPS].addr)
			return &s->maps[(start + i) % MAX_MAPS];
	return NULL;
}

static void op_mprotect(struct state *s)
{
	struct map_slot *m = pick_map(s);
	int prot = rnd(s, 8), err;

	if (!m)
		return;
	err = ret_errno(mprotect(m->addr, m->len, prot));
	record(s, OP_MPROTECT, err);
	if (!err)
		m->prot = prot;
}

static void op_mremap(struct state *s)
{
	struct map_slot *m = pick_map(s);
	size_t len;
	void *addr;
	int err;

	if (!m)
		return;
	len = (size_t)(1 + rnd(s, 2 * m->len / page_size)) * page_size;
	addr = mremap(m->addr, m->len, len, rnd(s, 2) ? MREMAP_MAYMOVE : 0);
	err = addr == MAP_FAILED ? errno : 0;
	record(s, OP_MREMAP, err);
	if (err)
		return;
	m->addr = addr;
	m->len = len;
	touch(s, m);
}

/* Unmap a random range of a mapping; keep the part before it. */
static void op_munmap(struct state *s)
{
	struct map_slot *m = pick_map(s);
	size_t pages, start, n;
	int err;

	if (!m)
		return;
	pages = m->len / page_size;
	start = rnd(s, pages);
	n = 1 + rnd(s, pages - start);
	if (!rnd(s, 8)) {
		/* unaligned: refused, nothing unmapped */
		record(s, OP_MUNMAP, ret_errno(munmap(m->addr + 1, page_size)));
		return;
	}
	err = ret_errno(munmap(m->addr + start * page_size, n * page_size));
	record(s, OP_MUNMAP, err);
	if (err)
		return;
	if (start + n < pages)
		munmap(m->addr + (start + n) * page_size,
		       (pages - start - n) * page_size);
	m->len = start * page_size;
	if (!m->len)
		m->addr = NULL;
	else
		touch(s, m);
}

static void op_sync(struct state *s)
{
	static const __u64 flags[] = {
		DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ,
		DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ,
		DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW,
		DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW,
		0, DMA_BUF_SYNC_START, 0x100, ~0ULL,
	};
	struct dma_buf_sync sync = { .flags = flags[rnd(s, ARRAY_SIZE(flags))] };

	record(s, OP_SYNC, ret_errno(ioctl(pick_fd(s, rnd(s, 8) ? 0 : -1),
					   DMA_BUF_IOCTL_SYNC, &sync)));
}

/* The child reads the mappings it inherited and exits. */
static void op_fork(struct state *s)
{
	unsigned long failures = s->failures;
	int status = 0, i;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (!pid) {
		for (i = 0; i < MAX_MAPS; i++)
			if (s->maps[i].addr)
				touch(s, &s->maps[i]);
		fflush(stdout);
		_exit(s->failures != failures);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status) {
		s->failures++;
		ksft_print_msg("FAIL: op %lu: the forked child ended with %#x\n",
			       s->ops, status);
	}
	record(s, OP_FORK, 0);
}

static void op_close(struct state *s)
{
	struct fd_slot *f = &s->fds[rnd(s, MAX_FDS)];
	unsigned int i;

	if (f->fd < 0)
		return;
	/* handles of a DRM file are gone with it, and its number reused */
	for (i = 0; i < MAX_HANDLES; i++)
		if (s->handles[i].fd == f->fd)
			s->handles[i].fd = -1;
	record(s, OP_CLOSE, ret_errno(close(f->fd)));
	f->fd = -1;
}

static void run_one(struct state *s)
{
	switch (rnd(s, 20)) {
	case 0:
		op_open(s);
		break;
	case 1 ... 2:
		op_create_dumb(s);
		break;
	case 3 ... 4:
		op_export(s);
		break;
	case 5:
		op_make_dmabuf(s);
		break;
	case 6 ... 7:
		op_import(s);
		break;
	case 8:
		op_gem_close(s);
		break;
	case 9 ... 10:
		op_map_dumb(s);
		break;
	case 11 ... 13:
		op_mmap(s);
		break;
	case 14:
		op_mprotect(s);
		break;
	case 15:
		op_mremap(s);
		break;
	case 16:
		op_munmap(s);
		break;
	case 17:
		op_sync(s);
		break;
	case 18:
		if (!rnd(s, 4))
			op_fork(s);
		break;
	default:
		op_close(s);
		break;
	}
}

static void print_outcomes(const struct state *s)
{
	unsigned int distinct = 0;
	char line[512];
	int op, e, len;

	for (op = 0; op < NUM_OPS; op++) {
		len = 0;
		line[0] = '\0';
		for (e = 0; e < MAX_ERR && len < (int)sizeof(line) - 32; e++) {
			if (!s->outcomes[op][e])
				continue;
			distinct++;
			len += snprintf(line + len, sizeof(line) - len, " %s %lu",
					e ? strerrorname_np(e) : "ok",
					s->outcomes[op][e]);
		}
		if (len)
			printf("#   %-12s%s\n", op_names[op], line);
	}
	printf("# %u distinct (operation, errno) outcomes\n", distinct);
}

static void run_seed(unsigned int seed, unsigned long max_ops, double seconds)
{
	struct state *s;
	struct balance before;
	struct timespec t0, t;
	double elapsed = 0;
	bool balance, ok;
	int i;

	s = calloc(1, sizeof(*s));
	if (!s)
		ksft_exit_fail_msg("out of memory\n");
	s->rng = seed;
	for (i = 0; i < MAX_FDS; i++)
		s->fds[i].fd = -1;
	for (i = 0; i < MAX_HANDLES; i++)
		s->handles[i].fd = -1;
	balance = !balance_snapshot(&before);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (s->ops < max_ops && elapsed < seconds) {
		run_one(s);
		clock_gettime(CLOCK_MONOTONIC, &t);
		elapsed = t.tv_sec - t0.tv_sec + (t.tv_nsec - t0.tv_nsec) / 1e9;
	}
	for (i = 0; i < MAX_MAPS; i++)
		if (s->maps[i].addr)
			munmap(s->maps[i].addr, s->maps[i].len);
	for (i = 0; i < MAX_FDS; i++)
		if (s->fds[i].fd >= 0)
			close(s->fds[i].fd);

	printf("# seed %u: %lu operations in %.1f s\n", seed, s->ops, elapsed);
	print_outcomes(s);
	ok = !s->failures;
	if (balance) {
		struct balance after;

		if (balance_settle(&before, &after)) {
			balance_print("before", &before);
			balance_print("after", &after);
			ok = false;
		}
	}
	ksft_test_result(ok, "fuzz seed %u%s\n", seed,
			 balance ? "" : " (no debugfs: counts not checked)");
	free(s);
}

int main(int argc, char **argv)
{
	unsigned int seeds[MAX_SEEDS], nseeds = 0, i;
	char link[64];
	ssize_t len;
	unsigned long max_ops = 20000;
	double seconds = 30;
	int c, fd;

	while ((c = getopt(argc, argv, "S:n:s:E")) != -1) {
		switch (c) {
		case 'S':
			if (nseeds < MAX_SEEDS)
				seeds[nseeds++] = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			max_ops = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seconds = atof(optarg);
			break;
		case 'E':
			opt_no_errors = true;
			break;
		default:
			fprintf(stderr, "usage: %s [-S SEED]... [-n OPS] [-s SECONDS] [-E]\n",
				argv[0]);
			return KSFT_FAIL;
		}
	}
	if (!nseeds) {
		seeds[nseeds++] = 1;
		seeds[nseeds++] = time(NULL) ^ getpid();
	}

	page_size = sysconf(_SC_PAGESIZE);
	signal(SIGBUS, touch_handler);
	signal(SIGSEGV, touch_handler);
	for (i = 0; i < ARRAY_SIZE(drivers); i++) {
		fd = prime_open_driver(drivers[i]);
		if (fd < 0)
			continue;
		/* the device's path, to open it again */
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		len = readlink(link, driver_paths[i],
			       sizeof(driver_paths[i]) - 1);
		driver_paths[i][len > 0 ? len : 0] = '\0';
		close(fd);
	}

	ksft_print_header();
	ksft_set_plan(nseeds);
	ksft_print_msg("policy %s, at most %lu operations or %.0f s per seed\n",
		       prime_policy(), max_ops, seconds);
	for (i = 0; i < nseeds; i++)
		run_seed(seeds[i], max_ops, seconds / nseeds);
	ksft_finished();
}
