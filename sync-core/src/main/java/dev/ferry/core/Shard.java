package dev.ferry.core;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import dev.ferry.api.SyncPath;

/**
 * One part of a sync split for schedulers that already exist (a Kubernetes Indexed Job, a Slurm
 * job array): shard {@code index} of {@code count} takes its part of the paths on both sides, so
 * each shard is an ordinary run over its part and the N runs together do exactly what one run
 * would, deletions included.
 *
 * <p>Two ways to split. By default a path's <b>top-level name</b> hashes to its shard (CRC-32 of
 * its UTF-8 bytes, modulo {@code count}): stable for ever, nothing to hand around, and everything
 * below a top-level directory stays in one shard, so a tree whose files all sit in one top-level
 * directory does not split. With {@link ShardBounds} a shard takes a <b>key range</b> of whole
 * paths instead, which splits a flat S3 prefix or one huge directory; the cuts come from a
 * listing sample and every shard must be given the same ones. Key ranges are for one-way runs
 * only: a two-way state remembers deletions per shard, and ranges move with the data.
 *
 * @param index 0-based, below {@code count}
 * @param count how many shards, at least 1
 * @param bounds the key ranges, or null to split by the hash of the top-level name
 */
public record Shard(int index, int count, ShardBounds bounds) {

    /** Validates. */
    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("a shard is I/N with 0 <= I < N, not " + index + "/" + count);
        }
        if (bounds != null && bounds.count() != count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + " needs bounds for " + count
                    + " shards, but they cut the tree into " + bounds.count());
        }
    }

    /** Shard {@code index} of {@code count} by the hash of the top-level name. */
    public Shard(int index, int count) {
        this(index, count, null);
    }

    /** This shard, taking the key range {@code bounds} gives it instead of a hash. */
    public Shard withBounds(ShardBounds bounds) {
        return new Shard(index, count, bounds);
    }

    /** Whether this shard takes a key range rather than the paths of a hash. */
    public boolean byKeyRange() {
        return bounds != null;
    }

    /**
     * Parses {@code I/N}.
     *
     * @throws IllegalArgumentException naming the text when it is not {@code I/N} with 0 <= I < N
     */
    public static Shard parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        try {
            if (slash > 0) {
                return new Shard(Integer.parseInt(t.substring(0, slash).trim()), Integer.parseInt(t.substring(slash + 1).trim()));
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("a shard is I/N with 0 <= I < N, such as 0/4, not '" + text + "'");
    }

    /** The shard, of {@code count}, that a top-level name falls in. */
    public static int of(String topLevelName, int count) {
        CRC32 crc = new CRC32();
        crc.update(topLevelName.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % count);
    }

    /** Whether a file's {@code path} belongs to this shard. */
    public boolean includes(SyncPath path) {
        if (path.isRoot() || count == 1) {
            return true;
        }
        String p = path.toString();
        if (bounds != null) {
            return bounds.includesFile(index, p);
        }
        int slash = p.indexOf('/');
        return of(slash < 0 ? p : p.substring(0, slash), count) == index;
    }

    /**
     * Whether anything below {@code directory} can belong to this shard (the root belongs to
     * every shard). With key ranges a directory may span several shards: each enters it and
     * keeps to its own files.
     */
    public boolean includesDirectory(SyncPath directory) {
        if (bounds != null && !directory.isRoot() && count > 1) {
            return bounds.includesDirectory(index, directory.toString());
        }
        return includes(directory);
    }

    /** {@code I/N}, with the range for a key-range shard (so its state is kept apart from other cuts). */
    @Override
    public String toString() {
        if (bounds == null) {
            return index + "/" + count;
        }
        String from = bounds.from(index);
        String until = bounds.until(index);
        return index + "/" + count + " [" + (from == null ? "" : "'" + from + "'") + ", "
                + (until == null ? "" : "'" + until + "'") + ")";
    }
}
