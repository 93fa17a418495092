package io.peregrine.cli;

import io.peregrine.capture.CaptureFormatException;
import io.peregrine.engine.CaptureBatches;
import io.peregrine.engine.DetectionRules;
import io.peregrine.engine.DetectionSettings;
import io.peregrine.engine.LocalReplay;
import io.peregrine.engine.SyscallDropMonitor;
import io.peregrine.engine.WholeHostReplay;
import io.peregrine.job.ReplayJob;
import io.peregrine.output.Alert;
import io.peregrine.output.AlertFormatter;
import io.peregrine.output.AlertSummary;
import io.peregrine.rules.load.CompiledRule;
import io.peregrine.rules.load.Diagnostic;
import io.peregrine.output.Priority;
import io.peregrine.rules.load.RuleSelection;
import io.peregrine.rules.load.RulesLoader;
import io.peregrine.rules.load.RulesSource;
import io.peregrine.sink.AlertSink;
import io.peregrine.sink.SinksConfig;
import io.peregrine.sink.StdoutSink;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code replay -r RULES... CAPTURE}: Falco's {@code falco -r RULES -e CAPTURE} over Peregrine's
 * detection graph. Options as Falco names them ({@code -t}, {@code -T}, {@code -D}, {@code -A},
 * {@code -c}, {@code -o key=value}, {@code -V}); alerts go to the sinks the configuration enables,
 * then Falco's closing summary is printed. Exit status as Falco's: 0 after a run, 1 for bad
 * options, configuration, rules or capture.
 */
public final class RulesReplay {

    /**
     * Where detection runs: the Flink graph on a local MiniCluster ({@code job}); the same batches
     * and keyed detection in this thread ({@code local}); or one state engine over the whole
     * capture, Falco's model, without batching ({@code direct}).
     */
    public enum Engine {
        JOB, LOCAL, DIRECT;

        /** {@code job} or {@code local}, any case. */
        public static Engine parse(String name) {
            for (Engine e : values()) {
                if (e.name().equalsIgnoreCase(name)) {
                    return e;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("--engine: expected job, local or direct, got " + name);
        }
    }

    /** The parsed command line of the rules mode. */
    public record Options(List<Path> rules, List<Path> validate, Path capture, List<String> onlyTags,
            List<String> notTags, List<String> disabledRules, boolean allEvents, Path configFile,
            List<String> overrides, Engine engine, int maxEventsPerBatch) {
    }

    private final PrintStream out;
    private final PrintStream err;
    /** The Falco release whose texts and capture semantics apply; known once the configuration is read. */
    private FalcoCompat compat = FalcoCompat.LATEST;

    public RulesReplay(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs the command; returns the exit status. */
    public int run(Options o) {
        FalcoConfig config;
        SyscallDropMonitor drops;
        SinksConfig sinks;
        DetectionSettings settings;
        try {
            config = o.configFile() == null ? FalcoConfig.empty() : FalcoConfig.load(o.configFile());
            for (String assignment : o.overrides()) {
                config.override(assignment);
            }
            compat = FalcoCompat.of(config);
        } catch (IllegalArgumentException e) {
            return fail(e.getMessage());
        }
        if (!o.validate().isEmpty()) {
            return validate(o.validate(), Boolean.parseBoolean(config.string("json_output", "false")));
        }
        try {
            drops = DropsConfig.monitor(config.section("syscall_event_drops"));
            sinks = SinksConfig.fromFalcoYaml(config.asMap());
            settings = settings(o, config);
            settings.selection();
        } catch (OptionException e) {
            err.println(compat.optionError(e.getMessage()));
            err.flush();
            return 1;
        } catch (IllegalArgumentException e) {
            return fail(e.getMessage());
        }
        boolean iso = Boolean.parseBoolean(config.string("time_format_iso_8601", "false"));
        log(iso, "Peregrine replay (Falco rules engine), engine " + o.engine().name().toLowerCase(Locale.ROOT));
        if (o.configFile() != null) {
            log(iso, "Falco initialized with configuration file " + o.configFile());
        }
        settings.ruleNames().forEach(f -> log(iso, "Loading rules from file " + f));
        if (o.capture() == null) {
            return fail("no capture given (replay -r RULES... CAPTURE)");
        }
        if (!Files.isReadable(o.capture())) {
            return fail("Could not read trace file " + o.capture() + ": cannot open the file");
        }
        DetectionRules rules = DetectionRules.load(settings);
        if (!reportLoad(rules.loaded())) {
            return 1;
        }
        List<String> order = rules.matcher().rules().stream().map(CompiledRule::name).toList();
        AlertSummary summary = new AlertSummary(order);
        List<AlertSink> outputs = outputs(sinks);
        DropActions dropActions;
        try {
            dropActions = DropActions.plan(o.capture(), drops);
        } catch (CaptureFormatException e) {
            outputs.forEach(AlertSink::close);
            return fail("Could not read trace file " + o.capture() + ": " + e.getMessage());
        }
        try {
            java.util.function.Consumer<Alert> deliver = alert -> {
                if (dropActions.stopsBefore(alert.timeNs())) {
                    return;
                }
                dropActions.releaseUntil(alert.timeNs(), this::logDrop, a -> outputs.forEach(s -> s.accept(a)));
                summary.record(alert);
                outputs.forEach(s -> s.accept(alert));
            };
            if (o.engine() == Engine.JOB) {
                // Batches the job's operator could not use (its dead letters) are reported, not lost.
                ReplayJob.run(o.capture(), settings, o.maxEventsPerBatch(), deliver, err::println);
            } else if (o.engine() == Engine.LOCAL) {
                new LocalReplay(rules, settings).run(o.capture(), o.maxEventsPerBatch(), deliver);
            } else {
                WholeHostReplay.run(o.capture(), rules, settings, deliver);
            }
            dropActions.releaseUntil(Long.MAX_VALUE, this::logDrop, a -> outputs.forEach(s -> s.accept(a)));
        } catch (CaptureFormatException | CaptureBatches.CaptureReadException e) {
            return fail("Could not read trace file " + o.capture() + ": " + e.getMessage());
        } catch (Exception e) {
            return fail(rootMessage(e));
        } finally {
            outputs.forEach(AlertSink::close);
        }
        if (drops != null) {
            err.print(drops.stats());
        }
        if (dropActions.exited()) {
            err.flush();
            return 1;
        }
        out.print(summary.format());
        out.flush();
        return 0;
    }

    /**
     * A log line on stderr, stamped as Falco's logger stamps it: {@code 2016-08-04T16:17:57+0000}
     * (UTC) with time_format_iso_8601, else ctime's {@code Thu Aug  4 16:17:57 2016} (local time).
     */
    private void log(boolean iso, String message) {
        java.time.ZonedDateTime now = iso ? java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)
                : java.time.ZonedDateTime.now();
        String stamp = iso ? now.format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxx", Locale.ROOT))
                : now.format(java.time.format.DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT));
        err.println(stamp + ": " + message);
    }

    private void logDrop(String message) {
        err.println(message);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** A command-line option Falco refuses; worded by {@link FalcoCompat#optionError}. */
    static final class OptionException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        OptionException(String message) {
            super(message);
        }
    }

    /**
     * The detection settings: rules files, Falco's selection options, -A, hostname. Since Falco
     * 0.33 a capture file's events are all evaluated, -A or not ({@link FalcoCompat}).
     */
    private DetectionSettings settings(Options o, FalcoConfig config) {
        List<RulesSource> sources = new ArrayList<>();
        try {
            for (Path p : RulesSource.expand(o.rules())) {
                sources.add(RulesSource.read(p));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("Could not read rules file: " + e.getMessage(), e);
        }
        Priority minimum = Priority.parse(config.string("priority", "debug"));
        String matchingName = config.string("rule_matching", "first").toLowerCase(Locale.ROOT);
        RuleSelection.Matching matching = switch (matchingName) {
            case "first" -> RuleSelection.Matching.FIRST;
            case "all" -> RuleSelection.Matching.ALL;
            default -> throw new IllegalArgumentException("Unknown rule matching strategy \"" + matchingName
                    + "\"; must be one of: first, all");
        };
        if (!o.onlyTags().isEmpty() && (!o.notTags().isEmpty() || !o.disabledRules().isEmpty())) {
            throw new OptionException("You can not specify both disabled (-D/-T) and enabled (-t) rules");
        }
        return DetectionSettings.of(sources)
                .withSelection(minimum, Set.copyOf(o.onlyTags()), Set.copyOf(o.notTags()), o.disabledRules(), matching)
                .withAllEvents(o.allEvents() || !compat.skipsSimpleConsumerEventsInCaptures())
                .withHostname(hostname());
    }

    /** Falco's hostname: FALCO_HOSTNAME when set, else the machine's name. */
    static String hostname() {
        String env = System.getenv("FALCO_HOSTNAME");
        if (env != null && !env.isEmpty()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "";
        }
    }

    /** Prints warnings; on errors prints them as Falco does and returns false. */
    private boolean reportLoad(RulesLoader.Result loaded) {
        for (RulesLoader.FileResult file : loaded.files()) {
            for (Diagnostic d : file.diagnostics()) {
                if (!d.isError()) {
                    err.println(falcoWarning(d));
                }
            }
            if (file.hasErrors()) {
                if (compat.quotesItemOnLoadError()) {
                    fail("Could not load rules file " + file.file() + ": " + QuotedLoadErrors.firstError(file, compat));
                    return false;
                }
                List<Diagnostic> errors = file.diagnostics().stream().filter(Diagnostic::isError).toList();
                StringBuilder s = new StringBuilder("Could not load rules file " + file.file() + ": "
                        + errors.size() + " errors:");
                errors.forEach(d -> s.append('\n').append(d));
                fail(s.toString());
                return false;
            }
        }
        return true;
    }

    /**
     * A load warning as Falco prints it ({@code Rule NAME: warning (unknown-source): unknown source
     * X, skipping}), followed by where it is.
     */
    static String falcoWarning(Diagnostic d) {
        StringBuilder s = new StringBuilder();
        if (d.itemType() != null && !d.itemType().isEmpty()) {
            s.append(Character.toUpperCase(d.itemType().charAt(0))).append(d.itemType().substring(1));
            if (d.itemName() != null && !d.itemName().isEmpty()) {
                s.append(' ').append(d.itemName());
            }
            s.append(": ");
        }
        String code = d.code().name().replaceFirst("^LOAD_", "").toLowerCase(Locale.ROOT).replace('_', '-');
        String message = d.message().isEmpty() ? d.message()
                : Character.toLowerCase(d.message().charAt(0)) + d.message().substring(1);
        return s.append("warning (").append(code).append("): ").append(message).append(" (at ").append(d.position())
                .append(')').toString();
    }

    /** The configured outputs, with stdout going to this command's stream. */
    private List<AlertSink> outputs(SinksConfig sinks) {
        List<AlertSink> list = new ArrayList<>();
        if (sinks.stdout()) {
            list.add(new StdoutSink(out, new AlertFormatter(sinks.format()), false, sinks.buffered()));
        }
        list.addAll(new SinksConfig(sinks.format(), sinks.buffered(), false, sinks.syslogTag(), sinks.file(), sinks.program(),
                sinks.http()).createSinks());
        return list;
    }

    /**
     * {@code -V FILE...}: Falco's validate_rules_file, through {@code rules check}. The files load
     * in order, each on top of the ones before. Falco up to 0.32 printed {@code Ok} or the first
     * error with the item's YAML per file and stopped there; later releases print every file's
     * result, as JSON with {@code json_output}.
     */
    private int validate(List<Path> files, boolean json) {
        List<String> args = new ArrayList<>();
        args.add("check");
        args.add("--falco-compat=" + compat);
        if (json) {
            args.add("--json");
        }
        files.forEach(f -> args.add(f.toString()));
        PrintWriter pw = new PrintWriter(out, true);
        PrintWriter pe = new PrintWriter(err, true);
        int rc = RulesCommand.execute(pw, pe, args.toArray(String[]::new));
        pw.flush();
        pe.flush();
        return rc == 0 ? 0 : 1;
    }

    private int fail(String message) {
        err.println(compat.runError(message));
        err.flush();
        return 1;
    }

    /** Falco's checks of {@code syscall_event_drops} (configuration.cpp), which reject a config file. */
    static final class DropsConfig {
        private static final Set<String> ACTIONS = Set.of("ignore", "log", "alert", "exit");

        private DropsConfig() {
        }

        /**
         * The monitor the section configures (Falco's defaults: actions log and alert, threshold
         * .1, rate .03333, max_burst 1, no simulation); an error for what Falco rejects.
         */
        static SyscallDropMonitor monitor(Map<String, Object> drops) {
            validate(drops);
            java.util.Set<SyscallDropMonitor.Action> actions = java.util.EnumSet.noneOf(SyscallDropMonitor.Action.class);
            Object list = drops.get("actions");
            if (list instanceof List<?> l) {
                l.forEach(a -> actions.add(SyscallDropMonitor.Action.valueOf(String.valueOf(a).toUpperCase(Locale.ROOT))));
            } else {
                actions.add(SyscallDropMonitor.Action.LOG);
                actions.add(SyscallDropMonitor.Action.ALERT);
            }
            return new SyscallDropMonitor(actions, number(drops, "threshold", 0.1), number(drops, "rate", 0.03333),
                    number(drops, "max_burst", 1), Boolean.parseBoolean(String.valueOf(drops.getOrDefault("simulate_drops", "false"))));
        }

        private static double number(Map<String, Object> drops, String key, double dflt) {
            Object v = drops.get(key);
            if (v == null) {
                return dflt;
            }
            try {
                return Double.parseDouble(v.toString());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("syscall_event_drops." + key + ": expected a number, got " + v);
            }
        }

        static void validate(Map<String, Object> drops) {
            Object actions = drops.get("actions");
            if (actions instanceof List<?> list) {
                boolean ignore = list.stream().anyMatch(a -> "ignore".equals(String.valueOf(a)));
                for (Object a : list) {
                    String action = String.valueOf(a);
                    if (!ACTIONS.contains(action)) {
                        throw new IllegalArgumentException("unknown syscall event drop action \"" + action + "\"");
                    }
                    if (ignore && !action.equals("ignore")) {
                        throw new IllegalArgumentException("syscall event drop action \"" + action
                                + "\" does not make sense with the \"ignore\" action");
                    }
                }
            }
            Object threshold = drops.get("threshold");
            if (threshold != null) {
                double t;
                try {
                    t = Double.parseDouble(threshold.toString());
                } catch (NumberFormatException e) {
                    t = -1;
                }
                if (t < 0 || t > 1) {
                    throw new IllegalArgumentException(
                            "syscall event drops threshold must be a double in the range [0, 1]");
                }
            }
        }
    }
}
