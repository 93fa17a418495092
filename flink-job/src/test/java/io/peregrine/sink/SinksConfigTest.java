package io.peregrine.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

class SinksConfigTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreFalcosStdoutOnlyTextWithLocalTime() {
        SinksConfig config = SinksConfig.falcoDefaults();
        assertThat(config.stdout()).isTrue();
        assertThat(config.syslogTag()).isNull();
        assertThat(config.file()).isNull();
        assertThat(config.program()).isNull();
        assertThat(config.http()).isNull();
        assertThat(config.format().json()).isFalse();
        assertThat(config.format().timeFormatIso8601()).isFalse();
        assertThat(config.format().includeOutput()).isTrue();
        assertThat(config.format().includeTags()).isTrue();
        assertThat(config.format().jsonLayout()).isEqualTo(io.peregrine.output.AlertFormat.JsonLayout.GRAFTED);
    }

    @Test
    void readsEveryOutputFromFalcoYaml() {
        Map<String, Object> yaml = new Yaml().load("""
                json_output: true
                json_include_output_property: false
                json_include_tags_property: false
                json_include_message_property: true
                json_layout: object
                time_format_iso_8601: true
                buffered_outputs: true
                stdout_output:
                  enabled: false
                syslog_output:
                  enabled: true
                file_output:
                  enabled: true
                  keep_alive: true
                  filename: %s/events.txt
                  rotate_bytes: 1048576
                  rotate_files: 3
                program_output:
                  enabled: true
                  keep_alive: false
                  program: "jq '{text: .output}'"
                http_output:
                  enabled: true
                  url: http://127.0.0.1:2801/
                  user_agent: "falcosecurity/falco"
                  insecure: true
                  compress_uploads: true
                  max_retries: 7
                  queue_capacity: 50
                  timeout_ms: 1500
                """.formatted(dir));
        SinksConfig config = SinksConfig.fromFalcoYaml(yaml);
        assertThat(config.format().json()).isTrue();
        assertThat(config.format().includeOutput()).isFalse();
        assertThat(config.format().includeTags()).isFalse();
        assertThat(config.format().timeFormatIso8601()).isTrue();
        assertThat(config.format().includeMessage()).isTrue();
        assertThat(config.format().includeOutputFields()).isTrue();
        assertThat(config.format().jsonLayout()).isEqualTo(io.peregrine.output.AlertFormat.JsonLayout.OBJECT);
        assertThat(config.buffered()).isTrue();
        assertThat(config.stdout()).isFalse();
        assertThat(config.syslogTag()).isEqualTo("falco");
        assertThat(config.file()).isEqualTo(new SinksConfig.FileOutput(dir + "/events.txt", true, 1048576, 3));
        assertThat(config.program()).isEqualTo(new SinksConfig.ProgramOutput("jq '{text: .output}'", false));
        assertThat(config.http().url()).isEqualTo("http://127.0.0.1:2801/");
        assertThat(config.http().tls().insecure()).isTrue();
        assertThat(config.http().compressUploads()).isTrue();
        assertThat(config.http().maxRetries()).isEqualTo(7);
        assertThat(config.http().queueCapacity()).isEqualTo(50);
        assertThat(config.http().requestTimeout()).isEqualTo(Duration.ofMillis(1500));

        List<AlertSink> sinks = config.createSinks();
        try {
            assertThat(sinks).extracting(AlertSink::name).containsExactly("syslog", "file", "program", "http");
        } finally {
            sinks.forEach(AlertSink::close);
        }
    }

    @Test
    void acceptsStringValuesAsLeftByDashOOverrides() {
        SinksConfig config = SinksConfig.fromFalcoYaml(Map.of("json_output", "true",
                "file_output", Map.of("enabled", "true", "filename", "x.txt", "rotate_bytes", "10")));
        assertThat(config.format().json()).isTrue();
        assertThat(config.file().rotateBytes()).isEqualTo(10);
    }

    @Test
    void namesTheKeyOfAValueOfTheWrongShape() {
        assertThatThrownBy(() -> SinksConfig.fromFalcoYaml(Map.of("json_output", "yes please")))
                .hasMessageContaining("json_output");
        assertThatThrownBy(() -> SinksConfig.fromFalcoYaml(Map.of("file_output", "on")))
                .hasMessageContaining("file_output");
        assertThatThrownBy(() -> SinksConfig.fromFalcoYaml(Map.of("http_output", Map.of("enabled", true))))
                .hasMessageContaining("http_output.url");
        assertThatThrownBy(() -> SinksConfig.fromFalcoYaml(
                Map.of("http_output", Map.of("enabled", true, "url", "u", "max_retries", "many"))))
                .hasMessageContaining("http_output.max_retries");
    }
}
