package io.peregrine.shipper.ship;

import io.peregrine.avro.EventTypeSet;
import io.peregrine.event.EventInfo;
import io.peregrine.event.EventTable;
import io.peregrine.shipper.probe.ProbeSupervisor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the control topic and forwards each {@link EventTypeSet} the job publishes to the probe's
 * event-type map. State-changing event types (EF_MODIFIES_STATE: clone, execve, close, connect...)
 * are always kept, since the job's tables depend on them whatever the rules match.
 */
public final class ControlListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlListener.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ProbeSupervisor probe;
    private final Thread thread;
    private volatile Set<String> applied;

    public ControlListener(String bootstrap, String topic, ProbeSupervisor probe) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        // A fresh group each start, from the earliest record: the latest set wins after replay.
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "peregrine-shipper-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        this.probe = probe;
        consumer.subscribe(List.of(topic));
        this.thread = new Thread(this::loop, "control-listener");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The event types this listener last sent to the probe (empty: all), or null before any. */
    public Set<String> applied() {
        return applied;
    }

    /** The probe selection for a set: its names plus every state-changing type; empty means all. */
    public static Set<String> selection(EventTypeSet set) {
        if (set.getAllEvents()) {
            return Set.of();
        }
        Set<String> names = new TreeSet<>(set.getNames());
        for (int id : set.getEventTypes()) {
            EventInfo info = EventTable.get(id);
            if (info != null) {
                names.add(info.name());
            }
        }
        for (EventInfo info : EventTable.all()) {
            if (info != null && info.hasFlag(EventInfo.EF_MODIFIES_STATE) && !info.hasFlag(EventInfo.EF_UNUSED)) {
                names.add(info.name());
            }
        }
        return names;
    }

    private void loop() {
        SpecificDatumReader<EventTypeSet> reader = new SpecificDatumReader<>(EventTypeSet.class);
        try {
            while (true) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        EventTypeSet set = reader.read(null, DecoderFactory.get().binaryDecoder(r.value(), null));
                        Set<String> sel = selection(set);
                        probe.setTypes(sel);
                        applied = sel;
                        LOG.info("ruleset {}: capturing {}", set.getRulesetVersion(), sel.isEmpty() ? "all" : sel);
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("ignoring a control record at offset {}: {}", r.offset(), e.toString());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
