package io.peregrine.rules.eval;

/** A test of one extracted (non-null, non-list) value against the operand of a check. */
@FunctionalInterface
interface ValueTest {

    boolean test(Object value);
}
