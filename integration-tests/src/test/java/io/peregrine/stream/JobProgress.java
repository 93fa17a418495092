package io.peregrine.stream;

import io.peregrine.testing.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Watching a running job from outside: how far its source has committed, how big a savepoint is. */
final class JobProgress {

    private JobProgress() {
    }

    /**
     * Waits until the job's consumer group has committed (on checkpoint) the end of every partition
     * of {@code topic}: everything written so far went through the job and into a checkpoint.
     */
    static void awaitConsumed(KafkaBroker broker, String group, String topic, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        broker.admin().describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end = broker.admin().listOffsets(latest).all().get();
        while (System.nanoTime() < deadline) {
            Map<TopicPartition, OffsetAndMetadata> committed = broker.admin().listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            boolean done = end.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                    && committed.get(e.getKey()).offset() >= e.getValue().offset());
            if (done) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the job did not consume " + topic + " within " + timeout);
    }

    /** Bytes under a savepoint (or checkpoint) directory. */
    static long size(String uri) {
        Path dir = Path.of(java.net.URI.create(uri.startsWith("file:") ? uri : "file://" + uri));
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
