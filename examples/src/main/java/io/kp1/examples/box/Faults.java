package io.kp1.examples.box;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A fault plan for {@link KaaInABox}: which replies to drop, duplicate, delay, reorder, or answer
 * with a disconnection. Rules are tried first, in order, and the first that matches (and has uses
 * left) decides; otherwise a seeded random draw decides by the probabilities given.
 *
 * <pre>{@code
 * // 5 % of replies lost, 5 % sent twice, 10 % sent 300 ms late; the same run for the same seed
 * // and the same order of replies
 * Faults chaos = Faults.builder().seed(42).drop(0.05).duplicate(0.05).delay(0.10, Duration.ofMillis(300)).build();
 *
 * // By rule: the next data-collection reply is lost, every command reply is late
 * Faults rules = Faults.builder()
 *         .rule(r -> r.extension().equals("dcx"), Fault.drop(), 1)
 *         .rule(r -> r.extension().equals("cex"), Fault.delay(Duration.ofSeconds(1)))
 *         .build();
 * box.faults(rules);
 * }</pre>
 *
 * <p>Thread-safe: {@link #decide} is called on the threads that send replies. Rules with a limited
 * number of uses are consumed as they match.
 */
public final class Faults {
    private static final Faults NONE = new Faults(List.of(), 0, 0, 0, 0, 0, Duration.ZERO, 0);

    private final List<Rule> rules;
    private final double drop;
    private final double duplicate;
    private final double delay;
    private final double reorder;
    private final double disconnect;
    private final Duration delayBy;
    private final Random random;

    private Faults(List<Rule> rules, double drop, double duplicate, double delay, double reorder, double disconnect,
            Duration delayBy, long seed) {
        this.rules = rules;
        this.drop = drop;
        this.duplicate = duplicate;
        this.delay = delay;
        this.reorder = reorder;
        this.disconnect = disconnect;
        this.delayBy = delayBy;
        this.random = new Random(seed);
    }

    /** No fault: every reply passes. */
    public static Faults none() {
        return NONE;
    }

    /** The same fault for every reply, e.g. {@code Faults.always(Fault.drop())}. */
    public static Faults always(Fault fault) {
        return builder().rule(r -> true, fault).build();
    }

    /** A builder; without settings it builds a plan with no fault. */
    public static Builder builder() {
        return new Builder();
    }

    /** Decides the fault for one reply; {@link Fault#pass()} for none. */
    public Fault decide(OutgoingReply reply) {
        for (Rule rule : rules) {
            if (rule.when.test(reply) && rule.use()) {
                return rule.fault;
            }
        }
        double total = drop + duplicate + delay + reorder + disconnect;
        if (total == 0) {
            return Fault.pass();
        }
        double x;
        synchronized (random) {
            x = random.nextDouble();
        }
        if ((x -= drop) < 0) {
            return Fault.drop();
        }
        if ((x -= duplicate) < 0) {
            return Fault.duplicate();
        }
        if ((x -= delay) < 0) {
            return Fault.delay(delayBy);
        }
        if ((x -= reorder) < 0) {
            return Fault.reorder();
        }
        if (x - disconnect < 0) {
            return Fault.disconnect();
        }
        return Fault.pass();
    }

    @Override
    public String toString() {
        if (this == NONE) {
            return "Faults[none]";
        }
        return "Faults[" + rules.size() + " rule(s), drop " + drop + ", duplicate " + duplicate + ", delay " + delay
                + " by " + delayBy.toMillis() + " ms, reorder " + reorder + ", disconnect " + disconnect + "]";
    }

    private static final class Rule {
        final Predicate<? super OutgoingReply> when;
        final Fault fault;
        /** Uses left; negative for unlimited. */
        final AtomicInteger left;

        Rule(Predicate<? super OutgoingReply> when, Fault fault, int times) {
            this.when = when;
            this.fault = fault;
            this.left = new AtomicInteger(times);
        }

        boolean use() {
            if (left.get() < 0) {
                return true;
            }
            return left.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0;
        }
    }

    /**
     * Builds a {@link Faults}; not thread-safe. Probabilities are of all replies, each in 0..1, and
     * add up to at most 1.
     *
     * <pre>{@code
     * Faults.builder().seed(7).reorder(0.2).disconnect(0.01).build();
     * }</pre>
     */
    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();
        private double drop;
        private double duplicate;
        private double delay;
        private double reorder;
        private double disconnect;
        private Duration delayBy = Duration.ZERO;
        private long seed = 1;

        private Builder() {
        }

        /** The seed of the random draw; 1 by default. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The probability that a reply is lost. */
        public Builder drop(double probability) {
            this.drop = check(probability, "drop");
            return this;
        }

        /** The probability that a reply is sent twice. */
        public Builder duplicate(double probability) {
            this.duplicate = check(probability, "duplicate");
            return this;
        }

        /** The probability that a reply is sent {@code by} late. */
        public Builder delay(double probability, Duration by) {
            this.delayBy = Fault.delay(by).delay();
            this.delay = check(probability, "delay");
            return this;
        }

        /** The probability that the next reply overtakes a reply. */
        public Builder reorder(double probability) {
            this.reorder = check(probability, "reorder");
            return this;
        }

        /** The probability that the client is disconnected instead of answered. */
        public Builder disconnect(double probability) {
            this.disconnect = check(probability, "disconnect");
            return this;
        }

        /** A rule for every reply that matches {@code when}, tried before the random draw. */
        public Builder rule(Predicate<? super OutgoingReply> when, Fault fault) {
            return add(when, fault, -1);
        }

        /**
         * A rule for the next {@code times} replies that match {@code when}.
         *
         * @throws IllegalArgumentException if {@code times} is not positive (use
         *                                  {@link #rule(Predicate, Fault)} for no limit)
         */
        public Builder rule(Predicate<? super OutgoingReply> when, Fault fault, int times) {
            if (times <= 0) {
                throw new IllegalArgumentException("times must be positive, was " + times);
            }
            return add(when, fault, times);
        }

        private Builder add(Predicate<? super OutgoingReply> when, Fault fault, int times) {
            Objects.requireNonNull(when, "when must not be null");
            Objects.requireNonNull(fault, "fault must not be null");
            rules.add(new Rule(when, fault, times));
            return this;
        }

        /**
         * Builds the plan.
         *
         * @throws IllegalArgumentException if the probabilities add up to more than 1
         */
        public Faults build() {
            double total = drop + duplicate + delay + reorder + disconnect;
            if (total > 1.0 + 1e-9) {
                throw new IllegalArgumentException("Fault probabilities add up to " + total + ", more than 1");
            }
            return new Faults(List.copyOf(rules), drop, duplicate, delay, reorder, disconnect, delayBy, seed);
        }

        private static double check(double p, String what) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException(what + " probability must be in 0..1, was " + p);
            }
            return p;
        }
    }
}
