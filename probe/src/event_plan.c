/* Which syscalls the probe turns into which libscap events, and how.
 *
 * Event ids and parameter layouts follow libscap's event table at falcosecurity/libs@e5c53d648f3c
 * (the libs of sysdig 0.29.3); see ProbeLayoutTest in edge-shipper for the check against the Java
 * EventTable. Each row says what memory the kernel half copies (a "mem" spec) and how the loader
 * encodes the parameters (a "recipe").
 *
 * mem spec tokens (space separated), each producing blobs in order:
 *   strN            NUL-terminated user string at argument N
 *   bufN/L:C        user bytes at argument N, length argument L ("ret": the return value, "-": C), capped at C
 *   addrpN/L:C      user sockaddr at argument N whose length is the int at user address argument L
 *   sockN / sockret the kernel socket behind fd argument N / the returned fd (struct pg_sock)
 *   proc            the current process: 5 blobs (struct pg_proc, argv area, environ area, cwd, cgroups)
 *   iovN/C:D        iovec array at argument N with argument C entries: struct pg_iov (total length)
 *                   then up to D bytes of data from the first entries
 *   msgN:D          struct user_msghdr at argument N: 2 blobs, msg_name and its iovecs (as iov)
 *   any token@V[,W] copy only when argument 0 is V or W (an empty blob otherwise)
 *
 * recipe tokens, each producing one libscap parameter:
 *   ret             return value, 8 bytes            aN[:W]    argument N, W bytes (default 8)
 *   sK              blob K as a string               zW        a zero of W bytes
 *   bK              blob K as raw bytes (PT_BYTEBUF)
 *   openN cloneN mountN modeN rename2N execatN ptraceN    argument N converted to PPM_* flags
 *   howflagsK howmodeK howresolveK   fields of an openat2 struct open_how in blob K
 *   addrK           blob K (user sockaddr) as a libscap sockaddr
 *   outK,J          socktuple of sock blob K, destination from sockaddr blob J when present
 *   inK             socktuple of sock blob K seen from the accepting side (source = peer)
 *   fdK,I           int I of the int[2] in blob K, as an 8-byte fd
 *   dynN            ptrace dynamic parameter: index 0 (uint64) and argument N
 *   bpfres          bpf's res_or_fd: fd index when a map/program was created, else res
 *   sc scx          generic event: ppm_sc code (+ native id at enter)
 *   ivsizeK ivdataK iov blob K: total length (u32), data (PT_BYTEBUF) as writes report them
 *   ivsizerK ivdatarK  the same as reads report them: cut to the return value
 *   msgoutK,J msginK,J socktuple of sock blob K with the peer from msg_name blob J (outbound:
 *                   destination, inbound: source); empty when there is no msg_name, as libscap
 *                   (inbound also when the call failed)
 *   atflagsN delmodN finitN  fchownat / delete_module / finit_module flags of argument N
 *   prctlK,J        prctl's arg2_str and arg2_int: the name string in blob K (PR_SET/GET_NAME),
 *                   the int in blob J (PR_GET_CHILD_SUBREAPER), argument 1 otherwise
 *   execexitK cloneexitK   the 20 parameters of execve / clone exits from proc blobs at K..K+4
 *                   (clone flags from argument 0; "clone3exitK" takes them from the struct
 *                   clone_args in blob 0, "forkexitK" has none)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include "event_plan.h"

const struct syscall_plan SYSCALL_PLANS[] = {
	/* files */
	{SYS_open, "open", 2, 3, 0, "str0", "str0", "s0 open1 mode2", "ret s0 open1 mode2 z4"},
	{SYS_creat, "creat", 58, 59, 0, "str0", "str0", "s0 mode1", "ret s0 mode1 z4"},
	{SYS_openat, "openat", 306, 307, 0, "str1", "str1", "a0 s0 open2 mode3", "ret a0 s0 open2 mode3 z4"},
	{SYS_openat2, "openat2", 326, 327, 0, "str1 buf2/-:24", "str1 buf2/-:24",
	 "a0 s0 howflags1 howmode1 howresolve1", "ret a0 s0 howflags1 howmode1 howresolve1"},
	{SYS_close, "close", 4, 5, 0, "", "", "a0", "ret"},
	{SYS_dup, "dup", 124, 125, 0, "", "", "a0", "ret"},
	{SYS_dup2, "dup", 124, 125, 0, "", "", "a0", "ret"},
	{SYS_dup3, "dup", 124, 125, 0, "", "", "a0", "ret"},
	{SYS_rename, "rename", 174, 175, 0, "", "str0 str1", "", "ret s0 s1"},
	{SYS_renameat, "renameat", 176, 177, 0, "", "str1 str3", "", "ret a0 s0 a2 s1"},
	{SYS_renameat2, "renameat2", 318, 319, 0, "", "str1 str3", "", "ret a0 s0 a2 s1 rename24"},
	{SYS_unlink, "unlink", 300, 301, 0, "", "str0", "", "ret s0"},
	{SYS_unlinkat, "unlinkat", 302, 303, 0, "", "str1", "", "ret a0 s0 a2:4"},
	{SYS_mkdir, "mkdir", 276, 277, 0, "", "str0", "mode1", "ret s0"},
	{SYS_mkdirat, "mkdirat", 304, 305, 0, "", "str1", "", "ret a0 s0 mode2"},
	{SYS_rmdir, "rmdir", 278, 279, 0, "", "str0", "", "ret s0"},
	{SYS_symlink, "symlink", 178, 179, 0, "", "str0 str1", "", "ret s0 s1"},
	{SYS_symlinkat, "symlinkat", 180, 181, 0, "", "str0 str2", "", "ret s0 a1 s1"},
	{SYS_link, "link", 308, 309, 0, "", "str0 str1", "", "ret s0 s1"},
	{SYS_linkat, "linkat", 310, 311, 0, "", "str1 str3", "", "ret a0 s0 a2 s1 a4:4"},
	{SYS_chmod, "chmod", 314, 315, 0, "", "str0", "", "ret s0 mode1"},
	{SYS_fchmodat, "fchmodat", 312, 313, 0, "", "str1", "", "ret a0 s0 mode2"},
	{SYS_fchmod, "fchmod", 316, 317, 0, "", "", "", "ret a0 mode1"},
	/* ownership: libs 9.1.0 events (378..385; sysdig 0.29.3 knows them as generic syscalls) */
	{SYS_chown, "chown", 378, 379, 0, "", "str0", "", "ret s0 a1:4 a2:4"},
	{SYS_lchown, "lchown", 380, 381, 0, "", "str0", "", "ret s0 a1:4 a2:4"},
	{SYS_fchown, "fchown", 382, 383, 0, "", "", "", "ret a0 a1:4 a2:4"},
	{SYS_fchownat, "fchownat", 384, 385, 0, "", "str1", "", "ret a0 s0 a2:4 a3:4 atflags4"},
	{SYS_chdir, "chdir", 94, 95, 0, "", "str0", "", "ret s0"},
	{SYS_fchdir, "fchdir", 96, 97, 0, "", "", "a0", "ret"},
	{SYS_chroot, "chroot", 266, 267, 0, "", "str0", "", "ret s0"},
	{SYS_mount, "mount", 256, 257, 0, "", "str0 str1 str2", "mount3", "ret s0 s1 s2"},
	{SYS_umount2, "umount", 258, 259, 0, "", "str0", "a1:4", "ret s0"},
	/* processes */
	{SYS_execve, "execve", 292, 293, 0, "str0", "proc", "s0", "execexit0"},
	{SYS_execveat, "execveat", 330, 331, 0, "str1", "proc", "a0 s0 execat4", "execexit0"},
	{SYS_clone, "clone", 222, 223, 0, "", "proc", "", "cloneexit0"},
	{SYS_clone3, "clone3", 334, 335, 0, "", "buf0/-:8 proc", "", "clone3exit1"},
	{SYS_fork, "fork", 224, 225, 0, "", "proc", "", "forkexit0"},
	{SYS_vfork, "vfork", 226, 227, 0, "", "proc", "", "forkexit0"},
	{SYS_setuid, "setuid", 198, 199, 0, "", "", "a0:4", "ret"},
	{SYS_setgid, "setgid", 200, 201, 0, "", "", "a0:4", "ret"},
	{SYS_setresuid, "setresuid", 192, 193, 0, "", "", "a0:4 a1:4 a2:4", "ret"},
	{SYS_setresgid, "setresgid", 194, 195, 0, "", "", "a0:4 a1:4 a2:4", "ret"},
	{SYS_setreuid, "setreuid", 0, 1, 123, "", "", "sc", "scx"},
	{SYS_setregid, "setregid", 0, 1, 124, "", "", "sc", "scx"},
	{SYS_setns, "setns", 240, 241, 0, "", "", "a0 clone1", "ret"},
	{SYS_unshare, "unshare", 284, 285, 0, "", "", "clone0", "ret"},
	{SYS_ptrace, "ptrace", 168, 169, 0, "", "", "ptrace0 a1", "ret dyn2 dyn3"},
	{SYS_kill, "kill", 128, 129, 0, "", "", "a0 a1:1", "ret"},
	{SYS_tkill, "tkill", 130, 131, 0, "", "", "a0 a1:1", "ret"},
	{SYS_tgkill, "tgkill", 132, 133, 0, "", "", "a0 a1 a2:1", "ret"},
	/* libs 9.1.0 events (400/401, 410..413, 424/425): prctl's arg2 is PR_SET_NAME/PR_GET_NAME's
	 * string (15, 16) or PR_GET_CHILD_SUBREAPER's int pointer (37); the module image is cut to
	 * the snaplen as every byte buffer */
	{SYS_prctl, "prctl", 400, 401, 0, "", "str1@15,16 buf1/-:4@37", "", "ret a0:4 prctl0,1"},
	{SYS_init_module, "init_module", 410, 411, 0, "", "buf0/1:80 str2", "", "ret b0 a1 s1"},
	{SYS_finit_module, "finit_module", 412, 413, 0, "", "str1", "", "ret a0 s0 finit2"},
	{SYS_delete_module, "delete_module", 424, 425, 0, "", "str0", "", "ret s0 delmod1"},
	{SYS_bpf, "bpf", 296, 297, 0, "", "", "a0", "bpfres"},
	{SYS_pipe, "pipe", 60, 61, 0, "", "buf0/-:8", "", "ret fd0,0 fd0,1 z8"},
	{SYS_pipe2, "pipe", 60, 61, 0, "", "buf0/-:8", "", "ret fd0,0 fd0,1 z8"},
	/* network */
	{SYS_socket, "socket", 18, 19, 0, "", "", "a0:4 a1:4 a2:4", "ret"},
	{SYS_socketpair, "socketpair", 42, 43, 0, "", "buf3/-:8", "a0:4 a1:4 a2:4", "ret fd0,0 fd0,1 z8 z8"},
	{SYS_bind, "bind", 20, 21, 0, "", "buf1/2:128", "a0", "ret addr0"},
	{SYS_connect, "connect", 22, 23, 0, "buf1/2:128", "sock0 buf1/2:128", "a0 addr0", "ret out0,1"},
	{SYS_listen, "listen", 24, 25, 0, "", "", "a0 a1:4", "ret"},
	{SYS_accept, "accept", 246, 247, 0, "", "sockret", "", "ret in0 z1 z4 z4"},
	{SYS_accept4, "accept", 248, 249, 0, "", "sockret", "a3:4", "ret in0 z1 z4 z4"},
	{SYS_sendto, "sendto", 30, 31, 0, "sock0 buf4/5:128", "buf1/ret:80", "a0 a2:4 out0,1", "ret b0"},
	{SYS_recvfrom, "recvfrom", 34, 35, 0, "", "buf1/ret:80 sock0 addrp4/5:128", "a0 a2:4", "ret b0 in1"},
	{SYS_sendmsg, "sendmsg", 48, 49, 0, "sock0 msg1:0", "msg1:80", "a0 ivsize2 msgout0,1", "ret ivdata1"},
	{SYS_recvmsg, "recvmsg", 52, 53, 0, "", "msg1:80 sock0", "a0", "ret ivsizer1 ivdatar1 msgin2,0"},
	/* I/O: the first 80 bytes of data, as libscap's default snaplen; only when asked for by name */
	{SYS_read, "read", 6, 7, 0, "", "buf1/ret:80", "a0 a2:4", "ret b0", 1},
	{SYS_write, "write", 8, 9, 0, "", "buf1/ret:80", "a0 a2:4", "ret b0", 1},
	{SYS_pread64, "pread", 112, 113, 0, "", "buf1/ret:80", "a0 a2:4 a3", "ret b0", 1},
	{SYS_pwrite64, "pwrite", 114, 115, 0, "", "buf1/ret:80", "a0 a2:4 a3", "ret b0", 1},
	{SYS_readv, "readv", 116, 117, 0, "", "iov1/2:80", "a0", "ret ivsizer0 ivdatar0", 1},
	{SYS_writev, "writev", 118, 119, 0, "iov1/2:0", "iov1/2:80", "a0 ivsize0", "ret ivdata0", 1},
	{SYS_preadv, "preadv", 120, 121, 0, "", "iov1/2:80", "a0 a3", "ret ivsizer0 ivdatar0", 1},
	{SYS_pwritev, "pwritev", 122, 123, 0, "iov1/2:0", "iov1/2:80", "a0 ivsize0 a3", "ret ivdata0", 1},
};
const int SYSCALL_PLAN_COUNT = sizeof(SYSCALL_PLANS) / sizeof(SYSCALL_PLANS[0]);

const struct syscall_plan *plan_for(int nr)
{
	for (int i = 0; i < SYSCALL_PLAN_COUNT; i++)
		if (SYSCALL_PLANS[i].nr == nr)
			return &SYSCALL_PLANS[i];
	return NULL;
}

const char *plan_event_name(int type)
{
	if (type == PPME_PROCEXIT_1_E)
		return "procexit";
	for (int i = 0; i < SYSCALL_PLAN_COUNT; i++)
		if (SYSCALL_PLANS[i].enter_type == type || SYSCALL_PLANS[i].exit_type == type)
			return SYSCALL_PLANS[i].ppm_sc ? "syscall" : SYSCALL_PLANS[i].evt_name;
	return NULL;
}

static int parse_arg_ref(const char *s, unsigned char *out)
{
	if (strcmp(s, "ret") == 0) {
		*out = PG_ARG_RET;
		return 0;
	}
	if (strcmp(s, "-") == 0) {
		*out = PG_ARG_NONE;
		return 0;
	}
	if (s[0] < '0' || s[0] > '5' || s[1])
		return -1;
	*out = (unsigned char)(s[0] - '0');
	return 0;
}

int plan_ops(const char *spec, struct pg_op *ops, int max)
{
	char copy[256];
	int n = 0;
	snprintf(copy, sizeof(copy), "%s", spec);
	for (char *save = NULL, *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (n >= max)
			return -1;
		struct pg_op *op = &ops[n++];
		memset(op, 0, sizeof(*op));
		op->lenarg = PG_ARG_NONE;
		char a[8], l[8];
		unsigned cap, w0 = 0, w1 = 0;
		char *when = strchr(t, '@');
		if (when) {
			*when = 0;
			int nw = sscanf(when + 1, "%u,%u", &w0, &w1);
			if (nw < 1 || w0 == 0 || w0 > 255 || w1 > 65535)
				return -1;
			if (nw == 1)
				w1 = w0; /* one value: both slots hold it (a zero would match argument 0 == 0) */
			op->when0 = (unsigned char)w0;
			op->when1 = (unsigned short)w1;
		}
		if (strcmp(t, "proc") == 0) {
			op->op = PG_OP_PROC;
		} else if (strcmp(t, "sockret") == 0) {
			op->op = PG_OP_SOCK;
			op->arg = PG_ARG_RET;
		} else if (strncmp(t, "sock", 4) == 0) {
			op->op = PG_OP_SOCK;
			if (parse_arg_ref(t + 4, &op->arg))
				return -1;
		} else if (strncmp(t, "str", 3) == 0) {
			op->op = PG_OP_STR;
			if (parse_arg_ref(t + 3, &op->arg))
				return -1;
		} else if (sscanf(t, "buf%7[^/]/%7[^:]:%u", a, l, &cap) == 3) {
			op->op = PG_OP_BYTES;
			op->cap = (unsigned short)cap;
			if (parse_arg_ref(a, &op->arg) || parse_arg_ref(l, &op->lenarg))
				return -1;
		} else if (sscanf(t, "iov%7[^/]/%7[^:]:%u", a, l, &cap) == 3) {
			op->op = PG_OP_IOV;
			op->cap = (unsigned short)cap;
			if (parse_arg_ref(a, &op->arg) || parse_arg_ref(l, &op->lenarg))
				return -1;
		} else if (sscanf(t, "msg%7[^:]:%u", a, &cap) == 2) {
			op->op = PG_OP_MSGHDR;
			op->cap = (unsigned short)cap;
			if (parse_arg_ref(a, &op->arg))
				return -1;
		} else if (sscanf(t, "addrp%7[^/]/%7[^:]:%u", a, l, &cap) == 3) {
			op->op = PG_OP_DEREF_SOCKLEN;
			op->cap = (unsigned short)cap;
			if (parse_arg_ref(a, &op->arg) || parse_arg_ref(l, &op->lenarg))
				return -1;
		} else {
			return -1;
		}
	}
	return n;
}

int plan_op_blobs(const struct pg_op *op)
{
	switch (op->op) {
	case PG_OP_PROC: return 5;
	case PG_OP_MSGHDR: return 2;
	default: return 1;
	}
}

int rec_view_parse(const uint8_t *p, size_t n, struct rec_view *out)
{
	if (n < sizeof(struct pg_rec))
		return -1;
	memcpy(&out->h, p, sizeof(struct pg_rec));
	size_t off = sizeof(struct pg_rec);
	out->nblobs = 0;
	for (int i = 0; i < out->h.nblobs; i++) {
		if (off + 2 > n || i >= REC_MAX_BLOBS)
			return -1;
		uint16_t len;
		memcpy(&len, p + off, 2);
		off += 2;
		if (off + len > n)
			return -1;
		out->blob[i] = p + off;
		out->blen[i] = len;
		out->nblobs++;
		off += len;
	}
	return 0;
}

/* ---- parameter encoders ---- */

static const uint8_t EMPTY[1];

static const uint8_t *blob(const struct rec_view *r, int k, uint16_t *len)
{
	if (k < 0 || k >= r->nblobs) {
		*len = 0;
		return EMPTY;
	}
	*len = r->blen[k];
	return r->blob[k];
}

static void put_sockaddr(struct evt_builder *b, const uint8_t *sa, uint16_t n)
{
	if (n < 2) {
		evt_bytes(b, NULL, 0);
		return;
	}
	uint16_t family;
	memcpy(&family, sa, 2);
	uint8_t fam8 = (uint8_t)family;
	if (family == 2 && n >= 8) { /* sockaddr_in: port (network order), address */
		uint16_t port = (uint16_t)(sa[2] << 8 | sa[3]);
		evt_bytes(b, &fam8, 1);
		evt_append(b, sa + 4, 4);
		evt_append(b, &port, 2);
	} else if (family == 10 && n >= 24) { /* sockaddr_in6: port, flowinfo, address */
		uint16_t port = (uint16_t)(sa[2] << 8 | sa[3]);
		evt_bytes(b, &fam8, 1);
		evt_append(b, sa + 8, 16);
		evt_append(b, &port, 2);
	} else if (family == 1) {
		char path[109] = {0};
		size_t len = n - 2 < 108 ? n - 2 : 108;
		memcpy(path, sa + 2, len);
		if (path[0] == 0 && len > 1) /* abstract socket: libscap prints it with a leading '@' */
			path[0] = '@';
		evt_bytes(b, &fam8, 1);
		evt_append(b, path, strnlen(path, 108) + 1);
	} else {
		evt_bytes(b, &fam8, 1);
	}
}

/* A socktuple. outbound: source = this socket, destination = the given sockaddr or the peer. */
static void put_tuple(struct evt_builder *b, const uint8_t *sk_blob, uint16_t sk_len,
		      const uint8_t *dest, uint16_t dest_len, int inbound)
{
	struct pg_sock s;
	if (sk_len < sizeof(s)) {
		evt_bytes(b, NULL, 0);
		return;
	}
	memcpy(&s, sk_blob, sizeof(s));
	uint8_t fam8 = (uint8_t)s.family;
	uint16_t dfam = 0;
	if (dest_len >= 2)
		memcpy(&dfam, dest, 2);
	if ((dfam == 2 && dest_len < 8) || (dfam == 10 && dest_len < 24))
		dfam = 0; /* a truncated sockaddr names no address */
	if (s.family == 2 || s.family == 10) {
		int alen = s.family == 2 ? 4 : 16;
		const uint8_t *saddr = s.saddr, *daddr = s.daddr;
		uint16_t sport = s.sport, dport = s.dport;
		if (!inbound && dfam == s.family) {
			daddr = s.family == 2 ? dest + 4 : dest + 8;
			dport = (uint16_t)(dest[2] << 8 | dest[3]);
		}
		if (inbound) { /* source = remote end: the given sockaddr (recvmsg's msg_name) or the peer */
			const uint8_t *t = saddr; saddr = daddr; daddr = t;
			uint16_t tp = sport; sport = dport; dport = tp;
			if (dfam == s.family) {
				saddr = s.family == 2 ? dest + 4 : dest + 8;
				sport = (uint16_t)(dest[2] << 8 | dest[3]);
			}
		}
		evt_bytes(b, &fam8, 1);
		evt_append(b, saddr, alen);
		evt_append(b, &sport, 2);
		evt_append(b, daddr, alen);
		evt_append(b, &dport, 2);
	} else if (s.family == 1) {
		char path[109] = {0};
		if (!inbound && dfam == 1 && dest_len > 2) {
			size_t len = dest_len - 2 < 108 ? dest_len - 2 : 108;
			memcpy(path, dest + 2, len);
		} else {
			memcpy(path, s.path, 107);
		}
		if (path[0] == 0 && path[1])
			path[0] = '@';
		evt_bytes(b, &fam8, 1);
		evt_append(b, &s.sk, 8);
		evt_append(b, &s.peer_sk, 8);
		evt_append(b, path, strnlen(path, 108) + 1);
	} else {
		evt_bytes(b, NULL, 0);
	}
}

/* An iovec blob (struct pg_iov, then data): its total length and its data bytes. */
static uint64_t iov_blob(const struct rec_view *r, int k, const uint8_t **data, uint16_t *data_len)
{
	uint16_t n;
	const uint8_t *p = blob(r, k, &n);
	uint64_t total = 0;
	if (n < sizeof(struct pg_iov)) {
		*data = EMPTY;
		*data_len = 0;
		return 0;
	}
	memcpy(&total, p, sizeof(total));
	*data = p + sizeof(struct pg_iov);
	*data_len = (uint16_t)(n - sizeof(struct pg_iov));
	if (*data_len > total)
		*data_len = (uint16_t)total;
	return total;
}

/* libscap's iovec parameters: a read reports what it returned (the sum cut to the return value,
 * negative on error, as libscap's filler computes it), a write what it was asked to write. */
static void put_iov_param(struct evt_builder *b, const struct rec_view *r, int k, int is_read, int want_data)
{
	const uint8_t *data;
	uint16_t data_len;
	int64_t size = (int64_t)iov_blob(r, k, &data, &data_len);
	if (is_read && size > r->h.ret)
		size = r->h.ret;
	if (!want_data) {
		evt_u32(b, (uint32_t)size);
		return;
	}
	if (size <= 0)
		data_len = 0;
	else if (data_len > size)
		data_len = (uint16_t)size;
	evt_bytes(b, data, data_len);
}

/* prctl's arg2_str and arg2_int (libs 9.1.0): which one carries arg2 depends on the option. */
static void put_prctl_arg2(struct evt_builder *b, const struct rec_view *r, int str_blob, int int_blob)
{
	uint16_t n;
	const uint8_t *p;
	int64_t v;
	switch (r->h.args[0]) {
	case 15: /* PR_SET_NAME */
	case 16: /* PR_GET_NAME */
		p = blob(r, str_blob, &n);
		evt_str(b, (const char *)p, n);
		evt_u64(b, 0);
		break;
	case 37: { /* PR_GET_CHILD_SUBREAPER: arg2 points to the int the kernel filled in */
		int32_t reaper = 0;
		p = blob(r, int_blob, &n);
		if (n >= 4)
			memcpy(&reaper, p, 4);
		evt_bytes(b, NULL, 0);
		v = reaper;
		evt_u64(b, (uint64_t)v);
		break;
	}
	default:
		evt_bytes(b, NULL, 0);
		evt_u64(b, r->h.args[1]);
	}
}

static uint64_t blob_u64(const struct rec_view *r, int k, int index)
{
	uint16_t n;
	const uint8_t *p = blob(r, k, &n);
	uint64_t v = 0;
	if ((index + 1) * 8 <= n)
		memcpy(&v, p + index * 8, 8);
	return v;
}

/* Joins leaf-first path components into "/a/b/c". */
static size_t join_path(const uint8_t *p, uint16_t n, char *out, size_t cap)
{
	const char *parts[64];
	int count = 0;
	for (size_t i = 0; i < n && count < 64;) {
		parts[count++] = (const char *)p + i;
		i += strnlen((const char *)p + i, n - i) + 1;
	}
	size_t len = 0;
	out[0] = 0;
	for (int i = count - 1; i >= 0; i--)
		len += snprintf(out + len, len < cap ? cap - len : 0, "/%s", parts[i]);
	if (len == 0)
		len = snprintf(out, cap, "/");
	return len < cap ? len : cap - 1;
}

/* "cpuset\0leaf\0parent\0\0cpu\0\0" -> "cpuset=/parent/leaf\0cpu=/\0" */
static void put_cgroups(struct evt_builder *b, const uint8_t *p, uint16_t n)
{
	evt_bytes(b, NULL, 0);
	size_t i = 0;
	while (i < n) {
		const char *ss = (const char *)p + i;
		size_t sslen = strnlen(ss, n - i);
		if (sslen == 0)
			break;
		i += sslen + 1;
		size_t start = i;
		while (i < n && p[i])
			i += strnlen((const char *)p + i, n - i) + 1;
		char path[4096];
		join_path(p + start, (uint16_t)(i - start), path, sizeof(path));
		i++; /* the empty string closing the subsystem */
		evt_append(b, ss, sslen);
		evt_append(b, "=", 1);
		evt_append(b, path, strlen(path) + 1);
	}
}

/* The 20 parameters libscap's execve and clone exits share the shape of. */
static void put_process_exit(struct evt_builder *b, const struct rec_view *r, int k, int is_exec, uint32_t clone_flags)
{
	struct pg_proc pr;
	uint16_t n;
	const uint8_t *p = blob(r, k, &n);
	memset(&pr, 0, sizeof(pr));
	if (n >= sizeof(pr))
		memcpy(&pr, p, sizeof(pr));
	uint16_t alen;
	const uint8_t *args = blob(r, k + 1, &alen);
	size_t exe_len = strnlen((const char *)args, alen);
	int64_t ret = r->h.ret;
	uint64_t v;

	evt_u64(b, (uint64_t)ret);
	evt_str(b, (const char *)args, exe_len);
	if (exe_len < alen)
		evt_bytes(b, args + exe_len + 1, alen - exe_len - 1);
	else
		evt_bytes(b, NULL, 0);
	v = pr.tid; evt_u64(b, v);
	v = pr.pid; evt_u64(b, v);
	v = pr.ptid; evt_u64(b, v);
	uint16_t clen;
	const uint8_t *cwd = blob(r, k + 3, &clen);
	char cwdbuf[4096];
	join_path(cwd, clen, cwdbuf, sizeof(cwdbuf));
	evt_str(b, cwdbuf, sizeof(cwdbuf));
	evt_u64(b, pr.fdlimit);
	evt_u64(b, pr.pgft_maj);
	evt_u64(b, pr.pgft_min);
	evt_u32(b, pr.vm_size_kb);
	evt_u32(b, pr.vm_rss_kb);
	evt_u32(b, pr.vm_swap_kb);
	evt_str(b, pr.comm, sizeof(pr.comm));
	uint16_t cglen;
	const uint8_t *cg = blob(r, k + 4, &cglen);
	put_cgroups(b, cg, cglen);
	if (is_exec) {
		uint16_t elen;
		const uint8_t *env = blob(r, k + 2, &elen);
		evt_bytes(b, env, elen);
		evt_u32(b, pr.tty);
		v = pr.pgid; evt_u64(b, v);
		evt_u32(b, pr.loginuid);
		evt_u32(b, 0); /* execve flags (PPM_EXE_WRITABLE) are not computed */
	} else {
		if (pr.vpid != pr.pid)
			clone_flags |= 1u << 29; /* PPM_CL_CHILD_IN_PIDNS */
		evt_u32(b, clone_flags);
		evt_u32(b, pr.euid);
		evt_u32(b, pr.egid);
		v = pr.vtid; evt_u64(b, v);
		v = pr.vpid; evt_u64(b, v);
	}
}

static int token_num(const char *t, const char *prefix, int *n)
{
	size_t pl = strlen(prefix);
	if (strncmp(t, prefix, pl) != 0 || t[pl] < '0' || t[pl] > '9')
		return 0;
	*n = atoi(t + pl);
	return 1;
}

int encode_recipe(const struct syscall_plan *plan, const char *recipe, const struct rec_view *r,
		  struct evt_builder *b)
{
	char copy[256];
	snprintf(copy, sizeof(copy), "%s", recipe);
	uint64_t a[6];
	memcpy(a, r->h.args, sizeof(a));
	int n, m;
	for (char *save = NULL, *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (strcmp(t, "ret") == 0) {
			evt_u64(b, (uint64_t)r->h.ret);
		} else if (t[0] == 'a' && t[1] >= '0' && t[1] <= '5') {
			int w = t[2] == ':' ? atoi(t + 3) : 8;
			uint64_t v = a[t[1] - '0'];
			if (w == 8 && v == 0xffffff9cULL) /* AT_FDCWD passed as a 32-bit int */
				v = (uint64_t)-100;
			if (w == 8 && (int64_t)v == (int32_t)v) /* ints passed in 64-bit registers */
				v = (uint64_t)(int64_t)(int32_t)v;
			evt_bytes(b, &v, w);
		} else if (t[0] == 's' && t[1] >= '0' && t[1] <= '9') {
			uint16_t len;
			const uint8_t *p = blob(r, atoi(t + 1), &len);
			evt_str(b, (const char *)p, len);
		} else if (t[0] == 'b' && t[1] >= '0' && t[1] <= '9') {
			uint16_t len;
			const uint8_t *p = blob(r, atoi(t + 1), &len);
			evt_bytes(b, p, len);
		} else if (t[0] == 'z') {
			uint64_t zero = 0;
			evt_bytes(b, &zero, atoi(t + 1));
		} else if (token_num(t, "open", &n)) {
			evt_u32(b, ppm_open_flags(a[n]));
		} else if (token_num(t, "clone3exit", &n)) {
			put_process_exit(b, r, n, 0, ppm_clone_flags(blob_u64(r, 0, 0)));
		} else if (token_num(t, "cloneexit", &n)) {
			put_process_exit(b, r, n, 0, ppm_clone_flags(a[0]));
		} else if (token_num(t, "forkexit", &n)) {
			put_process_exit(b, r, n, 0, 0);
		} else if (token_num(t, "execexit", &n)) {
			put_process_exit(b, r, n, 1, 0);
		} else if (token_num(t, "clone", &n)) {
			evt_u32(b, ppm_clone_flags(a[n]));
		} else if (token_num(t, "mount", &n)) {
			evt_u32(b, ppm_mount_flags(a[n]));
		} else if (token_num(t, "mode", &n)) {
			evt_u32(b, ppm_mode(a[n]));
		} else if (token_num(t, "rename2", &n)) {
			evt_u32(b, ppm_renameat2_flags(a[n]));
		} else if (token_num(t, "execat", &n)) {
			evt_u32(b, ppm_execveat_flags(a[n]));
		} else if (token_num(t, "ptrace", &n)) {
			evt_u16(b, ppm_ptrace_request(a[n]));
		} else if (token_num(t, "howflags", &n)) {
			evt_u32(b, ppm_open_flags(blob_u64(r, n, 0)));
		} else if (token_num(t, "howmode", &n)) {
			evt_u32(b, ppm_mode(blob_u64(r, n, 1)));
		} else if (token_num(t, "howresolve", &n)) {
			evt_u32(b, ppm_openat2_resolve(blob_u64(r, n, 2)));
		} else if (token_num(t, "addr", &n)) {
			uint16_t len;
			const uint8_t *p = blob(r, n, &len);
			put_sockaddr(b, p, len);
		} else if (sscanf(t, "out%d,%d", &n, &m) == 2) {
			uint16_t sl, dl;
			const uint8_t *s = blob(r, n, &sl), *d = blob(r, m, &dl);
			put_tuple(b, s, sl, d, dl, 0);
		} else if (token_num(t, "in", &n)) {
			uint16_t sl;
			const uint8_t *s = blob(r, n, &sl);
			put_tuple(b, s, sl, NULL, 0, 1);
		} else if (sscanf(t, "fd%d,%d", &n, &m) == 2) {
			uint16_t len;
			const uint8_t *p = blob(r, n, &len);
			int32_t fd = -1;
			if ((m + 1) * 4 <= len)
				memcpy(&fd, p + m * 4, 4);
			int64_t v = r->h.ret < 0 ? -1 : fd;
			evt_u64(b, (uint64_t)v);
		} else if (token_num(t, "dyn", &n)) {
			uint8_t idx = 0;
			evt_bytes(b, &idx, 1);
			evt_append(b, &a[n], 8);
		} else if (strcmp(t, "bpfres") == 0) {
			uint8_t idx = (r->h.ret >= 0 && (a[0] == BPF_MAP_CREATE || a[0] == BPF_PROG_LOAD)) ? 0 : 1;
			evt_bytes(b, &idx, 1);
			evt_append(b, &r->h.ret, 8);
		} else if (token_num(t, "ivsizer", &n)) {
			put_iov_param(b, r, n, 1, 0);
		} else if (token_num(t, "ivdatar", &n)) {
			put_iov_param(b, r, n, 1, 1);
		} else if (token_num(t, "ivsize", &n)) {
			put_iov_param(b, r, n, 0, 0);
		} else if (token_num(t, "ivdata", &n)) {
			put_iov_param(b, r, n, 0, 1);
		} else if (sscanf(t, "msgout%d,%d", &n, &m) == 2 || sscanf(t, "msgin%d,%d", &n, &m) == 2) {
			int inbound = t[3] == 'i';
			uint16_t sl, dl;
			const uint8_t *s = blob(r, n, &sl), *d = blob(r, m, &dl);
			if (dl == 0 || (inbound && r->h.ret < 0))
				evt_bytes(b, NULL, 0);
			else
				put_tuple(b, s, sl, d, dl, inbound);
		} else if (token_num(t, "atflags", &n)) {
			evt_u32(b, ppm_fchownat_flags(a[n]));
		} else if (token_num(t, "delmod", &n)) {
			evt_u32(b, ppm_delete_module_flags(a[n]));
		} else if (token_num(t, "finit", &n)) {
			evt_u32(b, ppm_finit_module_flags(a[n]));
		} else if (sscanf(t, "prctl%d,%d", &n, &m) == 2) {
			put_prctl_arg2(b, r, n, m);
		} else if (strcmp(t, "sc") == 0) {
			evt_u16(b, plan->ppm_sc);
			evt_u16(b, (uint16_t)plan->nr);
		} else if (strcmp(t, "scx") == 0) {
			evt_u16(b, plan->ppm_sc);
		} else {
			fprintf(stderr, "peregrine-probe: unknown recipe token '%s' for %s\n", t, plan->evt_name);
			return -1;
		}
	}
	return 0;
}
