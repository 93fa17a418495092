package io.peregrine.rules.load;

import io.peregrine.rules.load.RulesItem.ExceptionDef;
import io.peregrine.rules.load.RulesItem.PluginRequirement;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * First stage of loading: YAML text to {@link RulesItem}s, keeping the line and column of every
 * item, and reporting structural problems (not YAML, not a sequence of maps, missing or empty
 * required keys) with Falco's messages.
 */
public final class RulesReader {

    /** Item types of problems with the whole file, and with an item that is not a mapping (Falco's names). */
    public static final String CONTENT = "rules content";
    public static final String CONTENT_ITEM = "rules content item";

    /** The items of one file and the problems found reading it. */
    public record Result(List<RulesItem> items, List<Diagnostic> diagnostics) {
    }

    private final String file;
    private final String content;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    /** Whether offsets in code points (SnakeYAML's) differ from char offsets in {@code content}. */
    private final boolean hasSurrogates;
    /** The YAML of the item being read, quoted by its diagnostics. */
    private String excerpt = "";

    private RulesReader(String file, String content) {
        this.file = file;
        this.content = content;
        this.hasSurrogates = content.chars().anyMatch(c -> Character.isSurrogate((char) c));
    }

    /** Reads the content of {@code file} (the name is only used in diagnostics). */
    public static Result read(String file, String content) {
        RulesReader reader = new RulesReader(file, content);
        List<RulesItem> items = reader.readAll(content);
        return new Result(items, reader.diagnostics);
    }

    private List<RulesItem> readAll(String content) {
        List<RulesItem> items = new ArrayList<>();
        List<Node> documents = new ArrayList<>();
        try {
            LoaderOptions options = new LoaderOptions();
            options.setCodePointLimit(64 * 1024 * 1024);
            for (Node doc : new Yaml(options).composeAll(new StringReader(content))) {
                documents.add(doc);
            }
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            Position pos = mark == null ? Position.ofFile(file) : at(mark);
            excerpt = content.strip();
            String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
            error(LoadCode.LOAD_ERR_YAML_PARSE, pos, CONTENT, "", yamlCppWording(problem, pos));
            return items;
        } catch (YAMLException e) {
            excerpt = content.strip();
            error(LoadCode.LOAD_ERR_YAML_PARSE, Position.ofFile(file), CONTENT, "", e.getMessage());
            return items;
        }
        for (int d = 0; d < documents.size(); d++) {
            Node doc = documents.get(d);
            if (doc == null || isNull(doc)) {
                continue;
            }
            if (!(doc instanceof SequenceNode seq)) {
                excerpt = content.strip();
                error(LoadCode.LOAD_ERR_YAML_VALIDATE, at(doc), CONTENT, "", doc instanceof ScalarNode
                        ? "Rules content is not yaml" : "Rules content is not yaml array of objects");
                excerpt = "";
                continue;
            }
            List<Node> elements = seq.getValue();
            for (int i = 0; i < elements.size(); i++) {
                Node element = elements.get(i);
                if (isNull(element)) {
                    // An empty item ("-" alone) is skipped, as Falco's reader does.
                    continue;
                }
                excerpt = excerpt(element, i + 1 < elements.size() ? elements.get(i + 1) : null,
                        d + 1 < documents.size() ? documents.get(d + 1) : null);
                if (!(element instanceof MappingNode map)) {
                    error(LoadCode.LOAD_ERR_YAML_VALIDATE, at(element), CONTENT_ITEM, "",
                            "Unexpected element type. Each element should be a yaml associative array.");
                    continue;
                }
                RulesItem item = item(map);
                if (item != null) {
                    items.add(item);
                }
            }
            excerpt = "";
        }
        return items;
    }

    /**
     * A YAML syntax error in the words of Falco's YAML library (yaml-cpp: {@code yaml-cpp: error at
     * line L, column C: MESSAGE}) where we know its equivalent of SnakeYAML's problem; else
     * SnakeYAML's.
     */
    static String yamlCppWording(String snakeYamlProblem, Position pos) {
        String yamlCpp = switch (snakeYamlProblem) {
            case "mapping values are not allowed here" -> "illegal map value";
            default -> null;
        };
        return yamlCpp == null || pos.line() == 0 ? snakeYamlProblem
                : "yaml-cpp: error at line " + pos.line() + ", column " + pos.column() + ": " + yamlCpp;
    }

    /**
     * An item's text as Falco's reader (yaml_get_context) cuts it: from its "- " mark to the next
     * item's, or to the next document's "---", or to the end of the file; trimmed. Falco quotes it
     * in error texts, so users see the item the error is about.
     */
    private String excerpt(Node element, Node nextElement, Node nextDocument) {
        int from = Math.max(0, offset(element.getStartMark()) - 2);
        int to;
        if (nextElement != null) {
            to = offset(nextElement.getStartMark()) - 2;
        } else if (nextDocument != null) {
            to = offset(nextDocument.getStartMark()) - 4;
        } else {
            to = content.length();
        }
        to = Math.min(content.length(), to);
        return to <= from ? "" : content.substring(from, to).strip();
    }

    private static final Set<String> LIST_KEYS = Set.of("list", "items", "append", "override");
    private static final Set<String> MACRO_KEYS = Set.of("macro", "condition", "append", "override", "source");
    private static final Set<String> RULE_KEYS = Set.of("rule", "condition", "output", "desc", "priority", "source",
            "enabled", "capture", "capture_duration", "warn_evttypes", "skip-if-unknown-filter", "tags", "exceptions",
            "override", "append");

    private RulesItem item(MappingNode map) {
        Map<String, Node> keys = keys(map);
        Position pos = at(map);
        warnUnknownKeys(map, keys);
        if (keys.containsKey("required_engine_version")) {
            Node v = keys.get("required_engine_version");
            String text = v instanceof ScalarNode s ? s.getValue().trim() : "";
            if (!text.matches("\\d+|\\d+\\.\\d+\\.\\d+")) {
                // Falco's words; the position points at the value (a number, or a semver string).
                error(LoadCode.LOAD_ERR_YAML_VALIDATE, at(v), "required_engine_version", "",
                        "Can't decode YAML scalar value");
                return null;
            }
            return new RulesItem.EngineVersion(text, pos);
        }
        if (keys.containsKey("required_plugin_versions")) {
            return pluginVersions(keys.get("required_plugin_versions"), pos);
        }
        if (keys.containsKey("list")) {
            return list(keys, pos);
        }
        if (keys.containsKey("macro")) {
            return macro(keys, pos);
        }
        if (keys.containsKey("rule")) {
            return rule(keys, pos);
        }
        warning(LoadCode.LOAD_UNKNOWN_ITEM, pos, "", "", "Unknown top level item " + keys.keySet());
        return null;
    }

    /** Falco (0.38+) warns about keys an item does not know, which are usually typos. */
    private void warnUnknownKeys(MappingNode map, Map<String, Node> keys) {
        Set<String> known;
        String type;
        if (keys.containsKey("required_engine_version")) {
            known = Set.of("required_engine_version");
            type = "required_engine_version";
        } else if (keys.containsKey("required_plugin_versions")) {
            known = Set.of("required_plugin_versions");
            type = "required_plugin_versions";
        } else if (keys.containsKey("list")) {
            known = LIST_KEYS;
            type = "list";
        } else if (keys.containsKey("macro")) {
            known = MACRO_KEYS;
            type = "macro";
        } else if (keys.containsKey("rule")) {
            known = RULE_KEYS;
            type = "rule";
        } else {
            return;
        }
        String name = type.startsWith("required") ? "" : String.valueOf(scalar(keys.get(type)));
        for (NodeTuple t : map.getValue()) {
            String key = scalar(t.getKeyNode());
            if (key != null && !known.contains(key)) {
                warning(LoadCode.LOAD_UNKNOWN_KEY, at(t.getKeyNode()), type, name,
                        "Unknown key '" + key + "'. The key will be ignored.");
            }
        }
    }

    private RulesItem pluginVersions(Node node, Position pos) {
        List<PluginRequirement> plugins = new ArrayList<>();
        if (!(node instanceof SequenceNode seq)) {
            error(LoadCode.LOAD_ERR_YAML_VALIDATE, at(node), "required_plugin_versions", "",
                    "Value of required_plugin_versions must be a sequence");
            return null;
        }
        for (Node entry : seq.getValue()) {
            PluginRequirement p = plugin(entry);
            if (p == null) {
                return null;
            }
            plugins.add(p);
        }
        return new RulesItem.PluginVersions(plugins, pos);
    }

    private PluginRequirement plugin(Node entry) {
        Map<String, Node> keys = entry instanceof MappingNode m ? keys(m) : Map.of();
        String name = scalar(keys.get("name"));
        String version = scalar(keys.get("version"));
        if (name == null || name.isEmpty() || version == null || version.isEmpty()) {
            error(LoadCode.LOAD_ERR_YAML_VALIDATE, at(entry), "required_plugin_versions", name == null ? "" : name,
                    "Item has no mapping for key '" + (name == null || name.isEmpty() ? "name" : "version") + "'");
            return null;
        }
        List<PluginRequirement> alternatives = new ArrayList<>();
        if (keys.get("alternatives") instanceof SequenceNode alts) {
            for (Node alt : alts.getValue()) {
                PluginRequirement a = plugin(alt);
                if (a == null) {
                    return null;
                }
                alternatives.add(a);
            }
        }
        return new PluginRequirement(name, version, alternatives);
    }

    private RulesItem list(Map<String, Node> keys, Position pos) {
        String name = scalar(keys.get("list"));
        if (name == null || name.isEmpty()) {
            error(LoadCode.LOAD_ERR_YAML_VALIDATE, pos, "list", "", "Mapping for key 'list' is empty");
            return null;
        }
        if (!name.matches("[^ \\u0008\\t\\n\\r(),=\"']+")) {
            warning(LoadCode.LOAD_INVALID_LIST_NAME, pos, "list", name,
                    "List has an invalid name. List names should match a regular expression: [^ \\b\\t\\n\\r(),=\"']+");
        }
        Node itemsNode = keys.get("items");
        if (itemsNode == null) {
            error(LoadCode.LOAD_ERR_YAML_VALIDATE, pos, "list", name, "Item has no mapping for key 'items'");
            return null;
        }
        List<String> items = new ArrayList<>();
        if (itemsNode instanceof SequenceNode seq) {
            for (Node n : seq.getValue()) {
                if (!(n instanceof ScalarNode s)) {
                    error(LoadCode.LOAD_ERR_YAML_VALIDATE, at(n), "list", name, "List items must be strings");
                    return null;
                }
                items.add(s.getValue());
            }
        } else if (!isNull(itemsNode)) {
            error(LoadCode.LOAD_ERR_YAML_VALIDATE, at(itemsNode), "list", name, "Value of 'items' must be a sequence");
            return null;
        }
        Map<String, String> override = override(keys, pos, "list", name);
        if (override == null) {
            return null;
        }
        return new RulesItem.ListDef(name, items, bool(keys, "append", pos, "list", name, false), override, pos,
                excerpt);
    }

    private RulesItem macro(Map<String, Node> keys, Position pos) {
        String name = scalar(keys.get("macro"));
        if (name == null || name.isEmpty()) {
            error(LoadCode.LOAD_ERR_YAML_VALIDATE, pos, "macro", "", "Mapping for key 'macro' is empty");
            return null;
        }
        if (!name.matches("[a-zA-Z]+[a-zA-Z0-9_]*")) {
            warning(LoadCode.LOAD_INVALID_MACRO_NAME, pos, "macro", name,
                    "Macro has an invalid name. Macro names should match a regular expression: [a-zA-Z]+[a-zA-Z0-9_]*");
        }
        Node cond = keys.get("condition");
        if (!(cond instanceof ScalarNode) || isNull(cond)) {
            error(LoadCode.LOAD_ERR_YAML_VALIDATE, pos, "macro", name, "Item has no mapping for key 'condition'");
            return null;
        }
        Map<String, String> override = override(keys, pos, "macro", name);
        if (override == null) {
            return null;
        }
        return new RulesItem.MacroDef(name, scalar(cond), valueSource(cond), bool(keys, "append", pos, "macro", name, false),
                override, scalar(keys.get("source")), pos, excerpt);
    }

    private RulesItem rule(Map<String, Node> keys, Position pos) {
        String name = scalar(keys.get("rule"));
        if (name == null || name.isEmpty()) {
            error(LoadCode.LOAD_ERR_YAML_VALIDATE, pos, "rule", "", "Mapping for key 'rule' is empty");
            return null;
        }
        boolean append = bool(keys, "append", pos, "rule", name, false);
        Map<String, String> override = override(keys, pos, "rule", name);
        if (override == null) {
            return null;
        }
        Node cond = keys.get("condition");
        Node out = keys.get("output");
        List<ExceptionDef> exceptions = null;
        if (keys.containsKey("exceptions")) {
            exceptions = exceptions(keys.get("exceptions"), name, append || override.containsKey("exceptions"));
            if (exceptions == null) {
                return null;
            }
        }
        List<String> tags = null;
        if (keys.containsKey("tags")) {
            tags = new ArrayList<>();
            if (keys.get("tags") instanceof SequenceNode seq) {
                for (Node t : seq.getValue()) {
                    if (scalar(t) == null) {
                        error(LoadCode.LOAD_ERR_YAML_VALIDATE, at(t), "rule", name, "Tags must be strings");
                        return null;
                    }
                    tags.add(scalar(t));
                }
            } else if (!isNull(keys.get("tags"))) {
                error(LoadCode.LOAD_ERR_YAML_VALIDATE, at(keys.get("tags")), "rule", name, "Value of 'tags' must be a sequence");
                return null;
            }
        }
        Boolean enabled = keys.containsKey("enabled") ? bool(keys, "enabled", pos, "rule", name, true) : null;
        Boolean warn = keys.containsKey("warn_evttypes") ? bool(keys, "warn_evttypes", pos, "rule", name, true) : null;
        Boolean skip = keys.containsKey("skip-if-unknown-filter")
                ? bool(keys, "skip-if-unknown-filter", pos, "rule", name, false) : null;
        RulesItem.RuleDef rule = new RulesItem.RuleDef(name, new LinkedHashSet<>(keys.keySet()),
                scalar(keys.get("desc")), scalar(cond), valueSource(cond), scalar(out), valueSource(out),
                scalar(keys.get("priority")), scalar(keys.get("source")), enabled, tags, exceptions, warn, skip,
                append, override, pos, excerpt);
        if (append) {
            if (rule.condition() == null && exceptions == null) {
                error(LoadCode.LOAD_ERR_VALIDATE, pos, "rule", name,
                        "Appended rule must have exceptions or condition property");
                return null;
            }
        } else if (override.isEmpty() && !rule.enableOnly()) {
            for (String required : List.of("condition", "output", "desc", "priority")) {
                boolean missing = !keys.containsKey(required)
                        || (required.equals("condition") || required.equals("priority")) && isNull(keys.get(required));
                if (missing) {
                    error(LoadCode.LOAD_ERR_YAML_VALIDATE, pos, "rule", name, "Item has no mapping for key '" + required + "'");
                    return null;
                }
            }
        }
        return rule;
    }

    private List<ExceptionDef> exceptions(Node node, String rule, boolean appending) {
        List<ExceptionDef> out = new ArrayList<>();
        if (isNull(node)) {
            return out;
        }
        if (!(node instanceof SequenceNode seq)) {
            error(LoadCode.LOAD_ERR_YAML_VALIDATE, at(node), "rule", rule, "Rule exceptions must be a sequence");
            return null;
        }
        for (Node e : seq.getValue()) {
            Map<String, Node> keys = e instanceof MappingNode m ? keys(m) : Map.of();
            String name = scalar(keys.get("name"));
            if (name == null || name.isEmpty()) {
                error(LoadCode.LOAD_ERR_YAML_VALIDATE, at(e), "exception", "", "Item has no mapping for key 'name'");
                return null;
            }
            if (!appending && !keys.containsKey("fields")) {
                error(LoadCode.LOAD_ERR_YAML_VALIDATE, at(e), "exception", name, "Item has no mapping for key 'fields'");
                return null;
            }
            Object values = toJava(keys.get("values"));
            List<Object> valueList = new ArrayList<>();
            if (values instanceof List<?> l) {
                valueList.addAll(l);
            } else if (values != null) {
                error(LoadCode.LOAD_ERR_YAML_VALIDATE, at(keys.get("values")), "exception", name,
                        "Value of 'values' must be a sequence");
                return null;
            }
            if (out.stream().anyMatch(x -> x.name().equals(name))) {
                warning(LoadCode.LOAD_EXCEPTION_NAME_NOT_UNIQUE, at(e), "exception", name,
                        "Multiple definitions of exception '" + name + "' in the same rule");
            }
            out.add(new ExceptionDef(name, toJava(keys.get("fields")), toJava(keys.get("comps")), valueList, at(e)));
        }
        return out;
    }

    private Map<String, String> override(Map<String, Node> keys, Position pos, String type, String name) {
        Map<String, String> out = new LinkedHashMap<>();
        Node node = keys.get("override");
        if (node == null) {
            return out;
        }
        if (!(node instanceof MappingNode map)) {
            error(LoadCode.LOAD_ERR_YAML_VALIDATE, at(node), type, name, "Value of 'override' must be a mapping");
            return null;
        }
        if (keys.containsKey("append")) {
            error(LoadCode.LOAD_ERR_YAML_VALIDATE, pos, type, name, "Keys 'override' and 'append' cannot be used together");
            return null;
        }
        for (Map.Entry<String, Node> e : keys(map).entrySet()) {
            String how = scalar(e.getValue());
            if (!"append".equals(how) && !"replace".equals(how)) {
                error(LoadCode.LOAD_ERR_YAML_VALIDATE, at(e.getValue()), type, name,
                        "Key '" + e.getKey() + "' in 'override' must be 'append' or 'replace'");
                return null;
            }
            if (!keys.containsKey(e.getKey())) {
                error(LoadCode.LOAD_ERR_YAML_VALIDATE, pos, type, name,
                        "Key '" + e.getKey() + "' must be defined when overriding it");
                return null;
            }
            out.put(e.getKey(), how);
        }
        return out;
    }

    private boolean bool(Map<String, Node> keys, String key, Position pos, String type, String name, boolean dflt) {
        Node n = keys.get(key);
        if (n == null || isNull(n)) {
            return dflt;
        }
        String v = scalar(n);
        if ("true".equalsIgnoreCase(v) || "yes".equalsIgnoreCase(v) || "on".equalsIgnoreCase(v)) {
            return true;
        }
        if ("false".equalsIgnoreCase(v) || "no".equalsIgnoreCase(v) || "off".equalsIgnoreCase(v)) {
            return false;
        }
        error(LoadCode.LOAD_ERR_YAML_VALIDATE, at(n), type, name, "Value of '" + key + "' must be a boolean, not '" + v + "'");
        return dflt;
    }

    private static Map<String, Node> keys(MappingNode map) {
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String key = scalar(t.getKeyNode());
            if (key != null) {
                out.put(key, t.getValueNode());
            }
        }
        return out;
    }

    private static String scalar(Node n) {
        if (n instanceof ScalarNode s && !isNull(s)) {
            return s.getValue();
        }
        return null;
    }

    private static boolean isNull(Node n) {
        return n instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    /** YAML node to String / List / Map (insertion ordered); null for YAML null. */
    static Object toJava(Node n) {
        if (n == null || isNull(n)) {
            return null;
        }
        if (n instanceof ScalarNode s) {
            return s.getValue();
        }
        if (n instanceof SequenceNode seq) {
            List<Object> out = new ArrayList<>();
            for (Node c : seq.getValue()) {
                out.add(toJava(c));
            }
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (NodeTuple t : ((MappingNode) n).getValue()) {
            out.put(String.valueOf(toJava(t.getKeyNode())), toJava(t.getValueNode()));
        }
        return out;
    }

    /** Where a scalar's text is in the file, for mapping offsets in it to positions. */
    private ValueSource valueSource(Node n) {
        if (n == null) {
            return null;
        }
        return new ValueSource(at(n), content, offset(n.getStartMark()));
    }

    /** The char offset in {@code content} of a mark (SnakeYAML counts code points). */
    private int offset(Mark m) {
        int index = m.getIndex();
        if (!hasSurrogates) {
            return index;
        }
        return content.offsetByCodePoints(0, Math.min(index, content.codePointCount(0, content.length())));
    }

    private Position at(Node n) {
        return at(n.getStartMark());
    }

    private Position at(Mark m) {
        return new Position(file, m.getLine() + 1, m.getColumn() + 1);
    }

    private void error(LoadCode code, Position pos, String type, String name, String message) {
        diagnostics.add(new Diagnostic(Diagnostic.Severity.ERROR, code, pos, type, name, message, excerpt, ""));
    }

    private void warning(LoadCode code, Position pos, String type, String name, String message) {
        diagnostics.add(new Diagnostic(Diagnostic.Severity.WARNING, code, pos, type, name, message, excerpt, ""));
    }
}
