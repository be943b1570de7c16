package dev.ferry.testkit;

import dev.ferry.testkit.FaultPlan.Fault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP relay on 127.0.0.1 in front of a real server that injects the faults a server cannot be
 * made to produce on demand, on a seeded {@link FaultPlan}: a connection cut after some bytes (a
 * truncated request or response), a reset, a stall, a trickle, new connections refused for a
 * while; and, without a plan, the drop of a connection idle for too long (what a NAT does). It
 * knows no protocol but one trick: with {@link Builder#ftpPassive()} it rewrites the FTP control
 * connection's {@code 227}/{@code 229} replies so that data connections pass through it too (a
 * relay per data connection, under the same plan). Plain FTP only: TLS hides the replies.
 *
 * <p>Faults fall on the relayed-byte offsets of the plan, counted over every connection in both
 * directions while faults are {@linkplain #faultsOn(boolean) on}. One thread per direction per
 * connection; the client side of each connection is the caller's, so a test that closes its
 * target and then the proxy leaves nothing running.
 */
public final class FaultProxy implements AutoCloseable {

    private static final Pattern PASV = Pattern.compile("^227 .*?(\\d+),(\\d+),(\\d+),(\\d+),(\\d+),(\\d+).*$");
    private static final Pattern EPSV = Pattern.compile("^229 (.*)\\(\\|\\|\\|(\\d+)\\|\\)(.*)$");

    /** What the proxy did so far. */
    public record Counts(long bytesRelayed, int connections, Map<Fault, Integer> injected, int refused,
            int idleDrops, int commandLines) {
        /** Copies. */
        public Counts {
            injected = Map.copyOf(injected);
        }

        /** Faults of any kind injected. */
        public int faults() {
            return injected.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** Faults that ended a connection (cuts and resets). */
        public int destructive() {
            return injected.entrySet().stream().filter(e -> e.getKey().destructive()).mapToInt(Map.Entry::getValue).sum();
        }
    }

    /** Builds a proxy. */
    public static final class Builder {
        private final int upstreamPort;
        private FaultPlan plan;
        private boolean ftpPassive;
        private Duration idleDrop;

        private Builder(int upstreamPort) {
            this.upstreamPort = upstreamPort;
        }

        /** Injects faults on this plan (none without one). */
        public Builder plan(FaultPlan plan) {
            this.plan = plan;
            return this;
        }

        /** Relays FTP data connections too, by rewriting passive-mode replies. */
        public Builder ftpPassive() {
            this.ftpPassive = true;
            return this;
        }

        /** Drops a connection on which nothing moved either way for this long. */
        public Builder idleDrop(Duration idle) {
            this.idleDrop = idle;
            return this;
        }

        /** Starts listening on a free loopback port. */
        public FaultProxy start() throws IOException {
            return new FaultProxy(this);
        }
    }

    /** A proxy in front of {@code 127.0.0.1:upstreamPort}. */
    public static Builder to(int upstreamPort) {
        return new Builder(upstreamPort);
    }

    private final int upstreamPort;
    private final boolean ftpPassive;
    private final long idleMillis;
    private final ServerSocket listener;
    private final Object lock = new Object();
    private final FaultPlan.Schedule schedule;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final List<ServerSocket> dataListeners = new CopyOnWriteArrayList<>();
    private final Map<Fault, AtomicInteger> injected = new EnumMap<>(Fault.class);
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger idleDrops = new AtomicInteger();
    private final AtomicInteger commandLines = new AtomicInteger();
    private volatile boolean faultsOn = true;
    private volatile boolean destructiveOn = true;
    private volatile long refuseUntil;
    private volatile boolean closed;
    private long faultOffset; // bytes relayed while faults were on; guarded by lock

    private FaultProxy(Builder b) throws IOException {
        this.upstreamPort = b.upstreamPort;
        this.ftpPassive = b.ftpPassive;
        this.idleMillis = b.idleDrop == null ? 0 : b.idleDrop.toMillis();
        this.schedule = b.plan == null ? null : new FaultPlan.Schedule(b.plan);
        for (Fault f : Fault.values()) {
            injected.put(f, new AtomicInteger());
        }
        this.listener = listen();
        daemon(() -> accept(listener, upstreamPort, true, false), "fault-proxy-accept");
        if (idleMillis > 0) {
            daemon(this::watchIdle, "fault-proxy-idle");
        }
    }

    /** The port clients connect to (on 127.0.0.1). */
    public int port() {
        return listener.getLocalPort();
    }

    /** Turns fault injection on or off (on at start); while off, bytes do not advance the plan and nothing is refused. */
    public void faultsOn(boolean on) {
        faultsOn = on;
        if (!on) {
            refuseUntil = 0; // a refusal in force ends too
        }
    }

    /** Lets connection-ending faults happen (the default) or turns each into a stall. */
    public void destructiveOn(boolean on) {
        destructiveOn = on;
    }

    /** What the proxy did so far. */
    public Counts counts() {
        Map<Fault, Integer> m = new EnumMap<>(Fault.class);
        injected.forEach((k, v) -> m.put(k, v.get()));
        return new Counts(relayed.get(), connections.get(), m, refused.get(), idleDrops.get(), commandLines.get());
    }

    /** Connections open right now. */
    public int openConnections() {
        return links.size();
    }

    private static ServerSocket listen() throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        return s;
    }

    /** Accepts connections (just one for a data relay) and relays each to the upstream port. */
    private void accept(ServerSocket from, int toPort, boolean control, boolean once) {
        while (!closed && !from.isClosed()) {
            Socket client;
            try {
                client = from.accept();
            } catch (IOException e) {
                return;
            }
            if (System.currentTimeMillis() < refuseUntil) {
                refused.incrementAndGet();
                reset(client);
                if (once) {
                    closeQuietly(from);
                    return;
                }
                continue;
            }
            try {
                Socket server = new Socket(InetAddress.getLoopbackAddress(), toPort);
                Link link = new Link(client, server, control);
                links.add(link);
                connections.incrementAndGet();
                daemon(() -> pump(link, client, server, false), "fault-proxy-up");
                daemon(() -> pump(link, server, client, true), "fault-proxy-down");
            } catch (IOException e) {
                reset(client); // the server refused: so does the proxy
            }
            if (once) {
                closeQuietly(from);
                return;
            }
        }
    }

    /** One relayed connection. */
    private final class Link {
        final Socket client;
        final Socket server;
        final boolean control;
        final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
        volatile long slowLeft;

        Link(Socket client, Socket server, boolean control) {
            this.client = client;
            this.server = server;
            this.control = control;
        }

        void close() {
            closeQuietly(client);
            closeQuietly(server);
            links.remove(this);
        }
    }

    private void pump(Link link, Socket from, Socket to, boolean down) {
        byte[] buffer = new byte[16 << 10];
        ByteArrayOutputStream line = down && link.control && ftpPassive ? new ByteArrayOutputStream() : null;
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                link.lastActivity.set(System.nanoTime());
                if (!down && link.control) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            commandLines.incrementAndGet();
                        }
                    }
                }
                if (line == null) {
                    send(link, out, buffer, 0, n);
                } else {
                    relayLines(link, out, line, buffer, n);
                }
            }
        } catch (IOException e) {
            // one side went away (or a fault ended the connection): so does the other
        } finally {
            link.close();
        }
    }

    /** FTP control replies: whole lines, with passive-mode answers pointing at a data relay. */
    private void relayLines(Link link, OutputStream out, ByteArrayOutputStream line, byte[] b, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            line.write(b[i]);
            if (b[i] == '\n' || line.size() > 8192) {
                byte[] bytes = rewrite(line.toString(StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
                line.reset();
                send(link, out, bytes, 0, bytes.length);
            }
        }
    }

    private String rewrite(String reply) throws IOException {
        String body = reply.stripTrailing();
        Matcher m = PASV.matcher(body);
        if (m.matches()) {
            int port = dataRelay(Integer.parseInt(m.group(5)) * 256 + Integer.parseInt(m.group(6)));
            return "227 Entering Passive Mode (127,0,0,1," + (port >> 8) + "," + (port & 0xff) + ")\r\n";
        }
        m = EPSV.matcher(body);
        if (m.matches()) {
            int port = dataRelay(Integer.parseInt(m.group(2)));
            return "229 " + m.group(1) + "(|||" + port + "|)" + m.group(3) + "\r\n";
        }
        return reply;
    }

    private int dataRelay(int serverPort) throws IOException {
        ServerSocket s = listen();
        s.setSoTimeout(60_000);
        dataListeners.add(s);
        daemon(() -> {
            accept(s, serverPort, false, true);
            dataListeners.remove(s);
        }, "fault-proxy-data");
        return s.getLocalPort();
    }

    /** Writes bytes on, applying every fault that falls inside them at its offset. */
    private void send(Link link, OutputStream out, byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int take = len;
            FaultPlan.Scheduled due = null;
            if (schedule != null && faultsOn) {
                synchronized (lock) {
                    long room = schedule.nextOffset() - faultOffset;
                    if (room <= len) {
                        take = (int) Math.max(0, room);
                        due = schedule.take();
                    }
                    faultOffset += take;
                }
            }
            throttle(link, take);
            out.write(b, off, take);
            out.flush();
            relayed.addAndGet(take);
            off += take;
            len -= take;
            if (due != null) {
                apply(link, due.fault().destructive() && !destructiveOn ? Fault.STALL : due.fault());
            }
        }
    }

    private void throttle(Link link, int n) throws IOException {
        FaultPlan plan = schedule == null ? null : schedulePlan();
        if (link.slowLeft <= 0 || plan == null || n == 0) {
            return;
        }
        link.slowLeft -= n;
        sleep(Duration.ofNanos(n * 1_000_000_000L / plan.slowRate()));
    }

    private FaultPlan schedulePlan() {
        return schedule.plan();
    }

    private void apply(Link link, Fault fault) throws IOException {
        injected.get(fault).incrementAndGet();
        FaultPlan plan = schedulePlan();
        switch (fault) {
            case CUT -> {
                link.close();
                throw new IOException("cut by the fault plan");
            }
            case RESET -> {
                reset(link.client);
                reset(link.server);
                link.close();
                throw new IOException("reset by the fault plan");
            }
            case STALL -> sleep(plan.stall());
            case SLOW -> link.slowLeft = plan.slowBytes();
            case REFUSE -> refuseUntil = System.currentTimeMillis() + plan.refuseFor().toMillis();
        }
    }

    private void watchIdle() {
        while (!closed) {
            long now = System.nanoTime();
            for (Link l : links) {
                if ((now - l.lastActivity.get()) / 1_000_000 > idleMillis) {
                    idleDrops.incrementAndGet();
                    l.close();
                }
            }
            sleep(Duration.ofMillis(50));
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException e) {
            // closing anyway
        }
        closeQuietly(s);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing anyway
        }
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    /** Stops listening and closes every relayed connection. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        dataListeners.forEach(FaultProxy::closeQuietly);
        links.forEach(Link::close);
    }
}
