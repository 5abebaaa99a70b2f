package io.kp1.examples.box;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.kp1.Reply;
import io.kp1.correlation.ConnectionLossPolicy;
import io.kp1.correlation.CorrelationException;
import io.kp1.mqtt.Kp1MqttClient;
import io.kp1.mqtt.Kp1MqttClientException;
import io.kp1.mqtt.Kp1MqttServer;
import io.kp1.mqtt.MqttEndpoint;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.SessionPresence;
import io.kp1.mqtt.SubscriptionStrategy;
import io.kp1.mqtt.hivemq.HiveMqConnectionEvents;
import io.kp1.mqtt.hivemq.HiveMqTransport;
import io.kp1.mqtt.testing.MosquittoBroker;
import io.kp1.mqtt.testing.MqttTestBroker;
import io.kp1.server.Request;
import io.kp1.server.Router;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak harness: one gateway ({@link Kp1MqttClient} on one HiveMQ MQTT 3.1.1 connection) with
 * many endpoints (K10) talks to an extension-side {@link Kp1MqttServer} through a real Mosquitto
 * that restarts on the same port every few seconds, while a {@link FaultyTransport} under the
 * server drops, duplicates, delays and reorders replies. The gateway keeps requests across
 * connection losses ({@link ConnectionLossPolicy#KEEP_REQUESTS}) and publishes them again with
 * their IDs.
 *
 * <p>Broker and server are set up as a production deployment runs them: Mosquitto with
 * {@code persistence true} (restarted with SIGTERM, so it saves its database) and a deep
 * per-client queue; the server on a persistent MQTT 5 session (fixed client ID, no clean start,
 * session expiry) subscribed at QoS 1; the gateway on a persistent MQTT 3.1.1 session. So QoS 1
 * requests published while the server is reconnecting wait in the broker for it, and QoS 1
 * replies wait for the gateway.
 *
 * <p>The server echoes {@code <token>|<request payload>} in every reply, and each payload carries
 * a nonce, so a future completed with another request's reply is seen (D12). The 2/DCP handler
 * records every sample ID it receives; at the end (after the futures end and a drain period) every
 * sample the gateway sent is looked up there, whether its upload was acknowledged or not.
 *
 * <pre>{@code
 * Map<String, Object> report = GatewaySoak.run(GatewaySoak.Settings.fromSystemProperties());
 * System.out.println(GatewaySoak.toText(report));
 * }</pre>
 *
 * <p>Everything runs over loopback. The report is a flat, ordered map: the same data as text
 * ({@link #toText}) and as JSON ({@link #writeJson}).
 */
final class GatewaySoak {
    static final String APP = "soak_v1";
    /** A progress line this often, so that a long run shows it is alive. */
    private static final long PROGRESS_EVERY = TimeUnit.SECONDS.toNanos(30);
    /** Mosquitto's {@code max_queued_messages} per client session. */
    static final int SESSION_QUEUE = 100_000;
    /** MQTT 5 session expiry of the server's session: longer than any outage. */
    static final long SESSION_EXPIRY_SECONDS = 3600;
    /** How long, after the last future ended, the server may take to receive every sample. */
    static final Duration SERVER_DRAIN = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The operations the gateway mixes, with their weight in the mix. */
    enum Kind {
        /** 2/DCP upload at QoS 1: the samples must reach the server once acknowledged. */
        DATA("dcx", "/json", 60),
        /** 10/EPMP read at QoS 0 with a short timeout. */
        METADATA("epmx", "/get", 25),
        /** 7/CMP configuration request at QoS 1. */
        CONFIG("cmx", "/config/json", 15);

        final String extension;
        final String resource;
        final int weight;

        Kind(String extension, String resource, int weight) {
            this.extension = extension;
            this.resource = resource;
            this.weight = weight;
        }
    }

    /**
     * What to run, from {@code soak.*} system properties (durations as {@code 30s}, {@code 10m},
     * {@code 500ms}).
     *
     * @param duration        how long the gateway sends
     * @param endpoints       endpoints on the one connection
     * @param restartEvery    broker restart period
     * @param rate            operations started per second, all endpoints together
     * @param maxOutstanding  operations unfinished at once, past which the generator skips
     * @param dataTimeout     2/DCP request timeout
     * @param metadataTimeout 10/EPMP request timeout
     * @param configTimeout   7/CMP request timeout
     * @param drop            share of replies dropped
     * @param duplicate       share of replies sent twice
     * @param delay           share of replies delayed by {@code delayBy}
     * @param delayBy         how late a delayed reply is
     * @param reorder         share of replies overtaken by the next one
     * @param strategy        the gateway's subscription strategy
     * @param seed            random seed (endpoints, mix, faults)
     * @param reportDir       where report.json goes
     */
    record Settings(Duration duration, int endpoints, Duration restartEvery, double rate, int maxOutstanding,
                    Duration dataTimeout, Duration metadataTimeout, Duration configTimeout, double drop,
                    double duplicate, double delay, Duration delayBy, double reorder, SubscriptionStrategy strategy,
                    long seed, Path reportDir) {

        static Settings fromSystemProperties() {
            return new Settings(
                    duration("soak.duration", "30s"),
                    Integer.parseInt(prop("soak.endpoints", "1000")),
                    duration("soak.restartEvery", "8s"),
                    Double.parseDouble(prop("soak.rate", "200")),
                    Integer.parseInt(prop("soak.maxOutstanding", "5000")),
                    duration("soak.dataTimeout", "6s"),
                    duration("soak.metadataTimeout", "2s"),
                    duration("soak.configTimeout", "4s"),
                    Double.parseDouble(prop("soak.drop", "0.02")),
                    Double.parseDouble(prop("soak.duplicate", "0.02")),
                    Double.parseDouble(prop("soak.delay", "0.05")),
                    duration("soak.delayBy", "3s"),
                    Double.parseDouble(prop("soak.reorder", "0.02")),
                    SubscriptionStrategy.valueOf(prop("soak.subscriptions", "PER_RESOURCE")),
                    Long.parseLong(prop("soak.seed", "7")),
                    Path.of(prop("soak.reportDir", "target/soak")));
        }

        Duration longestTimeout() {
            Duration d = dataTimeout;
            d = metadataTimeout.compareTo(d) > 0 ? metadataTimeout : d;
            return configTimeout.compareTo(d) > 0 ? configTimeout : d;
        }

        private static String prop(String name, String fallback) {
            String v = System.getProperty(name);
            return v == null || v.isBlank() ? fallback : v.trim();
        }

        private static Duration duration(String name, String fallback) {
            return parseDuration(prop(name, fallback));
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    /** {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}, or an ISO-8601 {@code PT30S}. */
    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Duration.parse(text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** The server side's record of 2/DCP sample IDs: seen once, seen again. */
    private static final class SampleLedger {
        private final BitSet seen = new BitSet();
        private final BitSet again = new BitSet();
        private long duplicates;
        private long batches;

        synchronized void received(long[] ids) {
            batches++;
            for (long id : ids) {
                int i = (int) id;
                if (seen.get(i)) {
                    duplicates++;
                    again.set(i);
                } else {
                    seen.set(i);
                }
            }
        }

        synchronized BitSet seen() {
            return (BitSet) seen.clone();
        }

        /** How many distinct samples arrived (the IDs are dense from 0). */
        synchronized long distinct() {
            return seen.cardinality();
        }
    }

    /** The gateway side: what it sent, and how each call ended. */
    private static final class GatewayLedger {
        final Map<Kind, LongAdder> sent = counters();
        final Map<Kind, LongAdder> matched = counters();
        final Map<Kind, LongAdder> errorReplies = counters();
        final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
        final LongAdder wrong = new LongAdder();
        final ConcurrentLinkedQueue<String> wrongExamples = new ConcurrentLinkedQueue<>();
        final Set<CompletableFuture<Reply>> outstanding = ConcurrentHashMap.newKeySet();
        final AtomicLong nextSample = new AtomicLong();
        final AtomicLong nextNonce = new AtomicLong();
        final BitSet acked = new BitSet();
        final BitSet unacked = new BitSet();
        /** Unacknowledged samples by how their upload ended: a failure reason, "errorReply" or "wrongReply". */
        final Map<String, BitSet> unackedBy = new LinkedHashMap<>();
        final LongAdder skipped = new LongAdder();
        final AtomicLong peakOutstanding = new AtomicLong();
        final List<Double> heapSeries = new java.util.concurrent.CopyOnWriteArrayList<>();

        private static Map<Kind, LongAdder> counters() {
            Map<Kind, LongAdder> m = new ConcurrentHashMap<>();
            for (Kind k : Kind.values()) {
                m.put(k, new LongAdder());
            }
            return m;
        }

        /** Records how the upload of {@code ids} ended: {@code outcome} null when acknowledged. */
        void samples(long[] ids, String outcome) {
            synchronized (acked) {
                BitSet by = outcome == null ? null : unackedBy.computeIfAbsent(outcome, k -> new BitSet());
                for (long id : ids) {
                    (outcome == null ? acked : unacked).set((int) id);
                    if (by != null) {
                        by.set((int) id);
                    }
                }
            }
        }

        String failed(Throwable t) {
            Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null
                    ? t.getCause() : t;
            String key;
            if (c instanceof CorrelationException ce) {
                key = ce.reason().name();
            } else if (c instanceof Kp1MqttClientException ke) {
                key = ke.reason().name();
            } else {
                key = c.getClass().getSimpleName();
            }
            failures.computeIfAbsent(key, k -> new LongAdder()).increment();
            return key;
        }

        static long sum(Map<Kind, LongAdder> m) {
            return m.values().stream().mapToLong(LongAdder::sum).sum();
        }
    }

    private GatewaySoak() {
    }

    /** Runs the soak and returns its report; closes everything it started. */
    static Map<String, Object> run(Settings s) throws Exception {
        SampleLedger server = new SampleLedger();
        GatewayLedger gw = new GatewayLedger();
        LongAdder serverReconnections = new LongAdder();
        LongAdder serverSessionsResumed = new LongAdder();
        AtomicLong gatewayConnections = new AtomicLong();
        AtomicLong restarts = new AtomicLong();
        AtomicLong outageNanos = new AtomicLong();

        Faults faults = Faults.builder().seed(s.seed()).drop(s.drop()).duplicate(s.duplicate())
                .delay(s.delay(), s.delayBy()).reorder(s.reorder()).build();
        FaultInjector injector = new FaultInjector(faults, Duration.ofMillis(500));
        // As a production broker runs: sessions and their queued QoS 1 messages saved on shutdown
        // (SIGTERM) and restored at start, and a per-client queue deep enough for an outage's worth
        // of requests (Mosquitto's default, 1,000, drops the rest).
        try (MosquittoBroker broker = MosquittoBroker.launchPersistent("max_queued_messages " + SESSION_QUEUE)) {
            String host = broker.host();
            int port = broker.port(MqttTestBroker.Listener.TCP);

            // Extension side: its own connection, faults on every reply it publishes. A persistent
            // session (fixed client ID, no clean start, session expiry) keeps its subscriptions on
            // the broker across restarts, so the requests the gateway publishes while the server is
            // away are queued for it instead of dropped for want of a subscriber.
            HiveMqConnectionEvents serverEvents = new HiveMqConnectionEvents();
            Mqtt5AsyncClient serverMqtt = serverEvents.addTo(Mqtt5Client.builder()
                            .identifier("soak-server").serverHost(host).serverPort(port)
                            .automaticReconnect().initialDelay(50, TimeUnit.MILLISECONDS)
                            .maxDelay(500, TimeUnit.MILLISECONDS).applyAutomaticReconnect())
                    .buildAsync();
            FaultyTransport serverTransport = new FaultyTransport(HiveMqTransport.of(serverMqtt, serverEvents),
                    injector, topic -> CompletableFuture.completedFuture(false));
            Kp1MqttServer kpServer = Kp1MqttServer.builder(serverTransport, router(server))
                    .subscriptionQos(MqttQos.AT_LEAST_ONCE)
                    .connectionListener(new Kp1MqttServer.ConnectionListener() {
                        @Override
                        public void onConnected(boolean reconnect, SessionPresence session) {
                            if (reconnect) {
                                serverReconnections.increment();
                                if (session == SessionPresence.PRESENT) {
                                    serverSessionsResumed.increment();
                                }
                            }
                        }
                    })
                    .build();
            serverMqtt.connectWith().cleanStart(false).sessionExpiryInterval(SESSION_EXPIRY_SECONDS).send()
                    .get(15, TimeUnit.SECONDS);
            kpServer.start().get(15, TimeUnit.SECONDS);

            // Gateway side: one connection, a persistent session, requests kept across losses.
            HiveMqConnectionEvents gatewayEvents = new HiveMqConnectionEvents();
            Mqtt3AsyncClient gatewayMqtt = gatewayEvents.addTo(Mqtt3Client.builder()
                            .identifier("soak-gateway").serverHost(host).serverPort(port)
                            .addConnectedListener(c -> gatewayConnections.incrementAndGet())
                            .automaticReconnect().initialDelay(50, TimeUnit.MILLISECONDS)
                            .maxDelay(500, TimeUnit.MILLISECONDS).applyAutomaticReconnect())
                    .buildAsync();
            Kp1MqttClient client = Kp1MqttClient.builder(HiveMqTransport.of(gatewayMqtt, gatewayEvents))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .connectionLossPolicy(ConnectionLossPolicy.KEEP_REQUESTS)
                    .subscriptionStrategy(s.strategy())
                    .requestTimeout(s.dataTimeout())
                    .build();
            gatewayMqtt.connectWith().cleanSession(false).send().get(15, TimeUnit.SECONDS);

            MqttEndpoint[] data = new MqttEndpoint[s.endpoints()];
            MqttEndpoint[] metadata = new MqttEndpoint[s.endpoints()];
            MqttEndpoint[] config = new MqttEndpoint[s.endpoints()];
            for (int i = 0; i < s.endpoints(); i++) {
                MqttEndpoint e = client.endpoint(APP, token(i));
                data[i] = e;
                metadata[i] = e.withQos(MqttQos.AT_MOST_ONCE).withRequestTimeout(s.metadataTimeout());
                config[i] = e.withRequestTimeout(s.configTimeout());
            }

            long heapBefore = usedHeapAfterGc();
            AtomicBoolean sending = new AtomicBoolean(true);
            Thread restarter = new Thread(() -> {
                long next = System.nanoTime() + s.restartEvery().toNanos();
                while (sending.get()) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
                        } catch (InterruptedException e) {
                            return;
                        }
                        continue;
                    }
                    long t0 = System.nanoTime();
                    broker.restart();
                    outageNanos.addAndGet(System.nanoTime() - t0);
                    restarts.incrementAndGet();
                    next = System.nanoTime() + s.restartEvery().toNanos();
                }
            }, "soak-broker-restarts");
            restarter.setDaemon(true);

            long start = System.nanoTime();
            restarter.start();
            generate(s, gw, data, metadata, config, start);
            long sendEnd = System.nanoTime();
            sending.set(false);
            restarter.join(30_000);
            if (!broker.isRunning()) {
                broker.start();
            }

            // Every future ends within its timeout (D14); wait that long and a margin, no more.
            long drainDeadline = System.nanoTime() + s.longestTimeout().plusSeconds(10).toNanos();
            while (!gw.outstanding.isEmpty() && System.nanoTime() < drainDeadline) {
                Thread.sleep(20);
            }
            int pendingAtEnd = gw.outstanding.size();
            // Then give the broker's queues time to reach the server: every sample sent, acknowledged
            // or not, must arrive (QoS 1 under KEEP_REQUESTS, with persistent sessions).
            long samplesSent = gw.nextSample.get();
            long serverDeadline = System.nanoTime() + SERVER_DRAIN.toNanos();
            while (server.distinct() < samplesSent && System.nanoTime() < serverDeadline) {
                Thread.sleep(20);
            }
            long end = System.nanoTime();
            Kp1MqttClient.Stats stats = client.stats();
            long heapAfter = usedHeapAfterGc();
            Kp1MqttServer.Counters serverCounters = kpServer.counters();
            KaaInABox.FaultCounters faultCounters = injector.counters();
            boolean gatewayConnected = gatewayMqtt.getState() == MqttClientState.CONNECTED;

            client.close();
            closeQuietly(() -> gatewayMqtt.disconnect().get(5, TimeUnit.SECONDS));
            kpServer.close();
            closeQuietly(() -> serverMqtt.disconnect().get(5, TimeUnit.SECONDS));

            return report(s, gw, server, stats, serverCounters, faultCounters, restarts.get(), outageNanos.get(),
                    gatewayConnections.get(), serverReconnections.sum(), serverSessionsResumed.sum(), pendingAtEnd, heapBefore, heapAfter,
                    sendEnd - start, end - start, gatewayConnected);
        } finally {
            injector.close();
        }
    }

    static String token(int i) {
        return "SoakEp" + i + "k";
    }

    /** Starts operations at the configured rate until the duration is over. */
    private static void generate(Settings s, GatewayLedger gw, MqttEndpoint[] data, MqttEndpoint[] metadata,
                                 MqttEndpoint[] config, long start) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(s.seed());
        int totalWeight = 0;
        for (Kind k : Kind.values()) {
            totalWeight += k.weight;
        }
        long end = start + s.duration().toNanos();
        long nextProgress = start + PROGRESS_EVERY;
        long started = 0;
        long now;
        while ((now = System.nanoTime()) < end) {
            long due = (long) ((now - start) / 1e9 * s.rate());
            while (started < due) {
                started++;
                if (gw.outstanding.size() >= s.maxOutstanding()) {
                    gw.skipped.increment(); // back-pressure: the generator does not pile up work without bound
                    continue;
                }
                int i = random.nextInt(data.length);
                int w = random.nextInt(totalWeight);
                Kind kind = w < Kind.DATA.weight ? Kind.DATA
                        : w < Kind.DATA.weight + Kind.METADATA.weight ? Kind.METADATA : Kind.CONFIG;
                start(gw, kind, i, random, kind == Kind.DATA ? data[i] : kind == Kind.METADATA ? metadata[i] : config[i]);
            }
            if (now >= nextProgress) {
                nextProgress += PROGRESS_EVERY;
                // After a GC, so that the series shows what stays (a leak grows it run after run).
                double heap = round(usedHeapAfterGc() / 1048576.0);
                gw.heapSeries.add(heap);
                System.out.printf(Locale.ROOT, "soak %4d s: %d sent, %d matched, %d failed %s, %d outstanding, "
                                + "%d wrong, heap %.1f MiB%n", (now - start) / 1_000_000_000L, GatewayLedger.sum(gw.sent),
                        GatewayLedger.sum(gw.matched), gw.failures.values().stream().mapToLong(LongAdder::sum).sum(),
                        gw.failures.keySet(), gw.outstanding.size(), gw.wrong.sum(), heap);
            }
            Thread.sleep(2);
        }
    }

    private static void start(GatewayLedger gw, Kind kind, int endpoint, SplittableRandom random, MqttEndpoint e) {
        long nonce = gw.nextNonce.incrementAndGet();
        long[] samples;
        String payload;
        if (kind == Kind.DATA) {
            samples = new long[1 + random.nextInt(3)];
            StringBuilder sb = new StringBuilder("[");
            for (int j = 0; j < samples.length; j++) {
                samples[j] = gw.nextSample.getAndIncrement();
                sb.append(j == 0 ? "" : ",").append("{\"sample\":").append(samples[j]).append(",\"n\":")
                        .append(nonce).append('}');
            }
            payload = sb.append(']').toString();
        } else {
            samples = null;
            payload = "{\"n\":" + nonce + "}";
        }
        String expected = token(endpoint) + "|" + payload;
        gw.sent.get(kind).increment();
        CompletableFuture<Reply> f = e.request(kind.extension, kind.resource, payload.getBytes(StandardCharsets.UTF_8));
        gw.outstanding.add(f);
        gw.peakOutstanding.accumulateAndGet(gw.outstanding.size(), Math::max);
        // Runs on the transport's thread (or here, if it ended at once): short work only.
        f.whenComplete((reply, failure) -> {
            if (failure != null) {
                String reason = gw.failed(failure);
                if (samples != null) {
                    gw.samples(samples, reason);
                }
            } else if (!reply.isSuccess()) {
                gw.errorReplies.get(kind).increment();
                if (samples != null) {
                    gw.samples(samples, "errorReply");
                }
            } else {
                String got = reply.payloadAsString();
                if (got.equals(expected)) {
                    gw.matched.get(kind).increment();
                    if (samples != null) {
                        gw.samples(samples, null);
                    }
                } else {
                    gw.wrong.increment();
                    if (samples != null) {
                        gw.samples(samples, "wrongReply");
                    }
                    if (gw.wrongExamples.size() < 5) {
                        gw.wrongExamples.add("expected " + expected + ", got " + got);
                    }
                }
            }
            gw.outstanding.remove(f);
        });
    }

    /** The extension side: every handler echoes {@code <token>|<payload>}; 2/DCP records sample IDs. */
    private static Router router(SampleLedger ledger) {
        Router.Handler echo = req -> CompletableFuture.completedFuture(Reply.ok(echo(req)));
        return Router.builder()
                .on("dcx", "/json", req -> {
                    JsonNode batch = JSON.readTree(req.payload());
                    long[] ids = new long[batch.size()];
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = batch.get(i).get("sample").asLong();
                    }
                    ledger.received(ids);
                    return CompletableFuture.completedFuture(Reply.ok(echo(req)));
                })
                .on("epmx", "/get", echo)
                .on("cmx", "/config/json", echo)
                .build();
    }

    private static String echo(Request req) {
        return req.endpointToken() + "|" + req.payloadAsString();
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static Map<String, Object> report(Settings s, GatewayLedger gw, SampleLedger server,
                                              Kp1MqttClient.Stats stats, Kp1MqttServer.Counters serverCounters,
                                              KaaInABox.FaultCounters faults, long restarts, long outageNanos,
                                              long gatewayConnections, long serverReconnections,
                                              long serverSessionsResumed, int pendingAtEnd,
                                              long heapBefore, long heapAfter, long sendNanos, long totalNanos,
                                              boolean gatewayConnected) {
        BitSet acked;
        BitSet unacked;
        synchronized (gw.acked) {
            acked = (BitSet) gw.acked.clone();
            unacked = (BitSet) gw.unacked.clone();
        }
        Map<String, BitSet> unackedBy = new LinkedHashMap<>();
        synchronized (gw.acked) {
            gw.unackedBy.forEach((k, v) -> unackedBy.put(k, (BitSet) v.clone()));
        }
        BitSet received = server.seen();
        long samplesSent = gw.nextSample.get();
        // Strict: every sample the gateway sent, however its upload ended (or if it never ended).
        BitSet lost = new BitSet();
        lost.set(0, (int) samplesSent);
        lost.andNot(received);
        BitSet lostAcked = (BitSet) lost.clone();
        lostAcked.and(acked);
        BitSet lostUnacked = (BitSet) lost.clone();
        lostUnacked.andNot(acked);
        Map<String, Long> lostUnackedBy = new LinkedHashMap<>();
        BitSet lostNoOutcome = (BitSet) lostUnacked.clone();
        unackedBy.forEach((k, v) -> {
            BitSet b = (BitSet) v.clone();
            b.and(lostUnacked);
            lostUnackedBy.put(k, (long) b.cardinality());
            lostNoOutcome.andNot(v);
        });
        lostUnackedBy.put("noOutcome", (long) lostNoOutcome.cardinality());
        BitSet unackedReceived = (BitSet) unacked.clone();
        unackedReceived.and(received);
        long sent = GatewayLedger.sum(gw.sent);
        long matched = GatewayLedger.sum(gw.matched);
        double sendSeconds = sendNanos / 1e9;

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("duration", s.duration().toString());
        r.put("endpoints", s.endpoints());
        r.put("restartEvery", s.restartEvery().toString());
        r.put("targetRatePerSecond", s.rate());
        r.put("subscriptionStrategy", s.strategy().name());
        r.put("faults", Map.of("drop", s.drop(), "duplicate", s.duplicate(), "delay", s.delay(),
                "delayBy", s.delayBy().toString(), "reorder", s.reorder()));
        r.put("timeouts", Map.of("data", s.dataTimeout().toString(), "metadata", s.metadataTimeout().toString(),
                "config", s.configTimeout().toString()));
        r.put("elapsedSeconds", round(totalNanos / 1e9));
        r.put("requestsSent", sent);
        r.put("requestsSentByKind", byKind(gw.sent));
        r.put("generatorSkipped", gw.skipped.sum());
        r.put("peakOutstanding", gw.peakOutstanding.get());
        r.put("repliesMatched", matched);
        r.put("repliesMatchedByKind", byKind(gw.matched));
        r.put("errorReplies", GatewayLedger.sum(gw.errorReplies));
        r.put("failuresByReason", gw.failures.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue().sum()), Map::putAll));
        r.put("timeoutsTotal", gw.failures.getOrDefault("TIMEOUT", new LongAdder()).sum());
        r.put("brokerRestarts", restarts);
        r.put("brokerOutageMillisAvg", restarts == 0 ? 0 : round(outageNanos / 1e6 / restarts));
        r.put("connectionLosses", Math.max(0, gatewayConnections - 1));
        r.put("serverReconnections", serverReconnections);
        r.put("serverReconnectionsSessionResumed", serverSessionsResumed);
        r.put("gatewayConnectedAtEnd", gatewayConnected);
        r.put("futuresPendingAtEnd", pendingAtEnd);
        r.put("libraryPendingAtEnd", stats.correlation().pending());
        r.put("libraryQueuedAtEnd", stats.queued());
        r.put("wrongCompletions", gw.wrong.sum());
        r.put("wrongCompletionExamples", List.copyOf(gw.wrongExamples));
        r.put("dataSamplesSent", samplesSent);
        r.put("dataSamplesAcknowledged", (long) acked.cardinality());
        r.put("dataSamplesUnacknowledged", samplesSent - acked.cardinality());
        r.put("dataSamplesUnacknowledgedByOutcome", unackedBy.entrySet().stream()
                .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), (long) e.getValue().cardinality()), Map::putAll));
        r.put("dataSamplesUnacknowledgedButReceived", (long) unackedReceived.cardinality());
        r.put("dataSamplesLost", (long) lost.cardinality());
        r.put("dataSamplesLostAcknowledged", (long) lostAcked.cardinality());
        r.put("dataSamplesLostUnacknowledged", (long) lostUnacked.cardinality());
        r.put("dataSamplesLostUnacknowledgedByOutcome", lostUnackedBy);
        r.put("dataSamplesLostExamples", lost.stream().limit(10).boxed().toList());
        r.put("serverSamplesReceived", (long) received.cardinality());
        r.put("serverDuplicateSamples", server.duplicates);
        r.put("serverDataBatches", server.batches);
        r.put("serverRequestsReceived", serverCounters.received());
        r.put("serverReplied", serverCounters.replied());
        r.put("repliesDropped", faults.dropped());
        r.put("repliesDuplicated", faults.duplicated());
        r.put("repliesDelayed", faults.delayed());
        r.put("repliesReordered", faults.reordered());
        r.put("clientRepublished", stats.republished());
        r.put("clientResubscribed", stats.resubscribed());
        r.put("clientSubscriptionsAtEnd", stats.subscriptions());
        r.put("clientSubscriptionsInUseAtEnd", stats.subscriptionsInUse());
        r.put("clientPublishFailures", stats.publishFailures());
        r.put("clientLateReplies", stats.correlation().late());
        r.put("clientDuplicateReplies", stats.correlation().duplicate());
        r.put("clientUnknownReplies", stats.correlation().unknown());
        r.put("clientEchoesIgnored", stats.echoesIgnored());
        r.put("heapUsedBeforeMiB", round(heapBefore / 1048576.0));
        r.put("heapUsedAfterMiB", round(heapAfter / 1048576.0));
        r.put("heapUsedEvery30sMiB", List.copyOf(gw.heapSeries));
        r.put("throughputRequestsPerSecond", round(sent / sendSeconds));
        r.put("throughputRepliesMatchedPerSecond", round(matched / sendSeconds));
        return r;
    }

    private static Map<String, Long> byKind(Map<Kind, LongAdder> m) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Kind k : Kind.values()) {
            out.put(k.name().toLowerCase(Locale.ROOT), m.get(k).sum());
        }
        return out;
    }

    private static double round(double x) {
        return Math.round(x * 10) / 10.0;
    }

    /** One block of lines, {@code key: value}, aligned. */
    static String toText(Map<String, Object> report) {
        StringBuilder sb = new StringBuilder("---- kp1 gateway soak report ----\n");
        for (Map.Entry<String, Object> e : report.entrySet()) {
            sb.append(String.format(Locale.ROOT, "%-38s %s%n", e.getKey(), e.getValue()));
        }
        return sb.append("---------------------------------").toString();
    }

    /** Writes {@code report.json} under the settings' report folder; returns its path. */
    static Path writeJson(Map<String, Object> report, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("report.json");
        JSON.writeValue(file.toFile(), report);
        return file;
    }

    private interface Action {
        void run() throws Exception;
    }

    private static void closeQuietly(Action a) {
        try {
            a.run();
        } catch (Exception e) {
            // Best effort: the broker may be restarting.
        }
    }
}
