package io.kp1.extension.internal;

import io.kp1.internal.Levels;
import io.kp1.internal.Redaction;

/**
 * The name rules of the extension protocols: 10/EPMP metadata keys {@code ^[a-zA-Z0-9_]+$};
 * 7/CMP configuration names and 11/CEP command types {@code ^[a-zA-Z0-9_-]+$} (KP1.md,
 * "Extension protocols").
 */
public final class Names {
    /** The pattern of 10/EPMP metadata keys. */
    public static final String METADATA_KEY_PATTERN = "^[a-zA-Z0-9_]+$";
    /** The pattern of 7/CMP configuration names and 11/CEP command types. */
    public static final String NAME_PATTERN = "^[a-zA-Z0-9_-]+$";

    private Names() {
    }

    /** Whether {@code s} matches {@link #METADATA_KEY_PATTERN}. */
    public static boolean isMetadataKey(String s) {
        return matches(s, false);
    }

    /** Whether {@code s} matches {@link #NAME_PATTERN}. */
    public static boolean isName(String s) {
        return matches(s, true);
    }

    private static boolean matches(String s, boolean dash) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || (dash && c == '-');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Checks a metadata key given by a caller (10/EPMP); returns it. */
    public static String checkMetadataKey(String key) {
        if (key == null) {
            throw new NullPointerException("metadata key must not be null");
        }
        if (!isMetadataKey(key)) {
            throw new IllegalArgumentException("Invalid metadata key " + quote(key) + ": must match "
                    + METADATA_KEY_PATTERN + " (10/EPMP)");
        }
        return key;
    }

    /** Checks a configuration name given by a caller (7/CMP); returns it. */
    public static String checkConfigName(String name) {
        if (name == null) {
            throw new NullPointerException("configuration name must not be null");
        }
        if (!isName(name)) {
            throw new IllegalArgumentException("Invalid configuration name " + quote(name) + ": must match "
                    + NAME_PATTERN + " (7/CMP)");
        }
        return name;
    }

    /** Checks a command type given by a caller (11/CEP); returns it. */
    public static String checkCommandType(String type) {
        if (type == null) {
            throw new NullPointerException("command type must not be null");
        }
        if (!isName(type)) {
            throw new IllegalArgumentException("Invalid command type " + quote(type) + ": must match "
                    + NAME_PATTERN + " (11/CEP)");
        }
        return type;
    }

    /** Checks an extension instance name given by a caller (K1, D3, D4); returns it. */
    public static String checkInstance(String instance) {
        return Levels.check("extension instance", instance);
    }

    /** A name from the caller or the wire, quoted for a message: escaped and cut. */
    public static String quote(String s) {
        return "\"" + Redaction.quote("resource level", s) + "\"";
    }
}
