/* Puts events back in timestamp order before they are written.
 *
 * Every CPU writes into one shared BPF ring buffer, and a record's timestamp is taken when its
 * syscall is seen, a few microseconds before the record is reserved in the ring; so two CPUs can
 * commit their records in the opposite order of their timestamps. libscap reads one buffer per CPU
 * and always takes the oldest head, which hands libsinsp (and sysdig, and Falco) events in
 * timestamp order. This queue does the same with a time window: an event is held until no event
 * older than it can still arrive, i.e. until its timestamp is more than the window behind the
 * newest timestamp seen, or behind the clock once the ring is empty. */
#ifndef PEREGRINE_REORDER_H
#define PEREGRINE_REORDER_H
#include <stddef.h>
#include <stdint.h>

struct reorder;

/* Receives one released event (a copy owned by the queue, valid during the call). */
typedef void (*reorder_sink)(uint16_t cpu, const uint8_t *evt, size_t n, void *ctx);

/* A queue that holds events for window_ns (0: no holding, every push is released at once) and at
 * most max_bytes of them (beyond that the oldest are released early). NULL when out of memory. */
struct reorder *reorder_new(uint64_t window_ns, size_t max_bytes, reorder_sink sink, void *ctx);
void reorder_free(struct reorder *q);

/* Adds one encoded event with timestamp ts, then releases what the newest timestamp allows.
 * Returns -1 when the copy cannot be allocated (the event is then released at once). */
int reorder_push(struct reorder *q, uint64_t ts, uint16_t cpu, const uint8_t *evt, size_t n);

/* Releases, oldest first, every held event with a timestamp at or below limit
 * (UINT64_MAX: all of them). */
void reorder_release(struct reorder *q, uint64_t limit);

/* The clock says no event older than now_ns - window can still come: release up to there. */
void reorder_tick(struct reorder *q, uint64_t now_ns);

/* Events that came after a newer one had already been released (so they stay out of order):
 * the window was too short for them. */
uint64_t reorder_late(const struct reorder *q);

/* Events held right now. */
size_t reorder_held(const struct reorder *q);

#endif
