package io.kp1.internal;

import io.kp1.ResourcePath;

/**
 * Read access to where a {@link ResourcePath}'s levels lie in the text it was read from, so that
 * hot paths in other packages of kp1-core (router dispatch) compare regions instead of cutting
 * substrings. The path is {@code source(p)[0, end(p))}; {@code source} may be longer (a parsed
 * path is a view over the whole topic name, request ID and reply suffix included).
 *
 * <pre>{@code
 * ResourcePath p = Topic.parseRequest("kp1/app/dcx/tok/json/42").path();
 * PathText.source(p);         // "kp1/app/dcx/tok/json/42"
 * PathText.end(p);            // 20: the path is "kp1/app/dcx/tok/json"
 * PathText.resourceStart(p);  // 15: the '/' before "json"
 * }</pre>
 */
public final class PathText {
    /** Implemented by {@link ResourcePath}, which registers it when its class is initialized. */
    public interface Access {
        /** The text the path is read from. */
        String source(ResourcePath p);

        /** The length of the path's canonical text. */
        int end(ResourcePath p);

        /** The index of the extension instance level. */
        int extensionStart(ResourcePath p);

        /** The index of the endpoint token level, or -1 when there is none (D7). */
        int tokenStart(ResourcePath p);

        /** The index of the {@code '/'} before the resource, or {@code end} when the resource is empty. */
        int resourceStart(ResourcePath p);
    }

    private static Access access;

    private PathText() {
    }

    /** Called once by {@link ResourcePath}. */
    public static void setAccess(Access a) {
        if (access != null) {
            throw new IllegalStateException("already set");
        }
        access = a;
    }

    // Every caller holds a ResourcePath instance, so its class (and the access) is initialized.

    /** See {@link Access#source}. */
    public static String source(ResourcePath p) {
        return access.source(p);
    }

    /** See {@link Access#end}. */
    public static int end(ResourcePath p) {
        return access.end(p);
    }

    /** See {@link Access#extensionStart}. */
    public static int extensionStart(ResourcePath p) {
        return access.extensionStart(p);
    }

    /** See {@link Access#tokenStart}. */
    public static int tokenStart(ResourcePath p) {
        return access.tokenStart(p);
    }

    /** See {@link Access#resourceStart}. */
    public static int resourceStart(ResourcePath p) {
        return access.resourceStart(p);
    }
}
