package dev.ferry.backend.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.Hasher;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.core.CompareMode;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncReport;
import dev.ferry.testkit.TestContent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.EnumSet;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-side hashes on a real daemon: ProFTPD 1.3.8 with mod_digest (Debian
 * {@code proftpd-core}) advertises {@code HASH CRC32;MD5;SHA-1*;SHA-256;SHA-512}, XCRC, XMD5,
 * XSHA1, XSHA256. The backend must take the hashes from the server (no download), and the
 * engine's checksum comparison must use them. Also: with its default {@code AllowStoreRestart off}
 * ProFTPD advertises REST STREAM but refuses APPE and REST + STOR (451), so resumable writes and
 * appends must not be offered there, and large uploads go in one piece. Skipped where ProFTPD
 * or its mod_digest is not found (see {@link TestServers#PROFTPD}).
 */
class ProftpdHashTest {

    private static final AtomicInteger DIRS = new AtomicInteger();

    @TempDir
    Path tmp;

    private static TestServers.Server server() throws Exception {
        TestServers.Server s = TestServers.proftpd();
        assumeThat(s).as("ProFTPD with mod_digest is not installed (Debian proftpd-core, unpacked to /opt/ferry-proftpd where vsftpd is installed; see TestServers.PROFTPD): "
                + "the server-side hash tests are skipped").isNotNull();
        return s;
    }

    private static String uri(TestServers.Server s, String dir) {
        return "ftp://anonymous@127.0.0.1:" + s.port() + "/" + dir;
    }

    @Test
    void hashesComeFromTheServer() throws Exception {
        TestServers.Server s = server();
        String dir = "hash" + DIRS.incrementAndGet();
        byte[] data = TestContent.bytes(11, 300_000);
        Path onDisk = s.root().resolve(dir).resolve("data.bin");
        try (SyncTarget t = SyncTargets.load().open(uri(s, dir), new TreeMap<>(s.options()))) {
            t.write(SyncPath.of("data.bin"), new java.io.ByteArrayInputStream(data), dev.ferry.api.WriteHints.ofSize(data.length));
            assertThat(t.capabilities().hashes()).containsAll(EnumSet.of(HashAlgorithm.MD5, HashAlgorithm.SHA1,
                    HashAlgorithm.SHA256, HashAlgorithm.CRC32));
            Hasher h = t.ability(Hasher.class).orElseThrow();
            for (HashAlgorithm a : EnumSet.of(HashAlgorithm.MD5, HashAlgorithm.SHA1, HashAlgorithm.SHA256, HashAlgorithm.CRC32)) {
                assertThat(h.hash(SyncPath.of("data.bin"), a)).as(a.toString()).contains(TestContent.hash(a, data));
            }
            // The server hashes what is on its disk: change it there, behind the backend's back,
            // and the answer follows. A backend that cached or hashed what it sent could not.
            byte[] other = TestContent.bytes(12, 300_000);
            Files.write(onDisk, other);
            // mod_digest caches digests by path, size and mtime (DigestCache, on by default): a
            // same-size rewrite within the same second would still get the old answer.
            Files.setLastModifiedTime(onDisk, FileTime.from(Instant.now().plusSeconds(5)));
            assertThat(h.hash(SyncPath.of("data.bin"), HashAlgorithm.SHA256)).contains(TestContent.hash(HashAlgorithm.SHA256, other));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.hash(SyncPath.of("missing.bin"), HashAlgorithm.MD5))
                    .isInstanceOf(dev.ferry.api.NotFoundException.class);
        }
    }

    @Test
    void checksumComparisonUsesTheServersHashes() throws Exception {
        TestServers.Server s = server();
        String dir = "cmp" + DIRS.incrementAndGet();
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = Files.createDirectories(s.root().resolve(dir));
        Instant time = Instant.parse("2020-01-02T03:04:05Z");
        // Same size and time, different content: only a hash tells them apart.
        Files.write(src.resolve("differs.bin"), TestContent.bytes(1, 50_000));
        Files.write(dst.resolve("differs.bin"), TestContent.bytes(2, 50_000));
        // Same content, different time: equal by hash, nothing to send.
        Files.write(src.resolve("same.bin"), TestContent.bytes(3, 70_000));
        Files.write(dst.resolve("same.bin"), TestContent.bytes(3, 70_000));
        Files.setLastModifiedTime(src.resolve("differs.bin"), FileTime.from(time));
        Files.setLastModifiedTime(dst.resolve("differs.bin"), FileTime.from(time));
        Files.setLastModifiedTime(src.resolve("same.bin"), FileTime.from(time));
        Files.setLastModifiedTime(dst.resolve("same.bin"), FileTime.from(time.plusSeconds(3600)));
        var ftpUser = Files.getOwner(s.root());
        for (Path p : new Path[] {dst, dst.resolve("differs.bin"), dst.resolve("same.bin")}) {
            Files.setOwner(p, ftpUser);
        }
        try (SyncTarget from = SyncTargets.load().open(src.toString());
                SyncTarget to = SyncTargets.load().open(uri(s, dir), new TreeMap<>(s.options()))) {
            SyncReport r = Sync.between(from, to, SyncOptions.builder().compare(CompareMode.CHECKSUM)
                    .stateDirectory(tmp.resolve("state")).build()).run();
            assertThat(r.failures()).isEmpty();
            assertThat(r.filesCopied()).as("only the file whose server hash differs").isEqualTo(1);
            assertThat(r.bytesCopied()).isEqualTo(50_000);
        }
        assertThat(Files.readAllBytes(dst.resolve("differs.bin"))).isEqualTo(TestContent.bytes(1, 50_000));
    }

    @Test
    void storeRestartRefusedByDefaultSoUploadsAreNotResumable() throws Exception {
        TestServers.Server s = server();
        String dir = "norestart" + DIRS.incrementAndGet();
        Path src = Files.createDirectories(tmp.resolve("src"));
        long size = 9L << 20; // above the engine's 8 MiB threshold for resumable writes
        try (java.io.InputStream in = TestContent.stream(4, size)) {
            Files.copy(in, src.resolve("big.bin"));
        }
        try (SyncTarget from = SyncTargets.load().open(src.toString());
                SyncTarget to = SyncTargets.load().open(uri(s, dir), new TreeMap<>(s.options()))) {
            assertThat(to.ability(dev.ferry.api.ResumableWriter.class)).isEmpty();
            assertThat(to.ability(dev.ferry.api.Appender.class)).isEmpty();
            SyncReport r = Sync.between(from, to, SyncOptions.builder().stateDirectory(tmp.resolve("state")).build()).run();
            assertThat(r.failures()).isEmpty();
        }
        assertThat(Files.size(s.root().resolve(dir).resolve("big.bin"))).isEqualTo(size);
    }
}
