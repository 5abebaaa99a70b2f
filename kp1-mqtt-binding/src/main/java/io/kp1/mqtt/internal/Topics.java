package io.kp1.mqtt.internal;

import io.kp1.ResourcePath;
import io.kp1.Topic;

/**
 * Topic text for this module's logs and messages (D16): kp1-core's {@link Topic#redact} in
 * quotes, so a message shows where the topic starts and ends.
 *
 * <pre>{@code
 * Topics.redact("kp1/demo_v1/dcx/JTjdbENzHh/json");  // "\"kp1/demo_v1/dcx/JT******Hh/json\""
 * }</pre>
 */
public final class Topics {
    private Topics() {
    }

    /** {@code kp1/demo_v1/dcx/JTjdbENzHh/json} -> {@code "kp1/demo_v1/dcx/JT******Hh/json"}, quoted. */
    public static String redact(String topic) {
        return topic == null ? "null" : '"' + Topic.redact(topic) + '"';
    }

    /** {@code JTjdbENzHh} -> {@code JT******Hh}; see {@link ResourcePath#redactToken}. */
    public static String redactToken(String token) {
        return ResourcePath.redactToken(token);
    }
}
