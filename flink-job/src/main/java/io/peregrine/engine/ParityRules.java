package io.peregrine.engine;

import io.peregrine.rules.load.RulesSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A rule that fires on every event and prints the fields most sensitive to where state lives
 * (process identity, ancestry, users, containers, fds, addresses), so that two detection paths
 * (whole-host engine, keyed engines in this thread, the Flink graph) can be compared alert by
 * alert. Used by the parity tests of several modules, so it lives with the engine.
 */
public final class ParityRules {

    /** The compared fields (evt.num is left out: each keyed engine numbers its own events). */
    public static final List<String> FIELDS = List.of("evt.type", "evt.dir", "thread.tid", "proc.pid", "proc.vpid",
            "proc.name", "proc.exe", "proc.cmdline", "proc.cwd", "proc.pname", "proc.ppid", "proc.aname[2]",
            "proc.aname[3]", "proc.aname[4]", "proc.apid[2]", "proc.sid", "proc.tty", "proc.nthreads", "user.name",
            "user.uid", "group.name", "container.id", "container.name", "container.image", "container.privileged",
            "fd.num", "fd.name", "fd.type", "fd.typechar", "fd.cip", "fd.sip", "fd.cport", "fd.sport", "fd.lip",
            "fd.rip", "fd.l4proto", "evt.res", "evt.args");

    private ParityRules() {
    }

    /** Settings with the every-event rule and -A, so every non-internal event raises one alert. */
    public static DetectionSettings settings() {
        StringBuilder output = new StringBuilder();
        for (String f : FIELDS) {
            output.append(f).append("=%").append(f).append(' ');
        }
        String rule = "- rule: every event\n"
                + "  desc: prints the fields compared between detection paths\n"
                + "  condition: evt.rawtime > 0\n"
                + "  output: \"" + output.toString().trim() + "\"\n"
                + "  priority: DEBUG\n";
        return DetectionSettings.of(List.of(new RulesSource("parity.yaml", rule))).withAllEvents(true)
                .withHostname("parity-host");
    }

    /** Every capture of the corpus that sysdig reads. */
    public static List<Path> captures(Path corpus) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(corpus.resolve("scap"))) {
            files.filter(p -> p.toString().endsWith(".scap")).sorted().forEach(out::add);
        }
        return out;
    }
}
