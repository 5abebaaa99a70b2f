package io.kp1.examples.box;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kp1.ResourcePath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class FaultsTest {
    private static OutgoingReply reply(String extension, int id) {
        return new OutgoingReply(OutgoingReply.Transport.MQTT, ResourcePath.of("app_v1", extension, "JTjdbENzHh", "/x"),
                OptionalInt.of(id), 200, false);
    }

    private static List<Fault> decide(Faults f, int n) {
        List<Fault> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(f.decide(reply("dcx", i)));
        }
        return out;
    }

    @Test
    void none_everyReplyPasses() {
        assertThat(decide(Faults.none(), 100)).containsOnly(Fault.pass());
    }

    @Test
    void always_everyReplyMeetsTheFault() {
        assertThat(decide(Faults.always(Fault.duplicate()), 10)).containsOnly(Fault.duplicate());
    }

    @Test
    void sameSeed_sameDecisions() {
        Faults.Builder b = Faults.builder().seed(42).drop(0.2).duplicate(0.2).delay(0.2, Duration.ofMillis(5))
                .reorder(0.2).disconnect(0.1);

        assertThat(decide(b.build(), 200)).isEqualTo(decide(b.build(), 200));
        assertThat(decide(b.build(), 200)).isNotEqualTo(decide(Faults.builder().seed(43).drop(0.2).duplicate(0.2)
                .delay(0.2, Duration.ofMillis(5)).reorder(0.2).disconnect(0.1).build(), 200));
    }

    @Test
    void probabilities_decideInProportion() {
        List<Fault> d = decide(Faults.builder().seed(7).drop(0.3).delay(0.1, Duration.ofMillis(9)).build(), 10_000);

        assertThat(d.stream().filter(f -> f.kind() == Fault.Kind.DROP).count()).isBetween(2700L, 3300L);
        assertThat(d.stream().filter(f -> f.kind() == Fault.Kind.DELAY).count()).isBetween(800L, 1200L);
        assertThat(d).filteredOn(f -> f.kind() == Fault.Kind.DELAY).allMatch(f -> f.delay().toMillis() == 9);
    }

    @Test
    void rules_firstMatchWins_beforeTheRandomDraw() {
        Faults f = Faults.builder().drop(1.0)
                .rule(r -> r.extension().equals("cex"), Fault.reorder())
                .rule(r -> true, Fault.duplicate())
                .build();

        assertThat(f.decide(reply("cex", 1))).isEqualTo(Fault.reorder());
        assertThat(f.decide(reply("dcx", 1))).isEqualTo(Fault.duplicate());
    }

    @Test
    void rule_limitedUses_thenTheRandomDrawDecides() {
        Faults f = Faults.builder().rule(r -> true, Fault.drop(), 2).build();

        assertThat(decide(f, 4)).containsExactly(Fault.drop(), Fault.drop(), Fault.pass(), Fault.pass());
    }

    @Test
    void builder_refusesProbabilitiesOverOne() {
        assertThatThrownBy(() -> Faults.builder().drop(0.6).duplicate(0.5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 1");
        assertThatThrownBy(() -> Faults.builder().drop(-0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("drop probability");
        assertThatThrownBy(() -> Faults.builder().reorder(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Faults.builder().rule(r -> true, Fault.drop(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("times must be positive");
        assertThatThrownBy(() -> Fault.delay(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void outgoingReply_toString_redactsTheToken_D16() {
        assertThat(reply("dcx", 3).toString()).doesNotContain("JTjdbENzHh").contains("JT").contains("#3");
    }
}
