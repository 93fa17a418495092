package io.peregrine.rules.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.peregrine.rules.testkit.MapEvalContext;
import io.peregrine.rules.testkit.MapFieldResolver;
import java.util.ArrayList;
import java.util.List;

/** Test fixture: loads rules text against the real field catalogue (map-backed values) and event table. */
final class Rules {

    static final LoaderConfig CONFIG = LoaderConfig.syscall(MapFieldResolver.catalog());

    private Rules() {
    }

    /** Loads each text as one file, in order. */
    static RulesLoader.Result load(String... files) {
        List<RulesSource> sources = new ArrayList<>();
        for (int i = 0; i < files.length; i++) {
            sources.add(new RulesSource("file" + (i + 1) + ".yaml", files[i]));
        }
        return new RulesLoader(CONFIG).load(sources);
    }

    /** Loads and asserts there is no error. */
    static CompiledRuleset ok(String... files) {
        RulesLoader.Result r = load(files);
        assertEquals(List.of(), r.errors());
        return r.ruleset();
    }

    static CompiledRule rule(CompiledRuleset set, String name) {
        CompiledRule r = set.rule(name);
        assertNotNull(r, "rule " + name);
        return r;
    }

    static boolean matches(CompiledRuleset set, String rule, Object... fields) {
        return rule(set, rule).condition().test(MapEvalContext.of(fields));
    }

    /** A one-rule file. */
    static String rule(String name, String condition) {
        return "- rule: " + name + "\n  desc: d\n  condition: " + condition + "\n  output: o\n  priority: INFO\n";
    }
}
