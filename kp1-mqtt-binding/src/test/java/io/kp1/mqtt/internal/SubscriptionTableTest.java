package io.kp1.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The table's reuse of held entries and its least-recently-used eviction of idle filters. */
class SubscriptionTableTest {
    private static final String[] A = {"kp1/app/epmx/tok/echo/+/status", "kp1/app/epmx/tok/echo/+/error"};
    private static final String[] B = {"kp1/app/epmx/tok/b/+/status"};
    private static final String[] C = {"kp1/app/epmx/tok/c/+/status"};
    private static final String[] D = {"kp1/app/epmx/tok/d/+/status"};

    /** Acknowledges every SUBSCRIBE and UNSUBSCRIBE at once and records the UNSUBSCRIBEs. */
    private static final class AckingTransport implements MqttTransport {
        final List<String> unsubscribed = new ArrayList<>();

        @Override
        public CompletableFuture<Void> publish(String topic, byte[] payload, MqttQos qos) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<MqttQos> subscribe(String topicFilter, MqttQos qos) {
            return CompletableFuture.completedFuture(qos);
        }

        @Override
        public CompletableFuture<Void> unsubscribe(String topicFilter) {
            unsubscribed.add(topicFilter);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void setListener(Listener listener) {
        }

        @Override
        public boolean isConnected() {
            return true;
        }
    }

    @Test
    void acquireWithPrevious_entriesStillHeldOrIdle_returnsTheSameArrayAndCountsUse() throws Exception {
        SubscriptionTable table = new SubscriptionTable(new AckingTransport(), MqttQos.AT_LEAST_ONCE, 10, true);
        SubscriptionTable.Entry[] first = table.acquire(A, null);
        SubscriptionTable.Entry[] second = table.acquire(A, first); // while the first is held
        table.release(first);
        table.release(second);
        SubscriptionTable.Entry[] third = table.acquire(A, first);  // from idle

        assertThat(second).isSameAs(first);
        assertThat(third).isSameAs(first);
        assertThat(table.counters().inUse()).isEqualTo(2);
        assertThat(table.counters().live()).isEqualTo(2);
        assertThat(SubscriptionTable.ready(third)).isCompleted();
    }

    @Test
    void acquireWithPrevious_entryEvictedMeanwhile_acquiresAFreshEntry() throws Exception {
        AckingTransport transport = new AckingTransport();
        SubscriptionTable table = new SubscriptionTable(transport, MqttQos.AT_LEAST_ONCE, 1, true);
        SubscriptionTable.Entry[] b = table.acquire(B, null);
        table.release(b);
        table.release(table.acquire(C, null)); // evicts B, the only idle one

        SubscriptionTable.Entry[] again = table.acquire(B, b);

        assertThat(transport.unsubscribed).containsExactly(B[0], C[0]);
        assertThat(again).isNotSameAs(b);
        assertThat(again[0]).isNotSameAs(b[0]);
        assertThat(again[0].filter()).isEqualTo(B[0]);
    }

    @Test
    void acquire_full_evictsTheLeastRecentlyReleasedIdleFilter() throws Exception {
        AckingTransport transport = new AckingTransport();
        SubscriptionTable table = new SubscriptionTable(transport, MqttQos.AT_LEAST_ONCE, 2, true);
        SubscriptionTable.Entry[] b = table.acquire(B, null);
        SubscriptionTable.Entry[] c = table.acquire(C, null);
        table.release(c);
        table.release(b);                            // idle: C, then B
        table.release(table.acquire(C, c));          // C used again: idle B, then C

        table.acquire(D, null);

        assertThat(transport.unsubscribed).containsExactly(B[0]);
        assertThat(table.filters()).containsExactlyInAnyOrder(C[0], D[0]);
    }
}
