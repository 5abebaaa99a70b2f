package io.kp1.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.kp1.Reply;
import io.kp1.client.Endpoint;
import io.kp1.client.Observation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class StatsTest {
    /** Answers each request with the reply its payload names: "ok", "404", "304", or no reply ("fail"). */
    private static final Endpoint SCRIPTED = new Endpoint() {
        @Override
        public String appVersion() {
            return "app_v1";
        }

        @Override
        public String endpointToken() {
            return "tok";
        }

        @Override
        public CompletableFuture<Reply> request(String extension, String resource, byte[] payload) {
            String what = new String(payload, StandardCharsets.UTF_8);
            switch (what) {
                case "ok":
                    return CompletableFuture.completedFuture(Reply.ok());
                case "fail":
                    return CompletableFuture.failedFuture(new java.net.http.HttpTimeoutException("timed out"));
                default:
                    return CompletableFuture.completedFuture(Reply.error(Integer.parseInt(what), "Status " + what));
            }
        }

        @Override
        public CompletableFuture<Void> send(String extension, String resource, byte[] payload) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean supportsObserve() {
            return false;
        }

        @Override
        public Observation observe(String extension, String resource, byte[] payload, Consumer<? super Reply> l) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Observation onPush(String extension, String resource, Consumer<? super Reply> l) {
            throw new UnsupportedOperationException();
        }
    };

    @Test
    void measure_countsRequestsRepliesAndErrors_perOperation() {
        Stats stats = new Stats();
        Endpoint e = stats.measure(SCRIPTED);

        e.request("dcx", "/json", "ok");
        e.request("dcx", "/json", "ok");
        e.request("epmx", "/get", "404");
        e.request("cmx", "/config/json", "304");
        e.request("cex", "/command/x", "fail");

        assertThat(stats.totals()).containsExactly(5, 4, 2);
        String table = stats.table();
        assertThat(table).containsPattern("dcx /json\\s+2\\s+2\\s+0\\s")
                .containsPattern("epmx /get\\s+1\\s+1\\s+1\\s")
                .as("7/CMP unchanged over HTTP is no error (D10)").containsPattern("cmx /config/json\\s+1\\s+1\\s+0\\s")
                .as("no reply: no latency").containsPattern("cex /command/x\\s+1\\s+0\\s+1\\s+-\\s+-")
                .containsPattern("all\\s+5\\s+4\\s+2\\s");
    }

    @Test
    void table_percentiles_areNearestRank() throws Exception {
        Stats stats = new Stats();
        for (int i = 0; i < 100; i++) {
            stats.start("op").done(true, false);
        }
        assertThat(stats.table()).containsPattern("op\\s+100\\s+100\\s+0\\s+\\d+\\.\\d\\s+\\d+\\.\\d");
    }

    @Test
    void progress_onATerminal_rewritesTheLine_elsewhere_printsPlainLines() {
        for (boolean live : new boolean[] {true, false}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), live, new Stats())) {
                Progress.Step s = p.begin("step", 2);
                s.advance(true);
                s.advance(false);
                s.end("done");
                assertThat(s.done()).isEqualTo(2);
                assertThat(s.failed()).isEqualTo(1);
            }
            String out = bytes.toString(StandardCharsets.UTF_8);
            assertThat(out).endsWith("step                   done" + System.lineSeparator());
            assertThat(out.contains("\r")).as("carriage return when live=%s", live).isEqualTo(live);
        }
    }
}
