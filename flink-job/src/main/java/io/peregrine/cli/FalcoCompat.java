package io.peregrine.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Falco release whose user-visible behaviour {@code replay -r} reproduces, chosen with the
 * configuration key {@code falco_compat} (in the falco.yaml given with {@code -c}, or
 * {@code -o falco_compat=0.32.0}); {@code latest} (the default) follows current Falco.
 *
 * <p>Falco changed a few things users and their scripts see between releases, and a harness written
 * for one release expects that release's behaviour. Each difference is one method here, named
 * after what changed and when (read from Falco's sources at the release tags), so that no caller
 * compares version numbers itself:
 * <ul>
 * <li>0.33.0: {@code -A} only affects live captures; events of a capture file are all evaluated,
 * including those the driver's "simple consumer" mode drops (read, fstat, close...).</li>
 * <li>0.32.0: failures while running print {@code Error: MSG}; 0.31 printed every failure as an
 * exception, {@code Runtime error: MSG. Exiting.}</li>
 * <li>0.35.0: command-line option errors print {@code Error: MSG} too (until 0.34 they were
 * {@code Runtime error: MSG. Exiting.}).</li>
 * <li>0.33.0: the rules loader reports every problem with codes and positions
 * (falco_load_result); before, loading stopped at the first error, printed as
 * {@code 1 errors:\n<message>\n---\n<the item's YAML>\n---}, and {@code -V} printed
 * {@code <file>: Ok} or that text per file.</li>
 * <li>0.32.0: the rules loader is C++ (yaml-cpp, libsinsp's condition parser: "unexpected token
 * after 'x'") instead of Lua (libyaml, "syntax error, unexpected 'y'"), with some errors worded
 * differently.</li>
 * </ul>
 */
public record FalcoCompat(int major, int minor, int patch, boolean latest) {

    /** The configuration key. */
    public static final String KEY = "falco_compat";

    /** Current Falco. */
    public static final FalcoCompat LATEST = new FalcoCompat(Integer.MAX_VALUE, 0, 0, true);

    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /** {@code latest}, {@code X.Y} or {@code X.Y.Z}; an {@link IllegalArgumentException} otherwise. */
    public static FalcoCompat parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty() || t.equals("latest")) {
            return LATEST;
        }
        Matcher m = VERSION.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException(KEY + ": expected 'latest' or a Falco version such as 0.32.0, got '"
                    + text + "'");
        }
        return new FalcoCompat(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)), false);
    }

    /** The choice a configuration makes (default: latest). */
    static FalcoCompat of(FalcoConfig config) {
        return parse(config.string(KEY, "latest"));
    }

    private boolean atLeast(int maj, int min) {
        return major > maj || (major == maj && minor >= min);
    }

    /** Whether events the driver's simple-consumer mode drops are skipped in capture files without -A. */
    public boolean skipsSimpleConsumerEventsInCaptures() {
        return !atLeast(0, 33);
    }

    /** Whether rules loading stops at the first error, quoted with the item's YAML (before 0.33). */
    public boolean quotesItemOnLoadError() {
        return !atLeast(0, 33);
    }

    /** Whether rules load with Falco 0.31's Lua loader: its words, condition parser and YAML library (libyaml). */
    public boolean luaRulesLoader() {
        return !atLeast(0, 32);
    }

    /** The stderr line of a failure while running (loading rules, reading the capture...). */
    public String runError(String message) {
        return atLeast(0, 32) ? "Error: " + message : "Runtime error: " + message + ". Exiting.";
    }

    /** The stderr line of a command-line option error. */
    public String optionError(String message) {
        return atLeast(0, 35) ? "Error: " + message : "Runtime error: " + message + ". Exiting.";
    }

    @Override
    public String toString() {
        return latest ? "latest" : major + "." + minor + "." + patch;
    }
}
