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

    private static final String METADATA_KEY = "metadata key";
    private static final String CONFIG_NAME = "configuration name";
    private static final String COMMAND_TYPE = "command type";
    private static final String EPMP = "10/EPMP";
    private static final String CMP = "7/CMP";
    private static final String CEP = "11/CEP";

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
        return check(key, false, METADATA_KEY, EPMP);
    }

    /** Checks a configuration name given by a caller (7/CMP); returns it. */
    public static String checkConfigName(String name) {
        return check(name, true, CONFIG_NAME, CMP);
    }

    /** Checks a command type given by a caller (11/CEP); returns it. */
    public static String checkCommandType(String type) {
        return check(type, true, COMMAND_TYPE, CEP);
    }

    /** The message for a configuration name that breaks {@link #NAME_PATTERN}, as {@link #checkConfigName} gives it. */
    public static String invalidConfigName(String name) {
        return invalid(name, true, CONFIG_NAME, CMP);
    }

    /** The message for a command type that breaks {@link #NAME_PATTERN}, as {@link #checkCommandType} gives it. */
    public static String invalidCommandType(String type) {
        return invalid(type, true, COMMAND_TYPE, CEP);
    }

    private static String check(String s, boolean dash, String kind, String rule) {
        if (s == null) {
            throw new NullPointerException(kind + " must not be null");
        }
        if (!matches(s, dash)) {
            throw new IllegalArgumentException(invalid(s, dash, kind, rule));
        }
        return s;
    }

    private static String invalid(String s, boolean dash, String kind, String rule) {
        return "Invalid " + kind + " " + quote(s) + ": must match " + (dash ? NAME_PATTERN : METADATA_KEY_PATTERN)
                + " (" + rule + ")";
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
