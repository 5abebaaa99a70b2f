package io.kp1.bench;

import io.kp1.Reply;
import io.kp1.ResourcePath;
import io.kp1.correlation.ConnectionLossPolicy;
import io.kp1.correlation.Correlator;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.lang.ref.Reference;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Heap retained per pending request at a million pending: the {@link Correlator} (table,
 * deadlines, per-path state, and the future itself) against the baseline
 * {@code ConcurrentHashMap<Integer, CompletableFuture<Reply>>}.
 *
 * <p>Each invocation measures the used heap after full GCs, registers a million requests
 * (16 endpoints, shared paths, nothing else referencing the futures), measures again, and
 * reports the difference per request as the {@code bytesPerRequest} secondary result (the mean
 * over the measurement iterations). The primary score (the time of one invocation) is not the point.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class CorrelationFootprintBenchmark {
    static final int PENDING = 1_000_000;

    /**
     * The measured bytes per pending request, reported beside the score. JMH sums event
     * counters over the measurement iterations, so each iteration reports its share: the sum
     * is the mean.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Footprint {
        public double bytesPerRequest;
        double share;

        @Setup(Level.Iteration)
        public void reset(BenchmarkParams params) {
            bytesPerRequest = 0;
            share = 1.0 / params.getMeasurement().getCount();
        }

        void report(long before, long after) {
            bytesPerRequest = share * (after - before) / PENDING;
        }
    }

    /** Paths shared by all requests, as the binding shares them per endpoint. */
    @State(Scope.Thread)
    public static class Paths {
        final ResourcePath[] paths = new ResourcePath[CorrelationBenchmark.ENDPOINTS];

        @Setup(Level.Trial)
        public void setUp() {
            for (int i = 0; i < paths.length; i++) {
                paths[i] = ResourcePath.of("smart_kettle_v1", "dcx", "JTjdbENzH" + (char) ('a' + i), "/json");
            }
        }
    }

    /**
     * Used heap after full collections. {@code Runtime} rather than {@code MemoryMXBean}: the
     * benchmarks compile into the {@code io.kp1.core} module, which does not read
     * {@code java.management}.
     */
    static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Runtime rt = Runtime.getRuntime();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    @Benchmark
    public int correlator(Paths p, Footprint out) {
        long before = usedHeapAfterGc();
        Correlator c = Correlator.builder().maxPending(2_000_000).maxPendingPerEndpoint(2_000_000).build();
        for (int i = 0; i < PENDING; i++) {
            c.register(p.paths[i & 15], CorrelationBenchmark.TIMEOUT, 0);
        }
        long after = usedHeapAfterGc();
        out.report(before, after);
        int pending = c.pending();
        c.connectionLost(ConnectionLossPolicy.FAIL_ALL);
        Reference.reachabilityFence(c);
        return pending;
    }

    @Benchmark
    public int baseline(Paths p, Footprint out) {
        long before = usedHeapAfterGc();
        ConcurrentHashMap<Integer, CompletableFuture<Reply>> map = new ConcurrentHashMap<>();
        for (int i = 1; i <= PENDING; i++) {
            map.put(i, new CompletableFuture<>());
        }
        long after = usedHeapAfterGc();
        out.report(before, after);
        int pending = map.size();
        Reference.reachabilityFence(map);
        return pending;
    }
}
