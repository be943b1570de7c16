package dev.ferry.backend.sftp;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An in-process Apache MINA SSHD server on a loopback port for faults OpenSSH cannot be made to
 * produce: its SFTP subsystem serves {@code dir/root} through the given accessor (which fails,
 * lies or renames as a test wants); login {@code ferry} / {@code pw-123}.
 */
final class MinaSftpServer implements AutoCloseable {

    private final SshServer server;
    private final String fingerprint;
    private final Path dir;

    private MinaSftpServer(SshServer server, String fingerprint, Path dir) {
        this.server = server;
        this.fingerprint = fingerprint;
        this.dir = dir;
    }

    static MinaSftpServer start(Path dir, SftpFileSystemAccessor accessor) throws IOException {
        Files.createDirectories(dir.resolve("root"));
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(dir.resolve("hostkey.ser"));
        server.setKeyPairProvider(keys);
        server.setPasswordAuthenticator((user, password, session) -> "ferry".equals(user) && "pw-123".equals(password));
        server.setFileSystemFactory(new VirtualFileSystemFactory(dir.resolve("root")));
        SftpSubsystemFactory sftp = new SftpSubsystemFactory();
        sftp.setFileSystemAccessor(accessor);
        server.setSubsystemFactories(List.of(sftp));
        server.start();
        KeyPair kp = keys.loadKeys(null).iterator().next();
        return new MinaSftpServer(server, KeyUtils.getFingerPrint(BuiltinDigests.sha256, kp.getPublic()), dir);
    }

    /** {@code sftp://ferry@127.0.0.1:port/data}: two connections, no shell hashes, the host key pinned. */
    SyncTarget open() throws IOException {
        Path known = dir.resolve("known_hosts");
        if (!Files.exists(known)) {
            Files.writeString(known, "");
        }
        return SyncTargets.load().open("sftp://ferry@127.0.0.1:" + server.getPort() + "/data",
                Map.of("password", "pw-123", "knownHosts", known.toString(), "hostKey", fingerprint, "shellHashes", "false",
                        "connections", "2"));
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }
}
