package io.peregrine.rules;

import io.peregrine.fields.FieldCatalog;
import io.peregrine.rules.load.LoaderConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared Falco corpus as tests see it, and the loader configuration tests use with it. */
public final class Corpus {

    private Corpus() {
    }

    /** The corpus folder ({@code peregrine.corpus}, default ../shared/corpus of the repository). */
    public static Path root() {
        String prop = System.getProperty("peregrine.corpus");
        if (prop != null) {
            return Path.of(prop);
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("../shared/corpus"))) {
            p = p.getParent();
        }
        return p == null ? Path.of("/work/shared/corpus") : p.resolve("../shared/corpus").normalize();
    }

    /** Syscall rules against the field catalogue (names and types only) and the event table. */
    public static LoaderConfig config() {
        return LoaderConfig.syscall(FieldCatalog.namesOnly());
    }
}
