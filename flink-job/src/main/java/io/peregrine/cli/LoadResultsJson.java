package io.peregrine.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peregrine.rules.load.Diagnostic;
import io.peregrine.rules.load.RulesLoader;

/**
 * Load results as JSON in the shape of Falco's {@code -V} output with {@code json_output}:
 * {@code {"falco_load_results": [{"name", "successful", "errors": [...], "warnings": [...]}]}},
 * each problem with {@code code}, {@code codedesc}, {@code message} and a {@code context} locating
 * the item (type, name, file, line, column).
 */
final class LoadResultsJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LoadResultsJson() {
    }

    static String render(RulesLoader.Result result, boolean errorsOnly) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode files = root.putArray("falco_load_results");
        for (RulesLoader.FileResult file : result.files()) {
            ObjectNode f = files.addObject();
            f.put("name", file.file());
            f.put("successful", !file.hasErrors());
            ArrayNode errors = f.putArray("errors");
            ArrayNode warnings = f.putArray("warnings");
            for (Diagnostic d : file.diagnostics()) {
                if (d.isError()) {
                    problem(errors.addObject(), d);
                } else if (!errorsOnly) {
                    problem(warnings.addObject(), d);
                }
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void problem(ObjectNode out, Diagnostic d) {
        out.put("code", d.code().name());
        out.put("codedesc", d.code().description());
        out.put("message", d.message());
        ObjectNode location = out.putObject("context").putArray("locations").addObject();
        location.put("item_type", d.itemType());
        location.put("item_name", d.itemName());
        ObjectNode position = location.putObject("position");
        position.put("name", d.position() == null ? "" : d.position().file());
        position.put("line", d.position() == null ? 0 : d.position().line());
        position.put("column", d.position() == null ? 0 : d.position().column());
    }
}
