package io.kp1.http;

import io.kp1.ErrorResponse;
import io.kp1.InvalidPayloadException;
import io.kp1.InvalidTopicException;
import io.kp1.InvalidTopicException.Reason;
import io.kp1.Reply;
import io.kp1.ResourcePath;
import io.kp1.client.Endpoint;
import io.kp1.client.Observation;
import io.kp1.http.internal.HttpPaths;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The 1/KP client over HTTP (K12), on a JDK {@link HttpClient} the host supplies, so requests
 * carry the host's TLS, proxy and authentication settings. Each request is
 * {@code POST <base>/kp1/<appVersion>/<extension>/<token>/<resource>} with the payload as the
 * body; each level is percent-encoded on its own as UTF-8 (D9).
 *
 * <pre>{@code
 * HttpClient http = HttpClient.newBuilder().sslContext(tls).build();   // the host's settings
 * Kp1HttpClient kp = Kp1HttpClient.builder(http, URI.create("https://host/kpc"))
 *         .requestTimeout(Duration.ofSeconds(10))
 *         .build();
 * Endpoint kettle = kp.endpoint("smart_kettle_v1", "JTjdbENzHh");
 * Reply r = kettle.request("dcx", "/json", "[{\"temperature\":97}]").join();
 *         // POST https://host/kpc/kp1/smart_kettle_v1/dcx/JTjdbENzHh/json
 * r.isSuccess();                   // 2xx
 * kettle.supportsObserve();        // false: no server push over HTTP (K12)
 * }</pre>
 *
 * <table>
 *   <caption>Responses (D10)</caption>
 *   <tr><th>HTTP</th><th>the future</th></tr>
 *   <tr><td>2xx</td><td>a success {@link Reply} with the body</td></tr>
 *   <tr><td>other status, K7 body</td><td>an error {@link Reply} decoded from the body</td></tr>
 *   <tr><td>other status, other body</td><td>an error {@link Reply} with the status and its standard reason
 *       ({@code 502 "Bad Gateway"})</td></tr>
 *   <tr><td>no response: I/O failure, timeout</td><td>completes exceptionally with the cause
 *       ({@link java.net.http.HttpTimeoutException}, {@link java.net.ConnectException}, ...)</td></tr>
 * </table>
 *
 * <p>The client never sends a request ID (D9), and refuses, before sending anything, a path that
 * the server would read otherwise: one whose last level is digits only (it would be taken for a
 * request ID, D1, D8) or that has a level {@code .} or {@code ..} (D9). Immutable and
 * thread-safe; it owns no thread and closes nothing: the {@link HttpClient} (and the executor
 * of {@link Builder#executor}, if given) stay the host's. Futures complete on a thread of the
 * {@link HttpClient} or of that executor: keep long work off their dependent stages.
 */
public final class Kp1HttpClient {
    /** The default per-request timeout: 30 seconds. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** The default request content type. */
    public static final String DEFAULT_CONTENT_TYPE = "application/json";

    private final HttpClient http;
    private final URI baseUri;
    /** {@code <scheme>://<authority><base path>/kp1/}. */
    private final String prefix;
    private final Duration requestTimeout;
    private final String contentType;
    private final Executor executor;
    /**
     * The URIs of recently used paths: building one (checks, percent-encoding, {@link URI#create}
     * parsing it again) cost about a tenth of a loopback exchange. Bounded: emptied when full.
     */
    private final ConcurrentHashMap<ResourcePath, URI> uris = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_URIS = 4096;

    private Kp1HttpClient(Builder b) {
        this.http = b.http;
        this.baseUri = b.baseUri;
        String s = b.baseUri.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        this.prefix = s + "/kp1/";
        this.requestTimeout = b.requestTimeout;
        this.contentType = b.contentType;
        this.executor = b.executor;
    }

    /**
     * A builder for a client of the server at {@code baseUri}, e.g. {@code https://host/kpc} or
     * {@code http://127.0.0.1:8080}.
     *
     * @throws IllegalArgumentException if the URI is not absolute {@code http} or {@code https},
     *                                  or has a query or fragment
     */
    public static Builder builder(HttpClient http, URI baseUri) {
        return new Builder(http, baseUri);
    }

    /**
     * The handle of one endpoint (K1, K10): a gateway asks for one per device. Requests from it
     * go to {@code <base>/kp1/<appVersion>/<extension>/<endpointToken>/...}.
     *
     * @throws IllegalArgumentException if a level is invalid (K1, D3, D4) or {@code .} or {@code ..} (D9)
     */
    public Endpoint endpoint(String appVersion, String endpointToken) {
        ResourcePath probe = ResourcePath.builder(appVersion, "x").endpointToken(endpointToken).build();
        checkHttpLevels(probe);
        return new HttpEndpoint(appVersion, endpointToken);
    }

    /**
     * Sends a request for any path, endpoint-unaware extensions (D7) included, with the default
     * timeout and content type.
     *
     * @throws IllegalArgumentException if the path cannot be sent over HTTP (see the class comment)
     */
    public CompletableFuture<Reply> request(ResourcePath path, byte[] payload) {
        return request(path, payload, contentType, requestTimeout);
    }

    /**
     * Sends a request with this content type and timeout.
     *
     * @throws IllegalArgumentException if the path cannot be sent over HTTP (see the class comment)
     */
    public CompletableFuture<Reply> request(ResourcePath path, byte[] payload, String contentType, Duration timeout) {
        HttpRequest request = httpRequest(path, payload, contentType, timeout);
        if (executor == null) {
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                    .thenApply(response -> toReply(response.statusCode(), response.body()));
        }
        // The blocking send on a thread of the host's executor: on JDK 17 it spends fewer thread
        // hand-offs per exchange than sendAsync (see the README's benchmark).
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    reply.complete(toReply(response.statusCode(), response.body()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    reply.completeExceptionally(e);
                } catch (Throwable t) {
                    reply.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            reply.completeExceptionally(e);
        }
        return reply;
    }

    /**
     * Sends a request and waits for its reply on the calling thread: the blocking counterpart of
     * {@link #request(ResourcePath, byte[])}, with the same replies (D10), for callers that wait
     * anyway. It costs no thread hand-off, so it is the fastest way through this client.
     *
     * <pre>{@code
     * Reply r = kp.requestBlocking(ResourcePath.of("kettle_v1", "dcx", "JTjdbENzHh", "/json"), samples);
     * }</pre>
     *
     * @throws IllegalArgumentException if the path cannot be sent over HTTP (see the class comment)
     * @throws IOException              when no response came: an I/O failure or a timeout
     *                                  ({@link java.net.http.HttpTimeoutException})
     * @throws InterruptedException     if the thread was interrupted while waiting
     */
    public Reply requestBlocking(ResourcePath path, byte[] payload) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(httpRequest(path, payload, contentType, requestTimeout),
                HttpResponse.BodyHandlers.ofByteArray());
        return toReply(response.statusCode(), response.body());
    }

    private HttpRequest httpRequest(ResourcePath path, byte[] payload, String contentType, Duration timeout) {
        Objects.requireNonNull(payload, "payload must not be null");
        Objects.requireNonNull(contentType, "contentType must not be null");
        checkTimeout(timeout);
        return HttpRequest.newBuilder(cachedUriOf(path))
                .timeout(timeout)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                .build();
    }

    /** {@link #uriOf}, from the cache when the path was used recently. */
    private URI cachedUriOf(ResourcePath path) {
        Objects.requireNonNull(path, "path must not be null");
        URI uri = uris.get(path);
        if (uri == null) {
            uri = uriOf(path); // throws for a path that cannot be sent: nothing invalid is cached
            if (uris.size() >= MAX_CACHED_URIS) {
                uris.clear();
            }
            uris.put(path, uri);
        }
        return uri;
    }

    /**
     * The URI a request for {@code path} goes to: each level percent-encoded on its own (D9).
     * {@code kp1/kettle_v1/dcx/tok/a b} under {@code https://host/kpc} is
     * {@code https://host/kpc/kp1/kettle_v1/dcx/tok/a%20b}.
     *
     * @throws IllegalArgumentException if the path cannot be sent over HTTP (see the class comment)
     */
    public URI uriOf(ResourcePath path) {
        Objects.requireNonNull(path, "path must not be null");
        checkHttpLevels(path);
        if (path.endsWithDigitsLevel()) {
            String text = path.asString();
            throw new InvalidTopicException("1/KP resource path", text, Reason.AMBIGUOUS_LAST_LEVEL,
                    text.lastIndexOf('/') + 1, "the HTTP client sends no request ID, so the server would take this "
                            + "level for one (D9)");
        }
        StringBuilder sb = new StringBuilder(prefix.length() + path.asString().length() + 16).append(prefix);
        HttpPaths.appendEncoded(sb, path.appVersion());
        sb.append('/');
        HttpPaths.appendEncoded(sb, path.extension());
        if (path.hasEndpointToken()) {
            sb.append('/');
            HttpPaths.appendEncoded(sb, path.endpointToken());
        }
        for (String segment : path.resourceSegments()) {
            sb.append('/');
            HttpPaths.appendEncoded(sb, segment);
        }
        return URI.create(sb.toString());
    }

    /** D9: the server refuses {@code .} and {@code ..} however they are encoded. */
    private static void checkHttpLevels(ResourcePath path) {
        String s = path.asString();
        int start = 0;
        while (start <= s.length()) {
            int end = s.indexOf('/', start);
            if (end < 0) {
                end = s.length();
            }
            int n = end - start;
            if ((n == 1 || n == 2) && s.charAt(start) == '.' && (n == 1 || s.charAt(start + 1) == '.')) {
                throw new InvalidTopicException("1/KP resource path", s, Reason.DOT_SEGMENT, start,
                        "HTTP servers refuse or remove . and .. path segments");
            }
            start = end + 1;
        }
    }

    private static void checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    /** D10: 2xx is a success; anything else an error, decoded from the K7 body when it is one. */
    static Reply toReply(int status, byte[] responseBody) {
        byte[] body = responseBody == null ? new byte[0] : responseBody;
        if (status >= 200 && status < 300) {
            return Reply.ok(body);
        }
        if (body.length > 0) {
            try {
                return Reply.error(ErrorResponse.fromJson(body));
            } catch (InvalidPayloadException notK7) {
                // A proxy's or container's own page: fall back to the status line.
            }
        }
        if (status < 100 || status > 599) {
            return Reply.error(502, "Invalid HTTP status " + status);
        }
        return Reply.error(status, StatusReasons.of(status));
    }

    /** The base URI given to the builder. */
    public URI baseUri() {
        return baseUri;
    }

    /** The default per-request timeout. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    @Override
    public String toString() {
        return "Kp1HttpClient[" + baseUri + ", timeout " + requestTimeout + "]";
    }

    /**
     * Builds a {@link Kp1HttpClient}; not thread-safe.
     *
     * <pre>{@code
     * Kp1HttpClient kp = Kp1HttpClient.builder(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:8080"))
     *         .requestTimeout(Duration.ofSeconds(5))
     *         .contentType("application/json")
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private final HttpClient http;
        private final URI baseUri;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private String contentType = DEFAULT_CONTENT_TYPE;
        private Executor executor;

        private Builder(HttpClient http, URI baseUri) {
            this.http = Objects.requireNonNull(http, "http must not be null");
            Objects.requireNonNull(baseUri, "baseUri must not be null");
            String scheme = baseUri.getScheme();
            if (!baseUri.isAbsolute() || baseUri.isOpaque() || baseUri.getRawAuthority() == null
                    || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                throw new IllegalArgumentException("Base URI must be an absolute http or https URI such as "
                        + "https://host/kpc, was " + baseUri);
            }
            if (baseUri.getRawQuery() != null || baseUri.getRawFragment() != null) {
                throw new IllegalArgumentException("Base URI must have no query and no fragment, was " + baseUri);
            }
            this.baseUri = baseUri;
        }

        /** The timeout of each request, from sending to the response headers; 30 seconds by default. */
        public Builder requestTimeout(Duration timeout) {
            checkTimeout(timeout);
            this.requestTimeout = timeout;
            return this;
        }

        /** The {@code Content-Type} of request bodies; {@code application/json} by default (K9). */
        public Builder contentType(String contentType) {
            this.contentType = Objects.requireNonNull(contentType, "contentType must not be null");
            return this;
        }

        /**
         * Runs each request as a blocking {@link HttpClient#send} on a thread of this executor,
         * instead of {@link HttpClient#sendAsync} (the default). Each request then holds a
         * thread until its response or timeout, and in exchange costs fewer thread hand-offs:
         * on JDK 17 a fraction of the latency of {@code sendAsync} (README, "Performance").
         * Suits virtual threads ({@code Executors.newVirtualThreadPerTaskExecutor()} on Java 21)
         * or a pool sized for the requests in flight. Never pass the {@link HttpClient}'s own
         * executor: a blocking send waits for work that executor must do. The client does not
         * shut it down. {@code null} restores the default.
         */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /** Builds the client. */
        public Kp1HttpClient build() {
            return new Kp1HttpClient(this);
        }
    }

    /** One endpoint's {@link Endpoint} over this client. */
    private final class HttpEndpoint implements Endpoint {
        private final String appVersion;
        private final String token;
        /** The path of the last request: a device usually posts to the same resource again. */
        private volatile ResourcePath last;

        HttpEndpoint(String appVersion, String token) {
            this.appVersion = appVersion;
            this.token = token;
        }

        @Override
        public String appVersion() {
            return appVersion;
        }

        @Override
        public String endpointToken() {
            return token;
        }

        @Override
        public CompletableFuture<Reply> request(String extension, String resource, byte[] payload) {
            return Kp1HttpClient.this.request(pathOf(extension, resource), payload);
        }

        private ResourcePath pathOf(String extension, String resource) {
            ResourcePath p = last;
            if (p != null && p.resource().equals(resource) && p.extension().equals(extension)) {
                return p;
            }
            p = ResourcePath.of(appVersion, extension, token, resource);
            last = p;
            return p;
        }

        @Override
        public CompletableFuture<Void> send(String extension, String resource, byte[] payload) {
            return request(extension, resource, payload).thenApply(reply -> {
                if (!reply.isSuccess()) {
                    throw new ErrorReplyException(reply);
                }
                return null;
            });
        }

        @Override
        public boolean supportsObserve() {
            return false;
        }

        @Override
        public Observation observe(String extension, String resource, byte[] payload, Consumer<? super Reply> listener) {
            throw new UnsupportedOperationException("observe is not available over HTTP: 1/KP over HTTP has no "
                    + "server push and answers each request once (K12); use the MQTT binding to observe "
                    + extension + resource);
        }

        @Override
        public Observation onPush(String extension, String resource, Consumer<? super Reply> listener) {
            throw new UnsupportedOperationException("Server pushes are not available over HTTP: 1/KP over HTTP "
                    + "has no server push (K12); use the MQTT binding to receive pushes on " + extension + resource);
        }

        /** {@code Endpoint[kettle_v1, JT******Hh over Kp1HttpClient[...]]}: the token redacted (D16). */
        @Override
        public String toString() {
            String redacted = ResourcePath.of(appVersion, "x", token, "").toString();
            return "Endpoint[" + appVersion + ", " + redacted.substring(redacted.lastIndexOf('/') + 1) + " over "
                    + Kp1HttpClient.this + "]";
        }
    }

    /** Standard reason phrases (RFC 9110) for the fallback of non-K7 error bodies. */
    static final class StatusReasons {
        private static final List<Object> TABLE = List.of(
                300, "Multiple Choices", 301, "Moved Permanently", 302, "Found", 303, "See Other",
                304, "Not Modified", 307, "Temporary Redirect", 308, "Permanent Redirect",
                400, "Bad Request", 401, "Unauthorized", 402, "Payment Required", 403, "Forbidden",
                404, "Not Found", 405, "Method Not Allowed", 406, "Not Acceptable",
                407, "Proxy Authentication Required", 408, "Request Timeout", 409, "Conflict", 410, "Gone",
                411, "Length Required", 412, "Precondition Failed", 413, "Content Too Large",
                414, "URI Too Long", 415, "Unsupported Media Type", 416, "Range Not Satisfiable",
                417, "Expectation Failed", 421, "Misdirected Request", 422, "Unprocessable Content",
                426, "Upgrade Required", 428, "Precondition Required", 429, "Too Many Requests",
                431, "Request Header Fields Too Large", 451, "Unavailable For Legal Reasons",
                500, "Internal Server Error", 501, "Not Implemented", 502, "Bad Gateway",
                503, "Service Unavailable", 504, "Gateway Timeout", 505, "HTTP Version Not Supported",
                511, "Network Authentication Required");

        private StatusReasons() {
        }

        /** {@code 502 -> "Bad Gateway"}; {@code "HTTP status 499"} for a code without a standard phrase. */
        static String of(int status) {
            for (int i = 0; i < TABLE.size(); i += 2) {
                if ((Integer) TABLE.get(i) == status) {
                    return (String) TABLE.get(i + 1);
                }
            }
            return "HTTP status " + status;
        }
    }
}
