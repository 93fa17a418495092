package io.peregrine.job.rules;

import io.peregrine.avro.EventTypeSet;
import io.peregrine.avro.RulesetRecord;
import io.peregrine.avro.RulesetStatus;
import io.peregrine.engine.DetectionRules;
import io.peregrine.engine.DetectionSettings;
import io.peregrine.event.EventInfo;
import io.peregrine.event.EventTable;
import io.peregrine.rules.load.CompiledRule;
import io.peregrine.rules.load.CompiledRuleset;
import io.peregrine.rules.load.Diagnostic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The outcome of compiling one {@link RulesetRecord}: either rules ready to run, or the reasons it
 * was rejected. Deterministic (the same record always gives the same outcome), which broadcast
 * state requires: every parallel task compiles the record on its own.
 *
 * @param version the record's version
 * @param rules the compiled rules, null when rejected
 * @param settings the detection settings the rules were loaded with (alerts carry the version)
 * @param errors why the ruleset was rejected (empty when accepted)
 * @param warnings the loader's warnings
 * @param counts what was loaded: rules, enabled_rules, macros, lists, files
 */
public record RulesetActivation(String version, DetectionRules rules, DetectionSettings settings,
        List<String> errors, List<String> warnings, Map<String, Long> counts) {

    /** Checks and compiles {@code record}, with {@code base}'s selection, -A and hostname. */
    public static RulesetActivation compile(RulesetRecord record, DetectionSettings base) {
        String version = record.getVersion() == null ? "" : record.getVersion().toString();
        String inconsistency = RulesetRecords.inconsistency(record);
        if (inconsistency != null) {
            return rejected(version, List.of(inconsistency));
        }
        DetectionSettings settings = withSources(base, record).withRulesetVersion(version);
        DetectionRules rules;
        try {
            rules = DetectionRules.load(settings);
        } catch (RuntimeException e) {
            return rejected(version, List.of("the ruleset cannot be loaded: " + e));
        }
        List<String> errors = rules.loaded().errors().stream().map(Diagnostic::toString).toList();
        List<String> warnings = rules.loaded().warnings().stream().map(Diagnostic::toString).toList();
        CompiledRuleset.Stats s = rules.loaded().ruleset().stats();
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("rules", (long) s.rules());
        counts.put("enabled_rules", (long) rules.matcher().rules().size());
        counts.put("macros", (long) s.macros());
        counts.put("lists", (long) s.lists());
        counts.put("files", (long) record.getFiles().size());
        return new RulesetActivation(version, errors.isEmpty() ? rules : null, settings, errors, warnings, counts);
    }

    private static RulesetActivation rejected(String version, List<String> errors) {
        return new RulesetActivation(version, null, null, errors, List.of(), Map.of());
    }

    private static DetectionSettings withSources(DetectionSettings base, RulesetRecord record) {
        List<String> names = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        RulesetRecords.sources(record).forEach(s -> {
            names.add(s.name());
            texts.add(s.content());
        });
        return new DetectionSettings(names, texts, base.minimumPriority(), base.tags(), base.disabledTags(),
                base.disabledRules(), base.matching(), base.allEvents(), base.hostname(), base.rulesetVersion());
    }

    public boolean ok() {
        return rules != null;
    }

    /** The status record for the "rules-status" topic; {@code activeVersion} is what runs after this attempt. */
    public RulesetStatus status(String activeVersion, String reporter) {
        return RulesetStatus.newBuilder()
                .setVersion(version)
                .setOk(ok())
                .setErrors(new ArrayList<>(errors))
                .setWarnings(new ArrayList<>(warnings))
                .setCounts(new LinkedHashMap<>(counts))
                .setActiveVersion(activeVersion)
                .setReporter(reporter)
                .setTs(System.currentTimeMillis() * 1_000_000L)
                .build();
    }

    /**
     * The event types the probes must capture for this ruleset: those its selected rules match
     * plus those the state engine parses, as names and as every libscap id (enter and exit, each
     * version) of each name. {@code allEvents} when a rule is not restricted to event types.
     */
    public EventTypeSet eventTypeSet() {
        if (!ok()) {
            throw new IllegalStateException("a rejected ruleset has no event types");
        }
        boolean all = false;
        for (CompiledRule r : rules.matcher().rules()) {
            all |= r.eventTypes().isAll();
        }
        TreeSet<String> names = new TreeSet<>(rules.matcher().eventTypeNames());
        names.addAll(StateEventTypes.NAMES);
        TreeSet<Integer> ids = new TreeSet<>();
        for (String name : names) {
            for (EventInfo info : EventTable.named(name)) {
                ids.add(info.id());
            }
        }
        return EventTypeSet.newBuilder()
                .setRulesetVersion(version)
                .setAllEvents(all)
                .setEventTypes(new ArrayList<>(ids))
                .setNames(new ArrayList<>(names))
                .setEventTableVersion(EventTable.VERSION)
                .setTs(System.currentTimeMillis() * 1_000_000L)
                .build();
    }
}
