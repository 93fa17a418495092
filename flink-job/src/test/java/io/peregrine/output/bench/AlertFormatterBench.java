package io.peregrine.output.bench;

import io.peregrine.output.Alert;
import io.peregrine.output.AlertFormat;
import io.peregrine.output.AlertFormatter;
import io.peregrine.output.Priority;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Alerts formatted per second, JSON and text, for a typical alert of the stable ruleset (about a
 * dozen output fields). Run: {@code java -cp <test classpath> org.openjdk.jmh.Main AlertFormatterBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class AlertFormatterBench {

    private final Alert alert = Alert.builder()
            .timeNs(1470327477881781397L).rule("Terminal shell in container").priority(Priority.NOTICE)
            .hostname("node-17").output("A shell was spawned in a container with an attached terminal (user=root "
                    + "user_loginuid=-1 k8s.ns=default k8s.pod=web-1 container=3ad7b26ded6d shell=bash parent=runc "
                    + "cmdline=bash -il terminal=34816 container_id=3ad7b26ded6d image=nginx)")
            .field("user.name", "root").field("user.loginuid", -1L).field("k8s.ns.name", "default")
            .field("k8s.pod.name", "web-1").field("container.id", "3ad7b26ded6d").field("proc.name", "bash")
            .field("proc.pname", "runc").field("proc.cmdline", "bash -il").field("proc.tty", 34816L)
            .field("container.image.repository", "nginx").field("evt.type", "execve").field("proc.pid", 4242L)
            .tags("container", "shell", "mitre_execution", "T1059")
            .build();
    private final AlertFormatter json = new AlertFormatter(AlertFormat.falcoDefaults().withJson(true), 0);
    private final AlertFormatter text = new AlertFormatter(AlertFormat.falcoDefaults(), 0);

    @Benchmark
    public String json() {
        return json.line(alert);
    }

    @Benchmark
    public String text() {
        return text.line(alert);
    }
}
