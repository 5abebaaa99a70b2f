package io.kp1.correlation;

import io.kp1.Reply;
import io.kp1.ResourcePath;
import io.kp1.Topic;
import io.kp1.correlation.internal.EndedRing;
import io.kp1.correlation.internal.IdTable;
import io.kp1.server.internal.RedactedThrowable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The client side's table of pending 1/KP requests over MQTT: it allocates request IDs,
 * matches replies to requests, keeps observations open, expires deadlines and handles
 * connection loss. The MQTT binding drives it; it does no I/O, starts no thread and reads no
 * clock: time is an argument ({@code nowNanos}, a {@link System#nanoTime()}-style value).
 *
 * <pre>{@code
 * Correlator correlator = Correlator.builder().maxPending(100_000).maxPendingPerEndpoint(1_000).build();
 * ResourcePath json = ResourcePath.of("demo_v1", "dcx", "JTjdbENzHh", "/json");   // share it
 * transport.subscribe(Correlator.replyFilters(json));          // before the first publish
 *
 * PendingRequest req = correlator.register(json, TimeUnit.SECONDS.toNanos(10), System.nanoTime());
 * transport.publish(req.topic().name(), samples);               // kp1/demo_v1/dcx/JTjdbENzHh/json/1
 *
 * // transport thread, for each message on a reply topic:
 * ParseResult p = parser.tryParseReply(name);
 * if (p.isValid()) { correlator.onReply(p.topic(), payload); }
 *
 * // the binding's one scheduler:
 * correlator.expire(System.nanoTime());
 * correlator.nextDeadline().ifPresent(d -> schedule(d - System.nanoTime()));
 *
 * // on connection loss:
 * List<PendingRequest> resend = correlator.connectionLost(ConnectionLossPolicy.KEEP_REQUESTS);
 * }</pre>
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li><b>IDs (K4).</b> IDs run 1..2147483647 from a counter (start: {@link Builder#firstRequestId}),
 *       wrap around, and skip every ID still pending or observed. An ID is unique among all the
 *       correlator's pending requests, so it is unique within every (application version,
 *       extension instance, endpoint token) scope, which is what K4 asks. (The counter also skips
 *       the few free IDs whose slot in the internal table a pending ID holds.)</li>
 *   <li><b>Exact matching (D12).</b> A reply completes a request only if its request topic is
 *       the request's topic: same resource path text and same ID. A reply for another endpoint
 *       or resource with the same number completes nothing.</li>
 *   <li><b>Observations (K11, D13).</b> An observation receives every {@code /status} on its
 *       topic until it is cancelled, an {@code /error} arrives, or the connection is lost.
 *       Pushes without a request ID go to listeners registered per resource path
 *       ({@link #addPushListener}).</li>
 *   <li><b>Every request ends exactly once (D14)</b>: by a reply, a timeout ({@link #expire}),
 *       a cancellation of its future, or a connection loss ({@link #connectionLost}). Its memory
 *       is released on each of these paths.</li>
 *   <li><b>Late, duplicate and unknown replies (D15)</b> are counted ({@link #stats()}), logged at
 *       debug with the token redacted (D16), and dropped. A bounded memory of the last ended
 *       requests ({@link Builder#recentlyEndedCapacity}) tells late and duplicate from unknown.</li>
 *   <li><b>Bounded.</b> Past {@link Builder#maxPending} requests in all, or
 *       {@link Builder#maxPendingPerEndpoint} in one endpoint scope, registration throws a
 *       {@link CorrelationException} ({@code LIMIT_REACHED}).</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Safe for use by caller threads (register, cancel) and a transport thread (replies) and a
 * scheduler (expire) at once. One internal lock guards the table; futures are completed and
 * listeners called after it is released, so their callbacks may call the correlator again.
 * Listeners run on the thread that delivered the reply and must not block.
 *
 * <h2>Cost</h2>
 * Under 80 bytes per pending request at a million pending, future included: the future is the
 * table entry ({@link PendingRequest}, 56 bytes), plus its slot in the ID table. The request's
 * {@link ResourcePath} is shared, not copied: pass the same instance for the same resource.
 * Register, reply and expire are O(1) with no probing. Allocation is O(1) amortized: once per
 * table-size worth of IDs, the counter may have to skip, under the lock, the slots of a long run
 * of old pending requests (a million idle ones: about a millisecond).
 */
public final class Correlator {
    private static final Logger LOG = LoggerFactory.getLogger(Correlator.class);

    /** The largest request ID (K14: a 32-bit signed integer). */
    public static final int MAX_REQUEST_ID = Integer.MAX_VALUE;

    // Codes of the ended-request memory.
    private static final byte ENDED_BY_REPLY = 1;
    private static final byte ENDED_OTHERWISE = 2;

    /** The requests of one resource path (shared by its requests, kept while any is pending). */
    static final class PathState {
        final Correlator owner;
        final ResourcePath path;
        final ScopeState scope;
        int count;

        PathState(Correlator owner, ResourcePath path, ScopeState scope) {
            this.owner = owner;
            this.path = path;
            this.scope = scope;
        }
    }

    /** The requests of one K4 scope: application version, extension instance, endpoint token. */
    static final class ScopeState {
        final ResourcePath representative;
        final int hash;
        int count;

        ScopeState(ResourcePath representative) {
            this.representative = representative;
            this.hash = representative.scopeHash();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ScopeState && ((ScopeState) o).representative.sameScope(representative);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final Object lock = new Object();
    private final int maxPending;
    private final int maxPendingPerScope;
    private final int maxRequestId;

    // Everything below is guarded by lock.
    private final IdTable<PendingRequest> table;
    private final Deadlines deadlines = new Deadlines();
    private final EndedRing ended;
    private final Map<ResourcePath, PathState> paths = new HashMap<>();
    private final Map<ScopeState, ScopeState> scopes = new HashMap<>();
    private final Map<String, Consumer<? super Reply>[]> pushListeners = new HashMap<>();
    private int busyPaths;
    private int nextId;
    private int observations;
    private long registered;
    private long replied;
    private long timedOut;
    private long cancelled;
    private long lost;
    private long kept;
    private long observed;
    private long pushed;
    private long late;
    private long duplicate;
    private long unknown;
    private long rejected;

    private Correlator(Builder b) {
        this.maxPending = b.maxPending;
        this.maxPendingPerScope = b.maxPendingPerEndpoint;
        this.maxRequestId = b.maxRequestId;
        this.nextId = b.firstRequestId;
        this.table = new IdTable<>(b.initialCapacity);
        this.ended = new EndedRing(b.recentlyEndedCapacity);
    }

    /** A builder with the defaults: 100,000 pending, 10,000 per endpoint, 1,024 ended remembered, IDs from 1. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The MQTT topic filters that cover the replies to every request on {@code path}:
     * {@code <path>/+/status} and {@code <path>/+/error} (K5). Subscribe once per resource,
     * before the first request is published, and reuse the subscription.
     */
    public static List<String> replyFilters(ResourcePath path) {
        String p = path.asString();
        return List.of(p + "/+" + Topic.STATUS_SUFFIX, p + "/+" + Topic.ERROR_SUFFIX);
    }

    /**
     * The MQTT topics of pushes without a request ID on {@code path} (K11):
     * {@code <path>/status} and {@code <path>/error}.
     */
    public static List<String> pushTopics(ResourcePath path) {
        String p = path.asString();
        return List.of(p + Topic.STATUS_SUFFIX, p + Topic.ERROR_SUFFIX);
    }

    // ---------------------------------------------------------------- registration

    /**
     * Registers a request that expects one reply (K4, K5).
     *
     * @param path         the resource path; pass the same instance for the same resource
     * @param timeoutNanos how long to wait for the reply, more than 0
     * @param nowNanos     the current time, from the same clock as later {@link #expire} calls
     * @return the pending request: its {@link PendingRequest#topic()} to publish, and its future
     * @throws CorrelationException ({@code LIMIT_REACHED}) past a configured limit
     */
    public PendingRequest register(ResourcePath path, long timeoutNanos, long nowNanos) {
        return register(path, timeoutNanos, nowNanos, null);
    }

    /**
     * Registers a request that expects one reply, with an attachment the caller gets back from
     * {@link PendingRequest#attachment()} (for example what to publish again after a reconnect).
     *
     * @see #register(ResourcePath, long, long)
     */
    public PendingRequest register(ResourcePath path, long timeoutNanos, long nowNanos, Object attachment) {
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("timeoutNanos must be > 0: " + timeoutNanos);
        }
        return add(path, timeoutNanos, nowNanos, attachment, null);
    }

    /**
     * Registers an observation (K11): every {@code /status} reply on its topic goes to
     * {@code listener}, and it stays pending until it is cancelled, an {@code /error} arrives
     * (also given to the listener) or the connection is lost (D13).
     *
     * @param timeoutNanos how long to wait for the first reply, or 0 for no deadline at all
     * @param listener     called with each reply, on the thread that delivers it, outside any lock;
     *                     a reply that races with a cancellation may still reach it
     * @throws CorrelationException ({@code LIMIT_REACHED}) past a configured limit
     */
    public PendingRequest observe(ResourcePath path, long timeoutNanos, long nowNanos,
                                  Consumer<? super Reply> listener) {
        return observe(path, timeoutNanos, nowNanos, null, listener);
    }

    /**
     * Registers an observation with an attachment.
     *
     * @see #observe(ResourcePath, long, long, Consumer)
     */
    public PendingRequest observe(ResourcePath path, long timeoutNanos, long nowNanos, Object attachment,
                                  Consumer<? super Reply> listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        if (timeoutNanos < 0) {
            throw new IllegalArgumentException("timeoutNanos must be >= 0 (0: no deadline): " + timeoutNanos);
        }
        return add(path, timeoutNanos, nowNanos, attachment, listener);
    }

    private PendingRequest add(ResourcePath path, long timeoutNanos, long nowNanos, Object attachment,
                               Consumer<? super Reply> listener) {
        Objects.requireNonNull(path, "path must not be null");
        synchronized (lock) {
            if (table.size() >= maxPending) {
                rejected++;
                throw CorrelationException.limitReached(path, table.size()
                        + " requests pending, the limit (maxPending)");
            }
            PathState ps = pathState(path);
            if (ps.scope.count >= maxPendingPerScope) {
                rejected++;
                throw CorrelationException.limitReached(path, ps.scope.count
                        + " requests pending for this endpoint scope, the limit (maxPendingPerEndpoint, K4)");
            }
            int id = allocateId();
            PendingRequest r = new PendingRequest(ps, id, listener, attachment);
            if (!table.putIfAbsent(id, r)) {
                throw new IllegalStateException("request ID " + id + " allocated twice (K4)"); // a bug, never input
            }
            if (ps.count++ == 0) {
                busyPaths++;
            }
            ps.scope.count++;
            if (listener != null) {
                observations++;
            }
            registered++;
            if (timeoutNanos > 0) {
                deadlines.add(r, timeoutNanos, nowNanos);
            }
            return r;
        }
    }

    /**
     * The next ID, in counter order, whose table slot is free (K4). A free slot means the ID is
     * not in use; IDs in use are skipped, and so are the few free ones whose slot a pending ID
     * holds, so every request sits in its own slot: no probing, and consecutive IDs in
     * consecutive slots. The table is never full, so this ends: usually at once, and after the
     * counter wraps onto a long run of old pending requests, after skipping that run once.
     */
    private int allocateId() {
        table.ensureRoomForOne();
        int id;
        do {
            id = nextId;
            nextId = id >= maxRequestId ? 1 : id + 1;
        } while (!table.isHomeFree(id));
        return id;
    }

    private PathState pathState(ResourcePath path) {
        PathState ps = paths.get(path);
        if (ps != null) {
            return ps;
        }
        // Fail now, not at publish time, if the longest topic for this path is too long (D4).
        Topic.request(path, maxRequestId);
        if (paths.size() >= 2 * busyPaths + 64) {
            purgeIdlePaths();
        }
        ScopeState probe = new ScopeState(path);
        ScopeState scope = scopes.get(probe);
        if (scope == null) {
            scope = probe;
            scopes.put(scope, scope);
        }
        ps = new PathState(this, path, scope);
        paths.put(path, ps);
        return ps;
    }

    /** Idle paths and scopes stay as a cache until they outnumber the busy ones; then they go. */
    private void purgeIdlePaths() {
        for (Iterator<PathState> it = paths.values().iterator(); it.hasNext(); ) {
            if (it.next().count == 0) {
                it.remove();
            }
        }
        scopes.values().removeIf(s -> s.count == 0);
    }

    // ---------------------------------------------------------------- replies

    /**
     * Delivers an incoming reply: a {@link Topic} of kind {@code STATUS} or {@code ERROR} (from
     * {@link io.kp1.TopicParser#parseReply} or {@code tryParseReply}) and its payload. Never
     * throws for wire input: a reply that matches nothing is counted and dropped (D15), and a
     * listener that throws is logged.
     *
     * <ul>
     *   <li>With a request ID: completes the request whose topic is exactly the reply's request
     *       topic (D12) with {@link Reply#received}, or gives it to the observation (K11) and
     *       ends the observation on {@code /error} (D13).</li>
     *   <li>Without one: a push, given to the listeners of its resource path (K11).</li>
     * </ul>
     *
     * @throws IllegalArgumentException if {@code topic} is a request topic (a binding bug)
     */
    public ReplyOutcome onReply(Topic topic, byte[] payload) {
        Objects.requireNonNull(topic, "topic must not be null");
        Objects.requireNonNull(payload, "payload must not be null");
        if (!topic.isReply()) {
            throw new IllegalArgumentException("Not a reply topic (K5): " + topic);
        }
        if (!topic.hasRequestId()) {
            return push(topic, payload);
        }
        int id = topic.requestId();
        ResourcePath replyPath = topic.path();
        PendingRequest r;
        ReplyOutcome outcome;
        synchronized (lock) {
            r = table.get(id);
            // textEquals: the reply's path is a view over its topic name; comparing regions cuts no substring.
            if (r != null && r.pathState.path.textEquals(replyPath)) {
                if (r.listener == null) {
                    end(r, ENDED_BY_REPLY);
                    replied++;
                    outcome = ReplyOutcome.COMPLETED;
                } else if (topic.kind() == Topic.Kind.ERROR) {
                    end(r, ENDED_BY_REPLY);
                    replied++;
                    outcome = ReplyOutcome.OBSERVATION_ENDED;
                } else {
                    if (r.queue != null) {
                        deadlines.remove(r); // the first reply came: an observation has no deadline after it
                    }
                    observed++;
                    outcome = ReplyOutcome.OBSERVED;
                }
            } else {
                r = null;
                int code = ended.find(id, replyPath.asString());
                if (code == ENDED_BY_REPLY) {
                    duplicate++;
                    outcome = ReplyOutcome.DUPLICATE;
                } else if (code == ENDED_OTHERWISE) {
                    late++;
                    outcome = ReplyOutcome.LATE;
                } else {
                    unknown++;
                    outcome = ReplyOutcome.UNKNOWN;
                }
            }
        }
        switch (outcome) {
            case COMPLETED:
                r.finish(Reply.received(topic, payload));
                break;
            case OBSERVED:
                notify(r.listener, Reply.received(topic, payload), topic);
                break;
            case OBSERVATION_ENDED:
                Reply reply = Reply.received(topic, payload);
                notify(r.listener, reply, topic);
                r.finish(reply);
                break;
            default:
                LOG.debug("Dropped {} reply on {} (D15)", outcome, topic);
        }
        return outcome;
    }

    private ReplyOutcome push(Topic topic, byte[] payload) {
        Consumer<? super Reply>[] listeners;
        synchronized (lock) {
            listeners = pushListeners.get(topic.path().asString());
            if (listeners == null) {
                unknown++;
            } else {
                pushed++;
            }
        }
        if (listeners == null) {
            LOG.debug("Dropped push without listener on {} (D15)", topic);
            return ReplyOutcome.UNKNOWN;
        }
        Reply reply = Reply.received(topic, payload);
        for (Consumer<? super Reply> l : listeners) {
            notify(l, reply, topic);
        }
        return ReplyOutcome.PUSHED;
    }

    private static void notify(Consumer<? super Reply> listener, Reply reply, Topic topic) {
        try {
            listener.accept(reply);
        } catch (RuntimeException e) {
            // The listener is the caller's code: its message may quote the token (D16).
            LOG.warn("Listener for {} threw; the reply is dropped", topic,
                    RedactedThrowable.of(e, topic.path().hasEndpointToken() ? topic.path().endpointToken() : null));
        }
    }

    /**
     * Adds a listener for pushes without request ID on exactly {@code path} (K11), such as
     * {@code kp1/app/cex/tok/command/reboot/status} for {@code kp1/app/cex/tok/command/reboot}.
     * Both {@code /status} and {@code /error} pushes are delivered; the listener stays until
     * closed, across connection losses. Subscribe to {@link #pushTopics(ResourcePath)}.
     *
     * @return a handle whose {@code close()} removes the listener
     */
    @SuppressWarnings("unchecked")
    public Subscription addPushListener(ResourcePath path, Consumer<? super Reply> listener) {
        Objects.requireNonNull(path, "path must not be null");
        Objects.requireNonNull(listener, "listener must not be null");
        String key = path.asString();
        synchronized (lock) {
            Consumer<? super Reply>[] old = pushListeners.get(key);
            Consumer<? super Reply>[] now = old == null ? new Consumer[] {listener} : Arrays.copyOf(old, old.length + 1);
            now[now.length - 1] = listener;
            pushListeners.put(key, now);
        }
        return () -> removePushListener(key, listener);
    }

    @SuppressWarnings("unchecked")
    private void removePushListener(String key, Consumer<? super Reply> listener) {
        synchronized (lock) {
            Consumer<? super Reply>[] old = pushListeners.get(key);
            if (old == null) {
                return;
            }
            for (int i = 0; i < old.length; i++) {
                if (old[i] == listener) {
                    if (old.length == 1) {
                        pushListeners.remove(key);
                    } else {
                        Consumer<? super Reply>[] now = new Consumer[old.length - 1];
                        System.arraycopy(old, 0, now, 0, i);
                        System.arraycopy(old, i + 1, now, i, old.length - i - 1);
                        pushListeners.put(key, now);
                    }
                    return;
                }
            }
        }
    }

    // ---------------------------------------------------------------- deadlines

    /**
     * The earliest deadline of a pending request ({@code now + timeout} at registration), or
     * empty when none has a deadline. The binding schedules its next {@link #expire} call for it.
     */
    public OptionalLong nextDeadline() {
        synchronized (lock) {
            PendingRequest first = deadlines.first();
            return first == null ? OptionalLong.empty() : OptionalLong.of(first.deadline);
        }
    }

    /**
     * Fails every request whose deadline is at or before {@code nowNanos} with a
     * {@link CorrelationException} ({@code TIMEOUT}) that names its topic (D14, D16).
     *
     * @return how many requests timed out
     */
    public int expire(long nowNanos) {
        PendingRequest head = null;
        PendingRequest tail = null;
        int n = 0;
        synchronized (lock) {
            PendingRequest r;
            while ((r = deadlines.firstExpired(nowNanos)) != null) {
                long timeout = r.queue.timeout;
                end(r, ENDED_OTHERWISE);
                timedOut++;
                // Chain the ended requests through their now unused link fields (no allocation);
                // the deadline field carries the timeout to the message.
                r.deadline = timeout;
                if (tail == null) {
                    head = r;
                } else {
                    tail.next = r;
                }
                tail = r;
                n++;
            }
        }
        while (head != null) {
            PendingRequest r = head;
            head = r.next;
            r.next = null;
            r.fail(CorrelationException.timeout(r, r.deadline));
        }
        return n;
    }

    // ---------------------------------------------------------------- enumeration

    /**
     * The requests and observations pending now, in no particular order: a copy, so the caller
     * may end them while it walks the list. A binding that must end everything on close finds
     * them here instead of keeping a second set of its own on every request's path.
     *
     * <pre>{@code
     * for (PendingRequest r : correlator.pendingRequests()) {
     *     r.completeExceptionally(new IllegalStateException("closed"));   // leaves the correlator (D14)
     * }
     * }</pre>
     */
    public List<PendingRequest> pendingRequests() {
        synchronized (lock) {
            List<PendingRequest> all = new ArrayList<>(table.size());
            table.forEach(all::add);
            return all;
        }
    }

    // ---------------------------------------------------------------- connection loss

    /**
     * Handles the loss of the connection (D13, D14): each pending request and observation
     * either fails with a {@link CorrelationException} ({@code CONNECTION_LOST}) or is kept, as
     * {@code policy} says, oldest first. Kept requests keep their ID and deadline.
     *
     * @return the kept requests, oldest first: publish each {@link PendingRequest#topic()} again
     *         after reconnecting
     */
    public List<PendingRequest> connectionLost(ConnectionLossPolicy policy) {
        Objects.requireNonNull(policy, "policy must not be null");
        List<PendingRequest> keep = new ArrayList<>();
        List<PendingRequest> fail = new ArrayList<>();
        synchronized (lock) {
            table.forEach(r -> {
                boolean k = r.listener == null ? policy.keepsRequests() : policy.keepsObservations();
                (k ? keep : fail).add(r);
            });
            // Oldest first, in both lists: the age of an ID is its distance behind the counter.
            int next = nextId;
            int space = maxRequestId;
            Comparator<PendingRequest> oldestFirst = (a, b) -> Integer.compare(age(b.id, next, space), age(a.id, next, space));
            keep.sort(oldestFirst);
            fail.sort(oldestFirst);
            for (PendingRequest r : fail) {
                end(r, ENDED_OTHERWISE);
                lost++;
            }
            kept += keep.size();
        }
        for (PendingRequest r : fail) {
            r.fail(CorrelationException.connectionLost(r));
        }
        return Collections.unmodifiableList(keep);
    }

    private static int age(int id, int next, int space) {
        int a = next - id;
        return a > 0 ? a : a + space;
    }

    // ---------------------------------------------------------------- ending

    /** Cancellation or completion by the caller: ends the request if it is still pending. */
    void endByCaller(PendingRequest r) {
        synchronized (lock) {
            if (table.get(r.id) == r) {
                end(r, ENDED_OTHERWISE);
                cancelled++;
            }
        }
    }

    /** Whether {@code r} is still in the table (no field for it: the table is the truth, and 8 bytes less). */
    boolean isLive(PendingRequest r) {
        synchronized (lock) {
            return table.get(r.id) == r;
        }
    }

    /** Removes {@code r} from every structure; the one place a request ends (D14). Under lock. */
    private void end(PendingRequest r, byte how) {
        table.remove(r.id);
        if (r.queue != null) {
            deadlines.remove(r);
        }
        PathState ps = r.pathState;
        if (--ps.count == 0) {
            busyPaths--;
        }
        ps.scope.count--;
        if (r.listener != null) {
            observations--;
        }
        ended.add(r.id, ps.path.asString(), how);
    }

    // ---------------------------------------------------------------- counters

    /** The number of pending requests, observations included. */
    public int pending() {
        synchronized (lock) {
            return table.size();
        }
    }

    /** A consistent snapshot of the counters. */
    public Stats stats() {
        synchronized (lock) {
            return new Stats(table.size(), observations, registered, replied, timedOut, cancelled, lost, kept,
                    observed, pushed, late, duplicate, unknown, rejected);
        }
    }

    /**
     * Counters of a {@link Correlator}, taken at one instant. Every registered request is either
     * pending or ended once: {@code registered == pending + replied + timedOut + cancelled + connectionLost}.
     *
     * <pre>{@code
     * Correlator.Stats s = correlator.stats();
     * metrics.gauge("kp1.pending", s.pending());
     * metrics.counter("kp1.replies.dropped", s.late() + s.duplicate() + s.unknown());
     * }</pre>
     *
     * @param pending             requests and observations pending now
     * @param pendingObservations of which observations
     * @param registered          requests and observations registered so far
     * @param replied             ended by a reply (a request's reply, or an observation's {@code /error})
     * @param timedOut            ended by their deadline
     * @param cancelled           ended by their caller (cancel, or completing the future); a cancel that
     *                            races with a timeout or loss already under way is not counted here,
     *                            though it may still be what the future shows
     * @param connectionLost      ended by a connection loss
     * @param keptOnConnectionLoss times a request was kept on a connection loss
     * @param observationReplies  {@code /status} replies given to open observations
     * @param pushes              pushes given to resource listeners
     * @param late                replies dropped because their request ended without a reply
     * @param duplicate           replies dropped because their request already had its reply
     * @param unknown             replies and pushes dropped because they match nothing known
     * @param rejected            registrations refused by a limit
     */
    public record Stats(int pending, int pendingObservations, long registered, long replied, long timedOut,
                        long cancelled, long connectionLost, long keptOnConnectionLoss, long observationReplies,
                        long pushes, long late, long duplicate, long unknown, long rejected) {
        /** The number of requests that have ended, whichever way. */
        public long ended() {
            return replied + timedOut + cancelled + connectionLost;
        }
    }

    /**
     * A registered listener; {@link #close()} removes it. Closing twice does nothing.
     *
     * <pre>{@code
     * try (Correlator.Subscription s = correlator.addPushListener(reboot, commands::offer)) { ... }
     * }</pre>
     */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        /** Removes the listener. */
        @Override
        void close();
    }

    // ---------------------------------------------------------------- test support

    /** Checks every internal structure against the others (for tests). */
    void checkInvariants() {
        synchronized (lock) {
            table.checkInvariants();
            deadlines.checkInvariants();
            int[] perPath = {0};
            Map<ScopeState, Integer> perScope = new HashMap<>();
            int[] obs = {0};
            int[] withDeadline = {0};
            table.forEach(r -> {
                check(paths.get(r.path()) == r.pathState, "a request's path state is not in the path map");
                perPath[0]++;
                perScope.merge(r.pathState.scope, 1, Integer::sum);
                if (r.listener != null) {
                    obs[0]++;
                }
                if (r.queue != null) {
                    withDeadline[0]++;
                }
            });
            int busy = 0;
            int sum = 0;
            for (PathState ps : paths.values()) {
                check(scopes.get(ps.scope) == ps.scope, "a path's scope is not in the scope map");
                sum += ps.count;
                if (ps.count > 0) {
                    busy++;
                }
            }
            check(sum == table.size(), "path counts add up to " + sum + ", table has " + table.size());
            check(busy == busyPaths, "busy paths " + busyPaths + " but " + busy + " counted");
            for (ScopeState s : scopes.values()) {
                check(s.count == perScope.getOrDefault(s, 0), "scope count wrong");
                check(s.count <= maxPendingPerScope, "scope over its limit");
            }
            check(obs[0] == observations, "observation count wrong");
            check(withDeadline[0] == deadlines.size(), "deadline count wrong");
            check(registered == table.size() + replied + timedOut + cancelled + lost, "counters do not add up");
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("Correlator: " + what);
        }
    }

    /** The number of deadline queues kept (for tests). */
    int deadlineQueueCount() {
        synchronized (lock) {
            return deadlines.queueCount();
        }
    }

    /** The number of path states kept, busy or idle (for tests). */
    int pathStateCount() {
        synchronized (lock) {
            return paths.size();
        }
    }

    /**
     * Builds a {@link Correlator}; not thread-safe.
     *
     * <pre>{@code
     * Correlator c = Correlator.builder()
     *         .maxPending(100_000)            // in all
     *         .maxPendingPerEndpoint(1_000)   // per K4 scope (app version, extension, token)
     *         .recentlyEndedCapacity(4_096)   // how many ended requests late replies are checked against
     *         .firstRequestId(1 + new SecureRandom().nextInt(1_000_000))
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private int maxPending = 100_000;
        private int maxPendingPerEndpoint = 10_000;
        private int recentlyEndedCapacity = 1024;
        private int firstRequestId = 1;
        private int initialCapacity = 64;
        private int maxRequestId = MAX_REQUEST_ID;

        private Builder() {
        }

        /** The most requests pending at once, observations included (default 100,000). */
        public Builder maxPending(int maxPending) {
            if (maxPending < 1) {
                throw new IllegalArgumentException("maxPending must be >= 1: " + maxPending);
            }
            this.maxPending = maxPending;
            return this;
        }

        /**
         * The most requests pending at once in one K4 scope: one application version,
         * extension instance and endpoint token (default 10,000).
         */
        public Builder maxPendingPerEndpoint(int maxPendingPerEndpoint) {
            if (maxPendingPerEndpoint < 1) {
                throw new IllegalArgumentException("maxPendingPerEndpoint must be >= 1: " + maxPendingPerEndpoint);
            }
            this.maxPendingPerEndpoint = maxPendingPerEndpoint;
            return this;
        }

        /**
         * How many ended requests to remember so that a late or duplicate reply can be told from
         * an unknown one (D15); a fixed memory of about 10 bytes each (default 1,024; 0 counts
         * every unmatched reply as unknown).
         */
        public Builder recentlyEndedCapacity(int capacity) {
            if (capacity < 0) {
                throw new IllegalArgumentException("recentlyEndedCapacity must be >= 0: " + capacity);
            }
            this.recentlyEndedCapacity = capacity;
            return this;
        }

        /**
         * The first request ID to allocate, 1..2147483647 (default 1). A random start keeps a
         * restarted client from taking late replies to its previous run as answers; tests use a
         * start near the top to reach the wrap-around.
         */
        public Builder firstRequestId(int firstRequestId) {
            if (firstRequestId < 1) {
                throw new IllegalArgumentException("firstRequestId must be 1..2147483647 (D1): " + firstRequestId);
            }
            this.firstRequestId = firstRequestId;
            return this;
        }

        /** The table's starting size, to avoid growing it when many requests are expected (default 64). */
        public Builder initialCapacity(int initialCapacity) {
            if (initialCapacity < 1 || initialCapacity > 1 << 29) {
                throw new IllegalArgumentException("initialCapacity must be 1..2^29: " + initialCapacity);
            }
            this.initialCapacity = initialCapacity;
            return this;
        }

        /** Test seam: a smaller ID space (IDs 1..maxRequestId) makes wrap-around quick to reach. */
        Builder maxRequestIdForTesting(int maxRequestId) {
            if (maxRequestId < 2) {
                throw new IllegalArgumentException("maxRequestId must be >= 2: " + maxRequestId);
            }
            this.maxRequestId = maxRequestId;
            return this;
        }

        /**
         * Builds the correlator.
         *
         * @throws IllegalArgumentException if the settings leave no free ID or start outside the ID space
         */
        public Correlator build() {
            if (maxPending >= maxRequestId) {
                throw new IllegalArgumentException("maxPending must be below the number of request IDs ("
                        + maxRequestId + "): " + maxPending);
            }
            if (firstRequestId > maxRequestId) {
                throw new IllegalArgumentException("firstRequestId must be 1.." + maxRequestId + ": " + firstRequestId);
            }
            return new Correlator(this);
        }
    }
}
