package io.kp1.server.internal;

import io.kp1.InvalidTopicException;
import io.kp1.internal.Levels;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed resource pattern such as {@code /config/json/{name}}: one entry per level, either a
 * literal or a variable. Patterns are checked once, when a router is built, so that matching
 * needs no further validation.
 *
 * <p>Grammar: {@code ""} or {@code "/"} (no resource levels), or {@code /level(/level)*} where a
 * level is a literal (a valid 1/KP level, D3, D4, D8) or a whole-level variable
 * {@code {name}} with {@code name} matching {@code [A-Za-z_][A-Za-z0-9_]*}.
 *
 * <pre>{@code
 * RoutePattern p = RoutePattern.parse("cmx", "/config/json/{name}");
 * p.shape();                                   // "/config/json/{}"
 * p.values("kp1/app/cmx/tok/config/json/main", 15);  // ["main"]
 * RoutePattern.parse("cmx", "/config//json");  // IllegalArgumentException: ... empty level (D3) at index 8
 * }</pre>
 */
public final class RoutePattern {
    private static final String[] NO_STRINGS = new String[0];
    private static final int[] NO_INTS = new int[0];

    private final String text;
    /** The literal of each level, or null where the level is a variable. */
    private final String[] literals;
    private final String[] varNames;
    /** The level index of each variable, ascending. */
    private final int[] varLevels;

    private RoutePattern(String text, String[] literals, String[] varNames, int[] varLevels) {
        this.text = text;
        this.literals = literals;
        this.varNames = varNames;
        this.varLevels = varLevels;
    }

    /**
     * Parses a pattern given by a caller.
     *
     * @param extension the extension instance, for the message only
     * @throws IllegalArgumentException naming the pattern, the position and the rule
     */
    public static RoutePattern parse(String extension, String pattern) {
        if (pattern == null) {
            throw new NullPointerException("pattern must not be null");
        }
        if (pattern.isEmpty() || pattern.equals("/")) {
            return new RoutePattern("", NO_STRINGS, NO_STRINGS, NO_INTS);
        }
        if (pattern.charAt(0) != '/') {
            throw invalid(extension, pattern, 0, "must start with '/' (or be \"\" for no resource levels)");
        }
        List<String> literals = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Integer> levels = new ArrayList<>();
        int i = 1;
        while (true) {
            int end = pattern.indexOf('/', i);
            int stop = end < 0 ? pattern.length() : end;
            if (stop == i) {
                throw invalid(extension, pattern, i, "empty level (D3)");
            }
            String level = pattern.substring(i, stop);
            if (level.charAt(0) == '{' && level.charAt(level.length() - 1) == '}') {
                String name = level.substring(1, level.length() - 1);
                if (!isVariableName(name)) {
                    throw invalid(extension, pattern, i, "variable name \"" + name
                            + "\" must match [A-Za-z_][A-Za-z0-9_]*");
                }
                if (names.contains(name)) {
                    throw invalid(extension, pattern, i, "variable {" + name + "} appears twice");
                }
                names.add(name);
                levels.add(literals.size());
                literals.add(null);
            } else {
                int open = level.indexOf('{');
                int close = level.indexOf('}');
                int brace = open < 0 ? close : close < 0 ? open : Math.min(open, close);
                if (brace >= 0) {
                    throw invalid(extension, pattern, i + brace,
                            "a variable must be a whole level, like /command/{type}");
                }
                try {
                    Levels.check("resource level", level);
                } catch (InvalidTopicException e) {
                    throw invalid(extension, pattern, i + e.index(),
                            e.reason().description() + " (" + e.rule() + ")");
                }
                literals.add(level);
            }
            if (end < 0) {
                break;
            }
            i = end + 1;
        }
        String last = literals.get(literals.size() - 1);
        if (last != null && Levels.isDigits(last, 0, last.length())) {
            throw invalid(extension, pattern, pattern.lastIndexOf('/') + 1,
                    "a digits-only last level can never match: it is read as a request ID (K4, D1)");
        }
        int[] varLevels = new int[levels.size()];
        for (int k = 0; k < varLevels.length; k++) {
            varLevels[k] = levels.get(k);
        }
        return new RoutePattern(pattern, literals.toArray(NO_STRINGS), names.toArray(NO_STRINGS), varLevels);
    }

    private static boolean isVariableName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
            if (!letter && !(i > 0 && c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException invalid(String extension, String pattern, int index, String why) {
        return new IllegalArgumentException("Invalid route pattern \"" + pattern + "\" for extension instance "
                + extension + ": " + why + " at index " + index);
    }

    /** The pattern as declared ({@code ""} for no resource levels). */
    public String text() {
        return text;
    }

    /** The number of resource levels. */
    public int size() {
        return literals.length;
    }

    /** The literal at {@code level}, or null if that level is a variable. */
    public String literal(int level) {
        return literals[level];
    }

    /** The variable names in level order; the array is shared, do not modify it. */
    public String[] varNames() {
        return varNames;
    }

    /**
     * The shape of the pattern: the text with every variable written {@code {}}. Two patterns
     * with the same shape match exactly the same paths, so declaring both is a conflict.
     */
    public String shape() {
        StringBuilder sb = new StringBuilder();
        for (String l : literals) {
            sb.append('/').append(l == null ? "{}" : l);
        }
        return sb.toString();
    }

    /**
     * The variable values in {@code s}, whose resource levels start at {@code from} (the index of
     * the {@code '/'} before the first level) and which this pattern is known to match.
     */
    public String[] values(String s, int from) {
        return values(s, from, s.length());
    }

    /** As {@link #values(String, int)} for a path that ends at {@code end} (a prefix of a topic name). */
    public String[] values(String s, int from, int end) {
        int n = varLevels.length;
        if (n == 0) {
            return NO_STRINGS;
        }
        String[] out = new String[n];
        int pos = from;
        int level = 0;
        for (int k = 0; k < n; level++) {
            int start = pos + 1;
            int stop = s.indexOf('/', start);
            if (stop < 0 || stop > end) {
                stop = end;
            }
            if (level == varLevels[k]) {
                out[k++] = s.substring(start, stop);
            }
            pos = stop;
        }
        return out;
    }

    @Override
    public String toString() {
        return text;
    }
}
