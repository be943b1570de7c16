package dev.ferry.backend.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.ferry.api.ListingNotice;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncReport;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.Listings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile SFTP server (in-process Apache MINA SSHD; no real server lists such names): its
 * listing names {@code ../evil}, {@code ..}, {@code /etc/passwd}, {@code a/b}, a name with NUL and
 * one over 4 KiB, and it announces sizes its files do not have. A sync from it into a local folder
 * never writes outside the folder, reports each bad name as a notice naming it, and never leaves a
 * half-written file under a final name.
 */
class SftpHostileServerTest {

    /** Files on the server's disk, listed under the hostile name they map to. */
    private static final Map<String, String> HOSTILE = Map.of(
            "h1", "../evil", "h2", "..", "h3", "/etc/passwd", "h4", "a/b", "h5", "nul\0name", "h6", "n".repeat(5000));

    @TempDir
    Path dir;

    private MinaSftpServer server;
    /** Sizes announced instead of the true ones, by file name. */
    private final Map<String, Long> lies = new TreeMap<>();

    @BeforeEach
    void start() throws Exception {
        Path data = Files.createDirectories(dir.resolve("root/data"));
        Files.writeString(data.resolve("ok.txt"), "fine");
        for (String f : HOSTILE.keySet()) {
            Files.writeString(data.resolve(f), "hostile " + f);
        }
        server = MinaSftpServer.start(dir, new SftpFileSystemAccessor() {
            @Override
            public void putRemoteFileName(SftpSubsystemProxy proxy, Path path, Buffer buf, String name, boolean shortName)
                    throws IOException {
                SftpFileSystemAccessor.super.putRemoteFileName(proxy, path, buf, HOSTILE.getOrDefault(name, name), shortName);
            }

            @Override
            public NavigableMap<String, Object> resolveReportedFileAttributes(SftpSubsystemProxy proxy, Path file, int flags,
                    NavigableMap<String, Object> attrs, LinkOption... options) throws IOException {
                Long lie = lies.get(file.getFileName() == null ? "" : file.getFileName().toString());
                if (lie != null && attrs.containsKey("size")) {
                    attrs.put("size", lie);
                }
                return SftpFileSystemAccessor.super.resolveReportedFileAttributes(proxy, file, flags, attrs, options);
            }
        });
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private SyncTarget open() throws IOException {
        return server.open();
    }

    /** Every file below {@code dir} but the server's own, as paths relative to {@code dir}. */
    private List<String> writtenOutsideServer() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                    .filter(p -> !p.startsWith("root/") && !p.equals("hostkey.ser") && !p.equals("known_hosts")).toList();
        }
    }

    @Test
    void hostileNamesAreNoticesNamingTheEntryAndASyncWritesOnlyTheGoodFileInsideTheRoot() throws Exception {
        try (SyncTarget t = open()) {
            Listings.Result r = Listings.collect(t, SyncPath.ROOT);
            String longName = HOSTILE.get("h6");
            // A name over 4 KiB is a legal path to Ferry (no length limit in SyncPath): it is
            // listed, and writing it locally fails with the OS's "name too long", reported below.
            assertThat(r.names()).containsExactlyInAnyOrder("ok.txt", longName);
            assertThat(r.notices()).allMatch(n -> n.reason() == ListingNotice.Reason.HOSTILE_NAME)
                    .extracting(ListingNotice::location)
                    .containsExactlyInAnyOrder("../evil", "/etc/passwd", "a/b", "nul\0name");

            Path dest = dir.resolve("dest");
            SyncReport report;
            try (SyncTarget d = SyncTargets.load().open(dest.toString())) {
                report = Sync.between(t, d, SyncOptions.defaults()).run();
            }
            assertThat(writtenOutsideServer()).containsExactly("dest/ok.txt");
            assertThat(dest.resolve("ok.txt")).hasContent("fine");
            assertThat(report.succeeded()).isFalse();
            assertThat(report.failures()).extracting(Object::toString).anyMatch(f -> f.contains(longName));
        }
        assertThat(Path.of("/etc/passwd")).content().doesNotContain("hostile");
    }

    @Test
    void aServerAnnouncingMoreOrFewerBytesThanItSendsLeavesNoFileUnderTheFinalName() throws Exception {
        for (String f : HOSTILE.keySet()) {
            Files.delete(dir.resolve("root/data").resolve(f));
        }
        Files.write(dir.resolve("root/data/more.bin"), new byte[100_000]);
        Files.write(dir.resolve("root/data/fewer.bin"), new byte[100_000]);
        lies.put("more.bin", 200_000L);
        lies.put("fewer.bin", 50_000L);
        Path dest = dir.resolve("dest");
        Throwable failure;
        try (SyncTarget t = open(); SyncTarget d = SyncTargets.load().open(dest.toString())) {
            assertThat(Listings.collect(t, SyncPath.ROOT).entries()).extracting(e -> e.path().toString() + "=" + e.size())
                    .contains("more.bin=200000", "fewer.bin=50000");
            failure = catchThrowable(() -> Sync.between(t, d, SyncOptions.defaults()).run());
        }
        assertThat(dest.resolve("ok.txt")).hasContent("fine");
        assertThat(dest.resolve("more.bin")).as("announced 200,000 bytes, sent 100,000 (failure: %s)", failure).doesNotExist();
        assertThat(dest.resolve("fewer.bin")).as("announced 50,000 bytes, sent 100,000 (failure: %s)", failure).doesNotExist();
        assertThat(writtenOutsideServer()).as("no temporary file left either").containsExactly("dest/ok.txt");
    }
}
