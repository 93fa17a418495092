package io.peregrine.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlertFormatterTest {

    private static final Path CORPUS = Path.of(System.getProperty("peregrine.corpus", "../../shared/corpus"));

    /** The eight open events of cat_write.scap that rules/single_rule_with_tags.yaml matches. */
    private static final long[] CAT_WRITE_OPEN_TIMES = {
        1470327477881781397L, 1470327477881785348L, 1470327477881796705L, 1470327477881799840L,
        1470327477882003104L, 1470327477882008208L, 1470327477882045694L, 1470327477882054739L,
    };

    private static final AlertFormat JSON_ISO = AlertFormat.falcoDefaults().withJson(true).withTimeFormatIso8601(true);

    private static List<Alert> catWriteAlerts(String hostname) {
        return Arrays.stream(CAT_WRITE_OPEN_TIMES).mapToObj(t -> Alert.builder()
                .timeNs(t).rule("open_from_cat").priority(Priority.WARNING).hostname(hostname)
                .output("An open was seen (command=cat /dev/null)")
                .field("proc.cmdline", "cat /dev/null")
                .tags("testing", "process", "filesystem")
                .build()).toList();
    }

    private static List<String> expectedLines(String suite, String file) throws IOException {
        return Files.readAllLines(CORPUS.resolve("falco-tests").resolve(suite).resolve("test/output_files").resolve(file),
                StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource({"falco-0.31.1", "falco-0.32.0"})
    void jsonEqualsFalcoBeforeHostnameByteForByte(String suite) throws IOException {
        AlertFormatter formatter = new AlertFormatter(JSON_ISO.withIncludeHostname(false));
        List<String> lines = catWriteAlerts("ignored").stream().map(formatter::line).toList();
        assertThat(lines).containsExactlyElementsOf(expectedLines(suite, "single_rule_with_cat_write.json"));
    }

    @Test
    void jsonEqualsFalcoWithHostnameByteForByte() throws IOException {
        AlertFormatter formatter = new AlertFormatter(JSON_ISO);
        List<String> lines = catWriteAlerts("test-falco-hostname").stream().map(formatter::line).toList();
        assertThat(lines).containsExactlyElementsOf(
                expectedLines("falco-2583ea9-2023-08-02-last", "single_rule_with_cat_write.json"));
    }

    @ParameterizedTest
    @CsvSource({"falco-0.31.1", "falco-0.32.0", "falco-2583ea9-2023-08-02-last"})
    void textEqualsFalcoWithIso8601Time(String suite) throws IOException {
        AlertFormatter formatter = new AlertFormatter(AlertFormat.falcoDefaults().withTimeFormatIso8601(true));
        List<String> lines = catWriteAlerts("h").stream().map(formatter::line).toList();
        assertThat(lines).containsExactlyElementsOf(expectedLines(suite, "single_rule_with_cat_write.txt"));
    }

    @Test
    void textWithoutIso8601PrintsLocalTimeOfDay() {
        Alert alert = catWriteAlerts("h").get(0);
        assertThat(new AlertFormatter(AlertFormat.falcoDefaults(), 0).line(alert))
                .isEqualTo("16:17:57.881781397: Warning An open was seen (command=cat /dev/null)");
        assertThat(new AlertFormatter(AlertFormat.falcoDefaults(), -7 * 3600).line(alert))
                .isEqualTo("09:17:57.881781397: Warning An open was seen (command=cat /dev/null)");
    }

    @Test
    void jsonWithoutIso8601CarriesEvtTimeInOutputAndFields() {
        Alert alert = catWriteAlerts("h").get(0);
        String line = new AlertFormatter(AlertFormat.falcoDefaults().withJson(true), 0).line(alert);
        assertThat(line).isEqualTo("{\"hostname\":\"h\",\"output\":\"16:17:57.881781397: Warning An open was seen"
                + " (command=cat /dev/null)\",\"priority\":\"Warning\",\"rule\":\"open_from_cat\",\"source\":\"syscall\","
                + "\"tags\":[\"filesystem\",\"process\",\"testing\"],\"time\":\"2016-08-04T16:17:57.881781397Z\", "
                + "\"output_fields\": {\"evt.time\":1470327477881781397,\"proc.cmdline\":\"cat /dev/null\"}}");
    }

    @Test
    void jsonDropsOutputAndTagsWhenConfiguredAndWritesEmptyTagsAsArray() {
        Alert alert = Alert.builder().timeNs(1_000_000_001L).rule("r").priority(Priority.INFORMATIONAL)
                .output("o").build();
        AlertFormat base = JSON_ISO.withIncludeHostname(false);
        assertThat(new AlertFormatter(base).line(alert)).isEqualTo(
                "{\"output\":\"1970-01-01T00:00:01.000000001+0000: Informational o\",\"priority\":\"Informational\","
                        + "\"rule\":\"r\",\"source\":\"syscall\",\"tags\":[],\"time\":\"1970-01-01T00:00:01.000000001Z\", "
                        + "\"output_fields\": {\"evt.time.iso8601\":1000000001}}");
        assertThat(new AlertFormatter(base.withIncludeOutput(false).withIncludeTags(false)).line(alert)).isEqualTo(
                "{\"priority\":\"Informational\",\"rule\":\"r\",\"source\":\"syscall\","
                        + "\"time\":\"1970-01-01T00:00:01.000000001Z\", \"output_fields\": {\"evt.time.iso8601\":1000000001}}");
    }

    @Test
    void outputFieldsAreTypedAndSortedAsLibsinspWritesThem() {
        Alert alert = Alert.builder().timeNs(0).rule("r").priority(Priority.DEBUG).output("x")
                .field("proc.pid", 42L)
                .field("fd.name", null)
                .field("evt.is_io", true)
                .field("evt.arg.flags", "O_RDONLY")
                .field("container.id", "host")
                .field("proc.vmsize", Alert.unsigned(-1L))
                .field("fd.sport", 8080)
                .build();
        String line = new AlertFormatter(JSON_ISO.withIncludeHostname(false)).line(alert);
        assertThat(line).endsWith("\"output_fields\": {\"container.id\":\"host\",\"evt.arg.flags\":\"O_RDONLY\","
                + "\"evt.is_io\":true,\"evt.time.iso8601\":0,\"fd.name\":null,\"fd.sport\":8080,\"proc.pid\":42,"
                + "\"proc.vmsize\":18446744073709551615}}");
        assertThat(alert.outputFields().get("proc.vmsize")).isEqualTo(new BigInteger("18446744073709551615"));
    }

    @Test
    void nonSyscallSourcesKeepTheirName() {
        Alert alert = Alert.builder().timeNs(0).rule("r").priority(Priority.ALERT).source("k8s_audit").build();
        assertThat(new AlertFormatter(JSON_ISO).line(alert)).contains("\"source\":\"k8s_audit\"");
    }

    /** A Falco 0.40-era alert as published in a user's notes (one line, time_format_iso_8601 off, UTC host). */
    @Test
    void objectLayoutEqualsFalco039AndLater() {
        Alert alert = Alert.builder().timeNs(1749208991855188321L).rule("run_shell_in_container")
                .priority(Priority.WARNING).hostname("romanenko-worker-f05368e7-4m2dt-wkcj4")
                .output("Shell spawned in a container other than entrypoint (user=root container_id=998306071edc "
                        + "container_name=nginx shell=bash parent=runc cmdline=bash)")
                .field("user.name", "root").field("container.id", "998306071edc").field("container.name", "nginx")
                .field("proc.name", "bash").field("proc.pname", "runc").field("proc.cmdline", "bash")
                .build();
        AlertFormat format = AlertFormat.falcoDefaults().withJson(true).withJsonLayout(AlertFormat.JsonLayout.OBJECT);
        assertThat(new AlertFormatter(format, 0).line(alert)).isEqualTo("{\"hostname\":\"romanenko-worker-f05368e7-4m2dt-wkcj4\","
                + "\"output\":\"11:23:11.855188321: Warning Shell spawned in a container other than entrypoint (user=root "
                + "container_id=998306071edc container_name=nginx shell=bash parent=runc cmdline=bash)\",\"output_fields\":"
                + "{\"container.id\":\"998306071edc\",\"container.name\":\"nginx\",\"evt.time\":1749208991855188321,"
                + "\"proc.cmdline\":\"bash\",\"proc.name\":\"bash\",\"proc.pname\":\"runc\",\"user.name\":\"root\"},"
                + "\"priority\":\"Warning\",\"rule\":\"run_shell_in_container\",\"source\":\"syscall\",\"tags\":[],"
                + "\"time\":\"2025-06-06T11:23:11.855188321Z\"}");
    }

    @Test
    void objectLayoutAddsMessageAndDropsOutputFieldsWhenConfigured() {
        Alert alert = Alert.builder().timeNs(1_000_000_001L).rule("r").priority(Priority.ERROR).output("o\u0001").build();
        AlertFormat format = AlertFormat.falcoDefaults().withJson(true).withTimeFormatIso8601(true)
                .withJsonLayout(AlertFormat.JsonLayout.OBJECT).withIncludeMessage(true).withIncludeOutputFields(false)
                .withIncludeHostname(false).withIncludeTags(false);
        assertThat(new AlertFormatter(format).line(alert)).isEqualTo("{\"message\":\"o\\u0001\","
                + "\"output\":\"1970-01-01T00:00:01.000000001+0000: Error o\\u0001\",\"priority\":\"Error\",\"rule\":\"r\","
                + "\"source\":\"syscall\",\"time\":\"1970-01-01T00:00:01.000000001Z\"}");
    }
}
