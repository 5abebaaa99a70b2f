package io.kp1.mqtt;

import io.kp1.ErrorResponse;
import io.kp1.InvalidTopicException;
import io.kp1.ParseResult;
import io.kp1.Topic;
import io.kp1.TopicParser;
import io.kp1.mqtt.internal.ServerTopics;
import io.kp1.mqtt.internal.Topics;
import io.kp1.server.Outcome;
import io.kp1.server.Request;
import io.kp1.server.Router;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extension-service side of 1/KP over MQTT: subscribes to request topics, parses each
 * request, routes it with a {@link Router}, and publishes the {@code /status} or {@code /error}
 * reply on the topic derived from the request's raw name, with the request's QoS (K5, K6, K8,
 * D2, D11).
 *
 * <pre>{@code
 * Router router = Router.builder()
 *         .on("dcx", "/json", req -> store(req.endpointToken(), req.payload()).thenApply(x -> Reply.ok()))
 *         .on("epmx", "/get/keys", req -> CompletableFuture.completedFuture(Reply.ok("[\"name\"]")))
 *         .build();
 * MqttTransport transport = PahoTransport.of(pahoClient);           // the host connects the client
 * Kp1MqttServer server = Kp1MqttServer.builder(transport, router)
 *         .sharedGroup("dcx-workers")                                // $share/dcx-workers/kp1/+/dcx/#, ...
 *         .build();
 * server.start().join();                                            // after every SUBACK
 * ...
 * server.close();                                                   // unsubscribe, wait for replies in flight
 * }</pre>
 *
 * <h2>Subscriptions</h2>
 * By default one filter per extension instance of the router, {@code kp1/+/<ext>/#}, so that a
 * service sees only its own extensions' traffic on a broker it shares with others, and answers
 * nothing for them. {@link Builder#subscription} replaces that: {@link #ALL_REQUESTS}
 * ({@code kp1/#}) for a server that owns all of 1/KP and should answer 404 for unknown extension
 * instances, or a narrower filter. {@link Builder#sharedGroup} turns every filter into an MQTT 5
 * shared subscription {@code $share/<group>/<filter>}, so that replicas of a service on a
 * clustered broker split the requests (each request reaches one replica). Subscriptions ask for
 * QoS 2 by default, so that requests arrive with the QoS they were sent with and replies keep it
 * (K8). {@link #start()} completes after every SUBACK; a refused subscription fails it with the
 * transport's {@link MqttSubscriptionRefusedException}. Filters that are not shared are
 * subscribed with MQTT 5's No Local ({@link MqttTransport#subscribeNoLocal}), so that on an MQTT 5
 * transport the broker does not send the server's own replies back to it; MQTT 3.1.1 clients
 * cannot ask for that, and MQTT 5 forbids it on shared subscriptions, so there the replies come
 * back and are ignored (next table).
 *
 * <h2>What each inbound message gets</h2>
 * <table>
 *   <caption>Triage, in this order; none of it throws into the transport's thread</caption>
 *   <tr><th>message</th><th>action</th><th>counter</th></tr>
 *   <tr><td>retained (sent because the server subscribed, so stale)</td><td>ignored</td>
 *       <td>{@code retainedIgnored}</td></tr>
 *   <tr><td>last level {@code status} or {@code error}: a reply, often the server's own, which
 *       {@code kp1/#} and {@code kp1/+/<ext>/#} also match</td><td>ignored after two string
 *       comparisons, never parsed or answered</td><td>{@code echoesIgnored}</td></tr>
 *   <tr><td>not a valid 1/KP request ({@link TopicParser#tryParseRequest}, D6)</td><td>400 on
 *       {@code <topic>/error} if that is publishable, see below; otherwise logged at DEBUG and
 *       dropped</td><td>{@code invalidTopics}</td></tr>
 *   <tr><td>valid, payload over {@link Builder#maxPayloadBytes maxPayloadBytes}</td><td>413 on
 *       {@code .../error} with a request ID; dropped without (D10, D11)</td><td>{@code errors(413)}</td></tr>
 *   <tr><td>valid, more than {@code maxInFlight} requests in flight, or the server stopping</td>
 *       <td>503 on {@code .../error} with a request ID; dropped without</td><td>{@code rejectedForLoad}</td></tr>
 *   <tr><td>valid</td><td>routed; the {@link Outcome}'s reply published on its topic with its
 *       QoS, if it has one (K6, D11)</td><td>{@code routed}, then {@code replied} or
 *       {@code replyFailures}</td></tr>
 * </table>
 *
 * <p><b>Reply topics are never answered.</b> The cost of the stateless rule above: a request
 * without a request ID to a resource whose last level is named {@code status} or {@code error}
 * is taken for a reply and not served (D6 allows such resources; with a request ID,
 * {@code .../status/7}, they are served). No resource of 2/DCP, 10/EPMP, 7/CMP or 11/CEP ends so.
 *
 * <p><b>Invalid topics.</b> The 400 reply's K7 reason starts with the machine-readable reason
 * and names the rule, the token redacted (D16):
 * {@code INVALID_REQUEST_ID: Invalid 1/KP topic "kp1/app/dcx/JT******Hh/json/0": invalid request ID
 * at index 31, must be 1..2147483647 (D1)}. It goes to {@code <topic>/error} when that topic is
 * publishable: under {@code kp1/}, a valid MQTT topic name and within the length limit; a topic
 * the broker delivered is a valid MQTT name, so {@code kp1/app//json} (D3) is answered on
 * {@code kp1/app//json/error}, while {@code kp2/...} (outside 1/KP) is not. When the router
 * keeps fire-and-forget requests silent ({@code errorRepliesWithoutRequestId(false)}, D11), an
 * invalid topic is answered only if its last level is made of digits (the sender meant a request
 * ID, such as {@code .../json/0}).
 *
 * <h2>Threads</h2>
 * The server never blocks the transport's callback thread. By default it parses and routes on
 * that thread, which suits handlers that return a {@link CompletionStage} without blocking (the
 * {@link Router.Handler} contract); a host whose handlers block (JDBC, file I/O) gives an
 * {@link Builder#executor Executor}, and requests are routed there instead. Replies are
 * published from whichever thread completes the handler's stage. At most
 * {@link Builder#maxInFlight maxInFlight} requests are in flight (from arrival until their reply
 * is published); past that a request with an ID is answered 503 and one without is dropped, and
 * both are counted, so a flood cannot grow memory without bound. The server's own 400 and 503
 * replies are bounded the same way (past the bound they are dropped).
 *
 * <h2>Connection</h2>
 * The server takes the transport's listener slot ({@link MqttTransport#setListener}) from
 * {@link #start()} to the end of {@link #stop()}: one server per transport. The host connects the
 * client before {@code start()} and owns reconnection. After a reconnection whose session did
 * not survive ({@link SessionPresence#ABSENT} or {@link SessionPresence#UNKNOWN}) the server
 * subscribes again. A {@link ConnectionListener} hears the connection events, for example to
 * publish the service's connectivity.
 *
 * <h2>Stopping</h2>
 * {@link #stop()} unsubscribes, keeps serving what arrives until the UNSUBACKs, then waits for
 * the replies in flight, all within {@link Builder#stopTimeout stopTimeout}; {@link #close()}
 * does the same and waits. A server starts once and stops once.
 */
public final class Kp1MqttServer implements AutoCloseable {
    /** The filter that matches all 1/KP traffic (K2). */
    public static final String ALL_REQUESTS = "kp1/#";
    /** The default of {@link Builder#maxPayloadBytes}: 1 MiB. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(Kp1MqttServer.class);
    private static final int MAX_STATUS = 599;

    /** Where a server is in its life; see {@link #state()}. */
    public enum State {
        /** Built, not started. */
        NEW,
        /** {@link #start()} called; waiting for SUBACKs. Requests that arrive are served. */
        STARTING,
        /** Subscribed and serving. */
        RUNNING,
        /** {@link #stop()} called: unsubscribing, then waiting for replies in flight. */
        STOPPING,
        /** Stopped; the listener slot is released. */
        STOPPED,
        /** {@link #start()} failed (a subscription was refused or the transport failed). */
        FAILED
    }

    /**
     * Hears the connection events of the server's transport, on the transport's threads: it must
     * not block. What it throws is caught and logged.
     *
     * <pre>{@code
     * Kp1MqttServer.builder(transport, router).connectionListener(new Kp1MqttServer.ConnectionListener() {
     *     public void onConnectionLost(Throwable cause) { health.down("MQTT connection lost"); }
     *     public void onResubscribed() { health.up(); }
     * }).build();
     * }</pre>
     */
    public interface ConnectionListener {
        /**
         * The transport connected (again); re-subscription, if needed, starts after this call.
         *
         * @param reconnect whether an earlier connection was lost
         * @param session whether the broker kept the session (and so the subscriptions)
         */
        default void onConnected(boolean reconnect, SessionPresence session) {
        }

        /**
         * The transport lost its connection; requests are not received until it is back.
         *
         * @param cause the client's reason
         */
        default void onConnectionLost(Throwable cause) {
        }

        /** Every filter was subscribed again after a reconnection without a surviving session. */
        default void onResubscribed() {
        }

        /**
         * Subscribing {@code filter} again after a reconnection failed (refused, or the connection
         * broke again): until the next reconnection the server receives nothing on it.
         *
         * @param filter the filter, shared-subscription prefix included
         * @param cause the refusal ({@link MqttSubscriptionRefusedException}) or the transport's failure
         */
        default void onResubscribeFailed(String filter, Throwable cause) {
        }
    }

    /**
     * A snapshot of the server's counters, since it was built.
     *
     * <pre>{@code
     * Kp1MqttServer.Counters c = server.counters();
     * metrics.gauge("kp1.requests", c.routed());
     * c.errors(404);   // requests answered "not found"
     * }</pre>
     *
     * @param received        messages the transport delivered, of every kind
     * @param routed          valid requests handed to the router
     * @param replied         replies published (success and error, including the server's own 400 and 503),
     *                        counted when the publish completed
     * @param replyFailures   replies whose publish failed (connection lost, client limits), or that could not
     *                        be sent (the own-reply bound was reached)
     * @param invalidTopics   messages on topics that are not valid 1/KP requests (answered 400 or dropped)
     * @param echoesIgnored   messages on reply topics ({@code .../status}, {@code .../error}), never answered
     * @param retainedIgnored retained messages, never answered
     * @param rejectedForLoad valid requests refused because {@code maxInFlight} were in flight, the executor
     *                        refused them, or the server was stopping (answered 503 or dropped)
     * @param resubscriptions times the server subscribed again after a reconnection
     * @param errorsByStatus  error replies by status code, only codes seen, in ascending order: the errors of
     *                        routed requests (published, or kept silent by D11) and the server's own 400
     *                        and 503 replies
     */
    public record Counters(long received, long routed, long replied, long replyFailures, long invalidTopics,
                           long echoesIgnored, long retainedIgnored, long rejectedForLoad, long resubscriptions,
                           SortedMap<Integer, Long> errorsByStatus) {

        /** Copies the map, which is then read-only. */
        public Counters {
            errorsByStatus = Collections.unmodifiableSortedMap(new TreeMap<>(errorsByStatus));
        }

        /** Error replies with this status code. */
        public long errors(int statusCode) {
            return errorsByStatus.getOrDefault(statusCode, 0L);
        }

        /** Error replies of every status code. */
        public long errors() {
            long n = 0;
            for (long v : errorsByStatus.values()) {
                n += v;
            }
            return n;
        }
    }

    private final MqttTransport transport;
    private final Router router;
    private final TopicParser parser;
    private final List<String> filters;
    private final MqttQos subscriptionQos;
    private final Executor executor;
    private final int maxInFlight;
    private final int maxPayloadBytes;
    private final Duration stopTimeout;
    private final ConnectionListener connectionListener;
    private final boolean answerInvalidWithoutId;
    private final byte[] busyPayload;
    private final byte[] stoppingPayload;

    private final LongAdder received = new LongAdder();
    private final LongAdder routed = new LongAdder();
    private final LongAdder replied = new LongAdder();
    private final LongAdder replyFailures = new LongAdder();
    private final LongAdder invalidTopics = new LongAdder();
    private final LongAdder echoesIgnored = new LongAdder();
    private final LongAdder retainedIgnored = new LongAdder();
    private final LongAdder rejectedForLoad = new LongAdder();
    private final LongAdder resubscriptions = new LongAdder();
    private final AtomicLongArray errorsByStatus = new AtomicLongArray(MAX_STATUS + 1);

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger ownRepliesInFlight = new AtomicInteger();
    private final Object lock = new Object();
    private State state = State.NEW;
    private volatile boolean accepting;
    private volatile CompletableFuture<Void> drained;
    private CompletableFuture<Kp1MqttServer> started;
    private CompletableFuture<Void> stopped;

    private Kp1MqttServer(Builder b) {
        this.transport = b.transport;
        this.router = b.router;
        this.parser = b.parser;
        List<String> base = b.filters.isEmpty() ? perExtensionFilters(b.router) : new ArrayList<>(b.filters);
        List<String> effective = new ArrayList<>(base.size());
        for (String f : base) {
            effective.add(b.sharedGroup == null ? f : ServerTopics.SHARE_PREFIX + b.sharedGroup + "/" + f);
        }
        this.filters = List.copyOf(effective);
        this.subscriptionQos = b.subscriptionQos;
        this.executor = b.executor;
        this.maxInFlight = b.maxInFlight;
        this.maxPayloadBytes = b.maxPayloadBytes;
        this.stopTimeout = b.stopTimeout;
        this.connectionListener = b.connectionListener;
        this.answerInvalidWithoutId = b.router.sendsErrorRepliesWithoutRequestId();
        this.busyPayload = ErrorResponse.of(503, "Service busy: " + maxInFlight
                + " requests in flight, try again later").toJson();
        this.stoppingPayload = ErrorResponse.of(503, "Service stopping").toJson();
    }

    private static List<String> perExtensionFilters(Router router) {
        Set<String> extensions = router.extensions();
        if (extensions.isEmpty()) {
            throw new IllegalStateException("The router has no routes, so there is nothing to subscribe to: "
                    + "add routes or give subscription(\"" + ALL_REQUESTS + "\") to answer every request 404");
        }
        List<String> list = new ArrayList<>(extensions.size());
        for (String ext : extensions) {
            list.add("kp1/+/" + ext + "/#");
        }
        return list;
    }

    /**
     * A builder for a server that serves {@code router}'s routes over {@code transport}, whose
     * client the host has configured and will connect.
     */
    public static Builder builder(MqttTransport transport, Router router) {
        return new Builder(transport, router);
    }

    /**
     * Sets the transport's listener and subscribes to every filter. Requests that arrive from the
     * first SUBACK on are served.
     *
     * @return completes with this server after every SUBACK, or exceptionally with the first
     *     failure ({@link MqttSubscriptionRefusedException} when the broker refused a filter), in
     *     which case the filters already granted are unsubscribed and the state is
     *     {@link State#FAILED}; the same future on every call
     */
    public CompletableFuture<Kp1MqttServer> start() {
        synchronized (lock) {
            if (started != null) {
                return started;
            }
            if (state != State.NEW) {
                return CompletableFuture.failedFuture(new IllegalStateException("Kp1MqttServer is " + state
                        + ": a server starts once"));
            }
            state = State.STARTING;
            started = new CompletableFuture<>();
            accepting = true;
        }
        transport.setListener(new TransportListener());
        LOG.info("Kp1MqttServer starting: subscribing to {} at QoS {}", filters, subscriptionQos.code());
        List<CompletableFuture<MqttQos>> subs = new ArrayList<>(filters.size());
        for (String f : filters) {
            subs.add(subscribe(f));
        }
        CompletableFuture.allOf(subs.toArray(new CompletableFuture<?>[0])).whenComplete((v, e) -> {
            if (e == null) {
                onStarted(subs);
            } else {
                onStartFailed(subs, unwrap(e));
            }
        });
        return started;
    }

    /**
     * Subscribes with No Local (MQTT 5) where MQTT allows it, so that the broker does not send the
     * server's own replies back through its {@code kp1/...} filters: it ignores them when they
     * come (MQTT 3.1.1, shared subscriptions), but each one costs a delivery.
     */
    private CompletableFuture<MqttQos> subscribe(String filter) {
        try {
            if (!filter.startsWith(ServerTopics.SHARE_PREFIX)) {
                return transport.subscribeNoLocal(filter, subscriptionQos);
            }
            return transport.subscribe(filter, subscriptionQos);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void onStarted(List<CompletableFuture<MqttQos>> subs) {
        for (int i = 0; i < subs.size(); i++) {
            MqttQos granted = subs.get(i).join();
            if (granted != subscriptionQos) {
                LOG.info("The broker granted QoS {} for {} (asked {}): requests sent with a higher QoS arrive, "
                        + "and are answered (K8), at QoS {}", granted.code(), Topics.redact(filters.get(i)),
                        subscriptionQos.code(), granted.code());
            }
        }
        boolean lateStop;
        synchronized (lock) {
            lateStop = state == State.STOPPED;
            if (state == State.STARTING) {
                state = State.RUNNING;
            }
        }
        if (lateStop) {
            // stop() gave up waiting for this start: undo it.
            unsubscribeAll();
        } else {
            LOG.info("Kp1MqttServer running on {}", filters);
        }
        started.complete(this);
    }

    private void onStartFailed(List<CompletableFuture<MqttQos>> subs, Throwable cause) {
        LOG.warn("Kp1MqttServer could not start: {}", cause.toString());
        for (int i = 0; i < subs.size(); i++) {
            CompletableFuture<MqttQos> s = subs.get(i);
            if (s.isDone() && !s.isCompletedExceptionally()) {
                unsubscribe(filters.get(i));
            }
        }
        synchronized (lock) {
            accepting = false;
            if (state == State.STARTING) {
                state = State.FAILED;
                transport.setListener(null);
            }
        }
        started.completeExceptionally(cause);
    }

    /**
     * Stops gracefully: unsubscribes every filter, keeps serving what arrives until the
     * UNSUBACKs, then answers what still arrives 503 and waits for the replies in flight; all of it
     * within {@code stopTimeout}, after which replies still in flight may yet be published but the
     * server no longer waits for them. Then releases the transport's listener slot. Never completes
     * exceptionally; the same future on every call.
     */
    public CompletableFuture<Void> stop() {
        CompletableFuture<Boolean> startOutcome;
        synchronized (lock) {
            if (stopped != null) {
                return stopped;
            }
            stopped = new CompletableFuture<>();
            if (state == State.NEW || state == State.FAILED) {
                state = State.STOPPED;
                stopped.complete(null);
                return stopped;
            }
            state = State.STOPPING;
            startOutcome = started.handle((s, e) -> e == null);
        }
        LOG.info("Kp1MqttServer stopping: unsubscribing from {}", filters);
        startOutcome
                .thenCompose(subscribed -> subscribed ? unsubscribeAll() : CompletableFuture.completedFuture(null))
                .thenCompose(v -> drain())
                .completeOnTimeout(null, stopTimeout.toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((v, e) -> finishStop());
        return stopped;
    }

    private CompletableFuture<Void> unsubscribeAll() {
        List<CompletableFuture<Void>> unsubs = new ArrayList<>(filters.size());
        for (String f : filters) {
            unsubs.add(unsubscribe(f));
        }
        return CompletableFuture.allOf(unsubs.toArray(new CompletableFuture<?>[0]));
    }

    /** Unsubscribes; the future never fails (a failure is logged). */
    private CompletableFuture<Void> unsubscribe(String filter) {
        CompletableFuture<Void> f;
        try {
            f = transport.unsubscribe(filter);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.handle((v, e) -> {
            if (e != null) {
                LOG.warn("Kp1MqttServer could not unsubscribe from {}: {}", Topics.redact(filter), unwrap(e).toString());
            }
            return null;
        });
    }

    private CompletableFuture<Void> drain() {
        CompletableFuture<Void> d = new CompletableFuture<>();
        drained = d;
        accepting = false;
        if (inFlight.get() == 0) {
            d.complete(null);
        }
        return d;
    }

    private void finishStop() {
        accepting = false;
        int left = inFlight.get();
        synchronized (lock) {
            state = State.STOPPED;
        }
        transport.setListener(null);
        if (left > 0) {
            LOG.warn("Kp1MqttServer stopped after {} ms with {} requests still in flight: their replies may yet "
                    + "be published", stopTimeout.toMillis(), left);
        } else {
            LOG.info("Kp1MqttServer stopped");
        }
        stopped.complete(null);
    }

    /** {@link #stop()} and wait for it (at most about {@code stopTimeout}). */
    @Override
    public void close() {
        stop().join();
    }

    /** Where the server is in its life. */
    public State state() {
        synchronized (lock) {
            return state;
        }
    }

    /**
     * The filters the server subscribes to, shared-subscription prefix included:
     * {@code [$share/dcx-workers/kp1/+/dcx/#]}.
     */
    public List<String> subscriptions() {
        return filters;
    }

    /** Requests in flight now: arrived and not yet answered (their reply not yet published). */
    public int inFlight() {
        return inFlight.get();
    }

    /** A snapshot of the counters. */
    public Counters counters() {
        SortedMap<Integer, Long> errors = new TreeMap<>();
        for (int status = 100; status <= MAX_STATUS; status++) {
            long n = errorsByStatus.get(status);
            if (n != 0) {
                errors.put(status, n);
            }
        }
        return new Counters(received.sum(), routed.sum(), replied.sum(), replyFailures.sum(), invalidTopics.sum(),
                echoesIgnored.sum(), retainedIgnored.sum(), rejectedForLoad.sum(), resubscriptions.sum(), errors);
    }

    @Override
    public String toString() {
        return "Kp1MqttServer[" + state() + ", " + filters + ", " + transport + "]";
    }

    // ---- inbound messages, on the transport's thread ----

    private void onMessage(InboundMessage m) {
        received.increment();
        String name = m.topic();
        if (m.retained()) {
            retainedIgnored.increment();
            LOG.debug("Ignored a retained message (stale: sent for the subscription): {}", m);
            return;
        }
        if (ServerTopics.isReplyTopic(name)) {
            echoesIgnored.increment();
            LOG.trace("Ignored a message on a reply topic: {}", m);
            return;
        }
        ParseResult parsed = parser.tryParseRequest(name);
        if (!parsed.isValid()) {
            invalidTopic(m, parsed.error());
            return;
        }
        Topic topic = parsed.topic();
        if (m.payload().length > maxPayloadBytes) {
            tooLarge(topic, m);
            return;
        }
        if (!acquire()) {
            reject(topic, m.qos(), busyPayload, "more than " + maxInFlight + " requests in flight");
            return;
        }
        if (!accepting) {
            release();
            reject(topic, m.qos(), stoppingPayload, "the server is stopping");
            return;
        }
        Request request = Request.fromMqtt(topic, m.payload(), m.qos().code());
        if (executor == null) {
            dispatch(request);
            return;
        }
        try {
            executor.execute(() -> dispatch(request));
        } catch (RejectedExecutionException e) {
            release();
            reject(topic, m.qos(), busyPayload, "the executor refused the request");
        }
    }

    private void invalidTopic(InboundMessage m, InvalidTopicException error) {
        invalidTopics.increment();
        String name = m.topic();
        String errorTopic = ServerTopics.errorTopicFor(name);
        if (errorTopic == null || !(answerInvalidWithoutId || ServerTopics.endsWithDigitsLevel(name))) {
            LOG.debug("Dropped a message on an invalid topic ({} bytes, QoS {}): {}", m.payload().length,
                    m.qos().code(), error.getMessage());
            return;
        }
        LOG.debug("Answering 400 to a message on an invalid topic: {}", error.getMessage());
        countError(400);
        publishOwn(errorTopic, ErrorResponse.of(400, reasonPhrase(error)).toJson(), m.qos());
    }

    /** K7 reason for an invalid topic: the machine-readable reason, then the message (rule, redacted input). */
    private static String reasonPhrase(InvalidTopicException error) {
        String reason = error.reason().name() + ": " + error.getMessage();
        return reason.length() <= ErrorResponse.MAX_REASON_LENGTH ? reason
                : reason.substring(0, ErrorResponse.MAX_REASON_LENGTH);
    }

    /** D10: a payload over the limit is answered 413 (with a request ID) or dropped (D11), never routed. */
    private void tooLarge(Topic topic, InboundMessage m) {
        countError(413);
        String why = "Request payload of " + m.payload().length + " bytes is over the limit of " + maxPayloadBytes
                + " bytes (maxPayloadBytes, D10)";
        Topic errorTopic;
        try {
            errorTopic = topic.hasRequestId() ? topic.errorTopic() : null;
        } catch (InvalidTopicException tooLong) {
            errorTopic = null; // no valid reply topic (D4)
        }
        if (errorTopic == null) {
            LOG.debug("Dropped request {}: {}", topic, why);
            return;
        }
        LOG.debug("Answering 413 to {}: {}", topic, why);
        publishOwn(errorTopic.name(), ErrorResponse.of(413, why).toJson(), m.qos());
    }

    private void reject(Topic topic, MqttQos qos, byte[] payload, String why) {
        rejectedForLoad.increment();
        if (!topic.hasRequestId()) {
            LOG.debug("Dropped fire-and-forget request {}: {}", topic, why);
            return;
        }
        LOG.debug("Answering 503 to {}: {}", topic, why);
        countError(503);
        Topic errorTopic;
        try {
            errorTopic = topic.errorTopic();
        } catch (InvalidTopicException tooLong) {
            return; // no valid reply topic (D4); nothing to publish
        }
        publishOwn(errorTopic.name(), payload, qos);
    }

    private boolean acquire() {
        while (true) {
            int n = inFlight.get();
            if (n >= maxInFlight) {
                return false;
            }
            if (inFlight.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    private void release() {
        if (inFlight.decrementAndGet() == 0 && !accepting) {
            CompletableFuture<Void> d = drained;
            if (d != null) {
                d.complete(null);
            }
        }
    }

    private void dispatch(Request request) {
        routed.increment();
        CompletionStage<Outcome> stage;
        try {
            stage = router.route(request);
        } catch (Throwable t) {
            rethrowIfFatal(t);
            // Router.route never throws for wire input; this would be a bug, so say so loudly.
            LOG.error("Router threw for {}; no reply", request, t);
            release();
            return;
        }
        stage.whenComplete((out, failure) -> {
            try {
                if (failure != null) {
                    LOG.error("Router's stage failed for {}; no reply", request, failure);
                    release();
                } else {
                    answer(out);
                }
            } catch (Throwable t) {
                rethrowIfFatal(t);
                LOG.error("Could not answer {}", request, t);
                release();
            }
        });
    }

    private void answer(Outcome out) {
        if (!out.isSuccess()) {
            countError(out.reply().statusCode());
        }
        Optional<Topic> replyTopic = out.replyTopic();
        if (replyTopic.isEmpty()) {
            release(); // K6 or D11: nothing to publish
            return;
        }
        publish(replyTopic.get().name(), out.payload(), MqttQos.of(out.qos()), this::release);
    }

    /** Publishes one of the server's own replies (400, 503) within their bound, or drops it. */
    private void publishOwn(String topic, byte[] payload, MqttQos qos) {
        if (ownRepliesInFlight.incrementAndGet() > maxInFlight) {
            ownRepliesInFlight.decrementAndGet();
            replyFailures.increment();
            LOG.debug("Dropped the error reply on {}: {} of the server's own replies in flight", Topics.redact(topic),
                    maxInFlight);
            return;
        }
        publish(topic, payload, qos, ownRepliesInFlight::decrementAndGet);
    }

    private void publish(String topic, byte[] payload, MqttQos qos, Runnable then) {
        CompletableFuture<Void> f;
        try {
            f = transport.publish(topic, payload, qos);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((v, e) -> {
            if (e == null) {
                replied.increment();
            } else {
                replyFailures.increment();
                LOG.debug("Could not publish the reply on {}: {}", Topics.redact(topic), unwrap(e).toString());
            }
            then.run();
        });
    }

    private void countError(int status) {
        if (status >= 0 && status <= MAX_STATUS) {
            errorsByStatus.incrementAndGet(status);
        }
    }

    // ---- connection events ----

    private void onConnected(boolean reconnect, SessionPresence session) {
        notifyListener(l -> l.onConnected(reconnect, session), "onConnected");
        if (!reconnect || session == SessionPresence.PRESENT) {
            return;
        }
        synchronized (lock) {
            if (state != State.RUNNING) {
                return;
            }
        }
        LOG.info("Kp1MqttServer reconnected without its session ({}): subscribing again to {}", session, filters);
        resubscriptions.increment();
        List<CompletableFuture<MqttQos>> subs = new ArrayList<>(filters.size());
        for (String f : filters) {
            CompletableFuture<MqttQos> s = subscribe(f);
            subs.add(s);
            s.whenComplete((q, e) -> {
                if (e != null) {
                    Throwable cause = unwrap(e);
                    LOG.error("Kp1MqttServer could not subscribe again to {}: it receives nothing there until the "
                            + "next reconnection", Topics.redact(f), cause);
                    notifyListener(l -> l.onResubscribeFailed(f, cause), "onResubscribeFailed");
                }
            });
        }
        CompletableFuture.allOf(subs.toArray(new CompletableFuture<?>[0])).thenRun(() ->
                notifyListener(ConnectionListener::onResubscribed, "onResubscribed"));
    }

    private void onConnectionLost(Throwable cause) {
        LOG.warn("Kp1MqttServer lost its connection: {}", cause.toString());
        notifyListener(l -> l.onConnectionLost(cause), "onConnectionLost");
    }

    private void notifyListener(Consumer<ConnectionListener> call, String what) {
        ConnectionListener l = connectionListener;
        if (l == null) {
            return;
        }
        try {
            call.accept(l);
        } catch (Throwable t) {
            rethrowIfFatal(t);
            LOG.warn("Kp1MqttServer.ConnectionListener threw in {}", what, t);
        }
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
            throw (VirtualMachineError) t;
        }
    }

    /** The server's listener on the transport: every call returns normally. */
    private final class TransportListener implements MqttTransport.Listener {
        @Override
        public void onMessage(InboundMessage message) {
            try {
                Kp1MqttServer.this.onMessage(message);
            } catch (Throwable t) {
                rethrowIfFatal(t);
                LOG.error("Kp1MqttServer dropped {} after an unexpected failure", message, t);
            }
        }

        @Override
        public void onConnectionLost(Throwable cause) {
            try {
                Kp1MqttServer.this.onConnectionLost(cause);
            } catch (Throwable t) {
                rethrowIfFatal(t);
                LOG.error("Kp1MqttServer failed on a connection loss", t);
            }
        }

        @Override
        public void onConnected(boolean reconnect, SessionPresence session) {
            try {
                Kp1MqttServer.this.onConnected(reconnect, session);
            } catch (Throwable t) {
                rethrowIfFatal(t);
                LOG.error("Kp1MqttServer failed on a connection", t);
            }
        }
    }

    /**
     * Builds a {@link Kp1MqttServer}; not thread-safe. Each setter checks its argument at once.
     *
     * <pre>{@code
     * Kp1MqttServer server = Kp1MqttServer.builder(transport, router)
     *         .subscription(Kp1MqttServer.ALL_REQUESTS)     // kp1/#: answer 404 for unknown extensions too
     *         .sharedGroup("kpc")                           // $share/kpc/kp1/#
     *         .parser(TopicParser.builder().endpointUnaware("registry").acceptRequestIdZero(true).build())
     *         .executor(handlerPool)                        // handlers block: route off the transport thread
     *         .maxInFlight(5_000)
     *         .stopTimeout(Duration.ofSeconds(30))
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private final MqttTransport transport;
        private final Router router;
        private final Set<String> filters = new LinkedHashSet<>();
        private String sharedGroup;
        private MqttQos subscriptionQos = MqttQos.EXACTLY_ONCE;
        private TopicParser parser = TopicParser.defaults();
        private Executor executor;
        private int maxInFlight = 1024;
        private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
        private Duration stopTimeout = Duration.ofSeconds(10);
        private ConnectionListener connectionListener;

        private Builder(MqttTransport transport, Router router) {
            this.transport = Objects.requireNonNull(transport, "transport must not be null");
            this.router = Objects.requireNonNull(router, "router must not be null");
        }

        /**
         * Subscribes to {@code filter} instead of the default {@code kp1/+/<ext>/#} per extension
         * instance of the router; call again to add more filters. {@link Kp1MqttServer#ALL_REQUESTS}
         * makes the server answer every 1/KP request, 404 for extension instances it has no route for.
         *
         * @param filter an MQTT topic filter under {@code kp1/} (K2), without {@code $share/}
         * @throws IllegalArgumentException if it is not under {@code kp1/}, is already shared, or
         *     has a misplaced wildcard
         */
        public Builder subscription(String filter) {
            Objects.requireNonNull(filter, "filter must not be null");
            filters.add(ServerTopics.checkFilter(filter));
            return this;
        }

        /**
         * Makes every subscription an MQTT 5 shared subscription of this group,
         * {@code $share/<group>/<filter>}: replicas of a service in the same group split the
         * requests, each request reaching one of them. Mosquitto 2 and HiveMQ accept it from MQTT
         * 3.1.1 clients too.
         *
         * @throws IllegalArgumentException if the name is empty or contains {@code /}, {@code +} or {@code #}
         */
        public Builder sharedGroup(String group) {
            Objects.requireNonNull(group, "group must not be null");
            this.sharedGroup = ServerTopics.checkShareGroup(group);
            return this;
        }

        /**
         * The maximum QoS to subscribe with; QoS 2 by default, so that every request arrives, and is
         * answered (K8), with the QoS it was sent with. A lower one caps the QoS of requests and replies.
         */
        public Builder subscriptionQos(MqttQos qos) {
            this.subscriptionQos = Objects.requireNonNull(qos, "qos must not be null");
            return this;
        }

        /**
         * The parser for request topics: declare endpoint-unaware extension instances (D7) or accept
         * request ID 0 (D1b). {@link TopicParser#defaults()} by default.
         */
        public Builder parser(TopicParser parser) {
            this.parser = Objects.requireNonNull(parser, "parser must not be null");
            return this;
        }

        /**
         * Routes requests (and so runs handlers) on {@code executor} instead of the transport's
         * callback thread: for handlers that block. A request the executor refuses is answered 503.
         * The host owns the executor and shuts it down after {@link Kp1MqttServer#stop()}.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor must not be null");
            return this;
        }

        /**
         * The most requests in flight at once (arrived, reply not yet published); 1024 by default.
         * Past it, requests with an ID are answered 503 and those without are dropped. The same
         * number bounds the server's own 400 and 503 replies in flight.
         *
         * @throws IllegalArgumentException if {@code max} is below 1
         */
        public Builder maxInFlight(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxInFlight must be at least 1, got " + max);
            }
            this.maxInFlight = max;
            return this;
        }

        /**
         * The largest request payload routed, in bytes; {@value Kp1MqttServer#DEFAULT_MAX_PAYLOAD_BYTES}
         * (1 MiB) by default, as the HTTP binding's body limit. A request with a larger payload is never
         * routed: with a request ID it is answered 413 on its {@code /error} topic, whose K7 reason names
         * the size and the limit (D10); without one it is dropped (D11). Both count under
         * {@code errors(413)}. The broker's own maximum packet size applies before this one.
         *
         * <pre>{@code
         * Kp1MqttServer.builder(transport, router).maxPayloadBytes(64 * 1024).build();
         * }</pre>
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxPayloadBytes(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxPayloadBytes must not be negative, got " + max);
            }
            this.maxPayloadBytes = max;
            return this;
        }

        /**
         * How long {@link Kp1MqttServer#stop()} waits, in all, for UNSUBACKs and replies in flight;
         * 10 seconds by default.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder stopTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout must not be null");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("stopTimeout must not be negative, got " + timeout);
            }
            this.stopTimeout = timeout;
            return this;
        }

        /** Hears connection events (see {@link ConnectionListener}); none by default. */
        public Builder connectionListener(ConnectionListener listener) {
            this.connectionListener = Objects.requireNonNull(listener, "listener must not be null");
            return this;
        }

        /**
         * Builds the server (not started).
         *
         * @throws IllegalStateException if no filter was given and the router has no routes
         */
        public Kp1MqttServer build() {
            return new Kp1MqttServer(this);
        }
    }
}
