/* A binary min-heap of event copies ordered by (timestamp, arrival), see reorder.h. */
#include <stdlib.h>
#include <string.h>
#include "reorder.h"

struct held {
	uint64_t ts;
	uint64_t seq; /* arrival order: equal timestamps keep the order they came in */
	uint16_t cpu;
	size_t n;
	uint8_t *data;
};

struct reorder {
	uint64_t window_ns;
	size_t max_bytes;
	reorder_sink sink;
	void *ctx;
	struct held *heap;
	size_t size, cap, bytes;
	uint64_t seq;
	uint64_t newest;   /* newest timestamp pushed */
	uint64_t released; /* timestamp of the last event released */
	uint64_t late;
};

struct reorder *reorder_new(uint64_t window_ns, size_t max_bytes, reorder_sink sink, void *ctx)
{
	struct reorder *q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	q->window_ns = window_ns;
	q->max_bytes = max_bytes;
	q->sink = sink;
	q->ctx = ctx;
	return q;
}

static int before(const struct held *a, const struct held *b)
{
	return a->ts < b->ts || (a->ts == b->ts && a->seq < b->seq);
}

static void swap(struct held *a, struct held *b)
{
	struct held t = *a;
	*a = *b;
	*b = t;
}

static void sift_up(struct reorder *q, size_t i)
{
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!before(&q->heap[i], &q->heap[parent]))
			break;
		swap(&q->heap[i], &q->heap[parent]);
		i = parent;
	}
}

static void sift_down(struct reorder *q, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < q->size && before(&q->heap[l], &q->heap[m]))
			m = l;
		if (r < q->size && before(&q->heap[r], &q->heap[m]))
			m = r;
		if (m == i)
			return;
		swap(&q->heap[i], &q->heap[m]);
		i = m;
	}
}

static void deliver(struct reorder *q, uint64_t ts, uint16_t cpu, const uint8_t *evt, size_t n)
{
	if (ts < q->released)
		q->late++;
	else
		q->released = ts;
	q->sink(cpu, evt, n, q->ctx);
}

static void pop(struct reorder *q)
{
	struct held top = q->heap[0];
	q->heap[0] = q->heap[--q->size];
	if (q->size)
		sift_down(q, 0);
	q->bytes -= top.n;
	deliver(q, top.ts, top.cpu, top.data, top.n);
	free(top.data);
}

void reorder_release(struct reorder *q, uint64_t limit)
{
	while (q->size && q->heap[0].ts <= limit)
		pop(q);
}

void reorder_tick(struct reorder *q, uint64_t now_ns)
{
	if (now_ns > q->window_ns)
		reorder_release(q, now_ns - q->window_ns);
}

int reorder_push(struct reorder *q, uint64_t ts, uint16_t cpu, const uint8_t *evt, size_t n)
{
	if (ts > q->newest)
		q->newest = ts;
	if (q->window_ns == 0) {
		deliver(q, ts, cpu, evt, n);
		return 0;
	}
	if (q->size == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 1024;
		struct held *h = realloc(q->heap, cap * sizeof(*h));
		if (!h) {
			deliver(q, ts, cpu, evt, n);
			return -1;
		}
		q->heap = h;
		q->cap = cap;
	}
	uint8_t *copy = malloc(n);
	if (!copy) {
		deliver(q, ts, cpu, evt, n);
		return -1;
	}
	memcpy(copy, evt, n);
	q->heap[q->size] = (struct held){.ts = ts, .seq = q->seq++, .cpu = cpu, .n = n, .data = copy};
	sift_up(q, q->size++);
	q->bytes += n;
	if (q->newest > q->window_ns)
		reorder_release(q, q->newest - q->window_ns);
	while (q->bytes > q->max_bytes && q->size)
		pop(q);
	return 0;
}

uint64_t reorder_late(const struct reorder *q)
{
	return q->late;
}

size_t reorder_held(const struct reorder *q)
{
	return q->size;
}

void reorder_free(struct reorder *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->size; i++)
		free(q->heap[i].data);
	free(q->heap);
	free(q);
}
