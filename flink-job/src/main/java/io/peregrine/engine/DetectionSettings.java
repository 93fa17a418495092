package io.peregrine.engine;

import io.peregrine.output.Priority;
import io.peregrine.rules.load.RuleSelection;
import io.peregrine.rules.load.RulesSource;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Everything a detection step is built from, in a serialisable form a Flink job can ship to its
 * tasks: the rules files' text in load order, Falco's rule selection ({@code -o priority}, {@code -t},
 * {@code -T}, {@code -D}, {@code rule_matching}), {@code -A}, and what alerts carry (hostname,
 * ruleset version).
 */
public record DetectionSettings(List<String> ruleNames, List<String> ruleTexts, Priority minimumPriority,
        Set<String> tags, Set<String> disabledTags, List<String> disabledRules, RuleSelection.Matching matching,
        boolean allEvents, String hostname, String rulesetVersion) implements Serializable {

    private static final long serialVersionUID = 1L;

    public DetectionSettings {
        ruleNames = List.copyOf(ruleNames);
        ruleTexts = List.copyOf(ruleTexts);
        tags = Set.copyOf(tags);
        disabledTags = Set.copyOf(disabledTags);
        disabledRules = List.copyOf(disabledRules);
        if (ruleNames.size() != ruleTexts.size()) {
            throw new IllegalArgumentException("one text per rules file name");
        }
        hostname = hostname == null ? "" : hostname;
        rulesetVersion = rulesetVersion == null ? "" : rulesetVersion;
    }

    /** Falco's defaults over {@code sources}: every enabled rule, first match, without -A. */
    public static DetectionSettings of(List<RulesSource> sources) {
        List<String> names = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (RulesSource s : sources) {
            names.add(s.name());
            texts.add(s.content());
        }
        return new DetectionSettings(names, texts, Priority.DEBUG, Set.of(), Set.of(), List.of(),
                RuleSelection.Matching.FIRST, false, "", "");
    }

    /** The rules files in load order. */
    public List<RulesSource> sources() {
        List<RulesSource> out = new ArrayList<>();
        for (int i = 0; i < ruleNames.size(); i++) {
            out.add(new RulesSource(ruleNames.get(i), ruleTexts.get(i)));
        }
        return out;
    }

    /**
     * The rule selection; an {@link IllegalArgumentException} when -t is mixed with -D/-T, as Falco
     * refuses it.
     */
    public RuleSelection selection() {
        return new RuleSelection(minimumPriority, tags, disabledTags, disabledRules, matching);
    }

    public DetectionSettings withSelection(Priority minimum, Set<String> onlyTags, Set<String> notTags,
            List<String> notRules, RuleSelection.Matching m) {
        return new DetectionSettings(ruleNames, ruleTexts, minimum, onlyTags, notTags, notRules, m, allEvents,
                hostname, rulesetVersion);
    }

    public DetectionSettings withAllEvents(boolean value) {
        return new DetectionSettings(ruleNames, ruleTexts, minimumPriority, tags, disabledTags, disabledRules,
                matching, value, hostname, rulesetVersion);
    }

    public DetectionSettings withHostname(String value) {
        return new DetectionSettings(ruleNames, ruleTexts, minimumPriority, tags, disabledTags, disabledRules,
                matching, allEvents, value, rulesetVersion);
    }

    public DetectionSettings withRulesetVersion(String value) {
        return new DetectionSettings(ruleNames, ruleTexts, minimumPriority, tags, disabledTags, disabledRules,
                matching, allEvents, hostname, value);
    }
}
