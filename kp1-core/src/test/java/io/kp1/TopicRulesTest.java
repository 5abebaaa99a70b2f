package io.kp1;

import io.kp1.InvalidTopicException.Reason;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * One or more tests per decision of {@code KP1.md} (D1, D1b, D2, D3, D4, D5, D6, D7, D8, D16) and
 * the K-rules they refine, each with the exact message the caller sees. Refusals are two tables,
 * one row per input, each row named after its case and rule ({@link #refusedTopics},
 * {@link #refusedParts}); the other checks follow, by decision.
 */
class TopicRulesTest {
    private static final String A = "a".repeat(184);

    // ------------------------------------------------------------ helpers (OkHttp HttpUrl style)

    /** Asserts that a request or reply parse refuses {@code input}, from a caller and from the wire alike. */
    private static InvalidTopicException assertInvalid(TopicParser parser, boolean reply, String input, Reason reason,
                                                       int index, String expectedMessage) {
        InvalidTopicException e = assertThrowsInvalid(
                () -> {
                    if (reply) {
                        parser.parseReply(input);
                    } else {
                        parser.parseRequest(input);
                    }
                }, reason, index, expectedMessage);
        assertThat(e.input()).isEqualTo(input);
        assertThat(e.what()).isEqualTo("1/KP topic");
        assertThat(e.getStackTrace()).as("a caller's exception has a stack trace").isNotEmpty();

        ParseResult wire = reply ? parser.tryParseReply(input) : parser.tryParseRequest(input);
        assertThat(wire.isValid()).isFalse();
        assertThat(wire.error().reason()).isEqualTo(reason);
        assertThat(wire.error().index()).isEqualTo(index);
        assertThat(wire.error().getMessage()).isEqualTo(expectedMessage);
        assertThat(wire.error().getStackTrace()).as("wire input costs no stack trace").isEmpty();
        assertThat(wire.toString()).isEqualTo("ParseResult[" + expectedMessage + "]");
        return e;
    }

    /** Asserts that {@code call} throws an {@link InvalidTopicException} with this reason, index and message. */
    private static InvalidTopicException assertThrowsInvalid(ThrowingCallable call, Reason reason, int index,
                                                             String expectedMessage) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isExactlyInstanceOf(InvalidTopicException.class);
        InvalidTopicException e = (InvalidTopicException) thrown;
        assertThat(e.getMessage()).isEqualTo(expectedMessage);
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.rule()).isEqualTo(reason.rule());
        assertThat(e.index()).isEqualTo(index);
        return e;
    }

    private static ResourcePath path(String resource) {
        return ResourcePath.of("app", "dcx", "tok", resource);
    }

    // ------------------------------------------------------------ refusals by rule, one row per input

    /** A topic the default parser refuses, as a request or as a reply, and what the caller sees. */
    record RefusedTopic(boolean reply, String input, Reason reason, int index, String message) {
    }

    /** A part that a builder or factory refuses, and what the caller sees. */
    record RefusedPart(ThrowingCallable build, Reason reason, int index, String message) {
    }

    private static RefusedTopic request(String input, Reason reason, int index, String message) {
        return new RefusedTopic(false, input, reason, index, message);
    }

    private static RefusedTopic reply(String input, Reason reason, int index, String message) {
        return new RefusedTopic(true, input, reason, index, message);
    }

    private static RefusedPart part(ThrowingCallable build, Reason reason, int index, String message) {
        return new RefusedPart(build, reason, index, message);
    }

    /** The rows of one case: its name, which says the rule, with each of its inputs. */
    private static Stream<Arguments> rule(String name, Object... rows) {
        return Stream.of(rows).map(row -> Arguments.of(name, row));
    }

    static Stream<Arguments> refusedTopics() {
        return Stream.of(
                // D1 request ID syntax (K4, K14)
                rule("parseRequest_idZero_invalidRequestId_D1",
                        request("kp1/app/dcx/tok/json/0", Reason.INVALID_REQUEST_ID, 21, "Invalid 1/KP topic"
                                + " \"kp1/app/dcx/***/json/0\": invalid request ID at index 21, must be 1..2147483647 (D1)")),
                rule("parseRequest_idAllZeros_invalidRequestId_D1",
                        request("kp1/app/dcx/tok/json/000", Reason.INVALID_REQUEST_ID, 21, "Invalid 1/KP topic"
                                + " \"kp1/app/dcx/***/json/000\": invalid request ID at index 21, must be 1..2147483647 (D1)")),
                rule("parseRequest_idPastMaxInt_invalidRequestId_D1",
                        request("kp1/app/dcx/tok/json/2147483648", Reason.INVALID_REQUEST_ID, 21,
                                "Invalid 1/KP topic \"kp1/app/dcx/***/json/2147483648\": invalid request ID at index 21,"
                                        + " must be 1..2147483647 (D1)"),
                        request("kp1/app/dcx/tok/json/02147483648", Reason.INVALID_REQUEST_ID, 21,
                                "Invalid 1/KP topic \"kp1/app/dcx/***/json/02147483648\": invalid request ID at index 21,"
                                        + " must be 1..2147483647 (D1)"),
                        request("kp1/app/dcx/tok/json/99999999999999999999", Reason.INVALID_REQUEST_ID, 21,
                                "Invalid 1/KP topic \"kp1/app/dcx/***/json/99999999999999999999\": invalid request ID"
                                        + " at index 21, must be 1..2147483647 (D1)")),
                rule("parseReply_idZero_invalidRequestId_D1",
                        reply("kp1/app/dcx/tok/json/0/status", Reason.INVALID_REQUEST_ID, 21,
                                "Invalid 1/KP topic \"kp1/app/dcx/***/json/0/status\": invalid request ID at index 21,"
                                        + " must be 1..2147483647 (D1)")),
                // D3 levels are non-empty
                rule("parseRequest_doubleSlash_emptyLevel_D3",
                        // "json" sits where a token would be when the extension level is empty, so it is redacted (D16).
                        request("kp1/app//json", Reason.EMPTY_LEVEL, 8,
                                "Invalid 1/KP topic \"kp1/app//****\": empty level at index 8 (D3)"),
                        request("kp1/app/dcx/JTjdbENzHh//json", Reason.EMPTY_LEVEL, 23,
                                "Invalid 1/KP topic \"kp1/app/dcx/JT******Hh//json\": empty level at index 23 (D3)")),
                rule("parseRequest_leadingSlash_emptyLevel_D3_K3",
                        request("/kp1/demo_v1/dcx/JTjdbENzHh/json", Reason.EMPTY_LEVEL, 0,
                                "Invalid 1/KP topic \"/kp1/demo_v1/***/JT******Hh/json\": empty level at index 0 (D3)")),
                rule("parseRequest_trailingSlash_emptyLevel_D3_K3",
                        request("kp1/app/dcx/tok/json/", Reason.EMPTY_LEVEL, 21,
                                "Invalid 1/KP topic \"kp1/app/dcx/***/json/\": empty level at index 21 (D3)"),
                        request("kp1/", Reason.EMPTY_LEVEL, 4, "Invalid 1/KP topic \"kp1/\": empty level at index 4 (D3)")),
                rule("parseRequest_emptyVersionLevelGap_emptyLevel_D3",
                        request("kp1//app/dcx/tok/json", Reason.EMPTY_LEVEL, 4,
                                "Invalid 1/KP topic \"kp1//app/***/***/json\": empty level at index 4 (D3)")),
                rule("parseRequest_emptyString_emptyLevel_D3",
                        request("", Reason.EMPTY_LEVEL, 0,
                                "Invalid 1/KP topic \"\": empty level at index 0, the topic is empty (D3)")),
                rule("parseReply_emptyLevelBeforeSuffix_emptyLevel_D3",
                        reply("kp1/app/dcx/tok/json//status", Reason.EMPTY_LEVEL, 21,
                                "Invalid 1/KP topic \"kp1/app/dcx/***/json//status\": empty level at index 21 (D3)"),
                        reply("kp1/app/dcx/tok/json/status/", Reason.EMPTY_LEVEL, 28,
                                "Invalid 1/KP topic \"kp1/app/dcx/***/json/status/\": empty level at index 28 (D3)")),
                // D4 MQTT topic-name rules
                rule("parseRequest_plus_wildcard_D4",
                        request("kp1/app/dcx/tok/+/json", Reason.WILDCARD, 16,
                                "Invalid 1/KP topic \"kp1/app/dcx/***/+/json\": wildcard character at index 16 (D4)")),
                rule("parseRequest_hash_wildcard_D4",
                        request("kp1/app/dcx/tok/json/#", Reason.WILDCARD, 21,
                                "Invalid 1/KP topic \"kp1/app/dcx/***/json/#\": wildcard character at index 21 (D4)"),
                        request("kp1/app/dc#x/tok/json", Reason.WILDCARD, 10,
                                "Invalid 1/KP topic \"kp1/app/dc#x/***/json\": wildcard character at index 10 (D4)")),
                rule("parseRequest_nul_nulCharacter_D4",
                        request("kp1/app/dcx/tok/js\u0000on", Reason.NUL_CHARACTER, 18,
                                "Invalid 1/KP topic \"kp1/app/dcx/***/js\\u0000on\": NUL character at index 18 (D4)")),
                rule("parseRequest_loneSurrogates_malformedUnicode_D4",
                        request("kp1/app/dcx/tok/js\uD800on", Reason.MALFORMED_UNICODE, 18, "Invalid 1/KP topic"
                                + " \"kp1/app/dcx/***/js\\ud800on\": malformed Unicode (lone surrogate) at index 18 (D4)"),
                        request("kp1/app/dcx/tok/\uDC00", Reason.MALFORMED_UNICODE, 16, "Invalid 1/KP topic"
                                + " \"kp1/app/dcx/***/\\udc00\": malformed Unicode (lone surrogate) at index 16 (D4)"),
                        request("kp1/app/dcx/tok/json\uD83D", Reason.MALFORMED_UNICODE, 20, "Invalid 1/KP topic"
                                + " \"kp1/app/dcx/***/json\\ud83d\": malformed Unicode (lone surrogate) at index 20 (D4)")),
                rule("parseRequest_65536AsciiBytes_tooLong_D4",
                        request("kp1/app/dcx/tok/" + "a".repeat(65_536 - 16), Reason.TOO_LONG, 65_535,
                                "Invalid 1/KP topic \"kp1/app/dcx/***/" + A + "...(65536 chars)\": longer than 65535"
                                        + " UTF-8 bytes at index 65535, length 65536 chars (D4)")),
                // Fewer than 65,536 chars, more than 65,535 bytes: 2-, 3- and 4-byte characters.
                rule("parseRequest_multiByteCharactersPastLimit_tooLong_D4",
                        request("kp1/app/dcx/tok/" + "\u00e9".repeat(32_760), Reason.TOO_LONG, -1,
                                "Invalid 1/KP topic \"kp1/app/dcx/***/" + "\u00e9".repeat(184)
                                        + "...(32776 chars)\": longer than 65535 UTF-8 bytes, 65536 bytes (D4)"),
                        request("kp1/app/dcx/tok/" + "\u20ac".repeat(21_840), Reason.TOO_LONG, -1,
                                "Invalid 1/KP topic \"kp1/app/dcx/***/" + "\u20ac".repeat(184)
                                        + "...(21856 chars)\": longer than 65535 UTF-8 bytes, 65536 bytes (D4)"),
                        request("kp1/app/dcx/tok/" + "\uD83D\uDE00".repeat(16_380), Reason.TOO_LONG, -1,
                                "Invalid 1/KP topic \"kp1/app/dcx/***/" + "\uD83D\uDE00".repeat(92)
                                        + "...(32776 chars)\": longer than 65535 UTF-8 bytes, 65536 bytes (D4)")),
                // D5 version (K2)
                rule("parseRequest_kp2_unsupportedVersion_D5",
                        request("kp2/app/dcx/tok/json", Reason.UNSUPPORTED_VERSION, 0,
                                "Invalid 1/KP topic \"kp2/app/dcx/***/json\": unsupported protocol version at index 0,"
                                        + " only kp1 is supported (D5)")),
                rule("parseRequest_otherKpDigits_unsupportedVersion_D5", Stream.of("kp0", "kp10", "kp01", "kp3")
                        .map(version -> request(version + "/app/dcx/tok/json", Reason.UNSUPPORTED_VERSION, 0,
                                "Invalid 1/KP topic \"" + version + "/app/dcx/***/json\": unsupported protocol version"
                                        + " at index 0, only kp1 is supported (D5)"))
                        .toArray()),
                rule("parseRequest_notKp1_notKp1_D5", Stream.of("KP1", "Kp1", "kp", "kp1x", "mqtt", "kp\u0661", "$share")
                        .map(version -> request(version + "/app/dcx/tok/json", Reason.NOT_KP1, 0,
                                "Invalid 1/KP topic \"" + version + "/app/dcx/***/json\": not a 1/KP topic"
                                        + " (first level must be \"kp1\") at index 0 (D5)"))
                        .toArray()),
                rule("parseRequest_notKp1_notKp1_D5",
                        request("kp", Reason.NOT_KP1, 0,
                                "Invalid 1/KP topic \"kp\": not a 1/KP topic (first level must be \"kp1\") at index 0 (D5)")),
                rule("parseRequest_kp1Alone_missingApplicationVersion_D5_K1",
                        request("kp1", Reason.MISSING_APPLICATION_VERSION, 3,
                                "Invalid 1/KP topic \"kp1\": missing application version level at index 3 (K1)")),
                // D6 direction decides the suffix
                rule("parseReply_noSuffix_notAReply_D6_K5",
                        reply("kp1/app/dcx/tok/json/42", Reason.NOT_A_REPLY, 21, "Invalid 1/KP topic"
                                + " \"kp1/app/dcx/***/json/42\": reply topic must end in /status or /error at index 21 (K5)"),
                        reply("kp1/app/dcx/tok/json/42/Status", Reason.NOT_A_REPLY, 24,
                                "Invalid 1/KP topic \"kp1/app/dcx/***/json/42/Status\": reply topic must end in /status"
                                        + " or /error at index 24 (K5)"),
                        reply("kp1/app/dcx/tok/json/statuses", Reason.NOT_A_REPLY, 21,
                                "Invalid 1/KP topic \"kp1/app/dcx/***/json/statuses\": reply topic must end in /status"
                                        + " or /error at index 21 (K5)")),
                rule("parseReply_suffixOnly_missingApplicationVersion_K1",
                        reply("kp1/status", Reason.MISSING_APPLICATION_VERSION, 3,
                                "Invalid 1/KP topic \"kp1/status\": missing application version level at index 3 (K1)")),
                // D7 endpoint awareness (K1)
                rule("parseRequest_idInTokenPlace_missingEndpointToken_D7",
                        request("kp1/app/dcx/42", Reason.MISSING_ENDPOINT_TOKEN, 11,
                                "Invalid 1/KP topic \"kp1/app/dcx/**\": missing endpoint token level at index 11 (D7)")),
                rule("parseRequest_noTokenLevel_missingEndpointToken_D7",
                        request("kp1/app/dcx", Reason.MISSING_ENDPOINT_TOKEN, 11,
                                "Invalid 1/KP topic \"kp1/app/dcx\": missing endpoint token level at index 11 (D7)"),
                        reply("kp1/app/dcx/42/status", Reason.MISSING_ENDPOINT_TOKEN, 11,
                                "Invalid 1/KP topic \"kp1/app/dcx/**/status\": missing endpoint token level at index 11 (D7)"),
                        reply("kp1/app/dcx/error", Reason.MISSING_ENDPOINT_TOKEN, 11,
                                "Invalid 1/KP topic \"kp1/app/dcx/*****\": missing endpoint token level at index 11 (D7)")),
                rule("parseRequest_missingExtensionOrVersion_K1",
                        request("kp1/app", Reason.MISSING_EXTENSION, 7,
                                "Invalid 1/KP topic \"kp1/app\": missing extension instance level at index 7 (K1)"),
                        request("kp1/app/42", Reason.MISSING_EXTENSION, 7,
                                "Invalid 1/KP topic \"kp1/app/42\": missing extension instance level at index 7 (K1)"),
                        request("kp1/42", Reason.MISSING_APPLICATION_VERSION, 3,
                                "Invalid 1/KP topic \"kp1/42\": missing application version level at index 3 (K1)"))
        ).flatMap(Function.identity());
    }

    static Stream<Arguments> refusedParts() {
        return Stream.of(
                // D1 request ID syntax (K4, K14)
                rule("request_idBelowOne_invalidRequestId_D1",
                        part(() -> Topic.request(path("/json"), 0), Reason.INVALID_REQUEST_ID, -1,
                                "Invalid request ID \"0\": invalid request ID, must be 1..2147483647 (D1)"),
                        part(() -> Topic.request(path("/json"), -7), Reason.INVALID_REQUEST_ID, -1,
                                "Invalid request ID \"-7\": invalid request ID, must be 1..2147483647 (D1)"),
                        part(() -> Topic.request(path("/json"), Integer.MIN_VALUE), Reason.INVALID_REQUEST_ID, -1,
                                "Invalid request ID \"-2147483648\": invalid request ID, must be 1..2147483647 (D1)")),
                // D3 levels are non-empty
                rule("builders_emptyLevel_refused_D3",
                        part(() -> ResourcePath.of("app", "dcx", "tok", "/json/"), Reason.EMPTY_LEVEL, 6,
                                "Invalid resource \"/json/\": empty level at index 6 (D3)"),
                        part(() -> ResourcePath.of("app", "dcx", "tok", "//json"), Reason.EMPTY_LEVEL, 1,
                                "Invalid resource \"//json\": empty level at index 1 (D3)"),
                        part(() -> ResourcePath.of("app", "dcx", "tok", "/"), Reason.EMPTY_LEVEL, 1,
                                "Invalid resource \"/\": empty level at index 1 (D3)"),
                        part(() -> ResourcePath.builder("", "dcx"), Reason.EMPTY_LEVEL, 0,
                                "Invalid application version \"\": empty level at index 0 (D3)"),
                        part(() -> ResourcePath.builder("app", ""), Reason.EMPTY_LEVEL, 0,
                                "Invalid extension instance \"\": empty level at index 0 (D3)"),
                        part(() -> ResourcePath.builder("app", "dcx").endpointToken(""), Reason.EMPTY_LEVEL, 0,
                                "Invalid endpoint token \"\": empty level at index 0 (D3)"),
                        part(() -> ResourcePath.builder("app", "dcx").addSegment(""), Reason.EMPTY_LEVEL, 0,
                                "Invalid resource level \"\": empty level at index 0 (D3)")),
                // D4 MQTT topic-name rules
                rule("statusTopic_requestAtLimit_tooLong_D4",
                        part(() -> Topic.parseRequest("kp1/app/dcx/tok/" + "a".repeat(65_535 - 16)).statusTopic(),
                                Reason.TOO_LONG, -1, "Invalid 1/KP topic \"kp1/app/dcx/***/" + A
                                        + "...(65542 chars)\": longer than 65535 UTF-8 bytes (D4)")),
                rule("builders_pastLimit_tooLong_D4",
                        part(() -> path("a".repeat(65_536)), Reason.TOO_LONG, -1,
                                "Invalid 1/KP resource path \"kp1/app/dcx/***/" + A
                                        + "...(65552 chars)\": longer than 65535 UTF-8 bytes (D4)"),
                        part(() -> Topic.request(path("a".repeat(65_535 - 16)), 7), Reason.TOO_LONG, -1,
                                "Invalid 1/KP topic \"kp1/app/dcx/***/" + A
                                        + "...(65537 chars)\": longer than 65535 UTF-8 bytes (D4)")),
                rule("builders_wildcardNulSurrogate_refused_D4",
                        part(() -> path("/com+mand"), Reason.WILDCARD, 4,
                                "Invalid resource \"/com+mand\": wildcard character at index 4 (D4)"),
                        part(() -> ResourcePath.builder("app#1", "dcx"), Reason.WILDCARD, 3,
                                "Invalid application version \"app#1\": wildcard character at index 3 (D4)"),
                        part(() -> ResourcePath.builder("app", "dcx").endpointToken("JTjdb\u0000ENzHh"),
                                Reason.NUL_CHARACTER, 5, "Invalid endpoint token \"JT*******Hh\": NUL character at index 5 (D4)"),
                        part(() -> ResourcePath.builder("app", "dcx").addSegment("a\uD800"), Reason.MALFORMED_UNICODE, 1,
                                "Invalid resource level \"a\\ud800\": malformed Unicode (lone surrogate) at index 1 (D4)"),
                        part(() -> TopicParser.builder().endpointUnaware("re+g"), Reason.WILDCARD, 2,
                                "Invalid extension instance \"re+g\": wildcard character at index 2 (D4)")),
                // D8 round trip
                rule("request_digitsOnlyLastLevelWithoutId_ambiguousLastLevel_D8",
                        part(() -> Topic.request(path("/protobuf/17")), Reason.AMBIGUOUS_LAST_LEVEL, 25,
                                "Invalid 1/KP topic \"kp1/app/dcx/***/protobuf/17\": digits-only last level would parse as a"
                                        + " request ID at index 25, send it with a request ID (D8)"),
                        part(() -> Topic.request(ResourcePath.of("app", "dcx", "12345678", "")),
                                Reason.AMBIGUOUS_LAST_LEVEL, 12, "Invalid 1/KP topic \"kp1/app/dcx/12****78\": digits-only"
                                        + " last level would parse as a request ID at index 12, send it with a request ID (D8)")),
                rule("builders_levelWithSlash_levelContainsSeparator_D8",
                        part(() -> ResourcePath.builder("app", "dcx").addSegment("a/b"), Reason.LEVEL_CONTAINS_SEPARATOR, 1,
                                "Invalid resource level \"a/b\": level contains '/' at index 1 (D8)"),
                        part(() -> ResourcePath.builder("app", "d/x"), Reason.LEVEL_CONTAINS_SEPARATOR, 1,
                                "Invalid extension instance \"d/x\": level contains '/' at index 1 (D8)"),
                        part(() -> ResourcePath.builder("kp1/app", "dcx"), Reason.LEVEL_CONTAINS_SEPARATOR, 3,
                                "Invalid application version \"kp1/app\": level contains '/' at index 3 (D8)"),
                        part(() -> ResourcePath.builder("app", "dcx").endpointToken("JTjdb/ENzHh"),
                                Reason.LEVEL_CONTAINS_SEPARATOR, 5,
                                "Invalid endpoint token \"JT*******Hh\": level contains '/' at index 5 (D8)"))
        ).flatMap(Function.identity());
    }

    /** Each refused topic throws for a caller and is invalid, without a stack trace, from the wire. */
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("refusedTopics")
    void parse_refusedTopic_sameReasonIndexAndMessageForCallerAndWire(String rule, RefusedTopic t) {
        inCase(rule, () -> assertInvalid(TopicParser.defaults(), t.reply(), t.input(), t.reason(), t.index(),
                t.message()));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("refusedParts")
    void build_refusedPart_throwsWithReasonIndexAndMessage(String rule, RefusedPart p) {
        inCase(rule, () -> assertThrowsInvalid(p.build(), p.reason(), p.index(), p.message()));
    }

    /** Runs the check of a table row; a failure starts with the row's case name, which cites the rule. */
    private static void inCase(String name, Runnable check) {
        try {
            check.run();
        } catch (AssertionError e) {
            throw new AssertionError(name + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------ D1 request ID syntax (K4, K14)

    @Test
    void parseRequest_leadingZeroId_acceptedAs42_D1() {
        Topic t = Topic.parseRequest("kp1/app/dcx/tok/json/042");

        assertThat(t.requestId()).isEqualTo(42);
        assertThat(t.path().resource()).isEqualTo("/json");
        assertThat(t.name()).isEqualTo("kp1/app/dcx/tok/json/042");
    }

    @Test
    void parseRequest_maxIntId_accepted_D1() {
        assertThat(Topic.parseRequest("kp1/app/dcx/tok/json/2147483647").requestId()).isEqualTo(Integer.MAX_VALUE);
        assertThat(Topic.parseRequest("kp1/app/dcx/tok/json/0002147483647").requestId()).isEqualTo(Integer.MAX_VALUE);
        assertThat(Topic.parseRequest("kp1/app/dcx/tok/json/1").requestId()).isEqualTo(1);
    }

    @Test
    void request_canonicalId_neverLeadingZeros_D1() {
        assertThat(Topic.request(path("/json"), 42).name()).isEqualTo("kp1/app/dcx/tok/json/42");
        assertThat(Topic.request(path("/json"), Integer.MAX_VALUE).name())
                .isEqualTo("kp1/app/dcx/tok/json/2147483647");
    }

    // ------------------------------------------------------------ D1b fleets that count from 0

    @Test
    void parseRequest_idZeroWithOptIn_acceptedAndAnsweredOnZero_D1b() {
        TopicParser lenient = TopicParser.builder().acceptRequestIdZero(true).build();

        Topic t = lenient.parseRequest("kp1/app/dcx/tok/json/0");

        assertThat(lenient.acceptsRequestIdZero()).isTrue();
        assertThat(t.requestId()).isZero();
        assertThat(t.hasRequestId()).isTrue();
        assertThat(t.path().resource()).isEqualTo("/json");
        assertThat(t.statusTopic().name()).isEqualTo("kp1/app/dcx/tok/json/0/status");
        assertThat(lenient.parseReply("kp1/app/dcx/tok/json/0/status").requestId()).isZero();
        assertThat(lenient.parseRequest("kp1/app/dcx/tok/json/000").statusTopic().name())
                .isEqualTo("kp1/app/dcx/tok/json/000/status");
    }

    @Test
    void parseRequest_pastMaxIntWithOptIn_invalidRequestIdNamingZero_D1b() {
        TopicParser lenient = TopicParser.builder().acceptRequestIdZero(true).build();

        assertInvalid(lenient, false, "kp1/app/dcx/tok/json/2147483648", Reason.INVALID_REQUEST_ID, 21,
                "Invalid 1/KP topic \"kp1/app/dcx/***/json/2147483648\": invalid request ID at index 21,"
                        + " must be 0..2147483647 (D1)");
    }

    @Test
    void defaults_idZero_offByDefault_andNeverSentByClients_D1b() {
        assertThat(TopicParser.defaults().acceptsRequestIdZero()).isFalse();
        assertThat(TopicParser.builder().build().acceptsRequestIdZero()).isFalse();
        // The client side never sends 0, whatever the server accepts.
        assertThrowsInvalid(() -> Topic.request(path("/json"), 0), Reason.INVALID_REQUEST_ID, -1,
                "Invalid request ID \"0\": invalid request ID, must be 1..2147483647 (D1)");
    }

    // ------------------------------------------------------------ D2 raw text is kept (K5)

    @Test
    void statusTopic_leadingZeroId_appendsToRawText_D2() {
        Topic request = Topic.parseRequest("kp1/app/dcx/tok/json/042");

        assertThat(request.statusTopic().name()).isEqualTo("kp1/app/dcx/tok/json/042/status");
        assertThat(request.errorTopic().name()).isEqualTo("kp1/app/dcx/tok/json/042/error");
        assertThat(request.statusTopic().requestId()).isEqualTo(42);
    }

    @Test
    void parseReply_leadingZeroId_requestTopicKeepsRawText_D2() {
        Topic reply = Topic.parseReply("kp1/app/dcx/tok/json/042/status");

        assertThat(reply.requestId()).isEqualTo(42);
        assertThat(reply.requestTopic().name()).isEqualTo("kp1/app/dcx/tok/json/042");
        assertThat(reply.requestTopic()).isEqualTo(Topic.parseRequest("kp1/app/dcx/tok/json/042"));
    }

    @Test
    void equals_leadingZeroAndCanonical_differByName_D2() {
        Topic raw = Topic.parseRequest("kp1/app/dcx/tok/json/042");
        Topic canonical = Topic.request(path("/json"), 42);

        assertThat(raw.requestId()).isEqualTo(canonical.requestId());
        assertThat(raw.path()).isEqualTo(canonical.path());
        assertThat(raw).isNotEqualTo(canonical);
    }

    // ------------------------------------------------------------ D4 MQTT topic-name rules

    @Test
    void parseRequest_surrogatePairAndControlChars_accepted_D4() {
        Topic t = Topic.parseRequest("kp1/app/dcx/tok/\uD83D\uDE00/caf\u00e9\t");

        assertThat(t.path().resourceSegments()).containsExactly("\uD83D\uDE00", "caf\u00e9\t");
    }

    @Test
    void parseRequest_65535AsciiBytes_accepted_D4() {
        String topic = "kp1/app/dcx/tok/" + "a".repeat(65_535 - 16);

        assertThat(Topic.parseRequest(topic).name()).hasSize(65_535);
    }

    @Test
    void parseRequest_multiByteCharactersAtLimit_accepted_D4() {
        assertThat(Topic.parseRequest("kp1/app/dcx/tok/a" + "\u00e9".repeat(32_759)).path().resource())
                .hasSize(1 + 1 + 32_759);
        assertThat(Topic.parseRequest("kp1/app/dcx/tok/abc" + "\uD83D\uDE00".repeat(16_379)).hasRequestId()).isFalse();
        assertThat(Topic.parseRequest("kp1/app/dcx/tok/" + "\u20ac".repeat(21_839) + "/7").requestId()).isEqualTo(7);
    }

    @Test
    void request_atLimitWithoutId_accepted_D4() {
        assertThat(Topic.request(path("a".repeat(65_535 - 16))).name()).hasSize(65_535);
    }

    // ------------------------------------------------------------ D5 version (K2)

    @Test
    void parseRequest_kp1_onlyVersionAccepted_D5() {
        assertThat(Topic.parseRequest("kp1/app/dcx/tok/json").path().asString()).startsWith("kp1/");
    }

    // ------------------------------------------------------------ D6 direction decides the suffix

    @Test
    void parseRequest_lastLevelStatus_isAResource_D6() {
        Topic t = Topic.parseRequest("kp1/app/dcx/tok/status");

        assertThat(t.kind()).isEqualTo(Topic.Kind.REQUEST);
        assertThat(t.path().resource()).isEqualTo("/status");
        assertThat(Topic.parseRequest("kp1/app/cex/tok/command/error/3").path().resource())
                .isEqualTo("/command/error");
    }

    @Test
    void parseRequest_replyShapedTopic_isARequestForThatResource_D6() {
        Topic t = Topic.parseRequest("kp1/app/dcx/tok/json/42/status");

        assertThat(t.kind()).isEqualTo(Topic.Kind.REQUEST);
        assertThat(t.path().resource()).isEqualTo("/json/42/status");
        assertThat(t.hasRequestId()).isFalse();
    }

    @Test
    void parseReply_suffixStrippedOnce_D6() {
        Topic t = Topic.parseReply("kp1/app/dcx/tok/status/status");

        assertThat(t.kind()).isEqualTo(Topic.Kind.STATUS);
        assertThat(t.path().resource()).isEqualTo("/status");
        assertThat(Topic.parseReply("kp1/app/dcx/tok/error/error").path().resource()).isEqualTo("/error");
    }

    // ------------------------------------------------------------ D7 endpoint awareness (K1)

    @Test
    void parseRequest_endpointUnawareExtension_noTokenLevel_D7() {
        TopicParser parser = TopicParser.builder().endpointUnaware("registry").build();

        Topic withId = parser.parseRequest("kp1/app/registry/42");
        Topic withResource = parser.parseRequest("kp1/app/registry/json/7");

        assertThat(parser.isEndpointAware("registry")).isFalse();
        assertThat(parser.isEndpointAware("dcx")).isTrue();
        assertThat(withId.path().hasEndpointToken()).isFalse();
        assertThat(withId.path().endpointToken()).isNull();
        assertThat(withId.requestId()).isEqualTo(42);
        assertThat(withId.path().resource()).isEmpty();
        assertThat(withResource.path().resource()).isEqualTo("/json");
        assertThat(withResource.requestId()).isEqualTo(7);
        assertThat(parser.parseRequest("kp1/app/registry").path().asString()).isEqualTo("kp1/app/registry");
        // Other extensions stay endpoint-aware, and the default parser knows no unaware extension.
        assertInvalid(parser, false, "kp1/app/dcx/42", Reason.MISSING_ENDPOINT_TOKEN, 11,
                "Invalid 1/KP topic \"kp1/app/dcx/**\": missing endpoint token level at index 11 (D7)");
        assertThat(Topic.parseRequest("kp1/app/registry/json/7").path().endpointToken()).isEqualTo("json");
        assertThat(TopicParser.defaults().isEndpointAware("registry")).isTrue();
    }

    // ------------------------------------------------------------ D8 round trip

    @Test
    void request_digitsOnlyLastLevelWithId_roundTrips_D8() {
        Topic t = Topic.request(path("/protobuf/17"), 5);

        assertThat(t.name()).isEqualTo("kp1/app/dcx/tok/protobuf/17/5");
        assertThat(Topic.parseRequest(t.name())).isEqualTo(t);
        assertThat(Topic.parseRequest(t.name()).path().resource()).isEqualTo("/protobuf/17");
    }

    // ------------------------------------------------------------ D16 tokens are secret-like

    @Test
    void toString_everyType_redactsToken_D16() {
        ResourcePath p = ResourcePath.of("demo_v1", "dcx", "JTjdbENzHh", "/json");
        Topic request = Topic.request(p, 42);

        assertThat(p.toString()).isEqualTo("kp1/demo_v1/dcx/JT******Hh/json");
        assertThat(p.asString()).isEqualTo("kp1/demo_v1/dcx/JTjdbENzHh/json");
        assertThat(request.toString()).isEqualTo("kp1/demo_v1/dcx/JT******Hh/json/42");
        assertThat(request.statusTopic().toString()).isEqualTo("kp1/demo_v1/dcx/JT******Hh/json/42/status");
        assertThat(TopicParser.defaults().tryParseRequest(request.name()).toString())
                .isEqualTo("ParseResult[kp1/demo_v1/dcx/JT******Hh/json/42]");
        assertThat(Reply.received(request.errorTopic(), ErrorResponse.of(404, "Unknown").toJson()).toString())
                .isEqualTo("Reply[404 Unknown on kp1/demo_v1/dcx/JT******Hh/json/42/error]");
        assertThat(Reply.ok().withTopic(request.statusTopic()).toString())
                .isEqualTo("Reply[ok, 0 bytes on kp1/demo_v1/dcx/JT******Hh/json/42/status]");
    }

    @Test
    void toString_shortToken_allStars_D16() {
        assertThat(ResourcePath.of("app", "dcx", "tok", "/json").toString()).isEqualTo("kp1/app/dcx/***/json");
        assertThat(ResourcePath.of("app", "dcx", "1234567", "").toString()).isEqualTo("kp1/app/dcx/*******");
    }

    @Test
    void toString_endpointUnawarePath_nothingToRedact_D16() {
        ResourcePath p = ResourcePath.builder("app", "registry").addSegment("json").build();

        assertThat(p.toString()).isEqualTo("kp1/app/registry/json");
        assertThat(Topic.request(p, 3).toString()).isEqualTo("kp1/app/registry/json/3");
    }

    @Test
    void toString_tokenWithSupplementaryCharsAtEnds_noLoneSurrogate_D16() {
        // a + U+1F600 + bcdefg + U+1F600 + h: cutting two chars at either end would split a pair.
        String token = "a\uD83D\uDE00bcdefg\uD83D\uDE00h";
        String shown = ResourcePath.of("app", "dcx", token, "/json").toString();

        assertThat(shown).isEqualTo("kp1/app/dcx/a**********h/json");
        String pairsAtEnds = "\uD83D\uDE00bcdefgh\uD83D\uDE00";
        assertThat(ResourcePath.of("app", "dcx", pairsAtEnds, "").toString())
                .isEqualTo("kp1/app/dcx/\uD83D\uDE00*******\uD83D\uDE00");
    }

    @Test
    void message_invalidToken_redactedWhole_D16() {
        InvalidTopicException e = assertThrowsInvalid(() -> ResourcePath.of("app", "dcx", "JTjdb+ENzHh", "/json"),
                Reason.WILDCARD, 5, "Invalid endpoint token \"JT*******Hh\": wildcard character at index 5 (D4)");

        assertThat(e.getMessage()).doesNotContain("JTjdb+ENzHh");
        assertThat(e.input()).isEqualTo("JTjdb+ENzHh");
    }

    @Test
    void message_statusTopicOfReply_redacted_D16() {
        Topic reply = Topic.parseReply("kp1/app/dcx/JTjdbENzHh/json/42/status");

        Throwable e = catchThrowable(reply::statusTopic);

        assertThat(e).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("Only a request topic has reply topics (K5); this is a STATUS topic:"
                        + " kp1/app/dcx/JT******Hh/json/42/status");
    }
}
