/**
 * Loading Falco rules files: YAML text in, an indexed, compiled ruleset out.
 *
 * <pre>
 *  files (in order) ──► RulesReader ──► RulesItem*          YAML, line/column kept, shape errors
 *                                          │
 *                                          ▼
 *                        RuleCollector: lists, macros, rules (append / override / redefine /
 *                                          │                 enabled-only; load-order indexes)
 *                                          ▼
 *                        RulesetCompiler: per rule
 *                          parse condition ─► + exceptions ─► MacroResolver ─► ListResolver
 *                          ─► ConditionCompiler (fields via FieldResolver) ─► Predicate
 *                          ─► EventTypeResolver ─► EventTypeSet;  OutputFormat
 *                                          │
 *                                          ▼
 *                        CompiledRuleset ──► RuleMatcher (selection, event-type index)
 * </pre>
 *
 * Every problem is a {@link io.peregrine.rules.load.Diagnostic} with Falco's code; a rule with an
 * error is left out and the others still load. {@link io.peregrine.rules.load.RulesLoader} runs
 * the pipeline.
 */
package io.peregrine.rules.load;
