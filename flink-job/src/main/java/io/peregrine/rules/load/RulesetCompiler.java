package io.peregrine.rules.load;

import io.peregrine.output.Priority;
import io.peregrine.fields.FieldResolver;
import io.peregrine.rules.eval.CompileException;
import io.peregrine.rules.eval.ConditionCompiler;
import io.peregrine.rules.eval.Predicate;
import io.peregrine.rules.lang.ConditionParser;
import io.peregrine.rules.lang.ConditionSyntaxException;
import io.peregrine.rules.lang.Expr;
import io.peregrine.rules.lang.FieldRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Third stage of loading: compiles what the {@link RuleCollector} gathered. Lists are flattened,
 * macros parsed and checked, and every rule's condition (with its exceptions) is parsed, has its
 * macros and lists substituted, is compiled against the field resolver of its source, gets its
 * event-type set, and has its output format compiled. Every problem becomes a {@link Diagnostic}
 * with Falco's code; a rule with an error is left out, the others still compile.
 */
public final class RulesetCompiler {

    private final LoaderConfig config;
    private final List<Diagnostic> out;
    private final Set<String> usedLists = new HashSet<>();
    private final Set<String> usedMacros = new HashSet<>();

    private RulesetCompiler(LoaderConfig config, List<Diagnostic> out) {
        this.config = config;
        this.out = out;
    }

    /** Compiles {@code collector}'s content, adding diagnostics to {@code out}. */
    public static CompiledRuleset compile(RuleCollector collector, LoaderConfig config, List<Diagnostic> out) {
        return new RulesetCompiler(config, out).run(collector);
    }

    private CompiledRuleset run(RuleCollector collector) {
        Map<String, List<String>> lists = compileLists(collector);
        Map<String, MacroResolver.Macro> macros = compileMacros(collector);
        MacroResolver macroResolver = new MacroResolver(macros, usedMacros::add);
        ListResolver listResolver = new ListResolver(lists, usedLists::add);
        Map<String, ConditionCompiler> compilers = new HashMap<>();
        config.sources().forEach((source, resolver) -> compilers.put(source, new ConditionCompiler(resolver)));

        List<CompiledRule> compiled = new ArrayList<>();
        List<CompiledRuleset.Skipped> skipped = new ArrayList<>();
        int skippedSource = 0;
        int skippedField = 0;
        int failed = 0;
        for (RuleCollector.RuleInfo rule : collector.rules().values()) {
            ConditionCompiler compiler = compilers.get(rule.source);
            if (compiler == null) {
                out.add(RuleCollector.warning(LoadCode.LOAD_UNKNOWN_SOURCE, rule.position, "rule", rule.name,
                        "Unknown source " + rule.source + ", skipping"));
                skippedSource++;
                skipped.add(new CompiledRuleset.Skipped(rule.name, rule.source, "unknown source " + rule.source));
                markUses(rule, macroResolver, listResolver);
                continue;
            }
            Outcome outcome = compileRule(rule, compiler, macroResolver, listResolver);
            if (outcome.rule != null) {
                compiled.add(outcome.rule);
            } else if (outcome.skippedUnknownField) {
                skippedField++;
                skipped.add(new CompiledRuleset.Skipped(rule.name, rule.source, "unknown field (skip-if-unknown-filter)"));
            } else {
                failed++;
            }
        }
        if (failed == 0) {
            // A rule that failed may be the one user of a macro or list: no unused warnings then.
            warnUnused(collector);
        }
        CompiledRuleset.Stats stats = new CompiledRuleset.Stats(collector.lists().size(), collector.macros().size(),
                collector.rules().size(), compiled.size(), skippedSource, skippedField, failed);
        return new CompiledRuleset(compiled, stats, skipped, collector.pluginRequirements());
    }

    private Map<String, List<String>> compileLists(RuleCollector collector) {
        Map<String, List<String>> flat = new LinkedHashMap<>();
        for (RuleCollector.ListInfo list : collector.lists().values()) {
            try {
                flat.put(list.name, flatten(list, collector.lists(), new ArrayDeque<>()));
            } catch (IllegalStateException e) {
                out.add(RuleCollector.error(LoadCode.LOAD_ERR_VALIDATE, list.position, "list", list.name, e.getMessage())
                        .quoting(list.excerpt, ""));
            }
        }
        return flat;
    }

    /** A list's items with references to earlier lists replaced by their items. */
    private List<String> flatten(RuleCollector.ListInfo list, Map<String, RuleCollector.ListInfo> all,
            Deque<String> stack) {
        if (stack.contains(list.name)) {
            throw new IllegalStateException("reference loop in list '" + list.name + "'");
        }
        stack.push(list.name);
        List<String> items = new ArrayList<>();
        for (String item : list.items) {
            RuleCollector.ListInfo ref = all.get(item.trim());
            if (ref != null && ref.index < list.visibility) {
                usedLists.add(ref.name);
                items.addAll(flatten(ref, all, stack));
            } else {
                items.add(item);
            }
        }
        stack.pop();
        return items;
    }

    private Map<String, MacroResolver.Macro> compileMacros(RuleCollector collector) {
        Map<String, MacroResolver.Macro> macros = new HashMap<>();
        for (RuleCollector.MacroInfo m : collector.macros().values()) {
            if (!config.sources().containsKey(m.source)) {
                // Falco up to 0.32 read a macro's source and skipped macros of sources it did not load.
                out.add(RuleCollector.warning(LoadCode.LOAD_UNKNOWN_SOURCE, m.position, "macro", m.name,
                        "Unknown source " + m.source + ", skipping").quoting(m.excerpt, ""));
                usedMacros.add(m.name);
                continue;
            }
            try {
                macros.put(m.name, new MacroResolver.Macro(m.name, ConditionParser.parse(m.condition.text()), m.index));
            } catch (ConditionSyntaxException e) {
                out.add(RuleCollector.error(LoadCode.LOAD_ERR_COMPILE_CONDITION, m.condition.position(e.position()),
                        "macro", m.name, e.falcoMessage()).quoting(m.excerpt, m.condition.text()));
            }
        }
        // Check every macro's references with its own visibility, without marking uses.
        MacroResolver checker = new MacroResolver(macros, name -> { });
        for (RuleCollector.MacroInfo m : collector.macros().values()) {
            MacroResolver.Macro macro = macros.get(m.name);
            if (macro == null) {
                continue;
            }
            try {
                checker.resolve(macro.body(), m.visibility, m.name);
            } catch (MacroResolver.MacroException e) {
                out.add(RuleCollector.error(LoadCode.LOAD_ERR_VALIDATE, m.condition.position(e.position), "macro", m.name,
                        e.getMessage()).quoting(m.excerpt, m.condition.text()));
            }
        }
        return macros;
    }

    private record Outcome(CompiledRule rule, boolean skippedUnknownField) {
    }

    private static final Outcome FAILED = new Outcome(null, false);

    private Outcome compileRule(RuleCollector.RuleInfo rule, ConditionCompiler compiler, MacroResolver macros,
            ListResolver lists) {
        Priority priority = Priority.lookup(rule.priority).orElse(null);
        if (priority == null) {
            error(LoadCode.LOAD_ERR_VALIDATE, rule.position, rule, "Invalid priority level: " + rule.priority);
            return FAILED;
        }
        Expr condition;
        try {
            condition = ConditionParser.parse(rule.condition.text());
        } catch (ConditionSyntaxException e) {
            error(LoadCode.LOAD_ERR_COMPILE_CONDITION, rule.condition.position(e.position()), rule, e.falcoMessage());
            return FAILED;
        }
        Expr exceptions;
        try {
            if (!exceptionFieldsExist(rule, compiler)) {
                return FAILED;
            }
            exceptions = ExceptionConditions.build(rule.exceptions);
        } catch (ExceptionConditions.Invalid e) {
            out.add(RuleCollector.error(LoadCode.LOAD_ERR_VALIDATE, rule.position, "exception", e.exception, e.getMessage())
                    .quoting(rule.excerpt, ""));
            return FAILED;
        }
        Expr full = exceptions == null ? condition : new Expr.And(List.of(condition, exceptions), 0);
        Expr resolved;
        try {
            resolved = lists.resolve(macros.resolve(full, Integer.MAX_VALUE));
        } catch (MacroResolver.MacroException e) {
            error(LoadCode.LOAD_ERR_VALIDATE, rule.condition.position(e.position), rule, e.getMessage());
            return FAILED;
        } catch (ListResolver.Misuse e) {
            error(LoadCode.LOAD_ERR_COMPILE_CONDITION, rule.condition.position(e.position), rule, e.getMessage());
            return FAILED;
        }
        Predicate predicate;
        try {
            predicate = compiler.compile(resolved);
        } catch (CompileException e) {
            if (e.unknownField() != null && rule.skipIfUnknownFilter) {
                out.add(RuleCollector.warning(LoadCode.LOAD_UNKNOWN_FIELD, rule.condition.position(0), "rule", rule.name,
                        e.getMessage()));
                return new Outcome(null, true);
            }
            error(LoadCode.LOAD_ERR_COMPILE_CONDITION, rule.condition.position(0), rule, e.getMessage());
            return FAILED;
        }
        if (comparesWithNa(resolved)) {
            out.add(RuleCollector.warning(LoadCode.LOAD_UNSAFE_NA_CHECK, rule.condition.position(0), "rule", rule.name,
                    "Comparing a field value with <NA> is unsafe and can lead to unpredictable behavior of the rule "
                            + "condition. If you need to check for the existence of a field, consider using the "
                            + "'exists' operator instead."));
        }
        EventTypeSet types = EventTypeResolver.resolve(resolved);
        if (rule.warnEvttypes && tooManyOrNoEventTypes(types)) {
            out.add(RuleCollector.warning(LoadCode.LOAD_NO_EVTTYPE, rule.position, "rule", rule.name,
                    "Rule matches too many evt.type values. This has a significant performance penalty."));
        }
        Outcome unknownType = checkEventTypeNames(rule, resolved);
        if (unknownType != null) {
            return unknownType;
        }
        OutputFormat output;
        try {
            output = OutputFormat.compile(rule.output, config.containerInfo(), compiler);
        } catch (CompileException e) {
            if (e.unknownField() != null && rule.skipIfUnknownFilter) {
                // Falco 0.36+: skip-if-unknown-filter covers output fields too.
                out.add(RuleCollector.warning(LoadCode.LOAD_UNKNOWN_FILTER, outputPosition(rule, e.position()),
                        "rule", rule.name, e.getMessage()));
                return new Outcome(null, true);
            }
            out.add(RuleCollector.error(LoadCode.LOAD_ERR_COMPILE_OUTPUT, outputPosition(rule, e.position()), "rule",
                    rule.name, e.getMessage()).quoting(rule.excerpt, rule.output));
            return FAILED;
        }
        return new Outcome(new CompiledRule(rule.name, rule.desc, priority, rule.source, rule.tags, rule.enabled,
                predicate, output, types, resolved.toString(), rule.position, rule.index), false);
    }

    /**
     * Marks the macros and lists a skipped rule refers to as used, so that skipping a source does
     * not also flood the output with unused-macro warnings.
     */
    private static void markUses(RuleCollector.RuleInfo rule, MacroResolver macros, ListResolver lists) {
        try {
            lists.resolve(macros.resolve(ConditionParser.parse(rule.condition.text()), Integer.MAX_VALUE));
        } catch (ConditionSyntaxException | MacroResolver.MacroException | ListResolver.Misuse e) {
            // The rule is skipped anyway; Falco does not report problems in rules it skips.
        }
    }

    /**
     * Whether an equality check compares a JSON-backed field ({@code ka.*}, {@code jevt.*}) with the
     * literal {@code <NA>}: as in Falco, only those fields are unsafe, since syscall fields that
     * print {@code <NA>} do extract that text.
     */
    private static boolean comparesWithNa(Expr expr) {
        if (expr instanceof Expr.Not not) {
            return comparesWithNa(not.operand());
        }
        if (expr instanceof Expr.And and) {
            return and.operands().stream().anyMatch(RulesetCompiler::comparesWithNa);
        }
        if (expr instanceof Expr.Or or) {
            return or.operands().stream().anyMatch(RulesetCompiler::comparesWithNa);
        }
        if (expr instanceof Expr.Check check && check.field() instanceof FieldRef f
                && (f.name().startsWith("ka.") || f.name().startsWith("jevt."))) {
            switch (check.operator()) {
                case EQ, EQEQ, NE, IN, INTERSECTS, PMATCH -> {
                    if (check.operand() instanceof io.peregrine.rules.lang.Operand.Scalar s) {
                        return s.text().equals("<NA>");
                    }
                    if (check.operand() instanceof io.peregrine.rules.lang.Operand.Values v) {
                        return v.items().stream().anyMatch(i -> i.text().equals("<NA>"));
                    }
                    return false;
                }
                default -> {
                    return false;
                }
            }
        }
        return false;
    }

    /** Reports the first exception field no catalogue knows (Falco validates them before compiling). */
    private boolean exceptionFieldsExist(RuleCollector.RuleInfo rule, ConditionCompiler compiler)
            throws ExceptionConditions.Invalid {
        for (RuleCollector.ExceptionInfo e : rule.exceptions) {
            for (FieldRef f : ExceptionConditions.fields(e)) {
                try {
                    compiler.extractor(f, -1);
                } catch (CompileException ex) {
                    out.add(RuleCollector.error(LoadCode.LOAD_ERR_VALIDATE, e.position, "exception", e.name,
                            "'" + f + "' is not a supported filter field").quoting(rule.excerpt, ""));
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Checks the evt.type names against the event table: a name that is neither an event nor a
     * syscall fails the rule (or skips it, with skip-if-unknown-filter); a syscall without a
     * dedicated event is matched on generic events, with a warning. Null when the rule goes on.
     */
    private Outcome checkEventTypeNames(RuleCollector.RuleInfo rule, Expr resolved) {
        if (!config.universe().isKnown()) {
            return null;
        }
        for (String name : EventTypeResolver.namedTypes(resolved)) {
            if (config.universe().knows(name)) {
                continue;
            }
            if (!config.universe().isGenericSyscall(name)) {
                // Falco (libs 0.10+) rejects names that are neither events nor syscalls.
                if (rule.skipIfUnknownFilter) {
                    out.add(RuleCollector.warning(LoadCode.LOAD_UNKNOWN_FILTER, rule.condition.position(0), "rule",
                            rule.name, "unknown event type " + name));
                    return new Outcome(null, true);
                }
                error(LoadCode.LOAD_ERR_COMPILE_CONDITION, rule.condition.position(0), rule, "unknown event type " + name);
                return FAILED;
            }
            out.add(RuleCollector.warning(LoadCode.LOAD_UNKNOWN_FILTER, rule.condition.position(0), "rule",
                    rule.name, "evt.type " + name + " has no dedicated event; only generic syscall events can match it"));
        }
        return null;
    }

    /**
     * Falco warns when a rule's event codes are none or more than 100 (enter and exit ids count
     * separately); without an event table, an unrestricted or empty set stands for that.
     */
    private boolean tooManyOrNoEventTypes(EventTypeSet types) {
        EventTypeUniverse universe = config.universe();
        if (!universe.isKnown()) {
            return types.isUnrestrictedOrEmpty();
        }
        int ids = 0;
        for (String name : universe.expand(types)) {
            ids += universe.ids(name).length;
        }
        if (!types.cofinite()) {
            for (String name : types.names()) {
                if (universe.isGenericSyscall(name)) {
                    ids += universe.ids("syscall").length;
                }
            }
        }
        return ids == 0 || ids > 100;
    }

    private void warnUnused(RuleCollector collector) {
        for (RuleCollector.MacroInfo m : collector.macros().values()) {
            if (!usedMacros.contains(m.name)) {
                out.add(RuleCollector.warning(LoadCode.LOAD_UNUSED_MACRO, m.position, "macro", m.name,
                        "Macro not referred to by any other rule/macro"));
            }
        }
        for (RuleCollector.ListInfo l : collector.lists().values()) {
            if (!usedLists.contains(l.name)) {
                out.add(RuleCollector.warning(LoadCode.LOAD_UNUSED_LIST, l.position, "list", l.name,
                        "List not referred to by any other rule/macro"));
            }
        }
    }

    private void error(LoadCode code, Position pos, RuleCollector.RuleInfo rule, String message) {
        out.add(RuleCollector.error(code, pos == null ? rule.position : pos, "rule", rule.name, message)
                .quoting(rule.excerpt, rule.condition == null ? "" : rule.condition.text()));
    }

    /** The position of an offset inside a rule's output format. */
    private static Position outputPosition(RuleCollector.RuleInfo rule, int offset) {
        return rule.outputSource == null ? rule.position : rule.outputSource.locate(rule.output, Math.max(0, offset));
    }
}
