package io.kp1.mqtt;

import io.kp1.ErrorResponse;
import io.kp1.ParseResult;
import io.kp1.Reply;
import io.kp1.ResourcePath;
import io.kp1.Topic;
import io.kp1.TopicParser;
import io.kp1.correlation.ConnectionLossPolicy;
import io.kp1.correlation.CorrelationException;
import io.kp1.correlation.Correlator;
import io.kp1.correlation.PendingRequest;
import io.kp1.extension.Kp1ErrorException;
import io.kp1.mqtt.internal.DeadlineTimer;
import io.kp1.mqtt.internal.ServerTopics;
import io.kp1.mqtt.internal.SubscriptionTable;
import io.kp1.mqtt.internal.Topics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device and gateway side of 1/KP over MQTT: one MQTT connection carries the requests of
 * many endpoints (K10), each through its own {@link MqttEndpoint} handle. The client allocates
 * request IDs (K4), subscribes to the reply topics before it publishes, matches every reply to
 * its request exactly (K5, D12), keeps observations open (K11), and ends every request it took
 * (D14).
 *
 * <pre>{@code
 * MqttTransport transport = PahoTransport.of(pahoClient);          // before connect: no event missed
 * try (Kp1MqttClient kp = Kp1MqttClient.builder(transport).requestTimeout(Duration.ofSeconds(10)).build()) {
 *     MqttEndpoint kettle = kp.endpoint("smart_kettle_v1", "JTjdbENzHh");
 *     kettle.send("dcx", "/json", "[{\"temperature\":97}]");            // no request ID, no reply (K6)
 *     Reply keys = kettle.request("epmx", "/get/keys", new byte[0]).join();   // kp1/.../get/keys/<id>
 *     MqttObservation commands = kettle.onPush("cex", "/command/reboot", reply -> reboot(reply));
 *     Metadata.on(kettle).partialUpdate(Map.of("location", "kitchen")).join();   // typed facades work too
 * }                                                                   // close(): every pending request ends
 * }</pre>
 *
 * <h2>Endpoints</h2>
 * {@link #endpoint(String, String)} gives the handle of one endpoint; the same application
 * version and token give the same endpoint (its views {@link MqttEndpoint#withQos} and
 * {@link MqttEndpoint#withRequestTimeout} share it). Handles implement the transport-neutral
 * {@link io.kp1.client.Endpoint}, so the typed extension facades ({@code Metadata.on(endpoint)},
 * {@code Configuration}, {@code Commands}, {@code DataCollection}) run over them.
 *
 * <h2>Subscriptions</h2>
 * A request is published only after the broker acknowledged (SUBACK) a subscription that covers
 * its reply topics, so a reply cannot arrive before its subscription. Subscriptions follow the
 * {@link SubscriptionStrategy} (per resource by default), are shared and reused by every request
 * they cover, and stay when idle. At most {@link Builder#maxSubscriptions} are held: to make room,
 * the least recently used idle one is unsubscribed; one in use by a pending request, an
 * observation or a push listener never is. When all are in use, a request that needs a new one
 * fails ({@link Kp1MqttClientException.Reason#LIMIT_REACHED}). Subscriptions ask for QoS 2 by
 * default, so replies arrive with the QoS of their request (K8).
 *
 * <h2>Limits: one noisy endpoint cannot starve the others</h2>
 * Each endpoint has at most {@link Builder#maxInFlightPerEndpoint} requests and sends in flight
 * (a request from its publication until it ends, an observation until its first reply, a send
 * until the transport completed it). Past that, calls wait in the endpoint's own queue, first in,
 * first out, up to {@link Builder#maxQueuedPerEndpoint}; past that they fail at once with
 * {@link Kp1MqttClientException.Reason#LIMIT_REACHED}. A queued request's timeout runs from the
 * call, so its future still ends in time (D14). Then, across endpoints, at most
 * {@link Builder#maxInFlight} calls are in flight in the whole client; admitted calls wait for
 * that in a second queue, first in, first out, where each endpoint holds at most its own
 * in-flight limit, so no endpoint can fill it alone. This keeps bursts within the MQTT client's
 * window (Paho fails publishes past its {@code maxInflight}) and the broker's queue per client
 * (Mosquitto drops QoS 1 messages past {@code max_queued_messages}). The client as a whole keeps at
 * most {@link Builder#maxPending} requests and observations, queued ones included (then
 * {@code CorrelationException}, {@code LIMIT_REACHED}). Payloads are bounded too: a request past
 * {@link Builder#maxPayloadBytes} throws at the call, and a reply past it ends its request with a
 * 502 error reply instead of being handed over.
 *
 * <h2>Threads</h2>
 * The client takes the transport's listener slot: one client per transport (a server in the same
 * process uses its own connection). Replies are parsed and matched on the transport's thread,
 * where futures complete and observation and push listeners run: keep those short and never
 * wait there for another transport future. Nothing from the wire throws into that thread:
 * unknown, late and duplicate replies are counted and dropped (D15), as are malformed topics.
 * One scheduler thread (the client's own, or the host's {@link Builder#scheduler}) drives the
 * deadlines: it wakes for the earliest one, at most about once a millisecond (D14). There is no
 * separate blocking API: every future ends within about its timeout, so {@code join()} or
 * {@code get(timeout, unit)} on the caller's own thread is the blocking form.
 *
 * <h2>Connection loss</h2>
 * The host's MQTT client owns the connection and reconnection. When the connection breaks, the
 * {@link Builder#connectionLossPolicy} decides: {@link ConnectionLossPolicy#FAIL_ALL} (the
 * default) fails every pending request and ends every observation and push listener (D13, D14),
 * and fails requests due to go out while disconnected; {@link ConnectionLossPolicy#KEEP_REQUESTS}
 * keeps requests, and after the reconnection publishes them again with the same request IDs
 * (their deadlines still run); {@link ConnectionLossPolicy#KEEP_ALL} keeps observations and push
 * listeners too. After a reconnection whose session did not survive, the subscriptions in use are
 * made again before anything is re-published. With a persistent session at QoS 1, the server's
 * answer to either copy completes the request once; the other copy is counted as a duplicate (D15).
 * Sends are not kept or repeated by the client: a send completes when the transport completes its
 * publish, which during an outage may wait for the reconnection (the HiveMQ client queues
 * publishes; Paho with a persistent session keeps its in-flight ones) or fail at once (Paho
 * otherwise); meanwhile it holds its in-flight slots, and {@link #close()} ends it.
 *
 * <h2>Closing</h2>
 * {@link #close()} ends every pending request, observation, push listener and queued send
 * ({@link Kp1MqttClientException.Reason#CLOSED}), removes the client's listener from the
 * transport, unsubscribes (without waiting for the broker) and stops its scheduler. It does not
 * disconnect the transport: the host does, after.
 */
public final class Kp1MqttClient implements AutoCloseable {
    /** The default of {@link Builder#maxPayloadBytes}: 1 MiB. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(Kp1MqttClient.class);

    private final MqttTransport transport;
    private final Correlator correlator;
    private final SubscriptionTable subscriptions;
    private final DeadlineTimer timer;
    private final ScheduledExecutorService ownedScheduler;
    private final SubscriptionStrategy strategy;
    private final ConnectionLossPolicy lossPolicy;
    private final MqttQos qos;
    private final Duration requestTimeout;
    private final int maxInFlightPerEndpoint;
    private final int maxQueuedPerEndpoint;
    private final int maxInFlight;
    private final int maxPayloadBytes;
    private final TopicParser parser = TopicParser.defaults();
    private final ConcurrentHashMap<String, EndpointState> endpoints = new ConcurrentHashMap<>();
    /**
     * What must end on close besides requests and observations: push listeners and sends. The
     * correlator holds every request and observation from its registration on (close finds them
     * there), so the request path adds no set entry.
     */
    private final Set<Live> live = ConcurrentHashMap.newKeySet();
    private final Set<PushOp> pushes = ConcurrentHashMap.newKeySet();

    private final Object connectionLock = new Object();
    /** Written under connectionLock. */
    private volatile boolean connected;
    /** Changes on every loss and connection; written under connectionLock. */
    private volatile int epoch;
    /** Requests to publish again on the next connection, in order; guarded by connectionLock. */
    private Set<RequestOp> resend = new LinkedHashSet<>();
    private volatile boolean closed;

    private final LongAdder echoesIgnored = new LongAdder();
    private final LongAdder invalidReplies = new LongAdder();
    private final LongAdder retainedIgnored = new LongAdder();
    private final LongAdder publishFailures = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder republished = new LongAdder();
    private final AtomicInteger queued = new AtomicInteger();

    /** Client-wide in-flight slots, taken after the endpoint's; guarded by itself. */
    private final ArrayDeque<Op> globalQueue = new ArrayDeque<>();
    private int globalInFlight;
    private boolean globalDraining;

    private Kp1MqttClient(Builder b) {
        this.transport = b.transport;
        this.strategy = b.strategy;
        this.lossPolicy = b.lossPolicy;
        this.qos = b.qos;
        this.requestTimeout = b.requestTimeout;
        this.maxInFlightPerEndpoint = b.maxInFlightPerEndpoint;
        this.maxQueuedPerEndpoint = b.maxQueuedPerEndpoint;
        this.maxInFlight = b.maxInFlight;
        this.maxPayloadBytes = b.maxPayloadBytes;
        this.correlator = Correlator.builder()
                .maxPending(b.maxPending)
                // In flight the client's own per-endpoint limits apply first; this one also bounds
                // the observations an endpoint keeps open after their first reply (K4 scope).
                .maxPendingPerEndpoint(Math.min(b.maxPendingPerEndpoint, b.maxPending))
                .recentlyEndedCapacity(b.lateReplyMemory)
                // A random start keeps a restarted gateway from taking its previous run's late replies.
                .firstRequestId(1 + ThreadLocalRandom.current().nextInt(1 << 30))
                .build();
        boolean up = transport.isConnected();
        this.connected = up;
        this.subscriptions = new SubscriptionTable(transport, b.subscriptionQos, b.maxSubscriptions, up);
        ScheduledExecutorService scheduler = b.scheduler;
        if (scheduler == null) {
            ScheduledThreadPoolExecutor own = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "kp1-mqtt-client-deadlines");
                t.setDaemon(true);
                return t;
            });
            own.setRemoveOnCancelPolicy(true);
            scheduler = own;
            this.ownedScheduler = own;
        } else {
            this.ownedScheduler = null;
        }
        this.timer = new DeadlineTimer(correlator, scheduler);
    }

    /** A builder for a client over {@code transport}, whose listener slot the client takes. */
    public static Builder builder(MqttTransport transport) {
        return new Builder(transport);
    }

    private Kp1MqttClient start() {
        transport.setListener(new TransportListener());
        // A connection made between the first look and the listener would otherwise go unheard.
        if (!connected && transport.isConnected()) {
            onConnected(SessionPresence.UNKNOWN);
        }
        LOG.debug("Kp1MqttClient started on {}: {} subscriptions, {} on connection loss, QoS {}, timeout {} ms",
                transport, strategy, lossPolicy, qos.code(), requestTimeout.toMillis());
        return this;
    }

    /**
     * The handle of one endpoint (K10); the same application version and token give the same
     * endpoint, with its limits. Handles live as long as the client.
     *
     * @throws IllegalArgumentException if either is not a valid topic level (K1, D3, D4)
     */
    public MqttEndpoint endpoint(String appVersion, String endpointToken) {
        Objects.requireNonNull(appVersion, "appVersion must not be null");
        Objects.requireNonNull(endpointToken, "endpointToken must not be null");
        EndpointState s = endpoints.get(appVersion + '/' + endpointToken);
        if (s == null) {
            // Checks both levels (K1, D3, D4) and throws InvalidTopicException naming the rule.
            ResourcePath.builder(appVersion, "kp1").endpointToken(endpointToken);
            s = endpoints.computeIfAbsent(appVersion + '/' + endpointToken,
                    k -> new EndpointState(appVersion, endpointToken));
        }
        return s.handle;
    }

    /**
     * Whether the client has taken in its transport's latest connection (it then restores its
     * subscriptions, when the session did not survive, before it publishes anything that needs
     * them). While false, requests fail with {@code NOT_CONNECTED} under {@code FAIL_ALL} and wait
     * under the keep policies. It can lag the transport's own {@code isConnected()} briefly.
     *
     * <pre>{@code
     * if (!client.isConnected()) { log.info("gateway offline; requests wait or fail per policy"); }
     * }</pre>
     */
    public boolean isConnected() {
        return connected;
    }

    /** A snapshot of the counters: the correlator's (D15) and the client's own. */
    public Stats stats() {
        SubscriptionTable.Counters s = subscriptions.counters();
        return new Stats(correlator.stats(), echoesIgnored.sum(), invalidReplies.sum(), retainedIgnored.sum(),
                queued.get(), rejected.sum(), publishFailures.sum(), republished.sum(), s.live(), s.inUse(),
                s.subscribed(), s.failed(), s.unsubscribed(), s.evicted(), s.resubscribed());
    }

    /** The filters subscribed now (in use or idle), in no particular order; they contain tokens. */
    public List<String> subscriptions() {
        return subscriptions.filters();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Ends every pending request, observation, push listener and queued send with
     * {@link Kp1MqttClientException.Reason#CLOSED} (D14), removes the transport listener,
     * unsubscribes without waiting, and stops the client's own scheduler. Idempotent.
     */
    @Override
    public void close() {
        synchronized (connectionLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        transport.setListener(null);
        timer.stop();
        int n = 0;
        // A request registered after this snapshot sees closed (set before, read after its registration).
        for (PendingRequest r : correlator.pendingRequests()) {
            if (r.attachment() instanceof RequestOp) {
                RequestOp op = (RequestOp) r.attachment();
                if (op.end(closedException(op.describe()))) {
                    n++;
                }
            }
        }
        for (Live l : live) {
            if (l.end(closedException(l.describe()))) {
                n++;
            }
        }
        subscriptions.unsubscribeAll(closedException("a subscription"));
        if (ownedScheduler != null) {
            ownedScheduler.shutdownNow();
        }
        if (n > 0) {
            LOG.info("Kp1MqttClient closed; {} pending requests, observations and sends ended (D14)", n);
        } else {
            LOG.debug("Kp1MqttClient closed");
        }
    }

    @Override
    public String toString() {
        return "Kp1MqttClient[" + transport + ", " + strategy + ", " + endpoints.size() + " endpoints, "
                + correlator.pending() + " pending" + (closed ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------- calls

    private CompletableFuture<Reply> request(Handle h, String extension, String resource, byte[] payload) {
        checkPayload(payload);
        PathInfo info = h.state.path(extension, resource);
        RequestOp op = new RequestOp(h.state, info, payload, h.qos, null, null);
        if (!register(op, h.timeoutNanos)) {
            return op.failedEarly;
        }
        return op.pending;
    }

    private MqttObservation observe(Handle h, String extension, String resource, byte[] payload,
                                    Consumer<? super Reply> listener) {
        checkPayload(payload);
        Objects.requireNonNull(listener, "listener must not be null");
        PathInfo info = h.state.path(extension, resource);
        ObservationHandle handle = new ObservationHandle();
        RequestOp op = new RequestOp(h.state, info, payload, h.qos, listener, handle);
        handle.op = op;
        if (!register(op, h.timeoutNanos)) {
            op.failedEarly.whenComplete((r, t) -> {
                handle.subscribed.completeExceptionally(t);
                handle.ended.completeExceptionally(t);
            });
        }
        return handle;
    }

    /** A request payload over {@link Builder#maxPayloadBytes} is the caller's mistake: it throws at once. */
    private void checkPayload(byte[] payload) {
        Objects.requireNonNull(payload, "payload must not be null");
        if (payload.length > maxPayloadBytes) {
            throw new IllegalArgumentException("Request payload of " + payload.length + " bytes is over the limit of "
                    + maxPayloadBytes + " bytes (maxPayloadBytes)");
        }
    }

    /** Registers and admits {@code op}; false if it failed at once (then {@code op.failedEarly} says why). */
    private boolean register(RequestOp op, long timeoutNanos) {
        if (closed) {
            op.failedEarly = CompletableFuture.failedFuture(closedException(op.info.path.toString()));
            return false;
        }
        long now = System.nanoTime();
        try {
            op.pending = op.listener == null
                    ? correlator.register(op.info.path, timeoutNanos, now, op)
                    : correlator.observe(op.info.path, timeoutNanos, now, op, op);
        } catch (CorrelationException e) {
            rejected.increment();
            op.failedEarly = CompletableFuture.failedFuture(e);
            return false;
        }
        timer.deadlineAdded(now + timeoutNanos);
        op.pending.whenComplete(op);
        if (closed) {
            op.end(closedException(op.describe()));
        } else {
            admit(op);
        }
        return true;
    }

    private CompletableFuture<Void> send(Handle h, String extension, String resource, byte[] payload) {
        checkPayload(payload);
        PathInfo info = h.state.path(extension, resource);
        // Fire and forget has no request ID (K6); a digits-only last level would read as one (D8).
        String topic = Topic.request(info.path).name();
        SendOp op = new SendOp(h.state, info, topic, payload, h.qos);
        if (closed) {
            return CompletableFuture.failedFuture(closedException(op.describe()));
        }
        live.add(op);
        op.result.whenComplete((v, t) -> {
            live.remove(op);
            releaseSlot(op);
        });
        if (closed) {
            op.end(closedException(op.describe()));
        } else {
            admit(op);
        }
        return op.result;
    }

    private MqttObservation onPush(Handle h, String extension, String resource, Consumer<? super Reply> listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        PathInfo info = h.state.path(extension, resource);
        PushOp p = new PushOp(info, listener);
        if (closed) {
            p.end(closedException(p.describe()));
            return p;
        }
        SubscriptionTable.Entry[] held;
        try {
            held = subscriptions.acquire(info.pushFilters);
        } catch (SubscriptionTable.FullException e) {
            rejected.increment();
            p.end(new Kp1MqttClientException(Kp1MqttClientException.Reason.LIMIT_REACHED,
                    "Cannot listen for pushes on " + info.path + ": " + e.getMessage(), null));
            return p;
        }
        synchronized (p) {
            p.held = held;
            p.registration = correlator.addPushListener(info.path, p);
        }
        live.add(p);
        pushes.add(p);
        if (closed) {
            p.end(closedException(p.describe()));
            return p;
        }
        SubscriptionTable.ready(held).whenComplete((v, t) -> {
            if (t == null) {
                p.subscribed.complete(null);
            } else {
                Throwable cause = SubscriptionTable.unwrap(t);
                p.subscribed.completeExceptionally(cause);
                p.end(new Kp1MqttClientException(Kp1MqttClientException.Reason.SUBSCRIBE_FAILED,
                        "Could not subscribe for pushes on " + info.path + ": " + cause, cause));
            }
        });
        return p;
    }

    // ---------------------------------------------------------------- per-endpoint limits

    private void admit(Op op) {
        EndpointState ep = op.ep;
        boolean run = false;
        boolean full = false;
        synchronized (ep) {
            if (ep.inFlight < maxInFlightPerEndpoint && ep.queue.isEmpty()) {
                ep.inFlight++;
                op.slotHeld = true;
                run = true;
            } else if (ep.queue.size() < maxQueuedPerEndpoint || purgeEnded(ep.queue)) {
                ep.queue.add(op);
                queued.incrementAndGet();
            } else {
                full = true;
            }
        }
        if (run) {
            admitGlobal(op);
        } else if (full) {
            rejected.increment();
            op.end(new Kp1MqttClientException(Kp1MqttClientException.Reason.LIMIT_REACHED, "Cannot send "
                    + op.describe() + ": " + maxInFlightPerEndpoint + " in flight and " + maxQueuedPerEndpoint
                    + " queued for this endpoint, the limits (maxInFlightPerEndpoint, maxQueuedPerEndpoint)", null));
        } else {
            drain(ep);
        }
    }

    /** Removes the calls that ended while queued (timeout, cancellation); whether any was. */
    private boolean purgeEnded(ArrayDeque<Op> queue) {
        int before = queue.size();
        queue.removeIf(Op::isDone);
        int removed = before - queue.size();
        queued.addAndGet(-removed);
        return removed > 0;
    }

    /** With an endpoint slot: takes a client-wide slot, or waits for one, first in, first out. */
    private void admitGlobal(Op op) {
        boolean run = false;
        synchronized (globalQueue) {
            if (globalInFlight < maxInFlight && globalQueue.isEmpty()) {
                globalInFlight++;
                op.globalSlotHeld = true;
                run = true;
            } else {
                globalQueue.add(op);
                queued.incrementAndGet();
            }
        }
        if (run) {
            start(op);
        } else {
            drainGlobal();
        }
    }

    /** Gives back the call's endpoint and client-wide slots, if it holds them, and starts what waited. */
    private void releaseSlot(Op op) {
        EndpointState ep = op.ep;
        boolean drainEndpoint = false;
        boolean drainGlobal = false;
        synchronized (ep) {
            if (op.slotHeld) {
                op.slotHeld = false;
                ep.inFlight--;
                drainEndpoint = !ep.queue.isEmpty();
            }
        }
        synchronized (globalQueue) {
            if (op.globalSlotHeld) {
                op.globalSlotHeld = false;
                globalInFlight--;
                drainGlobal = !globalQueue.isEmpty();
            }
        }
        if (drainGlobal) {
            drainGlobal();
        }
        if (drainEndpoint) {
            drain(ep);
        }
    }

    /** Starts calls waiting for a client-wide slot; like {@link #drain}, one thread at a time, in a loop. */
    private void drainGlobal() {
        synchronized (globalQueue) {
            if (globalDraining) {
                return;
            }
            globalDraining = true;
        }
        while (true) {
            Op next = null;
            synchronized (globalQueue) {
                while (globalInFlight < maxInFlight && (next = globalQueue.poll()) != null) {
                    queued.decrementAndGet();
                    if (!next.isDone()) {
                        break;
                    }
                    next = null;
                }
                if (next == null) {
                    globalDraining = false;
                    return;
                }
                globalInFlight++;
                next.globalSlotHeld = true;
            }
            start(next);
        }
    }

    /** Starts queued calls while slots are free; one thread drains an endpoint at a time, in a loop, not recursively. */
    private void drain(EndpointState ep) {
        synchronized (ep) {
            if (ep.draining) {
                return; // the draining thread sees the change before it stops
            }
            ep.draining = true;
        }
        while (true) {
            Op next = null;
            synchronized (ep) {
                while (ep.inFlight < maxInFlightPerEndpoint && (next = ep.queue.poll()) != null) {
                    queued.decrementAndGet();
                    if (!next.isDone()) {
                        break;
                    }
                    next = null; // ended while queued (timeout, cancellation)
                }
                if (next == null) {
                    ep.draining = false;
                    return;
                }
                ep.inFlight++;
                next.slotHeld = true;
            }
            admitGlobal(next);
        }
    }

    private void start(Op op) {
        try {
            if (closed) {
                op.end(closedException(op.describe()));
            } else {
                op.start();
            }
        } catch (RuntimeException e) {
            LOG.error("Could not start {}", op.describe(), e); // a bug: start never throws
            op.end(e);
        }
    }

    // ---------------------------------------------------------------- requests: subscribe, then publish

    private void dispatch(RequestOp op) {
        SubscriptionTable.Entry[] held;
        try {
            SubscriptionTable.Entry[] previous = op.info.lastReplyEntries;
            held = subscriptions.acquire(op.info.replyFilters, previous);
            if (held != previous) {
                op.info.lastReplyEntries = held; // racy by design: any earlier result for these filters will do
            }
        } catch (SubscriptionTable.FullException e) {
            rejected.increment();
            op.end(new Kp1MqttClientException(Kp1MqttClientException.Reason.LIMIT_REACHED,
                    "Cannot subscribe for the reply to " + op.describe() + ": " + e.getMessage(), null));
            return;
        }
        SubscriptionTable.Entry[] stored = null;
        synchronized (op) {
            if (!op.ended) {
                op.held = held;
                stored = held;
                held = null;
            }
        }
        if (held != null) {
            subscriptions.release(held); // ended meanwhile
            return;
        }
        // Just stored: no second lock to read it back. Should it end meanwhile, publish() sees it.
        publishWhenSubscribed(op, stored);
    }

    private void publishWhenSubscribed(RequestOp op) {
        SubscriptionTable.Entry[] held;
        synchronized (op) {
            held = op.held;
        }
        if (held == null) {
            return; // ended
        }
        publishWhenSubscribed(op, held);
    }

    private void publishWhenSubscribed(RequestOp op, SubscriptionTable.Entry[] held) {
        CompletableFuture<Void> ready = SubscriptionTable.ready(held);
        if (ready.isDone() && !ready.isCompletedExceptionally()) {
            op.subscribed();
            publish(op);
            return;
        }
        ready.whenComplete((v, t) -> {
            if (t == null) {
                op.subscribed();
                publish(op);
            } else {
                Throwable cause = SubscriptionTable.unwrap(t);
                op.subscribeFailed(cause);
                op.end(new Kp1MqttClientException(Kp1MqttClientException.Reason.SUBSCRIBE_FAILED,
                        "Could not subscribe for the reply to " + op.describe() + ": " + cause, cause));
            }
        });
    }

    private void publish(RequestOp op) {
        if (op.pending.isDone()) {
            return;
        }
        if (closed) {
            op.end(closedException(op.describe()));
            return;
        }
        int issued = epoch;
        if (!connected) {
            if (!keeps(op)) {
                op.end(new Kp1MqttClientException(Kp1MqttClientException.Reason.NOT_CONNECTED, "Not connected: "
                        + op.describe() + " not sent (" + lossPolicy + ")", null));
                return;
            }
            if (park(op)) {
                return;
            }
            issued = epoch;
        }
        op.published = true;
        // What op.pending.topic().name() gives, without the Topic: the correlator checked the
        // longest topic of this path (D4) when it first registered it, and the ID is 1.. (D1).
        String topic = op.info.requestPrefix + op.pending.requestId();
        CompletableFuture<Void> f;
        try {
            f = transport.publish(topic, op.payload, op.qos);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        if (!f.isDone() || f.isCompletedExceptionally()) {
            int e = issued;
            f.whenComplete((v, t) -> {
                if (t != null) {
                    onPublishFailed(op, e, t);
                }
            });
        }
    }

    private boolean keeps(RequestOp op) {
        return op.listener == null ? lossPolicy.keepsRequests() : lossPolicy.keepsObservations();
    }

    /**
     * Keeps {@code op} for the next connection; false if connected (publish it now). A transport
     * that is down before it reported the loss counts as down: the loss and the reconnection follow.
     */
    private boolean park(RequestOp op) {
        synchronized (connectionLock) {
            if (connected && transport.isConnected()) {
                return false;
            }
            if (!op.parked) {
                op.parked = true;
                resend.add(op);
            }
            return true;
        }
    }

    private void onPublishFailed(RequestOp op, int issuedEpoch, Throwable failure) {
        publishFailures.increment();
        if (op.pending.isDone()) {
            return;
        }
        Throwable cause = SubscriptionTable.unwrap(failure);
        // Clients may fail what was in flight before they report the loss: ask the transport too.
        boolean connectionChanged = issuedEpoch != epoch || !connected || !transport.isConnected();
        if (connectionChanged && keeps(op) && !closed) {
            LOG.debug("Publishing {} failed with the connection ({}); it goes out again after reconnecting",
                    op.describe(), cause.toString());
            if (!park(op)) {
                publishWhenSubscribed(op); // reconnected already
            }
            return;
        }
        Kp1MqttClientException.Reason reason = connectionChanged ? Kp1MqttClientException.Reason.NOT_CONNECTED
                : Kp1MqttClientException.Reason.PUBLISH_FAILED;
        op.end(new Kp1MqttClientException(reason, "Could not publish " + op.describe() + ": " + cause, cause));
    }

    /** The request ended, whichever way: release what it held (D14). */
    private void ended(RequestOp op, Reply reply, Throwable failure) {
        if (op.parked) { // a racy read: at worst it leaves the set at the next connection
            synchronized (connectionLock) {
                if (op.parked) {
                    op.parked = false;
                    resend.remove(op);
                }
            }
        }
        SubscriptionTable.Entry[] held;
        synchronized (op) {
            op.ended = true;
            held = op.held;
            op.held = null;
        }
        if (held != null) {
            subscriptions.release(held);
        }
        releaseSlot(op);
        if (op.observation != null) {
            op.observation.ended(op, reply, failure);
        }
    }

    // ---------------------------------------------------------------- transport events

    private void onMessage(InboundMessage m) {
        String name = m.topic();
        // Wildcard filters bring back the gateway's own requests: two suffix checks, no parse.
        if (!ServerTopics.isReplyTopic(name)) {
            echoesIgnored.increment();
            return;
        }
        ParseResult parsed = parser.tryParseReply(name);
        if (!parsed.isValid()) {
            invalidReplies.increment();
            LOG.debug("Dropped a message on an invalid reply topic: {}", parsed.error().getMessage());
            return;
        }
        Topic topic = parsed.topic();
        if (m.retained() && topic.hasRequestId()) {
            // Stale: sent because we subscribed; its ID may now belong to another request.
            retainedIgnored.increment();
            LOG.debug("Ignored a retained reply: {}", m);
            return;
        }
        if (m.payload().length > maxPayloadBytes) {
            tooLarge(topic, m.payload().length);
            return;
        }
        correlator.onReply(topic, m.payload());
    }

    /**
     * A reply past {@link Builder#maxPayloadBytes} is never handed over: its request ends with a
     * 502 error reply naming the size and the limit (K7; an observation ends, D13); a push, which
     * has no request to end, is dropped. Both count as {@code invalidReplies}.
     */
    private void tooLarge(Topic topic, int size) {
        invalidReplies.increment();
        String why = "Reply payload of " + size + " bytes is over the limit of " + maxPayloadBytes
                + " bytes (maxPayloadBytes)";
        if (!topic.hasRequestId()) {
            LOG.debug("Dropped a push on {}: {}", topic, why);
            return;
        }
        LOG.debug("Ending the request of {} with a 502: {}", topic, why);
        correlator.onReply(topic.requestTopic().errorTopic(), ErrorResponse.of(502, why).toJson());
    }

    private void onConnectionLost(Throwable cause) {
        subscriptions.connectionLost();
        synchronized (connectionLock) {
            connected = false;
            epoch++;
        }
        List<PendingRequest> kept = correlator.connectionLost(lossPolicy);
        List<RequestOp> again = new ArrayList<>();
        for (PendingRequest r : kept) {
            RequestOp op = (RequestOp) r.attachment();
            if (op.published) {
                again.add(op); // queued and not yet published ones go out when their turn comes
            }
        }
        boolean reconnected;
        synchronized (connectionLock) {
            reconnected = connected;
            if (!reconnected) {
                for (RequestOp op : again) {
                    if (!op.parked) {
                        op.parked = true;
                        resend.add(op);
                    }
                }
            }
        }
        if (reconnected) {
            for (RequestOp op : again) {
                publishWhenSubscribed(op);
            }
        }
        int endedPushes = 0;
        if (!lossPolicy.keepsObservations()) {
            for (PushOp p : pushes) {
                p.end(new Kp1MqttClientException(Kp1MqttClientException.Reason.CONNECTION_LOST,
                        "Connection lost: push listener on " + p.info.path + " ended (D13)", cause));
                endedPushes++;
            }
        }
        LOG.warn("Kp1MqttClient lost its connection ({}): {}; {} requests kept to publish again, {} push listeners ended",
                cause.toString(), lossPolicy, kept.size(), endedPushes);
    }

    private void onConnected(SessionPresence session) {
        subscriptions.connected(session != SessionPresence.PRESENT);
        Set<RequestOp> again;
        synchronized (connectionLock) {
            if (closed) {
                return;
            }
            connected = true;
            epoch++;
            again = resend;
            resend = new LinkedHashSet<>();
            for (RequestOp op : again) {
                op.parked = false;
            }
        }
        int n = 0;
        for (RequestOp op : again) {
            if (!op.pending.isDone()) {
                n++;
                republished.increment();
                publishWhenSubscribed(op); // same request ID, after the subscriptions are back
            }
        }
        if (n > 0) {
            LOG.info("Kp1MqttClient connected ({}): publishing {} kept requests again with their IDs", session, n);
        }
    }

    private static Kp1MqttClientException closedException(String what) {
        return new Kp1MqttClientException(Kp1MqttClientException.Reason.CLOSED,
                "Kp1MqttClient closed: " + what + " ended without a reply (D14)", null);
    }

    /** The client's listener on the transport: every call returns normally. */
    private final class TransportListener implements MqttTransport.Listener {
        @Override
        public void onMessage(InboundMessage message) {
            try {
                Kp1MqttClient.this.onMessage(message);
            } catch (Throwable t) {
                rethrowIfFatal(t);
                LOG.error("Kp1MqttClient dropped {} after an unexpected failure", message, t);
            }
        }

        @Override
        public void onConnectionLost(Throwable cause) {
            try {
                Kp1MqttClient.this.onConnectionLost(cause);
            } catch (Throwable t) {
                rethrowIfFatal(t);
                LOG.error("Kp1MqttClient failed on a connection loss", t);
            }
        }

        @Override
        public void onConnected(boolean reconnect, SessionPresence session) {
            try {
                Kp1MqttClient.this.onConnected(session);
            } catch (Throwable t) {
                rethrowIfFatal(t);
                LOG.error("Kp1MqttClient failed on a connection", t);
            }
        }
    }

    private static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
            throw (VirtualMachineError) t;
        }
    }

    // ---------------------------------------------------------------- state

    /** A resource path of an endpoint with its filters, made once and shared by its requests. */
    private static final class PathInfo {
        final ResourcePath path;
        final String[] replyFilters;
        final String[] pushFilters;
        /** {@code <path>/}: a request's topic is this and its ID (K4). */
        final String requestPrefix;
        /** The entries the last request on this path held, for {@link SubscriptionTable#acquire(String[], SubscriptionTable.Entry[])}. */
        volatile SubscriptionTable.Entry[] lastReplyEntries;

        /** The caller's words for the path, as given (the keys it was found under). */
        final String extension;
        final String resource;

        PathInfo(ResourcePath path, String extension, String resource, SubscriptionStrategy strategy) {
            this.path = path;
            this.extension = extension;
            this.resource = resource;
            this.requestPrefix = path.asString() + '/';
            this.replyFilters = strategy.filters(path, false).toArray(new String[0]);
            this.pushFilters = strategy.filters(path, true).toArray(new String[0]);
        }
    }

    /** One endpoint: its paths, in-flight count and queue (guarded by this object). */
    private final class EndpointState {
        final String appVersion;
        final String token;
        final Handle handle;
        final ConcurrentHashMap<String, ConcurrentHashMap<String, PathInfo>> paths = new ConcurrentHashMap<>();
        final ArrayDeque<Op> queue = new ArrayDeque<>();
        /** The path of the last call: a racy cache, any PathInfo of this endpoint is a valid value. */
        PathInfo lastPath;
        int inFlight;
        boolean draining;

        EndpointState(String appVersion, String token) {
            this.appVersion = appVersion;
            this.token = token;
            this.handle = new Handle(this, qos, requestTimeout);
        }

        PathInfo path(String extension, String resource) {
            Objects.requireNonNull(extension, "extension must not be null");
            Objects.requireNonNull(resource, "resource must not be null");
            PathInfo last = lastPath; // most callers ask for the same path again: two equals, no map
            if (last != null && last.resource.equals(resource) && last.extension.equals(extension)) {
                return last;
            }
            ConcurrentHashMap<String, PathInfo> byResource = paths.get(extension);
            if (byResource == null) {
                byResource = paths.computeIfAbsent(extension, k -> new ConcurrentHashMap<>());
            }
            PathInfo info = byResource.get(resource);
            if (info == null) {
                // Throws InvalidTopicException (an IllegalArgumentException) naming the rule.
                PathInfo made = new PathInfo(ResourcePath.of(appVersion, extension, token, resource), extension,
                        resource, strategy);
                info = byResource.putIfAbsent(resource, made);
                if (info == null) {
                    info = made;
                }
            }
            lastPath = info;
            return info;
        }
    }

    /** Something that must end when the client closes. */
    private interface Live {
        /** Ends it with {@code cause} (null: cancelled); whether this call ended it. */
        boolean end(Throwable cause);

        String describe();
    }

    /** A call that takes one of its endpoint's in-flight slots. */
    private abstract static class Op implements Live {
        final EndpointState ep;
        /**
         * For the live set: the first identity hash of an object is a slow call into the VM, paid
         * on every request otherwise. Equality stays identity.
         */
        private final int hash = ThreadLocalRandom.current().nextInt();
        /** Guarded by ep. */
        boolean slotHeld;
        /** Guarded by the client's globalQueue. */
        boolean globalSlotHeld;

        Op(EndpointState ep) {
            this.ep = ep;
        }

        @Override
        public final int hashCode() {
            return hash;
        }

        @Override
        public final boolean equals(Object o) {
            return this == o;
        }

        abstract boolean isDone();

        /** Runs with a slot held; never throws. */
        abstract void start();
    }

    /** A request or an observation: the correlator's attachment and the listener of its replies. */
    private final class RequestOp extends Op implements BiConsumer<Reply, Throwable>, Consumer<Reply> {
        final PathInfo info;
        final byte[] payload;
        final MqttQos qos;
        final Consumer<? super Reply> listener;
        final ObservationHandle observation;
        PendingRequest pending;
        CompletableFuture<Reply> failedEarly;
        /** Guarded by this. */
        SubscriptionTable.Entry[] held;
        /** Guarded by this. */
        boolean ended;
        volatile boolean published;
        /** Written under connectionLock. */
        volatile boolean parked;

        RequestOp(EndpointState ep, PathInfo info, byte[] payload, MqttQos qos, Consumer<? super Reply> listener,
                  ObservationHandle observation) {
            super(ep);
            this.info = info;
            this.payload = payload;
            this.qos = qos;
            this.listener = listener;
            this.observation = observation;
        }

        @Override
        boolean isDone() {
            return pending.isDone();
        }

        @Override
        void start() {
            dispatch(this);
        }

        @Override
        public boolean end(Throwable cause) {
            return pending.completeExceptionally(cause); // leaves the correlator as if cancelled
        }

        @Override
        public String describe() {
            return pending != null ? pending.topic().toString() : info.path.toString();
        }

        /** The pending request completed (reply, timeout, loss, cancellation, close). */
        @Override
        public void accept(Reply reply, Throwable failure) {
            ended(this, reply, failure);
        }

        /** An observation's reply (K11), on the transport's thread. */
        @Override
        public void accept(Reply reply) {
            releaseSlot(this); // the first reply frees the slot
            listener.accept(reply);
        }

        void subscribed() {
            if (observation != null) {
                observation.subscribed.complete(null);
            }
        }

        void subscribeFailed(Throwable cause) {
            if (observation != null) {
                observation.subscribed.completeExceptionally(cause);
            }
        }
    }

    /** The caller's view of an observation (K11, D13). */
    private static final class ObservationHandle implements MqttObservation {
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        final CompletableFuture<Void> subscribed = new CompletableFuture<>();
        RequestOp op;

        void ended(RequestOp op, Reply reply, Throwable failure) {
            if (failure == null) {
                if (reply != null && !reply.isSuccess()) {
                    ended.completeExceptionally(new Kp1ErrorException(reply.error(), op.info.path.extension(),
                            op.info.path.resource())); // D13: an /error reply ends it
                } else {
                    ended.complete(null);
                }
            } else if (failure instanceof CancellationException) {
                ended.complete(null);
            } else {
                ended.completeExceptionally(failure);
            }
            subscribed.completeExceptionally(failure != null ? failure : new CancellationException("ended"));
        }

        @Override
        public CompletableFuture<Void> ended() {
            return ended.copy();
        }

        @Override
        public CompletableFuture<Void> subscribed() {
            return subscribed.copy();
        }

        @Override
        public void cancel() {
            RequestOp o = op;
            if (o != null && o.pending != null) {
                o.pending.cancel(false);
            }
        }

        @Override
        public String toString() {
            RequestOp o = op;
            return "MqttObservation[" + (o == null ? "?" : o.describe()) + (ended.isDone() ? ", ended" : "") + "]";
        }
    }

    /** A fire-and-forget request (K6). */
    private final class SendOp extends Op {
        final PathInfo info;
        final String topic;
        final byte[] payload;
        final MqttQos qos;
        final CompletableFuture<Void> result = new CompletableFuture<>();

        SendOp(EndpointState ep, PathInfo info, String topic, byte[] payload, MqttQos qos) {
            super(ep);
            this.info = info;
            this.topic = topic;
            this.payload = payload;
            this.qos = qos;
        }

        @Override
        boolean isDone() {
            return result.isDone();
        }

        @Override
        void start() {
            CompletableFuture<Void> f;
            try {
                f = transport.publish(topic, payload, qos);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete((v, t) -> {
                if (t == null) {
                    result.complete(null);
                } else {
                    publishFailures.increment();
                    Throwable cause = SubscriptionTable.unwrap(t);
                    result.completeExceptionally(new Kp1MqttClientException(connected
                            ? Kp1MqttClientException.Reason.PUBLISH_FAILED : Kp1MqttClientException.Reason.NOT_CONNECTED,
                            "Could not publish " + describe() + ": " + cause, cause));
                }
            });
        }

        @Override
        public boolean end(Throwable cause) {
            return result.completeExceptionally(cause);
        }

        @Override
        public String describe() {
            return "fire-and-forget " + info.path;
        }
    }

    /** A listener for pushes without request ID (K11). */
    private final class PushOp implements Live, MqttObservation, Consumer<Reply> {
        final PathInfo info;
        final Consumer<? super Reply> listener;
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        final CompletableFuture<Void> subscribed = new CompletableFuture<>();
        /** Guarded by this. */
        Correlator.Subscription registration;
        /** Guarded by this. */
        SubscriptionTable.Entry[] held;

        PushOp(PathInfo info, Consumer<? super Reply> listener) {
            this.info = info;
            this.listener = listener;
        }

        /** A push, on the transport's thread. */
        @Override
        public void accept(Reply reply) {
            if (ended.isDone()) {
                return;
            }
            try {
                listener.accept(reply);
            } finally {
                if (!reply.isSuccess()) {
                    end(new Kp1ErrorException(reply.error(), info.path.extension(), info.path.resource()));
                }
            }
        }

        @Override
        public boolean end(Throwable cause) {
            boolean changed = cause == null ? ended.complete(null) : ended.completeExceptionally(cause);
            if (!changed) {
                return false;
            }
            subscribed.completeExceptionally(cause != null ? cause : new CancellationException("cancelled"));
            Correlator.Subscription r;
            SubscriptionTable.Entry[] h;
            synchronized (this) {
                r = registration;
                h = held;
                registration = null;
                held = null;
            }
            if (r != null) {
                r.close();
            }
            if (h != null) {
                subscriptions.release(h);
            }
            live.remove(this);
            pushes.remove(this);
            return true;
        }

        @Override
        public String describe() {
            return "push listener on " + info.path;
        }

        @Override
        public CompletableFuture<Void> ended() {
            return ended.copy();
        }

        @Override
        public CompletableFuture<Void> subscribed() {
            return subscribed.copy();
        }

        @Override
        public void cancel() {
            end(null);
        }

        @Override
        public String toString() {
            return "MqttObservation[" + describe() + (ended.isDone() ? ", ended" : "") + "]";
        }
    }

    /** An endpoint's handle, or a view of it with another QoS or timeout. */
    private final class Handle implements MqttEndpoint {
        final EndpointState state;
        final MqttQos qos;
        final Duration timeout;
        final long timeoutNanos;

        Handle(EndpointState state, MqttQos qos, Duration timeout) {
            this.state = state;
            this.qos = qos;
            this.timeout = timeout;
            this.timeoutNanos = Builder.nanos(timeout);
        }

        @Override
        public String appVersion() {
            return state.appVersion;
        }

        @Override
        public String endpointToken() {
            return state.token;
        }

        @Override
        public MqttQos qos() {
            return qos;
        }

        @Override
        public Duration requestTimeout() {
            return timeout;
        }

        @Override
        public MqttEndpoint withQos(MqttQos qos) {
            return new Handle(state, Objects.requireNonNull(qos, "qos must not be null"), timeout);
        }

        @Override
        public MqttEndpoint withRequestTimeout(Duration timeout) {
            return new Handle(state, qos, Builder.checkTimeout(timeout));
        }

        @Override
        public CompletableFuture<Reply> request(String extension, String resource, byte[] payload) {
            return Kp1MqttClient.this.request(this, extension, resource, payload);
        }

        @Override
        public CompletableFuture<Void> send(String extension, String resource, byte[] payload) {
            return Kp1MqttClient.this.send(this, extension, resource, payload);
        }

        @Override
        public MqttObservation observe(String extension, String resource, byte[] payload,
                                       Consumer<? super Reply> listener) {
            return Kp1MqttClient.this.observe(this, extension, resource, payload, listener);
        }

        @Override
        public MqttObservation onPush(String extension, String resource, Consumer<? super Reply> listener) {
            return Kp1MqttClient.this.onPush(this, extension, resource, listener);
        }

        /** The application version and the token redacted (D16). */
        @Override
        public String toString() {
            return "MqttEndpoint[" + state.appVersion + ", " + Topics.redactToken(state.token) + ", QoS " + qos.code()
                    + ", " + timeout.toMillis() + " ms]";
        }
    }

    /**
     * Counters of a {@link Kp1MqttClient}, taken at one instant.
     *
     * <pre>{@code
     * Kp1MqttClient.Stats s = client.stats();
     * metrics.gauge("kp1.pending", s.correlation().pending());
     * metrics.counter("kp1.replies.dropped", s.droppedReplies());   // late + duplicate + unknown (D15)
     * }</pre>
     *
     * @param correlation          the request table's counters: pending, replied, timed out, late,
     *                             duplicate and unknown replies (D15), ...
     * @param echoesIgnored        messages on non-reply topics (the gateway's own requests coming back
     *                             through a wildcard filter), dropped unparsed
     * @param invalidReplies       messages on reply topics that are not valid 1/KP, dropped, and replies
     *                             past {@code maxPayloadBytes} (their request ended with a 502)
     * @param retainedIgnored      retained replies with a request ID, dropped as stale
     * @param queued               calls waiting now for an in-flight slot of their endpoint
     * @param rejected             calls refused by a limit (endpoint queue, subscriptions, pending requests)
     * @param publishFailures      publishes the transport failed
     * @param republished          requests published again after a reconnection (same IDs)
     * @param subscriptions        subscriptions held now, in use or idle
     * @param subscriptionsInUse   of which in use by a request, observation or push listener
     * @param subscribed           SUBACKs received
     * @param subscribeFailures    subscriptions the broker refused or that failed on a live connection
     * @param unsubscribed         UNSUBSCRIBEs completed (idle ones evicted, or at close)
     * @param evicted              idle subscriptions unsubscribed to make room
     * @param resubscribed         subscriptions made again after a connection without the session
     */
    public record Stats(Correlator.Stats correlation, long echoesIgnored, long invalidReplies, long retainedIgnored,
                        int queued, long rejected, long publishFailures, long republished, int subscriptions,
                        int subscriptionsInUse, long subscribed, long subscribeFailures, long unsubscribed,
                        long evicted, long resubscribed) {
        /** Replies counted and dropped because they matched nothing pending: late, duplicate or unknown (D15). */
        public long droppedReplies() {
            return correlation.late() + correlation.duplicate() + correlation.unknown();
        }
    }

    /**
     * Builds a {@link Kp1MqttClient}; not thread-safe. Each setter checks its argument at once.
     *
     * <pre>{@code
     * Kp1MqttClient client = Kp1MqttClient.builder(transport)
     *         .requestTimeout(Duration.ofSeconds(5))
     *         .qos(MqttQos.AT_LEAST_ONCE)                                   // requests, sends; replies follow (K8)
     *         .subscriptionStrategy(SubscriptionStrategy.PER_ENDPOINT_EXTENSION)
     *         .maxSubscriptions(5_000)                                       // LRU-unsubscribe idle ones past it
     *         .maxInFlightPerEndpoint(8).maxQueuedPerEndpoint(100)           // then LIMIT_REACHED
     *         .connectionLossPolicy(ConnectionLossPolicy.KEEP_REQUESTS)      // publish again after reconnecting
     *         .scheduler(hostScheduler)                                      // or the client's own thread
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private final MqttTransport transport;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private MqttQos qos = MqttQos.AT_LEAST_ONCE;
        private MqttQos subscriptionQos = MqttQos.EXACTLY_ONCE;
        private SubscriptionStrategy strategy = SubscriptionStrategy.PER_RESOURCE;
        private int maxSubscriptions = 100_000;
        private int maxInFlightPerEndpoint = 32;
        private int maxQueuedPerEndpoint = 1_000;
        private int maxInFlight = 256;
        private int maxPending = 100_000;
        private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
        private int maxPendingPerEndpoint = 10_000;
        private int lateReplyMemory = 4_096;
        private ConnectionLossPolicy lossPolicy = ConnectionLossPolicy.FAIL_ALL;
        private ScheduledExecutorService scheduler;

        private Builder(MqttTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport must not be null");
        }

        /**
         * How long a request waits for its reply, from the call (queueing included), and an
         * observation for its first reply; 10 seconds by default. Per call:
         * {@link MqttEndpoint#withRequestTimeout}.
         *
         * @throws IllegalArgumentException unless positive
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = checkTimeout(timeout);
            return this;
        }

        /** The QoS of requests and sends, so of their replies (K8); QoS 1 by default. Per call: {@link MqttEndpoint#withQos}. */
        public Builder qos(MqttQos qos) {
            this.qos = Objects.requireNonNull(qos, "qos must not be null");
            return this;
        }

        /**
         * The maximum QoS the client subscribes with; QoS 2 by default, so that replies arrive with
         * the QoS of their request (K8). A lower one caps the QoS replies are delivered with.
         */
        public Builder subscriptionQos(MqttQos qos) {
            this.subscriptionQos = Objects.requireNonNull(qos, "qos must not be null");
            return this;
        }

        /** Which subscriptions receive replies and pushes; {@link SubscriptionStrategy#PER_RESOURCE} by default. */
        public Builder subscriptionStrategy(SubscriptionStrategy strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy must not be null");
            return this;
        }

        /**
         * The most subscriptions held at once, in use or idle; 100,000 by default. Past it the least
         * recently used idle one is unsubscribed; when all are in use, a call that needs a new one
         * fails with {@link Kp1MqttClientException.Reason#LIMIT_REACHED}.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxSubscriptions(int max) {
            this.maxSubscriptions = atLeast(1, max, "maxSubscriptions");
            return this;
        }

        /**
         * The most requests, observations (until their first reply) and sends of one endpoint in
         * flight at once; 32 by default. Further calls wait in the endpoint's queue.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxInFlightPerEndpoint(int max) {
            this.maxInFlightPerEndpoint = atLeast(1, max, "maxInFlightPerEndpoint");
            return this;
        }

        /**
         * How many calls of one endpoint may wait for an in-flight slot; 1,000 by default. Past it
         * calls fail at once with {@link Kp1MqttClientException.Reason#LIMIT_REACHED}; 0 fails
         * every call past the in-flight limit (no queue).
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxQueuedPerEndpoint(int max) {
            this.maxQueuedPerEndpoint = atLeast(0, max, "maxQueuedPerEndpoint");
            return this;
        }

        /**
         * The most requests, observations (until their first reply) and sends in flight in the
         * whole client, across endpoints; 256 by default. A call with a slot of its endpoint waits
         * for one of these in a second queue, first in, first out (its timeout running). Keep it
         * within the MQTT client's own window (Paho's {@code maxInflight}) and the broker's queue
         * per client (Mosquitto's {@code max_queued_messages}, 1,000 by default), which replies
         * share with the echoes of the gateway's own requests under wildcard filters.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxInFlight(int max) {
            this.maxInFlight = atLeast(1, max, "maxInFlight");
            return this;
        }

        /**
         * The most requests and observations pending in the whole client, queued ones included;
         * 100,000 by default. Past it calls fail with a {@link CorrelationException}
         * ({@code LIMIT_REACHED}).
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxPending(int max) {
            this.maxPending = atLeast(1, max, "maxPending");
            return this;
        }

        /**
         * The most requests and observations pending for one endpoint and extension instance (the
         * K4 scope), queued ones and observations kept open after their first reply included;
         * 10,000 by default (capped by {@link #maxPending}). Past it calls fail with a
         * {@link CorrelationException} ({@code LIMIT_REACHED}) naming {@code maxPendingPerEndpoint}:
         * an endpoint cannot fill the client with observations that never end (K11).
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxPendingPerEndpoint(int max) {
            this.maxPendingPerEndpoint = atLeast(1, max, "maxPendingPerEndpoint");
            return this;
        }

        /**
         * The largest payload, in bytes, of a request the client publishes and of a reply it hands
         * over; {@value Kp1MqttClient#DEFAULT_MAX_PAYLOAD_BYTES} (1 MiB) by default, as the servers'
         * request limits. A larger request payload throws {@link IllegalArgumentException} at the call;
         * a larger reply ends its request with a 502 error reply whose K7 reason names the size and the
         * limit (an observation ends, D13), and a larger push is dropped; both count as
         * {@code invalidReplies}.
         *
         * <pre>{@code
         * Kp1MqttClient.builder(transport).maxPayloadBytes(256 * 1024).build();
         * }</pre>
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxPayloadBytes(int max) {
            this.maxPayloadBytes = atLeast(0, max, "maxPayloadBytes");
            return this;
        }

        /**
         * How many ended requests are remembered to tell late and duplicate replies from unknown
         * ones (D15); 4,096 by default, about 10 bytes each.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder lateReplyMemory(int requests) {
            this.lateReplyMemory = atLeast(0, requests, "lateReplyMemory");
            return this;
        }

        /**
         * What a connection loss does to pending requests and observations (D13, D14):
         * {@link ConnectionLossPolicy#FAIL_ALL} by default; see the class comment.
         */
        public Builder connectionLossPolicy(ConnectionLossPolicy policy) {
            this.lossPolicy = Objects.requireNonNull(policy, "policy must not be null");
            return this;
        }

        /**
         * The scheduler that drives the deadlines (one task at a time); by default the client
         * starts its own daemon thread and stops it on close. The host keeps ownership of its own.
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
            return this;
        }

        /**
         * Builds the client and sets its listener on the transport. Build it before the transport
         * connects, so that the first connection is heard, or after: both work.
         */
        public Kp1MqttClient build() {
            return new Kp1MqttClient(this).start();
        }

        static Duration checkTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout must not be null");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("request timeout must be positive (D14), got " + timeout);
            }
            return timeout;
        }

        static long nanos(Duration timeout) {
            try {
                return timeout.toNanos();
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE / 4; // about 73 years: never, in practice, and no overflow in deadline sums
            }
        }

        private static int atLeast(int min, int value, String name) {
            if (value < min) {
                throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
            }
            return value;
        }
    }
}
