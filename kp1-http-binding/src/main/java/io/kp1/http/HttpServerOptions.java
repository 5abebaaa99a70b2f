package io.kp1.http;

import io.kp1.TopicParser;

import java.util.Objects;
import java.util.Optional;

/**
 * Settings shared by the server adapters ({@link Kp1HttpHandler} for the JDK HTTP server,
 * {@link io.kp1.http.servlet.Kp1Servlet} for servlet containers). Immutable.
 *
 * <pre>{@code
 * HttpServerOptions options = HttpServerOptions.builder()
 *         .maxBodyBytes(64 * 1024)                       // 413 past 64 KiB (D10)
 *         .topicParser(TopicParser.builder().endpointUnaware("registry").build())   // D7
 *         .authenticator(auth).basicRealm("kp1")         // K13
 *         .build();
 * httpServer.createContext("/kpc", Kp1HttpHandler.of(router, options));
 * }</pre>
 */
public final class HttpServerOptions {
    /** The default body limit: 1 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    /** The default content type of success bodies. */
    public static final String DEFAULT_SUCCESS_CONTENT_TYPE = "application/json";

    private static final HttpServerOptions DEFAULTS = builder().build();

    private final int maxBodyBytes;
    private final TopicParser topicParser;
    private final HttpAuthenticator authenticator;
    private final String basicRealm;
    private final String successContentType;

    private HttpServerOptions(Builder b) {
        this.maxBodyBytes = b.maxBodyBytes;
        this.topicParser = b.topicParser;
        this.authenticator = b.authenticator;
        this.basicRealm = b.basicRealm;
        this.successContentType = b.successContentType;
    }

    /** The defaults: 1 MiB bodies, {@link TopicParser#defaults()}, no authentication, JSON success bodies. */
    public static HttpServerOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The largest request body accepted; a larger one is answered 413 (D10). */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** The parser that reads the decoded URL path as a 1/KP request topic (D9: D1, D7 and D1b apply). */
    public TopicParser topicParser() {
        return topicParser;
    }

    /** The authenticator (K13), if any; without one every request is routed without a principal. */
    public Optional<HttpAuthenticator> authenticator() {
        return Optional.ofNullable(authenticator);
    }

    /** The realm of the {@code WWW-Authenticate: Basic} challenge sent with every 401, if Basic is in use. */
    public Optional<String> basicRealm() {
        return Optional.ofNullable(basicRealm);
    }

    /** The {@code Content-Type} of non-empty success bodies; error bodies are always {@code application/json} (K7). */
    public String successContentType() {
        return successContentType;
    }

    @Override
    public String toString() {
        return "HttpServerOptions[maxBodyBytes=" + maxBodyBytes + ", authenticator=" + (authenticator != null)
                + ", basicRealm=" + basicRealm + ", successContentType=" + successContentType + "]";
    }

    /**
     * Builds {@link HttpServerOptions}; not thread-safe.
     *
     * <pre>{@code
     * HttpServerOptions o = HttpServerOptions.builder().maxBodyBytes(4096).build();
     * }</pre>
     */
    public static final class Builder {
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private TopicParser topicParser = TopicParser.defaults();
        private HttpAuthenticator authenticator;
        private String basicRealm;
        private String successContentType = DEFAULT_SUCCESS_CONTENT_TYPE;

        private Builder() {
        }

        /**
         * The largest request body to accept, in bytes (D10): a {@code Content-Length} above it
         * is answered 413 without reading the body; a chunked body is counted while it is read,
         * and reading stops one byte past the limit.
         *
         * @throws IllegalArgumentException if negative or {@code Integer.MAX_VALUE} (one byte past must fit)
         */
        public Builder maxBodyBytes(int maxBodyBytes) {
            if (maxBodyBytes < 0 || maxBodyBytes == Integer.MAX_VALUE) {
                throw new IllegalArgumentException("maxBodyBytes must be 0.." + (Integer.MAX_VALUE - 1)
                        + ", was " + maxBodyBytes);
            }
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /** The parser for the decoded path: endpoint-unaware extensions (D7), request ID 0 (D1b). */
        public Builder topicParser(TopicParser topicParser) {
            this.topicParser = Objects.requireNonNull(topicParser, "topicParser");
            return this;
        }

        /** Authenticates every request (K13); {@code null} for none. */
        public Builder authenticator(HttpAuthenticator authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        /**
         * Says that HTTP Basic is in use: every 401 carries {@code WWW-Authenticate: Basic
         * realm="<realm>", charset="UTF-8"}. {@code null} for no challenge.
         *
         * @throws IllegalArgumentException if the realm contains {@code "}, {@code \} or a control character
         */
        public Builder basicRealm(String realm) {
            if (realm != null) {
                for (int i = 0; i < realm.length(); i++) {
                    char c = realm.charAt(i);
                    if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7F) {
                        throw new IllegalArgumentException("Basic realm must be printable ASCII without \" or \\: \""
                                + realm + "\"");
                    }
                }
            }
            this.basicRealm = realm;
            return this;
        }

        /** The {@code Content-Type} of non-empty success bodies; {@code application/json} by default (K9). */
        public Builder successContentType(String contentType) {
            this.successContentType = Objects.requireNonNull(contentType, "contentType");
            return this;
        }

        /** Builds the options. */
        public HttpServerOptions build() {
            return new HttpServerOptions(this);
        }
    }
}
