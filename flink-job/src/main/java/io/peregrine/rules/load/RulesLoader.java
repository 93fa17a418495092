package io.peregrine.rules.load;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Loads rules files in order into one {@link CompiledRuleset}: reader → collector → compiler.
 *
 * <p>As in Falco, each file is compiled together with everything loaded before it, so a file's
 * diagnostics include problems its items cause in earlier definitions (a redefined macro breaking
 * an earlier rule). A diagnostic is reported once, under the first file that revealed it.
 */
public final class RulesLoader {

    /** Diagnostics of one file. */
    public record FileResult(String file, List<Diagnostic> diagnostics) {
        public boolean hasErrors() {
            return diagnostics.stream().anyMatch(Diagnostic::isError);
        }
    }

    /**
     * The outcome: per-file diagnostics, the ruleset compiled from all files, and its version (a
     * SHA-256 over the files' names and contents, so every alert can say which ruleset fired it).
     */
    public record Result(List<FileResult> files, CompiledRuleset ruleset, String version) {
        public boolean hasErrors() {
            return files.stream().anyMatch(FileResult::hasErrors);
        }

        public List<Diagnostic> diagnostics() {
            List<Diagnostic> all = new ArrayList<>();
            files.forEach(f -> all.addAll(f.diagnostics()));
            return all;
        }

        public List<Diagnostic> errors() {
            return diagnostics().stream().filter(Diagnostic::isError).toList();
        }

        public List<Diagnostic> warnings() {
            return diagnostics().stream().filter(d -> !d.isError()).toList();
        }
    }

    private final LoaderConfig config;

    public RulesLoader(LoaderConfig config) {
        this.config = config;
    }

    public Result load(List<RulesSource> sources) {
        RuleCollector collector = new RuleCollector();
        List<FileResult> files = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        CompiledRuleset ruleset = RulesetCompiler.compile(collector, config, new ArrayList<>());
        for (RulesSource source : sources) {
            List<Diagnostic> diagnostics = new ArrayList<>();
            RulesReader.Result read = RulesReader.read(source.name(), source.content());
            diagnostics.addAll(read.diagnostics());
            for (RulesItem item : read.items()) {
                collector.collect(item, diagnostics);
            }
            List<Diagnostic> compileDiagnostics = new ArrayList<>();
            ruleset = RulesetCompiler.compile(collector, config, compileDiagnostics);
            for (Diagnostic d : compileDiagnostics) {
                if (seen.add(d.code() + "\u0000" + d.itemType() + "\u0000" + d.itemName() + "\u0000" + d.message())) {
                    diagnostics.add(d);
                }
            }
            files.add(new FileResult(source.name(), diagnostics));
        }
        return new Result(files, ruleset, version(sources));
    }

    /** The version of a ruleset: a digest of its files, in order. */
    public static String version(List<RulesSource> sources) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (RulesSource s : sources) {
                sha.update(s.name().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(s.content().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** Loads one file's text. */
    public Result load(String name, String content) {
        return load(List.of(new RulesSource(name, content)));
    }
}
