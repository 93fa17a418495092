package io.peregrine.rules.load;

/**
 * The Falco rules engine version whose language Peregrine implements, and the comparison of
 * {@code required_engine_version} values against it.
 *
 * <p>Falco numbered its engine with a bare integer until 0.37 (e.g. 11 in 0.31.1, 12 in 0.32.0,
 * 15 in 0.33.0, 17 in 0.35) and then switched to semver strings (an integer N reads as 0.N.0).
 * Peregrine implements the condition language up to the transformers ({@code tolower},
 * {@code toupper}, {@code b64}, {@code basename}, {@code len}, {@code join}, {@code concat}, also on
 * the right-hand side), {@code val()}, {@code regex}, {@code iglob} and the {@code override} block:
 * the language of Falco's engine 0.57.0 (autumn 2025, libs 0.22), which the falcosecurity/rules
 * HEAD files require. Not supported: one-argument transformers wrapped around {@code join}/
 * {@code concat} or {@code val()}; {@code getopt} and the {@code anyof}/{@code allof} modifiers
 * came after 0.57.
 */
public final class EngineVersion {

    /** The version Peregrine declares. */
    public static final String CURRENT = "0.57.0";

    private EngineVersion() {
    }

    /** Whether {@code required} (an integer or a semver string) is satisfied by {@link #CURRENT}. */
    public static boolean satisfies(String required) {
        return compare(parse(required), parse(CURRENT)) <= 0;
    }

    static long[] parse(String version) {
        String v = version.trim();
        if (v.matches("\\d+")) {
            return new long[] {0, Long.parseLong(v), 0};
        }
        String[] parts = v.split("[.+-]");
        long[] out = new long[3];
        for (int i = 0; i < 3 && i < parts.length; i++) {
            out[i] = parts[i].matches("\\d+") ? Long.parseLong(parts[i]) : 0;
        }
        return out;
    }

    static int compare(long[] a, long[] b) {
        for (int i = 0; i < 3; i++) {
            int c = Long.compare(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
