package io.kp1.correlation.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EndedRingTest {
    @Test
    void find_newestRecordWins_andOldestIsOverwrittenWhenFull_D15() {
        EndedRing ring = new EndedRing(3);
        ring.add(1, "a", (byte) 1);
        ring.add(2, "a", (byte) 2);
        ring.add(1, "b", (byte) 2);

        assertThat(ring.find(1, "a")).isEqualTo(1);
        assertThat(ring.find(1, "b")).isEqualTo(2);
        assertThat(ring.find(2, "b")).isEqualTo(EndedRing.NOT_FOUND);

        ring.add(4, "a", (byte) 1); // overwrites (1, "a")
        assertThat(ring.find(1, "a")).isEqualTo(EndedRing.NOT_FOUND);
        assertThat(ring.size()).isEqualTo(3);
    }

    @Test
    void zeroCapacity_remembersNothing_D15() {
        EndedRing ring = new EndedRing(0);
        ring.add(1, "a", (byte) 1);
        assertThat(ring.find(1, "a")).isEqualTo(EndedRing.NOT_FOUND);
    }
}
