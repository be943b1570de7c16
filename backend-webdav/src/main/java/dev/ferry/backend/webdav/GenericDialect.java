package dev.ferry.backend.webdav;

import dev.ferry.api.Capabilities;
import dev.ferry.api.Entry;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;

/**
 * Generic WebDAV servers (Apache mod_dav, rclone serve, NAS boxes): uploads through a temporary
 * name ({@link GenericUpload}); whether times and checksums are kept is probed at the first
 * write ({@link CapabilityProbe}); no way to set a time afterwards, no resumable uploads.
 */
final class GenericDialect implements Dialect {

    private final CapabilityProbe probe;
    private final GenericUpload upload;

    GenericDialect(Dav dav) {
        this.probe = new CapabilityProbe(dav);
        this.upload = new GenericUpload(dav);
    }

    @Override
    public Capabilities capabilities() {
        return probe.capabilities();
    }

    @Override
    public Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        probe.beforeWrite();
        return upload.write(path, content, hints);
    }

    @Override
    public boolean setsModTime() {
        return false;
    }

    @Override
    public Entry setModTime(SyncPath path, Instant modTime) throws IOException {
        throw new PermanentSyncException("a generic WebDAV server cannot set a file's time");
    }

    @Override
    public Optional<ResumableWriter> resumable() {
        return Optional.empty();
    }
}
