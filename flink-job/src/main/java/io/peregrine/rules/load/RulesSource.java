package io.peregrine.rules.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The text of one rules file and the name diagnostics use for it. */
public record RulesSource(String name, String content) {

    /**
     * Rules files in Falco's order: each argument in turn; a directory contributes its
     * {@code .yaml}/{@code .yml} files sorted by name (like {@code rules.d/}).
     */
    public static List<Path> expand(List<Path> paths) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.list(p)) {
                    files.filter(f -> Files.isRegularFile(f) && (f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")))
                            .sorted()
                            .forEach(out::add);
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    public static RulesSource read(Path file) throws IOException {
        return new RulesSource(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }
}
