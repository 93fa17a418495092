package io.peregrine.bench;

import io.peregrine.engine.DetectionRules;
import io.peregrine.engine.DetectionSettings;
import io.peregrine.engine.LocalReplay;
import io.peregrine.engine.WholeHostReplay;
import io.peregrine.rules.load.CompiledRule;
import io.peregrine.rules.load.RulesSource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Detection throughput per core with a real ruleset (default: falcosecurity/rules HEAD stable)
 * against {@code sysdig -r CAPTURE FILTER} with the equivalent filter (the selected rules' resolved
 * conditions joined by {@code or}; when sysdig 0.29.3 cannot compile that, the event types the
 * rules need, which is what its filter would at least have to test). Single-threaded on both
 * sides; CPU time (user+sys) is the measure, so other load on the machine does not skew the ratio.
 *
 * <p>Run: {@code java -cp <test classpath> io.peregrine.bench.DetectionReplayBenchmark [RULES [CAPTURE...]]}.
 * Without captures it inflates corpus captures past a million events into /tmp with
 * {@code ../shared/tools/inflate-scap}. Each measurement runs twice and keeps the second run.
 */
public final class DetectionReplayBenchmark {

    private DetectionReplayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(System.getProperty("peregrine.corpus", "../shared/corpus"));
        Path rules = args.length > 0 ? Path.of(args[0]) : corpus.resolve("rules/falcosecurity-rules-HEAD/falco_rules.yaml");
        List<Path> captures = new ArrayList<>();
        if (args.length > 1) {
            for (int i = 1; i < args.length; i++) {
                captures.add(Path.of(args[i]));
            }
        } else {
            Path tool = corpus.getParent().resolve("tools/inflate-scap");
            captures.add(InflatedCaptures.inflate(tool, corpus.resolve("scap/falco/cat_write.scap"), 3000, "cat_write"));
            captures.add(InflatedCaptures.inflate(tool, corpus.resolve("scap/libs/sample.scap"), 2200, "sample"));
            captures.add(InflatedCaptures.inflate(tool, corpus.resolve("scap/libs/test_ipv6_client.scap"), 3200, "ipv6_client"));
        }
        DetectionSettings settings = DetectionSettings.of(List.of(RulesSource.read(rules))).withHostname("bench");
        DetectionRules loaded = DetectionRules.load(settings);
        if (loaded.hasErrors()) {
            throw new IllegalStateException("rules do not load: " + loaded.loaded().errors());
        }
        String[] filter = sysdigFilter(loaded, corpus.resolve("scap/falco/cat_write.scap"));
        System.out.printf(Locale.ROOT, "rules: %s (%d rules selected); sysdig filter: %s%n", rules,
                loaded.matcher().rules().size(), filter[1]);
        System.out.printf(Locale.ROOT, "%-24s %10s %8s %14s %14s %14s %10s %10s%n", "capture", "events", "alerts",
                "direct ev/s", "keyed ev/s", "sysdig ev/s", "direct/sd", "keyed/sd");
        for (Path capture : captures) {
            long events = 0;
            long alerts = 0;
            double direct = 0;
            double keyed = 0;
            for (int round = 0; round < 2; round++) {
                AtomicLong n = new AtomicLong();
                long c0 = cpuNanos();
                events = WholeHostReplay.run(capture, loaded, settings, a -> n.incrementAndGet());
                direct = events / ((cpuNanos() - c0) / 1e9);
                alerts = n.get();
                c0 = cpuNanos();
                long k = new LocalReplay(loaded, settings).run(capture, 1024, a -> { });
                keyed = k / ((cpuNanos() - c0) / 1e9);
            }
            double sysdig = events / sysdigCpuSeconds(capture, filter[0]);
            System.out.printf(Locale.ROOT, "%-24s %10d %8d %14.0f %14.0f %14.0f %10.2f %10.2f%n",
                    capture.getFileName(), events, alerts, direct, keyed, sysdig, direct / sysdig, keyed / sysdig);
        }
    }

    private static long cpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return mx.getCurrentThreadCpuTime();
    }

    /** {filter, description}: the rules' conditions if sysdig compiles them, else their event types. */
    static String[] sysdigFilter(DetectionRules rules, Path probe) throws Exception {
        List<String> conditions = new ArrayList<>();
        for (CompiledRule r : rules.matcher().rules()) {
            conditions.add("(" + r.resolvedCondition() + ")");
        }
        String full = String.join(" or ", conditions);
        if (sysdigAccepts(probe, full)) {
            return new String[] {full, "the rules' resolved conditions joined by 'or'"};
        }
        String types = "evt.type in (" + String.join(", ", rules.matcher().eventTypeNames()) + ")";
        return new String[] {types, "sysdig 0.29.3 rejects the rules' conditions; their event types: " + types};
    }

    private static boolean sysdigAccepts(Path capture, String filter) throws Exception {
        Process check = new ProcessBuilder("/usr/bin/sysdig", "-r", capture.toString(), "-q", "-p", "%evt.num",
                filter).redirectErrorStream(true).start();
        String out = new String(check.getInputStream().readNBytes(4096));
        check.waitFor();
        return check.exitValue() == 0 && !out.toLowerCase(Locale.ROOT).contains("error");
    }

    /** CPU seconds (user+sys) of {@code sysdig -r CAPTURE FILTER}, output discarded. */
    static double sysdigCpuSeconds(Path capture, String filter) throws Exception {
        Path times = Files.createTempFile("sysdig-time", ".txt");
        try {
            Process p = new ProcessBuilder("/usr/bin/time", "-f", "%U %S", "-o", times.toString(), "/usr/bin/sysdig",
                    "-r", capture.toString(), filter).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("sysdig timed out");
            }
            String[] parts = Files.readString(times).trim().split("\\s+");
            return Double.parseDouble(parts[parts.length - 2]) + Double.parseDouble(parts[parts.length - 1]);
        } finally {
            Files.deleteIfExists(times);
        }
    }
}
