package io.kp1.examples;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The programs' command line: {@code --name value} options (repeatable), {@code --name=value},
 * and {@code --flag}s; anything else is an error that names it.
 *
 * <pre>{@code
 * Args a = Args.parse(args, Set.of("help"), Set.of("endpoints", "token"));
 * int n = a.intValue("endpoints", 100, 1, 100_000);
 * List<String> tokens = a.all("token");
 * }</pre>
 */
final class Args {
    private final Map<String, List<String>> options;
    private final Set<String> flags;

    private Args(Map<String, List<String>> options, Set<String> flags) {
        this.options = options;
        this.flags = flags;
    }

    /**
     * Reads {@code args}.
     *
     * @throws IllegalArgumentException for an unknown name, or an option without its value
     */
    static Args parse(String[] args, Set<String> knownFlags, Set<String> knownOptions) {
        Map<String, List<String>> options = new HashMap<>();
        Set<String> flags = new java.util.HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new IllegalArgumentException("Unexpected argument \"" + a + "\" (options start with --)");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (knownFlags.contains(name) && value == null) {
                flags.add(name);
            } else if (knownOptions.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--" + name + " needs a value");
                    }
                    value = args[++i];
                }
                options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                throw new IllegalArgumentException("Unknown option --" + name + " (see --help)");
            }
        }
        return new Args(options, flags);
    }

    boolean has(String flag) {
        return flags.contains(flag);
    }

    /** The last value of an option, or {@code otherwise}. */
    String value(String name, String otherwise) {
        List<String> v = options.get(name);
        return v == null ? otherwise : v.get(v.size() - 1);
    }

    /** Every value of a repeatable option, in order. */
    List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    /**
     * An integer option within {@code min..max}.
     *
     * @throws IllegalArgumentException naming the option and the bounds
     */
    int intValue(String name, int otherwise, int min, int max) {
        String v = value(name, null);
        if (v == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + " must be a whole number from " + min + " to " + max
                + ", was \"" + v + "\"");
    }
}
