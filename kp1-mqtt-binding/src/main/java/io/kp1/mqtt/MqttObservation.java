package io.kp1.mqtt;

import io.kp1.client.Observation;
import java.util.concurrent.CompletableFuture;

/**
 * An {@link Observation} over MQTT, which also tells when its subscription is in place: from then
 * on, the broker delivers the server's pushes to it (K11).
 *
 * <pre>{@code
 * MqttObservation commands = endpoint.onPush("cex", "/command/reboot", reply -> reboot(reply));
 * commands.subscribed().join();    // the broker will now deliver pushes on .../command/reboot/status
 * ...
 * commands.cancel();               // ended() completes normally
 * }</pre>
 */
public interface MqttObservation extends Observation {
    /**
     * Completes when the broker has acknowledged the subscriptions that receive this observation's
     * replies or pushes; fails if it refused them (and then {@link #ended()} fails too). For
     * {@code observe}, the request itself is published after this.
     */
    CompletableFuture<Void> subscribed();
}
