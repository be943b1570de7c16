package dev.ferry.backend.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.api.AuthenticationException;
import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.PermissionDeniedException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.Listings;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logins and host keys against the real sshd: key, key with passphrase, password, agent; the
 * refusals, each a clear {@link AuthenticationException} that never contains the secret.
 */
class SftpLoginTest {

    static TestSshd sshd;

    @TempDir
    Path tmp;

    @BeforeAll
    static void server() throws Exception {
        sshd = TestSshd.shared();
        assumeThat(sshd).as("OpenSSH's server is not installed (/usr/sbin/sshd missing): the login tests are skipped")
                .isNotNull();
    }

    private SyncTarget open(String login, Path root, Map<String, String> options) throws Exception {
        return SyncTargets.load().open(sshd.location(login, root), options);
    }

    private static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> m = new TreeMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void roundTrip(SyncTarget t) throws Exception {
        byte[] data = {1, 2, 3};
        t.write(SyncPath.of("x.bin"), new ByteArrayInputStream(data), WriteHints.ofSize(3));
        try (var in = t.open(SyncPath.of("x.bin"), 0)) {
            assertThat(in.readAllBytes()).containsExactly(data);
        }
    }

    @Test
    void keyWithPassphraseLogsIn() throws Exception {
        Path root = sshd.freshRoot(Optional.empty());
        try (SyncTarget t = open(sshd.user, root, with(Map.of(), "keyFile", sshd.protectedKey.toString(),
                "passphrase", TestSshd.KEY_PASSPHRASE, "knownHosts", sshd.knownHosts.toString()))) {
            roundTrip(t);
        }
    }

    @Test
    void wrongPassphraseIsAnAuthenticationErrorWithoutThePassphrase() throws Exception {
        Path root = sshd.freshRoot(Optional.empty());
        assertThatThrownBy(() -> open(sshd.user, root, with(Map.of(), "keyFile", sshd.protectedKey.toString(),
                "passphrase", dev.ferry.testkit.TestSecrets.secret("wrong-phrase"), "knownHosts", sshd.knownHosts.toString())))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("passphrase").hasMessageContaining(sshd.protectedKey.toString())
                .hasMessageNotContaining(dev.ferry.testkit.TestSecrets.MARKER);
        assertThatThrownBy(() -> open(sshd.user, root, with(Map.of(), "keyFile", sshd.protectedKey.toString(),
                "knownHosts", sshd.knownHosts.toString())))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("needs a passphrase");
    }

    @Test
    void missingKeyFileIsAnAuthenticationError() throws Exception {
        Path root = sshd.freshRoot(Optional.empty());
        assertThatThrownBy(() -> open(sshd.user, root, with(sshd.keyOptions(), "keyFile", tmp.resolve("nope").toString())))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("does not exist")
                .hasMessageContaining(tmp.resolve("nope").toString());
    }

    @Test
    void unknownHostIsRefusedWithItsFingerprintAndTheOptionThatAcceptsIt() throws Exception {
        Path root = sshd.freshRoot(Optional.empty());
        Path empty = Files.writeString(tmp.resolve("known_hosts"), "");
        Map<String, String> o = with(sshd.keyOptions(), "knownHosts", empty.toString());
        assertThatThrownBy(() -> open(sshd.user, root, o))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("not known")
                .hasMessageContaining("hostKey=" + sshd.hostKeyFingerprint);
        try (SyncTarget t = open(sshd.user, root, with(o, "hostKey", sshd.hostKeyFingerprint))) {
            roundTrip(t);
        }
        String other = "SHA256:" + "A".repeat(43);
        assertThatThrownBy(() -> open(sshd.user, root, with(o, "hostKey", other)))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining(sshd.hostKeyFingerprint);
    }

    @Test
    void changedHostKeyIsAlwaysRefused() throws Exception {
        Path root = sshd.freshRoot(Optional.empty());
        Path otherKey = tmp.resolve("other");
        TestSshd.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", otherKey.toString()));
        String[] pub = Files.readString(tmp.resolve("other.pub")).trim().split(" ");
        Path known = Files.writeString(tmp.resolve("known_hosts"), "[127.0.0.1]:" + sshd.port + " " + pub[0] + " " + pub[1] + "\n");
        Map<String, String> o = with(sshd.keyOptions(), "knownHosts", known.toString(), "hostKey", sshd.hostKeyFingerprint);
        assertThatThrownBy(() -> open(sshd.user, root, o))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("CHANGED").hasMessageContaining(sshd.hostKeyFingerprint);
    }

    @Test
    void hashedKnownHostsEntriesAreRead() throws Exception {
        Path root = sshd.freshRoot(Optional.empty());
        Path known = tmp.resolve("known_hosts");
        Files.copy(sshd.knownHosts, known);
        TestSshd.run(List.of("ssh-keygen", "-H", "-f", known.toString()));
        assertThat(Files.readString(known)).startsWith("|1|");
        try (SyncTarget t = open(sshd.user, root, with(sshd.keyOptions(), "knownHosts", known.toString()))) {
            roundTrip(t);
        }
    }

    @Test
    void agentKeysLogIn() throws Exception {
        assumeThat(Files.isExecutable(Path.of("/usr/bin/ssh-agent"))).as("ssh-agent is not installed").isTrue();
        Path socket = tmp.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true).start();
        try {
            for (int i = 0; i < 100 && !Files.exists(socket); i++) {
                Thread.sleep(50);
            }
            ProcessBuilder add = new ProcessBuilder("ssh-add", sshd.clientKey.toString()).redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", socket.toString());
            Process p = add.start();
            assertThat(p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0)
                    .as(new String(p.getInputStream().readAllBytes())).isTrue();
            Path root = sshd.freshRoot(Optional.empty());
            try (SyncTarget t = open(sshd.user, root, Map.of("agent", socket.toString(), "knownHosts",
                    sshd.knownHosts.toString()))) {
                roundTrip(t);
            }
        } finally {
            agent.destroy();
        }
    }

    @Test
    void passwordLogsInAndAWrongOneIsRefusedWithoutShowingIt() throws Exception {
        assumeThat(TestSshd.passwordUserExists()).as("no user '" + TestSshd.PASSWORD_USER + "' here: .ci/run creates it "
                + "(useradd + chpasswd) for the password-login tests, which are skipped").isTrue();
        Path root = sshd.freshRoot(Optional.of(TestSshd.PASSWORD_USER));
        Map<String, String> o = Map.of("password", TestSshd.PASSWORD, "knownHosts", sshd.knownHosts.toString());
        try (SyncTarget t = open(TestSshd.PASSWORD_USER, root, o)) {
            roundTrip(t);
            assertThat(t.toString()).doesNotContain(TestSshd.PASSWORD);
        }
        assertThatThrownBy(() -> open(TestSshd.PASSWORD_USER, root, with(o, "password", dev.ferry.testkit.TestSecrets.secret("wrong-sftp-password"))))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining(TestSshd.PASSWORD_USER).hasMessageContaining("refused")
                .hasMessageNotContaining(dev.ferry.testkit.TestSecrets.MARKER);
    }

    @Test
    void aPathTheLoginMayNotReadIsPermissionDenied() throws Exception {
        assumeThat(TestSshd.passwordUserExists()).as("no user '" + TestSshd.PASSWORD_USER + "' here (.ci/run creates "
                + "it); as root every path is readable, so this test is skipped").isTrue();
        Path closed = sshd.freshRoot(Optional.empty()).resolve("closed");
        Files.createDirectories(closed);
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        Map<String, String> o = Map.of("password", TestSshd.PASSWORD, "knownHosts", sshd.knownHosts.toString());
        try (SyncTarget t = open(TestSshd.PASSWORD_USER, closed, o)) {
            assertThatThrownBy(() -> Listings.collect(t, SyncPath.ROOT)).isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("ermission");
            assertThatThrownBy(() -> t.write(SyncPath.of("f"), new ByteArrayInputStream(new byte[1]), WriteHints.ofSize(1)))
                    .isInstanceOf(PermissionDeniedException.class);
        }
    }

    @Test
    void malformedLocationsAndOptionsAreRefusedClearly() {
        assertThatThrownBy(() -> SyncTargets.load().open("sftp:///nohost", Map.of()))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("host");
        assertThatThrownBy(() -> SyncTargets.load().open("sftp://me@127.0.0.1:" + sshd.port + "/a/../b", Map.of()))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("..");
        assertThatThrownBy(() -> SyncTargets.load().open("sftp://me@127.0.0.1/x", Map.of("hostKey", "MD5:aa")))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("hostKey");
        assertThatThrownBy(() -> SyncTargets.load().open("sftp://me@127.0.0.1/x", Map.of("conections", "3")))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("conections");
    }
}
