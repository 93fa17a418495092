package io.peregrine.fields;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldCatalogTest {

    private final FieldCatalog catalog = FieldCatalog.namesOnly();

    @ParameterizedTest(name = "{0} [{1}] is accepted as {2}")
    @CsvSource(nullValues = "null", value = {
        "proc.name,          null,   proc.name",
        "proc.aname,         2,      proc.aname",
        "proc.aname,         null,   proc.aname",
        "proc.apid,          1,      proc.apid",
        "evt.arg.fd,         null,   evt.arg",
        "evt.arg,            0,      evt.arg",
        "evt.arg,            name,   evt.arg",
        "evt.rawarg.res,     null,   evt.rawarg",
        "evt.type.is.open,   null,   evt.type.is",
        "thread.cgroup.cpuacct, null, thread.cgroup",
        "thread.cgroups,     null,   thread.cgroups",
        "k8s.pod.label.app,  null,   k8s.pod.label",
        "k8s.pod.label,      app,    k8s.pod.label",
        "container.mount.dest, /var/*, container.mount.dest",
        "evt.abspath.src,    null,   evt.abspath",
        "evt.abspath,        null,   evt.abspath",
        "evt.latency.s,      null,   evt.latency.s",
        "thread.cap_effective, null, thread.cap_effective",
        "proc.exe_ino.ctime_duration_proc_start, null, proc.exe_ino.ctime_duration_proc_start",
        "fd.types,           null,   fd.types",
        "fd.types,           0,      fd.types",
    })
    void acceptsFieldReferences(String name, String argument, String expectedField) throws Exception {
        assertEquals(expectedField, FieldCatalog.parse(name, argument).definition().name());
        catalog.resolve(name, argument);
    }

    @ParameterizedTest(name = "{0} [{1}] is rejected")
    @CsvSource(nullValues = "null", value = {
        "proc.nosuchfield,   null",
        "nosuchclass.name,   null",
        "proc.name,          1",
        "proc.aname,         x",
        "proc.aname,         -1",
        "evt.arg,            null",
        "evt.type.is,        null",
        "evt.arg.fd,         0",
        "container.mount,    null",
        "evt.abspath.middle, null",
        "evt.around,         soon",
        "proc.name.x,        null",
    })
    void rejectsBadReferencesNamingTheField(String name, String argument) {
        UnknownFieldException e = assertThrows(UnknownFieldException.class,
                () -> catalog.resolve(name, argument));
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void listFieldsAreListsOnlyWithoutIndex() throws Exception {
        assertTrue(catalog.resolve("proc.aname", null).isList());
        assertEquals(false, catalog.resolve("proc.aname", "1").isList());
        assertTrue(catalog.resolve("fd.types", null).isList());
    }

    @Test
    void typesFollowLibsinsp() throws Exception {
        assertEquals(FieldType.INT64, catalog.resolve("proc.pid", null).type());
        assertEquals(FieldType.PORT, catalog.resolve("fd.sport", null).type());
        assertEquals(FieldType.IPNET, catalog.resolve("fd.snet", null).type());
        assertEquals(FieldType.BOOL, catalog.resolve("proc.is_exe_upper_layer", null).type());
        assertEquals(FieldType.RELTIME, catalog.resolve("evt.latency", null).type());
    }

    @Test
    void knowsEverySysdigFieldOfTheSyscallClasses() throws IOException {
        Path listing = corpus().resolve("sysdig_fields.txt");
        Set<String> missing = new TreeSet<>();
        Pattern fieldLine = Pattern.compile("^((evt|proc|thread|user|group|fd|fdlist|container|k8s|syscall)\\.[a-z0-9_.]+)\\s");
        for (String line : Files.readAllLines(listing)) {
            Matcher m = fieldLine.matcher(line + " ");
            if (m.find() && FieldCatalog.definition(m.group(1)) == null) {
                missing.add(m.group(1));
            }
        }
        assertEquals(Set.of(), missing);
    }

    @Test
    void resolvesEverySyscallFieldThatUpstreamRulesUse() throws IOException {
        Pattern reference = Pattern.compile(
                "(?<![\\w.])((?:evt|proc|thread|user|group|fd|fdlist|container|k8s)\\.[a-z_][a-z0-9_.]*[a-z0-9_])(?:\\[([^\\]\\s]+)\\])?(?![\\w./-])");
        List<String> unknown = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        try (Stream<Path> files = Files.walk(corpus().resolve("rules"))) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".yaml"))::iterator) {
                if (file.toString().contains("k8saudit") || file.toString().contains("cloudtrail")) {
                    continue;
                }
                Matcher m = reference.matcher(conditionsAndOutputs(file));
                while (m.find()) {
                    String name = m.group(1);
                    String argument = m.group(2);
                    if (!seen.add(name + "|" + argument) || name.equals("container.info")) {
                        continue;
                    }
                    try {
                        FieldCatalog.parse(name, argument);
                    } catch (UnknownFieldException e) {
                        unknown.add(file.getFileName() + ": " + e.getMessage());
                    }
                }
            }
        }
        assertEquals(List.of(), unknown);
    }

    /** The condition and output texts of a rules file: where field references live (not in comments or lists). */
    @SuppressWarnings("unchecked")
    private static String conditionsAndOutputs(Path file) throws IOException {
        StringBuilder text = new StringBuilder();
        Object document = new org.yaml.snakeyaml.Yaml().load(Files.readString(file));
        if (document instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof java.util.Map<?, ?> map) {
                    for (String key : List.of("condition", "output")) {
                        if (map.get(key) instanceof String value) {
                            text.append(value).append('\n');
                        }
                    }
                }
            }
        }
        return text.toString();
    }

    static Path corpus() {
        return Path.of(System.getProperty("peregrine.corpus", "../../shared/corpus"));
    }
}
