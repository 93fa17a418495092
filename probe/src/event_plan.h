/* The capture plan: for every supported syscall, its libscap enter/exit event ids, the memory the
 * kernel half must copy, and the recipe that turns a raw record into the libscap parameters. */
#ifndef PEREGRINE_EVENT_PLAN_H
#define PEREGRINE_EVENT_PLAN_H
#include <stdint.h>
#include "probe_abi.h"
#include "encoder.h"

#define REC_MAX_BLOBS 16

/* A raw record with its blobs located. */
struct rec_view {
	struct pg_rec h;
	int nblobs;
	const uint8_t *blob[REC_MAX_BLOBS];
	uint16_t blen[REC_MAX_BLOBS];
};

struct syscall_plan {
	int nr;                /* x86_64 syscall number */
	const char *evt_name;  /* libscap event name (evt.type), the unit of selection */
	uint16_t enter_type;   /* libscap event id of the enter event */
	uint16_t exit_type;    /* libscap event id of the exit event */
	uint16_t ppm_sc;       /* generic events: libscap's syscall code */
	const char *enter_mem; /* memory to copy at enter (see plan_ops) */
	const char *exit_mem;
	const char *enter_recipe; /* parameters of the enter event (see encode_recipe) */
	const char *exit_recipe;
	int explicit_only;     /* high-volume I/O (libscap EF_DROP_SIMPLE_CONS): only when named, never by "all" */
};

extern const struct syscall_plan SYSCALL_PLANS[];
extern const int SYSCALL_PLAN_COUNT;

#define PPME_PROCEXIT_1_E 186

/* Parses a memory spec ("str0 sock0 proc") into the kernel's op list; returns op count or -1. */
int plan_ops(const char *spec, struct pg_op *ops, int max);
/* How many blobs an op produces. */
int plan_op_blobs(const struct pg_op *op);
/* Locates the blobs of a raw record; returns 0, or -1 when the record is malformed. */
int rec_view_parse(const uint8_t *p, size_t n, struct rec_view *out);
/* Encodes one raw record as libscap event(s) into b; returns 0, or -1 on an unknown recipe token. */
int encode_recipe(const struct syscall_plan *plan, const char *recipe, const struct rec_view *r,
		  struct evt_builder *b);
/* The plan of syscall nr, or NULL. */
const struct syscall_plan *plan_for(int nr);
/* The libscap event name of an event id the probe can emit, or NULL. */
const char *plan_event_name(int type);

#endif
