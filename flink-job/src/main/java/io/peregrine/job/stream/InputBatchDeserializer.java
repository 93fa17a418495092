package io.peregrine.job.stream;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Wraps each "events" record as an {@link InputBatch}; never fails, so poison records reach the dead-letter path. */
public final class InputBatchDeserializer implements KafkaRecordDeserializationSchema<InputBatch> {

    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<InputBatch> out) {
        String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        out.collect(new InputBatch(key, record.value(), record.topic(), record.partition(), record.offset()));
    }

    @Override
    public TypeInformation<InputBatch> getProducedType() {
        return TypeInformation.of(InputBatch.class);
    }
}
