package dev.ferry.backend.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.InsufficientStorageException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.TransientSyncException;
import dev.ferry.api.WriteHints;
import dev.ferry.testkit.Listings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
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

    private MinaSftpServer server;
    private final AtomicReference<Fault> fault = new AtomicReference<>(Fault.NONE);

    @BeforeEach
    void start() throws Exception {
        server = MinaSftpServer.start(dir, new SftpFileSystemAccessor() {
            @Override
            public SeekableByteChannel openFile(SftpSubsystemProxy proxy, FileHandle handle, Path file, String h,
                    Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
                SeekableByteChannel ch = SftpFileSystemAccessor.super.openFile(proxy, handle, file, h, options, attrs);
                return new Failing(ch, proxy);
            }
        });
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
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
        return server.open();
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
