/* The loader's output stream (documented in probe/FORMAT.md). */
#ifndef PEREGRINE_FRAMES_H
#define PEREGRINE_FRAMES_H
#include <stdint.h>
#include <stdio.h>
#include <stddef.h>

#define PG_STREAM_MAGIC "PGPF"
#define PG_STREAM_VERSION 1

enum pg_frame_kind {
	PG_FRAME_HELLO = 1,
	PG_FRAME_EVENT = 2,
	PG_FRAME_STATS = 3,
	PG_FRAME_TYPES = 4,
	PG_FRAME_ERROR = 5,
};

struct pg_stat {
	const char *name;
	uint64_t value;
};

int frames_header(FILE *out);
int frames_write(FILE *out, uint8_t kind, const void *payload, size_t n);
int frames_event(FILE *out, uint16_t cpu, const uint8_t *evt, size_t n);
int frames_stats(FILE *out, uint64_t ts, const struct pg_stat *stats, int count);
int frames_text(FILE *out, uint8_t kind, const char *text);

#endif
