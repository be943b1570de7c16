package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry pair}, {@code push}, {@code pull}, {@code purge} and {@code remote} in-process, with
 * a local folder standing in for the remote (the same commands over S3 and FTP are the engine's
 * and backends' tests). No terminal is attached here, so every confirmation must be refused
 * without {@code --yes}; {@link PairConfirmationTerminalTest} answers them on a real terminal.
 */
class PairCommandsTest {

    @TempDir
    Path tmp;

    final Map<String, String> env = new HashMap<>();
    Path home;
    Path remoteRoot;
    Path conf;


    CliResult ferry(String... args) {
        return CliResult.run(env::get, args);
    }

    @BeforeEach
    void setUp() throws IOException {
        env.put("XDG_CONFIG_HOME", tmp.resolve("xdg").toString());
        env.put("XDG_STATE_HOME", tmp.resolve("state").toString());
        conf = tmp.resolve("xdg/ferry/ferry.conf");
        home = Files.createDirectories(tmp.resolve("home/me"));
        remoteRoot = Files.createDirectories(tmp.resolve("bucket/sync/me"));
        write(home.resolve("bin/run.sh"), "#!/bin/sh\necho hi\n", "rwxr-xr-x");
        write(home.resolve("notes.txt"), "notes", "rw-r--r--");
        write(home.resolve(".ssh/id_ed25519"), "secret key", "rw-------");
        Files.setPosixFilePermissions(home.resolve(".ssh"), PosixFilePermissions.fromString("rwx------"));
    }

    static void write(Path p, String content, String perms) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    }

    static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void addListPushPullRestoresModesAndRemove() throws IOException {
        assertThat(ferry("pair", "default", remoteRoot.toString()).code()).isZero();
        CliResult add = ferry("pair", "add", "default", home.toString());
        assertThat(add.code()).as(add.all()).isZero();
        assertThat(add.out()).contains("default: " + home + " <-> " + remoteRoot + "/default");
        Path data = Files.createDirectories(tmp.resolve("data"));
        write(data.resolve("x.csv"), "1,2", "rw-r-----");
        assertThat(ferry("pair", "add", "data", data.toString(), remoteRoot.resolve("data").toString(),
                "--exclude", "*.tmp").code()).isZero();

        CliResult list = ferry("pair", "list");
        assertThat(list.out().lines()).containsExactly(
                "default: " + home + " <-> " + remoteRoot + "/default",
                "data: " + data + " <-> " + remoteRoot.resolve("data"));
        assertThat(ferry("pair", "list", "--json").out()).contains("\"name\":\"data\"").contains("\"filters\":[\"-*.tmp\"]");
        assertThat(perms(conf)).isEqualTo("rw-------");

        // A bare push is the default pair; steps are printed as they go.
        CliResult push = ferry("push");
        assertThat(push.code()).as(push.all()).isZero();
        assertThat(push.err()).contains("push 'default'").contains("permissions: modes kept").contains("sync: mirror");
        assertThat(perms(remoteRoot.resolve("default/bin/run.sh"))).isEqualTo("rwxr-xr-x");

        // Pull into a fresh home: created, and every mode comes back.
        Files.writeString(conf, Files.readString(conf).replace("local = " + home, "local = " + tmp.resolve("fresh")));
        CliResult pull = ferry("pull", "default");
        assertThat(pull.code()).as(pull.all()).isZero();
        Path fresh = tmp.resolve("fresh");
        assertThat(fresh.resolve("bin/run.sh")).hasContent("#!/bin/sh\necho hi");
        assertThat(perms(fresh.resolve("bin/run.sh"))).isEqualTo("rwxr-xr-x");
        assertThat(perms(fresh.resolve("notes.txt"))).isEqualTo("rw-r--r--");
        assertThat(perms(fresh.resolve(".ssh/id_ed25519"))).isEqualTo("rw-------");
        assertThat(perms(fresh.resolve(".ssh"))).isEqualTo("rwx------");

        // Pull deletes nothing locally unless --mirror.
        write(fresh.resolve("local-only.txt"), "mine", "rw-r--r--");
        assertThat(ferry("pull").code()).isZero();
        assertThat(fresh.resolve("local-only.txt")).exists();
        assertThat(ferry("pull", "--mirror").code()).isZero();
        assertThat(fresh.resolve("local-only.txt")).doesNotExist();

        // Remove asks; without a terminal it refuses unless --yes, and never touches data.
        CliResult refused = ferry("pair", "remove", "data");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("refusing without --yes").contains("Remove sync configuration for 'data'");
        assertThat(ferry("pair", "remove", "data", "--yes").code()).isZero();
        assertThat(ferry("pair", "list").out()).doesNotContain("data:");
        assertThat(data.resolve("x.csv")).exists();
    }

    @Test
    void badInputIsAClearUsageError() throws IOException {
        CliResult unknown = ferry("push", "nope");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("no sync pair named 'nope'");

        CliResult noRoot = ferry("pair", "add", "docs", home.toString());
        assertThat(noRoot.code()).isEqualTo(2);
        assertThat(noRoot.err()).contains("ferry pair default");

        assertThat(ferry("pair", "add", "docs", home.toString(), remoteRoot.resolve("docs").toString()).code()).isZero();
        CliResult dup = ferry("pair", "add", "docs", home.toString(), remoteRoot.resolve("x").toString());
        assertThat(dup.code()).isEqualTo(2);
        assertThat(dup.err()).contains("'docs' exists already");

        CliResult typo = ferry("pair", "add", "typo", home.toString(), "s4://bucket/x");
        assertThat(typo.code()).as(typo.all()).isEqualTo(2);
        assertThat(typo.err()).contains("s4");
        assertThat(ferry("pair", "list").out()).doesNotContain("typo");

        Path missing = tmp.resolve("not-there");
        assertThat(ferry("pair", "add", "gone", missing.toString(), remoteRoot.resolve("gone").toString()).code()).isZero();
        CliResult push = ferry("push", "gone");
        assertThat(push.code()).isEqualTo(2);
        assertThat(push.err()).contains("does not exist").contains("nothing was pushed");
        assertThat(remoteRoot.resolve("gone")).doesNotExist();

        CliResult plain = ferry("pair", "add", "enc", home.toString(), remoteRoot.resolve("enc").toString(),
                "--passphrase", "hunter2");
        assertThat(plain.code()).isEqualTo(2);
        assertThat(plain.all()).contains("plain text").doesNotContain("hunter2");
    }

    @Test
    void purgeAsksRefusesNestedRemotesAndDeletesOnlyTheRemote() throws IOException {
        Path remote = remoteRoot.resolve("home");
        assertThat(ferry("pair", "add", "home", home.toString(), remote.toString()).code()).isZero();
        assertThat(ferry("push", "home").code()).isZero();
        assertThat(remote.resolve("bin/run.sh")).exists();

        CliResult refused = ferry("purge", "home");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("refusing without --yes").contains("3 files").contains(remote.toString());
        assertThat(remote.resolve("bin/run.sh")).exists();

        assertThat(ferry("purge", "home", "--dry-run").out()).contains("would delete 3 files");

        // A pair whose remote is inside this one's: purging the outer would take the inner's data.
        Path inner = Files.createDirectories(tmp.resolve("inner"));
        assertThat(ferry("pair", "add", "inner", inner.toString(), remote.resolve("nested").toString()).code()).isZero();
        CliResult nested = ferry("purge", "home", "--yes");
        assertThat(nested.code()).isEqualTo(2);
        assertThat(nested.err()).contains("holds pair 'inner'");
        assertThat(ferry("pair", "remove", "inner", "--yes").code()).isZero();

        CliResult purge = ferry("purge", "home", "--yes");
        assertThat(purge.code()).as(purge.all()).isZero();
        assertThat(purge.out()).contains("deleted 3 of 3 files");
        try (var left = Files.list(remote)) {
            assertThat(left).isEmpty();
        }
        assertThat(home.resolve("bin/run.sh")).exists();
        assertThat(ferry("pair", "list").out()).contains("home:");
    }

    @Test
    void remotesAreManagedWithSecretsRedacted() throws IOException {
        env.put("ARCHIVE_PW", "from-env");
        CliResult add = ferry("remote", "add", "archive", "ftp://me@127.0.0.1:2121/archive", "--opt", "password=env:ARCHIVE_PW");
        assertThat(add.code()).as(add.all()).isZero();
        CliResult plain = ferry("remote", "add", "leaky", "ftp://me@127.0.0.1/x", "--opt", "password=hunter2");
        assertThat(plain.code()).isEqualTo(2);
        assertThat(plain.all()).doesNotContain("hunter2").contains("env:VARIABLE");
        assertThat(ferry("remote", "add", "forced", "ftp://me@127.0.0.1/x", "--opt", "password=hunter2",
                "--allow-plain-secrets").code()).isZero();
        CliResult scheme = ferry("remote", "add", "s3", "/tmp/x");
        assertThat(scheme.code()).isEqualTo(2);
        assertThat(scheme.err()).contains("is a URI scheme");

        CliResult list = ferry("remote", "list");
        assertThat(list.out()).contains("archive: ftp://me@127.0.0.1:2121/archive  password=env:ARCHIVE_PW")
                .contains("forced: ftp://me@127.0.0.1/x  password=***").doesNotContain("hunter2");
        assertThat(ferry("remote", "list", "--json").out()).contains("\"password\":\"***\"").doesNotContain("hunter2");
        assertThat(Files.readString(conf)).contains("[archive]").contains("password = env:ARCHIVE_PW");

        assertThat(ferry("remote", "remove", "forced").code()).isZero();
        assertThat(Files.readString(conf)).doesNotContain("hunter2");
        CliResult gone = ferry("remote", "remove", "forced");
        assertThat(gone.code()).isEqualTo(2);
        assertThat(gone.err()).contains("no remote named 'forced'");
    }

    /** A pair with a passphrase keeps its remote encrypted (the crypt: wrapper, rclone's format). */
    @Test
    void aPassphrasePairIsEncryptedOnTheRemoteAndPullsBack() throws IOException {
        env.put("FERRY_PW", dev.ferry.testkit.TestSecrets.CRYPT_PASSWORD);
        Path remote = remoteRoot.resolve("vault");
        assertThat(ferry("pair", "add", "vault", home.toString(), remote.toString(), "--passphrase", "env:FERRY_PW")
                .code()).isZero();
        assertThat(Files.readString(conf)).contains("passphrase = env:FERRY_PW").doesNotContain(dev.ferry.testkit.TestSecrets.MARKER);
        CliResult push = ferry("push", "vault");
        assertThat(push.code()).as(push.all()).isZero();
        try (var names = Files.walk(remote)) {
            assertThat(names.map(p -> p.getFileName().toString()))
                    .as("names are encrypted").doesNotContain("run.sh", "notes.txt", "bin");
        }
        Files.writeString(conf, Files.readString(conf).replace("local = " + home, "local = " + tmp.resolve("back")));
        CliResult pull = ferry("pull", "vault");
        assertThat(pull.code()).as(pull.all()).isZero();
        assertThat(tmp.resolve("back/notes.txt")).hasContent("notes");
        env.put("FERRY_PW", "wrong");
        CliResult wrong = ferry("pull", "vault", "--mirror");
        assertThat(wrong.code()).isNotZero();
        assertThat(tmp.resolve("back/notes.txt")).as("nothing deleted on a wrong passphrase").hasContent("notes");
    }
}
