package io.peregrine.rules.load;

import io.peregrine.fields.FieldResolver;
import java.util.Map;

/**
 * What the loader compiles against: a field resolver per event source it supports (rules of any
 * other source are skipped with a warning, as Falco does without the source's plugin), the event
 * type universe, and the {@code %container.info} replacement.
 */
public record LoaderConfig(Map<String, FieldResolver> sources, EventTypeUniverse universe, String containerInfo) {

    public LoaderConfig {
        sources = Map.copyOf(sources);
    }

    /** Syscall rules only, with the given resolver, the compiled-in event table and Falco's defaults. */
    public static LoaderConfig syscall(FieldResolver resolver) {
        return new LoaderConfig(Map.of("syscall", resolver), EventTypeUniverse.fromEventTable(),
                OutputFormat.DEFAULT_CONTAINER_INFO);
    }

    public LoaderConfig withUniverse(EventTypeUniverse universe) {
        return new LoaderConfig(sources, universe, containerInfo);
    }
}
