package dev.ferry.bench;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Starting and stopping a server process a pair runs on a loopback port. */
final class LoopbackServer {

    private LoopbackServer() {}

    /**
     * Waits until {@code server} accepts connections on 127.0.0.1:{@code port}.
     *
     * @throws IOException with the server's output ({@code log}) if it dies or takes longer than {@code timeout}
     */
    static void awaitListening(Process server, int port, Duration timeout, Path log, String name) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    stop(server);
                    throw new IOException(name + " did not start: " + Files.readString(log));
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", ie);
                }
            }
        }
    }

    /** Stops a server and the processes it forked; forcibly if it has not gone in 10 s. */
    static void stop(Process server) {
        try (Stream<ProcessHandle> children = server.descendants()) {
            children.forEach(ProcessHandle::destroy);
        }
        server.destroy();
        try {
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
