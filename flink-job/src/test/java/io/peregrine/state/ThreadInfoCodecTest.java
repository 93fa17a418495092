package io.peregrine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peregrine.event.Event;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every field of a thread, its fd table and its pending enter event survives the stored form. The
 * random threads are filled by reflection, so a field added to ThreadInfo or FdInfo without a place
 * in the codec fails here.
 */
class ThreadInfoCodecTest {

    static IntStream seeds() {
        return IntStream.range(0, 300);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everyFieldOfARandomThreadRoundTrips(int seed) throws Exception {
        ThreadInfo original = RandomThreads.thread(new Random(seed));
        ThreadInfo decoded = ThreadInfoCodec.decode(ThreadInfoCodec.encode(original));
        assertSameFields(original, decoded);
    }

    static Stream<Arguments> plainThreads() {
        ThreadInfo withSocket = new ThreadInfo();
        FdInfo socket = new FdInfo(FdType.IPV6_SOCK, "::1:38255->::1:2345");
        socket.sip = new byte[16];
        socket.dip = new byte[16];
        socket.sport = 38255;
        socket.dport = 2345;
        socket.l4proto = FdInfo.L4_UDP;
        withSocket.fds.put(3L, socket);
        ThreadInfo nulls = new ThreadInfo();
        nulls.comm = null;
        nulls.args = null;
        nulls.env = null;
        nulls.cgroups = null;
        nulls.fds = null;
        nulls.cwd = null;
        ThreadInfo nullEntries = new ThreadInfo();
        nullEntries.args.add(null);
        nullEntries.cgroups.add(null);
        nullEntries.cgroups.add(new String[] {"cpu", null});
        nullEntries.fds.put(9L, null);
        FdInfo typeless = new FdInfo();
        typeless.type = null;
        nullEntries.fds.put(10L, typeless);
        return Stream.of(Arguments.of("a new thread", new ThreadInfo()),
                Arguments.of("an invented thread", ThreadInfo.unknown(42)),
                Arguments.of("a thread with an IPv6 socket", withSocket),
                Arguments.of("null fields", nulls),
                Arguments.of("null list, array and map entries", nullEntries),
                Arguments.of("a process copy", processCopy()));
    }

    private static ThreadInfo processCopy() {
        ThreadInfo parent = RandomThreads.thread(new Random(7));
        parent.args = new ArrayList<>(List.of("-c", "true"));
        parent.cgroups = new ArrayList<>();
        return parent.copyProcessData();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plainThreads")
    void specialThreadsRoundTrip(String what, ThreadInfo thread) throws Exception {
        assertSameFields(thread, ThreadInfoCodec.decode(ThreadInfoCodec.encode(thread)));
    }

    @Test
    void equalThreadsGiveEqualBytesWhateverTheirFdMapsHistory() {
        ThreadInfo a = new ThreadInfo();
        ThreadInfo b = new ThreadInfo();
        for (long fd = 0; fd < 40; fd++) {
            a.fds.put(fd * 97, new FdInfo(FdType.FILE, "/f" + fd));
        }
        for (long fd = 39; fd >= 0; fd--) {
            b.fds.put(fd * 97, new FdInfo(FdType.FILE, "/f" + fd));
        }
        b.fds = new HashMap<>(b.fds);
        assertThat(ThreadInfoCodec.encode(b)).isEqualTo(ThreadInfoCodec.encode(a));
    }

    @Test
    void startsWithItsFormatVersion() {
        assertThat(ThreadInfoCodec.encode(new ThreadInfo())[0]).isEqualTo((byte) ThreadInfoCodec.VERSION_1);
    }

    @Test
    void aStringRepeatedInARecordIsStoredOnce() {
        ThreadInfo t = new ThreadInfo();
        String path = "/var/lib/some/rather/long/path/to/a/file.log";
        t.fds.put(4L, new FdInfo(FdType.FILE, path));
        t.fds.get(4L).oldName = path;
        byte[] once = ThreadInfoCodec.encode(t);
        int occurrences = 0;
        byte[] needle = path.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + needle.length <= once.length; i++) {
            if (Arrays.equals(once, i, i + needle.length, needle, 0, needle.length)) {
                occurrences++;
            }
        }
        assertThat(occurrences).isEqualTo(1);
    }

    @Test
    void everyTruncationIsRejectedWithItsOffset() {
        byte[] whole = ThreadInfoCodec.encode(RandomThreads.thread(new Random(3)));
        for (int length = 0; length < whole.length; length++) {
            byte[] cut = Arrays.copyOf(whole, length);
            assertThatThrownBy(() -> ThreadInfoCodec.decode(cut)).as("cut at %d", length)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stored thread");
        }
    }

    @Test
    void randomDamageNeverEscapesAsAnotherException() {
        Random random = new Random(11);
        for (int i = 0; i < 2_000; i++) {
            byte[] damaged = ThreadInfoCodec.encode(RandomThreads.thread(random));
            for (int flips = 0; flips < 3; flips++) {
                damaged[1 + random.nextInt(damaged.length - 1)] = (byte) random.nextInt(256);
            }
            try {
                ThreadInfoCodec.decode(damaged);
            } catch (IllegalArgumentException expected) {
                assertThat(expected).hasMessageContaining("byte offset");
            }
        }
    }

    @Test
    void rejectsAnUnknownVersionAndTrailingBytes() {
        byte[] valid = ThreadInfoCodec.encode(new ThreadInfo());
        byte[] future = valid.clone();
        future[0] = 2;
        assertThatThrownBy(() -> ThreadInfoCodec.decode(future)).hasMessageContaining("unknown format version 2");
        byte[] longer = Arrays.copyOf(valid, valid.length + 1);
        assertThatThrownBy(() -> ThreadInfoCodec.decode(longer)).hasMessageContaining("trailing bytes");
    }

    /** Field by field, deep into lists, arrays, the fd map and the enter event. */
    static void assertSameFields(ThreadInfo expected, ThreadInfo actual) throws Exception {
        for (Field f : storedFields(ThreadInfo.class)) {
            Object e = f.get(expected);
            Object a = f.get(actual);
            if (f.getName().equals("fds") && e != null) {
                Map<?, ?> em = (Map<?, ?>) e;
                Map<?, ?> am = (Map<?, ?>) a;
                assertThat(am.keySet()).as("fd numbers").isEqualTo(em.keySet());
                for (Object fd : em.keySet()) {
                    assertSameFd((FdInfo) em.get(fd), (FdInfo) am.get(fd), "fd " + fd);
                }
            } else if (f.getType() == Event.class) {
                assertSameEvent((Event) e, (Event) a);
            } else {
                assertThat(a).as(f.getName()).usingRecursiveComparison().isEqualTo(e);
            }
        }
    }

    private static void assertSameFd(FdInfo expected, FdInfo actual, String what) throws Exception {
        if (expected == null) {
            assertThat(actual).as(what).isNull();
            return;
        }
        for (Field f : storedFields(FdInfo.class)) {
            assertThat(f.get(actual)).as(what + " " + f.getName()).usingRecursiveComparison().isEqualTo(f.get(expected));
        }
    }

    private static void assertSameEvent(Event expected, Event actual) {
        if (expected == null) {
            assertThat(actual).isNull();
            return;
        }
        assertThat(List.of(actual.timestampNs(), actual.threadId(), (long) actual.cpu(), (long) actual.type(),
                (long) actual.flags(), (long) actual.paramCount()))
                .isEqualTo(List.of(expected.timestampNs(), expected.threadId(), (long) expected.cpu(),
                        (long) expected.type(), (long) expected.flags(), (long) expected.paramCount()));
        for (int i = 0; i < expected.paramCount(); i++) {
            assertThat(actual.paramBytes(i)).as("param %d", i).isEqualTo(expected.paramBytes(i));
        }
    }

    /** The instance fields a stored thread must keep: all of them, transient lastEnter included. */
    static List<Field> storedFields(Class<?> type) {
        List<Field> out = new ArrayList<>();
        for (Field f : type.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                f.setAccessible(true);
                out.add(f);
            }
        }
        return out;
    }

    /** Threads with every stored field set to a random value of its type (nulls and extremes included). */
    static final class RandomThreads {

        private RandomThreads() {
        }

        static ThreadInfo thread(Random r) {
            ThreadInfo t = new ThreadInfo();
            List<String> pool = new ArrayList<>();
            try {
                for (Field f : storedFields(ThreadInfo.class)) {
                    f.set(t, value(f, r, pool));
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            return t;
        }

        private static FdInfo fd(Random r, List<String> pool) {
            FdInfo fd = new FdInfo();
            try {
                for (Field f : storedFields(FdInfo.class)) {
                    f.set(fd, value(f, r, pool));
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            return fd;
        }

        private static Object value(Field f, Random r, List<String> pool) {
            Class<?> type = f.getType();
            if (type == long.class) {
                return randomLong(r);
            }
            if (type == int.class) {
                return (int) randomLong(r);
            }
            if (type == boolean.class) {
                return r.nextBoolean();
            }
            if (type == String.class) {
                return string(r, pool);
            }
            if (type == byte[].class) {
                return r.nextInt(4) == 0 ? null : bytes(r, r.nextBoolean() ? 4 : 16);
            }
            if (type == FdType.class) {
                return FdType.values()[r.nextInt(FdType.values().length)];
            }
            if (type == Event.class) {
                return r.nextInt(3) == 0 ? null : event(r);
            }
            if (type == List.class) {
                Class<?> element = (Class<?>) ((ParameterizedType) f.getGenericType()).getActualTypeArguments()[0];
                if (r.nextInt(10) == 0) {
                    return null;
                }
                List<Object> list = new ArrayList<>();
                for (int i = r.nextInt(6); i > 0; i--) {
                    list.add(element == String[].class ? new String[] {string(r, pool), string(r, pool)} : string(r, pool));
                }
                return list;
            }
            if (type == Map.class) {
                if (r.nextInt(10) == 0) {
                    return null;
                }
                Map<Long, FdInfo> fds = new HashMap<>();
                for (int i = r.nextInt(8); i > 0; i--) {
                    fds.put(randomLong(r), r.nextInt(20) == 0 ? null : fd(r, pool));
                }
                return fds;
            }
            throw new IllegalStateException("no random values for " + f + ": teach RandomThreads (and the codec) this type");
        }

        private static long randomLong(Random r) {
            return switch (r.nextInt(6)) {
                case 0 -> 0;
                case 1 -> -1;
                case 2 -> r.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
                case 3 -> r.nextInt(1000);
                default -> r.nextLong();
            };
        }

        private static String string(Random r, List<String> pool) {
            int pick = r.nextInt(10);
            if (pick == 0) {
                return null;
            }
            if (pick < 4 && !pool.isEmpty()) {
                return pool.get(r.nextInt(pool.size()));
            }
            StringBuilder s = new StringBuilder();
            for (int i = r.nextInt(20); i > 0; i--) {
                s.appendCodePoint(switch (r.nextInt(8)) {
                    case 0 -> 0x80 + r.nextInt(0xD800 - 0x80);
                    case 1 -> 0x1F300 + r.nextInt(0x300);
                    default -> 0x20 + r.nextInt(0x5f);
                });
            }
            String out = s.toString();
            pool.add(out);
            return out;
        }

        private static Event event(Random r) {
            int params = r.nextInt(6);
            int[] offsets = new int[params];
            int[] lengths = new int[params];
            // Parameters at scattered offsets of a larger buffer, as a decoded capture shares one.
            byte[] data = bytes(r, 200);
            int at = r.nextInt(10);
            for (int i = 0; i < params; i++) {
                lengths[i] = r.nextInt(20);
                offsets[i] = at;
                at += lengths[i] + r.nextInt(5);
            }
            return new Event(r.nextLong(), r.nextLong(), r.nextInt(64), r.nextInt(430), data, offsets, lengths,
                    r.nextInt(4));
        }

        private static byte[] bytes(Random r, int n) {
            byte[] b = new byte[n];
            r.nextBytes(b);
            return b;
        }
    }
}
