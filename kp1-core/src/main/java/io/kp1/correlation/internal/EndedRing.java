package io.kp1.correlation.internal;

/**
 * A fixed-size memory of the last requests that ended: their ID, their resource path text and
 * a small code saying how they ended. When full, the oldest record is overwritten, so the
 * memory never grows (D15). Not thread-safe.
 *
 * <p>It lets a correlator tell a late or duplicate reply (for a request that ended recently)
 * from an unknown one. Lookups scan the IDs newest first; they only run for replies that match
 * no pending request, which are rare.
 *
 * <pre>{@code
 * EndedRing ring = new EndedRing(1024);
 * ring.add(42, "kp1/app/dcx/tok/json", (byte) 1);
 * ring.find(42, "kp1/app/dcx/tok/json");   // 1
 * ring.find(43, "kp1/app/dcx/tok/json");   // EndedRing.NOT_FOUND
 * }</pre>
 */
public final class EndedRing {
    /** What {@link #find} returns when no record matches. */
    public static final int NOT_FOUND = -1;

    private final int[] ids;
    private final String[] paths;
    private final byte[] codes;
    /** The slot the next record goes to. */
    private int next;
    private int count;

    /** A ring that remembers the last {@code capacity} records; 0 remembers nothing. */
    public EndedRing(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0: " + capacity);
        }
        ids = new int[capacity];
        paths = new String[capacity];
        codes = new byte[capacity];
    }

    /** The number of records kept now. */
    public int size() {
        return count;
    }

    /** Remembers that the request {@code id} on {@code pathText} ended in the way {@code code} says. */
    public void add(int id, String pathText, byte code) {
        if (ids.length == 0) {
            return;
        }
        ids[next] = id;
        paths[next] = pathText;
        codes[next] = code;
        next = next + 1 == ids.length ? 0 : next + 1;
        if (count < ids.length) {
            count++;
        }
    }

    /** The code of the newest record for this ID and path text, or {@link #NOT_FOUND}. */
    public int find(int id, String pathText) {
        int n = ids.length;
        int i = next;
        for (int left = count; left > 0; left--) {
            i = i == 0 ? n - 1 : i - 1;
            if (ids[i] == id && paths[i].equals(pathText)) {
                return codes[i];
            }
        }
        return NOT_FOUND;
    }
}
