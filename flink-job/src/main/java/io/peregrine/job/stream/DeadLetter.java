package io.peregrine.job.stream;

/**
 * An input record the job could not use, with the reason, bound for the dead-letter topic. A
 * Flink POJO: public fields, a no-argument constructor.
 */
public final class DeadLetter {

    public String key;
    public byte[] value;
    public String origin;
    public String reason;

    public DeadLetter() {
    }

    public DeadLetter(String key, byte[] value, String origin, String reason) {
        this.key = key;
        this.value = value;
        this.origin = origin;
        this.reason = reason;
    }

    static DeadLetter of(InputBatch in, String reason) {
        return new DeadLetter(in.key, in.value, in.origin(), reason);
    }
}
