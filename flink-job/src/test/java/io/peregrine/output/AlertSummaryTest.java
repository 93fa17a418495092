package io.peregrine.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AlertSummaryTest {

    @Test
    void printsFalcoClosingSummaryWithSeveritiesMostSevereFirstAndRulesInLoadOrder() {
        AlertSummary summary = new AlertSummary(List.of("first_loaded", "never_fires", "second_loaded"));
        summary.record("second_loaded", Priority.INFORMATIONAL);
        summary.record("first_loaded", Priority.WARNING);
        summary.record("second_loaded", Priority.INFORMATIONAL);
        summary.record("unlisted", Priority.CRITICAL);

        assertThat(summary.format()).isEqualTo("""
                Events detected: 4
                Rule counts by severity:
                   CRITICAL: 1
                   WARNING: 1
                   INFO: 2
                Triggered rules by rule name:
                   first_loaded: 1
                   second_loaded: 2
                   unlisted: 1
                """);
        assertThat(summary.count("never_fires")).isZero();
        assertThat(summary.count(Priority.INFORMATIONAL)).isEqualTo(2);
    }

    @Test
    void printsZeroEventsWithEmptyBlocks() {
        assertThat(new AlertSummary().format()).isEqualTo("""
                Events detected: 0
                Rule counts by severity:
                Triggered rules by rule name:
                """);
    }
}
