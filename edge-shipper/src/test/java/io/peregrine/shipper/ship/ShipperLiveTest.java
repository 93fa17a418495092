package io.peregrine.shipper.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.peregrine.avro.EventBatch;
import io.peregrine.avro.EventTypeSet;
import io.peregrine.avro.ProcessSnapshot;
import io.peregrine.avro.SyscallEvent;
import io.peregrine.avro.SyscallEventConversion;
import io.peregrine.event.Event;
import io.peregrine.event.EventTable;
import io.peregrine.shipper.probe.ProbeBinary;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole agent on this kernel (root) against a real broker: a process moved into a cgroup named
 * like a Docker container has its events batched under that container id, with its snapshot and
 * ancestry; event-type sets from the control topic reach the probe.
 */
class ShipperLiveTest {

    private static final Path MEMORY_CGROUPS = Path.of("/sys/fs/cgroup/memory");
    private static TestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        assumeTrue(ProbeBinary.canRunLive(), "needs root, BTF and make -C probe");
        broker = new TestBroker();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void batchesAProcessInADockerNamedCgroupUnderItsContainerIdWithItsAncestry(@TempDir Path spool) throws Exception {
        assumeTrue(Files.isDirectory(MEMORY_CGROUPS), "needs the cgroup v1 memory hierarchy");
        String fullId = HexFormat.of().formatHex(SecureRandom.getInstanceStrong().generateSeed(32));
        String shortId = fullId.substring(0, 12);
        String topic = "events-live";
        Agent agent = Agent.start(config(spool, topic, null));
        Path dockerDir = MEMORY_CGROUPS.resolve("docker");
        boolean createdParent = !Files.exists(dockerDir);
        Path cgroup = dockerDir.resolve(fullId);
        long catPid;
        try {
            Files.createDirectories(cgroup);
            Process bash = new ProcessBuilder("bash", "-c", "read x; cat /etc/shadow > /dev/null").start();
            Files.writeString(cgroup.resolve("cgroup.procs"), Long.toString(bash.pid()));
            try (OutputStream in = bash.getOutputStream()) {
                in.write('\n');
            }
            assertThat(bash.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(500);
            agent.stop(Duration.ofSeconds(20));
        } finally {
            Files.deleteIfExists(cgroup);
            if (createdParent) {
                Files.deleteIfExists(dockerDir);
            }
        }

        List<EventBatch> batches = all(topic);
        List<EventBatch> container = batches.stream().filter(b -> b.getContainerId().equals(shortId)).toList();
        assertThat(container).as(() -> "batches by container: " + batches.stream().map(b -> b.getContainerId() + ":"
                + b.getEvents().size()).toList() + " shadow opens by tid: " + batches.stream()
                .flatMap(b -> b.getEvents().stream()).map(SyscallEventConversion::toEvent)
                .filter(e -> e.type() == EventTable.id("PPME_SYSCALL_OPENAT_2_X") && e.paramString(2).equals("/etc/shadow"))
                .map(e -> e.threadId()).toList() + " execs: " + batches.stream().flatMap(b -> b.getEvents().stream())
                .map(SyscallEventConversion::toEvent).filter(e -> e.type() == EventTable.id("PPME_SYSCALL_EXECVE_19_X"))
                .map(e -> e.paramString(13) + "/" + e.paramString(14).length()).toList()).isNotEmpty();
        Event open = container.stream().flatMap(b -> b.getEvents().stream()).map(SyscallEventConversion::toEvent)
                .filter(e -> e.type() == EventTable.id("PPME_SYSCALL_OPENAT_2_X") && e.paramString(2).equals("/etc/shadow"))
                .findFirst().orElseThrow();
        List<ProcessSnapshot> snaps = container.stream().flatMap(b -> b.getProcesses().stream()).toList();
        // The snapshot is taken when the thread first appears: the fork of bash, before it execs cat.
        ProcessSnapshot cat = snaps.stream().filter(p -> p.getTid() == open.threadId()).findFirst().orElseThrow();
        assertThat(cat.getContainerId()).isEqualTo(shortId);
        assertThat(container.stream().flatMap(b -> b.getEvents().stream()).map(SyscallEventConversion::toEvent)
                .filter(e -> e.threadId() == open.threadId() && e.type() == EventTable.id("PPME_SYSCALL_EXECVE_19_X"))
                .map(e -> e.paramString(13))).containsExactly("cat");
        assertThat(cat.getAncestor()).isFalse();
        assertThat(snaps).anySatisfy(p -> {
            assertThat(p.getTid()).isEqualTo(cat.getPtid());
            assertThat(p.getComm()).isEqualTo("bash");
        });
        assertThat(snaps).anySatisfy(p -> {
            assertThat(p.getTid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(p.getAncestor()).isTrue();
            assertThat(p.getContainerId()).isEmpty(); // the JVM runs on the host
        });
        assertThat(batches).anySatisfy(b -> assertThat(b.getStats()).isNotNull());
    }

    @Test
    void forwardsTheEventTypeSetFromTheControlTopicToTheProbe(@TempDir Path spool) throws Exception {
        String control = "control-live";
        try (Agent agent = Agent.start(config(spool, "events-control", control))) {
            EventTypeSet set = EventTypeSet.newBuilder().setRulesetVersion("v1").setNames(List.of("openat", "ptrace"))
                    .build();
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
                producer.send(new ProducerRecord<>(control, encode(set))).get();
            }
            OutboxKafkaTest.waitFor(() -> agent.control().applied() != null);
            assertThat(agent.control().applied()).contains("openat", "ptrace", "execve", "clone", "procexit", "close");
            assertThat(agent.control().applied()).doesNotContain("read", "write");
        }
    }

    @Test
    void restartsAKilledProbeRescansAndReportsTheGap(@TempDir Path spool) throws Exception {
        String topic = "events-restart";
        Agent agent = Agent.start(config(spool, topic, null));
        long firstPid = agent.probe().pid();
        new ProcessBuilder("kill", "-9", Long.toString(firstPid)).start().waitFor();
        OutboxKafkaTest.waitFor(() -> agent.probe().restarts() == 1 && agent.probe().pid() != firstPid);
        Thread.sleep(1500); // the new loader attaches
        Process cat = new ProcessBuilder("cat", "/etc/shadow").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(cat.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(1500);
        agent.stop(Duration.ofSeconds(20));

        List<EventBatch> batches = all(topic);
        assertThat(batches.stream().flatMap(b -> b.getEvents().stream()).map(SyscallEventConversion::toEvent)
                .filter(e -> e.threadId() == cat.pid() && e.type() == EventTable.id("PPME_SYSCALL_OPENAT_2_X"))
                .map(e -> e.paramString(2))).contains("/etc/shadow");
        assertThat(batches).anySatisfy(b -> assertThat(b.getStats()).isNotNull()
                .satisfies(st -> assertThat(st.getDropsByCause()).containsEntry("probe_restart", 1L)));
    }

    private static Agent.Config config(Path spool, String topic, String control) {
        return new Agent.Config(ProbeBinary.require(), broker.bootstrap(), topic, control, spool, 64L << 20, 200,
                Duration.ofMillis(100), 16, List.of("openat", "execve", "clone", "clone3", "vfork", "fork", "procexit"),
                Duration.ofSeconds(10));
    }

    private static List<EventBatch> all(String topic) {
        return OutboxKafkaTest.consume(broker.bootstrap(), topic, Integer.MAX_VALUE).stream().map(r -> OutboxKafkaTest.decode(r.value()))
                .toList();
    }

    private static byte[] encode(EventTypeSet set) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(EventTypeSet.class).write(set, enc);
        enc.flush();
        return out.toByteArray();
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
