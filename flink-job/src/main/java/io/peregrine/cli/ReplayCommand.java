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
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code peregrine replay -p FORMAT CAPTURE [FILTER]}: print one line per event like
 * {@code sysdig -r CAPTURE -p FORMAT FILTER}, with FILTER in the rules condition language.
 * ({@code -r RULES} to run a ruleset over the capture comes with the rules engine.)
 */
@Command(name = "replay", mixinStandardHelpOptions = true, description = "Replay a .scap capture.")
public final class ReplayCommand implements Callable<Integer> {

    @Option(names = "-p", description = "sysdig-style output format (%%field; a leading * prints events with missing fields)")
    String format;

    @Option(names = "-r", description = "rules file to run over the capture (not available yet)")
    Path rules;

    @Option(names = "-D", description = "also print internal events (procinfo...), like sysdig -D")
    boolean internal;

    @Parameters(index = "0", description = "the capture (.scap, plain or gzip)")
    Path capture;

    @Parameters(index = "1..*", arity = "0..*", description = "filter condition (words are joined by blanks)")
    List<String> filter;

    @Override
    public Integer call() {
        if (rules != null) {
            System.err.println("replay -r: running rules over a capture is not available yet");
            return 2;
        }
        if (format == null) {
            System.err.println("replay: give an output format with -p");
            return 2;
        }
        FieldCatalog catalog = SyscallFields.catalog();
        OutputFormat output;
        Predicate predicate;
        try {
            output = OutputFormat.compile(format, catalog);
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
}
