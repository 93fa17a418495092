package io.peregrine.state;

import io.peregrine.event.Event;
import io.peregrine.event.EventInfo;
import io.peregrine.fields.EvalContext;

/**
 * The event under evaluation with its state: its thread, the file descriptor it uses, the matching
 * enter event for exit events, and the engine for lookups (parents, users, containers). What the
 * field extractors read. One instance is reused for every event of a {@link StateEngine}.
 */
public final class EventContext implements EvalContext {

    private final StateEngine engine;
    private final ParamRenderer renderer;

    Event event;
    EventInfo info;
    long number;
    ThreadInfo thread;
    ThreadInfo parsedThread;
    FdInfo fd;
    Event enter;
    boolean fdNameChanged;
    long previousTs;

    EventContext(StateEngine engine) {
        this.engine = engine;
        this.renderer = new ParamRenderer(this);
    }

    void reset(Event e, EventInfo i, long n) {
        event = e;
        info = i;
        number = n;
        thread = null;
        parsedThread = null;
        fd = null;
        enter = null;
        fdNameChanged = false;
    }

    public StateEngine engine() {
        return engine;
    }

    public Event event() {
        return event;
    }

    /** The event's table entry, or null for an id outside the table. */
    public EventInfo info() {
        return info;
    }

    /** evt.num: the 1-based position of the event in the stream (internal events included). */
    public long number() {
        return number;
    }

    /**
     * The thread that produced the event, or null. Like libsinsp's get_thread_info, an event the
     * parser left without a thread (a clone exit that created it, say) finds it by tid.
     */
    public ThreadInfo thread() {
        if (thread == null && event != null) {
            thread = engine.threads().get(event.threadId());
        }
        return thread;
    }

    /**
     * The thread as the parser left it for this event, without the lookup by tid that
     * {@link #thread()} falls back to (libsinsp's latency fields read this one).
     */
    public ThreadInfo parsedThread() {
        return parsedThread;
    }

    /** The file descriptor the event uses, or null. */
    public FdInfo fd() {
        return fd;
    }

    /** For an exit event, its enter event when libsinsp would have it, else null. */
    public Event enterEvent() {
        return enter;
    }

    public boolean fdNameChanged() {
        return fdNameChanged;
    }

    /** Timestamp of the previous event (this event's own for the first one). */
    public long previousTimestampNs() {
        return previousTs;
    }

    /** Renders this event's parameters the way libsinsp's get_param_as_str does. */
    public ParamRenderer params() {
        return renderer;
    }
}
