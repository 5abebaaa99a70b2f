package io.kp1.http;

import io.kp1.ResourcePath;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides who the client of an HTTP request is (K13): HTTP Basic credentials and TLS client
 * certificates are the transport's business, so the server adapters hand them to this hook,
 * which returns a principal or a rejection. The principal reaches handlers as
 * {@link io.kp1.server.Request#principal()}.
 *
 * <pre>{@code
 * HttpAuthenticator auth = c -> {
 *     if (!c.certificates().isEmpty()) {                    // TLS client certificate (mTLS)
 *         return HttpAuthenticator.Result.accept(c.certificates().get(0).getSubjectX500Principal());
 *     }
 *     return c.basic()
 *             .filter(b -> users.check(b.username(), b.password()))
 *             .map(b -> HttpAuthenticator.Result.accept(b.username()))
 *             .orElse(HttpAuthenticator.Result.unauthorized("Unknown user or wrong password"));
 * };
 * HttpServerOptions options = HttpServerOptions.builder().authenticator(auth).basicRealm("kp1").build();
 * }</pre>
 *
 * <table>
 *   <caption>What the adapters answer</caption>
 *   <tr><th>result</th><th>HTTP</th></tr>
 *   <tr><td>{@link Result#accept}</td><td>the request is routed, with the principal</td></tr>
 *   <tr><td>{@link Result#unauthorized}</td><td>401 with the K7 body; {@code WWW-Authenticate: Basic realm=...}
 *       when {@link HttpServerOptions.Builder#basicRealm} is set</td></tr>
 *   <tr><td>{@link Result#forbidden}</td><td>403 with the K7 body</td></tr>
 *   <tr><td>throws, or returns null</td><td>500 "Internal server error" (the cause is logged)</td></tr>
 * </table>
 *
 * <p>It runs after the path checks (404, 405, 400) and before the body is read, on the thread
 * that serves the request; it must be thread-safe. Reason phrases go to the client as they are:
 * put no secrets in them.
 */
@FunctionalInterface
public interface HttpAuthenticator {
    /**
     * Authenticates one request.
     *
     * @param credentials what the client presented, and where it is going
     * @return a principal or a rejection, never null
     */
    Result authenticate(Credentials credentials) throws Exception;

    /**
     * What a client presented with one request: HTTP Basic credentials, if any, and its TLS
     * certificate chain, if it sent one; plus the method and the decoded resource path, so that
     * a decision can depend on the endpoint token. {@code toString()} shows neither the password
     * nor the whole token (D16).
     *
     * <pre>{@code
     * c.method();                         // "POST"
     * c.path().endpointToken();           // "JTjdbENzHh"
     * c.basic().map(BasicCredentials::username);
     * c.certificates();                   // leaf first; empty without a client certificate
     * }</pre>
     */
    final class Credentials {
        private final String method;
        private final ResourcePath path;
        private final BasicCredentials basic;
        private final List<X509Certificate> certificates;

        /** Credentials as an adapter found them; {@code basic} may be null. */
        public Credentials(String method, ResourcePath path, BasicCredentials basic,
                List<X509Certificate> certificates) {
            this.method = Objects.requireNonNull(method, "method");
            this.path = Objects.requireNonNull(path, "path");
            this.basic = basic;
            this.certificates = List.copyOf(certificates);
        }

        /** The HTTP method; always {@code POST} (other methods are refused before, K12). */
        public String method() {
            return method;
        }

        /** The resource path decoded from the URL (D9), without request ID. */
        public ResourcePath path() {
            return path;
        }

        /** The HTTP Basic credentials of the {@code Authorization} header, if it has some. */
        public Optional<BasicCredentials> basic() {
            return Optional.ofNullable(basic);
        }

        /** The client's TLS certificate chain, leaf first; empty over plain HTTP or without a client certificate. */
        public List<X509Certificate> certificates() {
            return certificates;
        }

        @Override
        public String toString() {
            return "Credentials[" + method + " " + path + (basic == null ? "" : ", " + basic)
                    + (certificates.isEmpty() ? "" : ", certificate " + certificates.get(0).getSubjectX500Principal())
                    + "]";
        }
    }

    /**
     * A user name and password from an {@code Authorization: Basic} header (RFC 7617, read as
     * UTF-8). {@code toString()} hides the password.
     *
     * <pre>{@code
     * new BasicCredentials("gateway-7", "s3cret").toString();   // BasicCredentials[gateway-7, password hidden]
     * }</pre>
     */
    final class BasicCredentials {
        private final String username;
        private final String password;

        /** Credentials; neither may be null. */
        public BasicCredentials(String username, String password) {
            this.username = Objects.requireNonNull(username, "username");
            this.password = Objects.requireNonNull(password, "password");
        }

        /** The user name (the part before the first {@code :}). */
        public String username() {
            return username;
        }

        /** The password (everything after the first {@code :}). Never log it. */
        public String password() {
            return password;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BasicCredentials && ((BasicCredentials) o).username.equals(username)
                    && ((BasicCredentials) o).password.equals(password);
        }

        @Override
        public int hashCode() {
            return 31 * username.hashCode() + password.hashCode();
        }

        @Override
        public String toString() {
            return "BasicCredentials[" + username + ", password hidden]";
        }
    }

    /**
     * The decision: a principal (any object; handlers read it with
     * {@link io.kp1.server.Request#principal()}), or a 401 or 403 rejection with a reason phrase.
     *
     * <pre>{@code
     * Result.accept("gateway-7");
     * Result.unauthorized("Client certificate required");   // 401
     * Result.forbidden("Not allowed for this endpoint");     // 403
     * }</pre>
     */
    final class Result {
        private final Object principal;
        private final int status;
        private final String reason;

        private Result(Object principal, int status, String reason) {
            this.principal = principal;
            this.status = status;
            this.reason = reason;
        }

        /** The client is known as {@code principal}: route the request. */
        public static Result accept(Object principal) {
            return new Result(Objects.requireNonNull(principal, "principal"), 0, null);
        }

        /** 401: no credentials, or credentials that do not identify anyone. */
        public static Result unauthorized(String reason) {
            return new Result(null, 401, Objects.requireNonNull(reason, "reason"));
        }

        /** 403: the client is known, but may not make this request. */
        public static Result forbidden(String reason) {
            return new Result(null, 403, Objects.requireNonNull(reason, "reason"));
        }

        /** Whether the request may go on. */
        public boolean isAccepted() {
            return principal != null;
        }

        /** The principal, or null for a rejection. */
        public Object principal() {
            return principal;
        }

        /** 401 or 403 for a rejection, 0 when accepted. */
        public int status() {
            return status;
        }

        /** The reason phrase of a rejection, or null when accepted. */
        public String reason() {
            return reason;
        }

        @Override
        public String toString() {
            return principal != null ? "Result[accept " + principal + "]" : "Result[" + status + " " + reason + "]";
        }
    }
}
