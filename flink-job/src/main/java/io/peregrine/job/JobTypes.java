package io.peregrine.job;

import io.peregrine.output.Alert;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;

/** The record types between the job's operators. */
final class JobTypes {

    /** {@code (host/container, Avro EventBatch bytes)}: a Kafka "events" record, or a capture source batch. */
    static final TypeInformation<Tuple2<String, byte[]>> KEYED_BATCH =
            Types.TUPLE(Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    static final TypeInformation<Alert> ALERT = TypeInformation.of(Alert.class);

    private JobTypes() {
    }
}
