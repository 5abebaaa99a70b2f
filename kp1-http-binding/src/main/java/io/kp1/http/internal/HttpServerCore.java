package io.kp1.http.internal;

import io.kp1.ErrorResponse;
import io.kp1.InvalidTopicException;
import io.kp1.InvalidTopicException.Reason;
import io.kp1.ParseResult;
import io.kp1.ResourcePath;
import io.kp1.http.HttpAuthenticator;
import io.kp1.http.HttpAuthenticator.BasicCredentials;
import io.kp1.http.HttpServerOptions;
import io.kp1.server.Outcome;
import io.kp1.server.Request;
import io.kp1.server.Router;
import io.kp1.server.internal.RedactedThrowable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The transport-free part of the 1/KP HTTP server (K12, K13, D9, D10, D16), shared by the JDK
 * {@code HttpHandler} and the servlet adapter: each adapter wraps its request in an
 * {@link Exchange}, calls {@link #handle}, and writes the {@link Response} when the stage
 * completes.
 *
 * <table>
 *   <caption>Checks, in order</caption>
 *   <tr><th>check</th><th>status</th></tr>
 *   <tr><td>path not under {@code <base>/kp1/} (segment by segment, decoded)</td><td>404</td></tr>
 *   <tr><td>method other than {@code POST}; {@code Allow: POST}</td><td>405</td></tr>
 *   <tr><td>a segment with a bad {@code %} escape, a character that must be encoded, or bytes
 *       that are not UTF-8; a segment that decodes to contain {@code /}; {@code .} or {@code ..} (D9)</td><td>400</td></tr>
 *   <tr><td>the decoded path is not a valid 1/KP request topic (D1, D3, D4, D7)</td><td>400</td></tr>
 *   <tr><td>authenticator: rejected (K13)</td><td>401 or 403</td></tr>
 *   <tr><td>{@code Content-Length} over the limit, or more bytes than the limit read</td><td>413</td></tr>
 *   <tr><td>routed: the router's outcome (its 404 and 500 included)</td><td>{@link Outcome#httpStatus()}</td></tr>
 * </table>
 *
 * <pre>{@code
 * HttpServerCore core = new HttpServerCore(router, options);
 * core.handle(exchange, HttpServerCore.Base.of("/kpc"))
 *     .thenAccept(response -> write(response));   // status, headers, body
 * }</pre>
 *
 * <p>Reason phrases quote only the part of the path after {@code <base>/}, with the endpoint
 * token redacted (D16). The stage never completes exceptionally. Thread-safe.
 */
public final class HttpServerCore {
    private static final Logger LOG = LoggerFactory.getLogger("io.kp1.http");
    private static final String WHAT = "HTTP path";
    private static final String POST = "POST";
    private static final byte[] EMPTY = new byte[0];
    private static final Response INTERNAL_ERROR = Response.error(500, "Internal server error");

    /**
     * One HTTP request as an adapter sees it. Methods are called on the thread that called
     * {@link #handle}, before the stage is returned.
     */
    public interface Exchange {
        /** The request method, e.g. {@code POST}. */
        String method();

        /** The path exactly as sent, still percent-encoded, without the query. */
        String rawPath();

        /** The first value of a request header, or null. */
        String header(String name);

        /** The declared body length, or -1 when unknown (chunked). */
        long contentLength();

        /** The body stream; the adapter owns it, the core reads it at most to the limit plus one byte. */
        InputStream body() throws IOException;

        /** The client's TLS certificate chain, leaf first, or an empty list. */
        List<X509Certificate> peerCertificates();
    }

    /**
     * The base path an adapter is mounted under, as decoded segments: {@code "/kpc"} is
     * {@code [kpc]}, {@code "/"} and {@code ""} are {@code []}.
     */
    public static final class Base {
        private final String text;
        private final String[] segments;
        private final String notFound;

        private Base(String text, String[] segments) {
            this.text = text;
            this.segments = segments;
            StringBuilder sb = new StringBuilder("/");
            for (String s : segments) {
                HttpPaths.appendEncoded(sb, s);
                sb.append('/');
            }
            this.notFound = "Not found: 1/KP requests go to " + sb + "kp1/<appVersion>/<extension>/... (D10)";
        }

        /** The base of a decoded path such as a JDK context path ({@code /kpc}) or servlet path. */
        public static Base of(String decodedPath) {
            List<String> parts = new ArrayList<>(2);
            for (String s : decodedPath.split("/")) {
                if (!s.isEmpty()) {
                    parts.add(s);
                }
            }
            return new Base(decodedPath, parts.toArray(new String[0]));
        }

        /** The text it was made from. */
        public String text() {
            return text;
        }

        @Override
        public String toString() {
            return "Base" + Arrays.toString(segments);
        }
    }

    /**
     * What to send back: a status, a content type (null for an empty body), a body, and extra
     * headers as name-value pairs. Bodies of 204 and 304 are always empty.
     */
    public static final class Response {
        private final int status;
        private final String contentType;
        private final byte[] body;
        private final String[] headers;

        Response(int status, String contentType, byte[] body, String... headers) {
            this.status = status;
            this.contentType = body.length == 0 ? null : contentType;
            this.body = body;
            this.headers = headers;
        }

        /** 500 "Internal server error", for an adapter whose stage failed against every promise. */
        public static Response internalError() {
            return INTERNAL_ERROR;
        }

        static Response error(int status, String reason, String... headers) {
            return new Response(status, "application/json", ErrorResponse.of(status, reason).toJson(), headers);
        }

        /** The status code. */
        public int status() {
            return status;
        }

        /** The {@code Content-Type}, or null when the body is empty. */
        public String contentType() {
            return contentType;
        }

        /** The body, possibly empty; not a copy. */
        public byte[] body() {
            return body;
        }

        /** Extra headers, as {@code name, value, name, value...}. */
        public String[] headers() {
            return headers;
        }

        /** The same response without a body, for a {@code HEAD} request. */
        Response withoutBody() {
            return new Response(status, null, EMPTY, headers);
        }

        @Override
        public String toString() {
            return "Response[" + status + ", " + body.length + " bytes]";
        }
    }

    /** A response with the K7 body for an adapter's own errors, e.g. a 503 on an async timeout. */
    public static Response errorResponse(int status, String reason) {
        return Response.error(status, reason);
    }

    private final Router router;
    private final HttpServerOptions options;
    private final String[] challenge;

    /** A core for this router and these options. */
    public HttpServerCore(Router router, HttpServerOptions options) {
        this.router = Objects.requireNonNull(router, "router");
        this.options = Objects.requireNonNull(options, "options");
        this.challenge = options.basicRealm()
                .map(realm -> new String[] {"WWW-Authenticate", "Basic realm=\"" + realm + "\", charset=\"UTF-8\""})
                .orElse(new String[0]);
    }

    /** The options. */
    public HttpServerOptions options() {
        return options;
    }

    /**
     * Serves one request: reads what it needs from {@code exchange} on the calling thread (the
     * body included), routes, and completes with the response when the handler does. Never
     * throws and never completes exceptionally.
     */
    public CompletionStage<Response> handle(Exchange exchange, Base base) {
        try {
            return serve(exchange, base);
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
                throw e;
            }
            LOG.warn("Unexpected failure while serving an HTTP request; replying 500", e);
            return CompletableFuture.completedFuture(INTERNAL_ERROR);
        }
    }

    private CompletionStage<Response> serve(Exchange exchange, Base base) {
        String method = exchange.method();
        boolean head = "HEAD".equals(method);
        String raw = exchange.rawPath();

        // D10: 404 outside <base>/kp1/; the part after <base>/ starts at kp1Start.
        int kp1Start = matchBase(raw, base);
        if (kp1Start < 0) {
            return done(Response.error(404, base.notFound), head);
        }
        // K12: only POST.
        if (!POST.equals(method)) {
            return done(Response.error(405, "Method " + printable(method) + " not allowed: 1/KP over HTTP uses only POST (K12)",
                    "Allow", POST), head);
        }
        // D9: decode segment by segment, then parse as an MQTT request topic.
        Object resolved = resolve(raw, kp1Start);
        if (resolved instanceof InvalidTopicException) {
            return done(Response.error(400, ((InvalidTopicException) resolved).getMessage()), false);
        }
        ResourcePath path = (ResourcePath) resolved;

        // K13.
        Object principal = null;
        HttpAuthenticator authenticator = options.authenticator().orElse(null);
        if (authenticator != null) {
            Object decision = authenticate(authenticator, exchange, method, path);
            if (decision instanceof Response) {
                return done((Response) decision, false);
            }
            principal = decision;
        }

        // D10: 413 past the body limit.
        int max = options.maxBodyBytes();
        long declared = exchange.contentLength();
        if (declared > max) {
            return done(Response.error(413, "Request body of " + declared + " bytes is over the limit of " + max
                    + " bytes (D10)", "Connection", "close"), false);
        }
        byte[] body;
        try {
            body = readBody(exchange.body(), declared, max);
        } catch (IOException e) {
            LOG.debug("Could not read the body of a request to {}: {}", path, e.toString());
            return done(Response.error(400, "Could not read the request body"), false);
        }
        if (body == null) {
            return done(Response.error(413, "Request body is over the limit of " + max + " bytes (D10)",
                    "Connection", "close"), false);
        }

        Request request = Request.fromHttp(path, body);
        if (principal != null) {
            request = request.withPrincipal(principal);
        }
        CompletionStage<Outcome> routed = router.route(request);
        if (routed instanceof CompletableFuture && ((CompletableFuture<Outcome>) routed).isDone()) {
            return CompletableFuture.completedFuture(toResponse(((CompletableFuture<Outcome>) routed).getNow(null), null));
        }
        return routed.handle(this::toResponse);
    }

    private static CompletionStage<Response> done(Response response, boolean head) {
        return CompletableFuture.completedFuture(head ? response.withoutBody() : response);
    }

    /** D10: the outcome as status and body. */
    private Response toResponse(Outcome outcome, Throwable failure) {
        if (outcome == null) {
            // The router promises never to fail; keep the promise of this class anyway.
            LOG.warn("Router failed; replying 500", failure);
            return INTERNAL_ERROR;
        }
        int status = outcome.httpStatus();
        if (status < 200) {
            LOG.warn("Handler replied with status {}, which cannot end an HTTP exchange; replying 500", status);
            return INTERNAL_ERROR;
        }
        if (status == 204 || status == 304) {
            return new Response(status, null, EMPTY); // no body allowed (D10: 304 for a current 7/CMP configId)
        }
        return new Response(status, outcome.isSuccess() ? options.successContentType() : "application/json",
                outcome.payload());
    }

    /**
     * The index in {@code raw} where {@code kp1/} starts after the base path, or -1 when the
     * path is not under {@code <base>/kp1/} (D10). Segments are compared decoded (D9), so an
     * encoded base matches too.
     */
    static int matchBase(String raw, Base base) {
        if (raw.isEmpty() || raw.charAt(0) != '/') {
            return -1;
        }
        int[] ignored = new int[1];
        int pos = 1;
        for (String expected : base.segments) {
            int end = raw.indexOf('/', pos);
            if (end < 0 || !expected.equals(HttpPaths.decodeSegment(raw, pos, end, ignored))) {
                return -1;
            }
            pos = end + 1;
        }
        int end = raw.indexOf('/', pos);
        if (end < 0) {
            return -1;
        }
        boolean plain = end - pos == 3 && raw.startsWith("kp1", pos);
        return plain || "kp1".equals(HttpPaths.decodeSegment(raw, pos, end, ignored)) ? pos : -1;
    }

    /**
     * D9: the resource path of {@code raw[kp1Start..]}, or the {@link InvalidTopicException}
     * that says why it is invalid. Messages quote the raw text after {@code <base>/}.
     */
    Object resolve(String raw, int kp1Start) {
        String rest = raw.substring(kp1Start); // "kp1/...", or "%6Bp1/..."
        int firstSlash = rest.indexOf('/');
        StringBuilder decoded = null;
        int[] errorAt = new int[1];
        int start = firstSlash + 1;
        int n = rest.length();
        while (true) {
            int end = rest.indexOf('/', start);
            if (end < 0) {
                end = n;
            }
            boolean plain = true;
            for (int i = start; i < end; i++) {
                if (!HttpPaths.isPlainPathChar(rest.charAt(i))) {
                    plain = false;
                    break;
                }
            }
            String segment = plain ? null : HttpPaths.decodeSegment(rest, start, end, errorAt);
            if (!plain && segment == null) {
                int at = errorAt[0];
                char c = rest.charAt(at);
                String detail;
                if (c != '%') {
                    detail = "character U+" + String.format("%04X", (int) c) + " must be percent-encoded";
                } else if (at + 2 < end && isHex(rest.charAt(at + 1)) && isHex(rest.charAt(at + 2))) {
                    detail = "the escaped bytes are not UTF-8";
                } else {
                    detail = "'%' must be followed by two hex digits";
                }
                return invalid(rest, Reason.BAD_PERCENT_ENCODING, at, detail);
            }
            if (segment != null && segment.indexOf('/') >= 0) {
                return invalid(rest, Reason.ENCODED_SLASH, encodedSlashAt(rest, start, end), null);
            }
            int length = segment == null ? end - start : segment.length();
            boolean dots = length == 1 || length == 2;
            if (dots) {
                CharSequence s = segment == null ? rest.subSequence(start, end) : segment;
                dots = s.charAt(0) == '.' && (length == 1 || s.charAt(1) == '.');
            }
            if (dots) {
                return invalid(rest, Reason.DOT_SEGMENT, start, null);
            }
            if (segment != null && decoded == null) {
                decoded = new StringBuilder(n).append("kp1/").append(rest, firstSlash + 1, start);
            }
            if (decoded != null) {
                if (segment != null) {
                    decoded.append(segment);
                } else {
                    decoded.append(rest, start, end);
                }
                if (end < n) {
                    decoded.append('/');
                }
            }
            if (end == n) {
                break;
            }
            start = end + 1;
        }
        String topic = decoded != null ? decoded.toString()
                : firstSlash == 3 ? rest : "kp1" + rest.substring(firstSlash);
        ParseResult parsed = options.topicParser().tryParseRequest(topic);
        return parsed.isValid() ? parsed.topic().path() : parsed.error();
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int encodedSlashAt(String s, int from, int to) {
        for (int i = from; i + 2 < to; i++) {
            if (s.charAt(i) == '%' && s.charAt(i + 1) == '2' && (s.charAt(i + 2) == 'F' || s.charAt(i + 2) == 'f')) {
                return i;
            }
        }
        return from;
    }

    private static InvalidTopicException invalid(String input, Reason reason, int index, String detail) {
        // The public constructor captures a stack trace: a few microseconds, for bad requests only.
        return new InvalidTopicException(WHAT, input, reason, index, detail);
    }

    /** The principal, or the 401/403/500 {@link Response}. */
    private Object authenticate(HttpAuthenticator authenticator, Exchange exchange, String method, ResourcePath path) {
        BasicCredentials basic = null;
        String authorization = exchange.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            basic = parseBasic(authorization.substring(6).trim());
            if (basic == null) {
                return Response.error(401, "Malformed HTTP Basic credentials (K13)", challenge);
            }
        }
        HttpAuthenticator.Result result;
        try {
            result = authenticator.authenticate(new HttpAuthenticator.Credentials(method, path, basic,
                    exchange.peerCertificates()));
        } catch (Exception | LinkageError e) {
            // The authenticator is the host's code: its message may quote the token (D16).
            LOG.warn("Authenticator failed for {}; replying 500", path,
                    RedactedThrowable.of(e, path.hasEndpointToken() ? path.endpointToken() : null));
            return INTERNAL_ERROR;
        }
        if (result == null) {
            LOG.warn("Authenticator returned null for {}; replying 500", path);
            return INTERNAL_ERROR;
        }
        if (result.isAccepted()) {
            return result.principal();
        }
        LOG.debug("Authenticator refused {}: {} {}", path, result.status(), result.reason());
        return result.status() == 401 ? Response.error(401, result.reason(), challenge)
                : Response.error(403, result.reason());
    }

    /** RFC 7617 credentials, UTF-8; null when malformed. */
    static BasicCredentials parseBasic(String token68) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(token68);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            return null;
        }
        return new BasicCredentials(text.substring(0, colon), text.substring(colon + 1));
    }

    /**
     * Reads at most {@code max + 1} bytes: the body, or null when it is longer than {@code max}.
     * With a declared length the array is allocated once.
     */
    static byte[] readBody(InputStream in, long declared, int max) throws IOException {
        if (declared == 0) {
            return EMPTY;
        }
        if (declared > 0) {
            byte[] body = in.readNBytes((int) declared);
            if (body.length < declared) {
                throw new IOException("Body ended after " + body.length + " of " + declared + " declared bytes");
            }
            if (in.read() >= 0) {
                return null; // the stream gave more than declared: never trust it further
            }
            return body;
        }
        byte[] body = in.readNBytes(max + 1);
        return body.length > max ? null : body;
    }

    /** The method for a message: the client chose it, so cut and escape it. */
    private static String printable(String method) {
        StringBuilder sb = new StringBuilder(Math.min(method.length(), 32));
        for (int i = 0; i < method.length() && i < 32; i++) {
            char c = method.charAt(i);
            sb.append(c > 0x20 && c < 0x7F ? c : '?');
        }
        return sb.toString();
    }
}
