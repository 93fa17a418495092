package io.peregrine.bench;

import io.peregrine.avro.SyscallEventConversion;
import io.peregrine.capture.ScapReader;
import io.peregrine.event.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding speed of {@link ScapReader} on one core: a whole capture of about a million events per
 * operation (single shot), so events/s = events / (seconds per op). The capture is made at setup
 * with {@code /work/shared/tools/inflate-scap} into /tmp (never committed). How to run and compare
 * with sysdig: schemas/README.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class ScapDecodeBenchmark {

    /**
     * {@code corpus-relative capture:rounds}: the capture whose events are repeated {@code rounds}
     * times. sample.scap (572 events of a 2023 libs: V2 blocks, mostly switch/nanosleep/futex) x1750
     * = 1.0M; cat_write.scap (345 events of 2016: V1 blocks, nparams recomputed) x3000 = 1.04M.
     */
    @Param({"scap/libs/sample.scap:1750", "scap/falco/cat_write.scap:3000"})
    public String input;

    private Path capture;

    @Setup
    public void makeCapture() throws IOException, InterruptedException {
        String source = input.substring(0, input.lastIndexOf(':'));
        String rounds = input.substring(input.lastIndexOf(':') + 1);
        Path corpus = Path.of(System.getProperty("peregrine.corpus", "/work/shared/corpus"));
        capture = Path.of(System.getProperty("java.io.tmpdir"),
                "peregrine-bench-" + Path.of(source).getFileName() + "-x" + rounds + ".scap");
        if (!Files.exists(capture)) {
            Process p = new ProcessBuilder(System.getProperty("peregrine.inflate", "/work/shared/tools/inflate-scap"),
                    corpus.resolve(source).toString(), capture.toString(), rounds).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException("inflate-scap failed");
            }
        }
        System.out.println("\nbenchmark capture: " + capture + " (" + Files.size(capture) + " bytes, "
                + countEvents() + " events)");
    }

    private long countEvents() throws IOException {
        try (ScapReader reader = ScapReader.open(capture)) {
            long n = 0;
            while (reader.next() != null) {
                n++;
            }
            return n;
        }
    }

    /** Reads every event: block framing, header and parameter offsets. */
    @Benchmark
    public long decode(Blackhole bh) throws IOException {
        try (ScapReader reader = ScapReader.open(capture)) {
            long n = 0;
            for (Event e; (e = reader.next()) != null; ) {
                bh.consume(e);
                n++;
            }
            return n;
        }
    }

    /** Reads every event and turns it into the wire form the shipper sends (no serialisation). */
    @Benchmark
    public long decodeToAvro(Blackhole bh) throws IOException {
        try (ScapReader reader = ScapReader.open(capture)) {
            long n = 0;
            for (Event e; (e = reader.next()) != null; ) {
                bh.consume(SyscallEventConversion.toAvro(e));
                n++;
            }
            return n;
        }
    }
}
