/* Builds libscap events (header, parameter lengths, parameters) and converts kernel flag values
 * to libscap's PPM_* encodings. */
#ifndef PEREGRINE_ENCODER_H
#define PEREGRINE_ENCODER_H
#include <stdint.h>
#include <stddef.h>

#define EVT_MAX_PARAMS 32
#define EVT_MAX_BYTES (64 * 1024)
#define EVT_HEADER_BYTES 26 /* u64 ts, u64 tid, u32 len, u16 type, u32 nparams */

/* One libscap event being built. Parameters are appended in table order. */
struct evt_builder {
	uint64_t ts;
	uint64_t tid;
	uint16_t type;
	uint32_t nparams;
	uint16_t lens[EVT_MAX_PARAMS];
	uint8_t data[EVT_MAX_BYTES];
	size_t used;
	int overflow;
};

void evt_begin(struct evt_builder *b, uint16_t type, uint64_t ts, uint64_t tid);
void evt_bytes(struct evt_builder *b, const void *p, size_t n);
void evt_u8(struct evt_builder *b, uint8_t v);
void evt_u16(struct evt_builder *b, uint16_t v);
void evt_u32(struct evt_builder *b, uint32_t v);
void evt_u64(struct evt_builder *b, uint64_t v);
/* A string parameter: the bytes up to the first NUL (or n), plus one NUL. */
void evt_str(struct evt_builder *b, const char *s, size_t n);
/* Appends raw bytes to the parameter opened last (for composite values). */
void evt_append(struct evt_builder *b, const void *p, size_t n);
/* Serialises the event into out (capacity cap); returns its length or 0 on overflow. */
size_t evt_finish(struct evt_builder *b, uint8_t *out, size_t cap);

uint32_t ppm_open_flags(uint64_t flags);
uint32_t ppm_clone_flags(uint64_t flags);
uint32_t ppm_mount_flags(uint64_t flags);
uint32_t ppm_renameat2_flags(uint64_t flags);
uint32_t ppm_openat2_resolve(uint64_t resolve);
uint32_t ppm_execveat_flags(uint64_t flags);
uint16_t ppm_ptrace_request(uint64_t req);
uint32_t ppm_mode(uint64_t mode);
uint32_t ppm_fchownat_flags(uint64_t flags);
uint32_t ppm_delete_module_flags(uint64_t flags);
uint32_t ppm_finit_module_flags(uint64_t flags);

#endif
