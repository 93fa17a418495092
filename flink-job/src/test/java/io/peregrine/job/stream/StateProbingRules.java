package io.peregrine.job.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The one test ruleset that the persistence tests share (state-probing-rules.yaml beside this
 * class): rules that fire often on the corpus and print ancestry and fd state, so that any state
 * lost by a store, a restore or a rescale shows in the alerts. integration-tests' RecoveryITCase
 * reads the same file by its path.
 */
public final class StateProbingRules {

    private StateProbingRules() {
    }

    public static String yaml() {
        try (InputStream in = StateProbingRules.class.getResourceAsStream("state-probing-rules.yaml")) {
            if (in == null) {
                throw new IllegalStateException("state-probing-rules.yaml missing beside StateProbingRules");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
