package io.peregrine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Short-named scratch directories under /tmp. RocksDB and Kafka put long names under their data
 * directories, and JUnit's temp paths are already too long for RocksDB's limits.
 */
final class TempDirs {

    private TempDirs() {
    }

    static Path create(String prefix) {
        try {
            return Files.createTempDirectory(Path.of("/tmp"), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory under /tmp", e);
        }
    }

    /** Deletes {@code dir} and everything in it; best effort, a test never fails on cleanup. */
    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // Left-overs under /tmp are harmless.
        }
    }
}
