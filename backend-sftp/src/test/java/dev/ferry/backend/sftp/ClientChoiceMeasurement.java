package dev.ferry.backend.sftp;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.FileSystemManager;
import org.apache.commons.vfs2.FileSystemOptions;
import org.apache.commons.vfs2.VFS;
import org.apache.commons.vfs2.provider.sftp.IdentityInfo;
import org.apache.commons.vfs2.provider.sftp.SftpFileSystemConfigBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/**
 * The measurement that chose the SFTP client (not a test; run by hand): the same uploads, 1,000
 * files of 1 KiB then one 64 MiB file, one after the other on one connection, through Commons VFS
 * 2.10's SFTP provider (JSch) and through Apache MINA SSHD's {@code SftpClient}, against the
 * test sshd, three rounds interleaved, medians printed.
 *
 * <pre>
 * mvn -o -q -Dmaven.repo.local=... -pl backend-sftp test-compile
 * java -cp backend-sftp/target/test-classes:backend-sftp/target/classes:$(cat cp.txt) \
 *     dev.ferry.backend.sftp.ClientChoiceMeasurement
 * </pre>
 */
public final class ClientChoiceMeasurement {

    private static final int SMALL = 1_000;
    private static final int LARGE = 64 << 20;

    private ClientChoiceMeasurement() {}

    public static void main(String[] args) throws Exception {
        TestSshd sshd = TestSshd.shared();
        byte[] small = new byte[1024];
        byte[] large = new byte[LARGE];
        new Random(1).nextBytes(large);
        List<Long> vfsSmall = new ArrayList<>(), vfsLarge = new ArrayList<>(), minaSmall = new ArrayList<>(),
                minaLarge = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            long[] v = viaVfs(sshd, small, large);
            vfsSmall.add(v[0]);
            vfsLarge.add(v[1]);
            long[] m = viaMina(sshd, small, large);
            minaSmall.add(m[0]);
            minaLarge.add(m[1]);
            System.out.printf("round %d: vfs %d ms / %d ms, mina %d ms / %d ms%n", round, v[0], v[1], m[0], m[1]);
        }
        System.out.printf("median 1,000 x 1 KiB: VFS(JSch) %d ms, MINA %d ms%n", median(vfsSmall), median(minaSmall));
        System.out.printf("median 1 x 64 MiB:    VFS(JSch) %d ms, MINA %d ms%n", median(vfsLarge), median(minaLarge));
        System.exit(0);
    }

    private static long[] viaVfs(TestSshd sshd, byte[] small, byte[] large) throws Exception {
        Path root = sshd.freshRoot(Optional.empty());
        FileSystemManager vfs = VFS.getManager();
        FileSystemOptions opts = new FileSystemOptions();
        SftpFileSystemConfigBuilder b = SftpFileSystemConfigBuilder.getInstance();
        b.setIdentityProvider(opts, new IdentityInfo(sshd.clientKey.toFile()));
        b.setKnownHosts(opts, sshd.knownHosts.toFile());
        b.setStrictHostKeyChecking(opts, "yes");
        b.setUserDirIsRoot(opts, false);
        b.setSessionTimeout(opts, Duration.ofSeconds(30));
        String base = "sftp://" + sshd.user + "@127.0.0.1:" + sshd.port + root;
        long t0 = System.nanoTime();
        for (int i = 0; i < SMALL; i++) {
            FileObject f = vfs.resolveFile(base + "/f" + i, opts);
            try (OutputStream out = f.getContent().getOutputStream()) {
                out.write(small);
            }
            f.close();
        }
        long t1 = System.nanoTime();
        FileObject f = vfs.resolveFile(base + "/large", opts);
        try (OutputStream out = f.getContent().getOutputStream()) {
            for (int off = 0; off < large.length; off += 1 << 16) {
                out.write(large, off, 1 << 16);
            }
        }
        long t2 = System.nanoTime();
        vfs.closeFileSystem(f.getFileSystem());
        check(root.resolve("large"), large.length);
        return new long[] {(t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000};
    }

    private static long[] viaMina(TestSshd sshd, byte[] small, byte[] large) throws Exception {
        Path root = sshd.freshRoot(Optional.empty());
        SshClient client = SshClient.setUpDefaultClient();
        if (Boolean.getBoolean("gcm")) {
            client.setCipherFactories(java.util.List.of(org.apache.sshd.common.cipher.BuiltinCiphers.aes128ctr));
            client.setMacFactories(java.util.List.of(org.apache.sshd.common.mac.BuiltinMacs.hmacsha256etm));
        }
        client.start();
        try (ClientSession s = client.connect(sshd.user, "127.0.0.1", sshd.port).verify(Duration.ofSeconds(10)).getSession()) {
            try (var in = Files.newInputStream(sshd.clientKey)) {
                SecurityUtils.loadKeyPairIdentities(s, null, in, FilePasswordProvider.EMPTY).forEach(s::addPublicKeyIdentity);
            }
            s.auth().verify(Duration.ofSeconds(10));
            try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(s)) {
                long t0 = System.nanoTime();
                for (int i = 0; i < SMALL; i++) {
                    try (OutputStream out = sftp.write(root + "/f" + i, EnumSet.of(SftpClient.OpenMode.Write,
                            SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate))) {
                        out.write(small);
                    }
                }
                long t1 = System.nanoTime();
                try (OutputStream out = sftp.write(root + "/large", Integer.getInteger("buf", 32768))) {
                    for (int off = 0; off < large.length; off += 1 << 16) {
                        out.write(large, off, 1 << 16);
                    }
                }
                long t2 = System.nanoTime();
                check(root.resolve("large"), large.length);
                return new long[] {(t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000};
            }
        } finally {
            client.stop();
        }
    }

    private static void check(Path p, long size) throws Exception {
        if (Files.size(p) != size) {
            throw new IllegalStateException(p + " has " + Files.size(p) + " bytes, not " + size);
        }
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
