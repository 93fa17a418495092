package io.peregrine.job.rules;

import io.peregrine.avro.RulesetRecord;
import io.peregrine.rules.load.RulesSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Builds, checks and (de)serialises the {@link RulesetRecord}s of the compacted "rules" topic.
 *
 * <p>The checksum is the SHA-256 (lower-case hex) of, for each file in load order, its name in
 * UTF-8, a NUL byte, its content in UTF-8 and a NUL byte. The version label defaults to the first
 * 12 hex digits of the checksum, so equal content always gets the same version.
 */
public final class RulesetRecords {

    private RulesetRecords() {
    }

    /** A record of the rules files under {@code paths} (directories give their sorted .yaml files). */
    public static RulesetRecord fromPaths(List<Path> paths, String version, String description) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        for (Path p : RulesSource.expand(paths)) {
            String name = p.getFileName().toString();
            if (files.containsKey(name)) {
                throw new IOException("two rules files named " + name + " (the record keys files by name): " + p);
            }
            files.put(name, Files.readString(p, StandardCharsets.UTF_8));
        }
        if (files.isEmpty()) {
            throw new IOException("no rules files (.yaml, .yml) under " + paths);
        }
        return of(files, version, description);
    }

    /**
     * A record of rules files already read, keyed by their names in load order. The record keys
     * files by name, so a file given twice gets its occurrence appended ({@code name #2}) and is
     * loaded twice, as the loader would load it twice.
     */
    public static RulesetRecord fromSources(List<RulesSource> sources, String version, String description) {
        Map<String, String> files = new LinkedHashMap<>();
        for (RulesSource source : sources) {
            String name = source.name();
            for (int n = 2; files.containsKey(name); n++) {
                name = source.name() + " #" + n;
            }
            files.put(name, source.content());
        }
        return of(files, version, description);
    }

    /** A record of {@code files} (name to content, in load order). */
    public static RulesetRecord of(Map<String, String> files, String version, String description) {
        List<String> order = new ArrayList<>(files.keySet());
        String checksum = checksum(files, order);
        return RulesetRecord.newBuilder()
                .setVersion(version == null || version.isBlank() ? checksum.substring(0, 12) : version)
                .setFiles(new LinkedHashMap<>(files))
                .setLoadOrder(order)
                .setChecksum(checksum)
                .setCreatedTs(System.currentTimeMillis() * 1_000_000L)
                .setDescription(description)
                .build();
    }

    /** The rules files of {@code record} in load order (an empty loadOrder means sorted by name). */
    public static List<RulesSource> sources(RulesetRecord record) {
        List<RulesSource> out = new ArrayList<>();
        for (String name : loadOrder(record)) {
            CharSequence content = record.getFiles().get(name);
            if (content == null) {
                content = lookup(record.getFiles(), name);
            }
            if (content == null) {
                throw new IllegalArgumentException("loadOrder names '" + name + "', which is not among the files");
            }
            out.add(new RulesSource(name, content.toString()));
        }
        return out;
    }

    /** Null when the record is consistent; otherwise why it must not be loaded. */
    public static String inconsistency(RulesetRecord record) {
        if (record.getVersion() == null || record.getVersion().toString().isBlank()) {
            return "the record has no version";
        }
        List<String> order;
        try {
            order = loadOrder(record);
            sources(record);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        Map<String, String> files = new LinkedHashMap<>();
        record.getFiles().forEach((k, v) -> files.put(k.toString(), v.toString()));
        String expected = checksum(files, order);
        if (!expected.equalsIgnoreCase(record.getChecksum().toString())) {
            return "checksum mismatch: the record says " + record.getChecksum() + ", its files hash to " + expected;
        }
        return null;
    }

    private static List<String> loadOrder(RulesetRecord record) {
        List<String> order = new ArrayList<>();
        if (record.getLoadOrder().isEmpty()) {
            TreeSet<String> sorted = new TreeSet<>();
            record.getFiles().keySet().forEach(k -> sorted.add(k.toString()));
            order.addAll(sorted);
        } else {
            record.getLoadOrder().forEach(n -> order.add(n.toString()));
        }
        return order;
    }

    private static CharSequence lookup(Map<? extends CharSequence, ? extends CharSequence> files, String name) {
        for (Map.Entry<? extends CharSequence, ? extends CharSequence> e : files.entrySet()) {
            if (e.getKey().toString().equals(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    static String checksum(Map<String, String> files, List<String> order) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String name : order) {
                sha.update(name.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                String content = files.get(name);
                sha.update((content == null ? "" : content).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Plain Avro binary, the value format of the "rules" topic. */
    public static byte[] encode(RulesetRecord record) {
        return AvroBytes.encode(record, new SpecificDatumWriter<>(RulesetRecord.class));
    }

    /** Decodes a "rules" record value; a malformed value is an {@link IllegalArgumentException}. */
    public static RulesetRecord decode(byte[] value) {
        return AvroBytes.decode(value, new SpecificDatumReader<>(RulesetRecord.class), "RulesetRecord");
    }

    /** Avro binary encoding helpers shared by the control records. */
    public static final class AvroBytes {
        private AvroBytes() {
        }

        public static <T> byte[] encode(T record, SpecificDatumWriter<T> writer) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            try {
                writer.write(record, encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }

        public static <T> T decode(byte[] value, SpecificDatumReader<T> reader, String what) {
            if (value == null) {
                throw new IllegalArgumentException("not a " + what + ": the record has no value");
            }
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, null);
            try {
                return reader.read(null, decoder);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("not a " + what + " (" + value.length + " bytes): " + e, e);
            }
        }
    }
}
