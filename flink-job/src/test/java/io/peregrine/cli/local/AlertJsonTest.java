package io.peregrine.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peregrine.output.Alert;
import io.peregrine.output.AlertFormat;
import io.peregrine.output.AlertFormatter;
import io.peregrine.output.Priority;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AlertJsonTest {

    private static final Alert ALERT = new Alert(1_470_327_477_881_781_397L, "Sensitive File Read", Priority.WARNING,
            Alert.SYSCALL_SOURCE, "vm", "Sensitive file opened for reading (file=/etc/shadow: x)",
            Map.of("fd.name", "/etc/shadow"), new TreeSet<>(Set.of("filesystem", "T1555")), "v1");

    @Test
    void readsBackWhatTheJobWritesSoTheTextLineIsFalcos() {
        String json = new AlertFormatter(AlertFormat.falcoDefaults().withJson(true).withTimeFormatIso8601(true)).line(ALERT);
        Alert back = AlertJson.parse(json);
        AlertFormatter text = new AlertFormatter(AlertFormat.falcoDefaults(), 0);
        assertThat(text.line(back)).isEqualTo(text.line(ALERT))
                .isEqualTo("16:17:57.881781397: Warning Sensitive file opened for reading (file=/etc/shadow: x)");
        assertThat(back.rule()).isEqualTo("Sensitive File Read");
        assertThat(back.hostname()).isEqualTo("vm");
        assertThat(back.tags()).containsExactly("T1555", "filesystem");
    }

    @Test
    void acceptsBothFalcoTimeSpellings() {
        assertThat(AlertJson.timeNs("2016-08-04T16:17:57.881781397Z")).isEqualTo(1_470_327_477_881_781_397L);
        assertThat(AlertJson.timeNs("2016-08-04T16:17:57.881781397+0000")).isEqualTo(1_470_327_477_881_781_397L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[]", "{\"output\":\"x\"}", "{\"rule\":\"r\",\"priority\":\"Loud\"}"})
    void rejectsWhatIsNoFalcoAlert(String line) {
        assertThatThrownBy(() -> AlertJson.parse(line)).isInstanceOf(IllegalArgumentException.class);
    }
}
