package io.peregrine.job.stream;

/**
 * The last batch a key applied: which shipper instance sent it and its sequence number. The
 * shipper numbers each key's batches 1, 2, 3... per instance and may send one again (its spool
 * replays what Kafka had not acknowledged, e.g. after a send timeout or a restart), so a batch of
 * the same instance at or below the last sequence is a duplicate, and a jump past the next one
 * counts the batches lost in between. Batches without a shipper id or sequence are not tracked.
 */
record BatchSequence(String shipperId, long sequence) {

    /** Whether a batch carries what tracking needs. */
    static boolean tracked(String shipperId, long sequence) {
        return shipperId != null && !shipperId.isEmpty() && sequence > 0;
    }

    /** Whether the batch repeats one this key already applied. */
    boolean repeatedBy(String otherShipper, long otherSequence) {
        return shipperId.equals(otherShipper) && otherSequence <= sequence;
    }

    /** The batches of the same instance missing between this one and the next applied. */
    long missingBefore(String otherShipper, long otherSequence) {
        return shipperId.equals(otherShipper) ? Math.max(0, otherSequence - sequence - 1) : 0;
    }
}
