package io.kp1;

import io.kp1.InvalidTopicException.Reason;
import io.kp1.internal.Levels;
import io.kp1.internal.PathText;
import io.kp1.internal.Redaction;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An immutable 1/KP resource path (K1): {@code kp1/<appVersion>/<extension>[/<endpointToken>]/<resource>}.
 *
 * <p>The path has no request ID and no reply suffix: those belong to a {@link Topic}. Its
 * canonical text is what {@link #equals}, {@link #hashCode} and {@link #asString()} use. A path
 * parsed from a topic is a view over the topic name (offsets, no substrings): the level accessors
 * cut their strings when called, so parsing allocates only the {@link Topic} and its path.
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

    /**
     * The text the path is read from: the canonical text itself, or (for a parsed path) the whole
     * topic name, of which the path is the prefix {@code [0, end)}. Parsing then cuts no substring.
     */
    private final String source;
    /** The length of the canonical text: the path is {@code source[0, end)}. */
    private final int end;
    /** Index of the first character of the extension level. */
    private final int extensionStart;
    /** Index of the first character of the token level, or -1 for endpoint-unaware paths. */
    private final int tokenStart;
    /** Index of the '/' that starts the resource, or end when the resource is empty. */
    private final int resourceStart;

    // Lazily computed; racy single-check is safe because strings are immutable and 0 means "not yet".
    private String text;
    private int hash;

    ResourcePath(String source, int end, int extensionStart, int tokenStart, int resourceStart) {
        this.source = source;
        this.end = end;
        this.extensionStart = extensionStart;
        this.tokenStart = tokenStart;
        this.resourceStart = resourceStart;
        if (end == source.length()) {
            this.text = source;
        }
    }

    static {
        PathText.setAccess(new PathText.Access() {
            @Override
            public String source(ResourcePath p) {
                return p.source;
            }

            @Override
            public int end(ResourcePath p) {
                return p.end;
            }

            @Override
            public int extensionStart(ResourcePath p) {
                return p.extensionStart;
            }

            @Override
            public int tokenStart(ResourcePath p) {
                return p.tokenStart;
            }

            @Override
            public int resourceStart(ResourcePath p) {
                return p.resourceStart;
            }
        });
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

    /**
     * The canonical text, e.g. {@code kp1/demo_v1/dcx/JTjdbENzHh/json}; it contains the token.
     * For a path parsed from a topic with a request ID or reply suffix, the text is cut out of the
     * topic name on the first call; {@link #textEquals} compares without cutting.
     */
    public String asString() {
        String s = text;
        if (s == null) {
            s = source.substring(0, end);
            text = s;
        }
        return s;
    }

    /**
     * Whether {@code other} has the same canonical text ({@link #asString()}), whatever levels the
     * parsers read (D7). Allocates nothing, unlike comparing {@code asString()}s of parsed paths.
     *
     * <pre>{@code
     * Topic reply = Topic.parseReply("kp1/app/dcx/tok/json/42/status");
     * reply.path().textEquals(ResourcePath.of("app", "dcx", "tok", "/json"));  // true
     * }</pre>
     */
    public boolean textEquals(ResourcePath other) {
        if (other == this) {
            return true;
        }
        String a = text;
        String b = other.text;
        if (a != null && b != null) {
            return a.equals(b); // an intrinsic; built paths and paths without ID always have their text
        }
        return other.end == end && source.regionMatches(0, other.source, 0, end);
    }

    /** The application version name, the second level (K1). Cut out of the text on each call. */
    public String appVersion() {
        return source.substring(PREFIX.length(), extensionStart - 1);
    }

    /** The extension instance name, the third level (K1). Cut out of the text on each call. */
    public String extension() {
        return source.substring(extensionStart, tokenStart >= 0 ? tokenStart - 1 : resourceStart);
    }

    /** Whether the path has an endpoint token level (D7). */
    public boolean hasEndpointToken() {
        return tokenStart >= 0;
    }

    /**
     * The endpoint token, or null for an endpoint-unaware path. A secret-like value: never log it
     * (D16). Cut out of the text on each call.
     */
    public String endpointToken() {
        return tokenStart < 0 ? null : source.substring(tokenStart, resourceStart);
    }

    /**
     * The resource path relative to the extension (K14): {@code "/json"}, or {@code ""} when
     * empty. Cut out of the text on each call.
     */
    public String resource() {
        return source.substring(resourceStart, end);
    }

    /** The resource levels: {@code ["command", "reboot"]} for {@code /command/reboot}. */
    public List<String> resourceSegments() {
        if (resourceStart == end) {
            return List.of();
        }
        List<String> out = new ArrayList<>(4);
        int i = resourceStart + 1;
        while (true) {
            int stop = source.indexOf('/', i);
            if (stop < 0 || stop >= end) {
                out.add(source.substring(i, end));
                return Collections.unmodifiableList(out);
            }
            out.add(source.substring(i, stop));
            i = stop + 1;
        }
    }

    /**
     * Whether the last level is made only of digits. Such a path can only be addressed with a
     * request ID after it, since otherwise the last level would be read as the ID (D1, D8).
     */
    public boolean endsWithDigitsLevel() {
        return Levels.isDigits(source, source.lastIndexOf('/', end - 1) + 1, end);
    }

    /**
     * Whether {@code other} has the same application version, extension instance and endpoint
     * token: the scope in which request IDs must be unique (K4). Allocates nothing.
     */
    public boolean sameScope(ResourcePath other) {
        int end = scopeEnd();
        return tokenStart == other.tokenStart && end == other.scopeEnd()
                && source.regionMatches(0, other.source, 0, end);
    }

    /** A hash of the scope that {@link #sameScope} compares. Allocates nothing. */
    public int scopeHash() {
        int h = 0;
        for (int i = 0, end = scopeEnd(); i < end; i++) {
            h = 31 * h + source.charAt(i);
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
            return asString();
        }
        StringBuilder sb = new StringBuilder(end);
        sb.append(source, 0, tokenStart);
        Redaction.appendToken(sb, source, tokenStart, resourceStart);
        sb.append(source, resourceStart, end);
        return sb.toString();
    }

    /** Equal when the canonical texts are equal and the levels were read the same way (D7). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ResourcePath && ((ResourcePath) o).tokenStart == tokenStart
                && textEquals((ResourcePath) o);
    }

    /** The hash code of {@link #asString()}, computed without cutting it out. */
    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            String t = text;
            if (t != null) {
                h = t.hashCode();
            } else {
                for (int i = 0; i < end; i++) {
                    h = 31 * h + source.charAt(i);
                }
            }
            hash = h;
        }
        return h;
    }

    /** The length of {@link #asString()}. */
    int length() {
        return end;
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
            return new ResourcePath(text, text.length(), extensionStart, tokenStart, resourceStart);
        }
    }
}
