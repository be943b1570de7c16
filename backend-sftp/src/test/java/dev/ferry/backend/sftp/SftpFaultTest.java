package dev.ferry.backend.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.InsufficientStorageException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.TransientSyncException;
import dev.ferry.api.WriteHints;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.Listings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults OpenSSH cannot be made to produce on demand, from an in-process Apache MINA SSHD server
 * whose file writes can be made to fail: the connection cut mid-upload (transient, nothing
 * published, the next write reconnects) and a full disk (InsufficientStorageException, the old
 * content kept).
 */
class SftpFaultTest {

    enum Fault { NONE, CUT, FULL }

    @TempDir
    Path dir;

    private SshServer server;
    private final AtomicReference<Fault> fault = new AtomicReference<>(Fault.NONE);
    private String fingerprint;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(dir.resolve("root"));
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(dir.resolve("hostkey.ser"));
        server.setKeyPairProvider(keys);
        server.setPasswordAuthenticator((user, password, session) -> "ferry".equals(user) && "pw-123".equals(password));
        server.setFileSystemFactory(new VirtualFileSystemFactory(dir.resolve("root")));
        SftpSubsystemFactory sftp = new SftpSubsystemFactory();
        sftp.setFileSystemAccessor(new SftpFileSystemAccessor() {
            @Override
            public SeekableByteChannel openFile(SftpSubsystemProxy proxy, FileHandle handle, Path file, String h,
                    Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
                SeekableByteChannel ch = SftpFileSystemAccessor.super.openFile(proxy, handle, file, h, options, attrs);
                return new Failing(ch, proxy);
            }
        });
        server.setSubsystemFactories(List.of(sftp));
        server.start();
        KeyPair kp = keys.loadKeys(null).iterator().next();
        fingerprint = KeyUtils.getFingerPrint(BuiltinDigests.sha256, kp.getPublic());
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.stop(true);
        }
    }

    /** A file channel that fails writes past 256 KiB as told. */
    private final class Failing implements SeekableByteChannel {
        private final SeekableByteChannel ch;
        private final SftpSubsystemProxy proxy;

        Failing(SeekableByteChannel ch, SftpSubsystemProxy proxy) {
            this.ch = ch;
            this.proxy = proxy;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (ch.position() >= 256 * 1024) {
                switch (fault.get()) {
                    case CUT -> {
                        proxy.getServerSession().close(true);
                        throw new IOException("connection cut");
                    }
                    case FULL -> throw new SftpException(SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM, "No space left on device");
                    default -> { }
                }
            }
            return ch.write(src);
        }

        @Override public int read(ByteBuffer dst) throws IOException { return ch.read(dst); }
        @Override public long position() throws IOException { return ch.position(); }
        @Override public SeekableByteChannel position(long p) throws IOException { ch.position(p); return this; }
        @Override public long size() throws IOException { return ch.size(); }
        @Override public SeekableByteChannel truncate(long size) throws IOException { ch.truncate(size); return this; }
        @Override public boolean isOpen() { return ch.isOpen(); }
        @Override public void close() throws IOException { ch.close(); }
    }

    private SyncTarget open() throws IOException {
        Path known = dir.resolve("known_hosts");
        if (!Files.exists(known)) {
            Files.writeString(known, "");
        }
        return SyncTargets.load().open("sftp://ferry@127.0.0.1:" + server.getPort() + "/data",
                Map.of("password", "pw-123", "knownHosts", known.toString(), "hostKey", fingerprint, "shellHashes", "false",
                        "connections", "2"));
    }

    private static void put(SyncTarget t, String p, byte[] data) throws IOException {
        t.write(SyncPath.of(p), new ByteArrayInputStream(data), WriteHints.ofSize(data.length));
    }

    @Test
    void aConnectionCutMidUploadIsTransientPublishesNothingAndTheNextWriteReconnects() throws Exception {
        try (SyncTarget t = open()) {
            put(t, "f.bin", "old".getBytes());
            fault.set(Fault.CUT);
            assertThatThrownBy(() -> put(t, "f.bin", new byte[2 << 20])).isInstanceOf(TransientSyncException.class)
                    .hasMessageContaining("f.bin");
            fault.set(Fault.NONE);
            assertThat(dir.resolve("root/data/f.bin")).hasContent("old");
            assertThat(Listings.collect(t, SyncPath.ROOT).names()).containsExactly("f.bin");
            put(t, "f.bin", new byte[2 << 20]);
            assertThat(dir.resolve("root/data/f.bin")).hasSize(2 << 20);
        }
    }

    @Test
    void aFullDiskIsInsufficientStorageAndKeepsTheOldContent() throws Exception {
        try (SyncTarget t = open()) {
            put(t, "f.bin", "old".getBytes());
            fault.set(Fault.FULL);
            assertThatThrownBy(() -> put(t, "f.bin", new byte[1 << 20])).isInstanceOf(InsufficientStorageException.class)
                    .hasMessageContaining("f.bin").hasMessageContaining("No space");
            assertThat(dir.resolve("root/data/f.bin")).hasContent("old");
            try (var files = Files.list(dir.resolve("root/data"))) {
                assertThat(files.map(p -> p.getFileName().toString())).as("the temporary file was removed").containsExactly("f.bin");
            }
        }
    }
}
