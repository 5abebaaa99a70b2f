package io.kp1;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every topic example of the Kaa RFCs (1/KP, 2/DCP, 7/CMP, 10/EPMP, 11/CEP) and of Kaa's
 * documentation ("Communication", "MQTT Topics"), and one of each resource in the extension
 * table of {@code KP1.md}, parsed and derived as the rules say. The RFCs write paths relative to
 * the extension ({@code <endpoint_token>/json/42}); they are completed here with
 * {@code kp1/demo_application_v1/<instance>/JTjdbENzHh}.
 */
class TopicExamplesTest {
    private static final String APP = "demo_application_v1";
    private static final String TOKEN = "JTjdbENzHh";

    /** A request topic and what it must parse to; {@code id} is {@link Topic#NO_REQUEST_ID} when absent. */
    record RequestExample(String source, String topic, String appVersion, String extension, String token,
                          String resource, int id) {
        @Override
        public String toString() {
            return source + ": " + topic;
        }
    }

    /** A reply topic (a reply or a push) and what it must parse to. */
    record ReplyExample(String source, String topic, Topic.Kind kind, String extension, String resource, int id,
                        String requestTopic) {
        @Override
        public String toString() {
            return source + ": " + topic;
        }
    }

    private static String kp1(String instance, String rest) {
        return "kp1/" + APP + "/" + instance + "/" + TOKEN + rest;
    }

    private static RequestExample req(String source, String instance, String rest, String resource, int id) {
        return new RequestExample(source, kp1(instance, rest), APP, instance, TOKEN, resource, id);
    }

    private static ReplyExample reply(String source, String instance, String rest, Topic.Kind kind, String resource,
                                      int id) {
        String topic = kp1(instance, rest);
        String suffix = kind == Topic.Kind.STATUS ? "/status" : "/error";
        return new ReplyExample(source, topic, kind, instance, resource, id,
                topic.substring(0, topic.length() - suffix.length()));
    }

    static Stream<RequestExample> requests() {
        int none = Topic.NO_REQUEST_ID;
        return Stream.of(
                // 1/KP
                req("1/KP request ID example (<endpoint_token>/update/42)", "epmx", "/update/42", "/update", 42),
                req("1/KP response topic example (<endpoint_token>/json/42)", "dcx", "/json/42", "/json", 42),
                req("1/KP extension-specific path (<endpoint_token>/json)", "dcx", "/json", "/json", none),
                req("1/KP format specifier /protobuf/<scheme_id>, sent with a request ID", "dcx", "/protobuf/17/5",
                        "/protobuf/17", 5),
                req("1/KP /protobuf/<scheme_id> without a request ID: the last digits are the ID (K4)", "dcx",
                        "/protobuf/17", "/protobuf", 17),
                new RequestExample("Kaa Communication docs", "kp1/demo_application_v1/dcx/JTjdbENzHh/json/42", APP,
                        "dcx", TOKEN, "/json", 42),
                new RequestExample("KP1.md K4", "kp1/app/dcx/tok/json/42", "app", "dcx", "tok", "/json", 42),
                // 2/DCP
                req("2/DCP data collection, fire and forget (K6)", "dcx", "/json", "/json", none),
                req("Kaa MQTT Topics docs: dcx json[/{request ID}], ID 1..99", "dcx", "/json/99", "/json", 99),
                // 10/EPMP
                req("10/EPMP get metadata keys", "epmx", "/get/keys/1", "/get/keys", 1),
                req("10/EPMP get metadata", "epmx", "/get/2", "/get", 2),
                req("10/EPMP full metadata update", "epmx", "/update/3", "/update", 3),
                req("10/EPMP partial metadata update", "epmx", "/update/keys/4", "/update/keys", 4),
                req("10/EPMP delete metadata keys", "epmx", "/delete/keys/5", "/delete/keys", 5),
                req("10/EPMP partial update without ID", "epmx", "/update/keys", "/update/keys", none),
                // 7/CMP
                req("7/CMP configuration resource", "cmx", "/config/json/6", "/config/json", 6),
                req("7/CMP named configuration", "cmx", "/config/json/main/7", "/config/json/main", 7),
                req("7/CMP applied configuration", "cmx", "/applied/json/8", "/applied/json", 8),
                req("7/CMP applied named configuration", "cmx", "/applied/json/main/9", "/applied/json/main", 9),
                req("7/CMP configuration without ID", "cmx", "/config/json", "/config/json", none),
                // 11/CEP
                req("11/CEP command resource", "cex", "/command/reboot/10", "/command/reboot", 10),
                req("11/CEP result resource", "cex", "/result/reboot/11", "/result/reboot", 11),
                req("Kaa docs command type turn_off", "cex", "/command/turn_off/12", "/command/turn_off", 12),
                req("Kaa docs command type close-door", "cex", "/result/close-door/13", "/result/close-door", 13),
                req("11/CEP all command types (/command)", "cex", "/command/14", "/command", 14),
                req("11/CEP observe request without ID", "cex", "/command/reboot", "/command/reboot", none),
                // D6: a request may end in a resource level named status or error
                req("D6 command type named status", "cex", "/command/status/15", "/command/status", 15),
                req("D6 command type named status, no ID", "cex", "/command/status", "/command/status", none),
                req("D6 command type named error, no ID", "cex", "/command/error", "/command/error", none));
    }

    static Stream<ReplyExample> replies() {
        int none = Topic.NO_REQUEST_ID;
        Topic.Kind ok = Topic.Kind.STATUS;
        Topic.Kind err = Topic.Kind.ERROR;
        return Stream.of(
                // 1/KP
                reply("1/KP success response topic", "dcx", "/json/42/status", ok, "/json", 42),
                reply("1/KP error response topic", "dcx", "/json/42/error", err, "/json", 42),
                new ReplyExample("KP1.md K11 push", "kp1/app/cex/tok/command/reboot/status", ok, "cex",
                        "/command/reboot", none, "kp1/app/cex/tok/command/reboot"),
                // 2/DCP
                reply("2/DCP success", "dcx", "/json/99/status", ok, "/json", 99),
                reply("2/DCP error without a request ID (K6)", "dcx", "/json/error", err, "/json", none),
                // 10/EPMP
                reply("10/EPMP get keys response", "epmx", "/get/keys/1/status", ok, "/get/keys", 1),
                reply("10/EPMP get response", "epmx", "/get/2/status", ok, "/get", 2),
                reply("10/EPMP update error", "epmx", "/update/3/error", err, "/update", 3),
                reply("10/EPMP update keys response", "epmx", "/update/keys/4/status", ok, "/update/keys", 4),
                reply("10/EPMP delete keys error", "epmx", "/delete/keys/5/error", err, "/delete/keys", 5),
                // 7/CMP (observable, K11)
                reply("7/CMP configuration response", "cmx", "/config/json/6/status", ok, "/config/json", 6),
                reply("7/CMP configuration push", "cmx", "/config/json/status", ok, "/config/json", none),
                reply("7/CMP named configuration push", "cmx", "/config/json/main/status", ok, "/config/json/main",
                        none),
                reply("7/CMP applied response", "cmx", "/applied/json/8/status", ok, "/applied/json", 8),
                reply("7/CMP applied named error", "cmx", "/applied/json/main/9/error", err, "/applied/json/main", 9),
                // 11/CEP (observable, K11)
                reply("11/CEP command response", "cex", "/command/reboot/10/status", ok, "/command/reboot", 10),
                reply("11/CEP command push", "cex", "/command/reboot/status", ok, "/command/reboot", none),
                reply("11/CEP command error push", "cex", "/command/reboot/error", err, "/command/reboot", none),
                reply("11/CEP result error response", "cex", "/result/reboot/11/error", err, "/result/reboot", 11),
                reply("11/CEP result success", "cex", "/result/close-door/13/status", ok, "/result/close-door", 13),
                // D6: the suffix is stripped once, whatever the resource is called
                reply("D6 command type named status, pushed", "cex", "/command/status/status", ok, "/command/status",
                        none),
                reply("D6 command type named error, error push", "cex", "/command/error/error", err, "/command/error",
                        none));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void parseRequest_example_partsAndReplyTopics_K1_K4_K5(RequestExample ex) {
        Topic t = Topic.parseRequest(ex.topic());

        assertThat(t.kind()).isEqualTo(Topic.Kind.REQUEST);
        assertThat(t.name()).isEqualTo(ex.topic());
        assertThat(t.path().appVersion()).isEqualTo(ex.appVersion());
        assertThat(t.path().extension()).isEqualTo(ex.extension());
        assertThat(t.path().endpointToken()).isEqualTo(ex.token());
        assertThat(t.path().resource()).isEqualTo(ex.resource());
        assertThat(t.requestId()).isEqualTo(ex.id());
        assertThat(t.hasRequestId()).isEqualTo(ex.id() != Topic.NO_REQUEST_ID);
        assertThat(t.statusTopic().name()).isEqualTo(ex.topic() + "/status");
        assertThat(t.errorTopic().name()).isEqualTo(ex.topic() + "/error");
        // The library formats the same text from the parts (D8), so a client sends exactly these examples.
        ResourcePath path = ResourcePath.of(ex.appVersion(), ex.extension(), ex.token(), ex.resource());
        Topic built = t.hasRequestId() ? Topic.request(path, ex.id()) : Topic.request(path);
        assertThat(built).isEqualTo(t);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("replies")
    void parseReply_example_kindPathAndRequest_K5_K11_D6(ReplyExample ex) {
        Topic t = Topic.parseReply(ex.topic());

        assertThat(t.kind()).isEqualTo(ex.kind());
        assertThat(t.isReply()).isTrue();
        assertThat(t.name()).isEqualTo(ex.topic());
        assertThat(t.path().extension()).isEqualTo(ex.extension());
        assertThat(t.path().resource()).isEqualTo(ex.resource());
        assertThat(t.requestId()).isEqualTo(ex.id());
        assertThat(t.requestTopic().name()).isEqualTo(ex.requestTopic());
        assertThat(t.requestTopic().kind()).isEqualTo(Topic.Kind.REQUEST);
        // The reply is what the server derives from the request (K5, D2).
        Topic request = Topic.parseRequest(ex.requestTopic());
        assertThat(ex.kind() == Topic.Kind.STATUS ? request.statusTopic() : request.errorTopic()).isEqualTo(t);
    }
}
