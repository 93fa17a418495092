package io.peregrine.shipper.ship;

import io.peregrine.avro.EventBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/** EventBatch to the bytes of a Kafka record value: plain Avro binary, no header. Not thread-safe. */
public final class BatchCodec {

    private final SpecificDatumWriter<EventBatch> writer = new SpecificDatumWriter<>(EventBatch.class);
    private BinaryEncoder encoder;

    public byte[] encode(EventBatch batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        encoder = EncoderFactory.get().binaryEncoder(out, encoder);
        try {
            writer.write(batch, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
