package io.kp1.examples;

import io.kp1.ErrorResponse;
import io.kp1.ParseResult;
import io.kp1.ResourcePath;
import io.kp1.Topic;
import io.kp1.TopicParser;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The README's first command: builds and parses the topics of Kaa's documentation and shows
 * what 1/KP makes of them.
 *
 * <pre>{@code
 * java -jar examples/target/kp1-examples.jar
 * }</pre>
 */
public final class Demo {
    private Demo() {
    }

    /** Runs the demo; exits 0 when every topic read as expected. */
    public static void main(String[] args) {
        System.out.println("kp1-java: 1/KP topics, built and parsed\n");

        ResourcePath data = ResourcePath.of("demo_application_v1", "dcx", "JTjdbENzHh", "/json");
        Topic request = Topic.request(data, 42);
        System.out.printf("built request     %s%n", request.name());
        System.out.printf("  success reply   %s%n", request.statusTopic().name());
        System.out.printf("  error reply     %s%n", request.errorTopic().name());
        System.out.printf("  in logs (D16)   %s%n%n", request);

        List<String> incoming = List.of(
                "kp1/demo_application_v1/dcx/JTjdbENzHh/json/42",
                "kp1/demo_application_v1/dcx/JTjdbENzHh/json",
                "kp1/demo_application_v1/epmx/JTjdbENzHh/get/keys/7",
                "kp1/demo_application_v1/cmx/JTjdbENzHh/config/json/3",
                "kp1/demo_application_v1/dcx/JTjdbENzHh/json/0",
                "kp1/demo_application_v1/dcx/42",
                "kp1/demo_application_v1//json",
                "kp2/demo_application_v1/dcx/JTjdbENzHh/json",
                "kp1/demo_application_v1/dcx/+/json");
        TopicParser parser = TopicParser.defaults();
        System.out.println("server side: parseRequest");
        for (String name : incoming) {
            ParseResult r = parser.tryParseRequest(name);
            if (r.isValid()) {
                Topic t = r.topic();
                System.out.printf("  ok   %-58s ext=%-5s resource=%-16s id=%s%n", t, t.path().extension(),
                        t.path().resource(), t.hasRequestId() ? t.requestId() : "none");
            } else {
                System.out.printf("  bad  %-58s %s (%s)%n", r.error().input().replace("JTjdbENzHh", "JT******Hh"),
                        r.error().reason(), r.error().rule());
            }
        }

        System.out.println("\nclient side: parseReply");
        for (String name : List.of("kp1/demo_application_v1/dcx/JTjdbENzHh/json/42/status",
                "kp1/demo_application_v1/cex/JTjdbENzHh/command/reboot/status",
                "kp1/demo_application_v1/dcx/JTjdbENzHh/json/42/error")) {
            Topic t = parser.parseReply(name);
            System.out.printf("  %-6s %-60s answers %s%n", t.kind(), t, t.hasRequestId()
                    ? "request " + t.requestId() : "no request (a push, K11)");
        }

        byte[] error = ErrorResponse.of(400, "Invalid request ID").toJson();
        System.out.printf("%nerror payload (K7) %s%n", new String(error, StandardCharsets.UTF_8));
    }
}
