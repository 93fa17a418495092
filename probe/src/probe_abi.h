/* The contract between the kernel half (probe.bpf.c) and the user half (loader) of the probe.
 *
 * The kernel half stays generic: for every syscall it is told to watch it emits a raw record
 * (header + the user or kernel memory the capture plan asks for). The loader turns raw records into
 * libscap events (event table at falcosecurity/libs@e5c53d648f3c), so all layout knowledge lives in
 * one place (event_plan.c) and the BPF program never needs recompiling for a layout change.
 *
 * Everything here is little-endian and packed; both halves are compiled from this one header. */
#ifndef PEREGRINE_PROBE_ABI_H
#define PEREGRINE_PROBE_ABI_H

#define PG_MAX_SYSCALLS 512 /* x86_64 syscall numbers are below this */
#define PG_MAX_OPS 4        /* memory captures per (syscall, direction) */

/* Raw record kinds. */
#define PG_REC_SYS_ENTER 0
#define PG_REC_SYS_EXIT 1
#define PG_REC_PROC_EXIT 2 /* sched_process_exit: ret = exit_code, args[0] = 1 when tid == tgid */

/* Memory capture operations: what to copy into the record besides the registers. */
#define PG_OP_NONE 0
#define PG_OP_STR 1      /* NUL-terminated user string at args[arg] (up to PG_STR_MAX) */
#define PG_OP_BYTES 2    /* user bytes at args[arg], length args[lenarg] (or cap if lenarg = 0xff), capped at cap */
#define PG_OP_SOCK 3     /* the kernel socket behind fd args[arg] (arg 0xfe = the return value): struct pg_sock */
#define PG_OP_PROC 4     /* the current process: struct pg_proc, then args, env, cwd, cgroups blobs */
#define PG_OP_DEREF_SOCKLEN 5 /* user sockaddr at args[arg] whose length is the int at user address args[lenarg] */
#define PG_OP_IOV 6      /* iovec array at args[arg], args[lenarg] entries: a struct pg_iov blob */
#define PG_OP_MSGHDR 7   /* struct user_msghdr at args[arg]: two blobs, its msg_name (up to 128 bytes)
			  * and its msg_iov as PG_OP_IOV would copy it */

#define PG_ARG_RET 0xfe /* use the syscall's return value as the fd */
#define PG_ARG_NONE 0xff

#define PG_STR_MAX 4096
#define PG_IOV_MAX 32       /* iovecs summed for the total size (libscap's MAX_IOVCNT) */
#define PG_IOV_DATA_MAX 8   /* iovecs the data is copied from (the snaplen is reached long before) */
#define PG_ARGS_MAX 4096 /* bytes of argv / environ copied from the new mm */

/* when0/when1: when either is non-zero, the op runs only if args[0] equals one of them (prctl's
 * arg2 is a string for some options, an address of an int for one, a plain value otherwise);
 * a skipped op still leaves its (empty) blob, so blob positions never move. */
struct pg_op {
	unsigned char op;
	unsigned char arg;
	unsigned char lenarg;
	unsigned char when0;
	unsigned short cap;
	unsigned short when1;
};

/* Per (syscall number * 2 + direction): whether it is wanted and what memory to copy. */
struct pg_plan {
	unsigned char enabled;
	unsigned char nops;
	unsigned short pad;
	struct pg_op ops[PG_MAX_OPS];
};

struct pg_rec {
	unsigned int len;         /* whole record, header included */
	unsigned short nr;        /* syscall number (x86_64) */
	unsigned char kind;       /* PG_REC_* */
	unsigned char nblobs;     /* blobs that follow: [u16 len][bytes] each */
	unsigned short cpu;
	unsigned long long ts;    /* boot-time ns (loader adds the boot offset to get epoch ns) */
	unsigned long long pid_tgid;
	long long ret;
	unsigned long long args[6];
} __attribute__((packed));

/* Both ends of a socket, as the kernel knows them (PG_OP_SOCK). */
struct pg_sock {
	unsigned short family; /* AF_* (0 when the fd is not a socket) */
	unsigned short sport;  /* host order */
	unsigned short dport;  /* host order */
	unsigned short pad;
	unsigned char saddr[16];
	unsigned char daddr[16];
	unsigned long long sk;      /* kernel address of this socket (unix: libscap's "source") */
	unsigned long long peer_sk; /* unix peer */
	char path[108];             /* unix: bound path of this end or the peer */
} __attribute__((packed));

/* An iovec array (PG_OP_IOV): the sum of the lengths of its first PG_IOV_MAX entries, then up to
 * the op's cap bytes of data from the first entries, in order. */
struct pg_iov {
	unsigned long long total;
} __attribute__((packed));

/* The current task as libscap's execve / clone exit events describe it (PG_OP_PROC). */
struct pg_proc {
	unsigned int tid, pid, ptid, vtid, vpid, pgid;
	unsigned int uid, gid, euid, egid, loginuid, tty;
	unsigned long long fdlimit, pgft_maj, pgft_min;
	unsigned int vm_size_kb, vm_rss_kb, vm_swap_kb, pad;
	char comm[16];
	unsigned long long cap_inheritable, cap_permitted, cap_effective;
	unsigned long long pidns_ino, mntns_ino, netns_ino;
} __attribute__((packed));

/* Loss and throughput counters, one slot each in a per-CPU array. */
enum pg_counter {
	PG_CNT_EVENTS = 0,      /* records written to the ring */
	PG_CNT_DROP_RINGBUF,    /* ring buffer full */
	PG_CNT_DROP_TOO_BIG,    /* record larger than the scratch buffer */
	PG_CNT_READ_FAULT,      /* a user/kernel read failed (record still sent, blob empty) */
	PG_CNT_SEEN,            /* syscalls seen (before the interest filter) */
	PG_CNT_MAX
};

#endif
