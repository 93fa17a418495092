package io.peregrine.cli;

import io.peregrine.capture.CaptureFormatException;
import io.peregrine.fields.FieldCatalog;
import io.peregrine.fields.OutputFormat;
import io.peregrine.fields.UnknownFieldException;
import io.peregrine.fields.extract.SyscallFields;
import io.peregrine.replay.CaptureReplay;
import io.peregrine.rules.eval.CompileException;
import io.peregrine.rules.eval.ConditionCompiler;
import io.peregrine.rules.eval.Predicate;
import io.peregrine.rules.lang.ConditionParser;
import io.peregrine.rules.lang.ConditionSyntaxException;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Stack;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code peregrine replay -p FORMAT CAPTURE [FILTER]}: print one line per event like
 * {@code sysdig -r CAPTURE -p FORMAT FILTER}, with FILTER in the rules condition language.
 * {@code peregrine replay -r RULES... CAPTURE}: run rules over the capture as
 * {@code falco -r RULES -e CAPTURE} does, through the detection graph ({@link RulesReplay}).
 *
 * <p>{@code -D} means what it means in each tool: sysdig's "internal events too" with {@code -p},
 * Falco's "disable rules whose name contains NAME" with {@code -r}/{@code -V}.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, description = "Replay a .scap capture.")
public final class ReplayCommand implements Callable<Integer> {

    @Option(names = "-p", description = "sysdig-style output format (%%field); every event is printed, missing fields as <NA>, as sysdig -p '*FORMAT' does")
    String format;

    @Option(names = "-r", paramLabel = "RULES", description = "rules file or directory to run over the capture (repeatable, in load order)")
    List<Path> rules = new ArrayList<>();

    @Option(names = "-D", arity = "0..1", paramLabel = "RULE", parameterConsumer = DashD.class,
            description = "with -p: also print internal events (procinfo...), like sysdig -D; "
                    + "with -r: disable rules whose name contains RULE, like falco -D (repeatable)")
    List<String> disabledRules = new ArrayList<>();

    boolean internal;

    @Option(names = "-t", paramLabel = "TAG", description = "with -r: only run rules with this tag (repeatable)")
    List<String> onlyTags = new ArrayList<>();

    @Option(names = "-T", paramLabel = "TAG", description = "with -r: do not run rules with this tag (repeatable)")
    List<String> notTags = new ArrayList<>();

    @Option(names = "-A", description = "with -r: also evaluate the event types Falco skips by default (read, write, "
            + "close...); captures are evaluated whole anyway since Falco 0.33, so this matters with falco_compat < 0.33")
    boolean allEvents;

    @Option(names = "-c", paramLabel = "FALCO_YAML", description = "with -r: configuration file in falco.yaml's shape")
    Path configFile;

    @Option(names = "-o", paramLabel = "KEY=VALUE", description = "with -r: override a configuration key, e.g. "
            + "json_output=true, priority=warning, rule_matching=all, falco_compat=0.32.0 (behave as that Falco release; "
            + "default latest) (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = {"-V", "--validate"}, paramLabel = "RULES", description = "validate rules files like falco -V, then exit")
    List<Path> validate = new ArrayList<>();

    @Option(names = "--engine", description = "with -r: job (the Flink graph on a local MiniCluster, default), local (same batches and keyed detection, no Flink) or direct (one state engine for the whole capture, as Falco)")
    String engine = "job";

    @Option(names = "--batch-events", description = "with -r: events per batch at most (default ${DEFAULT-VALUE})")
    int batchEvents = io.peregrine.engine.CaptureBatches.DEFAULT_MAX_EVENTS;

    @Parameters(index = "0", arity = "0..1", description = "the capture (.scap, plain or gzip)")
    Path capture;

    @Parameters(index = "1..*", arity = "0..*", description = "filter condition (words are joined by blanks)")
    List<String> filter;

    @Override
    public Integer call() {
        if (!rules.isEmpty() || !validate.isEmpty()) {
            return new RulesReplay(System.out, System.err).run(new RulesReplay.Options(rules, validate, capture,
                    onlyTags, notTags, disabledRules, allEvents, configFile, overrides, RulesReplay.Engine.parse(engine),
                    batchEvents));
        }
        if (format == null) {
            System.err.println("replay: give an output format with -p");
            return 2;
        }
        if (capture == null) {
            System.err.println("replay: give a capture");
            return 2;
        }
        FieldCatalog catalog = SyscallFields.catalog();
        OutputFormat output;
        Predicate predicate;
        try {
            // Every event is printed, missing fields as <NA>: the format always behaves as sysdig's
            // '*FORMAT', since an event silently left out is what a user digging through a capture
            // least expects.
            output = OutputFormat.compile(format.startsWith("*") ? format : "*" + format, catalog);
        } catch (UnknownFieldException e) {
            System.err.println("replay: output format: " + e.getMessage());
            return 2;
        }
        try {
            predicate = filter == null || filter.isEmpty() ? ctx -> true
                    : new ConditionCompiler(catalog).compile(ConditionParser.parse(String.join(" ", filter)));
        } catch (ConditionSyntaxException | CompileException e) {
            System.err.println("replay: filter: " + e.getMessage());
            return 2;
        }
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8),
                1 << 16));
        try {
            CaptureReplay.run(capture, internal, context -> {
                if (predicate.test(context)) {
                    String line = output.format(context);
                    if (line != null) {
                        out.println(line);
                    }
                }
            });
        } catch (CaptureFormatException e) {
            out.flush();
            System.err.println("replay: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
        }
        return 0;
    }

    /**
     * Reads {@code -D} as the tool it imitates does: in rules mode ({@code -r} or {@code -V} anywhere
     * on the line) it takes the next word as a rule name, otherwise it is sysdig's flag.
     */
    static final class DashD implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            ReplayCommand command = (ReplayCommand) commandSpec.userObject();
            boolean rulesMode = !command.rules.isEmpty() || !command.validate.isEmpty()
                    || args.contains("-r") || args.contains("-V") || args.contains("--validate");
            if (rulesMode && !args.isEmpty()) {
                command.disabledRules.add(args.pop());
            } else {
                command.internal = true;
            }
        }
    }
}
