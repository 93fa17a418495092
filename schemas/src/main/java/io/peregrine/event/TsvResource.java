package io.peregrine.event;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads one of this package's tab-separated data resources, skipping comments and blank lines. */
final class TsvResource {

    private TsvResource() {
    }

    /** The data rows of {@code name} (relative to this package), each split on tabs, with line numbers. */
    static List<Row> read(String name) {
        InputStream in = TsvResource.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("missing resource io/peregrine/event/" + name);
        }
        List<Row> rows = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                rows.add(new Row(name, number, line.split("\t", -1)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
        return rows;
    }

    /** One data line: its cells and where it came from, for error messages. */
    record Row(String resource, int line, String[] cells) {

        String cell(int index) {
            if (index >= cells.length) {
                throw error("expected at least " + (index + 1) + " columns");
            }
            return cells[index];
        }

        IllegalStateException error(String message) {
            return new IllegalStateException(resource + ":" + line + ": " + message);
        }
    }
}
