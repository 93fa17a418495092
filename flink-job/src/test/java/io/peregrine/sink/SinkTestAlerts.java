package io.peregrine.sink;

import io.peregrine.output.Alert;
import io.peregrine.output.AlertFormat;
import io.peregrine.output.AlertFormatter;
import io.peregrine.output.Priority;

/** Alerts and formatters shared by the sink tests. */
final class SinkTestAlerts {

    static final AlertFormatter TEXT_ISO = new AlertFormatter(AlertFormat.falcoDefaults().withTimeFormatIso8601(true));

    private SinkTestAlerts() {
    }

    /** Alert number {@code n}: its text line is "1970-01-01T00:00:0n.000000000+0000: Warning alert n". */
    static Alert numbered(int n) {
        return Alert.builder().timeNs(n * 1_000_000_000L).rule("r").priority(Priority.WARNING)
                .output("alert " + n).field("n", n).build();
    }

    static String textLine(int n) {
        return TEXT_ISO.line(numbered(n));
    }
}
