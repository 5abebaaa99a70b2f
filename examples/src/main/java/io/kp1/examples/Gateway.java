package io.kp1.examples;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.client.Endpoint;
import io.kp1.client.Observation;
import io.kp1.extension.Kp1ErrorException;
import io.kp1.extension.cep.Command;
import io.kp1.extension.cep.CommandResult;
import io.kp1.extension.cep.Commands;
import io.kp1.extension.cmp.ConfigResponse;
import io.kp1.extension.cmp.Configuration;
import io.kp1.extension.dcp.DataCollection;
import io.kp1.extension.epmp.Metadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A gateway (K10) that speaks for many endpoints through {@link Endpoint} handles of any
 * transport, with the typed facades of kp1-core: each {@link Device} pushes data (2/DCP), syncs
 * its metadata (10/EPMP), fetches and applies its configuration (7/CMP) and runs its commands
 * (11/CEP). {@link #run} runs one such step for every device, a bounded number at a time. Where
 * the transport has server push (MQTT, K11), a device can instead observe its configuration and
 * commands ({@link Device#observeConfiguration}, {@link Device#observeCommands}) and have the
 * changes pushed to it.
 *
 * <pre>{@code
 * Gateway gw = new Gateway(transport, "demo_application_v1", tokens, stats, progress, 16);
 * gw.run("data collection", d -> d.pushData(3), o -> o.ok() + " endpoints pushed 3 samples");
 * gw.run("commands", d -> d.runCommands("reboot"), o -> o.ok() + " endpoints ran their commands");
 * }</pre>
 */
final class Gateway {
    private final List<Device> devices;
    private final Progress progress;
    private final int concurrency;

    Gateway(GatewayTransport transport, String appVersion, List<String> tokens, Stats stats, Progress progress,
            int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
        this.progress = progress;
        this.concurrency = concurrency;
        List<Device> list = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            list.add(new Device(i, stats.measure(transport.endpoint(appVersion, tokens.get(i)),
                    transport.kind().name())));
        }
        this.devices = List.copyOf(list);
    }

    /** The devices, one per endpoint, in token order. */
    List<Device> devices() {
        return devices;
    }

    /**
     * How a step went.
     *
     * @param ok         devices whose step completed normally
     * @param failed     devices whose step failed
     * @param firstError the first failure's message, or null
     */
    record Outcome(int ok, int failed, String firstError) {
        boolean allOk() {
            return failed == 0;
        }
    }

    /**
     * Runs {@code step} for every device, at most {@code concurrency} at a time, with a progress
     * line; ends the line with {@code summary} of the outcome (plus the first error, if any).
     */
    Outcome run(String label, Function<Device, CompletableFuture<?>> step, Function<Outcome, String> summary) {
        Progress.Step p = progress.begin(label, devices.size());
        Semaphore slots = new Semaphore(concurrency);
        AtomicReference<String> firstError = new AtomicReference<>();
        List<CompletableFuture<?>> all = new ArrayList<>(devices.size());
        for (Device d : devices) {
            slots.acquireUninterruptibly();
            CompletableFuture<?> f;
            try {
                f = step.apply(d);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            all.add(f.whenComplete((v, t) -> {
                if (t != null) {
                    firstError.compareAndSet(null, d.label() + ": " + describe(t));
                }
                p.advance(t == null);
                slots.release();
            }));
        }
        try {
            CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).join();
        } catch (CompletionException expected) {
            // Counted per device above.
        }
        Outcome o = new Outcome(p.done() - p.failed(), p.failed(), firstError.get());
        p.end(summary.apply(o) + (o.firstError() == null ? "" : "; first error: " + o.firstError()));
        return o;
    }

    /**
     * Waits until no device has a request or send in flight (those the facades send on their own,
     * like 11/CEP result reports after a push), at most {@code timeout}: closing the transport
     * earlier would end them (D14).
     */
    void awaitIdle(java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<CompletableFuture<?>> busy = new ArrayList<>();
            for (Device d : devices) {
                busy.addAll(d.endpoint.inFlight());
            }
            if (busy.isEmpty()) {
                return;
            }
            try {
                CompletableFuture.allOf(busy.toArray(new CompletableFuture<?>[0]))
                        .get(Math.max(1, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // Counted as errors by Stats; nothing more to wait for on those.
            }
        }
    }

    /** A failure as one line: the innermost message that says something. */
    static String describe(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof java.util.concurrent.ExecutionException)
                && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof Kp1ErrorException) {
            return c.getMessage();
        }
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }

    /** One endpoint behind the gateway: a simulated sensor with a reboot command. */
    static final class Device {
        private final int index;
        private final Stats.Measured endpoint;
        private final DataCollection data;
        private final Metadata metadata;
        private final Configuration configuration;
        private final Commands commands;
        private volatile ConfigResponse config;
        private final AtomicInteger executed = new AtomicInteger();
        private final List<Observation> observations = new java.util.concurrent.CopyOnWriteArrayList<>();
        /** Completed by the configuration listener with the next configuration it applied. */
        private volatile CompletableFuture<ConfigResponse> nextConfig = new CompletableFuture<>();

        Device(int index, Stats.Measured endpoint) {
            this.index = index;
            this.endpoint = endpoint;
            this.data = DataCollection.on(endpoint);
            this.metadata = Metadata.on(endpoint);
            this.configuration = Configuration.on(endpoint);
            this.commands = Commands.on(endpoint);
        }

        Endpoint endpoint() {
            return endpoint;
        }

        String token() {
            return endpoint.endpointToken();
        }

        /** For messages: the device number, never the token (D16). */
        String label() {
            return "endpoint #" + (index + 1);
        }

        /** 2/DCP: pushes a batch of {@code samples} readings, one request. */
        CompletableFuture<Void> pushData(int samples) {
            List<Object> batch = new ArrayList<>(samples);
            for (int i = 0; i < samples; i++) {
                batch.add(Map.of("temperature", 20 + ((index * 7 + i * 3) % 50) / 10.0,
                        "humidity", 40 + (index + i) % 20));
            }
            return data.pushAll(batch);
        }

        /** The metadata this device reports about itself. */
        ObjectNode ownMetadata() {
            return JsonNodeFactory.instance.objectNode()
                    .put("name", String.format(Locale.ROOT, "Demo sensor %d", index + 1))
                    .put("firmwareVersion", "1.4.2")
                    .put("model", "kp1-demo-thermometer");
        }

        /**
         * 10/EPMP: writes its metadata ({@code /update/keys}), reads it back ({@code /get}) and
         * fails unless the server has exactly what it wrote.
         */
        CompletableFuture<ObjectNode> syncMetadata() {
            ObjectNode mine = ownMetadata();
            return metadata.partialUpdate(mine)
                    .thenCompose(v -> metadata.get("name", "firmwareVersion", "model"))
                    .thenApply(read -> {
                        if (!read.equals(mine)) {
                            throw new IllegalStateException("metadata read back differs: wrote " + mine + ", read "
                                    + read);
                        }
                        return read;
                    });
        }

        /** 10/EPMP, read only: the keys the server has and their values. */
        CompletableFuture<ObjectNode> readMetadata() {
            return metadata.getAll();
        }

        /**
         * 7/CMP: asks for the configuration (naming the one it has, if any), and applies and
         * reports a new one; completes with what the server said.
         */
        CompletableFuture<ConfigResponse> fetchConfiguration() {
            ConfigResponse known = config;
            CompletableFuture<ConfigResponse> asked = known == null ? configuration.get()
                    : configuration.get(known.configId());
            return asked.thenCompose(c -> {
                if (c.isUnchanged() || c.isAbsent()) {
                    return CompletableFuture.completedFuture(c);
                }
                config = c;
                return configuration.applied(c.configId()).thenApply(v -> c);
            });
        }

        /** 7/CMP: like {@link #fetchConfiguration}, and fails unless the configuration changed. */
        CompletableFuture<ConfigResponse> fetchChangedConfiguration() {
            String before = config == null ? null : config.configId();
            return fetchConfiguration().thenApply(c -> {
                if (c.isUnchanged() || c.isAbsent() || c.configId().equals(before)) {
                    throw new IllegalStateException("the configuration did not change (still " + before + ")");
                }
                return c;
            });
        }

        /**
         * 7/CMP over push (K11): observes the configuration; the listener applies and reports
         * every new one. Completes when the first one (the current configuration) was applied.
         *
         * @throws UnsupportedOperationException over HTTP (K12)
         */
        CompletableFuture<ConfigResponse> observeConfiguration() {
            CompletableFuture<ConfigResponse> first = expectConfiguration();
            observations.add(configuration.observe(c -> {
                config = c;
                CompletableFuture<ConfigResponse> waiting = nextConfig;
                // On the transport's thread: start the report, never wait for it here.
                configuration.applied(c.configId()).whenComplete((v, t) -> {
                    if (t == null) {
                        waiting.complete(c);
                    } else {
                        waiting.completeExceptionally(t);
                    }
                });
            }));
            return first;
        }

        /**
         * Arms the configuration listener for the next configuration; the future completes when
         * it was applied and reported. Call it before the change is made.
         */
        CompletableFuture<ConfigResponse> expectConfiguration() {
            CompletableFuture<ConfigResponse> f = new CompletableFuture<>();
            nextConfig = f;
            return f;
        }

        /** The future {@link #expectConfiguration} armed last. */
        CompletableFuture<ConfigResponse> expectedConfiguration() {
            return nextConfig;
        }

        /**
         * 11/CEP over push (K11): observes the commands of {@code type}; each command pushed is run
         * and its result reported. Completes when the server has the observer (the first reply).
         *
         * @throws UnsupportedOperationException over HTTP (K12)
         */
        CompletableFuture<Void> observeCommands(String type) {
            observations.add(commands.observe(type, this::execute));
            return endpoint.firstReply(Commands.DEFAULT_INSTANCE, "/command/" + type);
        }

        /** Cancels the observations. */
        void stopObserving() {
            observations.forEach(Observation::cancel);
            observations.clear();
        }

        /** The configuration applied last, or null. */
        ConfigResponse configuration() {
            return config;
        }

        /** 11/CEP: polls the commands of {@code type}, runs them and reports their results (one round). */
        CompletableFuture<List<CommandResult>> runCommands(String type) {
            return commands.execute(type, this::execute);
        }

        /** 11/CEP: like {@link #runCommands}, and fails unless at least one command ran. */
        CompletableFuture<List<CommandResult>> runSomeCommands(String type) {
            return runCommands(type).thenApply(results -> {
                if (results.isEmpty()) {
                    throw new IllegalStateException("no " + type + " command was outstanding");
                }
                return results;
            });
        }

        /** Commands this device ran. */
        int executed() {
            return executed.get();
        }

        private CommandResult execute(Command c) {
            executed.incrementAndGet();
            return c.ok(JsonNodeFactory.instance.objectNode()
                    .put("done", true)
                    .put("by", String.format(Locale.ROOT, "Demo sensor %d", index + 1)));
        }
    }
}
