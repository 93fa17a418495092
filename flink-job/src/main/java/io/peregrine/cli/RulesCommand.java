package io.peregrine.cli;

import picocli.CommandLine.Command;

/** {@code peregrine rules ...}: validate and publish rulesets. */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "Validate and publish rules.")
public final class RulesCommand implements Runnable {

    @Override
    public void run() {
        throw new UnsupportedOperationException("rules: not built yet");
    }
}
