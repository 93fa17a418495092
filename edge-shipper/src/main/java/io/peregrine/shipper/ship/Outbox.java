package io.peregrine.shipper.ship;

import io.peregrine.avro.EventBatch;
import io.peregrine.batch.BatchKey;
import io.peregrine.batch.EventBatchCodec;
import io.peregrine.shipper.spool.Spool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every batch goes through the durable spool and a sender thread moves the spool's head to Kafka,
 * acknowledging a record only once Kafka has it. So Kafka being down simply lets the spool grow
 * (within its bound) and its coming back replays everything in order; what the full spool refuses
 * is counted ({@link #droppedEvents()}) and reported in the next batches' CaptureStats.
 *
 * <p>Values are EventBatch in plain Avro binary encoding; keys are {@code host/container}.
 */
public final class Outbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final Spool spool;
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final Duration sendTimeout;
    private final Thread sender;
    private final Object signal = new Object();
    private final EventBatchCodec codec = new EventBatchCodec();
    private final AtomicLong batchesSent = new AtomicLong();
    private final AtomicLong eventsSent = new AtomicLong();
    private final AtomicLong droppedBatches = new AtomicLong();
    private final AtomicLong droppedEvents = new AtomicLong();
    private final AtomicLong maxSpoolBytes = new AtomicLong();
    private volatile boolean kafkaUp = true;
    private volatile boolean closing;

    public Outbox(Spool spool, Producer<byte[], byte[]> producer, String topic, Duration sendTimeout) {
        this.spool = spool;
        this.producer = producer;
        this.topic = topic;
        this.sendTimeout = sendTimeout;
        this.sender = new Thread(this::sendLoop, "outbox-sender");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /**
     * Queues a batch under its key ({@link BatchKey#asString()}); false when the spool is full and
     * the batch was dropped (and counted).
     */
    public boolean offer(EventBatch batch) {
        byte[] key = new BatchKey(batch.getHost(), batch.getContainerId()).asString().getBytes(StandardCharsets.UTF_8);
        byte[] value = codec.encode(batch);
        boolean ok;
        try {
            ok = spool.append(key, value);
        } catch (IOException e) {
            LOG.error("spool write failed, dropping a batch of {} events", batch.getEvents().size(), e);
            ok = false;
        }
        if (!ok) {
            countDropped(batch.getEvents().size());
        }
        maxSpoolBytes.accumulateAndGet(spool.bytes(), Math::max);
        synchronized (signal) {
            signal.notifyAll();
        }
        return ok;
    }

    private void sendLoop() {
        long backoffMs = 100;
        while (true) {
            Spool.Entry e;
            try {
                e = spool.peek();
            } catch (IOException ex) {
                LOG.error("spool read failed", ex);
                sleep(1000);
                continue;
            }
            if (e == null) {
                if (closing) {
                    return;
                }
                synchronized (signal) {
                    try {
                        signal.wait(50);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
                continue;
            }
            try {
                producer.send(new ProducerRecord<>(topic, e.key(), e.value())).get(sendTimeout.toMillis(),
                        TimeUnit.MILLISECONDS);
                spool.ack();
                batchesSent.incrementAndGet();
                if (!kafkaUp) {
                    LOG.info("Kafka reachable again; replaying {} spooled batches", spool.size());
                }
                kafkaUp = true;
                backoffMs = 100;
            } catch (InterruptedException ie) {
                return;
            } catch (Exception ex) {
                if (refusedForGood(ex)) {
                    dropUnsendable(e, ex);
                    continue;
                }
                if (kafkaUp) {
                    LOG.warn("Kafka unreachable ({}); spooling to disk", ex.toString());
                }
                kafkaUp = false;
                if (closing) {
                    return; // what is left stays spooled for the next start
                }
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 2000);
            }
        }
    }

    /**
     * Whether Kafka refuses this record itself rather than being away: retrying would block every
     * batch spooled behind it for ever.
     */
    private static boolean refusedForGood(Exception ex) {
        Throwable cause = ex instanceof ExecutionException && ex.getCause() != null ? ex.getCause() : ex;
        return cause instanceof RecordTooLargeException || cause instanceof InvalidRecordException;
    }

    /** Drops a record Kafka will never take, counting its events so the next CaptureStats report them. */
    private void dropUnsendable(Spool.Entry e, Exception why) {
        int events;
        try {
            events = codec.decode(e.value()).getEvents().size();
        } catch (RuntimeException undecodable) {
            events = 0;
        }
        LOG.error("Kafka refuses a batch of {} bytes ({} events) for good, dropping and counting it: {}",
                e.value().length, events, why.toString());
        countDropped(events);
        try {
            spool.ack();
        } catch (IOException ex) {
            LOG.error("spool ack failed", ex);
        }
    }

    /** One lost batch, reported through {@link #droppedEvents()} in the next CaptureStats. */
    private void countDropped(int events) {
        droppedBatches.incrementAndGet();
        droppedEvents.addAndGet(events);
    }

    /** Whether the last send attempt succeeded. */
    public boolean kafkaUp() {
        return kafkaUp;
    }

    public long batchesSent() {
        return batchesSent.get();
    }

    public long droppedBatches() {
        return droppedBatches.get();
    }

    public long droppedEvents() {
        return droppedEvents.get();
    }

    /** Spooled (not yet acknowledged by Kafka) batches. */
    public long pending() {
        return spool.size();
    }

    public long spoolBytes() {
        return spool.bytes();
    }

    /** The most the spool held since start (to check it kept its bound). */
    public long maxSpoolBytes() {
        return maxSpoolBytes.get();
    }

    /** Sends what is spooled, waiting at most {@code timeout}; the rest stays on disk for the next start. */
    @Override
    public void close() throws IOException {
        close(Duration.ofSeconds(30));
    }

    public void close(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!spool.isEmpty() && System.nanoTime() < deadline && kafkaUp) {
            sleep(20);
        }
        closing = true;
        synchronized (signal) {
            signal.notifyAll();
        }
        try {
            sender.join(Math.max(1, sendTimeout.toMillis() + 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        spool.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
