package dev.ferry.serve;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One server per config file: an exclusive lock on a file beside it, held while the server runs
 * and released by the operating system if the process dies, so a stale lock never blocks.
 */
final class InstanceLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file for {@code configFile}: {@code .NAME.serve.lock} beside it. */
    static Path fileFor(Path configFile) {
        Path f = configFile.toAbsolutePath();
        return f.resolveSibling("." + f.getFileName() + ".serve.lock");
    }

    /**
     * Takes the lock of {@code configFile}.
     *
     * @param what written into the lock file (the address served), for a person who looks
     * @throws IllegalStateException if another server holds it
     */
    static InstanceLock acquire(Path configFile, String what) throws IOException {
        Path file = fileFor(configFile);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            throw new IllegalStateException("another ferry serve is already running with " + configFile.toAbsolutePath()
                    + " (it holds " + file + "); stop it first");
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + " " + what + "\n").getBytes(StandardCharsets.UTF_8)));
        return new InstanceLock(ch, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
