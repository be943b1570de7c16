package dev.ferry.core;

import dev.ferry.api.PermanentSyncException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Keeps two runs on the same pair from overlapping: a lock file created atomically, naming the
 * process that holds it (PID, host, when that process started). A lock whose process is gone
 * (or is another process that reused the PID) is stale and is taken over.
 */
final class PairLock implements Closeable {

    private final Path file;
    private final String token;

    private PairLock(Path file, String token) {
        this.file = file;
        this.token = token;
    }

    /**
     * Takes the lock.
     *
     * @throws PermanentSyncException naming the process that holds it, if it is alive
     */
    static PairLock acquire(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        String token = describe(ProcessHandle.current());
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                Files.writeString(Files.createFile(file), token, StandardCharsets.UTF_8);
                return new PairLock(file, token);
            } catch (FileAlreadyExistsException e) {
                String holder;
                try {
                    holder = Files.readString(file, StandardCharsets.UTF_8);
                } catch (NoSuchFileException gone) {
                    continue; // released meanwhile
                }
                if (isAlive(holder)) {
                    throw new PermanentSyncException("another ferry run holds the lock " + file + " (" + holder.strip()
                            + "); runs on one pair never overlap");
                }
                // Stale: its process died without releasing it. Take it over.
                Files.deleteIfExists(file);
            }
        }
        throw new PermanentSyncException("could not take the lock " + file + ": it keeps changing hands");
    }

    /** Releases the lock if it is still ours. */
    @Override
    public void close() throws IOException {
        try {
            if (Files.readString(file, StandardCharsets.UTF_8).equals(token)) {
                Files.deleteIfExists(file);
            }
        } catch (NoSuchFileException e) {
            // already gone
        }
    }

    static String describe(ProcessHandle p) {
        String started = p.info().startInstant().map(Instant::toString).orElse("?");
        return "pid=" + p.pid() + " host=" + hostName() + " started=" + started;
    }

    /** Whether the holder named in a lock file still runs (a lock from another host counts as alive). */
    static boolean isAlive(String holder) {
        String pid = field(holder, "pid");
        String host = field(holder, "host");
        String started = field(holder, "started");
        if (pid == null || host == null) {
            return false; // torn or foreign content: nobody can be holding it properly
        }
        if (!host.equals(hostName())) {
            return true; // cannot tell from here; a shared state directory needs a human
        }
        Optional<ProcessHandle> p;
        try {
            p = ProcessHandle.of(Long.parseLong(pid));
        } catch (NumberFormatException e) {
            return false;
        }
        if (p.isEmpty() || !p.get().isAlive()) {
            return false;
        }
        // A reused PID belongs to a process that started at another time.
        String now = p.get().info().startInstant().map(Instant::toString).orElse("?");
        return started == null || started.equals("?") || now.equals("?") || now.equals(started);
    }

    private static String field(String text, String name) {
        for (String part : text.strip().split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        return null;
    }

    /** The host's name, without a DNS lookup (InetAddress may ask the network). */
    private static String hostName() {
        String name = null;
        try {
            name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        if (name == null || name.isEmpty()) {
            name = Optional.ofNullable(System.getenv("HOSTNAME")).orElse(System.getenv("COMPUTERNAME"));
        }
        return name == null || name.isBlank() ? "unknown-host" : name.strip().replace(' ', '_');
    }
}
