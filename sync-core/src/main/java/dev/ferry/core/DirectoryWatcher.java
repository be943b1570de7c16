package dev.ferry.core;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a local tree, every directory in it (new ones as they appear), and calls back on any
 * change. The callback only says "something changed": the run that follows scans anyway, so an
 * overflow of the kernel's event queue loses nothing.
 */
final class DirectoryWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryWatcher.class);

    private final WatchService service;
    private final Runnable onChange;
    private final Thread thread;

    private DirectoryWatcher(WatchService service, Runnable onChange) {
        this.service = service;
        this.onChange = onChange;
        this.thread = new Thread(this::loop, "ferry-watch");
        this.thread.setDaemon(true);
    }

    static DirectoryWatcher start(Path root, Runnable onChange) throws IOException {
        DirectoryWatcher w = new DirectoryWatcher(root.getFileSystem().newWatchService(), onChange);
        w.registerTree(root);
        w.thread.start();
        return w;
    }

    private void registerTree(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                d.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE; // vanished or unreadable: the run reports it
            }
        });
    }

    private void loop() {
        while (true) {
            WatchKey key;
            try {
                key = service.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            Path dir = (Path) key.watchable();
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.kind() == OVERFLOW) {
                    LOG.debug("watch queue overflowed under {}; the next run scans everything", dir);
                    continue;
                }
                Path child = dir.resolve((Path) event.context());
                if (event.kind() == ENTRY_CREATE && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        registerTree(child); // files created in it before this are found by the run
                    } catch (IOException | ClosedWatchServiceException e) {
                        LOG.debug("cannot watch {}", child, e);
                    }
                }
            }
            key.reset();
            onChange.run();
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            LOG.debug("closing the watch service", e);
        }
        thread.interrupt();
    }
}
