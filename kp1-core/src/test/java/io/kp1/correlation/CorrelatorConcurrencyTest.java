package io.kp1.correlation;

import io.kp1.ResourcePath;
import io.kp1.Topic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.kp1.correlation.Fixtures.APP;
import static io.kp1.correlation.Fixtures.EMPTY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several threads register (and sometimes cancel) while one thread delivers replies (with
 * duplicates and replies for other endpoints) and another advances a fake clock and expires.
 * A small ID space makes the counter wrap many times. Every request must end exactly once
 * (D14), no ID may be handed out while its holder is pending (K4), and the counters must agree
 * with what the futures saw.
 */
class CorrelatorConcurrencyTest {
    private static final int REGISTRARS = 3;
    private static final int PER_REGISTRAR = 20_000;

    @BeforeAll
    static void quiet() {
        Fixtures.quietLogs();
    }

    /** A registered request and how many times its future completed. */
    private record Tracked(PendingRequest request, AtomicInteger completions) {
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void registerReplyExpireCancel_concurrently_everyRequestEndsExactlyOnce_D14_K4() throws Exception {
        Correlator c = Correlator.builder().maxRequestIdForTesting(1_024).maxPending(512).maxPendingPerEndpoint(512)
                .recentlyEndedCapacity(64).build();
        ResourcePath[] paths = new ResourcePath[8];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = ResourcePath.of(APP, "dcx", "endpoint-token-" + i, "/json");
        }
        AtomicLong clock = new AtomicLong();
        ConcurrentLinkedQueue<PendingRequest> toAnswer = new ConcurrentLinkedQueue<>();
        Map<Integer, PendingRequest> holderOfId = new ConcurrentHashMap<>();
        List<Tracked> tracked = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger collisions = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        AtomicBoolean registrarsDone = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Map<ReplyOutcome, AtomicInteger> outcomes = new EnumMap<>(ReplyOutcome.class);
        for (ReplyOutcome o : ReplyOutcome.values()) {
            outcomes.put(o, new AtomicInteger());
        }
        CountDownLatch start = new CountDownLatch(1);

        List<Thread> registrars = new ArrayList<>();
        for (int t = 0; t < REGISTRARS; t++) {
            registrars.add(new Thread(guard(failure, () -> {
                start.await();
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int i = 0; i < PER_REGISTRAR; i++) {
                    PendingRequest r;
                    try {
                        r = c.register(paths[rnd.nextInt(paths.length)], 1 + rnd.nextInt(50_000), clock.get());
                    } catch (CorrelationException e) {
                        rejected.incrementAndGet();
                        Thread.yield();
                        continue;
                    }
                    AtomicInteger completions = new AtomicInteger();
                    r.whenComplete((v, e) -> {
                        completions.incrementAndGet();
                        c.pending(); // callbacks may re-enter: the lock must be free
                    });
                    tracked.add(new Tracked(r, completions));
                    PendingRequest previous = holderOfId.put(r.requestId(), r);
                    if (previous != null && previous.isPending()) {
                        collisions.incrementAndGet();
                    }
                    if (rnd.nextInt(10) == 0) {
                        r.cancel(false);
                    } else {
                        toAnswer.add(r);
                    }
                }
            }), "registrar-" + t));
        }
        Thread replier = new Thread(guard(failure, () -> {
            start.await();
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            while (!registrarsDone.get() || !toAnswer.isEmpty()) {
                PendingRequest r = toAnswer.poll();
                if (r == null) {
                    Thread.yield();
                    continue;
                }
                Topic reply = Fixtures.status(r);
                outcomes.get(c.onReply(reply, EMPTY)).incrementAndGet();
                if (rnd.nextInt(20) == 0) { // a duplicate
                    outcomes.get(c.onReply(reply, EMPTY)).incrementAndGet();
                }
                if (rnd.nextInt(20) == 0) { // same ID, another endpoint (D12)
                    ResourcePath other = ResourcePath.of(APP, "dcx", "someone-else", "/json");
                    outcomes.get(c.onReply(Fixtures.status(other, r.requestId()), EMPTY)).incrementAndGet();
                }
            }
        }), "replier");
        Thread expirer = new Thread(guard(failure, () -> {
            start.await();
            while (!registrarsDone.get()) {
                c.expire(clock.addAndGet(1_000));
                c.nextDeadline();
                Thread.yield();
            }
        }), "expirer");

        List<Thread> all = new ArrayList<>(registrars);
        all.add(replier);
        all.add(expirer);
        all.forEach(Thread::start);
        start.countDown();
        for (Thread t : registrars) {
            t.join(TimeUnit.SECONDS.toMillis(100));
        }
        registrarsDone.set(true);
        replier.join(TimeUnit.SECONDS.toMillis(100));
        expirer.join(TimeUnit.SECONDS.toMillis(100));
        assertThat(all).noneMatch(Thread::isAlive);
        assertThat(failure.get()).isNull();
        c.connectionLost(ConnectionLossPolicy.FAIL_ALL);

        c.checkInvariants();
        Correlator.Stats s = c.stats();
        assertThat(collisions.get()).as("IDs handed out while their holder was pending").isZero();
        assertThat(s.pending()).isZero();
        assertThat(s.registered()).isEqualTo(tracked.size()).isEqualTo(REGISTRARS * PER_REGISTRAR - rejected.get());
        assertThat(s.rejected()).isEqualTo(rejected.get());
        assertThat(s.ended()).isEqualTo(s.registered());
        assertThat(s.replied()).isEqualTo(outcomes.get(ReplyOutcome.COMPLETED).get());
        assertThat(s.late() + s.duplicate() + s.unknown()).isEqualTo(outcomes.get(ReplyOutcome.LATE).get()
                + outcomes.get(ReplyOutcome.DUPLICATE).get() + outcomes.get(ReplyOutcome.UNKNOWN).get());
        assertThat(s.timedOut()).as("the expirer did expire some").isPositive();
        assertThat(s.replied()).as("the replier did complete some").isPositive();

        long normal = 0;
        long cancelled = 0;
        long failed = 0;
        for (Tracked t : tracked) {
            PendingRequest r = t.request();
            assertThat(r).isDone();
            assertThat(t.completions().get()).as("completions of %s", r).isEqualTo(1);
            if (r.isCancelled()) {
                cancelled++;
            } else if (r.isCompletedExceptionally()) {
                failed++;
            } else {
                normal++;
            }
        }
        // The counters say how the correlator ended each request. A caller's cancel() racing with
        // a timeout still in flight may win the future itself: then the future shows the
        // cancellation while the counter shows the timeout. Nothing else can differ.
        assertThat(normal + cancelled + failed).isEqualTo(s.registered());
        assertThat(normal).isEqualTo(s.replied()); // replied requests were never cancelled here
        assertThat(cancelled).isGreaterThanOrEqualTo(s.cancelled());
        assertThat(failed).isLessThanOrEqualTo(s.timedOut() + s.connectionLost());
    }

    private interface Body {
        void run() throws Exception;
    }

    private static Runnable guard(AtomicReference<Throwable> failure, Body body) {
        return () -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
    }
}
