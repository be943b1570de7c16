package dev.ferry.examples;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.PairStore;
import dev.ferry.core.Purge;
import dev.ferry.core.RemotesConfig;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncPair;
import dev.ferry.core.SyncReport;
import dev.ferry.core.SyncTargets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A cluster user's home directory kept in an object store with named sync pairs (the
 * {@code ferry pair}/{@code push}/{@code pull}/{@code purge} commands, through the library):
 * {@code default: ~ <-> ROOT/default} and {@code data: /data <-> ROOT/data} are added, pushed,
 * pulled into a fresh home with every file mode back, listed and purged.
 */
public final class HomeDirectory {

    private HomeDirectory() {}

    /**
     * {@code HomeDirectory REMOTE_ROOT CONFIG_FILE WORK_DIR}: pairs go under REMOTE_ROOT (a folder,
     * a URI or {@code remote:path} of a remote in CONFIG_FILE); the demo home lives in WORK_DIR.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: HomeDirectory REMOTE_ROOT CONFIG_FILE WORK_DIR");
            System.err.println("  e.g. HomeDirectory /tmp/bucket/sync/me /tmp/demo/ferry.conf /tmp/demo");
            System.exit(2);
        }
        run(args[0], Path.of(args[1]), Path.of(args[2]));
    }

    /** The whole walk-through; returns the fresh home the pull filled. */
    static Path run(String remoteRoot, Path config, Path work) throws IOException {
        Path home = demoHome(work.resolve("home"));
        Path data = Files.createDirectories(work.resolve("data"));
        Files.writeString(data.resolve("results.csv"), "run,value\n1,42\n");

        PairStore pairs = PairStore.at(config);
        pairs.setDefaultRoot(remoteRoot);
        pairs.add(SyncPair.of("default", home.toString(), pairs.remoteFor("default")), false);
        pairs.add(SyncPair.of("data", data.toString(), pairs.remoteFor("data")), false);
        pairs.list().forEach(p -> System.out.println(p.line()));

        SyncTargets targets = SyncTargets.load();
        targets = targets.withRemotes(RemotesConfig.read(config).specs(targets, System::getenv));
        for (SyncPair p : pairs.list()) {
            SyncReport r = transfer(targets, p.local(), p.remote(), SyncMode.MIRROR, p);
            System.out.println("push " + p.name() + ": " + r.filesCopied() + " files");
        }

        // A fresh machine: the default pair pulled into an empty home, modes and all.
        Path fresh = work.resolve("fresh-home");
        SyncPair home2 = pairs.require("default");
        SyncReport pulled = transfer(targets, home2.remote(), fresh.toString(), home2.pull(), home2);
        System.out.println("pull default: " + pulled.filesCopied() + " files; .ssh/id_ed25519 is "
                + PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh.resolve(".ssh/id_ed25519"))));

        for (SyncPair p : pairs.list()) {
            try (SyncTarget remote = targets.open(p.remote())) {
                Purge.Result r = Purge.of(remote).deleteAll();
                System.out.println("purge " + p.name() + ": " + r.filesDeleted() + " files deleted");
            }
        }
        return fresh;
    }

    private static SyncReport transfer(SyncTargets targets, String from, String to, SyncMode mode, SyncPair pair)
            throws IOException {
        try (SyncTarget source = targets.open(from); SyncTarget destination = targets.open(to)) {
            SyncOptions options = SyncOptions.builder().mode(mode).filter(pair.filter())
                    .keepModes(pair.keepModes()).build();
            SyncReport report = Sync.between(source, destination, options).run();
            if (!report.succeeded()) {
                throw new IOException(pair.name() + ": " + report.failures());
            }
            return report;
        }
    }

    private static Path demoHome(Path home) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve("bin/backup.sh"), "#!/bin/sh\nferry push\n");
        Files.writeString(home.resolve(".ssh/id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY-----\n(demo)\n");
        Files.writeString(home.resolve("notes.txt"), "remember the milk\n");
        Files.setPosixFilePermissions(home.resolve("bin/backup.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(home.resolve(".ssh/id_ed25519"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(home.resolve(".ssh"), PosixFilePermissions.fromString("rwx------"));
        return home;
    }
}
