package io.peregrine.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.peregrine.fields.FieldType;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputFieldValuesTest {

    private static final long TS = 1470327477881781397L;

    @Test
    void timeAsTextFieldsBecomeTheRawNanoseconds() {
        for (String field : List.of("evt.time", "evt.time.s", "evt.time.iso8601", "evt.datetime", "evt.datetime.s")) {
            assertThat(OutputFieldValues.jsonValue(field, FieldType.STRING, "16:17:57.881781397", "x", TS))
                    .as(field).isEqualTo(TS);
        }
    }

    @Test
    void integersAreNumbersPrintedWithTheirSignedness() {
        assertThat(OutputFieldValues.jsonValue("proc.pid", FieldType.INT64, 42L, "42", TS)).isEqualTo(42L);
        assertThat(OutputFieldValues.jsonValue("evt.res", FieldType.INT64, -2L, "-2", TS)).isEqualTo(-2L);
        assertThat(OutputFieldValues.jsonValue("fd.ino", FieldType.UINT64, -1L, "18446744073709551615", TS))
                .isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(OutputFieldValues.jsonValue("fd.sport", FieldType.PORT, 443L, "443", TS)).isEqualTo(443L);
    }

    @Test
    void textLikeTypesAreTheirPrintedText() {
        assertThat(OutputFieldValues.jsonValue("fd.sip", FieldType.IPADDR, new byte[] {10, 0, 0, 1}, "10.0.0.1", TS))
                .isEqualTo("10.0.0.1");
        assertThat(OutputFieldValues.jsonValue("fd.name", FieldType.FSPATH, "/etc/shadow", "/etc/shadow", TS))
                .isEqualTo("/etc/shadow");
        assertThat(OutputFieldValues.jsonValue("proc.aname", FieldType.STRING, List.of("a", "b"), "a b", TS))
                .isEqualTo("a b");
    }

    @Test
    void missingValuesAreNullAndBooleansStayBooleans() {
        assertThat(OutputFieldValues.jsonValue("fd.name", FieldType.FSPATH, null, "<NA>", TS)).isNull();
        assertThat(OutputFieldValues.jsonValue("evt.is_io", FieldType.BOOL, true, "true", TS)).isEqualTo(true);
    }
}
