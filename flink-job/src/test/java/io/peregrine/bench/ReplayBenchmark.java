package io.peregrine.bench;

import io.peregrine.capture.ScapReader;
import io.peregrine.event.Event;
import io.peregrine.fields.FieldCatalog;
import io.peregrine.fields.FieldExtractor;
import io.peregrine.fields.extract.SyscallFields;
import io.peregrine.replay.CaptureReplay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Throughput on one core: decode only, and decode + state update + field extraction, against
 * {@code sysdig -r} on the same file (sysdig is single-threaded).
 *
 * <p>Run: {@code java -cp <test classpath> io.peregrine.bench.ReplayBenchmark [CAPTURE...]}. With
 * no argument it inflates corpus captures to more than a million events each into /tmp with
 * {@code ../shared/tools/inflate-scap}. Each measurement runs twice and keeps the second (warm) run.
 */
public final class ReplayBenchmark {

    /** The fields extracted per event: what the upstream rules read most, plus the evt.* basics. */
    static final String[] FIELDS = {"evt.num", "evt.time", "evt.type", "evt.dir", "evt.args", "evt.res",
        "proc.name", "proc.cmdline", "proc.pname", "proc.exepath", "proc.aname[2]", "proc.apid[1]", "thread.tid",
        "user.name", "user.uid", "group.gid", "fd.name", "fd.num", "fd.type", "fd.directory", "fd.filename",
        "fd.sip", "fd.sport", "fd.l4proto", "container.id", "container.image.repository", "evt.is_open_read",
        "evt.arg.flags", "k8s.ns.name", "proc.sname"};

    private ReplayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Path> captures = new ArrayList<>();
        if (args.length == 0) {
            Path corpus = Path.of(System.getProperty("peregrine.corpus", "../shared/corpus"));
            Path tool = corpus.getParent().resolve("tools/inflate-scap");
            captures.add(inflate(tool, corpus.resolve("scap/falco/cat_write.scap"), 345, "cat_write"));
            captures.add(inflate(tool, corpus.resolve("scap/libs/sample.scap"), 477, "sample"));
            captures.add(inflate(tool, corpus.resolve("scap/libs/test_ipv6_client.scap"), 326, "ipv6_client"));
        } else {
            for (String a : args) {
                captures.add(Path.of(a));
            }
        }
        String sysdigFormat = sysdigFormat();
        System.out.printf(Locale.ROOT, "%-28s %10s %14s %14s %14s %14s %8s%n", "capture", "events",
                "decode ev/s", "full ev/s", "sysdig ev/s", "sysdig -p ev/s", "ratio");
        for (Path capture : captures) {
            long events = 0;
            double decode = 0;
            double full = 0;
            for (int round = 0; round < 2; round++) {
                long t0 = System.nanoTime();
                events = decodeOnly(capture);
                decode = events / seconds(t0);
                t0 = System.nanoTime();
                long n = decodeStateExtract(capture);
                full = n / seconds(t0);
            }
            double sysdigPlain = events / sysdigSeconds(capture, null);
            double sysdigFields = events / sysdigSeconds(capture, sysdigFormat);
            System.out.printf(Locale.ROOT, "%-28s %10d %14.0f %14.0f %14.0f %14.0f %8.2f%n", capture.getFileName(),
                    events, decode, full, sysdigPlain, sysdigFields, full / sysdigFields);
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static long decodeOnly(Path capture) throws IOException {
        long n = 0;
        long checksum = 0;
        try (ScapReader reader = ScapReader.open(capture)) {
            for (Event e; (e = reader.next()) != null; ) {
                n++;
                checksum += e.type();
            }
        }
        if (checksum == 42) {
            System.out.print("");
        }
        return n;
    }

    static long decodeStateExtract(Path capture) throws Exception {
        FieldCatalog catalog = SyscallFields.catalog();
        List<FieldExtractor> extractors = new ArrayList<>();
        for (String f : FIELDS) {
            int b = f.indexOf('[');
            extractors.add(b < 0 ? catalog.resolve(f, null) : catalog.resolve(f.substring(0, b),
                    f.substring(b + 1, f.length() - 1)));
        }
        long[] sink = new long[1];
        long n = CaptureReplay.run(capture, false, false, context -> {
            for (FieldExtractor x : extractors) {
                Object v = x.extract(context);
                if (v != null) {
                    sink[0]++;
                }
            }
        });
        if (sink[0] == 42) {
            System.out.print("");
        }
        return n;
    }

    private static String sysdigFormat() {
        StringBuilder f = new StringBuilder("*");
        for (String field : FIELDS) {
            f.append('%').append(field).append(' ');
        }
        return f.toString();
    }

    /** Wall time of sysdig reading the capture (default output, or the same fields), output discarded. */
    static double sysdigSeconds(Path capture, String format) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/sysdig", "-r", capture.toString()));
        if (format != null) {
            cmd.add("-p");
            cmd.add(format);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("sysdig timed out");
        }
        return seconds(t0);
    }

    /** The capture repeated until it holds about a million events ({@code eventsPerRound} each round). */
    private static Path inflate(Path tool, Path source, int eventsPerRound, String name)
            throws IOException, InterruptedException {
        return InflatedCaptures.inflate(tool, source, 1_050_000 / eventsPerRound + 1, name);
    }
}
