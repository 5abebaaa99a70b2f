package io.kp1.testkit;

import io.kp1.InvalidTopicException.Reason;
import io.kp1.ParseResult;
import io.kp1.ResourcePath;
import io.kp1.Topic;
import io.kp1.TopicParser;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request-ID and HTTP-path generators of the conformance kit agree with our parser: every
 * labelled invalid request ID is {@code INVALID_REQUEST_ID} (D1), every valid one parses with its
 * value, and every generated HTTP path decodes, segment by segment, to its resource path (D9).
 */
class Kp1ArbitrariesProperties {
    @Property
    void invalidRequestId_refusedAsInvalidRequestId_D1(@ForAll("paths") ResourcePath path, @ForAll("badIds") String id) {
        ParseResult r = TopicParser.defaults().tryParseRequest(path.asString() + "/" + id);
        assertThat(r.isValid()).isFalse();
        assertThat(r.error().reason()).isEqualTo(Reason.INVALID_REQUEST_ID);
    }

    @Property
    void validRequestId_parsedWithItsValue_K4(@ForAll("paths") ResourcePath path, @ForAll("ids") int id) {
        Topic t = TopicParser.defaults().parseRequest(path.asString() + "/" + id);
        assertThat(t.requestId()).isEqualTo(id);
        assertThat(t.path()).isEqualTo(path);
    }

    @Property
    void httpPath_decodedSegmentBySegment_isTheResourcePath_D9(@ForAll("paths") ResourcePath path) {
        if (!Kp1Arbitraries.isHttpExpressible(path)) {
            return;
        }
        String http = Kp1Arbitraries.httpPath(path);
        StringBuilder decoded = new StringBuilder();
        for (String segment : http.substring(1).split("/", -1)) {
            // '+' is escaped by httpPath, so URLDecoder's form-decoding of '+' never applies.
            decoded.append(decoded.length() == 0 ? "" : "/").append(URLDecoder.decode(segment, StandardCharsets.UTF_8));
        }
        assertThat(decoded.toString()).isEqualTo(path.asString());
        assertThat(http).doesNotContain("%2F").doesNotContain("/./").doesNotContain("/../");
    }

    @Provide
    Arbitrary<ResourcePath> paths() {
        return Kp1Arbitraries.resourcePaths();
    }

    @Provide
    Arbitrary<String> badIds() {
        return Kp1Arbitraries.invalidRequestIds();
    }

    @Provide
    Arbitrary<Integer> ids() {
        return Kp1Arbitraries.requestIds();
    }
}
