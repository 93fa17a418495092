package io.peregrine.rules.load;

import io.peregrine.fields.EvalContext;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The selected rules indexed by event type id: an event only meets the rules that can match its
 * type, in load order. Like Falco's evttype_index_ruleset, with {@link RuleSelection.Matching#FIRST}
 * the first matching rule wins. Names in a rule's evt.type set that the event table does not know
 * (syscalls without a dedicated event) are indexed under the generic {@code syscall} events.
 *
 * <p>With the index off (or no event table) every event meets every selected rule; the results
 * are the same, only slower.
 */
public final class RuleMatcher {

    private static final CompiledRule[] NONE = new CompiledRule[0];

    private final CompiledRule[][] byType;
    private final CompiledRule[] fallback;
    private final List<CompiledRule> selected;
    private final boolean first;
    private final EventTypeUniverse universe;

    public RuleMatcher(CompiledRuleset ruleset, RuleSelection selection, EventTypeUniverse universe, boolean indexed) {
        this.universe = universe;
        this.first = selection.matching() == RuleSelection.Matching.FIRST;
        this.selected = ruleset.rules().stream().filter(selection::selects).toList();
        boolean useIndex = indexed && universe.isKnown();
        int size = useIndex ? universe.size() : 0;
        List<List<CompiledRule>> lists = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            lists.add(new ArrayList<>());
        }
        List<CompiledRule> fallbackList = new ArrayList<>();
        for (CompiledRule rule : selected) {
            if (!useIndex) {
                fallbackList.add(rule);
                continue;
            }
            BitSet ids = ids(rule.eventTypes());
            ids.stream().filter(id -> id < size).forEach(id -> lists.get(id).add(rule));
            if (rule.eventTypes().cofinite()) {
                fallbackList.add(rule);
            }
        }
        byType = new CompiledRule[size][];
        for (int i = 0; i < size; i++) {
            byType[i] = lists.get(i).isEmpty() ? NONE : lists.get(i).toArray(CompiledRule[]::new);
        }
        fallback = fallbackList.toArray(CompiledRule[]::new);
    }

    private BitSet ids(EventTypeSet set) {
        BitSet ids = new BitSet();
        for (String name : universe.expand(set)) {
            for (int id : universe.ids(name)) {
                ids.set(id);
            }
        }
        if (!set.cofinite()) {
            for (String name : set.names()) {
                if (!universe.knows(name)) {
                    for (int id : universe.ids("syscall")) {
                        ids.set(id);
                    }
                }
            }
        }
        return ids;
    }

    /** The rules an event of type {@code eventTypeId} meets, in load order. */
    public CompiledRule[] candidates(int eventTypeId) {
        return eventTypeId >= 0 && eventTypeId < byType.length ? byType[eventTypeId] : fallback;
    }

    /** The first selected rule that matches, or null (Falco's default: one alert per event at most). */
    public CompiledRule first(int eventTypeId, EvalContext context) {
        for (CompiledRule rule : candidates(eventTypeId)) {
            if (rule.condition().test(context)) {
                return rule;
            }
        }
        return null;
    }

    /**
     * Hands every matching rule to {@code sink} (only the first with FIRST matching); returns how
     * many matched.
     */
    public int match(int eventTypeId, EvalContext context, Consumer<CompiledRule> sink) {
        int n = 0;
        for (CompiledRule rule : candidates(eventTypeId)) {
            if (rule.condition().test(context)) {
                sink.accept(rule);
                n++;
                if (first) {
                    break;
                }
            }
        }
        return n;
    }

    /** The selected rules, in load order. */
    public List<CompiledRule> rules() {
        return selected;
    }

    /** The event type names the selected rules need (everything when one of them is unrestricted). */
    public Set<String> eventTypeNames() {
        Set<String> out = new TreeSet<>();
        for (CompiledRule r : selected) {
            out.addAll(universe.isKnown() ? universe.expand(r.eventTypes()) : r.eventTypes().names());
        }
        return out;
    }

    /** The event type ids the selected rules need; the capture side can filter on them. */
    public BitSet eventTypeIds() {
        BitSet out = new BitSet();
        for (CompiledRule r : selected) {
            out.or(ids(r.eventTypes()));
        }
        return out;
    }
}
