package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.InvalidTargetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairStoreTest {

    @TempDir
    Path tmp;

    private static final String EXISTING = """
            # my remotes
            [photos-ftp]
            url = ftp://me@127.0.0.1/photos
            password = env:PHOTOS_PW

            ; trailing comment
            """;

    @Test
    void addListRemoveKeepsTheRestOfTheFileAsWritten() throws IOException {
        Path conf = tmp.resolve("ferry.conf");
        Files.writeString(conf, EXISTING);
        PairStore store = PairStore.at(conf);
        store.add(new SyncPair("data", "/data", "s3://bucket/sync/me/data", List.of("-*.tmp", "+**"),
                SyncMode.MIRROR, false, Optional.of("env:FERRY_PW")), false);
        store.add(SyncPair.of("default", "/home/me", "s3://bucket/sync/me/default"), false);

        List<SyncPair> pairs = store.list();
        assertThat(pairs).extracting(SyncPair::line).containsExactly(
                "data: /data <-> s3://bucket/sync/me/data", "default: /home/me <-> s3://bucket/sync/me/default");
        SyncPair data = pairs.get(0);
        assertThat(data.filters()).containsExactly("-*.tmp", "+**");
        assertThat(data.pull()).isEqualTo(SyncMode.MIRROR);
        assertThat(data.keepModes()).isFalse();
        assertThat(data.passphrase()).contains("env:FERRY_PW");
        assertThat(data.toString()).doesNotContain("FERRY_PW");
        assertThat(pairs.get(1).keepModes()).isTrue();

        // The remotes still read, comments kept.
        assertThat(RemotesConfig.read(conf).names()).containsExactly("photos-ftp");
        assertThat(Files.readString(conf)).startsWith(EXISTING.strip().lines().findFirst().get())
                .contains("; trailing comment");

        assertThat(store.remove("data")).isTrue();
        assertThat(store.remove("data")).isFalse();
        assertThat(store.remove("default")).isTrue();
        assertThat(Files.readString(conf)).isEqualTo(EXISTING);
    }

    @Test
    void writesAreOwnerOnlyAndLeaveNoTemporaryFile() throws IOException {
        Path conf = tmp.resolve("sub/ferry.conf");
        PairStore.at(conf).add(SyncPair.of("docs", "/docs", "s3://b/docs"), false);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf.getParent()))).isEqualTo("rwx------");
        try (var files = Files.list(conf.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("ferry.conf", ".ferry.conf.lock");
        }
    }

    @Test
    void duplicatesUnknownNamesPlainPassphrasesAndDamageAreClearErrors() throws IOException {
        Path conf = tmp.resolve("ferry.conf");
        PairStore store = PairStore.at(conf);
        store.add(SyncPair.of("docs", "/docs", "s3://b/docs"), false);
        assertThatThrownBy(() -> store.add(SyncPair.of("docs", "/other", "s3://b/other"), false))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("'docs' exists already")
                .hasMessageContaining(conf + ":1");
        assertThatThrownBy(() -> store.require("nope")).hasMessageContaining("no sync pair named 'nope'")
                .hasMessageContaining("pairs: docs");
        assertThatThrownBy(() -> store.add(new SyncPair("secret", "/s", "s3://b/s", List.of(), SyncMode.COPY, true,
                Optional.of("hunter2")), false)).hasMessageContaining("plain text").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> store.add(SyncPair.of("rel", "relative/dir", "s3://b/r"), false))
                .hasMessageContaining("absolute path");
        String before = Files.readString(conf);
        Files.writeString(conf, before + "[pair broken]\nlocal = /x\nremote = s3://b/x\nfilter = *.tmp\n");
        assertThatThrownBy(store::list).hasMessageContaining(conf + ":9").hasMessageContaining("'+ GLOB' or '- GLOB'");
        Files.writeString(conf, before + "[pair two words here]\n");
        String damaged = Files.readString(conf);
        assertThatThrownBy(() -> store.add(SyncPair.of("new", "/n", "s3://b/n"), false))
                .hasMessageContaining(conf + ":6");
        assertThat(Files.readString(conf)).as("a damaged file is not rewritten").isEqualTo(damaged);
    }

    @Test
    void theDefaultRootGivesRemotesForNewPairs() throws IOException {
        PairStore store = PairStore.at(tmp.resolve("ferry.conf"));
        assertThatThrownBy(() -> store.remoteFor("data")).hasMessageContaining("ferry pair default");
        store.setDefaultRoot("s3://bucket/sync/me");
        assertThat(store.remoteFor("data")).isEqualTo("s3://bucket/sync/me/data");
        store.setDefaultRoot("backup:");
        assertThat(store.remoteFor("data")).isEqualTo("backup:data");
        assertThat(Files.readString(tmp.resolve("ferry.conf"))).containsOnlyOnce("root =");
    }

    @Test
    void remotesAreAddedAndRemovedWithoutPlainSecrets() throws IOException {
        Path conf = tmp.resolve("ferry.conf");
        RemoteStore remotes = RemoteStore.at(conf);
        remotes.add("archive", "s3://bucket/archive", Map.of("secret_key", "env:S3_SECRET"), false);
        assertThatThrownBy(() -> remotes.add("ftp2", "ftp://me:hunter2@127.0.0.1/", Map.of(), false))
                .hasMessageContaining("password").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> remotes.add("ftp3", "ftp://me@127.0.0.1/", Map.of("password", "hunter2"), false))
                .hasMessageContaining("env:VARIABLE").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> remotes.add("archive", "s3://b/x", Map.of(), false)).hasMessageContaining("exists");
        assertThat(RemotesConfig.read(conf).names()).containsExactly("archive");
        assertThat(remotes.remove("archive")).isTrue();
        assertThat(RemotesConfig.read(conf).names()).isEmpty();
    }

    /** Two processes adding pairs at once: every pair lands (the lock serialises read-modify-write). */
    @Test
    void concurrentAddsFromTwoProcessesLoseNothing() throws Exception {
        Path conf = tmp.resolve("ferry.conf");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> procs = new ArrayList<>();
        for (String who : List.of("a", "b")) {
            procs.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Adder.class.getName(),
                    conf.toString(), who, "15").redirectErrorStream(true).start());
        }
        for (Process p : procs) {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
        }
        assertThat(PairStore.at(conf).list()).hasSize(30);
    }

    /** The child process of {@link #concurrentAddsFromTwoProcessesLoseNothing}. */
    public static final class Adder {
        public static void main(String[] args) throws IOException {
            PairStore store = PairStore.at(Path.of(args[0]));
            for (int i = 0; i < Integer.parseInt(args[2]); i++) {
                store.add(SyncPair.of(args[1] + i, "/d/" + args[1] + i, "s3://b/" + args[1] + i), false);
            }
        }
    }
}
