package dev.ferry.core;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import dev.ferry.api.SyncPath;

/**
 * One part of a sync split for schedulers that already exist (a Kubernetes Indexed Job, a Slurm
 * job array): shard {@code index} of {@code count} takes the paths whose top-level name hashes to
 * {@code index} (CRC-32 of its UTF-8 bytes, modulo {@code count}), on both sides, so each shard
 * is an ordinary run over its part and the N runs together do exactly what one run would,
 * deletions included. Everything below a top-level directory stays in one shard; a tree whose
 * files all sit in one top-level directory does not split (shard by a deeper level by pointing
 * the run there).
 *
 * @param index 0-based, below {@code count}
 * @param count how many shards, at least 1
 */
public record Shard(int index, int count) {

    /** Validates. */
    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("a shard is I/N with 0 <= I < N, not " + index + "/" + count);
        }
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

    /** Whether {@code path} belongs to this shard (the root belongs to every shard). */
    public boolean includes(SyncPath path) {
        if (path.isRoot() || count == 1) {
            return true;
        }
        String p = path.toString();
        int slash = p.indexOf('/');
        return of(slash < 0 ? p : p.substring(0, slash), count) == index;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
