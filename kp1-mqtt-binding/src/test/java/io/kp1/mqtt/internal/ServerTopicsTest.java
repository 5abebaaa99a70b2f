package io.kp1.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ServerTopics}: reply recognition (K5), where invalid requests are answered (K2, D4), filters. */
class ServerTopicsTest {

    @ParameterizedTest
    @CsvSource({
            "kp1/app/dcx/tok/json/42/status, true",
            "kp1/app/dcx/tok/json/42/error, true",
            "kp1/app/cex/tok/command/reboot/status, true",
            "kp1/app/dcx/tok/json/42, false",
            "kp1/app/dcx/tok/statuses, false",
            "kp1/app/dcx/tok/mystatus, false",
            "status, false"})
    void isReplyTopic_lastLevelStatusOrError_K5(String topic, boolean reply) {
        assertThat(ServerTopics.isReplyTopic(topic)).isEqualTo(reply);
    }

    @ParameterizedTest
    @CsvSource({
            "kp1/app//json, kp1/app//json/error",
            "kp1/app/dcx/tok/json/0, kp1/app/dcx/tok/json/0/error",
            "kp1/, kp1//error",
            "kp1/é/\uD83D\uDE00, kp1/é/\uD83D\uDE00/error"})
    void errorTopicFor_publishable_topicSlashError(String topic, String expected) {
        assertThat(ServerTopics.errorTopicFor(topic)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kp2/app/dcx/tok/json", "kp1", "/kp1/app", "Kp1/app", "kp1/app/+/x", "kp1/app/#",
            "kp1/a\u0000b", "kp1/\uD800x", "kp1/x\uDC00"})
    void errorTopicFor_notPublishable_null(String topic) {
        assertThat(ServerTopics.errorTopicFor(topic)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"65529, true", "65530, false"})
    void errorTopicFor_lengthLimitCountsUtf8BytesWithSuffix_D4(int asciiLength, boolean publishable) {
        String topic = "kp1/" + "x".repeat(asciiLength - 4);

        assertThat(ServerTopics.errorTopicFor(topic) != null).isEqualTo(publishable);
        String twoByte = "kp1/" + "é".repeat((asciiLength - 4) / 2) + "x".repeat((asciiLength - 4) % 2);
        assertThat(ServerTopics.errorTopicFor(twoByte) != null).isEqualTo(publishable);
    }

    @ParameterizedTest
    @CsvSource({"kp1/app/dcx/tok/json/0, true", "kp1/app/dcx/tok/json/042, true", "kp1/app/dcx/tok/json, false",
            "kp1/app/dcx/tok/json/, false", "kp1/app/dcx/tok/4a, false", "42, true"})
    void endsWithDigitsLevel_D1(String topic, boolean digits) {
        assertThat(ServerTopics.endsWithDigitsLevel(topic)).isEqualTo(digits);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kp1/#", "kp1/+/dcx/#", "kp1/app_v1/dcx/+/json/+", "kp1/+/+/+/command/+/#"})
    void checkFilter_valid_returned(String filter) {
        assertThat(ServerTopics.checkFilter(filter)).isEqualTo(filter);
    }
}
