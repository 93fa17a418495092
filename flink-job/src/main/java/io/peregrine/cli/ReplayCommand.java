package io.peregrine.cli;

import picocli.CommandLine.Command;

/** {@code peregrine replay ...}: read a capture, print events or run rules over it. */
@Command(name = "replay", mixinStandardHelpOptions = true, description = "Replay a .scap capture.")
public final class ReplayCommand implements Runnable {

    @Override
    public void run() {
        throw new UnsupportedOperationException("replay: not built yet");
    }
}
