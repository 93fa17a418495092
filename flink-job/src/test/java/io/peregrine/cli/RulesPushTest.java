package io.peregrine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rules push} validates before it publishes: a broken ruleset never reaches the topic. */
class RulesPushTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int push(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "push";
        System.arraycopy(args, 0, all, 1, args.length);
        return RulesCommand.execute(new PrintWriter(out), new PrintWriter(err), all);
    }

    @Test
    void aValidDirectoryIsSummarisedOnADryRun() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), "- rule: Shell\n  desc: d\n  condition: evt.type = execve\n"
                + "  output: \"%proc.name\"\n  priority: WARNING\n");
        assertThat(push("--dry-run", "--version", "v7", dir.toString())).isZero();
        assertThat(out.toString()).contains("ruleset v7: 1 files").contains("checksum");
    }

    @Test
    void aRulesetWithErrorsIsRefusedWithoutContactingKafka() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), "- rule: Broken\n  desc: d\n  condition: evt.type = (\n"
                + "  output: x\n  priority: WARNING\n");
        assertThat(push("--bootstrap-servers", "127.0.0.1:1", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("a.yaml").contains("nothing published");
    }

    @Test
    void anEmptyDirectoryIsAnError() {
        assertThat(push("--dry-run", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no rules files");
    }
}
