package io.peregrine.job.stream;

import io.peregrine.state.ThreadInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;

/**
 * How a thread (with its fd table) is stored in keyed state: Java serialisation of
 * {@link ThreadInfo}, which the state engine keeps {@code Serializable} and evolves with a
 * serialVersionUID. Chosen for robustness over size: every field the state helper adds is kept
 * without a codec to update. A compact hand-written codec is a later optimisation.
 */
final class ThreadCodec {

    private ThreadCodec() {
    }

    static byte[] encode(ThreadInfo thread) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(thread);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ThreadInfo decode(byte[] value) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(value))) {
            return (ThreadInfo) in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("stored thread of an unknown class", e);
        }
    }
}
