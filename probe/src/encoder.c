#define _GNU_SOURCE
/* libscap event encoding and flag conversions (values from libscap's ppm_events_public.h at
 * falcosecurity/libs@e5c53d648f3c, re-expressed here). */
#include <string.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <linux/openat2.h>
#include "encoder.h"

void evt_begin(struct evt_builder *b, uint16_t type, uint64_t ts, uint64_t tid)
{
	b->type = type;
	b->ts = ts;
	b->tid = tid;
	b->nparams = 0;
	b->used = 0;
	b->overflow = 0;
}

void evt_bytes(struct evt_builder *b, const void *p, size_t n)
{
	if (b->nparams >= EVT_MAX_PARAMS || b->used + n > EVT_MAX_BYTES || n > 0xffff) {
		b->overflow = 1;
		return;
	}
	if (n)
		memcpy(b->data + b->used, p, n);
	b->used += n;
	b->lens[b->nparams++] = (uint16_t)n;
}

void evt_append(struct evt_builder *b, const void *p, size_t n)
{
	if (b->nparams == 0 || b->used + n > EVT_MAX_BYTES || b->lens[b->nparams - 1] + n > 0xffff) {
		b->overflow = 1;
		return;
	}
	memcpy(b->data + b->used, p, n);
	b->used += n;
	b->lens[b->nparams - 1] += (uint16_t)n;
}

void evt_u8(struct evt_builder *b, uint8_t v) { evt_bytes(b, &v, 1); }
void evt_u16(struct evt_builder *b, uint16_t v) { evt_bytes(b, &v, 2); }
void evt_u32(struct evt_builder *b, uint32_t v) { evt_bytes(b, &v, 4); }
void evt_u64(struct evt_builder *b, uint64_t v) { evt_bytes(b, &v, 8); }

void evt_str(struct evt_builder *b, const char *s, size_t n)
{
	size_t len = 0;
	if (s)
		while (len < n && s[len])
			len++;
	evt_bytes(b, s ? s : "", len);
	if (!b->overflow)
		evt_append(b, "", 1);
}

size_t evt_finish(struct evt_builder *b, uint8_t *out, size_t cap)
{
	size_t total = EVT_HEADER_BYTES + 2 * (size_t)b->nparams + b->used;
	if (b->overflow || total > cap)
		return 0;
	uint32_t len32 = (uint32_t)total;
	memcpy(out, &b->ts, 8);
	memcpy(out + 8, &b->tid, 8);
	memcpy(out + 16, &len32, 4);
	memcpy(out + 20, &b->type, 2);
	memcpy(out + 22, &b->nparams, 4);
	memcpy(out + EVT_HEADER_BYTES, b->lens, 2 * (size_t)b->nparams);
	memcpy(out + EVT_HEADER_BYTES + 2 * (size_t)b->nparams, b->data, b->used);
	return total;
}

uint32_t ppm_open_flags(uint64_t f)
{
	uint32_t r = 0;
	switch (f & O_ACCMODE) {
	case O_RDONLY: r |= 1 << 0; break;
	case O_WRONLY: r |= 1 << 1; break;
	case O_RDWR: r |= (1 << 0) | (1 << 1); break;
	}
	if (f & O_CREAT) r |= 1 << 2;
	if (f & O_APPEND) r |= 1 << 3;
	if (f & O_DSYNC) r |= 1 << 4;
	if (f & O_EXCL) r |= 1 << 5;
	if (f & O_NONBLOCK) r |= 1 << 6;
	if ((f & O_SYNC) == O_SYNC) r |= 1 << 7;
	if (f & O_TRUNC) r |= 1 << 8;
	if (f & O_DIRECT) r |= 1 << 9;
	if (f & O_DIRECTORY) r |= 1 << 10;
	if (f & 0100000 /* O_LARGEFILE on x86_64 */) r |= 1 << 11;
	if (f & O_CLOEXEC) r |= 1 << 12;
	if ((f & O_TMPFILE) == O_TMPFILE) r |= 1 << 13;
	return r;
}

uint32_t ppm_clone_flags(uint64_t f)
{
	static const struct { uint64_t k; uint32_t p; } map[] = {
		{CLONE_FILES, 1 << 0}, {CLONE_FS, 1 << 1}, {CLONE_IO, 1 << 2}, {CLONE_NEWIPC, 1 << 3},
		{CLONE_NEWNET, 1 << 4}, {CLONE_NEWNS, 1 << 5}, {CLONE_NEWPID, 1 << 6}, {CLONE_NEWUTS, 1 << 7},
		{CLONE_PARENT, 1 << 8}, {CLONE_PARENT_SETTID, 1 << 9}, {CLONE_PTRACE, 1 << 10},
		{CLONE_SIGHAND, 1 << 11}, {CLONE_SYSVSEM, 1 << 12}, {CLONE_THREAD, 1 << 13},
		{CLONE_UNTRACED, 1 << 14}, {CLONE_VM, 1 << 15}, {CLONE_NEWUSER, 1 << 20},
		{CLONE_CHILD_CLEARTID, 1 << 23}, {CLONE_CHILD_SETTID, 1 << 24}, {CLONE_SETTLS, 1 << 25},
		{CLONE_VFORK, 1 << 27}, {CLONE_NEWCGROUP, 1 << 28},
	};
	uint32_t r = 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (f & map[i].k)
			r |= map[i].p;
	return r;
}

uint32_t ppm_mount_flags(uint64_t f)
{
	/* libscap drops the historic magic in the top half; the remaining bits match MS_*. */
	if ((f & 0xffff0000UL) == 0xC0ED0000UL)
		f &= 0xffffUL;
	return (uint32_t)f;
}

uint32_t ppm_renameat2_flags(uint64_t f)
{
	return (uint32_t)(f & 7); /* NOREPLACE, EXCHANGE, WHITEOUT: same bits */
}

uint32_t ppm_openat2_resolve(uint64_t f)
{
	uint32_t r = 0;
	if (f & RESOLVE_BENEATH) r |= 1 << 0;
	if (f & RESOLVE_IN_ROOT) r |= 1 << 1;
	if (f & RESOLVE_NO_MAGICLINKS) r |= 1 << 2;
	if (f & RESOLVE_NO_SYMLINKS) r |= 1 << 3;
	if (f & RESOLVE_NO_XDEV) r |= 1 << 4;
	if (f & 0x20 /* RESOLVE_CACHED */) r |= 1 << 5;
	return r;
}

uint32_t ppm_execveat_flags(uint64_t f)
{
	uint32_t r = 0;
	if (f & AT_EMPTY_PATH) r |= 1 << 0;
	if (f & AT_SYMLINK_NOFOLLOW) r |= 1 << 1;
	return r;
}

uint16_t ppm_ptrace_request(uint64_t req)
{
	switch (req) {
	case PTRACE_TRACEME: return 1;
	case PTRACE_PEEKTEXT: return 2;
	case PTRACE_PEEKDATA: return 3;
	case PTRACE_PEEKUSER: return 4;
	case PTRACE_POKETEXT: return 5;
	case PTRACE_POKEDATA: return 6;
	case PTRACE_POKEUSER: return 7;
	case PTRACE_CONT: return 8;
	case PTRACE_KILL: return 9;
	case PTRACE_SINGLESTEP: return 10;
	case PTRACE_ATTACH: return 11;
	case PTRACE_DETACH: return 12;
	case PTRACE_SYSCALL: return 13;
	case PTRACE_SETOPTIONS: return 14;
	case PTRACE_GETEVENTMSG: return 15;
	case PTRACE_GETSIGINFO: return 16;
	case PTRACE_SETSIGINFO: return 17;
	case PTRACE_GETREGSET: return 18;
	case PTRACE_SETREGSET: return 19;
	case PTRACE_SEIZE: return 20;
	case PTRACE_INTERRUPT: return 21;
	case PTRACE_LISTEN: return 22;
	case PTRACE_PEEKSIGINFO: return 23;
	case PTRACE_GETSIGMASK: return 24;
	case PTRACE_SETSIGMASK: return 25;
	case PTRACE_GETREGS: return 26;
	case PTRACE_SETREGS: return 27;
	case PTRACE_GETFPREGS: return 28;
	case PTRACE_SETFPREGS: return 29;
	case PTRACE_GETFPXREGS: return 30;
	case PTRACE_SETFPXREGS: return 31;
	case 21 /* PTRACE_OLDSETOPTIONS */: return 32;
	case PTRACE_GET_THREAD_AREA: return 33;
	case PTRACE_SET_THREAD_AREA: return 34;
	case PTRACE_ARCH_PRCTL: return 35;
	case PTRACE_SYSEMU: return 36;
	case PTRACE_SYSEMU_SINGLESTEP: return 37;
	case PTRACE_SINGLEBLOCK: return 38;
	default: return 0;
	}
}

uint32_t ppm_mode(uint64_t mode)
{
	return (uint32_t)(mode & 07777); /* PPM_S_* use the same bits as S_I* */
}

uint32_t ppm_fchownat_flags(uint64_t f)
{
	/* libs 9.1.0 keeps AT_SYMLINK_FOLLOW and AT_EMPTY_PATH (same bits) and drops the rest,
	 * AT_SYMLINK_NOFOLLOW included */
	return (uint32_t)(f & (AT_SYMLINK_FOLLOW | AT_EMPTY_PATH));
}

uint32_t ppm_delete_module_flags(uint64_t f)
{
	uint32_t r = 0;
	if (f & O_TRUNC) r |= 1 << 0;
	if (f & O_NONBLOCK) r |= 1 << 1;
	return r;
}

uint32_t ppm_finit_module_flags(uint64_t f)
{
	return (uint32_t)(f & 7); /* IGNORE_MODVERSIONS, IGNORE_VERMAGIC, COMPRESSED_FILE: same bits */
}
