package io.kp1.server.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The compiled routes of a router: an open-addressing hash table from extension instance to a
 * trie of resource levels. Lookups work on regions of the resource path text, so a dispatch
 * allocates nothing (no substring, no split, no regex).
 *
 * <p>Precedence, where patterns overlap: level by level from the left, a literal level is tried
 * before a variable level, and a route for a given application version before one for any
 * version. Matching backtracks, so {@code /a/{x}/c} still matches {@code /a/b/c} when
 * {@code /a/b/d} is also declared. Two patterns of the same shape (equal but for variable names)
 * under the same extension instance and application version filter are refused by
 * {@link Builder#add}.
 *
 * <p>Immutable once built; safe to share between threads through a final field.
 *
 * <pre>{@code
 * RouteTable<Handler> t = RouteTable.<Handler>builder()
 *         .add(null, "cex", RoutePattern.parse("cex", "/command/{type}"), handler)
 *         .build();
 * String s = "kp1/app/cex/tok/command/reboot";
 * Route<Handler> r = t.root(s, 8, 11).match(s, 15, 4, 7);   // extension s[8,11), resource from 15, app s[4,7)
 * r.pattern().values(s, 15);                                  // ["reboot"]
 * }</pre>
 *
 * @param <H> the handler type
 */
public final class RouteTable<H> {
    private final String[] keys;
    private final Node<H>[] roots;
    private final int mask;
    private final Set<String> extensions;
    private final List<Route<H>> routes;

    private RouteTable(String[] keys, Node<H>[] roots, Set<String> extensions, List<Route<H>> routes) {
        this.keys = keys;
        this.roots = roots;
        this.mask = keys.length - 1;
        this.extensions = extensions;
        this.routes = routes;
    }

    /** A builder; not thread-safe. */
    public static <H> Builder<H> builder() {
        return new Builder<>();
    }

    /** The extension instances that have at least one route, in declaration order. */
    public Set<String> extensions() {
        return extensions;
    }

    /** Every route, in declaration order. */
    public List<Route<H>> routes() {
        return routes;
    }

    /** The trie root for the extension instance {@code s[from, to)}, or null if it has no route. */
    public Node<H> root(String s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s.charAt(i);
        }
        int len = to - from;
        for (int slot = spread(h) & mask; ; slot = (slot + 1) & mask) {
            String k = keys[slot];
            if (k == null) {
                return null;
            }
            if (k.length() == len && s.startsWith(k, from)) {
                return roots[slot];
            }
        }
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    /** One declared route: an optional application version filter, an extension, a pattern, a handler. */
    public static final class Route<H> {
        private final String appVersion;
        private final String extension;
        private final RoutePattern pattern;
        private final H handler;

        Route(String appVersion, String extension, RoutePattern pattern, H handler) {
            this.appVersion = appVersion;
            this.extension = extension;
            this.pattern = pattern;
            this.handler = handler;
        }

        /** The application version this route is limited to, or null for any. */
        public String appVersion() {
            return appVersion;
        }

        /** The extension instance. */
        public String extension() {
            return extension;
        }

        /** The resource pattern. */
        public RoutePattern pattern() {
            return pattern;
        }

        /** The handler. */
        public H handler() {
            return handler;
        }

        boolean acceptsAppVersion(String s, int from, int to) {
            return appVersion == null || (appVersion.length() == to - from && s.startsWith(appVersion, from));
        }

        @Override
        public String toString() {
            return (appVersion == null ? "" : appVersion + " ") + extension + " "
                    + (pattern.text().isEmpty() ? "\"\"" : pattern.text());
        }
    }

    /** A trie node: the routes that end here, literal children, and at most one variable child. */
    public static final class Node<H> {
        private static final String[] NO_LITERALS = new String[0];

        private String[] literals = NO_LITERALS;
        private Node<H>[] children = newArray(0);
        private Node<H> variable;
        /** Version-specific routes first, then the one for any version (if any). */
        private Route<H>[] routes = newRouteArray(0);

        /**
         * The route matching the resource levels of {@code s} from {@code pos} (the index of the
         * {@code '/'} before the next level, or {@code s.length()} when none is left), for the
         * application version {@code s[appFrom, appTo)}; null if none. Recursion depth is bounded
         * by the depth of the trie, not by the input.
         */
        public Route<H> match(String s, int pos, int appFrom, int appTo) {
            return match(s, pos, s.length(), appFrom, appTo);
        }

        /**
         * As {@link #match(String, int, int, int)} for the resource levels in {@code s[pos, end)},
         * where {@code end} is the end of the path (a parsed path is a prefix of its topic name).
         */
        public Route<H> match(String s, int pos, int end, int appFrom, int appTo) {
            if (pos >= end) {
                for (Route<H> r : routes) {
                    if (r.acceptsAppVersion(s, appFrom, appTo)) {
                        return r;
                    }
                }
                return null;
            }
            int start = pos + 1;
            int stop = s.indexOf('/', start);
            if (stop < 0 || stop > end) {
                stop = end;
            }
            int levelLength = stop - start;
            String[] lits = literals;
            for (int i = 0; i < lits.length; i++) {
                String l = lits[i];
                if (l.length() == levelLength && s.startsWith(l, start)) {
                    Route<H> r = children[i].match(s, stop, end, appFrom, appTo);
                    if (r != null) {
                        return r;
                    }
                    break; // literals are unique among siblings
                }
            }
            Node<H> v = variable;
            return v == null ? null : v.match(s, stop, end, appFrom, appTo);
        }

        Node<H> child(String literal) {
            if (literal == null) {
                if (variable == null) {
                    variable = new Node<>();
                }
                return variable;
            }
            for (int i = 0; i < literals.length; i++) {
                if (literals[i].equals(literal)) {
                    return children[i];
                }
            }
            Node<H> n = new Node<>();
            literals = Arrays.copyOf(literals, literals.length + 1);
            literals[literals.length - 1] = literal;
            children = Arrays.copyOf(children, children.length + 1);
            children[children.length - 1] = n;
            return n;
        }

        void addRoute(Route<H> r) {
            List<Route<H>> list = new ArrayList<>(Arrays.asList(routes));
            if (r.appVersion() == null) {
                list.add(r);
            } else {
                // Keep the any-version route last so that specific versions win.
                int at = list.size();
                if (at > 0 && list.get(at - 1).appVersion() == null) {
                    at--;
                }
                list.add(at, r);
            }
            routes = list.toArray(newRouteArray(0));
        }

        @SuppressWarnings("unchecked")
        private static <H> Node<H>[] newArray(int n) {
            return (Node<H>[]) new Node<?>[n];
        }

        @SuppressWarnings("unchecked")
        private static <H> Route<H>[] newRouteArray(int n) {
            return (Route<H>[]) new Route<?>[n];
        }
    }

    /**
     * Collects routes and refuses duplicates and conflicts; not thread-safe.
     *
     * @param <H> the handler type
     */
    public static final class Builder<H> {
        /** (version filter, extension, shape) -> the route declared first, to name it in conflicts. */
        private final Map<List<String>, Route<H>> shapes = new HashMap<>();
        private final List<Route<H>> routes = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a route.
         *
         * @param appVersion the application version filter, or null for any
         * @throws IllegalArgumentException if a route of the same shape was declared for the same
         *                                  extension instance and version filter
         */
        public Builder<H> add(String appVersion, String extension, RoutePattern pattern, H handler) {
            Objects.requireNonNull(handler, "handler must not be null");
            Route<H> route = new Route<>(appVersion, extension, pattern, handler);
            List<String> key = Arrays.asList(appVersion, extension, pattern.shape());
            Route<H> earlier = shapes.putIfAbsent(key, route);
            if (earlier != null) {
                String what = earlier.pattern().text().equals(pattern.text())
                        ? "Duplicate route " + route + ": already declared"
                        : "Route " + route + " conflicts with " + earlier
                                + ": both match the same paths (they differ only in variable names)";
                throw new IllegalArgumentException(what);
            }
            routes.add(route);
            return this;
        }

        /** Builds the table from the routes added so far; the builder may go on and build another. */
        public RouteTable<H> build() {
            Map<String, Node<H>> roots = new LinkedHashMap<>();
            for (Route<H> route : routes) {
                Node<H> n = roots.computeIfAbsent(route.extension(), e -> new Node<>());
                RoutePattern pattern = route.pattern();
                for (int level = 0; level < pattern.size(); level++) {
                    n = n.child(pattern.literal(level));
                }
                n.addRoute(route);
            }
            int capacity = Integer.highestOneBit(Math.max(2, roots.size() * 2 + 1) - 1) << 1;
            String[] keys = new String[capacity];
            Node<H>[] nodes = Node.newArray(capacity);
            for (Map.Entry<String, Node<H>> e : roots.entrySet()) {
                int slot = spread(e.getKey().hashCode()) & (capacity - 1);
                while (keys[slot] != null) {
                    slot = (slot + 1) & (capacity - 1);
                }
                keys[slot] = e.getKey();
                nodes[slot] = e.getValue();
            }
            return new RouteTable<>(keys, nodes, Collections.unmodifiableSet(new LinkedHashSet<>(roots.keySet())),
                    List.copyOf(routes));
        }
    }
}
