package io.peregrine.rules.load;

import io.peregrine.rules.load.RulesItem.ExceptionDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Second stage of loading: gathers the items of every file in order into lists, macros and rules,
 * applying {@code append}, {@code override}, redefinition (replaces, keeping the place in load
 * order) and enable-only items, as Falco's rule_loader_collector does.
 *
 * <p>Every definition gets an index (its place in load order, kept on redefinition) and a
 * visibility (the counter value at its latest definition or append): a macro or list body can
 * only refer to items whose index is below its visibility.
 */
public final class RuleCollector {

    /** A list as collected. */
    public static final class ListInfo {
        final String name;
        final List<String> items = new ArrayList<>();
        final int index;
        int visibility;
        Position position;
        boolean used;
        /** The YAML of the definition and its appends, as Falco quotes it. */
        String excerpt = "";

        ListInfo(String name, int index, Position position) {
            this.name = name;
            this.index = index;
            this.position = position;
        }

        public String name() {
            return name;
        }

        public List<String> items() {
            return items;
        }
    }

    /** A macro as collected. */
    public static final class MacroInfo {
        final String name;
        SourceText condition;
        final int index;
        int visibility;
        Position position;
        boolean used;
        /** Falco up to 0.32: the event source the macro is for (syscall unless written). */
        String source = "syscall";
        /** The YAML of the definition and its appends, as Falco quotes it. */
        String excerpt = "";

        MacroInfo(String name, int index, Position position) {
            this.name = name;
            this.index = index;
            this.position = position;
        }

        public String name() {
            return name;
        }

        public String condition() {
            return condition.text();
        }

        public String excerpt() {
            return excerpt;
        }
    }

    /** An exception of a rule as collected (see {@link ExceptionDef} for the shapes). */
    public static final class ExceptionInfo {
        final String name;
        Object fields;
        Object comps;
        final List<Object> values = new ArrayList<>();
        Position position;

        ExceptionInfo(String name, Position position) {
            this.name = name;
            this.position = position;
        }
    }

    /** A rule as collected. */
    public static final class RuleInfo {
        final String name;
        final int index;
        Position position;
        String desc = "";
        SourceText condition;
        String output = "";
        ValueSource outputSource;
        String priority;
        String source = "syscall";
        boolean enabled = true;
        final Set<String> tags = new LinkedHashSet<>();
        final List<ExceptionInfo> exceptions = new ArrayList<>();
        boolean warnEvttypes = true;
        boolean skipIfUnknownFilter;
        /** The YAML of the definition and its appends, as Falco quotes it. */
        String excerpt = "";

        RuleInfo(String name, int index, Position position) {
            this.name = name;
            this.index = index;
            this.position = position;
        }

        public String name() {
            return name;
        }
    }

    private final Map<String, ListInfo> lists = new LinkedHashMap<>();
    private final Map<String, MacroInfo> macros = new LinkedHashMap<>();
    private final Map<String, RuleInfo> rules = new LinkedHashMap<>();
    private final List<RulesItem.PluginRequirement> pluginRequirements = new ArrayList<>();
    private int counter;

    public Map<String, ListInfo> lists() {
        return lists;
    }

    public Map<String, MacroInfo> macros() {
        return macros;
    }

    public Map<String, RuleInfo> rules() {
        return rules;
    }

    public List<RulesItem.PluginRequirement> pluginRequirements() {
        return pluginRequirements;
    }

    /** Applies one item; problems go to {@code out}. */
    public void collect(RulesItem item, List<Diagnostic> out) {
        int id = ++counter;
        if (item instanceof RulesItem.EngineVersion v) {
            if (!EngineVersion.satisfies(v.version())) {
                out.add(error(LoadCode.LOAD_ERR_VALIDATE, v.position(), "required_engine_version", "",
                        "Rules require engine version " + v.version() + ", but engine version is "
                                + EngineVersion.CURRENT));
            }
        } else if (item instanceof RulesItem.PluginVersions p) {
            pluginRequirements.addAll(p.plugins());
        } else if (item instanceof RulesItem.ListDef l) {
            list(l, id, out);
        } else if (item instanceof RulesItem.MacroDef m) {
            macro(m, id, out);
        } else if (item instanceof RulesItem.RuleDef r) {
            rule(r, id, out);
        }
    }

    private void list(RulesItem.ListDef l, int id, List<Diagnostic> out) {
        ListInfo prev = lists.get(l.name());
        boolean appending = l.append() || "append".equals(l.override().get("items"));
        if (appending) {
            if (prev == null) {
                out.add(error(LoadCode.LOAD_ERR_VALIDATE, l.position(), "list", l.name(),
                        "List has 'append' key but no list by that name already exists").quoting(l.excerpt(), ""));
                return;
            }
            prev.items.addAll(l.items());
            prev.visibility = id;
            prev.excerpt = appended(prev.excerpt, l.excerpt());
            return;
        }
        if (!l.override().isEmpty() && prev == null) {
            out.add(error(LoadCode.LOAD_ERR_VALIDATE, l.position(), "list", l.name(),
                        "List has 'override' key but no list by that name already exists"));
            return;
        }
        ListInfo info = prev != null ? prev : new ListInfo(l.name(), id, l.position());
        info.items.clear();
        info.items.addAll(l.items());
        info.visibility = id;
        info.position = l.position();
        info.excerpt = l.override().isEmpty() ? l.excerpt() : appended(info.excerpt, l.excerpt());
        lists.put(l.name(), info);
    }

    private void macro(RulesItem.MacroDef m, int id, List<Diagnostic> out) {
        MacroInfo prev = macros.get(m.name());
        boolean appending = m.append() || "append".equals(m.override().get("condition"));
        if (appending) {
            if (prev == null) {
                out.add(error(LoadCode.LOAD_ERR_VALIDATE, m.position(), "macro", m.name(),
                        "Macro has 'append' key but no macro by that name already exists").quoting(m.excerpt(), ""));
                return;
            }
            prev.condition.append(m.condition(), m.conditionSource());
            prev.visibility = id;
            prev.excerpt = appended(prev.excerpt, m.excerpt());
            return;
        }
        if (!m.override().isEmpty() && prev == null) {
            out.add(error(LoadCode.LOAD_ERR_VALIDATE, m.position(), "macro", m.name(),
                        "Macro has 'override' key but no macro by that name already exists"));
            return;
        }
        MacroInfo info = prev != null ? prev : new MacroInfo(m.name(), id, m.position());
        info.condition = new SourceText(m.condition(), m.conditionSource());
        info.position = m.position();
        info.visibility = id;
        info.source = m.source() == null || m.source().isEmpty() ? "syscall" : m.source();
        info.excerpt = m.override().isEmpty() ? m.excerpt() : appended(info.excerpt, m.excerpt());
        macros.put(m.name(), info);
    }

    private void rule(RulesItem.RuleDef r, int id, List<Diagnostic> out) {
        RuleInfo prev = rules.get(r.name());
        if (r.enableOnly()) {
            if (prev == null) {
                out.add(error(LoadCode.LOAD_ERR_VALIDATE, r.position(), "rule", r.name(),
                        "Rule has 'enabled' key but no rule by that name already exists"));
                return;
            }
            prev.enabled = r.enabled();
            return;
        }
        if (r.append()) {
            if (prev == null) {
                out.add(error(LoadCode.LOAD_ERR_VALIDATE, r.position(), "rule", r.name(),
                        "Rule has 'append' key but no rule by that name already exists").quoting(r.excerpt(), ""));
                return;
            }
            prev.excerpt = appended(prev.excerpt, r.excerpt());
            if (r.condition() != null) {
                prev.condition.append(r.condition(), r.conditionSource());
            }
            if (r.exceptions() != null) {
                appendExceptions(prev, r.exceptions(), r.excerpt(), out);
            }
            return;
        }
        if (!r.override().isEmpty()) {
            if (prev == null) {
                out.add(error(LoadCode.LOAD_ERR_VALIDATE, r.position(), "rule", r.name(),
                        "Rule has 'override' key but no rule by that name already exists"));
                return;
            }
            prev.excerpt = appended(prev.excerpt, r.excerpt());
            override(prev, r, out);
            return;
        }
        RuleInfo info = prev != null ? prev : new RuleInfo(r.name(), id, r.position());
        info.position = r.position();
        info.excerpt = r.excerpt();
        info.desc = r.desc() == null ? "" : r.desc();
        info.condition = new SourceText(r.condition() == null ? "" : r.condition(), r.conditionSource());
        info.output = r.output() == null ? "" : r.output().trim();
        info.outputSource = r.outputSource();
        info.priority = r.priority();
        info.source = r.source() == null || r.source().isEmpty() ? "syscall" : r.source();
        info.enabled = r.enabled() == null || r.enabled();
        info.tags.clear();
        if (r.tags() != null) {
            info.tags.addAll(r.tags());
        }
        info.exceptions.clear();
        if (r.exceptions() != null) {
            for (ExceptionDef e : r.exceptions()) {
                info.exceptions.add(newException(e));
            }
        }
        info.warnEvttypes = r.warnEvttypes() == null || r.warnEvttypes();
        info.skipIfUnknownFilter = r.skipIfUnknownFilter() != null && r.skipIfUnknownFilter();
        rules.put(r.name(), info);
    }

    private void override(RuleInfo prev, RulesItem.RuleDef r, List<Diagnostic> out) {
        for (Map.Entry<String, String> e : r.override().entrySet()) {
            boolean append = e.getValue().equals("append");
            switch (e.getKey()) {
                case "condition" -> {
                    if (append) {
                        prev.condition.append(nonNull(r.condition()), r.conditionSource());
                    } else {
                        prev.condition = new SourceText(nonNull(r.condition()), r.conditionSource());
                    }
                }
                case "output" -> prev.output = append ? prev.output + " " + nonNull(r.output()) : nonNull(r.output());
                case "desc" -> prev.desc = append ? prev.desc + " " + nonNull(r.desc()) : nonNull(r.desc());
                case "priority" -> prev.priority = r.priority();
                case "enabled" -> prev.enabled = r.enabled() == null || r.enabled();
                case "warn_evttypes" -> prev.warnEvttypes = r.warnEvttypes() == null || r.warnEvttypes();
                case "skip-if-unknown-filter" -> prev.skipIfUnknownFilter = Boolean.TRUE.equals(r.skipIfUnknownFilter());
                case "tags" -> {
                    if (!append) {
                        prev.tags.clear();
                    }
                    prev.tags.addAll(r.tags() == null ? List.of() : r.tags());
                }
                case "exceptions" -> {
                    List<ExceptionDef> given = r.exceptions() == null ? List.of() : r.exceptions();
                    if (append) {
                        appendExceptions(prev, given, r.excerpt(), out);
                    } else {
                        prev.exceptions.clear();
                        for (ExceptionDef x : given) {
                            prev.exceptions.add(newException(x));
                        }
                    }
                }
                default -> out.add(error(LoadCode.LOAD_ERR_VALIDATE, r.position(), "rule", r.name(),
                        "Key '" + e.getKey() + "' cannot be overridden"));
            }
        }
    }

    /** Falco quotes an item with its appends, separated by a blank line. */
    private static String appended(String excerpt, String more) {
        return excerpt.isEmpty() ? more : more.isEmpty() ? excerpt : excerpt + "\n\n" + more;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private void appendExceptions(RuleInfo rule, List<ExceptionDef> additions, String excerpt, List<Diagnostic> out) {
        for (ExceptionDef add : additions) {
            ExceptionInfo existing = null;
            for (ExceptionInfo e : rule.exceptions) {
                if (e.name.equals(add.name())) {
                    existing = e;
                }
            }
            if (existing != null) {
                existing.values.addAll(add.values());
            } else if (add.fields() == null) {
                out.add(error(LoadCode.LOAD_ERR_VALIDATE, add.position(), "exception", add.name(),
                        "Rule exception must have fields property with a list of fields").quoting(excerpt, ""));
            } else {
                rule.exceptions.add(newException(add));
            }
        }
    }

    private static ExceptionInfo newException(ExceptionDef e) {
        ExceptionInfo info = new ExceptionInfo(e.name(), e.position());
        info.fields = e.fields();
        info.comps = e.comps();
        info.values.addAll(e.values());
        return info;
    }

    static Diagnostic error(LoadCode code, Position pos, String type, String name, String message) {
        return new Diagnostic(Diagnostic.Severity.ERROR, code, pos, type, name, message);
    }

    static Diagnostic warning(LoadCode code, Position pos, String type, String name, String message) {
        return new Diagnostic(Diagnostic.Severity.WARNING, code, pos, type, name, message);
    }
}
