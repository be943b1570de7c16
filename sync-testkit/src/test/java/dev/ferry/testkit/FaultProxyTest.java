package dev.ferry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testkit.FaultPlan.Fault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The shared proxy against a loopback server that sends a fixed stream of bytes per connection. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FaultProxyTest {

    private ServerSocket server;
    private volatile byte[] payload = new byte[1 << 20];

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write(payload);
                } catch (IOException e) {
                    // next
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private static byte[] readAll(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port); InputStream in = s.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] b = new byte[8192];
            try {
                for (int n; (n = in.read(b)) >= 0; ) {
                    out.write(b, 0, n);
                }
            } catch (IOException e) {
                // a reset: what arrived is what counts
            }
            return out.toByteArray();
        }
    }

    @Test
    void theSameSeedGivesTheSameSchedule() {
        FaultPlan a = FaultPlan.every(7, 100_000, 400_000, 1_000_000);
        assertThat(a.preview(50)).isEqualTo(FaultPlan.every(7, 100_000, 400_000, 1_000_000).preview(50));
        assertThat(a.preview(50)).isNotEqualTo(FaultPlan.every(8, 100_000, 400_000, 1_000_000).preview(50));
        long last = -1_000_000;
        for (FaultPlan.Scheduled s : a.preview(200)) {
            if (s.fault().destructive()) {
                assertThat(s.offset() - last).as("destructive faults stay apart").isGreaterThanOrEqualTo(1_000_000);
                last = s.offset();
            }
        }
    }

    @Test
    void aCutTruncatesTheResponseAtItsOffset() throws IOException {
        try (FaultProxy p = FaultProxy.to(server.getLocalPort()).plan(FaultPlan.every(1, 300_000, 300_000, 0)
                .withKinds(Fault.CUT)).start()) {
            assertThat(readAll(p.port())).hasSize(300_000);
            assertThat(readAll(p.port())).as("the next cut is 300,000 bytes later").hasSize(300_000);
            assertThat(p.counts().injected().get(Fault.CUT)).isEqualTo(2);
            p.faultsOn(false);
            assertThat(readAll(p.port())).hasSize(1 << 20);
        }
    }

    @Test
    void stallsAndSlowdownsDelayButDeliverEverything() throws IOException {
        try (FaultProxy p = FaultProxy.to(server.getLocalPort()).plan(FaultPlan.every(2, 100_000, 200_000, 0)
                .withKinds(Fault.STALL, Fault.SLOW)).start()) {
            long t0 = System.nanoTime();
            assertThat(readAll(p.port())).isEqualTo(payload);
            assertThat(p.counts().faults()).isBetween(5, 10);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(40));
        }
    }

    @Test
    void aRefusalRefusesTheNextConnections() throws IOException {
        try (FaultProxy p = FaultProxy.to(server.getLocalPort()).plan(new FaultPlan(3, 1000, 1000, 0,
                java.util.List.of(Fault.REFUSE), Duration.ZERO, 1, 1, Duration.ofSeconds(5))).start()) {
            assertThat(readAll(p.port())).hasSize(1 << 20);
            assertThat(readAll(p.port())).as("refused").isEmpty();
            assertThat(p.counts().refused()).isEqualTo(1);
        }
    }

    @Test
    void anIdleConnectionIsDropped() throws Exception {
        payload = new byte[0];
        try (ServerSocket quiet = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                FaultProxy p = FaultProxy.to(quiet.getLocalPort()).idleDrop(Duration.ofMillis(200)).start();
                Socket s = new Socket(InetAddress.getLoopbackAddress(), p.port())) {
            s.getOutputStream().write("NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(s.getInputStream().read()).as("closed by the proxy").isEqualTo(-1);
            assertThat(p.counts().idleDrops()).isEqualTo(1);
            assertThat(p.counts().commandLines()).isEqualTo(1);
        }
    }

    @Test
    void passiveRepliesPointAtADataRelay() throws Exception {
        try (ServerSocket data = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                ServerSocket control = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            int dp = data.getLocalPort();
            Thread t = new Thread(() -> {
                try (Socket c = control.accept(); OutputStream out = c.getOutputStream()) {
                    out.write(("227 Entering Passive Mode (127,0,0,1," + (dp >> 8) + "," + (dp & 0xff) + ").\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    try (Socket d = data.accept(); OutputStream dout = d.getOutputStream()) {
                        dout.write("hello".getBytes(StandardCharsets.US_ASCII));
                    }
                    c.getInputStream().read();
                } catch (IOException e) {
                    // test over
                }
            });
            t.setDaemon(true);
            t.start();
            try (FaultProxy p = FaultProxy.to(control.getLocalPort()).ftpPassive().start();
                    Socket c = new Socket(InetAddress.getLoopbackAddress(), p.port())) {
                String reply = new String(c.getInputStream().readNBytes(20), StandardCharsets.US_ASCII);
                StringBuilder rest = new StringBuilder(reply);
                for (int b; !rest.toString().endsWith("\n") && (b = c.getInputStream().read()) >= 0; ) {
                    rest.append((char) b);
                }
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\((\\d+),(\\d+),(\\d+),(\\d+),(\\d+),(\\d+)\\)")
                        .matcher(rest);
                assertThat(m.find()).as(rest.toString()).isTrue();
                int port = Integer.parseInt(m.group(5)) * 256 + Integer.parseInt(m.group(6));
                assertThat(port).isNotEqualTo(dp);
                assertThat(new String(readAll(port), StandardCharsets.US_ASCII)).isEqualTo("hello");
                assertThat(p.counts().connections()).isEqualTo(2);
            }
        }
    }
}
