package io.peregrine.capture;

/**
 * The machine info block (MI) of a capture: libscap's {@code scap_machine_info}. Newer libs use the
 * first two reserved words as the boot time (ns since epoch) and flags; older captures leave them 0.
 */
public record MachineInfo(int numCpus, long memorySizeBytes, long maxPid, String hostname, long bootTsEpoch,
        long flags, long reserved3, long reserved4) {

    /** Encoded size of the structure in the block (packed, little endian). */
    public static final int ENCODED_SIZE = 4 + 8 + 8 + 128 + 8 * 4;

    /** The hostname field is a fixed 128-byte C string. */
    public static final int HOSTNAME_SIZE = 128;
}
