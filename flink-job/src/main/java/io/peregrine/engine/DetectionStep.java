package io.peregrine.engine;

import io.peregrine.event.Event;
import io.peregrine.event.EventInfo;
import io.peregrine.output.Alert;
import io.peregrine.rules.load.RuleMatcher;
import io.peregrine.state.EventContext;
import io.peregrine.state.StateEngine;
import java.util.function.Consumer;

/**
 * The one detection step every path runs (replay, the streaming job, tests):
 *
 * <pre>
 *   event ──► state updated (StateEngine, as libsinsp parses before filters run)
 *         ──► Falco's event gate (internal events never; EF_DROP_SIMPLE_CONS types only with -A)
 *         ──► rules of the event's type, in load order (first match, or all with rule_matching=all)
 *         ──► alerts (fields extracted and printed from the updated state)
 * </pre>
 *
 * The state engine is handed in, so the caller decides where the tables live (one engine for a
 * whole capture, one per key in the keyed job). Not thread-safe.
 */
public final class DetectionStep {

    private final StateEngine state;
    private final RuleMatcher matcher;
    private final AlertRenderer renderer;
    private final boolean allEvents;
    private long events;
    private long evaluated;
    private long alerts;

    public DetectionStep(StateEngine state, RuleMatcher matcher, AlertRenderer renderer, boolean allEvents) {
        this.state = state;
        this.matcher = matcher;
        this.renderer = renderer;
        this.allEvents = allEvents;
    }

    /** A step over {@code state} running {@code rules} with {@code settings}' -A, hostname and version. */
    public static DetectionStep of(StateEngine state, DetectionRules rules, DetectionSettings settings) {
        return new DetectionStep(state, rules.matcher(),
                new AlertRenderer(settings.hostname(), settings.rulesetVersion()), settings.allEvents());
    }

    /** Applies {@code event} to the state, then hands each alert it raises to {@code out}. */
    public void process(Event event, Consumer<Alert> out) {
        events++;
        EventContext context = state.process(event);
        if (!evaluates(event.info())) {
            return;
        }
        evaluated++;
        alerts += matcher.match(event.type(), context, rule -> out.accept(renderer.render(rule, context)));
    }

    /**
     * Falco's gate: internal events (procinfo...) never reach the rules; the event types flagged
     * EF_DROP_SIMPLE_CONS (read, write, close, mmap...) only with -A (falco's
     * simple_consumer_consider()).
     */
    boolean evaluates(EventInfo info) {
        if (info == null || info.category().equals("internal")) {
            return false;
        }
        return allEvents || !info.dropsSimpleConsumer();
    }

    public StateEngine state() {
        return state;
    }

    /** Events applied to the state. */
    public long events() {
        return events;
    }

    /** Events that went through the rules. */
    public long evaluated() {
        return evaluated;
    }

    /** Alerts raised. */
    public long alerts() {
        return alerts;
    }
}
