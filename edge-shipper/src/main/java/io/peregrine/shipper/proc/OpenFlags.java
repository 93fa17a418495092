package io.peregrine.shipper.proc;

/** Linux open(2) flags (x86_64 values, as /proc/PID/fdinfo prints them) to libscap's PPM_O_* bits. */
public final class OpenFlags {

    private static final int[][] MAP = {
        {0100, 1 << 2}, // O_CREAT
        {02000, 1 << 3}, // O_APPEND
        {010000, 1 << 4}, // O_DSYNC
        {0200, 1 << 5}, // O_EXCL
        {04000, 1 << 6}, // O_NONBLOCK
        {01000, 1 << 8}, // O_TRUNC
        {040000, 1 << 9}, // O_DIRECT
        {0200000, 1 << 10}, // O_DIRECTORY
        {0100000, 1 << 11}, // O_LARGEFILE
        {02000000, 1 << 12}, // O_CLOEXEC
    };

    private OpenFlags() {
    }

    public static int toPpm(long linux) {
        int r = switch ((int) (linux & 3)) {
            case 0 -> 1; // O_RDONLY -> PPM_O_RDONLY
            case 1 -> 2; // O_WRONLY
            case 2 -> 3; // O_RDWR
            default -> 0;
        };
        for (int[] m : MAP) {
            if ((linux & m[0]) != 0) {
                r |= m[1];
            }
        }
        if ((linux & 04010000) == 04010000) {
            r |= 1 << 7; // O_SYNC
        }
        if ((linux & 020200000) == 020200000) {
            r |= 1 << 13; // O_TMPFILE
        }
        return r;
    }
}
