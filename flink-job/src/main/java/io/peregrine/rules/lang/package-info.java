/**
 * The condition language: {@link io.peregrine.rules.lang.ConditionParser} (grammar in its
 * Javadoc) turns text into the sealed {@link io.peregrine.rules.lang.Expr} tree, walked with
 * {@link io.peregrine.rules.lang.ExprVisitor}s.
 */
package io.peregrine.rules.lang;
