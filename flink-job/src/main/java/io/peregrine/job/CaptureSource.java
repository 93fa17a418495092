package io.peregrine.job;

import io.peregrine.avro.EventBatch;
import io.peregrine.batch.BatchKey;
import io.peregrine.batch.EventBatchCodec;
import io.peregrine.engine.CaptureBatches;
import io.peregrine.job.stream.InputBatch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceEnumerator;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceReader;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceSplit;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A capture file as a bounded source of {@link InputBatch}es: key {@code host/container} and Avro
 * EventBatch, the same records the Kafka "events" topic carries, cut by the shared whole-host
 * batcher ({@link CaptureBatches}). Each batch's origin is the capture's file name, partition 0 and
 * the batch's position in the capture as offset, which is what keeps the replay's alerts in capture
 * order. One split per capture; a checkpoint records how many batches were emitted, and a restore
 * re-reads the capture and skips them (the batching is deterministic).
 */
public final class CaptureSource implements Source<InputBatch, CaptureSource.Split, Collection<CaptureSource.Split>>,
        ResultTypeQueryable<InputBatch> {

    private static final long serialVersionUID = 1L;

    private final String capture;
    private final String host;
    private final int maxEvents;

    public CaptureSource(Path capture, String host, int maxEvents) {
        this.capture = capture.toAbsolutePath().toString();
        this.host = host;
        this.maxEvents = maxEvents;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<InputBatch, Split> createReader(SourceReaderContext context) {
        return new IteratorSourceReader<>(context);
    }

    @Override
    public SplitEnumerator<Split, Collection<Split>> createEnumerator(SplitEnumeratorContext<Split> context) {
        return new IteratorSourceEnumerator<>(context, List.of(new Split(capture, host, maxEvents, 0)));
    }

    @Override
    public SplitEnumerator<Split, Collection<Split>> restoreEnumerator(SplitEnumeratorContext<Split> context,
            Collection<Split> checkpoint) {
        return new IteratorSourceEnumerator<>(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<Split> getSplitSerializer() {
        return new SplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<Collection<Split>> getEnumeratorCheckpointSerializer() {
        return new CheckpointSerializer();
    }

    @Override
    public TypeInformation<InputBatch> getProducedType() {
        return TypeInformation.of(InputBatch.class);
    }

    /** The capture, and how many of its batches were already emitted. */
    public record Split(String capture, String host, int maxEvents, long emitted)
            implements IteratorSourceSplit<InputBatch, Batches> {

        @Override
        public String splitId() {
            return capture;
        }

        @Override
        public Batches getIterator() {
            try {
                Batches b = new Batches(CaptureBatches.open(Path.of(capture), host, maxEvents),
                        String.valueOf(Path.of(capture).getFileName()));
                for (long i = 0; i < emitted && b.hasNext(); i++) {
                    b.next();
                }
                return b;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public IteratorSourceSplit<InputBatch, Batches> getUpdatedSplitForIterator(Batches iterator) {
            return new Split(capture, host, maxEvents, iterator.emitted);
        }
    }

    /** The capture's batches, encoded, with their key and position; closes the capture at its end. */
    public static final class Batches implements Iterator<InputBatch> {
        private final CaptureBatches batches;
        private final String name;
        private final EventBatchCodec codec = new EventBatchCodec();
        private long emitted;

        Batches(CaptureBatches batches, String name) {
            this.batches = batches;
            this.name = name;
        }

        @Override
        public boolean hasNext() {
            boolean more = batches.hasNext();
            if (!more) {
                batches.close();
            }
            return more;
        }

        @Override
        public InputBatch next() {
            EventBatch b = batches.next();
            String key = new BatchKey(b.getHost(), b.getContainerId()).asString();
            return new InputBatch(key, codec.encode(b), name, 0, emitted++);
        }
    }

    static final class SplitSerializer implements SimpleVersionedSerializer<Split> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Split s) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                write(out, s);
            }
            return bytes.toByteArray();
        }

        static void write(DataOutputStream out, Split s) throws IOException {
            out.writeUTF(s.capture());
            out.writeUTF(s.host());
            out.writeInt(s.maxEvents());
            out.writeLong(s.emitted());
        }

        static Split read(DataInputStream in) throws IOException {
            return new Split(in.readUTF(), in.readUTF(), in.readInt(), in.readLong());
        }

        @Override
        public Split deserialize(int version, byte[] serialized) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                return read(in);
            }
        }
    }

    static final class CheckpointSerializer implements SimpleVersionedSerializer<Collection<Split>> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Collection<Split> splits) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(splits.size());
                for (Split s : splits) {
                    SplitSerializer.write(out, s);
                }
            }
            return bytes.toByteArray();
        }

        @Override
        public Collection<Split> deserialize(int version, byte[] serialized) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                int n = in.readInt();
                List<Split> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    out.add(SplitSerializer.read(in));
                }
                return out;
            }
        }
    }
}
