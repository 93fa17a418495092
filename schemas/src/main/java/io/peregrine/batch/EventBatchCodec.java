package io.peregrine.batch;

import io.peregrine.avro.EventBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Plain Avro binary encoding of an {@link EventBatch} (no header), the value format of the
 * "events" topic. Not thread-safe: one codec per thread or operator instance.
 */
public final class EventBatchCodec {

    private final SpecificDatumWriter<EventBatch> writer = new SpecificDatumWriter<>(EventBatch.class);
    private final SpecificDatumReader<EventBatch> reader = new SpecificDatumReader<>(EventBatch.class);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    public byte[] encode(EventBatch batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        encoder = EncoderFactory.get().binaryEncoder(out, encoder);
        try {
            writer.write(batch, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Decodes one batch; a malformed value is an {@link IllegalArgumentException}. */
    public EventBatch decode(byte[] value) {
        decoder = DecoderFactory.get().binaryDecoder(value, decoder);
        try {
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not an EventBatch (" + value.length + " bytes): " + e.getMessage(), e);
        }
    }
}
