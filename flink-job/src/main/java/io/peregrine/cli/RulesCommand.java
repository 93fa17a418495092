package io.peregrine.cli;

import io.peregrine.fields.FieldCatalog;
import io.peregrine.rules.load.CompiledRuleset;
import io.peregrine.rules.load.Diagnostic;
import io.peregrine.rules.load.EngineVersion;
import io.peregrine.rules.load.LoaderConfig;
import io.peregrine.rules.load.RuleMatcher;
import io.peregrine.rules.load.RuleSelection;
import io.peregrine.rules.load.RulesLoader;
import io.peregrine.rules.load.RulesSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code peregrine rules ...}: validate and publish rules. */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "Validate and publish rules.",
        subcommands = {RulesCommand.Check.class, RulesCommand.Push.class})
public final class RulesCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code rules check FILE|DIR...}: loads the files in order (a directory contributes its
     * {@code .yaml} files sorted by name) as Falco would, prints errors and warnings, then the
     * counts; exits 1 when there is an error.
     */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate rules files as Falco loads them: errors, warnings, counts. Exit 1 on error.")
    static final class Check implements Callable<Integer> {

        @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Rules files or directories, in load order.")
        List<Path> paths;

        @Option(names = {"-w", "--no-warnings"}, description = "Print errors only.")
        boolean noWarnings;

        @Option(names = "--events", description = "Also print the event types the loaded rules need.")
        boolean events;

        @Option(names = "--list", description = "Also list every compiled rule: priority, enabled, event types.")
        boolean list;

        @Option(names = "--json", description = "Print the load results as JSON, shaped like Falco's -V output "
                + "with json_output (falco_load_results: per file, successful, errors, warnings).")
        boolean json;

        @Option(names = "--falco-compat", paramLabel = "VERSION", defaultValue = "latest",
                description = "Print what falco -V of that release printed; before 0.33: 'FILE: Ok' per file, or the "
                        + "first error with the item's YAML (default: ${DEFAULT-VALUE}).")
        String falcoCompat;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<RulesSource> sources = new ArrayList<>();
            List<Path> files;
            try {
                files = RulesSource.expand(paths);
            } catch (IOException e) {
                err.println("error: cannot list " + e.getMessage() + " (LOAD_ERR_FILE_READ)");
                return 1;
            }
            for (Path p : files) {
                if (!Files.isReadable(p)) {
                    err.println(p + ": error: cannot read the file (LOAD_ERR_FILE_READ)");
                    return 1;
                }
                try {
                    sources.add(RulesSource.read(p));
                } catch (java.nio.charset.CharacterCodingException e) {
                    err.println(p + ": error: not UTF-8 text (LOAD_ERR_FILE_READ)");
                    return 1;
                } catch (IOException e) {
                    err.println(p + ": error: cannot read the file: " + e.getMessage() + " (LOAD_ERR_FILE_READ)");
                    return 1;
                }
            }
            FalcoCompat compat;
            try {
                compat = FalcoCompat.parse(falcoCompat);
            } catch (IllegalArgumentException e) {
                err.println("rules check: " + e.getMessage());
                return 1;
            }
            LoaderConfig config = LoaderConfig.syscall(FieldCatalog.namesOnly());
            RulesLoader.Result result = new RulesLoader(config).load(sources);
            if (compat.quotesItemOnLoadError() && !json) {
                return quoted(result, compat, out, err);
            }
            if (json) {
                out.println(LoadResultsJson.render(result, noWarnings));
                out.flush();
                return result.hasErrors() ? 1 : 0;
            }
            for (RulesLoader.FileResult file : result.files()) {
                List<Diagnostic> shown = file.diagnostics().stream()
                        .filter(d -> d.isError() || !noWarnings).toList();
                shown.stream().filter(Diagnostic::isError).forEach(d -> out.println(d));
                shown.stream().filter(d -> !d.isError()).forEach(d -> out.println(d));
                out.println(file.file() + ": " + (file.hasErrors() ? "errors" : "Ok"));
            }
            if (list) {
                for (var rule : result.ruleset().rules()) {
                    out.printf("rule '%s': %s, %s, evt.type %s%n", rule.name(), rule.priority().falcoName(),
                            rule.enabled() ? "enabled" : "disabled", rule.eventTypes());
                }
            }
            printCounts(out, result);
            if (events) {
                RuleMatcher matcher = new RuleMatcher(result.ruleset(), RuleSelection.DEFAULT, config.universe(), true);
                out.println("event types needed: " + String.join(" ", matcher.eventTypeNames()));
            }
            out.flush();
            return result.hasErrors() ? 1 : 0;
        }

        /**
         * Falco up to 0.32: each file {@code Ok}, until the first with an error, printed with the
         * item's YAML, which ends the validation (prefixed with the file when there are several).
         */
        private static int quoted(RulesLoader.Result result, FalcoCompat compat, PrintWriter out, PrintWriter err) {
            for (RulesLoader.FileResult file : result.files()) {
                String prefix = result.files().size() > 1 ? file.file() + ": " : "";
                String error = QuotedLoadErrors.firstError(file, compat);
                if (error != null) {
                    out.print(prefix + error);
                    out.flush();
                    err.println(compat.runError(prefix + error));
                    err.flush();
                    return 1;
                }
                out.println(prefix + "Ok");
            }
            out.flush();
            return 0;
        }

        private static void printCounts(PrintWriter out, RulesLoader.Result result) {
            CompiledRuleset.Stats s = result.ruleset().stats();
            long errors = result.errors().size();
            long warnings = result.warnings().size();
            out.printf("%d lists, %d macros, %d rules loaded; %d rules compiled", s.lists(), s.macros(), s.rules(),
                    s.compiled());
            if (s.failed() > 0) {
                out.printf(", %d with errors", s.failed());
            }
            out.println();
            Map<String, Long> bySource = result.ruleset().skipped().stream()
                    .collect(Collectors.groupingBy(CompiledRuleset.Skipped::reason, TreeMap::new, Collectors.counting()));
            bySource.forEach((reason, n) -> out.printf("%d rules skipped: %s%n", n, reason));
            out.printf("%d errors, %d warnings (engine version %s, ruleset version %s)%n", errors, warnings,
                    EngineVersion.CURRENT, result.version().substring(0, 12));
        }
    }

    /**
     * {@code rules push FILE|DIR...}: loads the files exactly as the job will (same loader, same
     * field catalogue), refuses to publish a ruleset with errors, then writes one RulesetRecord
     * (files, load order, checksum, version) to the compacted "rules" topic under a fixed key, so
     * the topic's latest record is the fleet's ruleset.
     */
    @Command(name = "push", mixinStandardHelpOptions = true,
            description = "Validate a ruleset locally, then publish it to the job's compacted rules topic.")
    static final class Push implements Callable<Integer> {

        @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Rules files or directories, in load order.")
        List<Path> paths;

        @Option(names = {"-b", "--bootstrap-servers"}, defaultValue = "127.0.0.1:9092",
                description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
        String bootstrapServers;

        @Option(names = "--topic", defaultValue = "rules", description = "Rules topic (default: ${DEFAULT-VALUE}).")
        String topic;

        @Option(names = "--version", description = "Version label (default: the first 12 hex digits of the checksum).")
        String version;

        @Option(names = {"-m", "--message"}, description = "Who publishes and why (the record's description).")
        String message;

        @Option(names = "--dry-run", description = "Validate and print the record's summary without publishing.")
        boolean dryRun;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            io.peregrine.avro.RulesetRecord record;
            try {
                record = io.peregrine.job.rules.RulesetRecords.fromPaths(paths, version, message);
            } catch (IOException e) {
                err.println("rules push: " + e.getMessage() + " (LOAD_ERR_FILE_READ)");
                return 1;
            }
            io.peregrine.job.rules.RulesetActivation check = io.peregrine.job.rules.RulesetActivation.compile(
                    record, io.peregrine.engine.DetectionSettings.of(List.of()));
            check.warnings().forEach(out::println);
            check.errors().forEach(err::println);
            if (!check.ok()) {
                err.println("rules push: ruleset " + record.getVersion() + " has errors; nothing published");
                err.flush();
                return 1;
            }
            out.printf("ruleset %s: %d files, %s, checksum %s%n", record.getVersion(), record.getFiles().size(),
                    check.counts(), record.getChecksum());
            if (dryRun) {
                out.flush();
                return 0;
            }
            java.util.Properties props = new java.util.Properties();
            props.put("bootstrap.servers", bootstrapServers);
            props.put("acks", "all");
            props.put("enable.idempotence", "true");
            try (org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> producer =
                         new org.apache.kafka.clients.producer.KafkaProducer<>(props,
                                 new org.apache.kafka.common.serialization.ByteArraySerializer(),
                                 new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                org.apache.kafka.clients.producer.RecordMetadata meta = producer.send(
                        new org.apache.kafka.clients.producer.ProducerRecord<>(topic,
                                "ruleset".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                io.peregrine.job.rules.RulesetRecords.encode(record)))
                        .get(60, java.util.concurrent.TimeUnit.SECONDS);
                out.printf("published to %s-%d@%d; the job reports the outcome on its rules-status topic%n",
                        meta.topic(), meta.partition(), meta.offset());
            } catch (Exception e) {
                err.println("rules push: cannot publish to " + bootstrapServers + " topic " + topic + ": " + e);
                err.flush();
                return 1;
            }
            out.flush();
            return 0;
        }
    }

    /** For tests: runs {@code rules ARGS...} and returns the exit code. */
    static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new RulesCommand());
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }
}
