package io.peregrine.rules.load;

import io.peregrine.output.Priority;
import java.util.List;
import java.util.Set;

/**
 * Which loaded rules run, as Falco's command line and configuration choose them: a minimum
 * priority, {@code -t TAG} (only rules with one of the tags), {@code -T TAG} (not rules with one of
 * them), {@code -D NAME} (not rules whose name contains the text — Falco's substring match), and
 * whether an event raises only the first matching rule (Falco's default) or all of them.
 */
public record RuleSelection(Priority minimumPriority, Set<String> tags, Set<String> disabledTags,
        List<String> disabledNames, Matching matching) {

    /** Falco's {@code rule_matching}. */
    public enum Matching { FIRST, ALL }

    public static final RuleSelection DEFAULT =
            new RuleSelection(Priority.DEBUG, Set.of(), Set.of(), List.of(), Matching.FIRST);

    public RuleSelection {
        tags = Set.copyOf(tags);
        disabledTags = Set.copyOf(disabledTags);
        disabledNames = List.copyOf(disabledNames);
        if (!tags.isEmpty() && (!disabledTags.isEmpty() || !disabledNames.isEmpty())) {
            throw new IllegalArgumentException("You can not specify both disabled (-D/-T) and enabled (-t) rules");
        }
    }

    public RuleSelection withMatching(Matching m) {
        return new RuleSelection(minimumPriority, tags, disabledTags, disabledNames, m);
    }

    /** Whether {@code rule} runs under this selection. */
    public boolean selects(CompiledRule rule) {
        if (!rule.enabled() || !rule.priority().isAtLeast(minimumPriority)) {
            return false;
        }
        for (String d : disabledNames) {
            if (rule.name().contains(d)) {
                return false;
            }
        }
        for (String t : rule.tags()) {
            if (disabledTags.contains(t)) {
                return false;
            }
        }
        if (!tags.isEmpty()) {
            return rule.tags().stream().anyMatch(tags::contains);
        }
        return true;
    }
}
