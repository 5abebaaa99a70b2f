package io.kp1.correlation.internal;

import java.util.function.Consumer;

/**
 * An open-addressing map from a positive {@code int} key to a value, with Robin Hood linear
 * probing and backward-shift deletion. Not thread-safe.
 *
 * <p>The home slot of a key is the key itself, masked by the capacity. The owner picks its keys
 * (request IDs) and uses {@link #isHomeFree} to take only keys whose home slot is empty, so in
 * practice every key sits at home: a lookup is one array read, an insert and a remove touch one
 * slot, and consecutive IDs use consecutive slots, so a million pending requests are walked in
 * order rather than at random. Keys chosen otherwise (and the rare collisions a shrink makes) are
 * still placed correctly by Robin Hood probing, which also stops a miss as soon as it passes a
 * key closer to its home.
 *
 * <p>Keys live in their own {@code int[]} beside the values, so a probe reads no value object.
 * The table keeps its load at most 3/4, grows by doubling (which never makes two keys share a
 * home), and shrinks to half when the load drops below 1/16, so that memory is given back after
 * a burst.
 *
 * <pre>{@code
 * IdTable<String> t = new IdTable<>(16);
 * t.ensureRoomForOne();
 * if (t.isHomeFree(42)) { t.putIfAbsent(42, "a"); }   // true
 * t.get(42);                // "a"
 * t.remove(42);             // "a"
 * }</pre>
 *
 * @param <V> the value type
 */
public final class IdTable<V> {
    private static final int EMPTY = 0;
    private static final int MIN_CAPACITY = 16;

    private final int minCapacity;
    private int[] keys;
    private Object[] values;
    private int mask;
    private int size;

    /** A table that starts with (and never shrinks below) this capacity, rounded up to a power of two. */
    public IdTable(int initialCapacity) {
        int cap = Integer.highestOneBit(Math.max(MIN_CAPACITY, initialCapacity) - 1) << 1;
        this.minCapacity = cap;
        allocate(cap);
    }

    private void allocate(int capacity) {
        keys = new int[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
    }

    private int home(int key) {
        return key & mask;
    }

    /**
     * Whether the home slot of {@code key} is empty. Then the key is absent (a displaced key
     * never leaves an empty slot between its home and itself), and putting it touches one slot.
     * Call {@link #ensureRoomForOne()} first, so that the put does not resize the table.
     */
    public boolean isHomeFree(int key) {
        return keys[key & mask] == EMPTY;
    }

    /** Grows the table now if one more entry would pass the load limit. */
    public void ensureRoomForOne() {
        if (size + 1 > (keys.length >> 2) * 3) {
            resize(keys.length << 1);
        }
    }

    /** The number of entries. */
    public int size() {
        return size;
    }

    /** The number of slots (for tests and footprint reports). */
    public int capacity() {
        return keys.length;
    }

    private int distance(int slot, int key) {
        return (slot - home(key)) & mask;
    }

    /** The value for {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public V get(int key) {
        int[] ks = keys;
        int m = mask;
        int i = home(key);
        for (int d = 0; ; d++) {
            int k = ks[i];
            if (k == key) {
                return (V) values[i];
            }
            if (k == EMPTY || distance(i, k) < d) {
                return null;
            }
            i = (i + 1) & m;
        }
    }

    /**
     * Adds {@code key -> value} unless the key is present.
     *
     * @param key   a positive key
     * @param value a non-null value
     * @return false, changing nothing, if the key was present
     */
    public boolean putIfAbsent(int key, V value) {
        if (key <= 0 || value == null) {
            throw new IllegalArgumentException("key must be positive and value non-null: " + key);
        }
        ensureRoomForOne();
        int[] ks = keys;
        Object[] vs = values;
        int m = mask;
        int i = home(key);
        int d = 0;
        int carryKey = key;
        Object carryValue = value;
        boolean checking = true;
        while (true) {
            int k = ks[i];
            if (k == EMPTY) {
                ks[i] = carryKey;
                vs[i] = carryValue;
                size++;
                return true;
            }
            if (checking && k == key) {
                return false;
            }
            int kd = distance(i, k);
            if (kd < d) {
                // Robin Hood: the richer entry moves on. Past this point the key cannot be present,
                // because a lookup for it would have stopped here too.
                ks[i] = carryKey;
                Object v = vs[i];
                vs[i] = carryValue;
                carryKey = k;
                carryValue = v;
                d = kd;
                checking = false;
            }
            i = (i + 1) & m;
            d++;
        }
    }

    /** Removes {@code key}; returns its value, or null if it was absent. */
    @SuppressWarnings("unchecked")
    public V remove(int key) {
        int[] ks = keys;
        Object[] vs = values;
        int m = mask;
        int i = home(key);
        for (int d = 0; ; d++) {
            int k = ks[i];
            if (k == key) {
                break;
            }
            if (k == EMPTY || distance(i, k) < d) {
                return null;
            }
            i = (i + 1) & m;
        }
        V old = (V) vs[i];
        // Backward shift: pull the following displaced entries one slot closer to home.
        int j = (i + 1) & m;
        while (true) {
            int k = ks[j];
            if (k == EMPTY || distance(j, k) == 0) {
                break;
            }
            ks[i] = k;
            vs[i] = vs[j];
            i = j;
            j = (j + 1) & m;
        }
        ks[i] = EMPTY;
        vs[i] = null;
        size--;
        if (keys.length > minCapacity && size < (keys.length >> 4)) {
            resize(keys.length >> 1);
        }
        return old;
    }

    /** Calls {@code action} for every value, in slot order. The table must not change meanwhile. */
    @SuppressWarnings("unchecked")
    public void forEach(Consumer<? super V> action) {
        Object[] vs = values;
        for (Object v : vs) {
            if (v != null) {
                action.accept((V) v);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void resize(int capacity) {
        int[] oldKeys = keys;
        Object[] oldValues = values;
        allocate(capacity);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                putIfAbsent(oldKeys[i], (V) oldValues[i]);
            }
        }
    }

    /** The largest distance of a key from its home slot (for tests: probe runs stay short). */
    public int maxDisplacement() {
        int max = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                max = Math.max(max, distance(i, keys[i]));
            }
        }
        return max;
    }

    /**
     * Checks the Robin Hood invariant (for tests): every key is reachable from its home slot
     * without passing an empty slot, and the size matches.
     *
     * @throws IllegalStateException naming the first broken slot
     */
    public void checkInvariants() {
        int count = 0;
        for (int i = 0; i < keys.length; i++) {
            int k = keys[i];
            if (k == EMPTY) {
                if (values[i] != null) {
                    throw new IllegalStateException("value without key at slot " + i);
                }
                continue;
            }
            count++;
            if (get(k) != values[i]) {
                throw new IllegalStateException("key " + k + " at slot " + i + " is unreachable");
            }
            for (int s = home(k); s != i; s = (s + 1) & mask) {
                if (keys[s] == EMPTY) {
                    throw new IllegalStateException("empty slot " + s + " inside the run of key " + k);
                }
            }
        }
        if (count != size) {
            throw new IllegalStateException("size " + size + " but " + count + " keys");
        }
    }
}
