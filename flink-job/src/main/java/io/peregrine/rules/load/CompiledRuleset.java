package io.peregrine.rules.load;

import java.util.List;

/**
 * The outcome of loading: every compiled rule in load order (disabled ones included, flagged) and
 * the counts {@code rules check} prints.
 */
public record CompiledRuleset(List<CompiledRule> rules, Stats stats, List<Skipped> skipped,
        List<RulesItem.PluginRequirement> pluginRequirements) {

    /** A rule left out without an error: its source has no fields here, or it allows unknown fields. */
    public record Skipped(String name, String source, String reason) {
    }

    /**
     * Counts: lists, macros and rules collected; rules compiled; rules skipped because their
     * source has no field catalogue here, and because of an unknown field (with
     * skip-if-unknown-filter); rules that failed to compile.
     */
    public record Stats(int lists, int macros, int rules, int compiled, int skippedSource,
            int skippedUnknownField, int failed) {
    }

    public CompiledRuleset {
        rules = List.copyOf(rules);
        skipped = List.copyOf(skipped);
        pluginRequirements = List.copyOf(pluginRequirements);
    }

    /** The rule called {@code name}, or null. */
    public CompiledRule rule(String name) {
        for (CompiledRule r : rules) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        return null;
    }
}
