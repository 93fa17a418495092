package io.peregrine.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.peregrine.capture.ScapProcess;
import io.peregrine.capture.ScapReader;
import io.peregrine.event.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/** Events and process tables survive Event -> Avro -> bytes -> Avro -> Event unchanged. */
class ConversionTest {

    static final Path CAPTURE = Path.of(System.getProperty("peregrine.corpus", "../../shared/corpus"),
            "scap/libs/test_ipv6_client.scap");

    @Test
    void everyEventOfACaptureSurvivesAnEventBatchRoundTrip() throws IOException {
        assumeTrue(Files.exists(CAPTURE), "corpus not found");
        List<Event> events = new ArrayList<>();
        List<ScapProcess> processes;
        try (ScapReader reader = ScapReader.open(CAPTURE)) {
            processes = reader.processes();
            for (Event e; (e = reader.next()) != null; ) {
                events.add(e);
            }
        }
        EventBatch batch = EventBatch.newBuilder().setHost("node-1").setContainerId("")
                .setFirstTs(events.get(0).timestampNs()).setLastTs(events.get(events.size() - 1).timestampNs())
                .setEvents(events.stream().map(SyscallEventConversion::toAvro).toList())
                .setProcesses(processes.stream().map(p -> ProcessSnapshotConversion.toAvro(p, "", false, 0)).toList())
                .setFds(processes.stream().flatMap(p -> ProcessSnapshotConversion.fdsToAvro(p).stream()).toList())
                .build();

        EventBatch back = roundTrip(batch);

        assertThat(back.getEvents()).hasSameSizeAs(events);
        for (int i = 0; i < events.size(); i++) {
            Event original = events.get(i);
            Event copy = SyscallEventConversion.toEvent(back.getEvents().get(i));
            assertThat(copy.timestampNs()).isEqualTo(original.timestampNs());
            assertThat(copy.threadId()).isEqualTo(original.threadId());
            assertThat(copy.cpu()).isEqualTo(original.cpu());
            assertThat(copy.type()).isEqualTo(original.type());
            assertThat(copy.flags()).isEqualTo(original.flags());
            assertThat(copy.paramCount()).isEqualTo(original.paramCount());
            for (int p = 0; p < original.paramCount(); p++) {
                assertThat(copy.paramBytes(p)).isEqualTo(original.paramBytes(p));
            }
        }
        for (int i = 0; i < processes.size(); i++) {
            ScapProcess original = processes.get(i);
            ProcessSnapshot snapshot = back.getProcesses().get(i);
            List<FdSnapshot> fds = back.getFds().stream().filter(f -> f.getTid() == original.tid()).toList();
            ScapProcess copy = ProcessSnapshotConversion.toScap(snapshot, fds);
            assertThat(copy).isEqualTo(original.toBuilder().blockType(0).build());
        }
    }

    static EventBatch roundTrip(EventBatch batch) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(EventBatch.class).write(batch, encoder);
        encoder.flush();
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(out.toByteArray(), null);
        return new SpecificDatumReader<>(EventBatch.class).read(null, decoder);
    }
}
