package io.kp1.http.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A bare HTTP/1.1 client over a socket, for requests that well-behaved clients will not send:
 * request targets that {@link java.net.URI} refuses or normalises, chunked bodies of exact
 * sizes, a {@code Content-Length} without the body behind it. Loopback only; every call has a
 * read timeout.
 *
 * <pre>{@code
 * RawHttp.Response r = RawHttp.send(port, "POST /kpc/kp1/app/dcx/tok/a%2Fb HTTP/1.1\r\nHost: x\r\n"
 *         + "Content-Length: 0\r\nConnection: close\r\n\r\n");
 * r.status();   // 400
 * }</pre>
 */
public final class RawHttp {
    private static final int TIMEOUT_MILLIS = 10_000;

    private RawHttp() {
    }

    /** A parsed response: status, headers (lower-case names), body. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        /** The body as UTF-8. */
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** A header by name, any case, or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return "Response[" + status + " " + headers + " " + bodyText() + "]";
        }
    }

    /** Sends the request text (ISO-8859-1, as a request line is read) and reads one response. */
    public static Response send(int port, String request) throws IOException {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends these bytes and reads one response. */
    public static Response send(int port, byte[] request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            return read(s.getInputStream());
        }
    }

    /** The answers to two requests on one connection: {@code second} is null when the server closed it instead. */
    public record Reused(Response first, Response second) {
    }

    /**
     * Two requests on one persistent connection, as a client that pools connections sends them:
     * {@code firstHead} (request line and headers, without {@code Connection: close}), its
     * {@code firstBody} only once its response has come when {@code bodyAfterAnswer} (servers may
     * answer a request they refuse before reading its body), else at once; then {@code second}.
     * A server that closes the connection after the first response gives a null second response.
     */
    public static Reused reuse(int port, String firstHead, String firstBody, boolean bodyAfterAnswer, String second)
            throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            byte[] body = firstBody.getBytes(StandardCharsets.UTF_8);
            out.write(firstHead.getBytes(StandardCharsets.ISO_8859_1));
            if (!bodyAfterAnswer) {
                out.write(body);
            }
            out.flush();
            Response first = read(in);
            try {
                if (bodyAfterAnswer) {
                    out.write(body);
                }
                out.write(second.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return new Reused(first, read(in));
            } catch (EOFException | SocketException e) {
                return new Reused(first, null); // end of stream, reset or broken pipe: the server closed it
            }
        }
    }

    /** A POST with a chunked body of exactly {@code size} bytes of {@code 'x'}, in chunks of up to 700 bytes. */
    public static Response postChunked(int port, String path, int size) throws IOException {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.writeBytes(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        int left = size;
        while (left > 0) {
            int n = Math.min(700, left);
            req.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            req.writeBytes("x".repeat(n).getBytes(StandardCharsets.ISO_8859_1));
            req.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            left -= n;
        }
        req.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return send(port, req.toByteArray());
    }

    /** A request line and the usual headers, with an empty body unless {@code body} is given. */
    public static String request(String method, String path, String body) {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new EOFException("Connection closed before a response");
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        String l;
        while ((l = line(in)) != null && !l.isEmpty()) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        byte[] body;
        String length = headers.get("content-length");
        if (status == 204 || status == 304 || (status >= 100 && status < 200)) {
            body = new byte[0];
        } else if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (true) {
                int n = Integer.parseInt(line(in).trim(), 16);
                if (n == 0) {
                    line(in);
                    break;
                }
                b.writeBytes(in.readNBytes(n));
                line(in);
            }
            body = b.toByteArray();
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, body);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }
}
