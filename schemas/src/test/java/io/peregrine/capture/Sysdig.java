package io.peregrine.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the installed sysdig (the oracle) on a capture and returns its output lines. */
final class Sysdig {

    static final Path BINARY = Path.of("/usr/bin/sysdig");

    private Sysdig() {
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** {@code sysdig -r capture args...}'s standard output, lines; fails on a non-zero exit or a hang. */
    static List<String> run(Path capture, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "-r", capture.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("sysdig", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("sysdig timed out on " + capture);
            }
            if (p.exitValue() != 0) {
                throw new IOException("sysdig exited with " + p.exitValue() + " on " + capture);
            }
            return Files.readAllLines(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
