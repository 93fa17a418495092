// SPDX-License-Identifier: GPL-2.0
/* Peregrine's kernel half: raw records of the syscalls the loader asks for, plus process exits.
 *
 * Deliberately generic: a per-syscall plan (map "plans", written by the loader) says whether a
 * syscall is wanted and which memory to copy (strings, sockaddrs, the socket behind an fd, the
 * process block). Turning records into libscap events happens in the loader (see probe_abi.h).
 * Arguments at exit come from the task's saved user registers, so no per-thread state is kept. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probe_abi.h"

char LICENSE[] SEC("license") = "GPL";

#define SCRATCH_SIZE (65536 + 8192) /* slack past the 64 KiB an index mask allows */
#define OFF_LIMIT 32768 /* a blob may start below this; it is at most 8 KiB + header long */
#define PATH_COMPONENTS 32
#define CGROUP_DEPTH 12
#define NAME_MAX_BYTES 256

/* Masks an index so the verifier sees its bound; asm keeps clang from dropping the mask. */
static __always_inline __u32 bounded(__u32 v, __u32 mask)
{
	asm volatile("%0 &= %1" : "+r"(v) : "i"(mask));
	return v;
}

struct scratch {
	unsigned char buf[SCRATCH_SIZE];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* resized by the loader to the number of CPUs */
	__type(key, __u32);
	__type(value, struct scratch);
} scratch_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PG_MAX_SYSCALLS * 2);
	__type(key, __u32);
	__type(value, struct pg_plan);
} plans SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PG_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 1024 * 1024); /* resized by the loader (--ring-mb) */
} ring SEC(".maps");

/* Set by the loader: the loader's own tgid (its syscalls are not traced) and whether procexit is wanted. */
const volatile __u32 self_tgid = 0;
const volatile __u32 ignore_tgid = 0; /* the consumer (shipper) itself, to avoid a feedback loop */
__u32 procexit_enabled = 0;

struct kernfs_node___old {
	struct kernfs_node *parent;
};

static __always_inline void count(__u32 which)
{
	__u64 *c = bpf_map_lookup_elem(&counters, &which);
	if (c)
		*c += 1;
}

static __always_inline struct scratch *scratch_buf(void)
{
	__u32 cpu = bpf_get_smp_processor_id();
	return bpf_map_lookup_elem(&scratch_map, &cpu);
}

static __always_inline __u32 blob_end(struct scratch *s, __u32 off, long payload, struct pg_rec *hdr)
{
	__u32 o = bounded(off, OFF_LIMIT - 1);
	__u16 len = payload < 0 ? 0 : (__u16)payload;
	if (payload < 0)
		count(PG_CNT_READ_FAULT);
	s->buf[o] = len & 0xff;
	s->buf[o + 1] = len >> 8;
	hdr->nblobs++;
	return off + 2 + len;
}

static __always_inline __u32 put_user_str(struct scratch *s, __u32 off, const void *ptr, struct pg_rec *hdr)
{
	if (off >= OFF_LIMIT)
		return off;
	__u32 o = bounded(off + 2, OFF_LIMIT - 1);
	long n = bpf_probe_read_user_str(&s->buf[o], PG_STR_MAX, ptr);
	return blob_end(s, off, n, hdr);
}

static __always_inline __u32 put_user_bytes(struct scratch *s, __u32 off, const void *ptr, __u64 len, struct pg_rec *hdr)
{
	if (off >= OFF_LIMIT)
		return off;
	__u32 o = bounded(off + 2, OFF_LIMIT - 1);
	if (len > PG_STR_MAX)
		len = PG_STR_MAX;
	long n = len;
	if (len > 0 && bpf_probe_read_user(&s->buf[o], bounded(len, PG_STR_MAX * 2 - 1), ptr) != 0)
		n = -1;
	return blob_end(s, off, n, hdr);
}

static __always_inline struct file *fd_file(struct task_struct *task, long fd)
{
	if (fd < 0)
		return NULL;
	struct files_struct *files = BPF_CORE_READ(task, files);
	if (!files)
		return NULL;
	struct fdtable *fdt = BPF_CORE_READ(files, fdt);
	unsigned int max = BPF_CORE_READ(fdt, max_fds);
	if (fd >= max)
		return NULL;
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f;
}

static __always_inline void fill_sock(struct pg_sock *out, struct task_struct *task, long fd);

__noinline int put_sock(struct scratch *s, __u32 off, __u64 task_addr, long fd)
{
	if (!s || off >= OFF_LIMIT)
		return off;
	struct pg_sock *out = (struct pg_sock *)&s->buf[bounded(off + 2, OFF_LIMIT - 1)];
	fill_sock(out, (struct task_struct *)task_addr, fd);
	return blob_end(s, off, sizeof(struct pg_sock), (struct pg_rec *)s->buf);
}

static __always_inline void fill_sock(struct pg_sock *out, struct task_struct *task, long fd)
{
	__builtin_memset(out, 0, sizeof(*out));
	struct file *f = fd_file(task, fd);
	if (!f)
		return;
	struct socket *sock = BPF_CORE_READ(f, private_data);
	if (!sock)
		return;
	/* Only trust private_data when the file really is a socket (its inode is a socket inode). */
	umode_t mode = BPF_CORE_READ(f, f_inode, i_mode);
	if ((mode & 00170000) != 0140000)
		return;
	struct sock *sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return;
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	out->family = family;
	out->sk = (__u64)sk;
	if (family == 2 /* AF_INET */) {
		__u32 src = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__u32 dst = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		__builtin_memcpy(out->saddr, &src, 4);
		__builtin_memcpy(out->daddr, &dst, 4);
		out->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
		out->dport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	} else if (family == 10 /* AF_INET6 */) {
		BPF_CORE_READ_INTO(&out->saddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&out->daddr, sk, __sk_common.skc_v6_daddr);
		out->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
		out->dport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	} else if (family == 1 /* AF_UNIX */) {
		struct unix_sock *us = (struct unix_sock *)sk;
		struct sock *peer = BPF_CORE_READ(us, peer);
		out->peer_sk = (__u64)peer;
		struct unix_address *addr = BPF_CORE_READ(us, addr);
		if (!addr && peer)
			addr = BPF_CORE_READ((struct unix_sock *)peer, addr);
		if (addr) {
			int alen = BPF_CORE_READ(addr, len);
			if (alen > 2) {
				alen -= 2;
				if (alen > 107)
					alen = 107;
				bpf_probe_read_kernel(out->path, alen & 127, (char *)addr->name + 2);
			}
		}
	}
}

/* Writes path components leaf-first, each NUL-terminated, crossing mount points. */
__noinline int put_path(struct scratch *s, __u32 off, __u64 dentry, __u64 vfsmount)
{
	if (!s || off >= OFF_LIMIT)
		return off;
	struct pg_rec *hdr = (struct pg_rec *)s->buf;
	__u32 start = off + 2;
	__u32 pos = start;
	struct dentry *d = (struct dentry *)dentry;
	struct vfsmount *vmnt = (struct vfsmount *)vfsmount;
	struct mount *mnt = container_of(vmnt, struct mount, mnt);
	for (int i = 0; i < PATH_COMPONENTS; i++) {
		struct dentry *mnt_root = BPF_CORE_READ(vmnt, mnt_root);
		struct dentry *parent = BPF_CORE_READ(d, d_parent);
		if (d == mnt_root || d == parent) {
			struct mount *mparent = BPF_CORE_READ(mnt, mnt_parent);
			if (d != mnt_root || mparent == mnt)
				break; /* the root of the whole tree */
			d = BPF_CORE_READ(mnt, mnt_mountpoint);
			mnt = mparent;
			vmnt = &mparent->mnt;
			continue;
		}
		const unsigned char *name = BPF_CORE_READ(d, d_name.name);
		if (pos - start > PG_STR_MAX - NAME_MAX_BYTES)
			break;
		long n = bpf_probe_read_kernel_str(&s->buf[bounded(pos, OFF_LIMIT * 2 - 1)], NAME_MAX_BYTES, name);
		if (n <= 0)
			break;
		pos += n;
		d = parent;
	}
	return blob_end(s, off, pos - start, hdr);
}

__noinline int put_cgroups(struct scratch *s, __u32 off, __u64 task_addr)
{
	if (!s || off >= OFF_LIMIT)
		return off;
	struct pg_rec *hdr = (struct pg_rec *)s->buf;
	struct task_struct *task = (struct task_struct *)task_addr;
	__u32 start = off + 2;
	__u32 pos = start;
	struct css_set *cset = BPF_CORE_READ(task, cgroups);
	for (int i = 0; i < CGROUP_SUBSYS_COUNT && i < 16; i++) {
		struct cgroup_subsys_state *css = NULL;
		bpf_probe_read_kernel(&css, sizeof(css), &cset->subsys[i]);
		if (!css)
			continue;
		const char *ssname = BPF_CORE_READ(css, ss, name);
		if (pos - start > PG_STR_MAX - 2 * NAME_MAX_BYTES)
			break;
		long n = bpf_probe_read_kernel_str(&s->buf[bounded(pos, OFF_LIMIT * 2 - 1)], 32, ssname);
		if (n <= 0)
			continue;
		pos += n;
		struct kernfs_node *kn = BPF_CORE_READ(css, cgroup, kn);
		for (int j = 0; j < CGROUP_DEPTH; j++) {
			struct kernfs_node *parent;
			if (bpf_core_field_exists(((struct kernfs_node___old *)0)->parent))
				parent = BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
			else
				parent = BPF_CORE_READ(kn, __parent);
			if (!parent)
				break;
			const char *name = BPF_CORE_READ(kn, name);
			if (pos - start > PG_STR_MAX - 2 * NAME_MAX_BYTES)
				break; /* out of room: the path is cut short at the root side */
			n = bpf_probe_read_kernel_str(&s->buf[bounded(pos, OFF_LIMIT * 2 - 1)], NAME_MAX_BYTES, name);
			if (n <= 0)
				break;
			pos += n;
			kn = parent;
		}
		s->buf[bounded(pos, OFF_LIMIT * 2 - 1)] = 0; /* empty string closes the subsystem */
		pos++;
	}
	return blob_end(s, off, pos - start, hdr);
}

__noinline int put_proc(struct scratch *s, __u32 off)
{
	if (!s)
		return off;
	struct pg_rec *hdr = (struct pg_rec *)s->buf;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct pg_proc pr;
	__builtin_memset(&pr, 0, sizeof(pr));
	pr.tid = BPF_CORE_READ(task, pid);
	pr.pid = BPF_CORE_READ(task, tgid);
	pr.ptid = BPF_CORE_READ(task, real_parent, tgid);
	struct pid *tp = BPF_CORE_READ(task, thread_pid);
	unsigned int level = BPF_CORE_READ(tp, level);
	pr.vtid = BPF_CORE_READ(tp, numbers[level & 31].nr);
	struct task_struct *leader = BPF_CORE_READ(task, group_leader);
	struct pid *lp = BPF_CORE_READ(leader, thread_pid);
	pr.vpid = BPF_CORE_READ(lp, numbers[level & 31].nr);
	struct pid *pg = BPF_CORE_READ(task, signal, pids[PIDTYPE_PGID]);
	pr.pgid = BPF_CORE_READ(pg, numbers[0].nr);
	const struct cred *cred = BPF_CORE_READ(task, cred);
	pr.uid = BPF_CORE_READ(cred, uid.val);
	pr.gid = BPF_CORE_READ(cred, gid.val);
	pr.euid = BPF_CORE_READ(cred, euid.val);
	pr.egid = BPF_CORE_READ(cred, egid.val);
	pr.cap_inheritable = BPF_CORE_READ(cred, cap_inheritable.val);
	pr.cap_permitted = BPF_CORE_READ(cred, cap_permitted.val);
	pr.cap_effective = BPF_CORE_READ(cred, cap_effective.val);
	pr.loginuid = BPF_CORE_READ(task, loginuid.val);
	struct tty_struct *tty = BPF_CORE_READ(task, signal, tty);
	if (tty) {
		int major = BPF_CORE_READ(tty, driver, major);
		int minor = BPF_CORE_READ(tty, driver, minor_start) + BPF_CORE_READ(tty, index);
		/* new_encode_dev(MKDEV(major, minor)), as libscap reports tty */
		pr.tty = (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12);
	}
	pr.fdlimit = BPF_CORE_READ(task, signal, rlim[7].rlim_cur); /* RLIMIT_NOFILE */
	pr.pgft_maj = BPF_CORE_READ(task, maj_flt);
	pr.pgft_min = BPF_CORE_READ(task, min_flt);
	BPF_CORE_READ_STR_INTO(&pr.comm, task, comm);
	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	if (mm) {
		pr.vm_size_kb = BPF_CORE_READ(mm, total_vm) * 4;
		long file = BPF_CORE_READ(mm, rss_stat[0].count);
		long anon = BPF_CORE_READ(mm, rss_stat[1].count);
		long swap = BPF_CORE_READ(mm, rss_stat[2].count);
		long shmem = BPF_CORE_READ(mm, rss_stat[3].count);
		pr.vm_rss_kb = (file + anon + shmem) * 4;
		pr.vm_swap_kb = swap * 4;
	}
	pr.pidns_ino = BPF_CORE_READ(task, nsproxy, pid_ns_for_children, ns.inum);
	pr.mntns_ino = BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
	pr.netns_ino = BPF_CORE_READ(task, nsproxy, net_ns, ns.inum);

	if (off >= OFF_LIMIT)
		return off;
	__builtin_memcpy(&s->buf[bounded(off + 2, OFF_LIMIT - 1)], &pr, sizeof(pr));
	off = blob_end(s, off, sizeof(pr), hdr);

	unsigned long as = 0, ae = 0, es = 0, ee = 0;
	if (mm) {
		as = BPF_CORE_READ(mm, arg_start);
		ae = BPF_CORE_READ(mm, arg_end);
		es = BPF_CORE_READ(mm, env_start);
		ee = BPF_CORE_READ(mm, env_end);
	}
	off = put_user_bytes(s, off, (void *)as, ae > as ? ae - as : 0, hdr);
	off = put_user_bytes(s, off, (void *)es, ee > es ? ee - es : 0, hdr);
	struct path pwd;
	BPF_CORE_READ_INTO(&pwd, task, fs, pwd);
	off = put_path(s, off, (__u64)pwd.dentry, (__u64)pwd.mnt);
	off = put_cgroups(s, off, (__u64)task);
	return off;
}

/* An iovec array as a struct pg_iov blob: the total length, then data from the first entries up
 * to cap bytes (the consumer trims it to what a read returned). */
__noinline int put_iov(struct scratch *s, __u32 off, __u64 iov_addr, __u64 iovcnt, __u32 cap)
{
	if (!s || off >= OFF_LIMIT)
		return off;
	struct pg_rec *hdr = (struct pg_rec *)s->buf;
	const struct iovec *iov = (const struct iovec *)iov_addr;
	__u32 start = off + 2;
	__u64 total = 0;
	for (int j = 0; j < PG_IOV_MAX; j++) {
		if (j >= iovcnt || !iov)
			break;
		__u64 len = 0;
		if (bpf_probe_read_user(&len, sizeof(len), &iov[j].iov_len) != 0) {
			count(PG_CNT_READ_FAULT);
			break;
		}
		total += len;
	}
	__builtin_memcpy(&s->buf[bounded(start, OFF_LIMIT - 1)], &total, sizeof(total));
	__u32 pos = start + sizeof(struct pg_iov);
	__u32 remaining = cap > PG_STR_MAX ? PG_STR_MAX : cap;
	if (remaining > total)
		remaining = total;
	for (int j = 0; j < PG_IOV_DATA_MAX; j++) {
		if (j >= iovcnt || !iov || remaining == 0)
			break;
		struct iovec v;
		if (bpf_probe_read_user(&v, sizeof(v), &iov[j]) != 0)
			break;
		__u32 n = v.iov_len < remaining ? v.iov_len : remaining;
		if (n == 0)
			continue;
		if (bpf_probe_read_user(&s->buf[bounded(pos, OFF_LIMIT * 2 - 1)], bounded(n - 1, PG_STR_MAX - 1) + 1,
					v.iov_base) != 0) {
			count(PG_CNT_READ_FAULT);
			break;
		}
		pos += n;
		remaining -= n;
	}
	return blob_end(s, off, pos - start, hdr);
}

/* A struct user_msghdr: its address (msg_name) and its iovecs, as two blobs. */
__noinline int put_msghdr(struct scratch *s, __u32 off, __u64 msg_addr, __u32 cap)
{
	if (!s || off >= OFF_LIMIT)
		return off;
	struct pg_rec *hdr = (struct pg_rec *)s->buf;
	struct user_msghdr mh;
	__builtin_memset(&mh, 0, sizeof(mh));
	if (msg_addr && bpf_probe_read_user(&mh, sizeof(mh), (void *)msg_addr) != 0)
		count(PG_CNT_READ_FAULT);
	__u32 namelen = mh.msg_name ? mh.msg_namelen : 0;
	if (namelen > 128)
		namelen = 128;
	off = put_user_bytes(s, off, mh.msg_name, namelen, hdr);
	return put_iov(s, off, (__u64)mh.msg_iov, mh.msg_iovlen, cap);
}

/* regs comes from a BTF tracepoint, so it is a trusted pointer: plain (CO-RE relocated) loads,
 * no helper call per register. */
static __always_inline unsigned long long reg_arg(struct pt_regs *regs, int i)
{
	switch (i) {
	case 0: return regs->di;
	case 1: return regs->si;
	case 2: return regs->dx;
	case 3: return regs->r10;
	case 4: return regs->r8;
	default: return regs->r9;
	}
}

static __always_inline int emit(struct scratch *s, __u32 len)
{
	if (len > 65535) {
		count(PG_CNT_DROP_TOO_BIG);
		return 0;
	}
	((struct pg_rec *)s->buf)->len = len;
	if (bpf_ringbuf_output(&ring, s->buf, bounded(len, 65535), 0) != 0) {
		count(PG_CNT_DROP_RINGBUF);
		return 0;
	}
	count(PG_CNT_EVENTS);
	return 0;
}

static __always_inline int on_syscall(struct pt_regs *regs, long nr, long ret, unsigned char kind)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if ((pid_tgid >> 32) == self_tgid || (ignore_tgid && (pid_tgid >> 32) == ignore_tgid))
		return 0;
	count(PG_CNT_SEEN);
	if (nr < 0 || nr >= PG_MAX_SYSCALLS)
		return 0;
	__u32 key = nr * 2 + kind;
	struct pg_plan *plan = bpf_map_lookup_elem(&plans, &key);
	if (!plan || !plan->enabled)
		return 0;
	struct scratch *s = scratch_buf();
	if (!s)
		return 0;
	struct pg_rec *hdr = (struct pg_rec *)s->buf;
	hdr->nr = nr;
	hdr->kind = kind;
	hdr->nblobs = 0;
	hdr->cpu = bpf_get_smp_processor_id();
	hdr->ts = bpf_ktime_get_boot_ns();
	hdr->pid_tgid = pid_tgid;
	hdr->ret = ret;
	for (int i = 0; i < 6; i++)
		hdr->args[i] = reg_arg(regs, i);
	__u32 off = sizeof(struct pg_rec);
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	for (int i = 0; i < PG_MAX_OPS; i++) {
		struct pg_op op = plan->ops[i];
		if (i >= plan->nops)
			break;
		unsigned long long a = op.arg < 6 ? hdr->args[op.arg & 7] : 0;
		if ((op.when0 || op.when1) && hdr->args[0] != op.when0 && hdr->args[0] != op.when1) {
			if (off < OFF_LIMIT)
				off = blob_end(s, off, 0, hdr);
			continue;
		}
		if (op.op == PG_OP_STR) {
			off = put_user_str(s, off, (void *)a, hdr);
		} else if (op.op == PG_OP_BYTES) {
			unsigned long long len = op.lenarg < 6 ? hdr->args[op.lenarg & 7] : op.cap;
			if (op.lenarg == PG_ARG_RET)
				len = ret > 0 ? ret : 0;
			if (len > op.cap)
				len = op.cap;
			off = put_user_bytes(s, off, (void *)a, len, hdr);
		} else if (op.op == PG_OP_DEREF_SOCKLEN) {
			int len = 0;
			unsigned long long lp = op.lenarg < 6 ? hdr->args[op.lenarg & 7] : 0;
			if (lp)
				bpf_probe_read_user(&len, sizeof(len), (void *)lp);
			if (len < 0)
				len = 0;
			if (len > op.cap)
				len = op.cap;
			off = put_user_bytes(s, off, (void *)a, a ? len : 0, hdr);
		} else if (op.op == PG_OP_SOCK) {
			long fd = op.arg == PG_ARG_RET ? ret : (long)a;
			off = put_sock(s, off, (__u64)task, fd);
		} else if (op.op == PG_OP_PROC) {
			off = put_proc(s, off);
		} else if (op.op == PG_OP_IOV) {
			off = put_iov(s, off, a, op.lenarg < 6 ? hdr->args[op.lenarg & 7] : 0, op.cap);
		} else if (op.op == PG_OP_MSGHDR) {
			off = put_msghdr(s, off, a, op.cap);
		}
	}
	return emit(s, off);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(pg_sys_enter, struct pt_regs *regs, long id)
{
	return on_syscall(regs, id, 0, PG_REC_SYS_ENTER);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(pg_sys_exit, struct pt_regs *regs, long ret)
{
	long nr = regs->orig_ax;
	return on_syscall(regs, nr, ret, PG_REC_SYS_EXIT);
}

/* A thread is gone: libscap's procexit (exit status, signal, core flag come from exit_code). */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(pg_proc_exit, struct task_struct *p)
{
	if (!procexit_enabled)
		return 0;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if ((pid_tgid >> 32) == self_tgid)
		return 0;
	struct scratch *s = scratch_buf();
	if (!s)
		return 0;
	struct pg_rec *hdr = (struct pg_rec *)s->buf;
	__builtin_memset(hdr, 0, sizeof(*hdr));
	hdr->kind = PG_REC_PROC_EXIT;
	hdr->cpu = bpf_get_smp_processor_id();
	hdr->ts = bpf_ktime_get_boot_ns();
	hdr->pid_tgid = pid_tgid;
	hdr->ret = BPF_CORE_READ(p, exit_code);
	hdr->args[0] = BPF_CORE_READ(p, pid) == BPF_CORE_READ(p, tgid);
	return emit(s, sizeof(struct pg_rec));
}
