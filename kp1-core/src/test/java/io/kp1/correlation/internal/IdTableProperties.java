package io.kp1.correlation.internal;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IdTableProperties {
    /** An operation: put (0), remove (1) or get (2) of a key. */
    @Provide
    Arbitrary<List<Tuple.Tuple2<Integer, Integer>>> operations() {
        Arbitrary<Integer> keys = Arbitraries.oneOf(
                Arbitraries.integers().between(1, 64),                 // dense, collides
                Arbitraries.integers().between(1, 1 << 12),            // sequential-looking IDs
                Arbitraries.integers().between(1, Integer.MAX_VALUE),  // anywhere
                Arbitraries.integers().between(0, 15).map(i -> 1 + i * 1024),  // sparse, regular
                Arbitraries.integers().between(0, 63).map(i -> Integer.MAX_VALUE - i)); // top of the range
        Arbitrary<Integer> kinds = Arbitraries.frequency(Tuple.of(5, 0), Tuple.of(3, 1), Tuple.of(2, 2));
        return Combinators.combine(kinds, keys).as(Tuple::of).list().ofMaxSize(400);
    }

    @Property(tries = 300)
    void operations_behaveLikeHashMap_andKeepRobinHoodInvariant(@ForAll("operations") List<Tuple.Tuple2<Integer, Integer>> ops) {
        IdTable<String> table = new IdTable<>(8);
        Map<Integer, String> model = new HashMap<>();
        int n = 0;
        for (Tuple.Tuple2<Integer, Integer> op : ops) {
            int key = op.get2();
            switch (op.get1()) {
                case 0:
                    String v = "v" + n++;
                    assertThat(table.putIfAbsent(key, v)).isEqualTo(model.putIfAbsent(key, v) == null);
                    break;
                case 1:
                    assertThat(table.remove(key)).isEqualTo(model.remove(key));
                    break;
                default:
                    assertThat(table.get(key)).isEqualTo(model.get(key));
            }
            assertThat(table.size()).isEqualTo(model.size());
            table.checkInvariants();
        }
        for (Map.Entry<Integer, String> e : model.entrySet()) {
            assertThat(table.get(e.getKey())).isEqualTo(e.getValue());
        }
    }

    @Test
    void slidingWindowOfSequentialIds_probesStayShortAndTableShrinksAfterBurst() {
        IdTable<Integer> table = new IdTable<>(8);
        for (int id = 1; id <= 100_000; id++) {
            table.putIfAbsent(id, id);
            if (id > 1_000) {
                assertThat(table.remove(id - 1_000)).isEqualTo(id - 1_000);
            }
        }
        assertThat(table.size()).isEqualTo(1_000);
        assertThat(table.get(5)).isNull();
        assertThat(table.maxDisplacement()).isLessThan(64);
        table.checkInvariants();
        for (int id = 99_001; id <= 100_000; id++) {
            table.remove(id);
        }
        assertThat(table.capacity()).isEqualTo(16);
    }

    /**
     * A long run of idle keys, then churn of new keys chosen as the correlator chooses them (the
     * next key whose home is free): the keys wrap over the run's slots many times, yet every key
     * stays at home and the skipping costs at most the run once per pass over the table.
     */
    @Test
    void churnOverLongIdleRun_homeFreeKeys_stayAtHomeAndSkipsAreAmortized() {
        IdTable<Integer> table = new IdTable<>(8);
        for (int id = 1; id <= 100_000; id++) {
            table.putIfAbsent(id, id);
        }
        int next = 100_001;
        long skipped = 0;
        int churn = 1_000_000;
        for (int i = 0; i < churn; i++) {
            table.ensureRoomForOne();
            while (!table.isHomeFree(next)) {
                next++;
                skipped++;
            }
            assertThat(table.putIfAbsent(next, next)).isTrue();
            assertThat(table.remove(next)).isEqualTo(next);
            next++;
        }
        assertThat(table.maxDisplacement()).isZero();
        long passes = (churn + skipped) / table.capacity() + 1;
        assertThat(skipped).isLessThanOrEqualTo(passes * 100_000);
        table.checkInvariants();
        assertThat(table.size()).isEqualTo(100_000);
    }

    @Test
    void isHomeFree_afterShrinkCollisions_stillMeansAbsent() {
        IdTable<Integer> table = new IdTable<>(16);
        for (int id = 1; id <= 1_000; id++) {
            table.putIfAbsent(id, id);
        }
        for (int id = 1; id <= 1_000; id++) {
            if (id % 64 != 0) {
                table.remove(id); // shrinks: 64, 128, ... 960 and 1000 survive, many share homes now
            }
        }
        table.checkInvariants();
        for (int id = 1; id <= 4_096; id++) {
            if (table.isHomeFree(id)) {
                assertThat(table.get(id)).as("key %s", id).isNull();
            }
        }
    }

    @Test
    void putIfAbsent_nonPositiveKey_throws() {
        IdTable<String> table = new IdTable<>(8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> table.putIfAbsent(0, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
