package io.kp1.mqtt.internal;

import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttSubscriptionRefusedException;
import io.kp1.mqtt.MqttTransport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway client's live MQTT subscriptions, shared by the requests that need them: each
 * filter is subscribed once, counted while in use, kept when idle for reuse, and unsubscribed
 * least-recently-used first when the table is full. A filter in use (by a pending request, an
 * observation or a push listener) is never unsubscribed.
 *
 * <pre>{@code
 * SubscriptionTable table = new SubscriptionTable(transport, MqttQos.EXACTLY_ONCE, 10_000);
 * SubscriptionTable.Entry[] held = table.acquire(new String[] {"kp1/app/dcx/tok/json/#"});
 * SubscriptionTable.ready(held).thenRun(() -> transport.publish(...));   // after the SUBACK
 * ...
 * table.release(held);                                                    // idle, kept for reuse
 * }</pre>
 *
 * <h2>Connection</h2>
 * The owner reports {@link #connectionLost()} and {@link #connected(boolean)}. A subscription
 * that fails because the connection went away is not a failure: it is made again on the next
 * connection. After a connection without the session, every filter in use is subscribed again
 * (its {@link Entry#ready()} is a new future until the SUBACK) and idle filters are forgotten.
 * Only a refusal by the broker, or a failure while the connection stayed up, fails an entry.
 *
 * <p>Thread-safe; one lock, never held while calling the transport.
 */
public final class SubscriptionTable {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionTable.class);
    private static final CompletableFuture<Void> READY = CompletableFuture.completedFuture(null);

    /** Thrown by {@link #acquire} when every slot holds a filter in use. */
    public static final class FullException extends Exception {
        private static final long serialVersionUID = 1L;

        FullException(String message) {
            super(message, null, false, false);
        }
    }

    /** One filter's subscription; the owner holds it between {@link #acquire} and {@link #release}. */
    public static final class Entry {
        final String filter;
        // Guarded by the table's lock.
        int refs;
        boolean subscribing;
        boolean needsSubscribe;
        boolean removed;
        int issuedEpoch;
        /** Links of the idle list (null when not idle): no map node per release (one a request). */
        Entry idlePrev;
        Entry idleNext;
        volatile CompletableFuture<Void> ready = new CompletableFuture<>();

        Entry(String filter) {
            this.filter = filter;
        }

        /** The filter. */
        public String filter() {
            return filter;
        }

        /**
         * Completes when the broker has acknowledged the subscription on the current connection;
         * fails if the broker refused it. A new future after a connection without the session.
         */
        public CompletableFuture<Void> ready() {
            return ready;
        }

        @Override
        public String toString() {
            return "Subscription[" + Topics.redact(filter) + "]";
        }
    }

    /**
     * Counters of a table.
     *
     * @param live          subscriptions held now, in use or idle
     * @param inUse         of which in use
     * @param subscribed    SUBACKs received
     * @param failed        subscriptions refused or failed for good
     * @param unsubscribed  filters unsubscribed (evicted or at close)
     * @param evicted       idle filters unsubscribed to make room
     * @param resubscribed  filters subscribed again after a connection without the session
     */
    public record Counters(int live, int inUse, long subscribed, long failed, long unsubscribed, long evicted,
                           long resubscribed) {
    }

    private final MqttTransport transport;
    private final MqttQos qos;
    private final int max;
    private final Object lock = new Object();
    // Guarded by lock.
    private final Map<String, Entry> entries = new HashMap<>();
    /** Idle entries, least recently released first: a circular list through the entries, this its sentinel. */
    private final Entry idle = new Entry(null);
    /** Unsubscriptions in flight: a new subscription to the same filter waits for the UNSUBACK. */
    private final Map<String, CompletableFuture<Void>> unsubscribing = new HashMap<>();
    private boolean connected;
    private int epoch;
    private int inUse;
    private long subscribed;
    private long failed;
    private long unsubscribed;
    private long evicted;
    private long resubscribed;

    /**
     * @param transport    the client's transport
     * @param qos          the maximum QoS to subscribe with
     * @param max          the most subscriptions held at once
     * @param connectedNow whether the transport is connected now
     */
    public SubscriptionTable(MqttTransport transport, MqttQos qos, int max, boolean connectedNow) {
        this.transport = transport;
        this.qos = qos;
        this.max = max;
        this.connected = connectedNow;
        idle.idlePrev = idle;
        idle.idleNext = idle;
    }

    /**
     * Holds one entry per filter, subscribing the new ones (after any unsubscription of the same
     * filter still in flight). Making room unsubscribes the least recently used idle filters.
     *
     * @throws FullException if a new filter is needed and every held subscription is in use;
     *     nothing is held then
     */
    public Entry[] acquire(String[] filters) throws FullException {
        Entry[] out = new Entry[filters.length];
        List<Entry> toSubscribe = null;
        List<String> toEvict = null;
        synchronized (lock) {
            for (int i = 0; i < filters.length; i++) {
                Entry e = entries.get(filters[i]);
                if (e == null) {
                    if (entries.size() >= max) {
                        String victim = evictOne();
                        if (victim == null) {
                            for (int j = 0; j < i; j++) {
                                releaseLocked(out[j]);
                            }
                            throw new FullException(entries.size() + " subscriptions held, all in use: the limit "
                                    + "(maxSubscriptions " + max + ")");
                        }
                        if (toEvict == null) {
                            toEvict = new ArrayList<>(1);
                        }
                        toEvict.add(victim);
                    }
                    e = new Entry(filters[i]);
                    entries.put(e.filter, e);
                    if (toSubscribe == null) {
                        toSubscribe = new ArrayList<>(filters.length);
                    }
                    toSubscribe.add(e);
                    if (connected) {
                        e.subscribing = true;
                        e.issuedEpoch = epoch;
                    } else {
                        e.needsSubscribe = true; // made on the next connection
                    }
                } else if (e.refs == 0) {
                    unlinkIdle(e);
                }
                if (e.refs++ == 0) {
                    inUse++;
                }
                out[i] = e;
            }
        }
        if (toEvict != null) {
            for (String f : toEvict) {
                unsubscribe(f);
            }
        }
        if (toSubscribe != null) {
            for (Entry e : toSubscribe) {
                if (e.subscribing) {
                    issue(e, e.issuedEpoch);
                }
            }
        }
        return out;
    }

    /**
     * {@link #acquire(String[])} for a caller that asks for the same filters again and again (a
     * client's path): when every entry of {@code previous}, an earlier result for {@code filters},
     * is still in the table, holds them again and returns {@code previous} itself (no lookups, no
     * new array; held arrays are never written after they are returned). Otherwise acquires anew.
     */
    public Entry[] acquire(String[] filters, Entry[] previous) throws FullException {
        if (previous != null) {
            synchronized (lock) {
                boolean current = true;
                for (Entry e : previous) {
                    current &= !e.removed; // every entry leaving the table is marked removed
                }
                if (current) {
                    for (Entry e : previous) {
                        if (e.refs == 0) {
                            unlinkIdle(e);
                        }
                        if (e.refs++ == 0) {
                            inUse++;
                        }
                    }
                    return previous;
                }
            }
        }
        return acquire(filters);
    }

    /** Under lock: unsubscribes the least recently used idle entry that is subscribed; its filter or null. */
    private String evictOne() {
        for (Entry e = idle.idleNext; e != idle; e = e.idleNext) {
            if (e.subscribing || e.needsSubscribe) {
                continue; // not subscribed yet: leave it
            }
            unlinkIdle(e);
            entries.remove(e.filter);
            e.removed = true;
            evicted++;
            unsubscribing.put(e.filter, new CompletableFuture<>());
            return e.filter;
        }
        return null;
    }

    /** Lets go of entries from {@link #acquire}; an entry no one uses becomes idle. */
    public void release(Entry[] held) {
        synchronized (lock) {
            for (Entry e : held) {
                releaseLocked(e);
            }
        }
    }

    private void releaseLocked(Entry e) {
        if (--e.refs == 0) {
            inUse--;
            if (!e.removed) {
                linkIdleLast(e);
            }
        }
    }

    /** Under lock: {@code e} becomes the most recently used idle entry. */
    private void linkIdleLast(Entry e) {
        if (e.idleNext != null) {
            unlinkIdle(e);
        }
        Entry last = idle.idlePrev;
        e.idlePrev = last;
        e.idleNext = idle;
        last.idleNext = e;
        idle.idlePrev = e;
    }

    /** Under lock: takes {@code e} off the idle list, if it is on it. */
    private static void unlinkIdle(Entry e) {
        if (e.idleNext == null) {
            return;
        }
        e.idlePrev.idleNext = e.idleNext;
        e.idleNext.idlePrev = e.idlePrev;
        e.idlePrev = null;
        e.idleNext = null;
    }

    /**
     * A future that completes when every entry is subscribed on the current connection, or
     * fails with the first refusal.
     */
    public static CompletableFuture<Void> ready(Entry[] held) {
        if (held.length == 1) {
            return held[0].ready;
        }
        boolean allReady = true;
        for (Entry e : held) {
            CompletableFuture<Void> r = e.ready;
            allReady &= r.isDone() && !r.isCompletedExceptionally();
        }
        if (allReady) {
            return READY; // the usual case once subscribed: no allOf per request
        }
        CompletableFuture<?>[] all = new CompletableFuture<?>[held.length];
        for (int i = 0; i < held.length; i++) {
            all[i] = held[i].ready;
        }
        return CompletableFuture.allOf(all);
    }

    private void issue(Entry e, int issuedEpoch) {
        CompletableFuture<Void> after;
        synchronized (lock) {
            after = unsubscribing.get(e.filter);
        }
        if (after == null) {
            subscribe(e, issuedEpoch);
        } else {
            after.whenComplete((v, x) -> subscribe(e, issuedEpoch));
        }
    }

    private void subscribe(Entry e, int issuedEpoch) {
        CompletableFuture<MqttQos> f;
        try {
            // No Local (MQTT 5): a client never wants its own requests back through a wildcard.
            f = transport.subscribeNoLocal(e.filter, qos);
        } catch (RuntimeException x) {
            f = CompletableFuture.failedFuture(x);
        }
        f.whenComplete((granted, x) -> onSubscribed(e, issuedEpoch, x));
    }

    private void onSubscribed(Entry e, int issuedEpoch, Throwable failure) {
        Throwable cause = failure == null ? null : unwrap(failure);
        // Clients may fail what was in flight before they report the loss: ask the transport too.
        boolean transportUp = failure == null || transport.isConnected();
        CompletableFuture<Void> complete = null;
        CompletableFuture<Void> fail = null;
        boolean reissue = false;
        synchronized (lock) {
            if (e.issuedEpoch != issuedEpoch || e.removed) {
                return; // superseded by a later subscription of the same entry, or forgotten
            }
            e.subscribing = false;
            boolean sameConnection = connected && epoch == issuedEpoch && transportUp;
            if (cause == null && sameConnection) {
                subscribed++;
                complete = e.ready;
            } else if (cause instanceof MqttSubscriptionRefusedException || (cause != null && sameConnection)) {
                failed++;
                e.removed = true;
                entries.remove(e.filter, e);
                unlinkIdle(e);
                fail = e.ready;
            } else if (connected && transportUp) {
                // The connection changed since: the outcome says nothing about this connection.
                e.subscribing = true;
                e.issuedEpoch = epoch;
                reissue = true;
            } else {
                e.needsSubscribe = true; // made again when the (re)connection is reported
            }
        }
        if (complete != null) {
            complete.complete(null);
        } else if (fail != null) {
            LOG.warn("Could not subscribe to {}: {}", Topics.redact(e.filter), cause.toString());
            fail.completeExceptionally(cause);
        } else if (reissue) {
            issue(e, e.issuedEpoch);
        }
    }

    private void unsubscribe(String filter) {
        CompletableFuture<Void> done;
        synchronized (lock) {
            done = unsubscribing.get(filter);
        }
        CompletableFuture<Void> f;
        try {
            f = transport.unsubscribe(filter);
        } catch (RuntimeException x) {
            f = CompletableFuture.failedFuture(x);
        }
        f.whenComplete((v, x) -> {
            if (x != null) {
                LOG.debug("Could not unsubscribe from {}: {}", Topics.redact(filter), unwrap(x).toString());
            }
            synchronized (lock) {
                unsubscribed++;
                if (done != null) {
                    unsubscribing.remove(filter, done);
                }
            }
            if (done != null) {
                done.complete(null);
            }
        });
    }

    /** The connection broke: subscriptions that fail from now on are made again later. */
    public void connectionLost() {
        synchronized (lock) {
            connected = false;
            epoch++;
        }
    }

    /**
     * The transport connected (again). Makes the subscriptions that failed for lack of a
     * connection, and, when the session is gone, every subscription in use again; idle ones are
     * then forgotten.
     *
     * @param sessionLost whether the broker's session (and so its subscriptions) may be gone
     */
    public void connected(boolean sessionLost) {
        List<Entry> again = new ArrayList<>();
        List<CompletableFuture<Void>> unsubscribed = List.of();
        int issuedEpoch;
        synchronized (lock) {
            connected = true;
            issuedEpoch = ++epoch;
            if (sessionLost) {
                // Nothing left to unsubscribe: a new subscription to the same filter need not wait.
                unsubscribed = new ArrayList<>(unsubscribing.values());
                unsubscribing.clear();
            }
            for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (e.needsSubscribe) {
                    e.needsSubscribe = false;
                } else if (!sessionLost || e.subscribing) {
                    continue; // still subscribed, or its subscription in flight reports and is redone then
                } else if (e.refs == 0) {
                    it.remove();
                    unlinkIdle(e);
                    e.removed = true;
                    continue;
                } else {
                    if (e.ready.isDone()) {
                        e.ready = new CompletableFuture<>();
                    }
                    resubscribed++;
                }
                e.subscribing = true;
                e.issuedEpoch = issuedEpoch;
                again.add(e);
            }
        }
        for (CompletableFuture<Void> f : unsubscribed) {
            f.complete(null);
        }
        if (!again.isEmpty()) {
            LOG.info("Subscribing again to {} filters after {}", again.size(),
                    sessionLost ? "a connection without the session" : "the connection came back");
        }
        for (Entry e : again) {
            issue(e, issuedEpoch);
        }
    }

    /**
     * Unsubscribes every filter (best effort) and forgets them; entries still held fail their
     * {@code ready} futures with {@code cause} if not ready yet.
     *
     * @return completes when every UNSUBACK (or failure) came back
     */
    public CompletableFuture<Void> unsubscribeAll(Throwable cause) {
        List<Entry> all;
        synchronized (lock) {
            all = new ArrayList<>(entries.values());
            entries.clear();
            for (Entry e = idle.idleNext; e != idle; ) {
                Entry next = e.idleNext;
                e.idlePrev = null;
                e.idleNext = null;
                e = next;
            }
            idle.idlePrev = idle;
            idle.idleNext = idle;
            for (Entry e : all) {
                e.removed = true;
            }
        }
        List<CompletableFuture<Void>> unsubs = new ArrayList<>(all.size());
        for (Entry e : all) {
            e.ready.completeExceptionally(cause);
            CompletableFuture<Void> f;
            try {
                f = transport.unsubscribe(e.filter);
            } catch (RuntimeException x) {
                f = CompletableFuture.failedFuture(x);
            }
            unsubs.add(f.handle((v, x) -> {
                synchronized (lock) {
                    unsubscribed++;
                }
                return null;
            }));
        }
        return CompletableFuture.allOf(unsubs.toArray(new CompletableFuture<?>[0]));
    }

    /** The filters held now, in use or idle, in no particular order. */
    public List<String> filters() {
        synchronized (lock) {
            return new ArrayList<>(entries.keySet());
        }
    }

    /** A snapshot of the counters. */
    public Counters counters() {
        synchronized (lock) {
            return new Counters(entries.size(), inUse, subscribed, failed, unsubscribed, evicted, resubscribed);
        }
    }

    /** The cause inside a future's wrapping. */
    public static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
