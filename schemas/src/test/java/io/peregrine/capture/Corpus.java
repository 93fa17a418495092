package io.peregrine.capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The shared corpus's captures and their SCAP_TABLE.tsv facts (as sysdig 0.29.3 saw them). */
final class Corpus {

    private Corpus() {
    }

    static Path dir() {
        return Path.of(System.getProperty("peregrine.corpus", "../../shared/corpus"));
    }

    static boolean available() {
        return Files.isRegularFile(dir().resolve("SCAP_TABLE.tsv"));
    }

    /** One row of SCAP_TABLE.tsv. */
    record Capture(Path path, boolean readableBySysdig, long eventsPrinted, long eventsWithInternal) {
        String name() {
            return path.getFileName().toString();
        }

        @Override
        public String toString() {
            return name();
        }
    }

    static List<Capture> captures() {
        if (!available()) {
            return List.of();
        }
        try {
            List<String> lines = Files.readAllLines(dir().resolve("SCAP_TABLE.tsv"));
            List<String> header = List.of(lines.get(0).split("\t"));
            int file = header.indexOf("file");
            int readable = header.indexOf("readable");
            int printed = header.indexOf("events_printed");
            int all = header.indexOf("events_incl_internal(-D)");
            List<Capture> out = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split("\t", -1);
                out.add(new Capture(dir().resolve(cells[file]), cells[readable].equals("yes"),
                        Long.parseLong(cells[printed]), Long.parseLong(cells[all])));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Capture> readableCaptures() {
        return captures().stream().filter(Capture::readableBySysdig).toList();
    }
}
