package dev.ferry.backend.emoncms;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;

/**
 * The body of a {@code feed/sync} request, built in place in one buffer: segments (a header, then
 * raw points copied from the source's data file) and a CRC-32 trailer over everything before it.
 * All integers are uint32 little-endian; {@code seg_len} counts its own header and
 * {@code data_start} is a byte offset (PROTOCOLS.md §1.7).
 */
final class SyncBody {

    private final ByteBuffer buf;

    /** A body of at most {@code budget} bytes, trailer included. */
    SyncBody(int budget) {
        this.buf = ByteBuffer.allocate(budget).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Bytes still free for a segment's data after a header for {@code engine}, whole points only. */
    int room(FeedEngine engine) {
        int free = buf.capacity() - buf.position() - engine.segmentHeader() - 4;
        return free <= 0 ? 0 : free - free % engine.pointSize();
    }

    /** The array the next segment's data goes to, at {@link #dataOffset(FeedEngine)}. */
    byte[] array() {
        return buf.array();
    }

    /** Where the next segment's data starts in {@link #array()}. */
    int dataOffset(FeedEngine engine) {
        return buf.position() + engine.segmentHeader();
    }

    /**
     * Closes a segment whose {@code dataLength} bytes were put at {@link #dataOffset}: writes its
     * header for remote feed {@code remote}, the data going at byte {@code dataStart} of the remote file.
     */
    void segment(FeedMeta remote, long startTime, long interval, long dataStart, int dataLength) {
        FeedEngine engine = remote.engine();
        int at = buf.position();
        int len = engine.segmentHeader() + dataLength;
        buf.putInt(at, len);
        buf.putInt(at + 4, remote.id());
        if (engine == FeedEngine.PHPFINA) {
            buf.putInt(at + 8, (int) startTime);
            buf.putInt(at + 12, (int) interval);
            buf.putInt(at + 16, (int) dataStart);
        } else {
            buf.putInt(at + 8, (int) dataStart);
        }
        buf.position(at + len);
    }

    /** Whether any segment is in. */
    boolean isEmpty() {
        return buf.position() == 0;
    }

    /** Appends the CRC-32 trailer; returns the body's length. */
    int finish() {
        CRC32 crc = new CRC32();
        crc.update(buf.array(), 0, buf.position());
        int end = buf.position();
        buf.putInt(end, (int) crc.getValue());
        return end + 4;
    }
}
