package io.peregrine.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.peregrine.event.Event;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Feeds 100,000 mutated captures through {@link ScapReader}: each must either read to the end or
 * fail with a {@link CaptureFormatException} naming the file and an offset inside the input; any
 * other exception, or an event whose parameters point outside its buffer, fails the test.
 *
 * <p>Seeds are the small corpus captures (decompressed, in memory, covering V1 and V2 blocks) and
 * the same captures rewritten by ScapWriter. Mutations: bit flips, byte substitutions, truncation,
 * inserted junk, deleted ranges, and random or boundary values written over block lengths and
 * other 16/32-bit fields. The generator is seeded, so a failure names the input index to replay.
 * The reader's work is linear in its input (every loop consumes bytes), so no input can hang; the
 * timeout guards that claim.
 */
class ScapReaderFuzzTest {

    static final int INPUTS = 100_000;
    static final long SEED = 0x5ca9_f022L;
    static final int[] BOUNDARY_U32 = {0, 1, 4, 8, 11, 12, 13, 16, 28, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff,
        0xffff_fff0, 0x0001_0000, 0x0010_0000};
    static final int[] BOUNDARY_U16 = {0, 1, 2, 0x7fff, 0x8000, 0xffff, 0xfffe};

    /** One seed: its bytes and the offsets of its blocks' length fields. */
    record Seed(String name, byte[] bytes, int[] blockStarts) {
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void everyMutatedCaptureReadsOrFailsWithAnOffset() throws Exception {
        List<Seed> seeds = seeds();
        assumeTrue(!seeds.isEmpty(), "corpus not found");
        SplittableRandom random = new SplittableRandom(SEED);
        int failures = 0;
        int reads = 0;
        for (int i = 0; i < INPUTS; i++) {
            Seed seed = seeds.get(random.nextInt(seeds.size()));
            byte[] input = mutate(seed, random);
            // Offsets count bytes of the decompressed stream; damaged deflate data can inflate to
            // anything, so for gzip inputs only their sign is checked.
            long streamLength = input.length;
            if (random.nextInt(100) == 0) {
                input = corruptGzip(input, random); // 1%: the gzip layer must fail cleanly too
                streamLength = Long.MAX_VALUE - 8;
            }
            try {
                drain(input);
                reads++;
            } catch (CaptureFormatException e) {
                failures++;
                assertThat(e.getMessage()).as("input %d from %s", i, seed.name()).startsWith("fuzz.scap: ")
                        .contains(" at byte ");
                assertThat(e.offset()).as("input %d from %s: %s", i, seed.name(), e.getMessage())
                        .isBetween(0L, streamLength + 8);
            } catch (Throwable t) {
                fail("input " + i + " (seed " + SEED + ", from " + seed.name() + ") threw " + t, t);
            }
        }
        System.out.printf("fuzz: %d inputs, %d read to the end, %d rejected with CaptureFormatException%n",
                INPUTS, reads, failures);
        // Both outcomes must actually occur, or the mutations are not exercising the reader.
        assertThat(reads).isPositive();
        assertThat(failures).isPositive();
    }

    /** Reads everything, touching every parameter so that a bad offset or length would throw. */
    static void drain(byte[] input) throws CaptureFormatException {
        try (ScapReader reader = ScapReader.open(new ByteArrayInputStream(input), "fuzz.scap")) {
            reader.processes().forEach(p -> p.fds().size());
            for (Event e; (e = reader.next()) != null; ) {
                for (int p = 0; p < e.paramCount(); p++) {
                    int end = e.paramOffset(p) + e.paramLength(p);
                    if (e.paramOffset(p) < 0 || end > e.data().length || e.paramLength(p) < 0) {
                        throw new AssertionError("parameter " + p + " outside its event's buffer");
                    }
                }
            }
        }
    }

    static byte[] mutate(Seed seed, SplittableRandom r) {
        byte[] b = seed.bytes().clone();
        int mutations = 1 + r.nextInt(3);
        for (int m = 0; m < mutations && b.length > 0; m++) {
            switch (r.nextInt(8)) {
                case 0 -> { // bit flips
                    for (int k = 1 + r.nextInt(8); k > 0; k--) {
                        b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                    }
                }
                case 1 -> b[r.nextInt(b.length)] = (byte) (r.nextBoolean() ? r.nextInt(256)
                        : new int[] {0, 0xff, 0x7f, 0x80, 1}[r.nextInt(5)]);
                case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length));
                case 3 -> { // inserted junk
                    int at = r.nextInt(b.length + 1);
                    byte[] junk = new byte[1 + r.nextInt(64)];
                    for (int k = 0; k < junk.length; k++) {
                        junk[k] = (byte) r.nextInt(256);
                    }
                    byte[] out = new byte[b.length + junk.length];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(junk, 0, out, at, junk.length);
                    System.arraycopy(b, at, out, at + junk.length, b.length - at);
                    b = out;
                }
                case 4 -> { // deleted range
                    int at = r.nextInt(b.length);
                    int len = Math.min(b.length - at, 1 + r.nextInt(256));
                    byte[] out = new byte[b.length - len];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + len, out, at, b.length - at - len);
                    b = out;
                }
                case 5 -> { // a block's length (header or trailer) set to a random or boundary value
                    int block = seed.blockStarts()[r.nextInt(seed.blockStarts().length)];
                    int at = r.nextBoolean() ? block + 4 : Math.max(0, nextBlock(seed, block) - 4);
                    int value = r.nextBoolean() ? BOUNDARY_U32[r.nextInt(BOUNDARY_U32.length)]
                            : lengthAt(b, at) + r.nextInt(-16, 17);
                    putU32(b, at, value);
                }
                case 6 -> putU32(b, r.nextInt(b.length), r.nextBoolean() ? r.nextInt()
                        : BOUNDARY_U32[r.nextInt(BOUNDARY_U32.length)]);
                default -> { // 16-bit fields: parameter and string lengths
                    int at = r.nextInt(b.length);
                    int v = BOUNDARY_U16[r.nextInt(BOUNDARY_U16.length)];
                    b[at] = (byte) v;
                    if (at + 1 < b.length) {
                        b[at + 1] = (byte) (v >>> 8);
                    }
                }
            }
        }
        return b;
    }

    /** {@code input} gzip-compressed, then with a byte of the compressed stream changed or cut. */
    static byte[] corruptGzip(byte[] input, SplittableRandom r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(input);
        }
        byte[] b = out.toByteArray();
        if (r.nextBoolean()) {
            b[2 + r.nextInt(b.length - 2)] ^= (byte) (1 + r.nextInt(255));
            return b;
        }
        return Arrays.copyOf(b, 2 + r.nextInt(b.length - 2));
    }

    static int nextBlock(Seed seed, int start) {
        for (int s : seed.blockStarts()) {
            if (s > start) {
                return s;
            }
        }
        return seed.bytes().length;
    }

    static int lengthAt(byte[] b, int at) {
        return at + 4 <= b.length ? BlockCursor.i32At(b, at) : 0;
    }

    static void putU32(byte[] b, int at, int v) {
        for (int k = 0; k < 4 && at + k < b.length; k++) {
            b[at + k] = (byte) (v >>> (8 * k));
        }
    }

    /** Small corpus captures, raw and rewritten, trimmed by {@link #seed}. */
    static List<Seed> seeds() throws IOException {
        List<Seed> seeds = new ArrayList<>();
        for (String name : List.of("scap/falco/cat_write.scap", "scap/libs/test_ipv6_client.scap",
                "scap/falco/syscall.scap", "scap/falco/empty.scap", "scap/falco/connect_localhost.scap")) {
            var path = Corpus.dir().resolve(name);
            if (!Files.exists(path)) {
                continue;
            }
            byte[] raw = decompress(Files.readAllBytes(path));
            seeds.add(seed(name, raw));
            ByteArrayOutputStream rewritten = new ByteArrayOutputStream();
            try (ScapReader reader = ScapReader.open(new ByteArrayInputStream(raw), name);
                    ScapWriter writer = new ScapWriter(rewritten)) {
                ScapWriter.copy(reader, writer);
            }
            seeds.add(seed(name + " (rewritten)", rewritten.toByteArray()));
        }
        return seeds;
    }

    /**
     * The capture's header blocks whole (section, machine, process list, interfaces, users) but only
     * ~15 KB of fd lists and ~15 KB of events after them, so that 100k inputs stay fast.
     */
    static Seed seed(String name, byte[] capture) {
        List<Integer> starts = new ArrayList<>();
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        int fdBudget = 15_000;
        int eventBudget = 15_000;
        int at = 0;
        while (at + 8 <= capture.length) {
            int type = BlockCursor.i32At(capture, at);
            int len = BlockCursor.i32At(capture, at + 4);
            boolean event = BlockTypes.isEvent(type);
            boolean fds = type == BlockTypes.FDL || type == BlockTypes.FDL_V2;
            if (event ? len <= eventBudget : !fds || len <= fdBudget) {
                starts.add(kept.size());
                kept.write(capture, at, len);
                eventBudget -= event ? len : 0;
                fdBudget -= fds ? len : 0;
            }
            at += len;
        }
        return new Seed(name, kept.toByteArray(), starts.stream().mapToInt(Integer::intValue).toArray());
    }

    static byte[] decompress(byte[] bytes) throws IOException {
        if (bytes.length < 2 || (bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b) {
            return bytes;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }
}
