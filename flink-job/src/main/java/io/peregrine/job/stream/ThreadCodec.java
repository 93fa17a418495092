package io.peregrine.job.stream;

import io.peregrine.avro.SyscallEvent;
import io.peregrine.avro.SyscallEventConversion;
import io.peregrine.job.rules.RulesetRecords;
import io.peregrine.state.ThreadInfo;
import io.peregrine.state.ThreadInfoCodec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.UncheckedIOException;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * How a thread (with its fd table and pending enter event) is stored in the {@code threads} map
 * state: written in {@link ThreadInfoCodec}'s compact versioned layout; read in that layout or in
 * the one this job wrote before it (format 0: Java serialisation of ThreadInfo, then the pending
 * enter event as a length-prefixed Avro SyscallEvent), so savepoints taken by an older job restore.
 * A restored thread is rewritten in the new layout the first time a batch touches it.
 */
final class ThreadCodec {

    /** The first byte of a Java serialisation stream (0xACED): format 0. */
    private static final byte JAVA_SERIALISATION = (byte) 0xAC;

    private ThreadCodec() {
    }

    static byte[] encode(ThreadInfo thread) {
        return ThreadInfoCodec.encode(thread);
    }

    static ThreadInfo decode(byte[] value) {
        if (value.length > 0 && value[0] == JAVA_SERIALISATION) {
            return decodeFormat0(value);
        }
        return ThreadInfoCodec.decode(value);
    }

    private static ThreadInfo decodeFormat0(byte[] value) {
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
