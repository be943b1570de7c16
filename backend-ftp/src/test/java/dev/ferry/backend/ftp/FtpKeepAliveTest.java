package dev.ferry.backend.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.api.WriteHints;
import dev.ferry.testkit.Listings;
import dev.ferry.testkit.TestContent;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keep-alive NOOPs on the control connection during long transfers. Apache FtpServer is reached
 * through {@link IdleDroppingProxy}, which drops a control connection idle for 0.8 s as a NAT
 * would; the transfers take about 2 s. With NOOPs every 200 ms they succeed; with keep-alive off
 * the same transfers fail, which shows the test can see the difference.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FtpKeepAliveTest {

    private static final AtomicInteger DIRS = new AtomicInteger();
    private static final int SIZE = 16 << 20;

    private static SyncTarget open(IdleDroppingProxy proxy, String dir, String keepAlive) throws Exception {
        TestServers.Server s = TestServers.apachePlain();
        Map<String, String> o = new TreeMap<>(s.options());
        o.put("keepAlive", keepAlive);
        return SyncTargets.load().open("ftp://" + o.get("user") + "@127.0.0.1:" + proxy.port() + "/" + dir, o);
    }

    /** Reads at about 8 MB/s: the server keeps the data connection busy for about 2 s. */
    private static String slowSha(InputStream in) throws IOException {
        return TestContent.sha256(new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                pause(8);
                return super.read(b, off, Math.min(len, 64 * 1024));
            }
        });
    }

    /** Delivered at about 4 MB/s. */
    private static InputStream slowSource(int size) {
        return new FilterInputStream(TestContent.stream(5, size)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                pause(16);
                return super.read(b, off, Math.min(len, 64 * 1024));
            }
        };
    }

    private static void pause(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException();
        }
    }

    private static Path fileOnServer(String dir) throws Exception {
        Path f = TestServers.apachePlain().root().resolve(dir).resolve("big.bin");
        Files.createDirectories(f.getParent());
        Files.write(f, TestContent.bytes(3, SIZE));
        return f;
    }

    @Test
    void aLongDownloadKeepsItsControlConnection() throws Exception {
        String dir = "ka" + DIRS.incrementAndGet();
        Path f = fileOnServer(dir);
        try (IdleDroppingProxy proxy = new IdleDroppingProxy(TestServers.apachePlain().port(), 800);
                SyncTarget t = open(proxy, dir, "200ms")) {
            String got;
            try (InputStream in = t.open(SyncPath.of("big.bin"), 0)) {
                got = slowSha(in);
            }
            assertThat(got).isEqualTo(TestContent.sha256(Files.newInputStream(f)));
            assertThat(proxy.drops()).as("control connections dropped for idleness").isZero();
            // The connection is still in step: the NOOP replies were read after the transfer's.
            assertThat(t.stat(SyncPath.of("big.bin")).orElseThrow().size()).isEqualTo(SIZE);
        }
    }

    @Test
    void withoutKeepAliveTheSameDownloadLosesItsControlConnection() throws Exception {
        String dir = "ka" + DIRS.incrementAndGet();
        fileOnServer(dir);
        try (IdleDroppingProxy proxy = new IdleDroppingProxy(TestServers.apachePlain().port(), 800);
                SyncTarget t = open(proxy, dir, "off")) {
            assertThatThrownBy(() -> {
                try (InputStream in = t.open(SyncPath.of("big.bin"), 0)) {
                    slowSha(in);
                }
            }).isInstanceOf(IOException.class);
            assertThat(proxy.drops()).isPositive();
        }
    }

    @Test
    void aLongUploadKeepsItsControlConnection() throws Exception {
        String dir = "ka" + DIRS.incrementAndGet();
        int size = 8 << 20;
        try (IdleDroppingProxy proxy = new IdleDroppingProxy(TestServers.apachePlain().port(), 800);
                SyncTarget t = open(proxy, dir, "200ms")) {
            t.write(SyncPath.of("up.bin"), slowSource(size), WriteHints.ofSize(size));
            assertThat(proxy.drops()).isZero();
            assertThat(TestContent.sha256(Files.newInputStream(TestServers.apachePlain().root().resolve(dir).resolve("up.bin"))))
                    .isEqualTo(TestContent.sha256(TestContent.stream(5, size)));
        }
        try (IdleDroppingProxy proxy = new IdleDroppingProxy(TestServers.apachePlain().port(), 800);
                SyncTarget t = open(proxy, dir, "off")) {
            assertThatThrownBy(() -> t.write(SyncPath.of("up2.bin"), slowSource(size), WriteHints.ofSize(size)))
                    .isInstanceOf(IOException.class);
            assertThat(proxy.drops()).isPositive();
            assertThat(TestServers.apachePlain().root().resolve(dir).resolve("up2.bin")).doesNotExist();
        }
    }

    /**
     * On real daemons that answer a NOOP only after the transfer (vsftpd, ProFTPD), the replies
     * are read afterwards and the connection stays in step: the next command gets its own reply.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"vsftpd", "proftpd"})
    void noopRepliesAreReadAfterTheTransferOnRealDaemons(String name) throws Exception {
        TestServers.Server s = name.equals("vsftpd") ? TestServers.vsftpd() : TestServers.proftpd();
        org.assertj.core.api.Assumptions.assumeThat(s).as(name + " is not installed: skipped").isNotNull();
        Map<String, String> o = new TreeMap<>(s.options());
        o.put("keepAlive", "100ms");
        o.put("connections", "1"); // one control connection: out of step would show at once
        int size = 3 << 20;
        try (SyncTarget t = SyncTargets.load().open(s.freshLocation().toString(), o)) {
            t.write(SyncPath.of("k.bin"), slowSource(size), WriteHints.ofSize(size));
            assertThat(t.stat(SyncPath.of("k.bin")).orElseThrow().size()).isEqualTo(size);
            String got;
            try (InputStream in = t.open(SyncPath.of("k.bin"), 0)) {
                got = slowSha(in);
            }
            assertThat(got).isEqualTo(TestContent.sha256(TestContent.stream(5, size)));
            assertThat(Listings.collect(t, "").names()).containsExactly("k.bin");
            assertThat(t.stat(SyncPath.of("k.bin")).orElseThrow().size()).isEqualTo(size);
        }
    }
}
