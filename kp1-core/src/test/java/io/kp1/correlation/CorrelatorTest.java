package io.kp1.correlation;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.kp1.InvalidTopicException;
import io.kp1.Reply;
import io.kp1.ResourcePath;
import io.kp1.Topic;
import io.kp1.TopicParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static io.kp1.correlation.Fixtures.APP;
import static io.kp1.correlation.Fixtures.CONFIG_A;
import static io.kp1.correlation.Fixtures.EMPTY;
import static io.kp1.correlation.Fixtures.JSON_A;
import static io.kp1.correlation.Fixtures.JSON_B;
import static io.kp1.correlation.Fixtures.KEYS_A;
import static io.kp1.correlation.Fixtures.NOT_FOUND;
import static io.kp1.correlation.Fixtures.REBOOT_A;
import static io.kp1.correlation.Fixtures.SECOND;
import static io.kp1.correlation.Fixtures.TOKEN_A;
import static io.kp1.correlation.Fixtures.error;
import static io.kp1.correlation.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CorrelatorTest {
    private final Correlator correlator = Correlator.builder().build();

    @BeforeAll
    static void quiet() {
        Fixtures.quietLogs();
    }

    @AfterEach
    void consistent() {
        correlator.checkInvariants();
    }

    private static Throwable failure(CompletableFuture<?> f) {
        assertThat(f).isCompletedExceptionally();
        try {
            f.join();
            throw new AssertionError("not failed");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    @Nested
    class RequestIds {
        @Test
        void register_threeRequests_idsOneTwoThreeAndTopicIsPathSlashId_K4() {
            PendingRequest a = correlator.register(JSON_A, SECOND, 0);
            PendingRequest b = correlator.register(JSON_A, SECOND, 0);
            PendingRequest c = correlator.register(KEYS_A, SECOND, 0);

            assertThat(List.of(a.requestId(), b.requestId(), c.requestId())).containsExactly(1, 2, 3);
            assertThat(a.topic().name()).isEqualTo("kp1/demo_v1/dcx/JTjdbENzHh/json/1");
            assertThat(c.topic().name()).isEqualTo("kp1/demo_v1/epmx/JTjdbENzHh/get/keys/3");
            assertThat(a.topic().kind()).isEqualTo(Topic.Kind.REQUEST);
            assertThat(a.path()).isSameAs(JSON_A);
        }

        @Test
        void pendingRequests_afterReplyAndCancel_listsOnlyThoseStillPendingAndEndingThemEmptiesIt_D14() {
            PendingRequest a = correlator.register(JSON_A, SECOND, 0);
            PendingRequest b = correlator.register(JSON_A, SECOND, 0);
            PendingRequest c = correlator.observe(KEYS_A, SECOND, 0, r -> { });
            PendingRequest d = correlator.register(KEYS_A, SECOND, 0);
            correlator.onReply(status(a), EMPTY);
            d.cancel(false);

            List<PendingRequest> pending = correlator.pendingRequests();
            assertThat(pending).containsExactlyInAnyOrder(b, c);
            pending.forEach(r -> r.completeExceptionally(new IllegalStateException("closed")));
            assertThat(correlator.pendingRequests()).isEmpty();
            assertThat(correlator.pending()).isZero();
        }

        @Test
        void register_firstRequestIdSet_allocationStartsThere_K4() {
            Correlator c = Correlator.builder().firstRequestId(1_000).build();
            assertThat(c.register(JSON_A, SECOND, 0).requestId()).isEqualTo(1_000);
            assertThat(c.register(JSON_A, SECOND, 0).requestId()).isEqualTo(1_001);
        }

        @Test
        void register_atMaxRequestId_wrapsToOne_K4() {
            Correlator c = Correlator.builder().firstRequestId(Integer.MAX_VALUE).build();
            assertThat(c.register(JSON_A, SECOND, 0).requestId()).isEqualTo(Integer.MAX_VALUE);
            assertThat(c.register(JSON_A, SECOND, 0).requestId()).isEqualTo(1);
        }

        @Test
        void register_afterWrapAround_skipsIdsStillPending_K4() {
            Correlator c = Correlator.builder().maxRequestIdForTesting(5).maxPending(4).build();
            List<PendingRequest> first = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                first.add(c.register(JSON_A, SECOND, 0)); // 1, 2, 3, 4
            }
            c.onReply(status(first.get(0)), EMPTY); // frees 1
            c.onReply(status(first.get(2)), EMPTY); // frees 3

            PendingRequest five = c.register(JSON_A, SECOND, 0);
            assertThat(five.requestId()).isEqualTo(5);
            five.cancel(false);
            assertThat(c.register(JSON_A, SECOND, 0).requestId()).as("the wrap-around").isEqualTo(1);
            assertThat(c.observe(JSON_A, 0, 0, r -> { }).requestId()).as("2 pending, then 3").isEqualTo(3);
            c.checkInvariants();
        }

        @Test
        void register_observedIdStillOpen_neverReused_K4_K11() {
            Correlator c = Correlator.builder().maxRequestIdForTesting(3).maxPending(2).build();
            PendingRequest obs = c.observe(CONFIG_A, 0, 0, r -> { });
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                PendingRequest r = c.register(CONFIG_A, SECOND, 0);
                seen.add(r.requestId());
                c.onReply(status(r), EMPTY);
            }
            assertThat(seen).doesNotContain(obs.requestId()).allMatch(id -> id >= 1 && id <= 3);
        }

        @Test
        void register_sameIdNeverPendingTwiceAcrossEndpoints_K4() {
            PendingRequest a = correlator.register(JSON_A, SECOND, 0);
            PendingRequest b = correlator.register(JSON_B, SECOND, 0);
            assertThat(a.requestId()).isNotEqualTo(b.requestId());
        }
    }

    @Nested
    class ExactMatching {
        @Test
        void onReply_statusOnRequestTopic_completesWithSuccessReply_D12() {
            PendingRequest r = correlator.register(JSON_A, SECOND, 0);
            Topic reply = status(r);

            assertThat(correlator.onReply(reply, "[1]".getBytes())).isEqualTo(ReplyOutcome.COMPLETED);

            Reply got = r.join();
            assertThat(got.isSuccess()).isTrue();
            assertThat(got.payloadAsString()).isEqualTo("[1]");
            assertThat(got.topic()).contains(reply);
            assertThat(correlator.pending()).isZero();
        }

        @Test
        void onReply_errorOnRequestTopic_completesWithDecodedError_K5_K7() {
            PendingRequest r = correlator.register(KEYS_A, SECOND, 0);

            assertThat(correlator.onReply(error(r), NOT_FOUND)).isEqualTo(ReplyOutcome.COMPLETED);

            assertThat(r.join().isSuccess()).isFalse();
            assertThat(r.join().error().statusCode()).isEqualTo(404);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {
            "kp1/demo_v1/dcx/A8mQ2vLx0p/json/1/status",   // another endpoint
            "kp1/demo_v1/dcx/JTjdbENzHh/protobuf/1/status", // another resource
            "kp1/demo_v2/dcx/JTjdbENzHh/json/1/status",   // another application version
            "kp1/demo_v1/dcx2/JTjdbENzHh/json/1/status",  // another extension instance
            "kp1/demo_v1/dcx/JTjdbENzHh/json/2/status",   // another ID
            "kp1/demo_v1/dcx/JTjdbENzHh/json/x/1/status", // a longer resource
        })
        void onReply_topicDiffersInOneLevel_completesNothingAndCountsUnknown_D12(String reply) {
            PendingRequest r = correlator.register(JSON_A, SECOND, 0);
            assertThat(r.requestId()).isEqualTo(1);

            assertThat(correlator.onReply(Topic.parseReply(reply), EMPTY)).isEqualTo(ReplyOutcome.UNKNOWN);

            assertThat(r).isNotDone();
            assertThat(correlator.pending()).isEqualTo(1);
            assertThat(correlator.stats().unknown()).isEqualTo(1);
        }

        @Test
        void onReply_otherEndpointSameIdAfterItEnded_stillUnknownNotDuplicate_D12_D15() {
            PendingRequest r = correlator.register(JSON_A, SECOND, 0);
            correlator.onReply(status(r), EMPTY);

            assertThat(correlator.onReply(status(JSON_B, r.requestId()), EMPTY)).isEqualTo(ReplyOutcome.UNKNOWN);
        }

        @Test
        void onReply_leadingZeroId_matchesByValue_D1() {
            PendingRequest r = correlator.register(JSON_A, SECOND, 0);
            Topic padded = Topic.parseReply(JSON_A.asString() + "/0" + r.requestId() + "/status");

            assertThat(correlator.onReply(padded, EMPTY)).isEqualTo(ReplyOutcome.COMPLETED);
        }

        @Test
        void onReply_requestIdZeroFromLenientParser_unknown_D1b() {
            correlator.register(JSON_A, SECOND, 0);
            Topic zero = TopicParser.builder().acceptRequestIdZero(true).build()
                    .parseReply(JSON_A.asString() + "/0/status");

            assertThat(correlator.onReply(zero, EMPTY)).isEqualTo(ReplyOutcome.UNKNOWN);
            assertThat(correlator.pending()).isEqualTo(1);
        }

        @Test
        void register_pathTooLongForAnyId_throwsAndLeavesNothing_D4() {
            String resource = "/" + "r".repeat(65_535 - "kp1/demo_v1/dcx/JTjdbENzHh/".length() - 5);
            ResourcePath longPath = ResourcePath.of(APP, "dcx", TOKEN_A, resource);

            assertThatThrownBy(() -> correlator.register(longPath, SECOND, 0))
                    .isInstanceOf(InvalidTopicException.class)
                    .satisfies(e -> assertThat(((InvalidTopicException) e).reason()).isEqualTo(InvalidTopicException.Reason.TOO_LONG));
            assertThat(correlator.pending()).isZero();
            assertThat(correlator.pathStateCount()).isZero();
        }

        @Test
        void onReply_requestTopic_throwsIllegalArgument() {
            assertThatThrownBy(() -> correlator.onReply(Topic.request(JSON_A, 1), EMPTY))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Not a reply topic (K5)")
                    .hasMessageNotContaining(TOKEN_A);
        }
    }

    @Nested
    class Observations {
        @Test
        void observe_everyStatusGoesToListener_staysOpen_K11() {
            List<String> got = new ArrayList<>();
            PendingRequest obs = correlator.observe(CONFIG_A, 0, 0, r -> got.add(r.payloadAsString()));

            assertThat(correlator.onReply(status(obs), "{\"configId\":\"1\"}".getBytes())).isEqualTo(ReplyOutcome.OBSERVED);
            assertThat(correlator.onReply(status(obs), "{\"configId\":\"2\"}".getBytes())).isEqualTo(ReplyOutcome.OBSERVED);
            assertThat(correlator.onReply(status(obs), "{}".getBytes())).isEqualTo(ReplyOutcome.OBSERVED);

            assertThat(got).containsExactly("{\"configId\":\"1\"}", "{\"configId\":\"2\"}", "{}");
            assertThat(obs).isNotDone();
            assertThat(obs.isObservation()).isTrue();
            assertThat(correlator.stats().observationReplies()).isEqualTo(3);
            assertThat(correlator.stats().pendingObservations()).isEqualTo(1);
        }

        @Test
        void observe_errorReply_goesToListenerAndEndsObservation_D13() {
            List<Reply> got = new ArrayList<>();
            PendingRequest obs = correlator.observe(CONFIG_A, 0, 0, got::add);
            correlator.onReply(status(obs), "{}".getBytes());

            assertThat(correlator.onReply(error(obs), NOT_FOUND)).isEqualTo(ReplyOutcome.OBSERVATION_ENDED);

            assertThat(got).hasSize(2);
            assertThat(obs.join().statusCode()).isEqualTo(404);
            assertThat(correlator.pending()).isZero();
            assertThat(correlator.onReply(status(obs), "{}".getBytes())).isEqualTo(ReplyOutcome.DUPLICATE);
            assertThat(got).hasSize(2);
        }

        @Test
        void observe_cancelled_endsAndLaterRepliesAreLate_D13() {
            List<Reply> got = new ArrayList<>();
            PendingRequest obs = correlator.observe(CONFIG_A, 0, 0, got::add);

            assertThat(obs.cancel(false)).isTrue();

            assertThat(correlator.pending()).isZero();
            assertThat(correlator.onReply(status(obs), "{}".getBytes())).isEqualTo(ReplyOutcome.LATE);
            assertThat(got).isEmpty();
            assertThat(correlator.stats().cancelled()).isEqualTo(1);
        }

        @Test
        void observe_connectionLostDefaultPolicy_endsWithConnectionLost_D13() {
            PendingRequest obs = correlator.observe(CONFIG_A, 0, 0, r -> { });
            PendingRequest req = correlator.register(JSON_A, SECOND, 0);

            List<PendingRequest> kept = correlator.connectionLost(ConnectionLossPolicy.KEEP_REQUESTS);

            assertThat(kept).containsExactly(req);
            CorrelationException e = (CorrelationException) failure(obs);
            assertThat(e.reason()).isEqualTo(CorrelationException.Reason.CONNECTION_LOST);
            assertThat(e.getMessage()).contains("observation", "(D13)").doesNotContain(TOKEN_A);
        }

        @Test
        void observe_connectionLostKeepAll_staysOpenWithSameId_D13() {
            List<Reply> got = new ArrayList<>();
            PendingRequest obs = correlator.observe(CONFIG_A, 0, 0, got::add);

            assertThat(correlator.connectionLost(ConnectionLossPolicy.KEEP_ALL)).containsExactly(obs);

            assertThat(correlator.onReply(status(obs), "{}".getBytes())).isEqualTo(ReplyOutcome.OBSERVED);
            assertThat(got).hasSize(1);
        }

        @Test
        void observe_noTimeout_neverExpires_K11() {
            PendingRequest obs = correlator.observe(CONFIG_A, 0, 0, r -> { });

            assertThat(correlator.nextDeadline()).isEmpty();
            assertThat(correlator.expire(Long.MAX_VALUE)).isZero();
            assertThat(obs).isNotDone();
        }

        @Test
        void observe_timeoutWithoutFirstReply_expires_D14() {
            PendingRequest obs = correlator.observe(CONFIG_A, SECOND, 0, r -> { });

            assertThat(correlator.expire(SECOND)).isEqualTo(1);

            CorrelationException e = (CorrelationException) failure(obs);
            assertThat(e.reason()).isEqualTo(CorrelationException.Reason.TIMEOUT);
            assertThat(e.getMessage()).startsWith("No first reply to observation kp1/demo_v1/cmx/JT******Hh/config/json/1");
        }

        @Test
        void observe_firstReplyInTime_deadlineCleared_K11() {
            PendingRequest obs = correlator.observe(CONFIG_A, SECOND, 0, r -> { });
            correlator.onReply(status(obs), "{}".getBytes());

            assertThat(correlator.nextDeadline()).isEmpty();
            assertThat(correlator.expire(10 * SECOND)).isZero();
            assertThat(obs).isNotDone();
        }

        @Test
        void observe_listenerThrows_replyDroppedAndObservationStaysOpen() {
            PendingRequest obs = correlator.observe(CONFIG_A, 0, 0, r -> {
                throw new IllegalStateException("listener bug");
            });
            ListAppender<ILoggingEvent> logs = Fixtures.captureLogs();
            try {
                assertThat(correlator.onReply(status(obs), "{}".getBytes())).isEqualTo(ReplyOutcome.OBSERVED);
            } finally {
                Fixtures.stopCapture(logs);
            }
            assertThat(obs).isNotDone();
            assertThat(logs.list).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage()).contains("JT******Hh").doesNotContain(TOKEN_A);
            });
        }
    }

    @Nested
    class Pushes {
        @Test
        void onReply_pushWithoutId_goesToResourceListeners_K11() {
            List<String> a = new ArrayList<>();
            List<String> b = new ArrayList<>();
            correlator.addPushListener(REBOOT_A, r -> a.add(r.payloadAsString()));
            correlator.addPushListener(REBOOT_A, r -> b.add(r.payloadAsString()));
            Topic push = Topic.parseReply("kp1/demo_v1/cex/JTjdbENzHh/command/reboot/status");

            assertThat(correlator.onReply(push, "[{\"id\":1}]".getBytes())).isEqualTo(ReplyOutcome.PUSHED);

            assertThat(a).containsExactly("[{\"id\":1}]");
            assertThat(b).containsExactly("[{\"id\":1}]");
            assertThat(correlator.stats().pushes()).isEqualTo(1);
        }

        @Test
        void onReply_errorPushWithoutId_deliveredToo_K11() {
            List<Reply> got = new ArrayList<>();
            correlator.addPushListener(REBOOT_A, got::add);

            correlator.onReply(Topic.parseReply("kp1/demo_v1/cex/JTjdbENzHh/command/reboot/error"), NOT_FOUND);

            assertThat(got).singleElement().satisfies(r -> assertThat(r.statusCode()).isEqualTo(404));
        }

        @Test
        void onReply_pushForAnotherEndpointOrResource_notDelivered_K11_D12() {
            List<Reply> got = new ArrayList<>();
            correlator.addPushListener(REBOOT_A, got::add);

            assertThat(correlator.onReply(Topic.parseReply("kp1/demo_v1/cex/A8mQ2vLx0p/command/reboot/status"), EMPTY))
                    .isEqualTo(ReplyOutcome.UNKNOWN);
            assertThat(correlator.onReply(Topic.parseReply("kp1/demo_v1/cex/JTjdbENzHh/command/halt/status"), EMPTY))
                    .isEqualTo(ReplyOutcome.UNKNOWN);
            assertThat(got).isEmpty();
        }

        @Test
        void onReply_pushAfterListenerClosed_unknown_D15() {
            List<Reply> got = new ArrayList<>();
            Correlator.Subscription s = correlator.addPushListener(REBOOT_A, got::add);
            s.close();
            s.close();

            Topic push = Topic.parseReply("kp1/demo_v1/cex/JTjdbENzHh/command/reboot/status");
            assertThat(correlator.onReply(push, EMPTY)).isEqualTo(ReplyOutcome.UNKNOWN);
            assertThat(got).isEmpty();
        }

        @Test
        void addPushListener_survivesConnectionLoss_K11() {
            List<Reply> got = new ArrayList<>();
            correlator.addPushListener(REBOOT_A, got::add);
            correlator.connectionLost(ConnectionLossPolicy.FAIL_ALL);

            correlator.onReply(Topic.parseReply("kp1/demo_v1/cex/JTjdbENzHh/command/reboot/status"), EMPTY);
            assertThat(got).hasSize(1);
        }

        @Test
        void filters_replyAndPushTopics_K5_K11() {
            assertThat(Correlator.replyFilters(JSON_A))
                    .containsExactly("kp1/demo_v1/dcx/JTjdbENzHh/json/+/status", "kp1/demo_v1/dcx/JTjdbENzHh/json/+/error");
            assertThat(Correlator.pushTopics(REBOOT_A)).containsExactly(
                    "kp1/demo_v1/cex/JTjdbENzHh/command/reboot/status", "kp1/demo_v1/cex/JTjdbENzHh/command/reboot/error");
        }
    }

    @Nested
    class DeadlineRules {
        @Test
        void expire_atDeadline_failsWithTimeoutNamingTopicTokenRedacted_D14_D16() {
            PendingRequest r = correlator.register(JSON_A, 10 * SECOND, 5);

            assertThat(correlator.expire(10 * SECOND + 4)).isZero();
            assertThat(correlator.expire(10 * SECOND + 5)).isEqualTo(1);

            CorrelationException e = (CorrelationException) failure(r);
            assertThat(e.reason()).isEqualTo(CorrelationException.Reason.TIMEOUT);
            assertThat(e.getMessage())
                    .isEqualTo("No reply to kp1/demo_v1/dcx/JT******Hh/json/1 within 10000 ms (D14)");
            assertThat(e.requestId()).isEqualTo(1);
            assertThat(e.getStackTrace()).isEmpty();
            assertThat(correlator.pending()).isZero();
            assertThat(correlator.stats().timedOut()).isEqualTo(1);
        }

        @Test
        void nextDeadline_severalDurations_earliestFirst_D14() {
            correlator.register(JSON_A, 30 * SECOND, 0);
            PendingRequest shortOne = correlator.register(JSON_A, 5 * SECOND, 1);
            correlator.register(JSON_A, 10 * SECOND, 2);

            assertThat(correlator.nextDeadline()).hasValue(5 * SECOND + 1);
            shortOne.cancel(false);
            assertThat(correlator.nextDeadline()).hasValue(10 * SECOND + 2);
        }

        @Test
        void expire_severalDurations_expiresOnlyWhatIsDueInDeadlineOrder_D14() {
            List<Integer> order = new ArrayList<>();
            long[] timeouts = {7, 3, 5, 3, 9, 1};
            for (int i = 0; i < timeouts.length; i++) {
                PendingRequest r = correlator.register(JSON_A, timeouts[i] * SECOND, i);
                r.whenComplete((v, e) -> order.add(r.requestId()));
            }

            assertThat(correlator.expire(5 * SECOND + 1)).isEqualTo(3); // deadlines 1s+5, 3s+1, 3s+3

            assertThat(order).containsExactly(6, 2, 4);
            assertThat(correlator.nextDeadline()).hasValue(5 * SECOND + 2);
            assertThat(correlator.expire(100 * SECOND)).isEqualTo(3);
            assertThat(order).containsExactly(6, 2, 4, 3, 1, 5);
        }

        @Test
        void expire_callerClocksRacedIntoLockOutOfOrder_stillInDeadlineOrder_D14() {
            PendingRequest later = correlator.register(JSON_A, SECOND, 100);
            PendingRequest earlier = correlator.register(JSON_A, SECOND, 50);

            assertThat(correlator.nextDeadline()).hasValue(SECOND + 50);
            assertThat(correlator.expire(SECOND + 60)).isEqualTo(1);
            assertThat(earlier).isCompletedExceptionally();
            assertThat(later).isNotDone();
        }

        @Test
        void expire_nanoTimeNearOverflow_comparesBySubtraction_D14() {
            long now = Long.MAX_VALUE - SECOND / 2;
            PendingRequest r = correlator.register(JSON_A, SECOND, now); // deadline wraps to negative

            assertThat(correlator.expire(now + 1)).isZero();
            assertThat(correlator.expire(now + SECOND)).isEqualTo(1);
            assertThat(r).isCompletedExceptionally();
        }

        @Test
        void register_nonPositiveTimeout_throws() {
            assertThatThrownBy(() -> correlator.register(JSON_A, 0, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeoutNanos must be > 0: 0");
            assertThatThrownBy(() -> correlator.observe(JSON_A, -1, 0, r -> { }))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void deadlineQueues_manyDistinctDurations_idleQueuesPurged() {
            for (int i = 1; i <= 1_000; i++) {
                PendingRequest r = correlator.register(JSON_A, i, 0);
                r.cancel(false);
            }
            assertThat(correlator.deadlineQueueCount()).isLessThanOrEqualTo(16);
        }
    }

    @Nested
    class EveryRequestEnds {
        @Test
        void cancel_removesEntryAndLaterReplyIsLate_D14_D15() {
            PendingRequest r = correlator.register(JSON_A, SECOND, 0);

            assertThat(r.cancel(true)).isTrue();

            assertThat(r).isCancelled();
            assertThat(r.isPending()).isFalse();
            assertThat(correlator.pending()).isZero();
            assertThat(correlator.nextDeadline()).isEmpty();
            assertThat(correlator.onReply(status(r), EMPTY)).isEqualTo(ReplyOutcome.LATE);
            assertThat(correlator.stats().cancelled()).isEqualTo(1);
        }

        @Test
        void complete_byCaller_removesEntry_D14() {
            PendingRequest r = correlator.register(JSON_A, SECOND, 0);

            r.complete(Reply.ok());
            PendingRequest s = correlator.register(JSON_A, SECOND, 0);
            s.completeExceptionally(new IllegalStateException("gave up"));

            assertThat(correlator.pending()).isZero();
            assertThat(correlator.stats().cancelled()).isEqualTo(2);
        }

        @Test
        void obtrudeAndCompleteAsync_byCaller_removeEntry_D14() throws Exception {
            PendingRequest r = correlator.register(JSON_A, SECOND, 0);
            r.obtrudeValue(Reply.ok());
            PendingRequest s = correlator.observe(CONFIG_A, 0, 0, x -> { });
            s.obtrudeException(new IllegalStateException("forced"));
            PendingRequest t = correlator.register(KEYS_A, SECOND, 0);
            t.completeAsync(Reply::ok, Runnable::run).get(10, TimeUnit.SECONDS);

            assertThat(correlator.pending()).isZero();
            assertThat(correlator.stats().cancelled()).isEqualTo(3);
        }

        @Test
        void cancel_afterReply_changesNothing_D14() {
            PendingRequest r = correlator.register(JSON_A, SECOND, 0);
            correlator.onReply(status(r), EMPTY);

            assertThat(r.cancel(true)).isFalse();
            assertThat(correlator.stats().cancelled()).isZero();
            assertThat(correlator.stats().replied()).isEqualTo(1);
        }

        @Test
        void connectionLost_failAll_failsEveryRequestWithConnectionLost_D14() {
            PendingRequest a = correlator.register(JSON_A, SECOND, 0);
            PendingRequest b = correlator.register(JSON_B, SECOND, 0);
            PendingRequest o = correlator.observe(CONFIG_A, 0, 0, r -> { });

            assertThat(correlator.connectionLost(ConnectionLossPolicy.FAIL_ALL)).isEmpty();

            for (PendingRequest r : List.of(a, b, o)) {
                CorrelationException e = (CorrelationException) failure(r);
                assertThat(e.reason()).isEqualTo(CorrelationException.Reason.CONNECTION_LOST);
                assertThat(e.getMessage()).doesNotContain(TOKEN_A);
            }
            assertThat(failure(a).getMessage())
                    .isEqualTo("Connection lost before a reply to kp1/demo_v1/dcx/JT******Hh/json/1 (D14)");
            assertThat(correlator.pending()).isZero();
            assertThat(correlator.nextDeadline()).isEmpty();
            assertThat(correlator.stats().connectionLost()).isEqualTo(3);
            assertThat(correlator.onReply(status(a), EMPTY)).isEqualTo(ReplyOutcome.LATE);
        }

        @Test
        void connectionLost_keepRequests_returnsThemOldestFirstWithSameIds_D14() {
            Correlator c = Correlator.builder().firstRequestId(Integer.MAX_VALUE - 1).build();
            PendingRequest a = c.register(JSON_A, SECOND, 0, "payload a");
            PendingRequest b = c.register(JSON_A, SECOND, 0);
            PendingRequest d = c.register(JSON_B, SECOND, 0); // ID 1, after the wrap-around

            List<PendingRequest> kept = c.connectionLost(ConnectionLossPolicy.KEEP_REQUESTS);

            assertThat(kept).containsExactly(a, b, d);
            assertThat(kept.get(0).attachment()).isEqualTo("payload a");
            assertThat(d.topic().name()).isEqualTo("kp1/demo_v1/dcx/A8mQ2vLx0p/json/1");
            assertThat(c.pending()).isEqualTo(3);
            assertThat(c.onReply(status(d), EMPTY)).as("republished and answered").isEqualTo(ReplyOutcome.COMPLETED);
            assertThat(c.stats().keptOnConnectionLoss()).isEqualTo(3);
            assertThat(c.nextDeadline()).as("kept requests keep their deadline").hasValue(SECOND);
            c.checkInvariants();
        }

        @Test
        void stats_afterEveryKindOfEnd_addUpAndTableEmpty_D14() {
            PendingRequest replied = correlator.register(JSON_A, SECOND, 0);
            correlator.register(JSON_A, SECOND, 0); // times out
            PendingRequest cancelled = correlator.register(JSON_A, 5 * SECOND, 0);
            correlator.register(JSON_B, 5 * SECOND, 0); // lost
            correlator.onReply(status(replied), EMPTY);
            cancelled.cancel(false);
            correlator.expire(SECOND);
            correlator.connectionLost(ConnectionLossPolicy.FAIL_ALL);

            Correlator.Stats s = correlator.stats();
            assertThat(s.registered()).isEqualTo(4);
            assertThat(List.of(s.replied(), s.timedOut(), s.cancelled(), s.connectionLost())).containsExactly(1L, 1L, 1L, 1L);
            assertThat(s.ended()).isEqualTo(s.registered());
            assertThat(s.pending()).isZero();
        }
    }

    @Nested
    class DroppedReplies {
        @Test
        void onReply_secondReplyForSameRequest_duplicateCountedAndDropped_D15() {
            PendingRequest r = correlator.register(JSON_A, SECOND, 0);
            correlator.onReply(status(r), "first".getBytes());

            assertThat(correlator.onReply(status(r), "second".getBytes())).isEqualTo(ReplyOutcome.DUPLICATE);
            assertThat(correlator.onReply(error(r), NOT_FOUND)).isEqualTo(ReplyOutcome.DUPLICATE);

            assertThat(r.join().payloadAsString()).isEqualTo("first");
            assertThat(correlator.stats().duplicate()).isEqualTo(2);
        }

        @Test
        void onReply_afterTimeout_lateCountedAndDropped_D15() {
            PendingRequest r = correlator.register(JSON_A, SECOND, 0);
            correlator.expire(SECOND);

            assertThat(correlator.onReply(status(r), EMPTY)).isEqualTo(ReplyOutcome.LATE);
            assertThat(correlator.stats().late()).isEqualTo(1);
        }

        @Test
        void onReply_neverRegistered_unknownCountedAndDropped_D15() {
            assertThat(correlator.onReply(status(JSON_A, 77), EMPTY)).isEqualTo(ReplyOutcome.UNKNOWN);
            assertThat(correlator.stats().unknown()).isEqualTo(1);
            assertThat(ReplyOutcome.UNKNOWN.isDropped()).isTrue();
        }

        @Test
        void onReply_endedLongAgo_forgottenBoundedMemory_unknown_D15() {
            Correlator c = Correlator.builder().recentlyEndedCapacity(2).build();
            PendingRequest first = c.register(JSON_A, SECOND, 0);
            first.cancel(false);
            for (int i = 0; i < 2; i++) {
                c.register(JSON_A, SECOND, 0).cancel(false);
            }

            assertThat(c.onReply(status(first), EMPTY)).isEqualTo(ReplyOutcome.UNKNOWN);
        }

        @Test
        void onReply_dropped_loggedAtDebugWithTokenRedacted_D15_D16() {
            ListAppender<ILoggingEvent> logs = Fixtures.captureLogs();
            try {
                correlator.onReply(status(JSON_A, 77), EMPTY);
            } finally {
                Fixtures.stopCapture(logs);
            }
            assertThat(logs.list).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.DEBUG);
                assertThat(e.getFormattedMessage())
                        .isEqualTo("Dropped UNKNOWN reply on kp1/demo_v1/dcx/JT******Hh/json/77/status (D15)")
                        .doesNotContain(TOKEN_A);
            });
        }

        @Test
        void pendingRequest_toString_redactsToken_D16() {
            PendingRequest r = correlator.register(JSON_A, SECOND, 0);
            assertThat(r.toString()).isEqualTo("PendingRequest[kp1/demo_v1/dcx/JT******Hh/json/1, pending]");
            r.cancel(false);
            assertThat(r.toString()).endsWith("cancelled]");
        }
    }

    @Nested
    class Limits {
        @Test
        void register_pastMaxPending_throwsLimitReachedAndCounts() {
            Correlator c = Correlator.builder().maxPending(2).build();
            c.register(JSON_A, SECOND, 0);
            c.register(JSON_B, SECOND, 0);

            assertThatThrownBy(() -> c.register(KEYS_A, SECOND, 0))
                    .isInstanceOfSatisfying(CorrelationException.class,
                            e -> assertThat(e.reason()).isEqualTo(CorrelationException.Reason.LIMIT_REACHED))
                    .hasMessage("Cannot register kp1/demo_v1/epmx/JT******Hh/get/keys: 2 requests pending, the limit (maxPending)");
            assertThat(c.stats().rejected()).isEqualTo(1);
            assertThat(c.pending()).isEqualTo(2);
        }

        @Test
        void register_pastPerEndpointLimit_throwsButOtherEndpointsStillRegister_K4() {
            Correlator c = Correlator.builder().maxPendingPerEndpoint(2).build();
            c.register(JSON_A, SECOND, 0);
            c.register(ResourcePath.of(APP, "dcx", TOKEN_A, "/protobuf/7"), SECOND, 0); // same K4 scope

            assertThatThrownBy(() -> c.observe(JSON_A, 0, 0, r -> { }))
                    .isInstanceOf(CorrelationException.class)
                    .hasMessageContaining("2 requests pending for this endpoint scope")
                    .hasMessageContaining("maxPendingPerEndpoint, K4")
                    .hasMessageNotContaining(TOKEN_A);
            c.register(JSON_B, SECOND, 0);
            c.register(KEYS_A, SECOND, 0); // another extension instance: another scope
            c.checkInvariants();
        }

        @Test
        void register_afterCompletionsFreeRoom_succeedsAgain() {
            Correlator c = Correlator.builder().maxPending(1).build();
            for (int i = 0; i < 5; i++) {
                PendingRequest r = c.register(JSON_A, SECOND, 0);
                c.onReply(status(r), EMPTY);
            }
            assertThat(c.stats().rejected()).isZero();
        }

        @Test
        void register_manyPathsComeAndGo_idleStateBounded() {
            for (int i = 0; i < 2_000; i++) {
                PendingRequest r = correlator.register(ResourcePath.of(APP, "dcx", "token" + i, "/json"), SECOND, 0);
                correlator.onReply(status(r), EMPTY);
            }
            assertThat(correlator.pathStateCount()).isLessThanOrEqualTo(64);
        }

        @Test
        void builder_badSettings_throw() {
            assertThatThrownBy(() -> Correlator.builder().maxPending(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Correlator.builder().maxPendingPerEndpoint(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Correlator.builder().firstRequestId(0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(D1)");
            assertThatThrownBy(() -> Correlator.builder().recentlyEndedCapacity(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Correlator.builder().maxRequestIdForTesting(10).maxPending(10).build())
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Reentrancy {
        @Test
        void onReply_callbackBlocksOnAnotherThreadUsingCorrelator_noDeadlock() throws Exception {
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                PendingRequest r = correlator.register(JSON_A, SECOND, 0);
                CompletableFuture<Integer> nested = r.thenApply(reply -> {
                    // Another thread needs the lock while this callback runs: it must be free.
                    try {
                        return other.submit(() -> correlator.register(JSON_A, SECOND, 0).requestId())
                                .get(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException("the correlator's lock was held during the callback", e);
                    }
                });

                correlator.onReply(status(r), EMPTY);

                assertThat(nested.get(10, TimeUnit.SECONDS)).isEqualTo(2);
            } finally {
                other.shutdownNow();
            }
        }

        @Test
        void expire_callbackRegistersAgain_sameThreadReentry() {
            PendingRequest r = correlator.register(JSON_A, SECOND, 0);
            List<PendingRequest> retries = new ArrayList<>();
            r.whenComplete((v, e) -> retries.add(correlator.register(JSON_A, SECOND, SECOND)));

            correlator.expire(SECOND);

            assertThat(retries).singleElement().satisfies(x -> assertThat(x.isPending()).isTrue());
            assertThat(correlator.pending()).isEqualTo(1);
        }

        @Test
        void cancel_raceWithLateFutureUse_getThrowsCancellation() {
            PendingRequest r = correlator.register(JSON_A, SECOND, 0);
            r.cancel(false);
            assertThatThrownBy(r::get).isInstanceOf(CancellationException.class);
        }

        @Test
        void orTimeout_onPendingRequest_removesEntry_D14() throws Exception {
            PendingRequest r = correlator.register(JSON_A, 100 * SECOND, 0);
            CompletableFuture<Reply> f = r.orTimeout(1, TimeUnit.MILLISECONDS);
            try {
                f.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException expected) {
                // TimeoutException from the JDK's own timer
            }
            assertThat(correlator.pending()).isZero();
        }
    }
}
