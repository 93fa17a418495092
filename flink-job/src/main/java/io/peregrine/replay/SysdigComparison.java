package io.peregrine.replay;

import io.peregrine.capture.CaptureFormatException;
import io.peregrine.fields.FieldCatalog;
import io.peregrine.fields.OutputFormat;
import io.peregrine.fields.UnknownFieldException;
import io.peregrine.fields.extract.SyscallFields;
import io.peregrine.rules.eval.ConditionCompiler;
import io.peregrine.rules.eval.Predicate;
import io.peregrine.rules.lang.ConditionParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Compares Peregrine's field values with sysdig 0.29.3's (the oracle) on one capture: sysdig prints
 * every event with the fields ({@code -p '*...'}), Peregrine replays the same capture with the same
 * format, and the two are compared value by value. Differences that are understood (sysdig defects
 * Peregrine does not copy) are counted apart through {@link Explanation}s.
 *
 * <p>Records and values are framed by control characters plus a random token chosen per
 * comparison: a live capture may hold another comparison's sysdig command line, whose format string
 * would otherwise split records in the wrong places.
 */
public final class SysdigComparison {

    /** Where sysdig is installed. */
    public static final Path SYSDIG = Path.of("/usr/bin/sysdig");
    private static final int FIELDS_PER_RUN = 40;

    /** An understood difference: which fields, which value pairs, and why. */
    public record Explanation(String file, Set<String> fields, Matcher matcher, String reason) {
        boolean covers(String capture, String field, String sysdig, String peregrine) {
            return (file == null || file.equals(capture)) && fields.contains(field)
                    && matcher.matches(sysdig, peregrine);
        }
    }

    /** Which value pairs an explanation covers. */
    @FunctionalInterface
    public interface Matcher {
        boolean matches(String sysdig, String peregrine);
    }

    /**
     * sysdig 0.29.3 defects every capture can show: values read from uninitialised memory or the
     * wrong width. Keep this tiny; each entry names the shape of the difference and a reason a
     * reviewer can check.
     */
    public static final List<Explanation> SYSDIG_DEFECTS = List.of(
            new Explanation(null, Set.of("fd.dev", "fd.dev.major", "fd.dev.minor"), (s, p) -> p.equals("0"),
                    "sysdig 0.29.3 never initialises sinsp_fdinfo::m_dev for descriptors that socket(), pipe(),"
                    + " accept()... create, so it prints stack garbage that changes from run to run; Peregrine"
                    + " prints 0 (no device)"),
            new Explanation(null, Set.of("proc.is_exe_writable"), (s, p) -> s.equals("true") && p.equals("false"),
                    "sysdig 0.29.3 never initialises m_exe_writable for threads it invents on lookup (no /proc"
                    + " when reading a capture), so the value is whatever was in memory and flips between"
                    + " runs; Peregrine prints false"),
            new Explanation(null, Set.of("group.gid"), (s, p) -> s.matches("\\d+") && p.matches("\\d+")
                    && (Long.parseUnsignedLong(s) & 0xffffffffL) == Long.parseLong(p),
                    "sysdig 0.29.3 declares group.gid as 64-bit but reads it from the 32-bit m_gid, so the upper"
                    + " half holds the neighbouring member; the lower 32 bits equal Peregrine's value"),
            new Explanation(null, Set.of("fd.cport"), (s, p) -> p.equals("0") && s.matches("[1-9]\\d*")
                    && Long.parseLong(s) % 256 == 0,
                    "for a descriptor with a role that is not an IP socket (e.g. a unix socket) sysdig 0.29.3's"
                    + " fd.cport falls through to fd.cproto and reads its 16-bit port from the empty string it"
                    + " returns: the NUL, then a stale byte of the string's buffer, so sysdig prints a multiple of"
                    + " 256 that depends on earlier extractions; Peregrine prints 0"));

    /** The outcome for one capture. */
    public static final class Result {
        public long events;
        public long matched;
        public long compared;
        public long explained;
        /** One line per unexplained difference: capture, event number, field, both values. */
        public final List<String> mismatches = new ArrayList<>();
        public final Map<String, Integer> mismatchesByField = new TreeMap<>();
        public final Map<String, Integer> explainedByField = new TreeMap<>();
    }

    private final List<Explanation> explanations;
    private final String record;
    private final String separator;

    public SysdigComparison(List<Explanation> explanations) {
        this.explanations = List.copyOf(explanations);
        String token = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        this.record = "\u0002" + token + "\u0002";
        this.separator = "\u0001" + token + "\u0001";
    }

    /** Whether sysdig can be run here. */
    public static boolean sysdigInstalled() {
        return Files.isExecutable(SYSDIG);
    }

    /**
     * Compares {@code fields} on every event of {@code capture}; null when sysdig cannot read it.
     * Every event sysdig prints must be one Peregrine prints, in the same order.
     */
    public Result compare(Path capture, List<String> fields) throws IOException, InterruptedException,
            CaptureFormatException, UnknownFieldException {
        return compare(capture, fields, null);
    }

    /**
     * As {@link #compare(Path, List)} over the events a filter selects: a condition in the rules
     * language that sysdig's legacy compiler also accepts (bracket and/or mixes), given to sysdig
     * and evaluated by Peregrine over its own fields, so the selection itself is compared too.
     */
    public Result compare(Path capture, List<String> fields, String filter) throws IOException,
            InterruptedException, CaptureFormatException, UnknownFieldException {
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < fields.size(); i += FIELDS_PER_RUN) {
            chunks.add(fields.subList(i, Math.min(fields.size(), i + FIELDS_PER_RUN)));
        }
        FieldCatalog catalog = SyscallFields.catalog();
        String name = capture.getFileName().toString();
        Result r = new Result();
        List<String> numbers = new ArrayList<>();
        for (List<String> chunk : chunks) {
            String format = format(chunk);
            List<String[]> expected = sysdig(capture, format, filter);
            if (expected == null) {
                return null;
            }
            List<String[]> actual = new ArrayList<>();
            OutputFormat output = OutputFormat.compile(format, catalog);
            Predicate selected = filter == null ? ctx -> true : compileFilter(filter, catalog);
            CaptureReplay.run(capture, false, ctx -> {
                if (selected.test(ctx)) {
                    actual.add(split(output.format(ctx) + "\n")); // only the line end split() drops
                }
            });
            r.events = expected.size();
            if (numbers.isEmpty()) {
                expected.forEach(v -> numbers.add(v.length > 0 ? v[0] : "?"));
            }
            if (expected.size() != actual.size()) {
                r.mismatches.add(name + ": sysdig printed " + expected.size() + " events, Peregrine " + actual.size());
            }
            int n = Math.min(expected.size(), actual.size());
            for (int e = 0; e < n; e++) {
                String[] want = expected.get(e);
                String[] got = actual.get(e);
                for (int f = 0; f < chunk.size(); f++) {
                    r.compared++;
                    String w = f < want.length ? want[f] : "<missing>";
                    String g = f < got.length ? got[f] : "<missing>";
                    String field = chunk.get(f);
                    if (w.equals(g)) {
                        r.matched++;
                    } else if (explained(name, field, w, g)) {
                        r.explained++;
                        r.explainedByField.merge(field, 1, Integer::sum);
                    } else {
                        r.mismatchesByField.merge(field, 1, Integer::sum);
                        r.mismatches.add(name + " evt " + (e < numbers.size() ? numbers.get(e) : "?") + " " + field
                                + ": sysdig [" + w + "] peregrine [" + g + "]");
                    }
                }
            }
        }
        return r;
    }

    private static Predicate compileFilter(String filter, FieldCatalog catalog) {
        try {
            return new ConditionCompiler(catalog).compile(ConditionParser.parse(filter));
        } catch (Exception e) {
            throw new IllegalArgumentException("filter '" + filter + "': " + e.getMessage(), e);
        }
    }

    private boolean explained(String capture, String field, String sysdig, String peregrine) {
        for (Explanation x : explanations) {
            if (x.covers(capture, field, sysdig, peregrine)) {
                return true;
            }
        }
        return false;
    }

    private String format(List<String> chunk) {
        StringBuilder f = new StringBuilder("*" + record);
        for (int i = 0; i < chunk.size(); i++) {
            if (i > 0) {
                f.append(separator);
            }
            f.append('%').append(chunk.get(i));
        }
        return f.toString();
    }

    private String[] split(String line) {
        String body = line.startsWith(record) ? line.substring(record.length()) : line;
        if (body.endsWith("\n")) {
            body = body.substring(0, body.length() - 1);
        }
        return body.split(java.util.regex.Pattern.quote(separator), -1);
    }

    /** sysdig's records for the format, or null when sysdig cannot read the capture. */
    private List<String[]> sysdig(Path capture, String format, String filter) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(SYSDIG.toString(), "-r", capture.toString(), "-p", format));
        if (filter != null) {
            cmd.add(filter);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Path errors = Files.createTempFile("sysdig", ".err");
        pb.redirectError(errors.toFile());
        Process p = pb.start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("sysdig timed out on " + capture);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(errors);
        Files.deleteIfExists(errors);
        if (p.exitValue() != 0 && text.isEmpty()) {
            System.out.println(capture.getFileName() + ": sysdig exit " + p.exitValue() + ": "
                    + stderr.lines().filter(l -> !l.matches("^\\d\\d-\\d\\d .*")).collect(Collectors.joining(" | ")));
            return null;
        }
        List<String[]> records = new ArrayList<>();
        for (String rec : text.split(java.util.regex.Pattern.quote(record), -1)) {
            if (!rec.isEmpty()) {
                records.add(split(rec));
            }
        }
        return records;
    }
}
