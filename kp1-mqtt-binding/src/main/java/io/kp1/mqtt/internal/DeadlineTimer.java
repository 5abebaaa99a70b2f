package io.kp1.mqtt.internal;

import io.kp1.correlation.Correlator;
import java.util.OptionalLong;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a {@link Correlator}'s deadlines with one scheduled task at a time: the task calls
 * {@link Correlator#expire(long)} and schedules itself for {@link Correlator#nextDeadline()}
 * (D14). Deadlines closer than {@link #GRANULARITY_NANOS} after a wake-up share the next one, so
 * a request may time out up to a millisecond late, and the scheduler wakes at most about a
 * thousand times a second however many requests are pending.
 *
 * <pre>{@code
 * DeadlineTimer timer = new DeadlineTimer(correlator, scheduler);
 * PendingRequest r = correlator.register(path, timeoutNanos, now);
 * timer.deadlineAdded(now + timeoutNanos);    // cheap when an earlier wake-up is planned
 * }</pre>
 *
 * <p>Thread-safe. Registering a deadline later than the planned wake-up costs one volatile read.
 */
public final class DeadlineTimer {
    /** Deadlines this close together are expired by one wake-up. */
    public static final long GRANULARITY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final Logger LOG = LoggerFactory.getLogger(DeadlineTimer.class);
    private static final long NONE = Long.MAX_VALUE;
    /** A wake-up is running and will plan the next one after reading the correlator. */
    private static final long RUNNING = Long.MIN_VALUE;

    private final Correlator correlator;
    private final ScheduledExecutorService scheduler;
    private final Object lock = new Object();
    /** When the planned wake-up runs (nanoTime), {@link #NONE} or {@link #RUNNING}. */
    private volatile long nextWake = NONE;
    // Guarded by lock.
    private ScheduledFuture<?> task;
    private boolean stopped;

    /** A timer on {@code scheduler}, which the caller owns. */
    public DeadlineTimer(Correlator correlator, ScheduledExecutorService scheduler) {
        this.correlator = correlator;
        this.scheduler = scheduler;
    }

    /** A request with this deadline (nanoTime) was registered: wake up by then. */
    public void deadlineAdded(long deadline) {
        long w = nextWake;
        // RUNNING: the running wake-up reads the correlator after this request was registered.
        if (w == RUNNING || deadline - w >= 0 && w != NONE) {
            return;
        }
        synchronized (lock) {
            w = nextWake;
            if (stopped || w == RUNNING || (w != NONE && deadline - w >= 0)) {
                return;
            }
            planLocked(deadline, System.nanoTime());
        }
    }

    private void tick() {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            nextWake = RUNNING;
            task = null;
        }
        long now = System.nanoTime();
        try {
            correlator.expire(now);
        } catch (RuntimeException e) {
            LOG.error("Expiring requests failed", e); // a bug: the correlator never throws here
        }
        synchronized (lock) {
            nextWake = NONE;
            if (stopped) {
                return;
            }
            OptionalLong next = correlator.nextDeadline();
            if (next.isPresent()) {
                planLocked(next.getAsLong(), now);
            }
        }
    }

    /** Under lock: the wake-up for {@code deadline}, no sooner than the granularity after {@code now}. */
    private void planLocked(long deadline, long now) {
        long at = deadline - (now + GRANULARITY_NANOS) < 0 ? now + GRANULARITY_NANOS : deadline;
        ScheduledFuture<?> old = task;
        try {
            task = scheduler.schedule(this::tick, at - System.nanoTime(), TimeUnit.NANOSECONDS);
            nextWake = at;
        } catch (RejectedExecutionException e) {
            // The host shut its scheduler down under a running client: requests can no longer time out.
            LOG.error("The scheduler refused the deadline task: pending requests will not time out (D14)", e);
            return;
        }
        if (old != null) {
            old.cancel(false);
        }
    }

    /** Stops waking up; pending requests no longer time out. Idempotent. */
    public void stop() {
        synchronized (lock) {
            stopped = true;
            if (task != null) {
                task.cancel(false);
                task = null;
            }
            nextWake = NONE;
        }
    }
}
