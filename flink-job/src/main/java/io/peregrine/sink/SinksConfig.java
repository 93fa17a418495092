package io.peregrine.sink;

import io.peregrine.output.AlertFormat;
import io.peregrine.output.AlertFormatter;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which sinks to run and how alerts look, read from a falco.yaml-shaped map: the top-level
 * {@code json_output}, {@code json_include_output_property}, {@code json_include_tags_property},
 * {@code json_include_message_property}, {@code json_include_output_fields_property},
 * {@code time_format_iso_8601} and {@code buffered_outputs}, Peregrine's {@code json_layout}
 * ({@code grafted}: Falco up to 0.38, the default; {@code object}: Falco 0.39+), and the sections
 * {@code stdout_output}, {@code syslog_output}, {@code file_output}, {@code program_output},
 * {@code http_output}, each
 * with Falco's keys and defaults (http_output: url, user_agent, insecure, ca_cert, ca_bundle,
 * ca_path, mtls, client_cert, client_key, compress_uploads). Peregrine's additions: {@code syslog_output.tag}
 * (default "falco"; syslog is off unless {@code syslog_output.enabled} says true),
 * {@code file_output.rotate_bytes} and
 * {@code file_output.rotate_files}; {@code http_output.queue_capacity}, {@code max_retries},
 * {@code initial_backoff_ms}, {@code max_backoff_ms}, {@code timeout_ms}.
 *
 * <p>Serialisable, so a Flink job ships it to its tasks and builds the sinks there with
 * {@link #createSinks()}. Values may be strings, as after {@code -o key=value} overrides.
 */
public record SinksConfig(AlertFormat format, boolean buffered, boolean stdout, String syslogTag, FileOutput file,
                          ProgramOutput program, HttpOutputConfig http) implements Serializable {

    /** {@code file_output}; {@code rotateBytes <= 0} disables rotation. */
    public record FileOutput(String filename, boolean keepAlive, long rotateBytes, int rotateFiles)
            implements Serializable {
    }

    /** {@code program_output}. */
    public record ProgramOutput(String program, boolean keepAlive) implements Serializable {
    }

    /** Falco's defaults, except syslog: stdout only, text. */
    public static SinksConfig falcoDefaults() {
        return fromFalcoYaml(Map.of());
    }

    /**
     * Reads the output settings of a parsed falco.yaml.
     *
     * @throws IllegalArgumentException naming the key when a value has the wrong shape
     */
    public static SinksConfig fromFalcoYaml(Map<String, ?> yaml) {
        AlertFormat format = AlertFormat.falcoDefaults()
                .withJson(bool(yaml, "json_output", false))
                .withTimeFormatIso8601(bool(yaml, "time_format_iso_8601", false))
                .withIncludeOutput(bool(yaml, "json_include_output_property", true))
                .withIncludeTags(bool(yaml, "json_include_tags_property", true))
                .withIncludeMessage(bool(yaml, "json_include_message_property", false))
                .withIncludeOutputFields(bool(yaml, "json_include_output_fields_property", true))
                .withJsonLayout(AlertFormat.JsonLayout.parse(string(yaml, "json_layout", "grafted")));
        boolean buffered = bool(yaml, "buffered_outputs", false);

        Map<String, ?> stdoutSection = section(yaml, "stdout_output");
        boolean stdout = bool(stdoutSection, "stdout_output.enabled", true);

        // Falco's shipped falco.yaml enables syslog; without the key we leave it off, so that a
        // replay or a test never writes to the machine's syslog unasked.
        Map<String, ?> syslogSection = section(yaml, "syslog_output");
        String syslogTag = bool(syslogSection, "syslog_output.enabled", false)
                ? string(syslogSection, "syslog_output.tag", "falco") : null;

        Map<String, ?> fileSection = section(yaml, "file_output");
        FileOutput file = null;
        if (bool(fileSection, "file_output.enabled", false)) {
            file = new FileOutput(string(fileSection, "file_output.filename", "./events.txt"),
                    bool(fileSection, "file_output.keep_alive", false),
                    number(fileSection, "file_output.rotate_bytes", 0),
                    (int) number(fileSection, "file_output.rotate_files", 5));
        }

        Map<String, ?> programSection = section(yaml, "program_output");
        ProgramOutput program = null;
        if (bool(programSection, "program_output.enabled", false)) {
            program = new ProgramOutput(string(programSection, "program_output.program", ""),
                    bool(programSection, "program_output.keep_alive", false));
        }

        Map<String, ?> httpSection = section(yaml, "http_output");
        HttpOutputConfig http = null;
        if (bool(httpSection, "http_output.enabled", false)) {
            HttpOutputConfig d = HttpOutputConfig.forUrl(string(httpSection, "http_output.url", ""));
            HttpOutputConfig.Tls tls = new HttpOutputConfig.Tls(
                    bool(httpSection, "http_output.insecure", false),
                    string(httpSection, "http_output.ca_cert", ""),
                    string(httpSection, "http_output.ca_bundle", ""),
                    string(httpSection, "http_output.ca_path", HttpOutputConfig.DEFAULT_CA_PATH),
                    bool(httpSection, "http_output.mtls", false),
                    string(httpSection, "http_output.client_cert", "/etc/ssl/certs/client.crt"),
                    string(httpSection, "http_output.client_key", "/etc/ssl/certs/client.key"));
            http = new HttpOutputConfig(d.url(),
                    string(httpSection, "http_output.user_agent", HttpOutputConfig.DEFAULT_USER_AGENT),
                    tls,
                    bool(httpSection, "http_output.compress_uploads", false),
                    (int) number(httpSection, "http_output.queue_capacity", d.queueCapacity()),
                    (int) number(httpSection, "http_output.max_retries", d.maxRetries()),
                    Duration.ofMillis(number(httpSection, "http_output.initial_backoff_ms", d.initialBackoff().toMillis())),
                    Duration.ofMillis(number(httpSection, "http_output.max_backoff_ms", d.maxBackoff().toMillis())),
                    Duration.ofMillis(number(httpSection, "http_output.timeout_ms", d.requestTimeout().toMillis())),
                    d.closeTimeout());
        }
        return new SinksConfig(format, buffered, stdout, syslogTag, file, program, http);
    }

    /** Builds the configured sinks, stdout first; hostname-less formats are the caller's choice. */
    public List<AlertSink> createSinks() {
        AlertFormatter formatter = new AlertFormatter(format);
        List<AlertSink> sinks = new ArrayList<>();
        if (stdout) {
            sinks.add(StdoutSink.toConsole(formatter, buffered));
        }
        if (syslogTag != null) {
            sinks.add(new SyslogSink(syslogTag, formatter));
        }
        if (file != null) {
            sinks.add(new FileSink(Path.of(file.filename()), formatter, file.keepAlive(), buffered,
                    file.rotateBytes(), file.rotateFiles()));
        }
        if (program != null) {
            sinks.add(new ProgramSink(program.program(), formatter, program.keepAlive()));
        }
        if (http != null) {
            sinks.add(new WebhookSink(http, formatter));
        }
        return sinks;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> section(Map<String, ?> yaml, String key) {
        Object value = yaml.get(key);
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            return (Map<String, ?>) map;
        }
        throw new IllegalArgumentException(key + ": expected a mapping, got " + value);
    }

    private static Object lookup(Map<String, ?> map, String dottedKey) {
        return map.get(dottedKey.substring(dottedKey.lastIndexOf('.') + 1));
    }

    private static boolean bool(Map<String, ?> map, String key, boolean dflt) {
        Object v = lookup(map, key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim();
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(key + ": expected true or false, got " + v);
    }

    private static String string(Map<String, ?> map, String key, String dflt) {
        Object v = lookup(map, key);
        return v == null ? dflt : v.toString();
    }

    private static long number(Map<String, ?> map, String key, long dflt) {
        Object v = lookup(map, key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": expected a whole number, got " + v, e);
        }
    }
}
