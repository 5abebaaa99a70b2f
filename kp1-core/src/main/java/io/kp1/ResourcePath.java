package io.kp1;

import io.kp1.InvalidTopicException.Reason;
import io.kp1.internal.Levels;
import io.kp1.internal.Redaction;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An immutable 1/KP resource path (K1): {@code kp1/<appVersion>/<extension>[/<endpointToken>]/<resource>}.
 *
 * <p>The path has no request ID and no reply suffix: those belong to a {@link Topic}. It holds
 * its canonical text; {@link #equals}, {@link #hashCode} and {@link #asString()} use it.
 *
 * <table>
 *   <caption>Accessors for two paths</caption>
 *   <tr><th>{@code asString()}</th><th>{@code appVersion()}</th><th>{@code extension()}</th>
 *       <th>{@code endpointToken()}</th><th>{@code resource()}</th></tr>
 *   <tr><td>{@code kp1/demo_v1/dcx/JTjdbENzHh/json}</td><td>{@code demo_v1}</td><td>{@code dcx}</td>
 *       <td>{@code JTjdbENzHh}</td><td>{@code /json}</td></tr>
 *   <tr><td>{@code kp1/demo_v1/cex/tok/command/reboot}</td><td>{@code demo_v1}</td><td>{@code cex}</td>
 *       <td>{@code tok}</td><td>{@code /command/reboot}</td></tr>
 * </table>
 *
 * <pre>{@code
 * ResourcePath p = ResourcePath.of("demo_v1", "dcx", "JTjdbENzHh", "/json");
 * p.asString();  // "kp1/demo_v1/dcx/JTjdbENzHh/json"
 * p.toString();  // "kp1/demo_v1/dcx/JT******Hh/json" (token redacted, D16)
 * Topic t = Topic.request(p, 42); // kp1/demo_v1/dcx/JTjdbENzHh/json/42
 * }</pre>
 *
 * <p>Factories refuse any value that would not parse back to itself (D8): empty levels,
 * levels containing {@code /}, {@code +}, {@code #} or U+0000, and paths longer than an MQTT
 * topic may be. Endpoint-unaware extensions (D7) have no token level: pass a {@code null} token.
 */
public final class ResourcePath {
    private static final String PREFIX = "kp1/";

    private final String text;
    /** Index of the first character of the extension level. */
    private final int extensionStart;
    /** Index of the first character of the token level, or -1 for endpoint-unaware paths. */
    private final int tokenStart;
    /** Index of the '/' that starts the resource, or text.length() when the resource is empty. */
    private final int resourceStart;

    // Lazily cut out of text; racy single-check is safe because strings are immutable.
    private String appVersion;
    private String extension;
    private String token;
    private String resource;

    ResourcePath(String text, int extensionStart, int tokenStart, int resourceStart) {
        this.text = text;
        this.extensionStart = extensionStart;
        this.tokenStart = tokenStart;
        this.resourceStart = resourceStart;
    }

    /**
     * A path for an endpoint-aware extension, or an endpoint-unaware one when {@code endpointToken}
     * is null.
     *
     * @param resource the extension-specific part, {@code "/json"}, {@code "json"},
     *                 {@code "/command/reboot"}, or {@code ""} for none
     * @throws InvalidTopicException if a level breaks K1, D3, D4 or D8
     */
    public static ResourcePath of(String appVersion, String extension, String endpointToken, String resource) {
        Objects.requireNonNull(resource, "resource must not be null");
        Builder b = builder(appVersion, extension);
        if (endpointToken != null) {
            b.endpointToken(endpointToken);
        }
        return b.resource(resource).build();
    }

    /** A builder for a path under {@code kp1/<appVersion>/<extension>}. */
    public static Builder builder(String appVersion, String extension) {
        return new Builder(appVersion, extension);
    }

    /** A builder that starts from this path. */
    public Builder newBuilder() {
        Builder b = new Builder(appVersion(), extension());
        b.token = endpointToken();
        b.segments.addAll(resourceSegments());
        return b;
    }

    /**
     * An endpoint token redacted for logs and messages (D16): tokens of eight characters or more
     * keep their first two and last two characters, shorter ones become stars only.
     *
     * <pre>{@code
     * ResourcePath.redactToken("JTjdbENzHh");  // "JT******Hh"
     * ResourcePath.redactToken("abc");         // "***"
     * }</pre>
     */
    public static String redactToken(String token) {
        return token == null ? "null" : Redaction.token(token);
    }

    /** The canonical text, e.g. {@code kp1/demo_v1/dcx/JTjdbENzHh/json}; it contains the token. */
    public String asString() {
        return text;
    }

    /** The application version name, the second level (K1). */
    public String appVersion() {
        String s = appVersion;
        if (s == null) {
            s = text.substring(PREFIX.length(), extensionStart - 1);
            appVersion = s;
        }
        return s;
    }

    /** The extension instance name, the third level (K1). */
    public String extension() {
        String s = extension;
        if (s == null) {
            s = text.substring(extensionStart, tokenStart >= 0 ? tokenStart - 1 : resourceStart);
            extension = s;
        }
        return s;
    }

    /** Whether the path has an endpoint token level (D7). */
    public boolean hasEndpointToken() {
        return tokenStart >= 0;
    }

    /** The endpoint token, or null for an endpoint-unaware path. A secret-like value: never log it (D16). */
    public String endpointToken() {
        if (tokenStart < 0) {
            return null;
        }
        String s = token;
        if (s == null) {
            s = text.substring(tokenStart, resourceStart);
            token = s;
        }
        return s;
    }

    /** The resource path relative to the extension (K14): {@code "/json"}, or {@code ""} when empty. */
    public String resource() {
        String s = resource;
        if (s == null) {
            s = text.substring(resourceStart);
            resource = s;
        }
        return s;
    }

    /** The resource levels: {@code ["command", "reboot"]} for {@code /command/reboot}. */
    public List<String> resourceSegments() {
        if (resourceStart == text.length()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(4);
        int i = resourceStart + 1;
        while (true) {
            int end = text.indexOf('/', i);
            if (end < 0) {
                out.add(text.substring(i));
                return Collections.unmodifiableList(out);
            }
            out.add(text.substring(i, end));
            i = end + 1;
        }
    }

    /**
     * Whether the last level is made only of digits. Such a path can only be addressed with a
     * request ID after it, since otherwise the last level would be read as the ID (D1, D8).
     */
    public boolean endsWithDigitsLevel() {
        return Levels.isDigits(text, text.lastIndexOf('/') + 1, text.length());
    }

    /**
     * Whether {@code other} has the same application version, extension instance and endpoint
     * token: the scope in which request IDs must be unique (K4). Allocates nothing.
     */
    public boolean sameScope(ResourcePath other) {
        int end = scopeEnd();
        return tokenStart == other.tokenStart && end == other.scopeEnd()
                && text.regionMatches(0, other.text, 0, end);
    }

    /** A hash of the scope that {@link #sameScope} compares. Allocates nothing. */
    public int scopeHash() {
        int h = 0;
        for (int i = 0, end = scopeEnd(); i < end; i++) {
            h = 31 * h + text.charAt(i);
        }
        return h;
    }

    private int scopeEnd() {
        return resourceStart;
    }

    /** The canonical text with the endpoint token redacted (D16): {@code kp1/demo_v1/dcx/JT******Hh/json}. */
    @Override
    public String toString() {
        if (tokenStart < 0) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        sb.append(text, 0, tokenStart);
        Redaction.appendToken(sb, text, tokenStart, resourceStart);
        sb.append(text, resourceStart, text.length());
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourcePath && ((ResourcePath) o).tokenStart == tokenStart
                && ((ResourcePath) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /**
     * Builds a {@link ResourcePath}; not thread-safe.
     *
     * <pre>{@code
     * ResourcePath p = ResourcePath.builder("demo_v1", "cex").endpointToken("tok")
     *         .addSegment("command").addSegment("reboot").build();  // kp1/demo_v1/cex/tok/command/reboot
     * }</pre>
     */
    public static final class Builder {
        private final String appVersion;
        private final String extension;
        private String token;
        private final List<String> segments = new ArrayList<>(4);

        private Builder(String appVersion, String extension) {
            this.appVersion = Levels.check("application version", appVersion);
            this.extension = Levels.check("extension instance", extension);
        }

        /** Sets the endpoint token; {@code null} makes the path endpoint-unaware (D7). */
        public Builder endpointToken(String endpointToken) {
            this.token = endpointToken == null ? null : Levels.check("endpoint token", endpointToken);
            return this;
        }

        /** Appends one resource level. */
        public Builder addSegment(String segment) {
            segments.add(Levels.check("resource level", segment));
            return this;
        }

        /**
         * Replaces the resource levels with those of {@code resource}: {@code "/json"},
         * {@code "json"}, {@code "/config/json/main"}, or {@code ""} for none.
         */
        public Builder resource(String resource) {
            Objects.requireNonNull(resource, "resource must not be null");
            segments.clear();
            if (resource.isEmpty()) {
                return this;
            }
            int i = resource.charAt(0) == '/' ? 1 : 0;
            while (true) {
                int end = resource.indexOf('/', i);
                int stop = end < 0 ? resource.length() : end;
                if (stop == i) {
                    throw new InvalidTopicException("resource", resource, Reason.EMPTY_LEVEL, i, null);
                }
                try {
                    segments.add(Levels.check("resource level", resource.substring(i, stop)));
                } catch (InvalidTopicException e) {
                    throw new InvalidTopicException("resource", resource, e.reason(), i + e.index(), null);
                }
                if (end < 0) {
                    return this;
                }
                i = end + 1;
            }
        }

        /** Builds the path; throws {@link InvalidTopicException} ({@code TOO_LONG}, D4) past 65,535 bytes. */
        public ResourcePath build() {
            StringBuilder sb = new StringBuilder(64);
            sb.append(PREFIX).append(appVersion).append('/');
            int extensionStart = sb.length();
            sb.append(extension);
            int tokenStart = -1;
            if (token != null) {
                sb.append('/');
                tokenStart = sb.length();
                sb.append(token);
            }
            int resourceStart = sb.length();
            for (String s : segments) {
                sb.append('/').append(s);
            }
            String text = sb.toString();
            if (Levels.utf8Length(text) > Levels.MAX_TOPIC_BYTES) {
                throw new InvalidTopicException("1/KP resource path", text, Reason.TOO_LONG, -1, null);
            }
            return new ResourcePath(text, extensionStart, tokenStart, resourceStart);
        }
    }
}
