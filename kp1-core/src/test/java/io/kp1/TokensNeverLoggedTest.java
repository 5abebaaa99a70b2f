package io.kp1;

import ch.qos.logback.classic.Level;
import io.kp1.correlation.Correlator;
import io.kp1.correlation.PendingRequest;
import io.kp1.server.Request;
import io.kp1.server.Router;
import io.kp1.testkit.LogCapture;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * D16 for kp1-core: every log event of {@code io.kp1} at DEBUG and above, captured whole (message,
 * arguments, throwables, MDC), while the router and the correlator go through the paths that log
 * a request or a topic: handler exceptions that quote the token, null stages and replies, unknown
 * extensions and resources, unknown, late and duplicate replies, pushes without listener, a
 * listener that throws, and timeouts. The token never appears whole; its redacted form does.
 */
class TokensNeverLoggedTest {
    /** Distinctive, and long enough that redaction keeps only its ends. */
    private static final String TOKEN = "SECRETtok3nD16xyz";
    private static final String APP = "logs_v1";
    private static final long SECOND = 1_000_000_000L;

    private static final Router ROUTER = Router.builder()
            .on("dcx", "/json", req -> {
                throw new IllegalStateException("storage refused " + req.endpointToken() + " at " + req.path().asString());
            })
            .on("dcx", "/null/stage", req -> null)
            .on("dcx", "/null/reply", req -> CompletableFuture.completedFuture(null))
            .on("dcx", "/failed/stage", req -> CompletableFuture.failedFuture(
                    new RuntimeException("async failure for " + req.endpointToken(),
                            new IllegalArgumentException("cause quoting " + req.topic().map(Topic::name).orElse("")))))
            .build();

    private static Request mqtt(String resource, int id) {
        return Request.fromMqtt(Topic.request(ResourcePath.of(APP, "dcx", TOKEN, resource), id),
                "[]".getBytes(StandardCharsets.UTF_8), 1);
    }

    @Test
    void router_handlerFailuresAndUnknownRoutes_tokenNeverWholeAtDebug_D16() {
        try (LogCapture logs = LogCapture.start("io.kp1", Level.DEBUG)) {
            for (String resource : new String[] {"/json", "/null/stage", "/null/reply", "/failed/stage", "/unknown"}) {
                ROUTER.route(mqtt(resource, 7)).toCompletableFuture().join();
                ROUTER.route(Request.fromHttp(ResourcePath.of(APP, "dcx", TOKEN, resource), new byte[0]))
                        .toCompletableFuture().join();
            }
            ROUTER.route(Request.fromMqtt(Topic.request(ResourcePath.of(APP, "nope", TOKEN, "/json"), 8), new byte[0], 0))
                    .toCompletableFuture().join();

            logs.assertNeverContains(TOKEN);
            assertThat(logs.anyMessageContains(ResourcePath.redactToken(TOKEN))).as("the redacted token was logged").isTrue();
            assertThat(logs.events()).anyMatch(e -> e.getThrowableProxy() != null);
        }
    }

    @Test
    void correlator_unknownLateDuplicateRepliesPushesAndTimeouts_tokenNeverWholeAtDebug_D16() {
        Correlator c = Correlator.builder().build();
        ResourcePath path = ResourcePath.of(APP, "epmx", TOKEN, "/get/keys");
        try (LogCapture logs = LogCapture.start("io.kp1", Level.DEBUG)) {
            PendingRequest answered = c.register(path, SECOND, 0);
            Topic status = Topic.parseReply(answered.topic().name() + Topic.STATUS_SUFFIX);
            c.onReply(status, "[]".getBytes(StandardCharsets.UTF_8));
            c.onReply(status, "[]".getBytes(StandardCharsets.UTF_8)); // duplicate (D15)
            c.onReply(Topic.parseReply(path.asString() + "/99999/error"), "{}".getBytes(StandardCharsets.UTF_8)); // unknown
            c.onReply(Topic.parseReply(path.asString() + "/status"), new byte[0]); // push without listener (K11)
            PendingRequest timedOut = c.register(path, SECOND, 0);
            c.expire(2 * SECOND);
            c.onReply(Topic.parseReply(timedOut.topic().name() + "/status"), new byte[0]); // late (D15)
            PendingRequest observed = c.observe(path, SECOND, 0, r -> {
                throw new IllegalStateException("listener broke on " + TOKEN);
            });
            c.onReply(Topic.parseReply(observed.topic().name() + "/status"), new byte[0]);

            assertThat(timedOut).isCompletedExceptionally();
            logs.assertNeverContains(TOKEN);
            assertThat(logs.events().size()).as("the D15 drops were logged").isGreaterThanOrEqualTo(3);
        }
    }
}
