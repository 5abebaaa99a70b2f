package io.kp1.correlation;

import io.kp1.Reply;
import io.kp1.ResourcePath;
import io.kp1.Topic;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A request registered with a {@link Correlator}: its request ID, the {@link Topic} to publish,
 * and the future of its {@link Reply}.
 *
 * <p>The future completes exactly once (D14): with the reply (a {@code /status} success or an
 * {@code /error} reply, see {@link Reply#isSuccess()}), or exceptionally with a
 * {@link CorrelationException} on timeout or connection loss, or by cancellation. Cancelling it
 * ({@code cancel(...)}, or completing it yourself in any way, or {@code orTimeout(...)}) removes
 * the request from the correlator at once, so a reply that arrives later is counted as late (D15).
 *
 * <p>An observation ({@link Correlator#observe}) stays pending after its replies: each one goes
 * to its listener (K11). Its future completes when the observation ends (D13): with the
 * {@code /error} reply that ended it, by cancellation, on connection loss, or on timeout if no
 * first reply came in time.
 *
 * <pre>{@code
 * PendingRequest req = correlator.register(path, TimeUnit.SECONDS.toNanos(10), System.nanoTime());
 * transport.publish(req.topic().name(), payload);   // kp1/demo_v1/dcx/JTjdbENzHh/json/1
 * req.thenAccept(reply -> log.info("{} answered {}", req, reply.statusCode()));
 * }</pre>
 *
 * <p>The object holds no topic text: {@link #topic()} builds it on each call, so a million
 * pending requests share their {@link ResourcePath}s and keep only a few fields each.
 */
public final class PendingRequest extends CompletableFuture<Reply> {
    // Set once at creation.
    final Correlator.PathState pathState;
    final int id;
    final Consumer<? super Reply> listener;
    private final Object attachment;

    // Guarded by the correlator's lock. Whether the request is pending is not a field: it is
    // whether the correlator's table maps its ID to it.
    long deadline;
    Deadlines.Queue queue;
    PendingRequest prev;
    PendingRequest next;

    PendingRequest(Correlator.PathState pathState, int id, Consumer<? super Reply> listener, Object attachment) {
        this.pathState = pathState;
        this.id = id;
        this.listener = listener;
        this.attachment = attachment;
    }

    /** The request ID (K4): 1..2147483647, unique among the correlator's pending requests. */
    public int requestId() {
        return id;
    }

    /** The resource path the request was registered for. */
    public ResourcePath path() {
        return pathState.path;
    }

    /**
     * The topic to publish the request on: {@code <path>/<requestId>} (K4). Built on each call;
     * after a connection loss that kept the request, publish it again on this same topic.
     */
    public Topic topic() {
        return Topic.request(pathState.path, id);
    }

    /** Whether this is an observation (K11) rather than a one-reply request. */
    public boolean isObservation() {
        return listener != null;
    }

    /** The object given at registration (for example the payload and QoS to re-publish), or null. */
    public Object attachment() {
        return attachment;
    }

    /** Whether the correlator still holds this request (no reply, timeout, cancellation or loss yet). */
    public boolean isPending() {
        return pathState.owner.isLive(this);
    }

    /** Completes with a reply; called by the correlator outside its lock. */
    void finish(Reply reply) {
        super.complete(reply);
    }

    /** Fails; called by the correlator outside its lock. */
    void fail(Throwable cause) {
        super.completeExceptionally(cause);
    }

    /** Cancels the future and removes the request from the correlator (D14). */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        pathState.owner.endByCaller(this);
        return super.cancel(mayInterruptIfRunning);
    }

    /** Completes the future from outside; the request leaves the correlator as if cancelled. */
    @Override
    public boolean complete(Reply value) {
        pathState.owner.endByCaller(this);
        return super.complete(value);
    }

    /**
     * Fails the future from outside (also what {@code orTimeout} does); the request leaves the
     * correlator as if cancelled.
     */
    @Override
    public boolean completeExceptionally(Throwable ex) {
        pathState.owner.endByCaller(this);
        return super.completeExceptionally(ex);
    }

    /** Completes the future from outside, later; the request leaves the correlator as if cancelled. */
    @Override
    public CompletableFuture<Reply> completeAsync(Supplier<? extends Reply> supplier, Executor executor) {
        Objects.requireNonNull(supplier, "supplier must not be null");
        return super.completeAsync(() -> {
            Reply value = supplier.get();
            pathState.owner.endByCaller(this);
            return value;
        }, executor);
    }

    /** Forces the result; the request leaves the correlator as if cancelled. */
    @Override
    public void obtrudeValue(Reply value) {
        pathState.owner.endByCaller(this);
        super.obtrudeValue(value);
    }

    /** Forces the failure; the request leaves the correlator as if cancelled. */
    @Override
    public void obtrudeException(Throwable ex) {
        pathState.owner.endByCaller(this);
        super.obtrudeException(ex);
    }

    /** The topic with the endpoint token redacted (D16), the kind and the state. */
    @Override
    public String toString() {
        String state;
        if (!isDone()) {
            state = "pending";
        } else if (isCancelled()) {
            state = "cancelled";
        } else if (isCompletedExceptionally()) {
            state = "failed";
        } else {
            state = "replied";
        }
        return (listener != null ? "Observation[" : "PendingRequest[") + pathState.path + "/" + id + ", " + state + "]";
    }
}
