package io.peregrine.shipper;

import io.peregrine.shipper.capture.CaptureCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The host agent's command line: {@code capture} (to a .scap file) and {@code ship} (to Kafka). */
@Command(name = "peregrine", mixinStandardHelpOptions = true, subcommands = {CaptureCommand.class, ShipCommand.class},
        description = "Peregrine's edge shipper: runs the eBPF probe on this host.")
public final class ShipperCli {

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new ShipperCli());
        // Operational failures (no probe, no root, Kafka down at start) get one clear line, not a trace.
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("peregrine: " + e.getMessage());
            return 1;
        });
        System.exit(cli.execute(args));
    }
}
