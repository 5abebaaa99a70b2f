package io.kp1.examples.box;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link KaaInABox} does to one reply on its way out: let it pass, drop it, send it twice,
 * send it late, let the next reply overtake it, or disconnect the client instead of answering.
 *
 * <pre>{@code
 * Fault.drop();                          // the client's request times out (D14)
 * Fault.delay(Duration.ofMillis(500));   // the reply comes half a second late
 * Fault.disconnect();                    // the client loses its connection before the reply (D14)
 * }</pre>
 *
 * <table>
 *   <caption>Effects by transport</caption>
 *   <tr><th>kind</th><th>MQTT (a reply or push published by the server)</th><th>HTTP (a response)</th></tr>
 *   <tr><td>{@code PASS}</td><td>published</td><td>sent</td></tr>
 *   <tr><td>{@code DROP}</td><td>not published</td><td>never sent; the connection is closed when the box closes</td></tr>
 *   <tr><td>{@code DUPLICATE}</td><td>published twice (D15: the client must complete once)</td>
 *       <td>sent once: HTTP pairs one response with one request (K12)</td></tr>
 *   <tr><td>{@code DELAY}</td><td>published after {@link #delay()}</td><td>sent after {@link #delay()}</td></tr>
 *   <tr><td>{@code REORDER}</td><td>held until the next reply has been published (or for the box's
 *       reorder window at most), so the next one overtakes it</td><td>sent: one response per
 *       connection cannot be overtaken</td></tr>
 *   <tr><td>{@code DISCONNECT}</td><td>not published; the broker disconnects the client that published the
 *       request (pushes: just not published)</td><td>the connection is closed without a response</td></tr>
 * </table>
 */
public final class Fault {
    /** The kinds of fault. */
    public enum Kind {
        /** No fault. */
        PASS,
        /** The reply is lost. */
        DROP,
        /** The reply is sent twice. */
        DUPLICATE,
        /** The reply is sent late. */
        DELAY,
        /** The next reply overtakes this one. */
        REORDER,
        /** The client is disconnected between its request and the reply. */
        DISCONNECT
    }

    private static final Fault PASS = new Fault(Kind.PASS, Duration.ZERO);
    private static final Fault DROP = new Fault(Kind.DROP, Duration.ZERO);
    private static final Fault DUPLICATE = new Fault(Kind.DUPLICATE, Duration.ZERO);
    private static final Fault REORDER = new Fault(Kind.REORDER, Duration.ZERO);
    private static final Fault DISCONNECT = new Fault(Kind.DISCONNECT, Duration.ZERO);

    private final Kind kind;
    private final Duration delay;

    private Fault(Kind kind, Duration delay) {
        this.kind = kind;
        this.delay = delay;
    }

    /** No fault: the reply goes out as usual. */
    public static Fault pass() {
        return PASS;
    }

    /** The reply is lost. */
    public static Fault drop() {
        return DROP;
    }

    /** The reply is sent twice (MQTT). */
    public static Fault duplicate() {
        return DUPLICATE;
    }

    /**
     * The reply is sent after {@code delay}.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public static Fault delay(Duration delay) {
        Objects.requireNonNull(delay, "delay must not be null");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        return new Fault(Kind.DELAY, delay);
    }

    /** The next reply overtakes this one (MQTT). */
    public static Fault reorder() {
        return REORDER;
    }

    /** The client is disconnected instead of answered. */
    public static Fault disconnect() {
        return DISCONNECT;
    }

    /** The kind. */
    public Kind kind() {
        return kind;
    }

    /** How late a {@link Kind#DELAY} reply is sent; zero for the other kinds. */
    public Duration delay() {
        return delay;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fault && ((Fault) o).kind == kind && ((Fault) o).delay.equals(delay);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + delay.hashCode();
    }

    @Override
    public String toString() {
        return kind == Kind.DELAY ? "Fault[DELAY " + delay.toMillis() + " ms]" : "Fault[" + kind + "]";
    }
}
