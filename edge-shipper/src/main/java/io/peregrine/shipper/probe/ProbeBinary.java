package io.peregrine.shipper.probe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * Finds the probe loader: the {@code peregrine.probe} system property, the {@code PEREGRINE_PROBE}
 * environment variable, or {@code probe/build/peregrine-probe} in a directory above the working
 * directory or above these classes (so {@code bin/peregrine capture} works from any directory).
 */
public final class ProbeBinary {

    static final String RELATIVE = "probe/build/peregrine-probe";

    private ProbeBinary() {
    }

    /** The loader's path, if one is built. */
    public static Optional<Path> locate() {
        String explicit = System.getProperty("peregrine.probe", System.getenv("PEREGRINE_PROBE"));
        if (explicit != null && !explicit.isBlank()) {
            Path p = Paths.get(explicit);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        Optional<Path> fromCwd = searchUp(Paths.get("").toAbsolutePath());
        return fromCwd.isPresent() ? fromCwd : searchUp(codeLocation());
    }

    private static Optional<Path> searchUp(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path p = dir.resolve(RELATIVE);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Where these classes were loaded from (edge-shipper/target/classes or a jar in the repository). */
    private static Path codeLocation() {
        try {
            return Paths.get(ProbeBinary.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            return null;
        }
    }

    /** The loader's path, or an exception that says how to build it. */
    public static Path require() {
        return locate().orElseThrow(() -> new IllegalStateException(
                "the probe loader is not built: run 'make -C probe' (needs clang, bpftool, libbpf-dev; "
                        + "'bin/peregrine setup' installs them) or set -Dperegrine.probe=PATH"));
    }

    /** Whether this process may load BPF programs and the kernel offers BTF (what the live probe needs). */
    public static boolean canRunLive() {
        return "root".equals(System.getProperty("user.name")) && Files.isReadable(Paths.get("/sys/kernel/btf/vmlinux"))
                && locate().isPresent();
    }
}
