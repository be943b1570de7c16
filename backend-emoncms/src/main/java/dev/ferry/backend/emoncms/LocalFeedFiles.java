package dev.ferry.backend.emoncms;

import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A local instance's feed files, read directly as the official sync module reads them:
 * {@code phpfina/<id>.meta} (16 bytes: two legacy zeros, interval, start time, uint32 LE) with
 * {@code phpfina/<id>.dat} (float32 LE), and {@code phptimeseries/feed_<id>.MYD} (9-byte records).
 * Point counts come from file sizes; a size that is not a whole number of points is reported, not
 * rounded away.
 */
final class LocalFeedFiles {

    private final Path phpfina;
    private final Path phptimeseries;

    LocalFeedFiles(Path dataDir) {
        this.phpfina = dataDir.resolve("phpfina");
        this.phptimeseries = dataDir.resolve("phptimeseries");
    }

    /** The feed's meta from its files; {@code listed} gives id, tag, name and engine. */
    FeedMeta meta(FeedMeta listed) throws IOException {
        Path data = dataFile(listed);
        long size = size(data, listed);
        int ps = listed.engine().pointSize();
        long npoints = size / ps;
        if (listed.engine() == FeedEngine.PHPFINA) {
            ByteBuffer m = ByteBuffer.wrap(read(phpfina.resolve(listed.id() + ".meta"), 0, 16, listed)).order(ByteOrder.LITTLE_ENDIAN);
            long interval = Integer.toUnsignedLong(m.getInt(8));
            long start = Integer.toUnsignedLong(m.getInt(12));
            long end = npoints == 0 ? 0 : start + interval * (npoints - 1);
            return new FeedMeta(listed.id(), listed.tag(), listed.name(), listed.engine(), interval, start, npoints, end);
        }
        long start = npoints == 0 ? 0 : time(read(data, 0, 9, listed));
        long end = npoints == 0 ? 0 : time(read(data, (npoints - 1) * 9, 9, listed));
        return new FeedMeta(listed.id(), listed.tag(), listed.name(), listed.engine(), 0, start, npoints, end);
    }

    /** Bytes of the data file, to tell a partial point. */
    long dataSize(FeedMeta listed) throws IOException {
        return size(dataFile(listed), listed);
    }

    /** The data file from {@code offset}. */
    InputStream open(FeedMeta feed, long offset) throws IOException {
        Path data = dataFile(feed);
        try {
            FileChannel ch = FileChannel.open(data, StandardOpenOption.READ);
            ch.position(offset);
            return Channels.newInputStream(ch);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("feed " + feed.label() + " has no data file " + data);
        }
    }

    private Path dataFile(FeedMeta f) {
        return f.engine() == FeedEngine.PHPFINA ? phpfina.resolve(f.id() + ".dat") : phptimeseries.resolve("feed_" + f.id() + ".MYD");
    }

    private static long size(Path p, FeedMeta f) throws IOException {
        try {
            return Files.size(p);
        } catch (NoSuchFileException e) {
            return 0; // a feed created but never written has no data file yet
        }
    }

    private static byte[] read(Path p, long at, int len, FeedMeta f) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(len);
            while (b.hasRemaining()) {
                if (ch.read(b, at + b.position()) < 0) {
                    throw new PermanentSyncException("feed " + f.label() + ": " + p + " is shorter than " + (at + len) + " bytes");
                }
            }
            return b.array();
        } catch (NoSuchFileException e) {
            throw new NotFoundException("feed " + f.label() + " has no file " + p + " (is dataDir the instance's data folder?)");
        }
    }

    private static long time(byte[] record) {
        return Integer.toUnsignedLong(ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN).getInt(1));
    }
}
