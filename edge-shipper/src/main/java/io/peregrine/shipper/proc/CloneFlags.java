package io.peregrine.shipper.proc;

/** libscap's PPM_CL_* thread flags the shipper sets or reads, as libsinsp interprets them. */
public final class CloneFlags {

    /** The thread shares its fd table with its process (PPM_CL_CLONE_FILES). */
    public static final int FILES = 1;
    /** The thread is not its process's main thread (PPM_CL_CLONE_THREAD). */
    public static final int THREAD = 1 << 13;
    /** The child's own clone exit was seen before its parent's (PPM_CL_CLONE_INVERTED). */
    public static final int INVERTED = 1 << 16;

    private CloneFlags() {
    }
}
