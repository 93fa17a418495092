package io.peregrine.job.stream;

import java.io.IOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Reads an encoded EventBatch's time range without decoding its events, for the watermark
 * assigner (which runs in the source, before the keyed operator decodes the whole batch). Relies
 * on the schema's field order: schemaVersion, eventTableVersion, host, containerId, shipperId,
 * sequence, firstTs, lastTs.
 */
final class BatchHeader {

    private BatchHeader() {
    }

    /** The batch's firstTs in milliseconds since epoch, or {@code fallback} when the value is unreadable. */
    static long firstTsMillis(byte[] value, long fallback) {
        if (value == null || value.length == 0) {
            return fallback;
        }
        BinaryDecoder in = DecoderFactory.get().binaryDecoder(value, null);
        try {
            in.readInt();
            in.skipString();
            in.skipString();
            in.skipString();
            in.skipString();
            in.readLong();
            long firstTsNs = in.readLong();
            return firstTsNs > 0 ? firstTsNs / 1_000_000L : fallback;
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }
}
