package io.peregrine.shipper.probe;

import java.io.IOException;

/** The probe's stream broke its format; the message names the byte offset. */
public final class ProbeFormatException extends IOException {

    public ProbeFormatException(long offset, String problem) {
        super("probe stream, byte " + offset + ": " + problem);
    }

    public ProbeFormatException(long offset, String problem, Throwable cause) {
        super("probe stream, byte " + offset + ": " + problem, cause);
    }
}
