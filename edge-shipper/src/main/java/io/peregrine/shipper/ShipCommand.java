package io.peregrine.shipper;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code peregrine ship}: runs the probe and ships events to Kafka (see io.peregrine.shipper.kafka). */
@Command(name = "ship", mixinStandardHelpOptions = true, description = "Ship live events to Kafka.")
public final class ShipCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("peregrine: ship is not available yet in this build");
        return 2;
    }
}
