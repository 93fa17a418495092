/**
 * Evaluation: resolved conditions compiled into allocation-free {@link io.peregrine.rules.eval.Predicate}s,
 * with operands parsed once per field type (hash sets for {@code in}, prefix buckets for
 * {@code pmatch}, RE2/J for {@code regex}, an iterative matcher for {@code glob}).
 */
package io.peregrine.rules.eval;
