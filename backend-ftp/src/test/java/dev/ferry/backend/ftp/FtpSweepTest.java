package dev.ferry.backend.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.Listings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Abandoned temporary files (issue 7): a listing that meets a {@code .ferry-*.partial} file
 * untouched for longer than {@code tempMaxAge} deletes it; a recent one (a live or resumable
 * transfer, whose journal touched it lately) stays. Neither is ever listed. On Apache FtpServer
 * (MLSD, times to the second) and vsftpd (LIST, times to the minute).
 */
class FtpSweepTest {

    private static final AtomicInteger DIRS = new AtomicInteger();

    @ParameterizedTest
    @ValueSource(strings = {"apache", "vsftpd"})
    void staleTemporaryFilesAreSweptRecentOnesKept(String name) throws Exception {
        TestServers.Server s = name.equals("vsftpd") ? TestServers.vsftpd() : TestServers.apachePlain();
        assumeThat(s).as("vsftpd is not installed (/usr/sbin/vsftpd missing; apt-get install vsftpd): skipped").isNotNull();
        String dirName = "sweep" + DIRS.incrementAndGet();
        Path dir = s.root().resolve(dirName);
        Files.createDirectories(dir);
        Path old = dir.resolve(".ferry-0123456789ab.video.mp4.partial");
        Path recent = dir.resolve(".ferry-abcdefghijkl.photo.jpg.partial");
        Path aged = dir.resolve(".ferry-zzzzzzzzzzzz.doc.txt.partial"); // 20 minutes: stale only for a 10-minute limit
        Path notOurs = dir.resolve(".ferry-notours.partial");
        for (Path p : new Path[] {old, recent, aged, notOurs}) {
            Files.write(p, new byte[100]);
        }
        Instant now = Instant.now();
        Files.setLastModifiedTime(old, FileTime.from(now.minus(Duration.ofHours(3))));
        Files.setLastModifiedTime(aged, FileTime.from(now.minus(Duration.ofMinutes(20))));
        Files.setLastModifiedTime(notOurs, FileTime.from(now.minus(Duration.ofDays(30))));
        Files.write(dir.resolve("kept.txt"), new byte[3]);
        if (name.equals("vsftpd")) {
            // vsftpd runs as the ftp user: the files must be its to delete.
            for (Path p : new Path[] {dir, old, recent, aged, notOurs, dir.resolve("kept.txt")}) {
                Files.setOwner(p, Files.getOwner(s.root()));
            }
        }
        String uri = s.scheme() + "://" + s.options().get("user") + "@127.0.0.1:" + s.port() + s.prefix() + "/" + dirName;

        try (SyncTarget t = SyncTargets.load().open(uri, new TreeMap<>(s.options()))) { // default tempMaxAge 1h
            assertThat(Listings.collect(t, "").names()).containsExactly(".ferry-notours.partial", "kept.txt");
        }
        assertThat(old).as("3 hours old: swept").doesNotExist();
        assertThat(recent).as("just written: kept").exists();
        assertThat(aged).as("20 minutes: kept under the 1h default").exists();
        assertThat(notOurs).as("not a Ferry temporary name: never touched").exists();

        Map<String, String> o = new TreeMap<>(s.options());
        o.put("tempMaxAge", "10m");
        try (SyncTarget t = SyncTargets.load().open(uri, o)) {
            assertThat(Listings.collect(t, "").names()).containsExactly(".ferry-notours.partial", "kept.txt");
        }
        assertThat(aged).as("20 minutes: swept with tempMaxAge=10m").doesNotExist();
        assertThat(recent).exists();
    }
}
