package io.peregrine.job.stream;

import io.peregrine.avro.SyscallEvent;
import io.peregrine.avro.SyscallEventConversion;
import io.peregrine.job.rules.RulesetRecords;
import io.peregrine.state.ThreadInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * How a thread (with its fd table) is stored in keyed state: Java serialisation of
 * {@link ThreadInfo}, which the state engine keeps {@code Serializable} and evolves with a
 * serialVersionUID, followed by the thread's pending enter event (transient in ThreadInfo) as an
 * Avro SyscallEvent, so that an exit whose enter came in the previous batch still pairs with it
 * after a restore. Chosen for robustness over size: every field the state helper adds is kept
 * without a codec to update. A compact hand-written codec is a later optimisation.
 */
final class ThreadCodec {

    private ThreadCodec() {
    }

    static byte[] encode(ThreadInfo thread) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(thread);
            if (thread.lastEnter == null) {
                out.writeInt(-1);
            } else {
                byte[] enter = RulesetRecords.AvroBytes.encode(SyscallEventConversion.toAvro(thread.lastEnter),
                        new SpecificDatumWriter<>(SyscallEvent.class));
                out.writeInt(enter.length);
                out.write(enter);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ThreadInfo decode(byte[] value) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(value))) {
            ThreadInfo thread = (ThreadInfo) in.readObject();
            int enterLength = in.readInt();
            if (enterLength >= 0) {
                byte[] enter = in.readNBytes(enterLength);
                thread.lastEnter = SyscallEventConversion.toEvent(RulesetRecords.AvroBytes.decode(enter,
                        new SpecificDatumReader<>(SyscallEvent.class), "SyscallEvent"));
            }
            return thread;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("stored thread of an unknown class", e);
        }
    }
}
