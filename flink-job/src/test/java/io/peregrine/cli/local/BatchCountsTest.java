package io.peregrine.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peregrine.avro.CaptureStats;
import io.peregrine.avro.EventBatch;
import io.peregrine.avro.SyscallEvent;
import io.peregrine.batch.EventBatchCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchCountsTest {

    @Test
    void countsEventsAndDropsWithoutDecodingTheEvents() {
        EventBatch batch = batch(3, CaptureStats.newBuilder().setPeriodStartTs(1).setPeriodEndTs(2).setEvents(10)
                .setDrops(7).setDropsByCause(Map.of("buffer", 7L)).build());
        assertThat(new BatchCounts().read(new EventBatchCodec().encode(batch))).isEqualTo(new BatchCounts.Counts(3, 7));
    }

    @Test
    void aBatchWithoutCountersHasNoDrops() {
        assertThat(new BatchCounts().read(new EventBatchCodec().encode(batch(2, null)))).isEqualTo(new BatchCounts.Counts(2, 0));
    }

    @Test
    void statusLineSumsEventsAndDrops() {
        PipelineStatus status = new PipelineStatus(0);
        status.onBatch(new BatchCounts.Counts(1500, 2));
        status.onBatch(new BatchCounts.Counts(500, 1));
        status.onAlert();
        status.tick(2_000_000_000L);
        assertThat(status.line()).isEqualTo("1000 events/s | 2000 events | 3 drops | 1 alerts | ruleset none yet");
    }

    @Test
    void rejectsWhatIsNoBatch() {
        assertThatThrownBy(() -> new BatchCounts().read(new byte[] {(byte) 0xff, 1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an EventBatch");
    }

    private static EventBatch batch(int events, CaptureStats stats) {
        List<SyscallEvent> list = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            list.add(event(i));
        }
        return EventBatch.newBuilder().setHost("h").setFirstTs(1).setLastTs(2).setEvents(list).setStats(stats).build();
    }

    private static SyscallEvent event(int i) {
        return SyscallEvent.newBuilder().setTs(i).setTid(1).setCpu(0).setType(2)
                .setParams(List.of(ByteBuffer.wrap(new byte[] {1, 2}))).build();
    }
}
