package io.kp1.correlation.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Removal's backward shift over runs of keys that share a home slot, in the middle of the
 * table and across its end: every key left must still be found.
 */
class IdTableRemoveTest {
    /** Keys 16 apart share a home slot in the smallest table (16 slots). */
    private static IdTable<String> tableWith(int... keys) {
        IdTable<String> t = new IdTable<>(16);
        for (int k : keys) {
            assertThat(t.putIfAbsent(k, "v" + k)).isTrue();
        }
        assertThat(t.capacity()).isEqualTo(16);
        return t;
    }

    @Test
    void remove_headOfRunOfFourSameHome_othersStillFound() {
        IdTable<String> t = tableWith(1, 17, 33, 49);

        assertThat(t.remove(1)).isEqualTo("v1");

        assertThat(t.get(17)).isEqualTo("v17");
        assertThat(t.get(33)).isEqualTo("v33");
        assertThat(t.get(49)).isEqualTo("v49");
        assertThat(t.get(1)).isNull();
        assertThat(t.size()).isEqualTo(3);
        t.checkInvariants();
    }

    @Test
    void remove_runWrappingPastLastSlot_othersStillFound() {
        IdTable<String> t = tableWith(15, 31, 47, 63);   // slots 15, 0, 1, 2

        assertThat(t.remove(15)).isEqualTo("v15");

        assertThat(t.get(31)).isEqualTo("v31");
        assertThat(t.get(47)).isEqualTo("v47");
        assertThat(t.get(63)).isEqualTo("v63");
        t.checkInvariants();
    }

    @Test
    void remove_absentKeyInsideRun_changesNothing() {
        IdTable<String> t = tableWith(1, 17, 33);

        assertThat(t.remove(49)).isNull();
        assertThat(t.remove(2)).isNull();

        assertThat(t.size()).isEqualTo(3);
        assertThat(t.get(33)).isEqualTo("v33");
        t.checkInvariants();
    }
}
