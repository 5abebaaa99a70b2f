package io.kp1.mqtt;

import io.kp1.ResourcePath;
import io.kp1.Topic;
import java.util.List;

/**
 * Which MQTT subscriptions {@link Kp1MqttClient} makes to receive replies and pushes. Whatever
 * the strategy, the client subscribes before it publishes a request (a reply never beats its
 * subscription), reuses each subscription for every request it covers, and unsubscribes idle
 * ones only when it must make room ({@link Kp1MqttClient.Builder#maxSubscriptions}).
 *
 * <table>
 *   <caption>Filters for a request to {@code kp1/app/dcx/JTjdbENzHh/json}</caption>
 *   <tr><th>strategy</th><th>filters</th><th>one per</th><th>echoes of own requests</th></tr>
 *   <tr><td>{@link #PER_RESOURCE}</td><td>{@code kp1/app/dcx/JTjdbENzHh/json/#}</td>
 *       <td>resource</td><td>yes</td></tr>
 *   <tr><td>{@link #PER_ENDPOINT_EXTENSION}</td><td>{@code kp1/app/dcx/JTjdbENzHh/#}</td>
 *       <td>endpoint and extension</td><td>yes</td></tr>
 *   <tr><td>{@link #GATEWAY_WILDCARD}</td><td>{@code kp1/app/+/+/#}</td><td>application version</td>
 *       <td>yes, and every other client's traffic under the application version</td></tr>
 *   <tr><td>{@link #REPLY_TOPICS}</td><td>{@code .../json/+/status}, {@code .../json/+/error}
 *       (pushes: {@code .../json/status}, {@code .../json/error})</td><td>resource, two each</td>
 *       <td>no</td></tr>
 *   <tr><td>{@link #ANY_ENDPOINT_REPLY_TOPICS}</td><td>{@code kp1/app/dcx/+/json/+/status},
 *       {@code kp1/app/dcx/+/json/+/error}</td><td>resource of an extension, for all endpoints</td>
 *       <td>no, but every other client's replies on those resources</td></tr>
 * </table>
 *
 * <pre>{@code
 * Kp1MqttClient.builder(transport).subscriptionStrategy(SubscriptionStrategy.PER_ENDPOINT_EXTENSION).build();
 * SubscriptionStrategy.PER_RESOURCE.filters(path, false);   // [kp1/app/dcx/JTjdbENzHh/json/#]
 * }</pre>
 *
 * <p><b>Echoes.</b> A filter ending in {@code #} also matches the request topics themselves
 * ({@code .../json/42}), so over MQTT 3.1.1 the broker sends every request back to the gateway
 * that published it. The client drops them after a two-string suffix check (counted as
 * {@code echoesIgnored}), but they cost bandwidth: pick {@link #REPLY_TOPICS} when requests
 * carry large payloads. Over MQTT 5 ({@link MqttTransport#supportsNoLocal()}) the client
 * subscribes with No Local, and the broker keeps the gateway's own requests away under every
 * strategy. Topics that match a wildcard but answer nothing of this client (another
 * gateway's replies under {@link #GATEWAY_WILDCARD}) are counted as unknown replies (D15).
 *
 * <p><b>Overlaps.</b> Under {@link #PER_RESOURCE}, a resource nested in another
 * ({@code /config/json} and {@code /config/json/main}) gives overlapping filters, and brokers such
 * as Mosquitto 2.0 then deliver a matching message once per filter: a request still completes
 * once (the copy is counted as a duplicate, D15), but an observation hears such a reply twice.
 */
public enum SubscriptionStrategy {
    /**
     * {@code <resource path>/#}, the form Kaa's documentation shows: one subscription per
     * resource, covering its replies and pushes. The default.
     */
    PER_RESOURCE {
        @Override
        public List<String> filters(ResourcePath path, boolean push) {
            return List.of(path.asString() + "/#");
        }
    },
    /**
     * {@code kp1/<app>/<extension>/<token>/#}: one subscription per endpoint and extension
     * instance, covering every resource of it.
     */
    PER_ENDPOINT_EXTENSION {
        @Override
        public List<String> filters(ResourcePath path, boolean push) {
            StringBuilder sb = new StringBuilder(64).append("kp1/").append(path.appVersion()).append('/')
                    .append(path.extension());
            if (path.hasEndpointToken()) {
                sb.append('/').append(path.endpointToken());
            }
            return List.of(sb.append("/#").toString());
        }
    },
    /**
     * {@code kp1/<app>/+/+/#}: one subscription per application version for the whole gateway.
     * The broker sends every message under the application version that the client may read.
     */
    GATEWAY_WILDCARD {
        @Override
        public List<String> filters(ResourcePath path, boolean push) {
            return List.of("kp1/" + path.appVersion() + "/+/+/#");
        }
    },
    /**
     * Exactly the reply topics: {@code <path>/+/status} and {@code <path>/+/error} for requests
     * (K5), {@code <path>/status} and {@code <path>/error} for pushes (K11). Two subscriptions per
     * resource (four with pushes), and no echoes.
     */
    REPLY_TOPICS {
        @Override
        public List<String> filters(ResourcePath path, boolean push) {
            String p = path.asString();
            return push ? List.of(p + Topic.STATUS_SUFFIX, p + Topic.ERROR_SUFFIX)
                    : List.of(p + "/+" + Topic.STATUS_SUFFIX, p + "/+" + Topic.ERROR_SUFFIX);
        }
    },
    /**
     * The reply topics of {@link #REPLY_TOPICS} with the endpoint token as a wildcard:
     * {@code kp1/<app>/<extension>/+/<resource>/+/status} and {@code .../+/error} (pushes:
     * {@code kp1/<app>/<extension>/+/<resource>/status} and {@code .../error}). For a gateway that
     * speaks for many endpoints: two subscriptions per resource and extension whatever the number
     * of endpoints (100,000 endpoints on {@code /json} share two), and no echoes of its own
     * requests. The broker also sends the replies meant for other clients on the same resources,
     * which count as unknown (D15). Endpoint-unaware paths get their {@link #REPLY_TOPICS} filters.
     */
    ANY_ENDPOINT_REPLY_TOPICS {
        @Override
        public List<String> filters(ResourcePath path, boolean push) {
            if (!path.hasEndpointToken()) {
                return REPLY_TOPICS.filters(path, push);
            }
            String p = "kp1/" + path.appVersion() + '/' + path.extension() + "/+" + path.resource();
            return push ? List.of(p + Topic.STATUS_SUFFIX, p + Topic.ERROR_SUFFIX)
                    : List.of(p + "/+" + Topic.STATUS_SUFFIX, p + "/+" + Topic.ERROR_SUFFIX);
        }
    };

    /**
     * The filters that receive the replies to requests on {@code path} ({@code push} false), or the
     * pushes without request ID on it ({@code push} true).
     */
    public abstract List<String> filters(ResourcePath path, boolean push);
}
