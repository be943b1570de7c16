package dev.ferry.core;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where runs keep what they remember, the one place that knows the state directory's layout:
 *
 * <pre>
 * &lt;state dir&gt;/pairs/&lt;hash of source, destination&gt;.state     two-way state (+ .journal)
 * &lt;state dir&gt;/pairs/&lt;hash of source, destination&gt;.lock      a two-way pair's run lock
 * &lt;state dir&gt;/pairs/&lt;hash of source, destination&gt;.copies    one-way record of copies (+ .journal)
 * &lt;state dir&gt;/transfers/&lt;hash of destination&gt;.journal      resumable writes under way
 * </pre>
 *
 * A sharded run ({@link Shard}) keys every name by its shard as well, so the shards of one pair
 * can run at once. The state directory is {@link SyncOptions#stateDirectory()}, else {@code $XDG_STATE_HOME/ferry},
 * else {@code ~/.local/state/ferry}. Names are hashes of the locations (without credentials), so
 * a path in a location never becomes a path on disk.
 */
final class StateLayout {

    private final Path root;
    /** "" unsharded; else the shard, so shards running at once never share a state file or journal. */
    private final String shardKey;

    private StateLayout(Path root, String shardKey) {
        this.root = root;
        this.shardKey = shardKey;
    }

    /** The layout for a run with these options. */
    static StateLayout of(SyncOptions options) {
        return new StateLayout(options.stateDirectory().orElseGet(StateLayout::defaultDirectory),
                options.filter().shard().map(s -> "\u0000shard " + s).orElse(""));
    }

    /** A file of the ordered pair {@code source -> destination}: {@code .state}, {@code .lock}, {@code .copies}. */
    Path pairFile(String source, String destination, String suffix) {
        return root.resolve("pairs").resolve(hashName(source + "\u0000" + destination + shardKey) + suffix);
    }

    /** The journal of resumable writes to one destination. */
    Path transferJournal(String destination) {
        return root.resolve("transfers").resolve(hashName(destination + shardKey) + ".journal");
    }

    /** A file name for a key: 20 hex digits of its SHA-256. */
    static String hashName(String key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code $XDG_STATE_HOME/ferry}, else {@code ~/.local/state/ferry}. */
    static Path defaultDirectory() {
        String xdg = System.getenv("XDG_STATE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "ferry");
        }
        return Path.of(System.getProperty("user.home"), ".local", "state", "ferry");
    }
}
