package io.kp1;

/**
 * The outcome of parsing a topic from the wire: a {@link Topic}, or the {@link InvalidTopicException}
 * that says why not. Made by {@link TopicParser#tryParseRequest} and {@link TopicParser#tryParseReply},
 * which never throw for bad input and capture no stack trace.
 *
 * <pre>{@code
 * ParseResult r = TopicParser.defaults().tryParseRequest(mqttTopic);
 * if (r.isValid()) {
 *     route(r.topic());
 * } else {
 *     log.debug("dropped: {}", r.error().getMessage());  // token redacted (D16)
 * }
 * }</pre>
 */
public final class ParseResult {
    private final Topic topic;
    private final InvalidTopicException error;

    private ParseResult(Topic topic, InvalidTopicException error) {
        this.topic = topic;
        this.error = error;
    }

    static ParseResult of(Object parsed) {
        return parsed instanceof Topic ? new ParseResult((Topic) parsed, null)
                : new ParseResult(null, (InvalidTopicException) parsed);
    }

    /** Whether the input was a valid topic. */
    public boolean isValid() {
        return topic != null;
    }

    /** The topic; throws {@link IllegalStateException} when the input was invalid. */
    public Topic topic() {
        if (topic == null) {
            throw new IllegalStateException("Not a valid topic: " + error.getMessage());
        }
        return topic;
    }

    /** Why the input is invalid (an exception without a stack trace), or null when it is valid. */
    public InvalidTopicException error() {
        return error;
    }

    /** The topic, or the error rethrown with a stack trace. */
    public Topic orElseThrow() {
        if (topic == null) {
            throw error.withStackTrace();
        }
        return topic;
    }

    @Override
    public String toString() {
        return topic != null ? "ParseResult[" + topic + "]" : "ParseResult[" + error.getMessage() + "]";
    }
}
