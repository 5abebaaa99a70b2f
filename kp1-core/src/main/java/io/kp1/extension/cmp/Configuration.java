package io.kp1.extension.cmp;

import io.kp1.InvalidPayloadException;
import io.kp1.Reply;
import io.kp1.client.Endpoint;
import io.kp1.client.Observation;
import io.kp1.extension.ExtensionRoutes;
import io.kp1.extension.PayloadLimits;
import io.kp1.extension.internal.ExtensionClient;
import io.kp1.extension.internal.Handlers;
import io.kp1.extension.internal.Names;
import io.kp1.extension.internal.SimpleRoutes;
import io.kp1.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * 7/CMP configuration, client side: a thin typed facade over an {@link Endpoint} from either
 * binding, for the default configuration ({@code /config/json}) or a named one
 * ({@code /config/json/<name>}); and, with {@link #routes}, the server side over a
 * {@link ConfigurationSource}.
 *
 * <pre>{@code
 * Configuration cfg = Configuration.on(endpoint);                       // instance "cmx", default configuration
 * ConfigResponse now = cfg.get().join();                                // {"observe":false}
 * ConfigResponse next = cfg.get(now.configId()).join();                 // next.isUnchanged() unless it changed
 * try (Observation o = cfg.observe(now.configId(), c -> {               // {"configId":..,"observe":true}, MQTT only
 *          if (apply(c.config())) cfg.applied(c.configId());
 *          else cfg.rejected(c.configId(), 400, "WPA2 is not supported");
 *      })) { ... }
 * Configuration wifi = cfg.named("wifi");                               // /config/json/wifi, /applied/json/wifi
 * }</pre>
 *
 * <h2>configId rules (7/CMP)</h2>
 * <ul>
 *   <li>No configuration assigned: the server sends {@code {"configId":"","config":null}}
 *       ({@link ConfigResponse#isAbsent()}); pass {@code ""} as the known id to hear only of a
 *       first configuration.</li>
 *   <li>The known id is current: the server sends {@code {}} over MQTT; over HTTP it may answer
 *       304 (D10), which an HTTP binding hands over as an error reply 304 or an empty success:
 *       {@link #get(String)} completes with {@link ConfigResponse#unchanged()} for all three.</li>
 * </ul>
 *
 * <h2>Observing (K11)</h2>
 * {@link #observe} sends {@code "observe":true} and listens both for replies to that request and
 * for pushes without a request ID on {@code <resource>/status}. The listener gets each new
 * configuration once: "unchanged" replies, and a configuration with the id it was last given
 * (or the known id), are not passed on. A reply that breaks the schema is logged at WARN and
 * dropped. An error reply ends the observation: {@code ended()} fails with
 * {@link io.kp1.extension.Kp1ErrorException} (D13). The listener runs on the endpoint's delivery
 * thread (the transport's, over MQTT): keep it short; what it throws is logged and dropped.
 * Over HTTP (no push, K12) {@code observe} throws {@link UnsupportedOperationException}: poll
 * {@link #get(String)} instead.
 *
 * <p>Futures complete exceptionally with {@link io.kp1.extension.Kp1ErrorException} on an error
 * reply, with {@link InvalidPayloadException} when a reply breaks the schema, and with whatever
 * the endpoint reports when no reply came (D14). Immutable and thread-safe.
 */
public final class Configuration {
    private static final Logger LOG = LoggerFactory.getLogger(Configuration.class);

    /** The usual instance name. */
    public static final String DEFAULT_INSTANCE = "cmx";
    /** The name of the default configuration ({@code /config/json}); other names match {@value #NAME_PATTERN}. */
    public static final String DEFAULT_NAME = "";
    /** The pattern configuration names match. */
    public static final String NAME_PATTERN = Names.NAME_PATTERN;

    static final String CONFIG = "/config/json";
    static final String APPLIED = "/applied/json";
    private static final byte[] UNCHANGED_JSON = "{}".getBytes(StandardCharsets.UTF_8);
    private static final int NOT_MODIFIED = 304;

    private final ExtensionClient client;
    private final String name;

    private Configuration(ExtensionClient client, String name) {
        this.client = client;
        this.name = name;
    }

    /** The facade for the default configuration of the {@code cmx} instance of this endpoint. */
    public static Configuration on(Endpoint endpoint) {
        return on(endpoint, DEFAULT_INSTANCE);
    }

    /**
     * The facade for the default configuration of another instance.
     *
     * @throws IllegalArgumentException if {@code instance} is not a valid topic level (K1, D3, D4)
     */
    public static Configuration on(Endpoint endpoint, String instance) {
        return new Configuration(ExtensionClient.of(endpoint, instance), DEFAULT_NAME);
    }

    /**
     * This facade for a named configuration; {@link #DEFAULT_NAME} for the default one.
     *
     * @throws IllegalArgumentException if {@code name} does not match {@value #NAME_PATTERN}
     */
    public Configuration named(String name) {
        Objects.requireNonNull(name, "name must not be null");
        return new Configuration(client, name.isEmpty() ? name : Names.checkConfigName(name));
    }

    /** This facade reading replies, and refusing requests, past {@code limits}. */
    public Configuration withLimits(PayloadLimits limits) {
        return new Configuration(client.withLimits(limits), name);
    }

    /** The extension instance name. */
    public String instance() {
        return client.instance();
    }

    /** The configuration name, {@link #DEFAULT_NAME} for the default configuration. */
    public String name() {
        return name;
    }

    /** Whether {@code name} is a valid configuration name ({@value #NAME_PATTERN}). */
    public static boolean isValidName(String name) {
        return Names.isName(name);
    }

    private String configResource() {
        return name.isEmpty() ? CONFIG : CONFIG + "/" + name;
    }

    private String appliedResource() {
        return name.isEmpty() ? APPLIED : APPLIED + "/" + name;
    }

    /** The current configuration, without observing: {@code {"observe":false}}. */
    public CompletableFuture<ConfigResponse> get() {
        return get0(ConfigRequest.of().withObserve(false));
    }

    /**
     * The configuration if it is not {@code knownConfigId}, else {@link ConfigResponse#unchanged()}:
     * {@code {"configId":..,"observe":false}}.
     */
    public CompletableFuture<ConfigResponse> get(String knownConfigId) {
        return get0(ConfigRequest.of().withConfigId(knownConfigId).withObserve(false));
    }

    private CompletableFuture<ConfigResponse> get0(ConfigRequest request) {
        String resource = configResource();
        return client.rawRequest(resource, request.toJson(client.limits())).thenApply(r -> {
            if (!r.isSuccess()) {
                if (r.statusCode() == NOT_MODIFIED) {
                    return ConfigResponse.unchanged(); // HTTP (D10)
                }
                throw client.error(r, resource);
            }
            return read(r);
        });
    }

    private ConfigResponse read(Reply r) {
        // An HTTP binding may hand a bodiless 304 over as an empty success.
        return r.payloadBytes().length == 0 ? ConfigResponse.unchanged()
                : ConfigResponse.fromJson(r.payloadBytes(), client.limits());
    }

    /**
     * Observes the configuration (K11): the current one, then every change.
     *
     * @throws UnsupportedOperationException over a transport without push (HTTP, K12)
     */
    public Observation observe(Consumer<? super ConfigResponse> listener) {
        return observe0(null, listener);
    }

    /**
     * Observes the configuration, telling the server which one the endpoint has: the listener
     * hears of a configuration only once it differs from {@code knownConfigId}.
     *
     * @throws UnsupportedOperationException over a transport without push (HTTP, K12)
     */
    public Observation observe(String knownConfigId, Consumer<? super ConfigResponse> listener) {
        return observe0(Objects.requireNonNull(knownConfigId, "knownConfigId must not be null"), listener);
    }

    private Observation observe0(String known, Consumer<? super ConfigResponse> listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        client.requireObserve("Observing a 7/CMP configuration needs server push, which this endpoint's transport "
                + "does not have (K12); call get(knownConfigId) periodically instead");
        ConfigRequest request = ConfigRequest.of().withObserve(true);
        if (known != null) {
            request = request.withConfigId(known);
        }
        String resource = configResource();
        AtomicReference<String> last = new AtomicReference<>(known);
        return client.observe(resource, request.toJson(client.limits()), this::read, c -> {
            if (c.isUnchanged() || c.configId().equals(last.getAndSet(c.configId()))) {
                return;
            }
            try {
                listener.accept(c);
            } catch (RuntimeException e) {
                LOG.warn("A 7/CMP configuration listener of {} {} failed", client.instance(), resource, client.redacted(e));
            }
        }, LOG, "a 7/CMP configuration");
    }

    /** Reports the configuration applied ({@code /applied/json[/<name>]}, {@code {"configId":..}}). */
    public CompletableFuture<Void> applied(String configId) {
        return report(AppliedReport.applied(configId));
    }

    /**
     * Reports the configuration rejected.
     *
     * @throws IllegalArgumentException for a 2xx status code or one outside 100..599
     */
    public CompletableFuture<Void> rejected(String configId, int statusCode, String reasonPhrase) {
        return report(AppliedReport.rejected(configId, statusCode, reasonPhrase));
    }

    /** Sends an applied report; the success reply, empty per 7/CMP, is ignored. */
    public CompletableFuture<Void> report(AppliedReport report) {
        String resource = appliedResource();
        byte[] payload = Objects.requireNonNull(report, "report must not be null").toJson(client.limits());
        return client.requestIgnoringPayload(resource, payload);
    }

    /**
     * The 7/CMP routes over a source, with the default limits: {@code /config/json},
     * {@code /config/json/{name}}, {@code /applied/json}, {@code /applied/json/{name}}.
     *
     * <pre>{@code
     * Configuration.routes(source).addTo(routerBuilder);     // under "cmx"
     * }</pre>
     */
    public static ExtensionRoutes routes(ConfigurationSource source) {
        return routes(source, PayloadLimits.DEFAULTS);
    }

    /** The 7/CMP routes over a source, reading requests under {@code limits}. */
    public static ExtensionRoutes routes(ConfigurationSource source, PayloadLimits limits) {
        Objects.requireNonNull(source, "source must not be null");
        Objects.requireNonNull(limits, "limits must not be null");
        return new SimpleRoutes(DEFAULT_INSTANCE)
                .on(CONFIG, req -> config(source, limits, req, DEFAULT_NAME))
                .on(CONFIG + "/{name}", req -> config(source, limits, req, req.pathVariable("name")))
                .on(APPLIED, req -> applied(source, limits, req, DEFAULT_NAME))
                .on(APPLIED + "/{name}", req -> applied(source, limits, req, req.pathVariable("name")));
    }

    private static CompletionStage<Reply> config(ConfigurationSource source, PayloadLimits limits, Request req,
            String name) throws Exception {
        if (!name.isEmpty() && !Names.isName(name)) {
            return Handlers.badRequest(Names.invalidConfigName(name));
        }
        return Handlers.withBody(req, limits, ConfigRequest::fromJson, body -> Handlers.call(
                "ConfigurationSource.current", () -> source.current(req, name, body), c -> {
                    if (c.isUnchanged() || body.configId().map(c.configId()::equals).orElse(false)) {
                        return Reply.ok(UNCHANGED_JSON);
                    }
                    return Reply.ok(c.toJson(limits));
                }));
    }

    private static CompletionStage<Reply> applied(ConfigurationSource source, PayloadLimits limits, Request req,
            String name) throws Exception {
        if (!name.isEmpty() && !Names.isName(name)) {
            return Handlers.badRequest(Names.invalidConfigName(name));
        }
        return Handlers.withBody(req, limits, AppliedReport::fromJson, report -> Handlers.callVoid(
                "ConfigurationSource.applied", () -> source.applied(req, name, report), Reply.ok()));
    }

    @Override
    public String toString() {
        return "Configuration[" + client.instance() + (name.isEmpty() ? "" : ", " + name) + "]";
    }
}
