package io.peregrine.shipper;

import io.peregrine.shipper.probe.ProbeBinary;
import io.peregrine.shipper.ship.Agent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code peregrine ship --bootstrap HOST:PORT}: runs the probe and ships events to Kafka until Ctrl-C. */
@Command(name = "ship", mixinStandardHelpOptions = true,
        description = "Ship live events to Kafka as EventBatch records keyed host/container, spooling to disk while Kafka is away.")
public final class ShipCommand implements Callable<Integer> {

    @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap servers")
    String bootstrap;

    @Option(names = "--topic", defaultValue = "events", description = "events topic (default ${DEFAULT-VALUE})")
    String topic;

    @Option(names = "--control-topic", defaultValue = "event-types",
            description = "topic the job publishes EventTypeSet on, the job's control-topic (default ${DEFAULT-VALUE}); '' to ignore")
    String controlTopic;

    @Option(names = "--spool-dir", defaultValue = "/var/lib/peregrine/spool", description = "default ${DEFAULT-VALUE}")
    Path spoolDir;

    @Option(names = "--spool-max-mb", defaultValue = "1024", description = "spool bound in MiB (default ${DEFAULT-VALUE})")
    long spoolMaxMb;

    @Option(names = "--batch-events", defaultValue = "500", description = "events per batch at most (default ${DEFAULT-VALUE})")
    int batchEvents;

    @Option(names = "--linger-ms", defaultValue = "200", description = "batch age limit (default ${DEFAULT-VALUE})")
    long lingerMs;

    @Option(names = "--ring-mb", defaultValue = "16", description = "probe ring buffer, MiB (default ${DEFAULT-VALUE})")
    int ringMb;

    @Parameters(paramLabel = "TYPE", arity = "0..*", description = "initial event types (default all)")
    List<String> types = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Agent agent = Agent.start(new Agent.Config(ProbeBinary.require(), bootstrap, topic,
                controlTopic.isEmpty() ? null : controlTopic, spoolDir, spoolMaxMb << 20, batchEvents,
                Duration.ofMillis(lingerMs), ringMb, types, Duration.ofSeconds(30)));
        Thread hook = new Thread(() -> {
            try {
                agent.stop(Duration.ofSeconds(20));
            } catch (Exception e) {
                System.err.println("peregrine: shutdown: " + e);
            }
        }, "ship-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        agent.await();
        return 0;
    }
}
