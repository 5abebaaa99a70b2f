package io.kp1.examples;

import io.kp1.Reply;
import io.kp1.client.Endpoint;
import io.kp1.client.Observation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Requests, replies, errors and latency per operation ({@code "dcx /json"}), measured around
 * {@link Endpoint}s of any transport: {@link #measure} wraps one.
 *
 * <pre>{@code
 * Stats stats = new Stats();
 * Endpoint e = stats.measure(client.endpoint("demo_v1", "tok"));
 * e.request("dcx", "/json", "[1]").join();
 * System.out.print(stats.table());
 * }</pre>
 *
 * <p>A request counts once when sent; when it completes with a reply (success or error, K7) it
 * counts as a reply, and an error reply (but 7/CMP's "unchanged" 304 over HTTP, D10) or a
 * completion without reply (timeout, I/O, D14) as an error. Latencies are those of replies. An
 * observation (K11) counts as one request ({@code "... (observe)"}) answered by its first reply;
 * the pushes that follow are not requests and are not counted. Thread-safe.
 */
final class Stats {
    private final Map<String, Op> ops = new LinkedHashMap<>();

    /** An endpoint whose requests are measured here. */
    Measured measure(Endpoint endpoint) {
        return measure(endpoint, null);
    }

    /**
     * An endpoint whose requests are measured here, under operations named
     * {@code "<prefix> <extension> <resource>"} (e.g. {@code "MQTT dcx /json"}); no prefix if null.
     */
    Measured measure(Endpoint endpoint, String prefix) {
        return new Measured(endpoint, prefix == null ? "" : prefix + " ");
    }

    /**
     * Records one request of {@code operation} sent now; call the returned callback when it ends.
     */
    Recorder start(String operation) {
        Op op;
        synchronized (this) {
            op = ops.computeIfAbsent(operation, Op::new);
        }
        synchronized (op) {
            op.requests++;
        }
        long t0 = System.nanoTime();
        return (replied, error) -> {
            long nanos = System.nanoTime() - t0;
            synchronized (op) {
                if (replied) {
                    op.replies++;
                    op.add(nanos);
                }
                if (error) {
                    op.errors++;
                }
            }
        };
    }

    /** The end of one request. */
    @FunctionalInterface
    interface Recorder {
        /**
         * @param replied whether a reply came (success or error)
         * @param error   whether it failed: an error reply, or no reply at all
         */
        void done(boolean replied, boolean error);
    }

    /** An error reply, but not 7/CMP's "unchanged" 304 over HTTP (D10). */
    private static boolean isError(Reply reply) {
        return !reply.isSuccess() && reply.statusCode() != 304;
    }

    /** Totals over every operation: requests, replies, errors. */
    synchronized long[] totals() {
        long[] t = new long[3];
        for (Op op : ops.values()) {
            synchronized (op) {
                t[0] += op.requests;
                t[1] += op.replies;
                t[2] += op.errors;
            }
        }
        return t;
    }

    /** The summary table, one line per operation in order of first use, then the totals. */
    synchronized String table() {
        StringBuilder sb = new StringBuilder();
        String format = "  %-36s %9s %9s %7s %9s %9s%n";
        sb.append(String.format(Locale.ROOT, format, "operation", "requests", "replies", "errors", "p50 ms", "p99 ms"));
        List<long[]> all = new ArrayList<>();
        for (Op op : ops.values()) {
            synchronized (op) {
                long[] sorted = Arrays.copyOf(op.latencies, op.size);
                Arrays.sort(sorted);
                all.add(sorted);
                sb.append(String.format(Locale.ROOT, format, op.name, op.requests, op.replies, op.errors,
                        millis(sorted, 0.50), millis(sorted, 0.99)));
            }
        }
        long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        long[] t = totals();
        sb.append(String.format(Locale.ROOT, format, "all", t[0], t[1], t[2], millis(merged, 0.50),
                millis(merged, 0.99)));
        return sb.toString();
    }

    /** The nearest-rank percentile, in milliseconds with one decimal; "-" without samples. */
    private static String millis(long[] sorted, double p) {
        if (sorted.length == 0) {
            return "-";
        }
        int rank = (int) Math.ceil(p * sorted.length);
        long nanos = sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    private static final class Op {
        final String name;
        long requests;
        long replies;
        long errors;
        long[] latencies = new long[64];
        int size;

        Op(String name) {
            this.name = name;
        }

        void add(long nanos) {
            if (size == latencies.length) {
                latencies = Arrays.copyOf(latencies, size * 2);
            }
            latencies[size++] = nanos;
        }
    }

    /**
     * Measures {@link #request}, {@link #send} and {@link #observe} (until its first reply); the
     * rest goes straight to the endpoint.
     */
    final class Measured implements Endpoint {
        private final Endpoint endpoint;
        private final String prefix;
        private final Map<String, CompletableFuture<Void>> firstReplies = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.Set<CompletableFuture<?>> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();

        Measured(Endpoint endpoint, String prefix) {
            this.endpoint = endpoint;
            this.prefix = prefix;
        }

        /**
         * Completes when the latest observation of {@code extension resource} got its first
         * reply, so the server knows the observer (K11); fails if it ended before. Null before
         * the first {@link #observe} of it.
         */
        CompletableFuture<Void> firstReply(String extension, String resource) {
            return firstReplies.get(extension + " " + resource);
        }

        /**
         * The requests and sends in flight now, e.g. result reports that a facade sent on its
         * own; wait for them before closing the transport, which would end them (D14).
         */
        List<CompletableFuture<?>> inFlight() {
            return List.copyOf(inFlight);
        }

        @Override
        public String appVersion() {
            return endpoint.appVersion();
        }

        @Override
        public String endpointToken() {
            return endpoint.endpointToken();
        }

        @Override
        public CompletableFuture<Reply> request(String extension, String resource, byte[] payload) {
            Recorder r = start(prefix + extension + " " + resource);
            CompletableFuture<Reply> f;
            try {
                f = endpoint.request(extension, resource, payload);
            } catch (RuntimeException e) {
                r.done(false, true);
                throw e;
            }
            inFlight.add(f);
            f.whenComplete((reply, t) -> {
                r.done(reply != null, reply == null || isError(reply));
                inFlight.remove(f);
            });
            return f;
        }

        @Override
        public CompletableFuture<Void> send(String extension, String resource, byte[] payload) {
            Recorder r = start(prefix + extension + " " + resource + " (no ID)");
            CompletableFuture<Void> f = endpoint.send(extension, resource, payload);
            inFlight.add(f);
            f.whenComplete((v, t) -> {
                r.done(false, t != null);
                inFlight.remove(f);
            });
            return f;
        }

        @Override
        public boolean supportsObserve() {
            return endpoint.supportsObserve();
        }

        @Override
        public Observation observe(String extension, String resource, byte[] payload,
                Consumer<? super Reply> listener) {
            Recorder r = start(prefix + extension + " " + resource + " (observe)");
            CompletableFuture<Void> first = new CompletableFuture<>();
            firstReplies.put(extension + " " + resource, first);
            Observation o;
            try {
                o = endpoint.observe(extension, resource, payload, reply -> {
                    if (first.complete(null)) {
                        r.done(true, isError(reply));
                    }
                    listener.accept(reply);
                });
            } catch (RuntimeException e) {
                r.done(false, true);
                first.completeExceptionally(e);
                throw e;
            }
            o.ended().whenComplete((v, t) -> {
                if (first.completeExceptionally(t != null ? t
                        : new java.util.concurrent.CancellationException("ended before its first reply"))) {
                    r.done(false, true);
                }
            });
            return o;
        }

        @Override
        public Observation onPush(String extension, String resource, Consumer<? super Reply> listener) {
            return endpoint.onPush(extension, resource, listener);
        }
    }
}
