package dev.ferry.backend.support;

import dev.ferry.api.Capabilities;
import dev.ferry.api.Entry;
import dev.ferry.api.ListingSink;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * A target that passes every call to another: the base for decorators (logging, metrics, fault
 * injection in tests) that change one operation and keep the rest. Abilities are not passed on
 * unless a subclass overrides {@link #ability(Class)}: a decorator that changes writes, say,
 * must not let callers bypass it through the delegate's {@link ServerSideCopy}.
 */
public abstract class ForwardingTarget implements SyncTarget {

    /** The target calls go to. */
    protected final SyncTarget delegate;

    /** Forwards to {@code delegate}. */
    protected ForwardingTarget(SyncTarget delegate) {
        this.delegate = delegate;
    }

    @Override
    public String description() {
        return delegate.description();
    }

    @Override
    public Capabilities capabilities() {
        return delegate.capabilities();
    }

    @Override
    public void list(SyncPath directory, ListingSink sink) throws IOException {
        delegate.list(directory, sink);
    }

    @Override
    public Optional<Entry> stat(SyncPath path) throws IOException {
        return delegate.stat(path);
    }

    @Override
    public InputStream open(SyncPath path, long offset) throws IOException {
        return delegate.open(path, offset);
    }

    @Override
    public Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        return delegate.write(path, content, hints);
    }

    @Override
    public void delete(SyncPath path) throws IOException {
        delegate.delete(path);
    }

    @Override
    public void makeDirectories(SyncPath directory) throws IOException {
        delegate.makeDirectories(directory);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
