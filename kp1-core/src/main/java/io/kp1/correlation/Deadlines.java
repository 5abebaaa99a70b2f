package io.kp1.correlation;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The deadlines of pending requests, as one intrusive FIFO list per timeout duration.
 *
 * <p>With one duration, {@code deadline = now + timeout} grows with {@code now}, so appending
 * keeps each list sorted and insert and remove are O(1) with no allocation: the links live in
 * {@link PendingRequest}. A request whose {@code now} is older than the tail's (two caller threads
 * racing into the lock) walks back the few places it needs. The non-empty lists sit in a small
 * binary heap ordered by their head's deadline, so the earliest deadline is found in O(1) and
 * kept in O(log lists). Completed requests are unlinked at once: nothing dead stays reachable.
 *
 * <p>Deadlines are {@link System#nanoTime()}-style values and are compared by subtraction, so
 * they may wrap. Not thread-safe: the {@link Correlator} calls it under its lock.
 */
final class Deadlines {
    /** One list: every request registered with the same timeout, earliest deadline first. */
    static final class Queue {
        final long timeout;
        PendingRequest head;
        PendingRequest tail;
        int size;
        /** Position in the heap, or -1 when empty (and so not in the heap). */
        int heapIndex = -1;

        Queue(long timeout) {
            this.timeout = timeout;
        }
    }

    private final Map<Long, Queue> byTimeout = new HashMap<>();
    /** The queue used last: one timeout is the common case, and it skips the boxing lookup. */
    private Queue last;
    private Queue[] heap = new Queue[4];
    private int heapSize;
    private int count;

    /** The number of requests with a deadline. */
    int size() {
        return count;
    }

    /** Adds {@code r} with the deadline {@code now + timeout}. */
    void add(PendingRequest r, long timeout, long now) {
        Queue q = queue(timeout);
        long deadline = now + timeout;
        r.deadline = deadline;
        r.queue = q;
        count++;
        PendingRequest after = q.tail;
        // Walk back past entries with a later deadline (only when caller clocks raced).
        while (after != null && after.deadline - deadline > 0) {
            after = after.prev;
        }
        if (after == null) {
            r.prev = null;
            r.next = q.head;
            if (q.head != null) {
                q.head.prev = r;
            } else {
                q.tail = r;
            }
            q.head = r;
        } else {
            r.prev = after;
            r.next = after.next;
            if (after.next != null) {
                after.next.prev = r;
            } else {
                q.tail = r;
            }
            after.next = r;
        }
        q.size++;
        if (q.heapIndex < 0) {
            heapPush(q);
        } else if (q.head == r) {
            siftUp(q.heapIndex);
        }
    }

    /** Removes {@code r}, which must be in a queue. */
    void remove(PendingRequest r) {
        Queue q = r.queue;
        boolean wasHead = q.head == r;
        if (r.prev != null) {
            r.prev.next = r.next;
        } else {
            q.head = r.next;
        }
        if (r.next != null) {
            r.next.prev = r.prev;
        } else {
            q.tail = r.prev;
        }
        r.prev = null;
        r.next = null;
        r.queue = null;
        q.size--;
        count--;
        if (q.head == null) {
            heapRemove(q.heapIndex);
        } else if (wasHead) {
            siftDown(q.heapIndex);
        }
    }

    /** The request with the earliest deadline, or null. */
    PendingRequest first() {
        return heapSize == 0 ? null : heap[0].head;
    }

    /** The request with the earliest deadline if that deadline is at or before {@code now}, or null. */
    PendingRequest firstExpired(long now) {
        PendingRequest r = first();
        return r != null && r.deadline - now <= 0 ? r : null;
    }

    private Queue queue(long timeout) {
        Queue q = last;
        if (q != null && q.timeout == timeout) {
            return q;
        }
        q = byTimeout.get(timeout);
        if (q == null) {
            // Empty queues stay as a cache until they outnumber the busy ones: then they go.
            if (byTimeout.size() >= 2 * heapSize + 16) {
                for (Iterator<Queue> it = byTimeout.values().iterator(); it.hasNext(); ) {
                    if (it.next().head == null) {
                        it.remove();
                    }
                }
                last = null;
            }
            q = new Queue(timeout);
            byTimeout.put(timeout, q);
        }
        last = q;
        return q;
    }

    /** The number of duration queues kept, busy or idle (for tests). */
    int queueCount() {
        return byTimeout.size();
    }

    private static boolean before(Queue a, Queue b) {
        return a.head.deadline - b.head.deadline < 0;
    }

    private void heapPush(Queue q) {
        if (heapSize == heap.length) {
            heap = Arrays.copyOf(heap, heapSize * 2);
        }
        heap[heapSize] = q;
        q.heapIndex = heapSize;
        heapSize++;
        siftUp(heapSize - 1);
    }

    private void heapRemove(int i) {
        Queue gone = heap[i];
        gone.heapIndex = -1;
        heapSize--;
        if (i == heapSize) {
            heap[i] = null;
            return;
        }
        Queue moved = heap[heapSize];
        heap[heapSize] = null;
        heap[i] = moved;
        moved.heapIndex = i;
        siftDown(i);
        if (moved.heapIndex == i) {
            siftUp(i);
        }
    }

    private void siftUp(int i) {
        Queue q = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Queue p = heap[parent];
            if (!before(q, p)) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = q;
        q.heapIndex = i;
    }

    private void siftDown(int i) {
        Queue q = heap[i];
        int half = heapSize >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Queue c = heap[child];
            int right = child + 1;
            if (right < heapSize && before(heap[right], c)) {
                child = right;
                c = heap[child];
            }
            if (!before(c, q)) {
                break;
            }
            heap[i] = c;
            c.heapIndex = i;
            i = child;
        }
        heap[i] = q;
        q.heapIndex = i;
    }

    /**
     * Checks the structure (for tests): every list is sorted and doubly linked, sizes add up,
     * the heap holds exactly the non-empty lists in heap order.
     */
    void checkInvariants() {
        int total = 0;
        int nonEmpty = 0;
        for (Queue q : byTimeout.values()) {
            int n = 0;
            PendingRequest prev = null;
            for (PendingRequest r = q.head; r != null; r = r.next) {
                check(r.prev == prev, "broken back link");
                check(r.queue == q, "request in the wrong queue");
                check(prev == null || r.deadline - prev.deadline >= 0, "queue not sorted");
                prev = r;
                n++;
            }
            check(q.tail == prev, "wrong tail");
            check(n == q.size, "queue size " + q.size + " but " + n + " linked");
            check((n == 0) == (q.heapIndex < 0), "heap membership wrong");
            if (n > 0) {
                check(heap[q.heapIndex] == q, "heap index wrong");
                nonEmpty++;
            }
            total += n;
        }
        check(total == count, "count " + count + " but " + total + " linked");
        check(nonEmpty == heapSize, "heap size " + heapSize + " but " + nonEmpty + " busy queues");
        for (int i = 1; i < heapSize; i++) {
            check(!before(heap[i], heap[(i - 1) >>> 1]), "heap order broken at " + i);
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("Deadlines: " + what);
        }
    }
}
