package io.peregrine.job.stream;

/**
 * One record of the "events" topic as it left Kafka: its key ({@code host/container}), its still
 * encoded Avro EventBatch, and where it came from (for the dead-letter topic). Decoding happens
 * once, in the keyed detection operator. A Flink POJO: public fields, a no-argument constructor.
 */
public final class InputBatch {

    public String key;
    public byte[] value;
    public String topic;
    public int partition;
    public long offset;

    public InputBatch() {
    }

    public InputBatch(String key, byte[] value, String topic, int partition, long offset) {
        this.key = key;
        this.value = value;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
    }

    /** Where the record came from: {@code topic-partition@offset}. */
    public String origin() {
        return topic + "-" + partition + "@" + offset;
    }
}
