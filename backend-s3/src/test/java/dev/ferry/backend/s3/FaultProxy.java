package dev.ferry.backend.s3;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An HTTP/1.1 proxy on 127.0.0.1 between the SDK and S3Proxy that injects the faults a real
 * server cannot be made to produce on demand: a storm of error answers (503 SlowDown by default)
 * to the next matching requests, a connection cut after some bytes of a matching request's
 * body, a connection closed as a matching request's head arrives, and one byte of a matching
 * request's body flipped on the way. It records every request
 * passed on (its headers, and the MD5 of the body as the client sent it). Everything else is passed through byte for byte, one upstream connection per client
 * connection. It relies on the client not pipelining (the SDK's Apache client does not), so a
 * request's answer is complete before the next request arrives on the same connection.
 */
final class FaultProxy implements AutoCloseable {

    /** A request line and its headers (names in lower case), as read from the client. */
    record Request(String method, String target, long contentLength, boolean expectContinue, byte[] head,
            Map<String, String> headers) {

        /** A header's value, by its name in lower case; null if absent. */
        String header(String name) {
            return headers.get(name);
        }

        boolean isPartUpload() {
            return method.equals("PUT") && target.contains("partNumber=") && target.contains("uploadId=");
        }

        int partNumber() {
            int i = target.indexOf("partNumber=");
            if (i < 0) {
                return -1;
            }
            int end = i + "partNumber=".length();
            while (end < target.length() && Character.isDigit(target.charAt(end))) {
                end++;
            }
            return Integer.parseInt(target.substring(i + "partNumber=".length(), end));
        }
    }

    private final ServerSocket server;
    private final int upstreamPort;
    private final Thread acceptor;

    private final AtomicInteger errorsArmed = new AtomicInteger();
    private volatile Predicate<Request> errorFilter = r -> true;
    private volatile int errorStatus = 503;
    private volatile String errorCode = "SlowDown";
    private final AtomicInteger errorsSent = new AtomicInteger();

    private final AtomicInteger cutsArmed = new AtomicInteger();
    private volatile Predicate<Request> cutFilter = r -> false;
    private volatile long cutAfter;
    private final AtomicInteger cutsDone = new AtomicInteger();

    private final AtomicInteger requests = new AtomicInteger();

    private final AtomicInteger corruptionsArmed = new AtomicInteger();
    private volatile Predicate<Request> corruptFilter = r -> false;
    private final AtomicInteger corruptionsDone = new AtomicInteger();

    private final AtomicInteger closesArmed = new AtomicInteger();
    private volatile Predicate<Request> closeFilter = r -> false;
    private final AtomicInteger closesDone = new AtomicInteger();

    /** A request passed on to the server, and the base64 MD5 of its body as the client sent it. */
    record Forwarded(Request request, String bodyMd5) {}

    private final List<Forwarded> forwarded = new CopyOnWriteArrayList<>();

    FaultProxy(URI upstream) throws IOException {
        this.upstreamPort = upstream.getPort();
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(this::accept, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The endpoint to give the SDK. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Answers the next {@code n} requests matching {@code filter} with 503 SlowDown. */
    void slowDown(int n, Predicate<Request> filter) {
        fail(n, 503, "SlowDown", filter);
    }

    /** Answers the next {@code n} requests matching {@code filter} with this status and S3 error code. */
    void fail(int n, int status, String code, Predicate<Request> filter) {
        errorStatus = status;
        errorCode = code;
        errorFilter = filter;
        errorsArmed.set(n);
    }

    /** Cuts the connection of the next {@code n} requests matching {@code filter} after {@code bytes} of their body. */
    void cut(int n, long bytes, Predicate<Request> filter) {
        cutAfter = bytes;
        cutFilter = filter;
        cutsArmed.set(n);
    }

    /** Flips one byte in the middle of the body of the next {@code n} requests matching {@code filter}. */
    void corrupt(int n, Predicate<Request> filter) {
        corruptFilter = filter;
        corruptionsArmed.set(n);
    }

    /**
     * Closes the connection of the next {@code n} requests matching {@code filter} as soon as their
     * head has arrived, before any of their body is read (none is asked for: the proxy sends no
     * {@code 100 Continue}), and answers nothing: what a client meets on a pooled keep-alive
     * connection the server has already closed.
     */
    void closeOnHead(int n, Predicate<Request> filter) {
        closeFilter = filter;
        closesArmed.set(n);
    }

    int closesDone() {
        return closesDone.get();
    }

    int corruptionsDone() {
        return corruptionsDone.get();
    }

    /** Every request passed on to the server so far (answered by the proxy itself: not here). */
    List<Forwarded> forwarded() {
        return List.copyOf(forwarded);
    }

    int errorsSent() {
        return errorsSent.get();
    }

    int cutsDone() {
        return cutsDone.get();
    }

    int requests() {
        return requests.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> serve(client), "fault-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        Socket upstream = null;
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            while (true) {
                Request r = readHead(in);
                if (r == null) {
                    return;
                }
                requests.incrementAndGet();
                if (closeFilter.test(r) && take(closesArmed)) {
                    closesDone.incrementAndGet();
                    return; // closes the client's connection, nothing forwarded
                }
                if (errorFilter.test(r) && take(errorsArmed)) {
                    if (!r.expectContinue()) {
                        in.skipNBytes(r.contentLength()); // read the body so the client sees the answer
                    }
                    errorsSent.incrementAndGet();
                    byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + errorCode
                            + "</Code><Message>injected by the test's fault proxy</Message>"
                            + "<RequestId>FAULT" + errorsSent.get() + "</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
                    synchronized (out) {
                        out.write(("HTTP/1.1 " + errorStatus + " Injected\r\nContent-Type: application/xml\r\n"
                                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                        out.write(body);
                        out.flush();
                    }
                    return;
                }
                if (upstream == null) {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                    Socket up = upstream;
                    Thread pump = new Thread(() -> pumpResponses(up, client, out), "fault-proxy-pump");
                    pump.setDaemon(true);
                    pump.start();
                }
                OutputStream up = upstream.getOutputStream();
                up.write(r.head());
                boolean cut = cutFilter.test(r) && take(cutsArmed);
                long body = cut ? Math.min(cutAfter, r.contentLength()) : r.contentLength();
                boolean corrupt = !cut && body > 0 && corruptFilter.test(r) && take(corruptionsArmed);
                MessageDigest md5 = md5();
                copy(in, up, body, md5, corrupt ? body / 2 : -1);
                up.flush();
                if (corrupt) {
                    corruptionsDone.incrementAndGet();
                }
                if (!cut) {
                    forwarded.add(new Forwarded(r, Base64.getEncoder().encodeToString(md5.digest())));
                }
                if (cut) {
                    cutsDone.incrementAndGet();
                    client.setSoLinger(true, 0); // a reset, as a dropped network gives
                    upstream.setSoLinger(true, 0);
                    return;
                }
            }
        } catch (IOException e) {
            // the client or the server went away: so does this connection
        } finally {
            if (upstream != null) {
                try {
                    upstream.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }

    private static boolean take(AtomicInteger armed) {
        return armed.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    private static void pumpResponses(Socket upstream, Socket client, OutputStream out) {
        byte[] buf = new byte[64 << 10];
        try {
            InputStream in = upstream.getInputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                synchronized (out) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // connection over
        } finally {
            try {
                client.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Copies {@code n} bytes, feeding {@code digest} with them as read; the byte at {@code flipAt}
     * (if not negative) is inverted on the way out.
     */
    private static void copy(InputStream in, OutputStream out, long n, MessageDigest digest, long flipAt)
            throws IOException {
        byte[] buf = new byte[64 << 10];
        long pos = 0;
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new IOException("client closed mid-body");
            }
            digest.update(buf, 0, r);
            if (flipAt >= pos && flipAt < pos + r) {
                buf[(int) (flipAt - pos)] ^= (byte) 0xff;
            }
            out.write(buf, 0, r);
            n -= r;
            pos += r;
        }
    }

    /** Reads a request head; null at a clean end of the connection. */
    private static Request readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new IOException("connection closed inside a request head");
            }
            head.write(b);
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
        }
        byte[] bytes = head.toByteArray();
        String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] first = lines[0].split(" ");
        long length = 0;
        boolean expect = false;
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            headers.put(name, value);
            if (name.equals("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equals("expect")) {
                expect = value.equalsIgnoreCase("100-continue");
            } else if (name.equals("transfer-encoding") && !value.equalsIgnoreCase("identity")) {
                throw new IOException("chunked request bodies are not supported by the fault proxy");
            }
        }
        return new Request(first[0], first[1], length, expect, bytes, headers);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
