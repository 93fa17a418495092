package io.peregrine.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Benchmark inputs: a corpus capture repeated {@code rounds} times by the shared inflate-scap tool,
 * written once to /tmp and reused by later runs (and by every benchmark asking for the same one).
 */
final class InflatedCaptures {

    private InflatedCaptures() {
    }

    static Path inflate(Path tool, Path source, int rounds, String name) throws IOException, InterruptedException {
        Path out = Path.of("/tmp/peregrine-bench-" + name + "-x" + rounds + ".scap");
        if (!Files.exists(out)) {
            Process p = new ProcessBuilder(tool.toString(), source.toString(), out.toString(), Integer.toString(rounds))
                    .inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException("inflate-scap failed for " + source);
            }
        }
        return out;
    }
}
