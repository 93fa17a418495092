/* peregrine-probe: loads the BPF half, applies the event-type selection, turns raw records into
 * libscap events and streams them as frames (probe/FORMAT.md) on stdout or a Unix socket.
 *
 * Control lines (stdin, or the socket's client): "types a,b,c" | "types all" | "stats".
 * End of the control input, SIGINT or SIGTERM stop the probe after a final stats frame. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "probe.skel.h"
#include "event_plan.h"
#include "frames.h"

static volatile sig_atomic_t stopping;
static FILE *out;
static uint64_t boot_offset_ns;
static uint64_t frames_out, encode_errors, write_errors;
static struct evt_builder builder;
static uint8_t evtbuf[EVT_HEADER_BYTES + 2 * EVT_MAX_PARAMS + EVT_MAX_BYTES];
static int verbose;
/* Records one ring_buffer__consume call may handle before returning, so that control input and
 * stats frames are not starved while producers keep the ring busy (0: no limit, for the final drain). */
static long consume_budget;
static long consumed;
#define CONSUME_BUDGET 8192

static void on_signal(int sig) { stopping = 1; }

static uint64_t clock_ns(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static void emit_event(uint16_t cpu)
{
	size_t n = evt_finish(&builder, evtbuf, sizeof(evtbuf));
	if (n == 0) {
		encode_errors++;
		return;
	}
	if (frames_event(out, cpu, evtbuf, n))
		write_errors++;
	else
		frames_out++;
}

static int handle_record(void *data, size_t size);

static int on_record(void *ctx, void *data, size_t size)
{
	handle_record(data, size);
	/* Negative stops this consume call; the record just handled is already consumed. */
	return consume_budget && ++consumed >= consume_budget ? -1 : 0;
}

static int handle_record(void *data, size_t size)
{
	struct rec_view r;
	if (rec_view_parse(data, size, &r)) {
		encode_errors++;
		return 0;
	}
	uint64_t ts = r.h.ts + boot_offset_ns;
	uint64_t tid = r.h.pid_tgid & 0xffffffffULL;
	if (r.h.kind == PG_REC_PROC_EXIT) {
		int64_t status = r.h.ret;
		evt_begin(&builder, PPME_PROCEXIT_1_E, ts, tid);
		evt_u64(&builder, (uint64_t)status);
		int64_t code = (status >> 8) & 0xff;
		evt_u64(&builder, (uint64_t)code);
		evt_u8(&builder, (uint8_t)(status & 0x7f));
		evt_u8(&builder, (uint8_t)((status & 0x80) != 0));
		emit_event(r.h.cpu);
		return 0;
	}
	const struct syscall_plan *plan = plan_for(r.h.nr);
	if (!plan) {
		encode_errors++;
		return 0;
	}
	int enter = r.h.kind == PG_REC_SYS_ENTER;
	evt_begin(&builder, enter ? plan->enter_type : plan->exit_type, ts, tid);
	if (encode_recipe(plan, enter ? plan->enter_recipe : plan->exit_recipe, &r, &builder)) {
		encode_errors++;
		return 0;
	}
	emit_event(r.h.cpu);
	return 0;
}

/* Is name in the comma-separated list (or is the list "all")? */
static int listed(const char *list, const char *name)
{
	if (strcmp(list, "all") == 0)
		return 1;
	size_t n = strlen(name);
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && strncmp(p, name, n) == 0)
			return 1;
		if (!end)
			break;
		p = end + 1;
	}
	return 0;
}

/* Is name in the list itself ("all" does not count)? */
static int named(const char *list, const char *name)
{
	return strcmp(list, "all") != 0 && listed(list, name);
}

/* Writes the plans map for the selection and reports what is now enabled. */
static int apply_types(struct probe *skel, const char *list)
{
	int fd = bpf_map__fd(skel->maps.plans);
	char enabled[8192];
	size_t used = 0;
	enabled[0] = 0;
	for (int i = 0; i < SYSCALL_PLAN_COUNT; i++) {
		const struct syscall_plan *p = &SYSCALL_PLANS[i];
		int on = p->explicit_only ? named(list, p->evt_name) : listed(list, p->evt_name);
		for (int dir = 0; dir < 2; dir++) {
			struct pg_plan plan;
			memset(&plan, 0, sizeof(plan));
			int n = plan_ops(dir == 0 ? p->enter_mem : p->exit_mem, plan.ops, PG_MAX_OPS);
			if (n < 0) {
				fprintf(stderr, "peregrine-probe: bad memory spec for %s\n", p->evt_name);
				return -1;
			}
			plan.nops = (unsigned char)n;
			plan.enabled = (unsigned char)on;
			uint32_t key = (uint32_t)(p->nr * 2 + dir);
			if (bpf_map_update_elem(fd, &key, &plan, BPF_ANY)) {
				fprintf(stderr, "peregrine-probe: plans update failed: %s\n", strerror(errno));
				return -1;
			}
		}
		if (on && !strstr(enabled, p->evt_name) && used + strlen(p->evt_name) + 2 < sizeof(enabled))
			used += snprintf(enabled + used, sizeof(enabled) - used, "%s%s", used ? "," : "", p->evt_name);
	}
	skel->bss->procexit_enabled = listed(list, "procexit");
	if (skel->bss->procexit_enabled && used + 10 < sizeof(enabled))
		used += snprintf(enabled + used, sizeof(enabled) - used, "%sprocexit", used ? "," : "");
	frames_text(out, PG_FRAME_TYPES, enabled);
	return 0;
}

static void write_stats(struct probe *skel)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t totals[PG_CNT_MAX] = {0};
	uint64_t *vals = calloc(ncpu, sizeof(uint64_t));
	for (uint32_t k = 0; k < PG_CNT_MAX; k++) {
		if (bpf_map_lookup_elem(bpf_map__fd(skel->maps.counters), &k, vals) == 0)
			for (int c = 0; c < ncpu; c++)
				totals[k] += vals[c];
	}
	free(vals);
	struct pg_stat stats[] = {
		{"records", totals[PG_CNT_EVENTS]},
		{"drops_ring_full", totals[PG_CNT_DROP_RINGBUF]},
		{"drops_too_big", totals[PG_CNT_DROP_TOO_BIG]},
		{"read_faults", totals[PG_CNT_READ_FAULT]},
		{"syscalls_seen", totals[PG_CNT_SEEN]},
		{"frames_out", frames_out},
		{"encode_errors", encode_errors},
		{"write_errors", write_errors},
	};
	frames_stats(out, clock_ns(CLOCK_REALTIME), stats, sizeof(stats) / sizeof(stats[0]));
}

/* Handles complete control lines in buf; returns bytes consumed. */
static size_t handle_control(struct probe *skel, char *buf, size_t n)
{
	size_t done = 0;
	for (;;) {
		char *nl = memchr(buf + done, '\n', n - done);
		if (!nl)
			break;
		*nl = 0;
		char *line = buf + done;
		done = (size_t)(nl - buf) + 1;
		if (strncmp(line, "types ", 6) == 0)
			apply_types(skel, line + 6);
		else if (strcmp(line, "stats") == 0)
			write_stats(skel);
		else if (*line)
			frames_text(out, PG_FRAME_ERROR, "unknown control line");
	}
	return done;
}

static int listen_unix(const char *path)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	unlink(path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 1)) {
		fprintf(stderr, "peregrine-probe: cannot listen on %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(stderr, "peregrine-probe: waiting for a reader on %s\n", path);
	int c = accept(fd, NULL, NULL);
	close(fd);
	unlink(path);
	return c;
}

/* Encodes one fabricated record per plan and direction (no kernel needed), so tests can check
 * every layout the probe can emit against libscap's event table. */
static int synthetic(void)
{
	static uint8_t rec[sizeof(struct pg_rec) + 16 * 2];
	out = stdout;
	frames_header(out);
	for (int i = 0; i < SYSCALL_PLAN_COUNT; i++) {
		const struct syscall_plan *p = &SYSCALL_PLANS[i];
		for (int dir = 0; dir < 2; dir++) {
			struct pg_op ops[PG_MAX_OPS];
			int nops = plan_ops(dir == 0 ? p->enter_mem : p->exit_mem, ops, PG_MAX_OPS);
			int nblobs = 0;
			for (int k = 0; k < nops; k++)
				nblobs += plan_op_blobs(&ops[k]);
			struct pg_rec h;
			memset(&h, 0, sizeof(h));
			memset(rec, 0, sizeof(rec));
			h.nr = (unsigned short)p->nr;
			h.kind = (unsigned char)dir;
			h.nblobs = (unsigned char)nblobs;
			h.pid_tgid = 1;
			h.len = (unsigned int)(sizeof(h) + 2 * nblobs);
			memcpy(rec, &h, sizeof(h));
			handle_record(rec, h.len);
		}
	}
	struct pg_rec h;
	memset(&h, 0, sizeof(h));
	h.kind = PG_REC_PROC_EXIT;
	h.len = sizeof(h);
	handle_record(&h, sizeof(h));
	fflush(out);
	return encode_errors ? 1 : 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: peregrine-probe [--types LIST|all] [--socket PATH] [--ring-mb N] [--stats-ms N] [--ignore-pid PID] [--list] [--synthetic] [-v]\n"
		"  streams libscap events as frames (probe/FORMAT.md) on stdout, or on PATH's client;\n"
		"  control lines on stdin (or from the client): 'types a,b,c', 'stats'. EOF stops.\n");
}

int main(int argc, char **argv)
{
	const char *types = "all", *sock_path = NULL;
	int ring_mb = 16, stats_ms = 1000;
	uint32_t ignore_pid = 0;
	static const struct option opts[] = {
		{"types", required_argument, 0, 't'}, {"socket", required_argument, 0, 's'},
		{"ring-mb", required_argument, 0, 'r'}, {"stats-ms", required_argument, 0, 'i'},
		{"ignore-pid", required_argument, 0, 'p'},
		{"list", no_argument, 0, 'l'}, {"synthetic", no_argument, 0, 'y'}, {"verbose", no_argument, 0, 'v'}, {"help", no_argument, 0, 'h'},
		{0, 0, 0, 0}};
	int c;
	while ((c = getopt_long(argc, argv, "t:s:r:i:p:lvyh", opts, NULL)) != -1) {
		switch (c) {
		case 't': types = optarg; break;
		case 's': sock_path = optarg; break;
		case 'r': ring_mb = atoi(optarg); break;
		case 'i': stats_ms = atoi(optarg); break;
		case 'v': verbose = 1; break;
		case 'p': ignore_pid = (uint32_t)atoi(optarg); break;
		case 'y': return synthetic();
		case 'l':
			for (int i = 0; i < SYSCALL_PLAN_COUNT; i++)
				printf("%s\t%d\t%d\t%d\n", SYSCALL_PLANS[i].evt_name, SYSCALL_PLANS[i].nr,
				       SYSCALL_PLANS[i].enter_type, SYSCALL_PLANS[i].exit_type);
			printf("procexit\t-1\t%d\t-1\n", PPME_PROCEXIT_1_E);
			return 0;
		default: usage(); return c == 'h' ? 0 : 2;
		}
	}
	if (ring_mb < 1 || (ring_mb & (ring_mb - 1))) {
		fprintf(stderr, "peregrine-probe: --ring-mb must be a power of two\n");
		return 2;
	}
	libbpf_set_print(libbpf_log);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);

	struct probe *skel = probe__open();
	if (!skel) {
		fprintf(stderr, "peregrine-probe: cannot open the BPF object\n");
		return 1;
	}
	skel->rodata->self_tgid = (uint32_t)getpid();
	skel->rodata->ignore_tgid = ignore_pid;
	bpf_map__set_max_entries(skel->maps.scratch_map, (uint32_t)libbpf_num_possible_cpus());
	bpf_map__set_max_entries(skel->maps.ring, (uint32_t)ring_mb * 1024 * 1024);
	int err = probe__load(skel);
	if (err) {
		fprintf(stderr, "peregrine-probe: cannot load the BPF program (%s); needs root or CAP_BPF+CAP_PERFMON+CAP_SYS_RESOURCE\n",
			strerror(-err));
		probe__destroy(skel);
		return 1;
	}

	int ctl = STDIN_FILENO;
	out = stdout;
	if (sock_path) {
		int cfd = listen_unix(sock_path);
		if (cfd < 0)
			return 1;
		ctl = cfd;
		out = fdopen(dup(cfd), "w");
	}
	static char obuf[1 << 20];
	setvbuf(out, obuf, _IOFBF, sizeof(obuf));
	boot_offset_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);

	frames_header(out);
	uint8_t hello[20];
	uint32_t pid = (uint32_t)getpid(), ncpu = (uint32_t)libbpf_num_possible_cpus(), ring = (uint32_t)ring_mb << 20;
	memcpy(hello, &boot_offset_ns, 8);
	memcpy(hello + 8, &pid, 4);
	memcpy(hello + 12, &ncpu, 4);
	memcpy(hello + 16, &ring, 4);
	frames_write(out, PG_FRAME_HELLO, hello, sizeof(hello));
	if (apply_types(skel, types))
		return 1;

	struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(skel->maps.ring), on_record, NULL, NULL);
	if (!rb || probe__attach(skel)) {
		fprintf(stderr, "peregrine-probe: cannot attach: %s\n", strerror(errno));
		return 1;
	}
	fflush(out);

	char ctlbuf[65536];
	size_t ctlused = 0;
	uint64_t next_stats = clock_ns(CLOCK_MONOTONIC) + (uint64_t)stats_ms * 1000000ULL;
	struct pollfd pfd[2] = {{.fd = ring_buffer__epoll_fd(rb), .events = POLLIN}, {.fd = ctl, .events = POLLIN}};
	while (!stopping) {
		int n = poll(pfd, 2, consumed >= CONSUME_BUDGET ? 0 : 100); /* ring still busy: do not wait */
		if (n < 0 && errno != EINTR)
			break;
		consumed = 0;
		consume_budget = CONSUME_BUDGET;
		ring_buffer__consume(rb);
		if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t got = read(ctl, ctlbuf + ctlused, sizeof(ctlbuf) - 1 - ctlused);
			if (got <= 0) {
				stopping = 1;
			} else {
				ctlused += (size_t)got;
				size_t done = handle_control(skel, ctlbuf, ctlused);
				memmove(ctlbuf, ctlbuf + done, ctlused - done);
				ctlused -= done;
				if (ctlused == sizeof(ctlbuf) - 1)
					ctlused = 0; /* a line longer than the buffer: drop it */
			}
		}
		uint64_t now = clock_ns(CLOCK_MONOTONIC);
		if (now >= next_stats) {
			write_stats(skel);
			next_stats = now + (uint64_t)stats_ms * 1000000ULL;
		}
		if (fflush(out) != 0 && errno == EPIPE)
			break;
	}
	/* Detach first so the ring stops filling, then drain what is left and report the totals. */
	probe__detach(skel);
	consume_budget = 0;
	ring_buffer__consume(rb);
	write_stats(skel);
	fflush(out);
	ring_buffer__free(rb);
	probe__destroy(skel);
	return 0;
}
