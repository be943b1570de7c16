package dev.ferry.backend.vfs;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.SyncTargetProvider;
import dev.ferry.api.TargetSpec;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.FileSystemException;
import org.apache.commons.vfs2.FileSystemManager;
import org.apache.commons.vfs2.VFS;

/** The {@code vfs} scheme: {@code vfs:} followed by any Commons VFS URL whose provider is on the class path. */
public final class VfsTargetProvider implements SyncTargetProvider {

    /** For {@link java.util.ServiceLoader}. */
    public VfsTargetProvider() {}

    @Override
    public String scheme() {
        return "vfs";
    }

    @Override
    public String description() {
        return "Apache Commons VFS: vfs:file://, vfs:sftp://, vfs:http:// (read-only), vfs:zip:...!/dir (read-only)";
    }

    @Override
    public List<dev.ferry.api.TargetOption> options() {
        return VfsOptions.ALL;
    }

    @Override
    public SyncTarget open(TargetSpec spec) throws IOException {
        if (!scheme().equals(spec.scheme())) {
            throw new InvalidTargetException("not a vfs: location");
        }
        String url = spec.location().getRawSchemeSpecificPart();
        int colon = url == null ? -1 : url.indexOf(':');
        if (colon <= 0) {
            throw new InvalidTargetException("a vfs: location needs a VFS URL after it, like vfs:file:///srv/data");
        }
        String inner = url.substring(0, colon);
        FileSystemManager manager = VFS.getManager();
        if (!manager.hasProvider(inner)) {
            throw new InvalidTargetException("no Commons VFS provider for '" + inner + "'; available: "
                    + String.join(", ", sorted(manager.getSchemes())));
        }
        org.apache.commons.vfs2.FileSystemOptions options = VfsOptions.of(spec, inner);
        FileObject root;
        try {
            root = manager.resolveFile(url, options);
            root.exists(); // connect and log in now, so a refusal is an error here, not at the first listing
        } catch (FileSystemException e) {
            // VFS messages can carry the URL with its password: name only the scheme.
            throw new InvalidTargetException("cannot open the " + inner + " location: " + e.getCode());
        }
        if (root.exists() && !root.isFolder()) {
            throw new InvalidTargetException("not a directory: " + root.getName().getFriendlyURI());
        }
        return new VfsTarget(root);
    }

    private static List<String> sorted(String[] schemes) {
        String[] copy = schemes.clone();
        Arrays.sort(copy);
        return List.of(copy);
    }
}
