package io.peregrine.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The job-side commands behind {@code bin/peregrine}: rules, replay, submit, bench.
 *
 * <p>Each subcommand is its own class; this one only wires them together.
 */
@Command(name = "peregrine", mixinStandardHelpOptions = true, version = "peregrine 0.1.0",
        description = "Falco-grade runtime security on Apache Flink.",
        subcommands = {RulesCommand.class, ReplayCommand.class, SubmitCommand.class})
public final class PeregrineCli implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new PeregrineCli()).execute(args));
    }
}
