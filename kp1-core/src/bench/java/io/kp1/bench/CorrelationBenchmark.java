package io.kp1.bench;

import io.kp1.Reply;
import io.kp1.ResourcePath;
import io.kp1.Topic;
import io.kp1.correlation.Correlator;
import io.kp1.correlation.PendingRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Register one request and complete one with its reply, on one thread: the {@link Correlator}
 * against a baseline made of a {@code ConcurrentHashMap<Integer, CompletableFuture<Reply>>} and
 * an ID counter. The score is register+complete pairs per second.
 *
 * <p>Each operation registers a request on one of 16 endpoints, builds the topic to publish,
 * then completes one pending request with a {@code /status} reply topic built as a transport
 * would hand it over: the one just registered, or the oldest (see {@link Workload#complete}).
 * {@code outstanding} requests stay pending throughout (1,000, 10,000, 100,000, 1,000,000), so
 * the cost per operation can be followed from a thousand to a million pending.
 *
 * <p>With replies in request order ({@code oldest}) and many pending, every request outlives
 * several young collections: it is copied, promoted and dies in the old generation, and its
 * reply touches memory last seen {@code outstanding} operations ago. That cost is the
 * collector's and the memory's more than the table's; the baseline pays it too. Of the bytes
 * per operation ({@code -prof gc}), 80 are the correlator's (the {@link PendingRequest}, 56, and
 * the {@link Reply}); the rest are the topics a transport would hand over. The collector decides
 * how much that costs, so compare collectors in runs of their own, each against the baseline:
 * <pre>
 * -p complete=oldest -p outstanding=1000,1000000                              # G1, the default
 * -p complete=oldest -p outstanding=1000,1000000 -jvmArgsAppend "-Xms3g -Xmx3g -XX:+UseParallelGC"
 * -p complete=oldest -p outstanding=1000,1000000 -jvmArgsAppend "-Xms3g -Xmx3g -XX:+UseParallelGC -Xmn2g"
 * -p complete=oldest -p outstanding=1000,1000000 -jvmArgsAppend "-Xms3g -Xmx3g -Xmn2g"        # G1
 * </pre>
 * A {@code -jvmArgsAppend} on the command line replaces this class's (the heap settings), so
 * it states them again.
 * With G1's default young generation the requests die old and the cost grows 2.6x from a
 * thousand to a million pending; with {@code -Xmn2g}, ParallelGC or ZGC it stays within 1.3x.
 * The README has the numbers.
 *
 * <p>The baseline does less than the correlator: no deadlines, no per-endpoint scope or limit,
 * no check that the reply's path matches (D12), no late/duplicate accounting, no reuse check
 * after an ID wrap-around.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class CorrelationBenchmark {
    static final long TIMEOUT = TimeUnit.SECONDS.toNanos(10);
    static final byte[] EMPTY = new byte[0];
    static final int ENDPOINTS = 16;

    /** What both sides share: the paths, the outstanding count and the FIFO of pending requests. */
    @State(Scope.Thread)
    public abstract static class Workload {
        @Param({"1000", "10000", "100000", "1000000"})
        public int outstanding;

        /**
         * Which request each operation completes: {@code newest}, the one it just registered
         * (the others stay pending, untouched), or {@code oldest}, the one registered
         * {@code outstanding} operations ago (replies in request order).
         */
        @Param({"newest", "oldest"})
        public String complete;

        boolean newest;

        final ResourcePath[] paths = new ResourcePath[ENDPOINTS];
        /** Pending requests, oldest at {@code head}: their ID and endpoint. */
        int[] fifoIds;
        byte[] fifoPaths;
        int head;
        long now;
        int op;

        void initPaths() {
            for (int i = 0; i < ENDPOINTS; i++) {
                paths[i] = ResourcePath.of("smart_kettle_v1", "dcx", "JTjdbENzH" + (char) ('a' + i), "/json");
            }
            newest = "newest".equals(complete);
            fifoIds = new int[outstanding];
            fifoPaths = new byte[fifoIds.length];
        }

        /** Queues the new request and returns the reply topic for the oldest one. */
        Topic replyForOldest(int newId, int newPath) {
            int oldId = fifoIds[head];
            int oldPath = fifoPaths[head];
            fifoIds[head] = newId;
            fifoPaths[head] = (byte) newPath;
            head = head + 1 == outstanding ? 0 : head + 1;
            return Topic.request(paths[oldPath], oldId).statusTopic();
        }
    }

    /** The correlator with {@code outstanding} requests pending. */
    public static class Ours extends Workload {
        Correlator correlator;

        @Setup(Level.Trial)
        public void setUp() {
            initPaths();
            correlator = Correlator.builder().maxPending(2_000_000).maxPendingPerEndpoint(2_000_000).build();
            for (int i = 0; i < outstanding; i++) {
                fifoIds[i] = correlator.register(paths[i & 15], TIMEOUT, now).requestId();
                fifoPaths[i] = (byte) (i & 15);
            }
        }
    }

    /** The baseline map with {@code outstanding} futures pending. */
    public static class Baseline extends Workload {
        final ConcurrentHashMap<Integer, CompletableFuture<Reply>> map = new ConcurrentHashMap<>();
        int nextId = 1;

        @Setup(Level.Trial)
        public void setUp() {
            initPaths();
            for (int i = 0; i < outstanding; i++) {
                int id = nextId++;
                map.put(id, new CompletableFuture<>());
                fifoIds[i] = id;
                fifoPaths[i] = (byte) (i & 15);
            }
        }
    }

    @Benchmark
    public void correlator(Ours s, Blackhole bh) {
        s.now += 1_000;
        int pathIndex = s.op++ & 15;
        PendingRequest p = s.correlator.register(s.paths[pathIndex], TIMEOUT, s.now);
        Topic request = p.topic();
        bh.consume(request);
        Topic reply = s.newest ? request.statusTopic() : s.replyForOldest(p.requestId(), pathIndex);
        bh.consume(s.correlator.onReply(reply, EMPTY));
    }

    @Benchmark
    public void baseline(Baseline s, Blackhole bh) {
        s.now += 1_000;
        int pathIndex = s.op++ & 15;
        int id = s.nextId;
        s.nextId = id == Integer.MAX_VALUE ? 1 : id + 1;
        CompletableFuture<Reply> f = new CompletableFuture<>();
        s.map.put(id, f);
        Topic request = Topic.request(s.paths[pathIndex], id);
        bh.consume(request);
        Topic reply = s.newest ? request.statusTopic() : s.replyForOldest(id, pathIndex);
        CompletableFuture<Reply> g = s.map.remove(reply.requestId());
        g.complete(Reply.received(reply, EMPTY));
        bh.consume(g);
    }
}
