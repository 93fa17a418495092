package io.peregrine.job.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.peregrine.avro.RulesetRecord;
import io.peregrine.engine.DetectionSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ruleset records: checksums, load order, round trips, and what makes the job refuse one. */
class RulesetRecordsTest {

    private static final String RULE = "- rule: Shell\n  desc: d\n  condition: evt.type = execve and proc.name = bash\n"
            + "  output: \"%proc.name\"\n  priority: WARNING\n";

    private static Map<String, String> files(String... nameAndContent) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < nameAndContent.length; i += 2) {
            out.put(nameAndContent[i], nameAndContent[i + 1]);
        }
        return out;
    }

    @Test
    void versionDefaultsToTheChecksumPrefixSoEqualContentGetsEqualVersions() {
        RulesetRecord a = RulesetRecords.of(files("a.yaml", RULE), null, null);
        RulesetRecord b = RulesetRecords.of(files("a.yaml", RULE), "", null);
        assertThat(a.getVersion().toString()).isEqualTo(b.getVersion().toString()).hasSize(12);
        assertThat(a.getChecksum().toString()).startsWith(a.getVersion().toString());
    }

    @Test
    void roundTripsThroughAvroAndStaysConsistent() {
        RulesetRecord r = RulesetRecords.decode(RulesetRecords.encode(RulesetRecords.of(files("b.yaml", RULE, "a.yaml", ""), "v1", "why")));
        assertThat(RulesetRecords.inconsistency(r)).isNull();
        assertThat(RulesetRecords.sources(r)).extracting(s -> s.name()).containsExactly("b.yaml", "a.yaml");
    }

    @Test
    void aRecordWhoseFilesDoNotMatchItsChecksumIsRejected() {
        RulesetRecord r = RulesetRecords.of(files("a.yaml", RULE), "v1", null);
        r.getFiles().put("a.yaml", RULE + "# tampered\n");
        assertThat(RulesetRecords.inconsistency(r)).startsWith("checksum mismatch");
        RulesetActivation activation = RulesetActivation.compile(r, DetectionSettings.of(List.of()));
        assertThat(activation.ok()).isFalse();
        assertThat(activation.status("v0", "test").getActiveVersion().toString()).isEqualTo("v0");
    }

    @Test
    void aLoadOrderNamingAMissingFileIsRejected() {
        RulesetRecord r = RulesetRecords.of(files("a.yaml", RULE), "v1", null);
        r.getLoadOrder().add("missing.yaml");
        assertThat(RulesetRecords.inconsistency(r)).contains("missing.yaml");
    }

    @Test
    void aRulesetWithErrorsIsRejectedWithTheLoadersMessages() {
        RulesetActivation a = RulesetActivation.compile(RulesetRecords.of(files("bad.yaml",
                "- rule: Broken\n  desc: d\n  condition: evt.type = (\n  output: x\n  priority: WARNING\n"), "v2", null),
                DetectionSettings.of(List.of()));
        assertThat(a.ok()).isFalse();
        assertThat(a.errors()).isNotEmpty().allSatisfy(e -> assertThat(e).contains("bad.yaml"));
    }

    @Test
    void eventTypesCoverTheRulesAndTheStateEngine() {
        RulesetActivation a = RulesetActivation.compile(RulesetRecords.of(files("a.yaml", RULE), "v1", null),
                DetectionSettings.of(List.of()));
        assertThat(a.counts()).containsEntry("rules", 1L).containsEntry("enabled_rules", 1L);
        var set = a.eventTypeSet();
        assertThat(set.getAllEvents()).isFalse();
        assertThat(set.getNames()).extracting(CharSequence::toString).contains("execve", "clone", "close", "procexit");
        assertThat(set.getEventTypes()).isNotEmpty();
    }
}
