package dev.ferry.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * TLS in front of a plain server that cannot speak it (PHP's built-in server): accepts TLS on a
 * free 127.0.0.1 port with the given server context and relays the plaintext to the upstream
 * port, one thread per direction per connection. Only the certificate is under test, so nothing
 * else is done to the bytes.
 */
public final class TlsRelay implements AutoCloseable {

    private final SSLServerSocket server;
    private final int upstreamPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private TlsRelay(SSLContext context, int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "tls-relay-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    /** Starts a relay presenting {@code context}'s certificate, forwarding to 127.0.0.1:{@code upstreamPort}. */
    public static TlsRelay start(SSLContext context, int upstreamPort) throws IOException {
        return new TlsRelay(context, upstreamPort);
    }

    /** The port clients connect to with TLS. */
    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // closed, or one client failed its handshake: the next one is served
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                byte[] buf = new byte[16384];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // a handshake the client refused, or the other side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tls-relay-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        open.forEach(TlsRelay::closeQuietly);
    }
}
