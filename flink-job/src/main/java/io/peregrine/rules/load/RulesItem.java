package io.peregrine.rules.load;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** One top-level item of a rules file, as read from YAML (nothing resolved yet). */
public sealed interface RulesItem {

    /** Where the item starts. */
    Position position();

    /** {@code - required_engine_version: N} (an integer N means 0.N.0). */
    record EngineVersion(String version, Position position) implements RulesItem {
    }

    /** {@code - required_plugin_versions: [...]}. */
    record PluginVersions(List<PluginRequirement> plugins, Position position) implements RulesItem {
    }

    /** A plugin a ruleset needs, with accepted alternatives. */
    record PluginRequirement(String name, String version, List<PluginRequirement> alternatives) {
    }

    /** {@code - list: NAME, items: [...]}; {@code excerpt} is the item's YAML as written. */
    record ListDef(String name, List<String> items, boolean append, Map<String, String> override,
            Position position, String excerpt) implements RulesItem {
    }

    /**
     * {@code - macro: NAME, condition: ...}; {@code source} as Falco up to 0.32 read it (null when
     * not written: syscall); {@code excerpt} is the item's YAML as written.
     */
    record MacroDef(String name, String condition, ValueSource conditionSource, boolean append,
            Map<String, String> override, String source, Position position, String excerpt) implements RulesItem {
    }

    /**
     * {@code - rule: NAME ...}. Properties not written are null; {@code keys} says which were
     * written. A rule with only {@code enabled} toggles an earlier rule. {@code excerpt} is the
     * item's YAML as written.
     */
    record RuleDef(String name, Set<String> keys, String desc, String condition, ValueSource conditionSource,
            String output, ValueSource outputSource, String priority, String source, Boolean enabled,
            List<String> tags, List<ExceptionDef> exceptions, Boolean warnEvttypes, Boolean skipIfUnknownFilter,
            boolean append, Map<String, String> override, Position position, String excerpt) implements RulesItem {

        /** Whether this item only sets {@code enabled} on an earlier rule. */
        public boolean enableOnly() {
            return !append && override.isEmpty() && enabled != null && condition == null && output == null
                    && desc == null && priority == null;
        }
    }

    /**
     * One exception of a rule. {@code fields} and {@code comps} are a String (single-field form), a
     * List of Strings, or null; each value is a String or a List (of Strings or Lists).
     */
    record ExceptionDef(String name, Object fields, Object comps, List<Object> values, Position position) {
    }
}
