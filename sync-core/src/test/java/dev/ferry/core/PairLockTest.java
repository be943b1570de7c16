package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.PermanentSyncException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairLockTest {

    @TempDir
    Path tmp;

    @Test
    void secondRunIsRefusedWhileTheFirstHoldsTheLock() throws IOException {
        Path lock = tmp.resolve("pair.lock");
        try (PairLock first = PairLock.acquire(lock)) {
            assertThatThrownBy(() -> PairLock.acquire(lock)).isInstanceOf(PermanentSyncException.class)
                    .hasMessageContaining("another ferry run holds the lock")
                    .hasMessageContaining("pid=" + ProcessHandle.current().pid());
        }
        assertThat(lock).doesNotExist();
        PairLock.acquire(lock).close();
    }

    @Test
    void aLockLeftByADeadProcessIsTakenOver() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Path lock = tmp.resolve("pair.lock");
        String dead = PairLock.describe(ProcessHandle.current()).replace("pid=" + ProcessHandle.current().pid(),
                "pid=" + p.pid());
        Files.writeString(lock, dead);
        try (PairLock l = PairLock.acquire(lock)) {
            assertThat(Files.readString(lock)).contains("pid=" + ProcessHandle.current().pid());
        }
    }

    @Test
    void aReusedPidDoesNotKeepAStaleLockAlive() throws IOException {
        Path lock = tmp.resolve("pair.lock");
        String reused = PairLock.describe(ProcessHandle.current()).replaceAll("started=\\S+", "started=2001-01-01T00:00:00Z");
        Files.writeString(lock, reused);
        PairLock.acquire(lock).close();
        Files.writeString(lock, "garbage");
        PairLock.acquire(lock).close();
    }
}
