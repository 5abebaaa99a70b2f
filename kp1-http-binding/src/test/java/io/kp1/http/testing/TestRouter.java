package io.kp1.http.testing;

import io.kp1.Reply;
import io.kp1.extension.dcp.DataCollection;
import io.kp1.http.HttpAuthenticator;
import io.kp1.http.HttpAuthenticator.BasicCredentials;
import io.kp1.http.HttpAuthenticator.Result;
import io.kp1.http.HttpServerOptions;
import io.kp1.server.Request;
import io.kp1.server.Router;
import io.kp1.testkit.Kp1Arbitraries;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The router every server test mounts, and the options of its two mounts: {@code /kpc} (no
 * authentication, 1 KiB body limit) and {@code /secure} (Basic and client certificates, K13).
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>{@code dcx /json}</td><td>records the request, empty success (2/DCP)</td></tr>
 *   <tr><td>{@code dcp /json}</td><td>the typed 2/DCP route: 400 for a malformed payload</td></tr>
 *   <tr><td>{@code epmx /get/keys}, {@code /get}, {@code /update/keys}</td><td>10/EPMP answers</td></tr>
 *   <tr><td>{@code cmx /config/json}</td><td>error 304: configuration unchanged (D10)</td></tr>
 *   <tr><td>{@code boom /fail}</td><td>throws, with the token in the message (500, D16)</td></tr>
 *   <tr><td>{@code later /json}</td><td>answers 50 ms later from another thread</td></tr>
 *   <tr><td>{@code whoami /json}</td><td>the principal's {@code toString()} (K13)</td></tr>
 *   <tr><td>{@link #ECHO_EXTENSIONS}, {@link #UNAWARE_EXTENSIONS} with 0..4 levels</td>
 *       <td>the path's canonical text, a newline and the payload</td></tr>
 * </table>
 */
public final class TestRouter {
    /** The token the tests use; it must never appear whole in an error body (D16). */
    public static final String TOKEN = "JTjdbENzHh";
    /** The body limit of both mounts. */
    public static final int MAX_BODY = 1024;
    /** Endpoint-aware extensions that echo their path. */
    public static final List<String> ECHO_EXTENSIONS = List.of("echo", "ext\u00e9", "\u6e2c\u8a66", "x-y_z~");
    /** Endpoint-unaware extensions (D7) that echo their path; {@link Kp1Arbitraries#parser()} knows them. */
    public static final List<String> UNAWARE_EXTENSIONS = Kp1Arbitraries.ENDPOINT_UNAWARE_EXTENSIONS;
    /** The Basic user the secure mount accepts, and its password (with a colon and non-ASCII, RFC 7617). */
    public static final BasicCredentials GATEWAY = new BasicCredentials("gateway-7", "s3cret:\u00fc");

    private final AtomicReference<Request> last = new AtomicReference<>();
    private final Router router;

    public TestRouter() {
        Router.Builder b = Router.builder()
                .on("dcx", "/json", req -> {
                    last.set(req);
                    return CompletableFuture.completedFuture(Reply.ok());
                })
                .on("epmx", "/get/keys", req -> CompletableFuture.completedFuture(Reply.ok("[\"name\",\"location\"]")))
                .on("epmx", "/get", req -> {
                    last.set(req);
                    return CompletableFuture.completedFuture(Reply.ok("{\"name\":\"Kettle\",\"location\":\"kitchen\"}"));
                })
                .on("epmx", "/update/keys", req -> {
                    last.set(req);
                    return CompletableFuture.completedFuture(Reply.ok());
                })
                .on("cmx", "/config/json", req -> CompletableFuture.completedFuture(Reply.error(304, "Not Modified")))
                .on("boom", "/fail", req -> {
                    throw new IllegalStateException("database down for " + req.endpointToken());
                })
                .on("later", "/json", req -> CompletableFuture.supplyAsync(() -> Reply.ok("\"late\""),
                        CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)))
                .on("whoami", "/json", req -> CompletableFuture.completedFuture(
                        Reply.ok("\"" + req.principal().map(Object::toString).orElse("nobody") + "\"")));
        DataCollection.routes((req, samples) -> CompletableFuture.completedFuture(null)).addTo(b, "dcp");
        for (String ext : ECHO_EXTENSIONS) {
            echo(b, ext);
        }
        for (String ext : UNAWARE_EXTENSIONS) {
            echo(b, ext);
        }
        router = b.build();
    }

    private static void echo(Router.Builder b, String ext) {
        Router.Handler echo = req -> CompletableFuture.completedFuture(Reply.ok(
                (req.path().asString() + "\n" + new String(req.payload(), StandardCharsets.UTF_8))));
        b.on(ext, "", echo).on(ext, "/{a}", echo).on(ext, "/{a}/{b}", echo).on(ext, "/{a}/{b}/{c}", echo)
                .on(ext, "/{a}/{b}/{c}/{d}", echo);
    }

    public Router router() {
        return router;
    }

    /** The last request that {@code dcx /json} or {@code epmx} recorded. */
    public Request lastRequest() {
        return last.get();
    }

    /** The options of {@code /kpc}: 1 KiB limit, parser of the conformance kit (D7), no authentication. */
    public static HttpServerOptions plainOptions() {
        return HttpServerOptions.builder().maxBodyBytes(MAX_BODY).topicParser(Kp1Arbitraries.parser()).build();
    }

    /**
     * The options of {@code /secure} (K13): a client certificate from the test CA is accepted as
     * {@code cert:<subject>}, one from another CA or out of its validity is 403; without a
     * certificate, {@link #GATEWAY} is accepted, user {@code banned} is 403, anyone else 401;
     * Basic realm {@code kp1}.
     */
    public static HttpServerOptions secureOptions() {
        TestTls tls = TestTls.shared();
        HttpAuthenticator auth = c -> {
            if (!c.certificates().isEmpty()) {
                X509Certificate leaf = c.certificates().get(0);
                if (!tls.issuedByCa(leaf)) {
                    return Result.forbidden("Client certificate not issued by a trusted CA");
                }
                try {
                    leaf.checkValidity();
                } catch (java.security.cert.CertificateException e) {
                    return Result.forbidden("Client certificate expired or not yet valid");
                }
                return Result.accept("cert:" + leaf.getSubjectX500Principal().getName());
            }
            if (c.basic().isEmpty()) {
                return Result.unauthorized("Credentials required (K13)");
            }
            BasicCredentials basic = c.basic().get();
            if (basic.equals(GATEWAY)) {
                return Result.accept(basic.username());
            }
            if (basic.username().equals("banned")) {
                return Result.forbidden("User banned may not send requests");
            }
            return Result.unauthorized("Unknown user or wrong password");
        };
        return HttpServerOptions.builder().maxBodyBytes(MAX_BODY).authenticator(auth).basicRealm("kp1").build();
    }
}
