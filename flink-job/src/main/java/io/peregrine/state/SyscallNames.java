package io.peregrine.state;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** libscap's syscall table: the names and categories of the syscalls generic events carry by id. */
public final class SyscallNames {

    private static final List<String[]> TABLE = load();

    private SyscallNames() {
    }

    /** The syscall's name, "<unknown>" for id 0 and out-of-range ids (libsinsp prints the same). */
    public static String name(long id) {
        return id >= 0 && id < TABLE.size() ? TABLE.get((int) id)[0] : "<unknown>";
    }

    /** Number of ids in the table. */
    public static int size() {
        return TABLE.size();
    }

    /** The syscall's category name (lower case), or "other". */
    public static String category(long id) {
        return id >= 0 && id < TABLE.size() ? TABLE.get((int) id)[1] : "other";
    }

    private static List<String[]> load() {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                SyscallNames.class.getResourceAsStream("syscalls.tsv"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    rows.add(line.split("\t"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}
