package io.kp1.examples;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The programs' progress output: on a terminal, one line rewritten in place (carriage return) ten
 * times a second; otherwise (a pipe, a file, a CI log) a line every two seconds while a step is
 * slow, so logs stay short. Each step ends with its own final line.
 *
 * <pre>{@code
 * Progress progress = new Progress(System.out, System.console() != null, stats);
 * Progress.Step step = progress.begin("data collection", 100);
 * step.advance(true);                       // one endpoint done
 * step.end("100/100 endpoints pushed 3 samples each");
 * }</pre>
 */
final class Progress implements AutoCloseable {
    private final PrintStream out;
    private final boolean live;
    private final Stats stats;
    private final ScheduledExecutorService ticker;

    Progress(PrintStream out, boolean live, Stats stats) {
        this.out = out;
        this.live = live;
        this.stats = stats;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts a step over {@code total} items (endpoints). */
    Step begin(String label, int total) {
        Step s = new Step(label, total);
        long period = live ? 100 : 2000;
        s.tick = ticker.scheduleAtFixedRate(s::render, period, period, TimeUnit.MILLISECONDS);
        return s;
    }

    /** Prints a line (between steps). */
    void line(String text) {
        synchronized (out) {
            out.println(text);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }

    /** One step: its counter, its live line, its final line. */
    final class Step {
        private final String label;
        private final int total;
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private ScheduledFuture<?> tick;
        private int lastWidth;
        private boolean ended;

        private Step(String label, int total) {
            this.label = label;
            this.total = total;
        }

        /** One item is done, well or not. */
        void advance(boolean ok) {
            done.incrementAndGet();
            if (!ok) {
                failed.incrementAndGet();
            }
        }

        /** Items done so far. */
        int done() {
            return done.get();
        }

        /** Items that failed so far. */
        int failed() {
            return failed.get();
        }

        private void render() {
            long[] t = stats.totals();
            String text = String.format("  %-22s %d/%d endpoints, %d requests, %d errors", label, done.get(), total,
                    t[0], t[2]);
            synchronized (out) {
                if (ended) {
                    return;
                }
                if (live) {
                    out.print("\r" + pad(text));
                } else {
                    out.println(text);
                }
                out.flush();
            }
        }

        /** Ends the step with its final line. */
        void end(String result) {
            tick.cancel(false);
            String text = String.format("  %-22s %s", label, result);
            synchronized (out) {
                ended = true;
                out.println(live ? "\r" + pad(text) : text);
                out.flush();
            }
        }

        private String pad(String text) {
            int width = text.length();
            String padded = width < lastWidth ? text + " ".repeat(lastWidth - width) : text;
            lastWidth = width;
            return padded;
        }
    }
}
