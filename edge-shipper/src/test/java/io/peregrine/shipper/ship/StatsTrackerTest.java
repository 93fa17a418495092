package io.peregrine.shipper.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.peregrine.avro.CaptureStats;
import io.peregrine.shipper.probe.ProbeFrame;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsTrackerTest {

    @Test
    void reportsPerPeriodDeltasWithEveryLossUnderItsCause() {
        StatsTracker t = new StatsTracker();
        t.period(stats(1_000, 100, 2, 0), 0, 90, 1_000);

        CaptureStats s = t.period(stats(2_000, 250, 7, 1), 40, 200, 2_000);

        assertThat(s.getPeriodStartTs()).isEqualTo(1_000);
        assertThat(s.getPeriodEndTs()).isEqualTo(2_000);
        assertThat(s.getEvents()).isEqualTo(150);
        assertThat(s.getEventsShipped()).isEqualTo(110);
        assertThat(s.getDropsByCause()).containsEntry("buffer", 5L).containsEntry("scratch", 1L)
                .containsEntry("shipper_spool", 40L);
        assertThat(s.getDrops()).isEqualTo(46);
    }

    private static ProbeFrame.Stats stats(long ts, long records, long ringFull, long tooBig) {
        return new ProbeFrame.Stats(ts, Map.of("records", records, "drops_ring_full", ringFull, "drops_too_big", tooBig));
    }
}
