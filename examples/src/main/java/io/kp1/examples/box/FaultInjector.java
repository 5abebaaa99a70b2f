package io.kp1.examples.box;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the MQTT and HTTP fault wrappers share: the current plan, the counters and one scheduler
 * thread for late replies.
 */
final class FaultInjector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);

    private final LongAdder[] counts = new LongAdder[Fault.Kind.values().length];
    private final ScheduledExecutorService scheduler;
    private final Duration reorderWindow;
    private volatile Faults faults;

    FaultInjector(Faults faults, Duration reorderWindow) {
        this.faults = Objects.requireNonNull(faults, "faults must not be null");
        this.reorderWindow = reorderWindow;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kaa-in-a-box-faults");
            t.setDaemon(true);
            return t;
        });
    }

    void faults(Faults faults) {
        this.faults = Objects.requireNonNull(faults, "faults must not be null");
    }

    Faults faults() {
        return faults;
    }

    Duration reorderWindow() {
        return reorderWindow;
    }

    /** Decides and counts the fault for one reply; a failing rule counts as no fault. */
    Fault decide(OutgoingReply reply) {
        Fault f;
        try {
            f = faults.decide(reply);
            if (f == null) {
                f = Fault.pass();
            }
        } catch (RuntimeException e) {
            LOG.warn("A fault rule failed for {}; the reply passes", reply, e);
            f = Fault.pass();
        }
        counts[f.kind().ordinal()].increment();
        if (f.kind() != Fault.Kind.PASS) {
            LOG.debug("Fault {} for {}", f, reply);
        }
        return f;
    }

    /** Runs {@code task} after {@code delay}; at once when the box is closing. */
    void schedule(Runnable task, Duration delay) {
        try {
            scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            task.run();
        }
    }

    KaaInABox.FaultCounters counters() {
        return new KaaInABox.FaultCounters(count(Fault.Kind.PASS), count(Fault.Kind.DROP),
                count(Fault.Kind.DUPLICATE), count(Fault.Kind.DELAY), count(Fault.Kind.REORDER),
                count(Fault.Kind.DISCONNECT));
    }

    private long count(Fault.Kind kind) {
        return counts[kind.ordinal()].sum();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
