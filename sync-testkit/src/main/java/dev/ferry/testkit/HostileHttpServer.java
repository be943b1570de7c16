package dev.ferry.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake HTTP server on 127.0.0.1 for the answers no honest server gives, shared by the hostile
 * tests of the HTTP backends (Syncthing's REST API, Emoncms): routes by path, and the usual kinds
 * of bad reply ready made: a JSON reply that never ends, one that sends its headers and then
 * stalls, a body shorter or longer than its {@code Content-Length}. Each counts the bytes it
 * managed to send, so a test can show the client stopped reading early.
 */
public final class HostileHttpServer implements AutoCloseable {

    /** Answers one request. */
    @FunctionalInterface
    public interface Route {
        /** Writes the whole answer. */
        void answer(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hostile-http");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final AtomicLong endlessBytes = new AtomicLong();

    private HostileHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(workers);
        server.createContext("/", this::dispatch);
        server.start();
    }

    /** Starts a server with no routes (every path answers 404). */
    public static HostileHttpServer start() throws IOException {
        return new HostileHttpServer();
    }

    /** Answers requests whose path is {@code path} (exactly, without the query) with {@code route}. */
    public HostileHttpServer route(String path, Route route) {
        routes.put(path, route);
        return this;
    }

    /** {@code http://127.0.0.1:PORT/}. */
    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** The port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Bytes the endless replies sent so far (over every request). */
    public long endlessBytesSent() {
        return endlessBytes.get();
    }

    /**
     * Runs {@code call}, which meets an {@link #endlessJson endless reply}: it must fail, and the
     * client must have stopped reading before the server sent 64 MiB. Prints the figure under
     * {@code what}; returns the failure for the caller's checks of its type and message.
     */
    public Throwable refusesEndless(String what, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        long t0 = System.nanoTime();
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(call);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("[reliability] %s: refused after %d ms, %d MiB sent by the server%n", what, ms, endlessBytes.get() >> 20);
        org.assertj.core.api.Assertions.assertThat(failure).as("%s fails", what).isNotNull();
        org.assertj.core.api.Assertions.assertThat(endlessBytes.get()).as("the client stopped reading soon after its limit")
                .isLessThan(64L << 20);
        return failure;
    }

    private void dispatch(HttpExchange x) throws IOException {
        try (x) {
            x.getRequestBody().transferTo(OutputStream.nullOutputStream());
            Route r = routes.get(x.getRequestURI().getPath());
            if (r == null) {
                x.sendResponseHeaders(404, -1);
                return;
            }
            r.answer(x);
        } catch (IOException e) {
            // the client hung up: what hostile replies are for
        }
    }

    // ---- ready-made answers ----

    /** A 200 JSON answer. */
    public static Route json(String body) {
        return x -> send(x, 200, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    /** A 200 answer with a body and content type. */
    public static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        x.getResponseBody().write(body);
    }

    /**
     * A chunked 200 JSON reply that never ends: {@code prefix}, then {@code element} again and
     * again (with commas) until the client hangs up.
     */
    public Route endlessJson(String prefix, String element) {
        return x -> {
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(200, 0);
            OutputStream out = x.getResponseBody();
            byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
            out.write(head);
            byte[] chunk = ("," + element).repeat(Math.max(1, 65536 / (element.length() + 1))).getBytes(StandardCharsets.UTF_8);
            out.write(element.getBytes(StandardCharsets.UTF_8));
            while (true) {
                out.write(chunk);
                endlessBytes.addAndGet(chunk.length);
            }
        };
    }

    /**
     * A 200 JSON reply that sends its headers and {@code start}, then nothing for {@code stall}
     * (or until the client hangs up).
     */
    public static Route stall(String start, Duration stall) {
        return stall("application/json", start, stall);
    }

    /** As {@link #stall(String, Duration)}, with another content type. */
    public static Route stall(String type, String start, Duration stall) {
        return x -> {
            x.getResponseHeaders().set("Content-Type", type);
            x.sendResponseHeaders(200, 0);
            x.getResponseBody().write(start.getBytes(StandardCharsets.UTF_8));
            x.getResponseBody().flush();
            try {
                Thread.sleep(stall.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** A 200 reply announcing {@code announced} bytes and sending {@code body} (fewer: the connection then ends). */
    public static Route lyingLength(String type, long announced, byte[] body) {
        return x -> {
            x.getResponseHeaders().set("Content-Type", type);
            x.sendResponseHeaders(200, announced);
            x.getResponseBody().write(body, 0, (int) Math.min(body.length, announced));
            x.getResponseBody().flush();
            // Fewer bytes than announced: the exchange is closed early by the caller's try.
        };
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
