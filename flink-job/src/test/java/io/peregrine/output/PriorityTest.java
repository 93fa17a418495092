package io.peregrine.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PriorityTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "EMERGENCY, EMERGENCY", "alert, ALERT", "Critical, CRITICAL", "error, ERROR", "WARNING, WARNING",
        "Notice, NOTICE", "Informational, INFORMATIONAL", "info, INFORMATIONAL", "INFO, INFORMATIONAL",
        "debug, DEBUG",
    })
    void parsesFalcoPriorityNamesInAnyCase(String text, Priority expected) {
        assertThat(Priority.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "warn", "informationa", "critical!"})
    void rejectsUnknownPriorityNames(String text) {
        assertThatThrownBy(() -> Priority.parse(text)).hasMessageContaining("Unknown priority value: " + text);
    }

    @Test
    void levelsCountDownWithSeverityAsInFalco() {
        assertThat(Priority.EMERGENCY.level()).isZero();
        assertThat(Priority.DEBUG.level()).isEqualTo(7);
        assertThat(Priority.ofLevel(4)).isEqualTo(Priority.WARNING);
        assertThat(Priority.CRITICAL.isAtLeast(Priority.WARNING)).isTrue();
        assertThat(Priority.NOTICE.isAtLeast(Priority.WARNING)).isFalse();
    }

    @Test
    void summaryNamesAreUpperCaseWithShortInfo() {
        assertThat(Priority.WARNING.summaryName()).isEqualTo("WARNING");
        assertThat(Priority.INFORMATIONAL.summaryName()).isEqualTo("INFO");
        assertThat(Priority.INFORMATIONAL.falcoName()).isEqualTo("Informational");
    }
}
