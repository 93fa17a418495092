package io.peregrine.engine;

import io.peregrine.fields.extract.SyscallFields;
import io.peregrine.rules.load.LoaderConfig;
import io.peregrine.rules.load.RuleMatcher;
import io.peregrine.rules.load.RulesLoader;

/**
 * The loaded rules a detection step runs: the loader's result (diagnostics, the compiled ruleset)
 * and the matcher of the selected rules, compiled against the real syscall field extractors.
 */
public record DetectionRules(RulesLoader.Result loaded, RuleMatcher matcher) {

    /**
     * Loads and selects the rules of {@code settings}. Check {@link #hasErrors()} before running:
     * like Falco, a ruleset with load errors must not run.
     *
     * @throws IllegalArgumentException when the selection itself is invalid (-t with -D/-T)
     */
    public static DetectionRules load(DetectionSettings settings) {
        LoaderConfig config = LoaderConfig.syscall(SyscallFields.catalog());
        RulesLoader.Result result = new RulesLoader(config).load(settings.sources());
        RuleMatcher matcher = new RuleMatcher(result.ruleset(), settings.selection(), config.universe(), true);
        return new DetectionRules(result, matcher);
    }

    public boolean hasErrors() {
        return loaded.hasErrors();
    }
}
