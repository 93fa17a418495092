package io.peregrine.cli.local;

import io.peregrine.avro.EventBatch;
import java.io.IOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Reads only what the status line needs from an EventBatch record: how many events it holds and
 * the drops its CaptureStats report. Avro schema resolution skips everything else, so the console
 * keeps up with a busy host at a fraction of the cost of decoding whole batches.
 */
public final class BatchCounts {

    /** Events in a batch and the drops its capture counters report (0 without counters). */
    public record Counts(long events, long drops) {
    }

    private final GenericDatumReader<GenericRecord> reader =
            new GenericDatumReader<>(EventBatch.getClassSchema(), projection(EventBatch.getClassSchema()));
    private BinaryDecoder decoder;

    /** The counts of one encoded batch; a value that is no EventBatch is an {@link IllegalArgumentException}. */
    public Counts read(byte[] value) {
        decoder = DecoderFactory.get().binaryDecoder(value, decoder);
        try {
            GenericRecord r = reader.read(null, decoder);
            long events = ((List<?>) r.get("events")).size();
            GenericRecord stats = (GenericRecord) r.get("stats");
            return new Counts(events, stats == null ? 0 : (Long) stats.get("drops"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not an EventBatch (" + value.length + " bytes): " + e.getMessage(), e);
        }
    }

    /** EventBatch with only {@code events} (as empty records) and {@code stats}. */
    static Schema projection(Schema batch) {
        Schema item = batch.getField("events").schema().getElementType();
        Schema emptyItem = Schema.createRecord(item.getName(), null, item.getNamespace(), false, List.of());
        Schema.Field events = new Schema.Field("events", Schema.createArray(emptyItem));
        Schema.Field stats = new Schema.Field("stats", batch.getField("stats").schema(), null, Schema.Field.NULL_DEFAULT_VALUE);
        return Schema.createRecord(batch.getName(), null, batch.getNamespace(), false, List.of(events, stats));
    }
}
