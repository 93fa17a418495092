/**
 * Map-backed field values ({@link io.peregrine.rules.testkit.MapFieldResolver},
 * {@link io.peregrine.rules.testkit.MapEvalContext}) for tests and benchmarks in any module.
 */
package io.peregrine.rules.testkit;
