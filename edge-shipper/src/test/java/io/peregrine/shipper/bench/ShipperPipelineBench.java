package io.peregrine.shipper.bench;

import io.peregrine.batch.EventBatchCodec;
import io.peregrine.batch.HostBatcher;
import io.peregrine.capture.ScapProcess;
import io.peregrine.event.EventTable;
import io.peregrine.shipper.probe.FrameReader;
import io.peregrine.shipper.probe.ProbeFrame;
import io.peregrine.shipper.ship.ThreadTable;
import io.peregrine.shipper.ship.ThreadTableView;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Events per second one core of the shipper sustains: probe frames decoded, the thread table
 * updated, events batched per host and container (1000 threads in 10 containers) and batches
 * encoded to Avro, i.e. everything but the disk and network writes. Score = events/s (one thread).
 *
 * <p>Run: {@code edge-shipper/bench ShipperPipelineBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class ShipperPipelineBench {

    static final int EVENTS = 100_000;

    private byte[] stream;
    private ThreadTable threads;
    private EventBatchCodec codec;
    private HostBatcher batcher;
    private long bytesOut;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        List<ScapProcess> snapshot = new ArrayList<>();
        for (int tid = 1000; tid < 2000; tid++) {
            String cg = "memory=/docker/" + String.format("%064x", tid % 10);
            snapshot.add(ScapProcess.builder().tid(tid).pid(tid).ptid(1).comm("worker").exe("/usr/bin/worker")
                    .cgroups(List.of(cg)).build());
        }
        snapshot.add(ScapProcess.builder().tid(1).pid(1).ptid(0).comm("init").build());
        threads = new ThreadTable(null, snapshot);
        codec = new EventBatchCodec();
        batcher = new HostBatcher("bench-host", "bench", 0, HostBatcher.Mode.PER_KEY, 500, 512 * 1024,
                new ThreadTableView(threads), b -> bytesOut += codec.encode(b).length);
        stream = syntheticStream();
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void decodeBatchEncode(Blackhole bh) throws IOException {
        FrameReader r = new FrameReader(new ByteArrayInputStream(stream));
        long now = 0;
        for (ProbeFrame f = r.next(); f != null; f = r.next()) {
            if (f instanceof ProbeFrame.EventFrame ef) {
                threads.apply(ef.event());
                batcher.add(ef.event(), now++);
            }
        }
        batcher.flush();
        bh.consume(bytesOut);
    }

    /** Alternating openat enter/exit events of /etc/passwd-like paths from 1000 threads. */
    static byte[] syntheticStream() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'P', 'G', 'P', 'F', 1, 0, 0, 0});
        int enter = EventTable.id("PPME_SYSCALL_OPENAT_2_E");
        int exit = EventTable.id("PPME_SYSCALL_OPENAT_2_X");
        for (int i = 0; i < EVENTS; i++) {
            long tid = 1000 + (i / 2) % 1000;
            byte[] path = ("/var/lib/app/data/file-" + (i % 97) + ".db\0").getBytes(StandardCharsets.UTF_8);
            byte[][] params = i % 2 == 0
                    ? new byte[][] {le(-100, 8), path, le(1, 4), le(0, 4)}
                    : new byte[][] {le(5, 8), le(-100, 8), path, le(1, 4), le(0, 4), le(0, 4)};
            byte[] evt = event(i % 2 == 0 ? enter : exit, tid, 1_700_000_000_000_000_000L + i, params);
            ByteBuffer f = ByteBuffer.allocate(7 + evt.length).order(ByteOrder.LITTLE_ENDIAN);
            f.putInt(evt.length + 3).put((byte) ProbeFrame.EVENT).putShort((short) 0).put(evt);
            out.writeBytes(f.array());
        }
        return out.toByteArray();
    }

    static byte[] event(int type, long tid, long ts, byte[][] params) {
        int len = 26 + 2 * params.length;
        for (byte[] p : params) {
            len += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(ts).putLong(tid).putInt(len).putShort((short) type).putInt(params.length);
        for (byte[] p : params) {
            b.putShort((short) p.length);
        }
        for (byte[] p : params) {
            b.put(p);
        }
        return b.array();
    }

    static byte[] le(long v, int width) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
        byte[] out = new byte[width];
        System.arraycopy(b.array(), 0, out, 0, width);
        return out;
    }

    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(ShipperPipelineBench.class.getSimpleName()).build()).run();
    }
}
