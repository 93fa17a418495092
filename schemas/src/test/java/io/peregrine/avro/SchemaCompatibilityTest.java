package io.peregrine.avro;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The evolution rules of schemas/README.md, enforced: every current schema reads data written with
 * the last released version (backward) and that version reads data written with the current one
 * (forward). Released versions live in src/test/resources/schema-history/&lt;version&gt;/.
 */
class SchemaCompatibilityTest {

    /** Every top-level record of the contract, as compiled. */
    static List<Schema> current() {
        return List.of(EventBatch.getClassSchema(), SyscallEvent.getClassSchema(), ProcessSnapshot.getClassSchema(),
                FdSnapshot.getClassSchema(), ContainerInfo.getClassSchema(), UserInfo.getClassSchema(),
                GroupInfo.getClassSchema(), CaptureStats.getClassSchema(), Alert.getClassSchema(),
                RulesetRecord.getClassSchema(), RulesetStatus.getClassSchema(), EventTypeSet.getClassSchema());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("current")
    void readsAndIsReadByTheLastReleasedVersion(Schema schema) throws Exception {
        Map<String, Schema> released = released(latestReleasedVersion());
        Schema old = released.get(schema.getFullName());
        assertThat(old).as("%s missing from schema-history/%s: a new type needs a history entry",
                schema.getFullName(), latestReleasedVersion()).isNotNull();
        assertCompatible(schema, old, "backward: current reads data written with the released schema");
        assertCompatible(old, schema, "forward: the released schema reads data written with the current one");
    }

    @Test
    void theCheckRejectsAnIncompatibleChange() throws Exception {
        Schema broken = new Schema.Parser().parse(resource("schema-incompatible/SyscallEvent.avsc"));
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(broken, SyscallEvent.getClassSchema()).getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(SyscallEvent.getClassSchema(), broken).getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void batchesAndTypeSetsNameTheEventTableThisBuildCarries() {
        assertThat(EventBatch.getClassSchema().getField("eventTableVersion").defaultVal())
                .isEqualTo(io.peregrine.event.EventTable.VERSION);
        assertThat(EventTypeSet.getClassSchema().getField("eventTableVersion").defaultVal())
                .isEqualTo(io.peregrine.event.EventTable.VERSION);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("current")
    void everyRecordAndFieldIsDocumented(Schema schema) {
        assertDocumented(schema, new ArrayList<>());
    }

    private static void assertDocumented(Schema schema, List<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.contains(schema.getFullName())) {
                    return;
                }
                seen.add(schema.getFullName());
                assertThat(schema.getDoc()).as(schema.getFullName() + " doc").isNotBlank();
                for (Schema.Field f : schema.getFields()) {
                    assertThat(f.doc()).as(schema.getFullName() + "." + f.name() + " doc").isNotBlank();
                    assertDocumented(f.schema(), seen);
                }
            }
            case ARRAY -> assertDocumented(schema.getElementType(), seen);
            case MAP -> assertDocumented(schema.getValueType(), seen);
            case UNION -> schema.getTypes().forEach(t -> assertDocumented(t, seen));
            default -> {
            }
        }
    }

    private static void assertCompatible(Schema reader, Schema writer, String what) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        assertThat(result.getType()).as("%s %s: %s", reader.getFullName(), what, result.getDescription())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    /** The highest numbered directory under schema-history. */
    static String latestReleasedVersion() throws IOException, URISyntaxException {
        Path history = Path.of(SchemaCompatibilityTest.class.getResource("/schema-history").toURI());
        try (Stream<Path> versions = Files.list(history)) {
            return versions.map(p -> p.getFileName().toString()).max(Comparator.comparingInt(Integer::parseInt))
                    .orElseThrow();
        }
    }

    /** Every named record of a released version: common/ first (the others refer to those types). */
    static Map<String, Schema> released(String version) throws IOException, URISyntaxException {
        Path dir = Path.of(SchemaCompatibilityTest.class.getResource("/schema-history/" + version).toURI());
        Schema.Parser parser = new Schema.Parser();
        Map<String, Schema> out = new HashMap<>();
        for (Path file : avsc(dir.resolve("common"))) {
            add(out, parser.parse(file.toFile()));
        }
        for (Path file : avsc(dir)) {
            add(out, parser.parse(file.toFile()));
        }
        return out;
    }

    private static void add(Map<String, Schema> out, Schema schema) {
        out.put(schema.getFullName(), schema);
    }

    private static List<Path> avsc(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
        }
    }

    private static InputStream resource(String name) {
        return SchemaCompatibilityTest.class.getResourceAsStream("/" + name);
    }
}
