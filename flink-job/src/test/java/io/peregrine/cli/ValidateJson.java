package io.peregrine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The 2023 harness's checks of {@code -V} with json_output (falco_test.py check_validate_errors /
 * check_validate_warnings): the first stdout line is {@code {"falco_load_results": [...]}}; every
 * expected problem must appear in some file's {@code errors} (or {@code warnings}) with the same
 * code, the same message (or one containing {@code message_contains}) and a location naming the
 * same item type and name.
 */
final class ValidateJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ValidateJson() {
    }

    /** Each expected problem of {@code cell} (a JSON list) not found in {@code stdout}, as a sentence. */
    static List<String> check(String cell, String kind, String stdout) throws IOException {
        List<String> problems = new ArrayList<>();
        if (cell.isEmpty()) {
            return problems;
        }
        JsonNode results;
        try {
            results = JSON.readTree(stdout.lines().findFirst().orElse("")).path("falco_load_results");
        } catch (IOException e) {
            problems.add("first stdout line is not the JSON load result");
            return problems;
        }
        for (JsonNode expected : JSON.readTree(cell)) {
            if (!found(results, kind, expected)) {
                problems.add("no " + kind + " entry " + expected.path("code").asText() + " for "
                        + expected.path("item_type").asText() + " '" + expected.path("item_name").asText() + "' with message "
                        + (expected.has("message") ? "'" + expected.path("message").asText() + "'"
                                : "containing '" + expected.path("message_contains").asText() + "'"));
            }
        }
        return problems;
    }

    private static boolean found(JsonNode results, String kind, JsonNode expected) {
        for (JsonNode file : results) {
            for (JsonNode problem : file.path(kind)) {
                if (!problem.path("code").asText().equals(expected.path("code").asText())) {
                    continue;
                }
                String message = problem.path("message").asText();
                boolean messageMatches = expected.has("message") ? message.equals(expected.path("message").asText())
                        : message.contains(expected.path("message_contains").asText());
                if (!messageMatches) {
                    continue;
                }
                for (JsonNode location : problem.path("context").path("locations")) {
                    if (location.path("item_type").asText().equals(expected.path("item_type").asText())
                            && location.path("item_name").asText().equals(expected.path("item_name").asText())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
