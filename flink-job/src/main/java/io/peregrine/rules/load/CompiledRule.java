package io.peregrine.rules.load;

import io.peregrine.output.Priority;
import io.peregrine.rules.eval.Predicate;
import java.util.Set;

/**
 * A rule ready to evaluate: its compiled condition (exceptions included), output format, the event
 * types it can match and its metadata. {@code order} is its place in load order.
 */
public record CompiledRule(String name, String desc, Priority priority, String source, Set<String> tags,
        boolean enabled, Predicate condition, OutputFormat output, EventTypeSet eventTypes,
        String resolvedCondition, Position position, int order) {

    public CompiledRule {
        tags = Set.copyOf(tags);
    }
}
