package dev.ferry.backend.ftp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay in front of an FTP server's control port that drops a connection on which
 * nothing moved in either direction for {@code idleMillis}, as a NAT or stateful firewall does.
 * Data connections do not pass through it (the PASV reply names the server itself), so a long
 * transfer leaves the relayed control connection idle. It also counts the commands clients send,
 * for tests that measure round trips.
 */
final class IdleDroppingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final long idleMillis;
    private final List<Pair> pairs = new CopyOnWriteArrayList<>();
    private final AtomicInteger drops = new AtomicInteger();
    private final AtomicInteger commands = new AtomicInteger();
    private volatile boolean closed;

    private final class Pair {
        final Socket client;
        final Socket server;
        final AtomicLong lastActivity = new AtomicLong(System.nanoTime());

        Pair(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void close() {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    IdleDroppingProxy(int targetPort, long idleMillis) throws IOException {
        this.targetPort = targetPort;
        this.idleMillis = idleMillis;
        this.listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        daemon(this::accept, "proxy-accept");
        daemon(this::watch, "proxy-watchdog");
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Lines sent from clients to the server so far: the FTP commands, on every connection. */
    int commands() {
        return commands.get();
    }

    /** Connections closed for being idle. */
    int drops() {
        return drops.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket("127.0.0.1", targetPort);
                Pair p = new Pair(client, server);
                pairs.add(p);
                daemon(() -> pump(p, client, server), "proxy-up");
                daemon(() -> pump(p, server, client), "proxy-down");
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Pair p, Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                p.lastActivity.set(System.nanoTime());
                if (from == p.client) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            commands.incrementAndGet();
                        }
                    }
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away: drop the pair
        } finally {
            p.close();
            pairs.remove(p);
        }
    }

    private void watch() {
        while (!closed) {
            long now = System.nanoTime();
            for (Pair p : pairs) {
                if ((now - p.lastActivity.get()) / 1_000_000 > idleMillis) {
                    drops.incrementAndGet();
                    pairs.remove(p);
                    p.close();
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(new Socket());
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        pairs.forEach(Pair::close);
    }
}
