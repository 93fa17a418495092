package io.peregrine.job.stream;

import io.peregrine.avro.EventBatch;
import io.peregrine.avro.RulesetRecord;
import io.peregrine.avro.RulesetStatus;
import io.peregrine.avro.EventTypeSet;
import io.peregrine.batch.BatchKey;
import io.peregrine.batch.EventBatchCodec;
import io.peregrine.engine.DetectionSettings;
import io.peregrine.engine.KeyedDetection;
import io.peregrine.job.rules.RulesetActivation;
import io.peregrine.job.rules.RulesetRecords;
import io.peregrine.output.Alert;
import io.peregrine.state.ThreadInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The production detection operator: per (host, container) key, the state engine's tables in keyed
 * state (RocksDB) behind an operator-side cache, the rules from broadcast state. It only moves data
 * between Flink state and the engine ({@link KeyedDetection}); detection logic lives there.
 *
 * <h2>State</h2>
 * <ul>
 *   <li>{@code threads}: MapState tid -> thread with its fd table, written once per touched thread per
 *       batch ({@link CachedThreadStore}), read once per key per task lifetime;</li>
 *   <li>{@code identities}: the key's users, groups and network interfaces;</li>
 *   <li>{@code cleanup-at}: the event time at which an idle key is forgotten (an event-time timer,
 *       pushed forward by each batch); processes that exit are removed by the engine itself, and
 *       threads inactive for the thread timeout by a scan after a batch ({@link ThreadExpiry});</li>
 *   <li>{@code waiting-for-ruleset}: batches that arrived before any ruleset reached the task (they
 *       run when it does, their outputs in arrival order; if the input ends first, an event-time
 *       timer at the end of time turns them into dead letters, so none is ever lost unreported);</li>
 *   <li>broadcast {@code ruleset}: the last good RulesetRecord, so a restore needs nothing from the topic.</li>
 * </ul>
 *
 * <h2>Ruleset swap point</h2>
 * A ruleset record is compiled in {@link #processBroadcastElement}, which Flink never runs
 * concurrently with {@link #processElement} on the same task. A good ruleset replaces the active one
 * there, between two batches: every batch is evaluated entirely by one version, and every alert
 * names the version that produced it. Each parallel task swaps when the record reaches it, so
 * different keys switch at slightly different points of the event stream. A rejected ruleset
 * changes nothing; its status record says why. Key engines pick up the new rules lazily, on their
 * next batch, keeping their tables.
 */
public final class StreamDetectionFunction extends KeyedBroadcastProcessFunction<String, InputBatch, byte[], Alert> {

    private static final long serialVersionUID = 1L;

    /** Broadcast state: "active" -> the encoded RulesetRecord in force. */
    public static final MapStateDescriptor<String, byte[]> RULESET = new MapStateDescriptor<>("ruleset",
            Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    private static final String ACTIVE = "active";

    /** Batches that arrived before any ruleset reached the task, per key, in arrival order. */
    static final org.apache.flink.api.common.state.ListStateDescriptor<InputBatch> WAITING =
            new org.apache.flink.api.common.state.ListStateDescriptor<>("waiting-for-ruleset", TypeInformation.of(InputBatch.class));

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters",
            TypeInformation.of(DeadLetter.class));
    /** Encoded RulesetStatus records (emitted by subtask 0 only, once per ruleset record). */
    public static final OutputTag<byte[]> RULES_STATUS = new OutputTag<>("rules-status",
            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    /** Encoded EventTypeSet records for the probes (subtask 0, once per accepted ruleset). */
    public static final OutputTag<byte[]> EVENT_TYPES = new OutputTag<>("event-types",
            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    /** The event time of the end of input: Flink's final watermark fires timers set here. */
    static final long END_OF_INPUT = Long.MAX_VALUE;

    private final DetectionSettings base;
    private final long idleKeyMillis;
    private final int maxCachedKeys;
    private final long threadTimeoutMillis;

    private transient MapState<Long, byte[]> threads;
    private transient ValueState<byte[]> identities;
    private transient ValueState<Long> cleanupAt;
    /** The shipper instance and sequence of the key's last applied batch (duplicates are skipped). */
    private transient ValueState<String> lastShipper;
    private transient ValueState<Long> lastSequence;
    private transient org.apache.flink.api.common.state.ListState<InputBatch> waiting;
    private transient RulesetActivation active;
    private transient boolean broadcastStateChecked;
    private transient boolean rulesetSeen;
    private transient Map<String, KeyEngine> engines;
    private transient EventBatchCodec codec;
    private transient DetectionMetrics metrics;
    private transient CachedThreadStore.Backing backing;

    /** One key's engine on this task, built for one ruleset version. */
    private record KeyEngine(CachedThreadStore store, KeyedDetection detection, String version, ThreadExpiry expiry) {
    }

    /**
     * @param base rule selection, -A and hostname for every ruleset (its rules files are ignored)
     * @param idleKeyMillis event time after a key's last batch at which its state is dropped
     * @param maxCachedKeys keys whose tables stay in operator memory (least recently used evicted;
     *     evicting is safe because keyed state is always up to date after a batch)
     */
    public StreamDetectionFunction(DetectionSettings base, long idleKeyMillis, int maxCachedKeys) {
        this(base, idleKeyMillis, maxCachedKeys, 0);
    }

    /**
     * @param threadTimeoutMillis event time without an event after which a thread leaves the table;
     *     0 never expires threads, as libsinsp reading a capture file (it purges only live; a replay
     *     must pass 0 to print what Falco prints), the production job passes {@code thread-timeout-ms}
     */
    public StreamDetectionFunction(DetectionSettings base, long idleKeyMillis, int maxCachedKeys, long threadTimeoutMillis) {
        this.base = base;
        this.idleKeyMillis = idleKeyMillis;
        this.maxCachedKeys = maxCachedKeys;
        this.threadTimeoutMillis = threadTimeoutMillis;
    }

    @Override
    public void open(OpenContext context) {
        threads = getRuntimeContext().getMapState(new MapStateDescriptor<>("threads", Types.LONG,
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        identities = getRuntimeContext().getState(new ValueStateDescriptor<>("identities",
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        cleanupAt = getRuntimeContext().getState(new ValueStateDescriptor<>("cleanup-at", Types.LONG));
        lastShipper = getRuntimeContext().getState(new ValueStateDescriptor<>("last-shipper", Types.STRING));
        lastSequence = getRuntimeContext().getState(new ValueStateDescriptor<>("last-sequence", Types.LONG));
        waiting = getRuntimeContext().getListState(WAITING);
        codec = new EventBatchCodec();
        metrics = new DetectionMetrics(getRuntimeContext().getMetricGroup());
        engines = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, KeyEngine> eldest) {
                if (size() > maxCachedKeys) {
                    metrics.trackedThreads -= eldest.getValue().store().size();
                    return true;
                }
                return false;
            }
        };
        active = RulesetActivation.compile(RulesetRecords.of(Map.of(), "none", "no ruleset yet"), base);
        backing = new CachedThreadStore.Backing() {
            @Override
            public void put(long tid, ThreadInfo thread) throws Exception {
                threads.put(tid, ThreadCodec.encode(thread));
            }

            @Override
            public void remove(long tid) throws Exception {
                threads.remove(tid);
            }
        };
    }

    @Override
    public void processElement(InputBatch in, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        restoreRuleset(ctx.getBroadcastState(RULESET));
        if (!rulesetSeen) {
            // No ruleset has reached this task yet (first start, or a restore from a checkpoint
            // taken before the first ruleset): the batch waits in keyed state, and the arrival of
            // the ruleset runs every waiting batch in order. Evaluating now would miss detections.
            waiting.add(in);
            ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
            return;
        }
        long lastTsMillis = process(in, ctx.getCurrentKey(), out, d -> ctx.output(DEAD_LETTERS, d),
                ctx.timerService().currentWatermark());
        if (lastTsMillis != Long.MIN_VALUE) {
            scheduleCleanup(ctx, lastTsMillis);
        }
    }

    /** Decodes, checks and applies one batch; returns its last event time (ms), or MIN_VALUE when dead-lettered. */
    private long process(InputBatch in, String flinkKey, Collector<Alert> out,
            java.util.function.Consumer<DeadLetter> deadLetters, long watermark) throws Exception {
        EventBatch batch;
        try {
            batch = codec.decode(in.value == null ? new byte[0] : in.value);
        } catch (IllegalArgumentException e) {
            deadLetter(deadLetters, in, e.getMessage());
            return Long.MIN_VALUE;
        }
        String key = new BatchKey(batch.getHost().toString(), batch.getContainerId().toString()).asString();
        if (!key.equals(in.key)) {
            deadLetter(deadLetters, in, "record key '" + in.key + "' does not match the batch's host/container '" + key + "'");
            return Long.MIN_VALUE;
        }
        if (repeatsAppliedBatch(batch)) {
            metrics.duplicateBatches.inc();
            return Long.MIN_VALUE;
        }
        metrics.batchesIn.inc();
        if (batch.getStats() != null) {
            metrics.captured(batch.getStats());
        }
        metrics.eventsIn.inc(batch.getEvents().size());
        if (batch.getLastTs() / 1_000_000L < watermark) {
            metrics.lateEvents.inc(batch.getEvents().size());
        }
        KeyEngine engine = engine(flinkKey, batch);
        int before = engine.store().size();
        long start = System.nanoTime();
        try {
            engine.detection().apply(batch, alert -> {
                metrics.matched(alert);
                out.collect(alert);
            });
        } catch (RuntimeException e) {
            // A batch the engine cannot apply must not stop the fleet's detection: it goes to the
            // dead-letter topic; what it had already changed in the tables stays (as for a live
            // capture that lost events).
            deadLetter(deadLetters, in, "detection failed: " + e);
        }
        if (!batch.getEvents().isEmpty()) {
            metrics.nanosPerEvent.update((System.nanoTime() - start) / batch.getEvents().size());
        }
        engine.expiry().afterBatch(engine.detection().state(), batch.getLastTs());
        metrics.stateWrites.inc(engine.store().flush(backing));
        metrics.trackedThreads += engine.store().size() - before;
        return batch.getLastTs() / 1_000_000L;
    }

    /**
     * Whether the batch is one the key already applied (the shipper's at-least-once spool may send
     * it again); otherwise it becomes the key's last batch, and a gap in its sequence is counted.
     */
    private boolean repeatsAppliedBatch(EventBatch batch) throws Exception {
        String shipper = batch.getShipperId().toString();
        long sequence = batch.getSequence();
        if (!BatchSequence.tracked(shipper, sequence)) {
            return false;
        }
        String previousShipper = lastShipper.value();
        Long previousSequence = lastSequence.value();
        if (previousShipper != null && previousSequence != null) {
            BatchSequence last = new BatchSequence(previousShipper, previousSequence);
            if (last.repeatedBy(shipper, sequence)) {
                return true;
            }
            metrics.missingBatches.inc(last.missingBefore(shipper, sequence));
        }
        lastShipper.update(shipper);
        lastSequence.update(sequence);
        return false;
    }

    /** The key's engine for the active ruleset: cached, or rebuilt from keyed state. */
    private KeyEngine engine(String key, EventBatch batch) throws Exception {
        KeyEngine cached = engines.get(key);
        if (KeyIdentities.carriesIdentities(batch)) {
            byte[] stored = identities.value();
            identities.update(codec.encode(KeyIdentities.merge(stored == null ? null : codec.decode(stored), batch)));
        }
        if (cached != null && cached.version().equals(active.version())) {
            return cached;
        }
        byte[] stored = identities.value();
        EventBatch known = stored == null ? null : codec.decode(stored);
        CachedThreadStore store = cached != null ? cached.store() : load();
        if (cached == null) {
            metrics.trackedThreads += store.size();
        }
        // Alerts carry the key's host, as Falco's carry the host it runs on.
        KeyedDetection detection = new KeyedDetection(store, active.rules(),
                active.settings().withHostname(batch.getHost().toString()));
        if (known != null) {
            detection.apply(known, alert -> { });
        }
        KeyEngine engine = new KeyEngine(store, detection, active.version(),
                cached != null ? cached.expiry() : new ThreadExpiry(threadTimeoutMillis));
        engines.put(key, engine);
        metrics.cachedKeys = engines.size();
        return engine;
    }

    private CachedThreadStore load() throws Exception {
        CachedThreadStore store = new CachedThreadStore();
        for (Map.Entry<Long, byte[]> e : threads.entries()) {
            store.load(ThreadCodec.decode(e.getValue()));
        }
        return store;
    }

    /** Keeps one event-time timer per key, moved forward only when it would fire too early. */
    private void scheduleCleanup(ReadOnlyContext ctx, long lastTsMillis) throws Exception {
        long deadline = lastTsMillis + idleKeyMillis;
        Long current = cleanupAt.value();
        if (current != null && deadline - current < idleKeyMillis / 10) {
            return;
        }
        if (current != null) {
            ctx.timerService().deleteEventTimeTimer(current);
        }
        ctx.timerService().registerEventTimeTimer(deadline);
        cleanupAt.update(deadline);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        if (timestamp == END_OF_INPUT) {
            deadLetterWaiting(ctx);
        }
        if (!Objects.equals(cleanupAt.value(), timestamp)) {
            return;
        }
        // The key saw no batch for idleKeyMillis of event time: the container is gone (or the host
        // stopped shipping); its tables are dropped.
        threads.clear();
        identities.clear();
        cleanupAt.clear();
        lastShipper.clear();
        lastSequence.clear();
        KeyEngine engine = engines.remove(ctx.getCurrentKey());
        if (engine != null) {
            metrics.trackedThreads -= engine.store().size();
        }
        metrics.cachedKeys = engines.size();
    }

    @Override
    public void processBroadcastElement(byte[] value, Context ctx, Collector<Alert> out) throws Exception {
        BroadcastState<String, byte[]> state = ctx.getBroadcastState(RULESET);
        restoreRuleset(state);
        RulesetRecord record;
        RulesetActivation attempt;
        try {
            record = RulesetRecords.decode(value);
            attempt = RulesetActivation.compile(record, base);
        } catch (IllegalArgumentException e) {
            attempt = new RulesetActivation("", null, null, List.of(e.getMessage()), List.of(),
                    Map.of());
        }
        if (attempt.ok()) {
            state.put(ACTIVE, value);
            boolean first = !rulesetSeen;
            activate(attempt);
            if (first) {
                drainWaiting(ctx, out);
            }
        } else {
            metrics.rulesetsRejected.inc();
        }
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            RulesetStatus status = attempt.status(active.version(),
                    getRuntimeContext().getJobInfo().getJobName() + "#" + getRuntimeContext().getJobInfo().getJobId());
            ctx.output(RULES_STATUS, RulesetRecords.AvroBytes.encode(status, new SpecificDatumWriter<>(RulesetStatus.class)));
            if (attempt.ok()) {
                ctx.output(EVENT_TYPES, RulesetRecords.AvroBytes.encode(attempt.eventTypeSet(),
                        new SpecificDatumWriter<>(EventTypeSet.class)));
            }
        }
    }

    /**
     * Runs the batches that waited for the first ruleset, key by key, each key's in arrival order.
     * Keys are independent, so this gives the alerts that running them in arrival order would; only
     * the interleaving of keys differs. That interleaving is restored by releasing the outputs in the
     * order of their batch's offset (stable): a replay's capture source numbers its batches in capture
     * order, so its alerts stay in capture order whichever of its two sources Flink reads first.
     * Their idle cleanup timer is set by the key's next batch (no timers can be set from the
     * broadcast side).
     */
    private void drainWaiting(Context ctx, Collector<Alert> out) throws Exception {
        List<Drained> outputs = new ArrayList<>();
        ctx.applyToKeyedState(WAITING, (key, state) -> {
            List<InputBatch> batches = new ArrayList<>();
            for (InputBatch b : state.get()) {
                batches.add(b);
            }
            state.clear();
            for (InputBatch b : batches) {
                process(b, key, Drained.collector(b.offset, outputs), d -> outputs.add(new Drained(b.offset, null, d)),
                        Long.MIN_VALUE);
            }
        });
        outputs.sort(java.util.Comparator.comparingLong(Drained::offset));
        for (Drained d : outputs) {
            if (d.alert() != null) {
                out.collect(d.alert());
            } else {
                ctx.output(DEAD_LETTERS, d.deadLetter());
            }
        }
    }

    /** An output of a waiting batch, held until every waiting batch has run. */
    private record Drained(long offset, Alert alert, DeadLetter deadLetter) {
        static Collector<Alert> collector(long offset, List<Drained> outputs) {
            return new Collector<>() {
                @Override
                public void collect(Alert alert) {
                    outputs.add(new Drained(offset, alert, null));
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /**
     * The input ended (Flink's final watermark) while batches still waited for a ruleset: none will
     * come, so they go to the dead letters with the reason instead of vanishing with the job.
     */
    private void deadLetterWaiting(OnTimerContext ctx) throws Exception {
        Iterable<InputBatch> batches = waiting.get();
        if (batches == null) {
            return;
        }
        for (InputBatch b : batches) {
            deadLetter(d -> ctx.output(DEAD_LETTERS, d), b,
                    "the input ended before any ruleset reached the job; the batch was never evaluated");
        }
        waiting.clear();
    }

    /** After a restore, the broadcast state holds the last good ruleset: compile it once per task. */
    private void restoreRuleset(ReadOnlyBroadcastState<String, byte[]> state) throws Exception {
        if (broadcastStateChecked) {
            return;
        }
        broadcastStateChecked = true;
        byte[] stored = state.get(ACTIVE);
        if (stored != null) {
            RulesetActivation restored = RulesetActivation.compile(RulesetRecords.decode(stored), base);
            if (restored.ok()) {
                activate(restored);
            }
        }
    }

    private void activate(RulesetActivation activation) {
        active = activation;
        rulesetSeen = true;
        metrics.rulesetVersion = activation.version();
    }

    private void deadLetter(java.util.function.Consumer<DeadLetter> deadLetters, InputBatch in, String reason) {
        metrics.deadLetters.inc();
        deadLetters.accept(DeadLetter.of(in, reason));
    }
}
