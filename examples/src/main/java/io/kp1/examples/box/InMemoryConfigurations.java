package io.kp1.examples.box;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kp1.ResourcePath;
import io.kp1.Topic;
import io.kp1.extension.cmp.AppliedReport;
import io.kp1.extension.cmp.ConfigRequest;
import io.kp1.extension.cmp.ConfigResponse;
import io.kp1.extension.cmp.ConfigurationSource;
import io.kp1.server.Request;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Kaa in a box's 7/CMP configurations: a default configuration for every endpoint, and the ones
 * the test or demo assigns to single endpoints. A configuration's id is a hash of its JSON, as in
 * Kaa, so the same configuration has the same id.
 *
 * <pre>{@code
 * box.configurations().setDefault(json);                    // what every endpoint gets first
 * String id = box.configurations().set("JTjdbENzHh", json); // a new one for one endpoint
 * box.configurations().applied("JTjdbENzHh");               // its last applied report, if any
 * }</pre>
 *
 * <p>Endpoints that observe over MQTT ({@code "observe":true}, K11) get a changed configuration
 * pushed on {@code kp1/<app>/cmx/<token>/config/json[/<name>]/status}; HTTP has no push (K12),
 * so HTTP endpoints see the change on their next request. Thread-safe.
 */
public final class InMemoryConfigurations implements ConfigurationSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One endpoint's configuration of one name; {@code ""} is the default configuration. */
    private record Key(String token, String name) {
    }

    /** An endpoint that observes a configuration, with the application version to push under. */
    private record Observer(String appVersion, Key key) {
    }

    private final Map<Key, ConfigResponse> assigned = new HashMap<>();
    private final Map<Key, AppliedReport> reports = new HashMap<>();
    private final Set<Observer> observers = new HashSet<>();
    private ConfigResponse defaults = ConfigResponse.absent();
    private volatile Pusher pusher;

    InMemoryConfigurations() {
    }

    void pusher(Pusher pusher) {
        this.pusher = pusher;
    }

    @Override
    public synchronized CompletionStage<ConfigResponse> current(Request request, String name, ConfigRequest body) {
        Key key = new Key(request.endpointToken(), name);
        if (request.isMqtt() && body.observe().orElse(false)) {
            observers.add(new Observer(request.appVersion(), key));
        }
        ConfigResponse c = assigned.get(key);
        return CompletableFuture.completedFuture(c != null ? c : name.isEmpty() ? defaults : ConfigResponse.absent());
    }

    @Override
    public synchronized CompletionStage<Void> applied(Request request, String name, AppliedReport report) {
        reports.put(new Key(request.endpointToken(), name), report);
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Sets the default configuration, which every endpoint without one of its own gets.
     *
     * @return its configId
     */
    public synchronized String setDefault(JsonNode config) {
        defaults = ConfigResponse.of(idOf(config), config);
        return defaults.configId();
    }

    /**
     * Assigns a default configuration ({@code /config/json}) to one endpoint, and pushes it to
     * the endpoint if it observes over MQTT.
     *
     * @return its configId
     */
    public String set(String endpointToken, JsonNode config) {
        return set(endpointToken, "", config);
    }

    /**
     * Assigns a named configuration ({@code /config/json/<name>}; {@code ""} for the default
     * one) to one endpoint, and pushes it to the endpoint if it observes over MQTT.
     *
     * @return its configId
     */
    public String set(String endpointToken, String name, JsonNode config) {
        Objects.requireNonNull(endpointToken, "endpointToken must not be null");
        Objects.requireNonNull(name, "name must not be null");
        ConfigResponse c = ConfigResponse.of(idOf(config), config);
        Key key = new Key(endpointToken, name);
        List<Observer> to;
        synchronized (this) {
            assigned.put(key, c);
            to = observers.stream().filter(o -> o.key.equals(key)).toList();
        }
        Pusher p = pusher;
        if (p != null) {
            for (Observer o : to) {
                String resource = name.isEmpty() ? "/config/json" : "/config/json/" + name;
                p.push(Topic.request(ResourcePath.of(o.appVersion, "cmx", endpointToken, resource)).statusTopic().name(),
                        c.toJson());
            }
        }
        return c.configId();
    }

    /** The configuration one endpoint gets now (its own, or the default one). */
    public synchronized ConfigResponse current(String endpointToken) {
        ConfigResponse c = assigned.get(new Key(endpointToken, ""));
        return c != null ? c : defaults;
    }

    /** The last applied or rejected report of one endpoint's default configuration. */
    public synchronized Optional<AppliedReport> applied(String endpointToken) {
        return applied(endpointToken, "");
    }

    /** The last applied or rejected report of one endpoint's named configuration. */
    public synchronized Optional<AppliedReport> applied(String endpointToken, String name) {
        return Optional.ofNullable(reports.get(new Key(endpointToken, name)));
    }

    /** The number of applied reports (default and named configurations) with this configId. */
    public synchronized long appliedCount(String configId) {
        return reports.values().stream().filter(r -> r.isApplied() && r.configId().equals(configId)).count();
    }

    /** A configuration's id: the start of the SHA-256 of its JSON text, as hex. */
    static String idOf(JsonNode config) {
        Objects.requireNonNull(config, "config must not be null");
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(JSON.writeValueAsString(config).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Cannot hash a configuration", e);
        }
    }

    @Override
    public synchronized String toString() {
        return "InMemoryConfigurations[" + assigned.size() + " assigned, " + reports.size() + " reports]";
    }
}
