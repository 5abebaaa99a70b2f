package io.kp1.extension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.ResourcePath;
import io.kp1.server.Outcome;
import io.kp1.server.Request;
import io.kp1.server.Router;
import io.kp1.testkit.SchemaAssertions;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The set-up the extension tests share: JSON trees from text, requests routed straight to a
 * {@link Router} as an HTTP binding hands them over (no facade, no {@link InMemoryEndpoint}), and
 * the check of a 400 that names the field.
 *
 * <pre>{@code
 * Outcome out = ExtensionFixtures.post(router, "cex", "/result/reboot", "[]");
 * ExtensionFixtures.assertBadRequest(out, "11/CEP", "", "expected at least one result, got an empty array");
 * }</pre>
 */
public final class ExtensionFixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExtensionFixtures() {
    }

    /** The tree of a JSON text. */
    public static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The tree of a JSON object text. */
    public static ObjectNode object(String s) {
        return (ObjectNode) json(s);
    }

    /**
     * Routes one HTTP request for {@link InMemoryEndpoint#APP} and {@link InMemoryEndpoint#TOKEN}
     * and waits for the outcome.
     */
    public static Outcome post(Router router, String instance, String resource, String payload) {
        Request req = Request.fromHttp(ResourcePath.of(InMemoryEndpoint.APP, instance, InMemoryEndpoint.TOKEN, resource),
                payload.getBytes(StandardCharsets.UTF_8));
        return router.route(req).toCompletableFuture().join();
    }

    /**
     * Asserts a 400 whose K7 reason reads {@code Invalid <rule> ...request[ at <field>]: <problem> (<rule>)}.
     *
     * @param field the JSON Pointer of the field, {@code ""} for the whole payload
     */
    public static void assertBadRequest(Outcome out, String rule, String field, String problem) {
        assertThat(out.httpStatus()).as(out.toString()).isEqualTo(400);
        assertThat(out.reply().error().reasonPhrase()).startsWith("Invalid " + rule + " ")
                .contains(field.isEmpty() ? "request: " : "request at " + field + ": ")
                .endsWith(problem + " (" + rule + ")");
        SchemaAssertions.assertValid(SchemaAssertions.ERROR_RESPONSE, out.payload());
    }
}
