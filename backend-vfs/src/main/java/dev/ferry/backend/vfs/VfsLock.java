package dev.ferry.backend.vfs;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock for every call into Commons VFS. VFS is not safe for concurrent use: its SFTP
 * provider takes the file object's and the file system's monitors in opposite orders on
 * different paths (seen as a deadlock of the contract suite's parallel writers against
 * OpenSSH, VFS 2.10), and every {@code vfs:} target shares the one global manager, so file
 * systems are shared across targets. The lock is reentrant, so a copy from one {@code vfs:}
 * target to another on the same thread still works. The cost: {@code vfs:} transfers run one at
 * a time; {@code sftp://} is Ferry's fast, parallel SFTP.
 */
final class VfsLock {

    private static final ReentrantLock LOCK = new ReentrantLock();

    private VfsLock() {}

    /** A call into VFS that may fail with an I/O error. */
    @FunctionalInterface
    interface VfsCall<T> {
        T call() throws IOException;
    }

    /** A call into VFS that returns nothing. */
    @FunctionalInterface
    interface VfsRun {
        void run() throws IOException;
    }

    static <T> T call(VfsCall<T> call) throws IOException {
        LOCK.lock();
        try {
            return call.call();
        } finally {
            LOCK.unlock();
        }
    }

    static void run(VfsRun run) throws IOException {
        call(() -> {
            run.run();
            return null;
        });
    }

    /** A VFS content stream whose every read and close takes the lock. */
    static InputStream guarded(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                return call(super::read);
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return call(() -> super.read(b, off, len));
            }

            @Override
            public long skip(long n) throws IOException {
                return call(() -> super.skip(n));
            }

            @Override
            public int available() throws IOException {
                return call(super::available);
            }

            @Override
            public void close() throws IOException {
                run(super::close);
            }
        };
    }
}
