package io.peregrine.bench;

import io.peregrine.rules.Corpus;
import io.peregrine.rules.load.CompiledRule;
import io.peregrine.rules.load.EventTypeUniverse;
import io.peregrine.rules.load.LoaderConfig;
import io.peregrine.rules.load.OutputFormat;
import io.peregrine.rules.load.RuleMatcher;
import io.peregrine.rules.load.RuleSelection;
import io.peregrine.rules.load.RulesLoader;
import io.peregrine.rules.load.RulesSource;
import io.peregrine.rules.testkit.MapEvalContext;
import io.peregrine.rules.testkit.MapFieldResolver;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Events per second, on one core, of the whole falcosecurity/rules HEAD stable ruleset over a
 * synthetic mix of syscall events (file opens of libraries, configs and temp files, execs of
 * common tools and shells, network connects and accepts, reads and writes, closes...), with the
 * event-type index on and off. Values come from map-backed contexts, so this measures the rules
 * engine alone, not field extraction.
 *
 * <p>Run: {@code mvn -pl flink-job -am test-compile}, then
 * {@code java -cp flink-job/target/test-classes:flink-job/target/classes:<test classpath>
 * org.openjdk.jmh.Main RulesEvalBenchmark} (see the README of the bench package in the report).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class RulesEvalBenchmark {

    static final int EVENTS = 4096;

    @Param({"true", "false"})
    public boolean indexed;

    @Param({"FIRST"})
    public RuleSelection.Matching matching;

    private RuleMatcher matcher;
    private int[] types;
    private MapEvalContext[] contexts;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        LoaderConfig config = new LoaderConfig(Map.of("syscall", MapFieldResolver.catalog()),
                EventTypeUniverse.fromEventTable(), OutputFormat.DEFAULT_CONTAINER_INFO);
        RulesLoader.Result result = new RulesLoader(config).load(List.of(
                RulesSource.read(Corpus.root().resolve("rules/falcosecurity-rules-HEAD/falco_rules.yaml"))));
        if (result.hasErrors()) {
            throw new IllegalStateException("ruleset does not load: " + result.errors());
        }
        matcher = new RuleMatcher(result.ruleset(), RuleSelection.DEFAULT.withMatching(matching), config.universe(), indexed);
        SyntheticEvents events = new SyntheticEvents(new Random(42), config.universe());
        types = new int[EVENTS];
        contexts = new MapEvalContext[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            SyntheticEvents.Event e = events.next();
            types[i] = e.type();
            contexts[i] = e.context();
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void evaluate(Blackhole bh) {
        for (int i = 0; i < EVENTS; i++) {
            bh.consume(matcher.first(types[i], contexts[i]));
        }
    }

    /** Prints how many events of the mix match which rule (a sanity check that the mix exercises rules). */
    public static void main(String[] args) throws IOException {
        RulesEvalBenchmark b = new RulesEvalBenchmark();
        b.indexed = true;
        b.matching = RuleSelection.Matching.FIRST;
        b.setUp();
        Map<String, Integer> hits = new java.util.TreeMap<>();
        for (int i = 0; i < EVENTS; i++) {
            CompiledRule r = b.matcher.first(b.types[i], b.contexts[i]);
            if (r != null) {
                hits.merge(r.name(), 1, Integer::sum);
            }
        }
        System.out.println(b.matcher.rules().size() + " rules; matches in " + EVENTS + " events: " + hits);
        long candidates = 0;
        for (int i = 0; i < EVENTS; i++) {
            candidates += b.matcher.candidates(b.types[i]).length;
        }
        System.out.printf("rules met per event: %.2f with the index, %d without%n", (double) candidates / EVENTS,
                b.matcher.rules().size());
    }
}
