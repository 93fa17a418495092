package io.peregrine.rules.eval;

import io.peregrine.fields.EvalContext;

/** A compiled condition: evaluated once per event, without allocating. */
@FunctionalInterface
public interface Predicate {

    boolean test(EvalContext context);

    /** A predicate that always gives {@code value}. */
    static Predicate constant(boolean value) {
        return value ? ctx -> true : ctx -> false;
    }
}
