package io.peregrine.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FalcoJsonWriterTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "plain /usr/bin/cat|\"plain /usr/bin/cat\"",
        "say \"hi\"|\"say \\\"hi\\\"\"",
        "back\\slash|\"back\\\\slash\"",
        "caf\u00e9 \u65e5\u672c|\"caf\u00e9 \u65e5\u672c\"",
        "del\u007f|\"del\u007f\"",
    })
    void quotesLikeJsoncppFastWriter(String raw, String expected) {
        assertThat(FalcoJsonWriter.JSONCPP.toJson(raw)).isEqualTo(expected);
    }

    @Test
    void escapesControlCharactersAsUpperCaseUnicode() {
        assertThat(FalcoJsonWriter.JSONCPP.toJson("a\tb\nc\rd\be\ff\u0001g\u001f"))
                .isEqualTo("\"a\\tb\\nc\\rd\\be\\ff\\u0001g\\u001F\"");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0.1, 0.10000000000000001",
        "1.5, 1.5",
        "100, 100",
        "1e17, 1e+17",
        "1.0e16, 10000000000000000",
        "0.0001, 0.0001",
        "0.00001, 1.0000000000000001e-05",
        "-2.5, -2.5",
        "123456789012345678, 1.2345678901234568e+17",
        "0, 0",
    })
    void writesDoublesAsPercentPoint17g(double value, String expected) {
        assertThat(FalcoJsonWriter.JSONCPP.formatDouble(value)).isEqualTo(expected);
    }

    @Test
    void sortsObjectKeysByBytesAndWritesWithoutBlanks() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("b", List.of(1L, "x"));
        map.put("B", false);
        map.put("a", null);
        assertThat(FalcoJsonWriter.JSONCPP.toJson(map)).isEqualTo("{\"B\":false,\"a\":null,\"b\":[1,\"x\"]}");
    }

    @Test
    void ordersKeysByUtf8BytesEvenWhereUtf16OrderDiffers() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("\uD83D\uDE00", 1L); // U+1F600, UTF-8 F0 9F 98 80
        map.put("\uFFFD", 2L);       // UTF-8 EF BF BD, so first in jsoncpp's std::map
        assertThat(FalcoJsonWriter.JSONCPP.toJson(map)).isEqualTo("{\"\uFFFD\":2,\"\uD83D\uDE00\":1}");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0.1, 0.1",
        "1.5, 1.5",
        "100, 100.0",
        "1e16, 1e+16",
        "1e15, 1e+15",
        "1e14, 100000000000000.0",
        "123e20, 1.23e+22",
        "0.0001, 0.0001",
        "0.00001, 1e-05",
        "-2.5, -2.5",
        "123456.789, 123456.789",
        "0, 0.0",
    })
    void writesDoublesAsNlohmannDoes(double value, String expected) {
        assertThat(FalcoJsonWriter.NLOHMANN.formatDouble(value)).isEqualTo(expected);
    }

    @Test
    void nlohmannEscapesControlCharactersInLowerCaseHex() {
        assertThat(FalcoJsonWriter.NLOHMANN.toJson("a\u001fb")).isEqualTo("\"a\\u001fb\"");
    }
}
