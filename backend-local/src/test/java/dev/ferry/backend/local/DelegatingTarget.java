package dev.ferry.backend.local;

import dev.ferry.api.Capabilities;
import dev.ferry.api.Entry;
import dev.ferry.api.ListingSink;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** A target passing everything to another, for tests that change one operation. */
class DelegatingTarget implements SyncTarget {
    final SyncTarget d;

    DelegatingTarget(SyncTarget d) {
        this.d = d;
    }

    @Override
    public String description() {
        return d.description();
    }

    @Override
    public Capabilities capabilities() {
        return d.capabilities();
    }

    @Override
    public void list(SyncPath directory, ListingSink sink) throws IOException {
        d.list(directory, sink);
    }

    @Override
    public Optional<Entry> stat(SyncPath path) throws IOException {
        return d.stat(path);
    }

    @Override
    public InputStream open(SyncPath path, long offset) throws IOException {
        return d.open(path, offset);
    }

    @Override
    public Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        return d.write(path, content, hints);
    }

    @Override
    public void delete(SyncPath path) throws IOException {
        d.delete(path);
    }

    @Override
    public void makeDirectories(SyncPath directory) throws IOException {
        d.makeDirectories(directory);
    }

    @Override
    public void close() throws IOException {
        d.close();
    }
}
