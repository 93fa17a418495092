/* Length-prefixed frames: u32 length (kind + payload), u8 kind, payload; little-endian. */
#include <string.h>
#include "frames.h"

int frames_header(FILE *out)
{
	uint8_t h[8] = {'P', 'G', 'P', 'F', PG_STREAM_VERSION, 0, 0, 0};
	return fwrite(h, 1, sizeof(h), out) == sizeof(h) ? 0 : -1;
}

static int write_prefix(FILE *out, uint8_t kind, size_t n)
{
	uint32_t len = (uint32_t)(n + 1);
	if (fwrite(&len, 4, 1, out) != 1 || fwrite(&kind, 1, 1, out) != 1)
		return -1;
	return 0;
}

int frames_write(FILE *out, uint8_t kind, const void *payload, size_t n)
{
	if (write_prefix(out, kind, n))
		return -1;
	return n == 0 || fwrite(payload, 1, n, out) == n ? 0 : -1;
}

int frames_event(FILE *out, uint16_t cpu, const uint8_t *evt, size_t n)
{
	if (write_prefix(out, PG_FRAME_EVENT, n + 2) || fwrite(&cpu, 2, 1, out) != 1)
		return -1;
	return fwrite(evt, 1, n, out) == n ? 0 : -1;
}

int frames_stats(FILE *out, uint64_t ts, const struct pg_stat *stats, int count)
{
	uint8_t buf[4096];
	size_t off = 0;
	uint32_t c = (uint32_t)count;
	memcpy(buf, &ts, 8);
	memcpy(buf + 8, &c, 4);
	off = 12;
	for (int i = 0; i < count; i++) {
		uint16_t nl = (uint16_t)strlen(stats[i].name);
		if (off + 2 + nl + 8 > sizeof(buf))
			return -1;
		memcpy(buf + off, &nl, 2);
		memcpy(buf + off + 2, stats[i].name, nl);
		memcpy(buf + off + 2 + nl, &stats[i].value, 8);
		off += 2 + nl + 8;
	}
	return frames_write(out, PG_FRAME_STATS, buf, off);
}

int frames_text(FILE *out, uint8_t kind, const char *text)
{
	return frames_write(out, kind, text, strlen(text));
}
