package dev.ferry.backend.emoncms;

import java.util.Optional;

/** The two storage engines Ferry (like the official sync module) moves: their ids and point sizes. */
enum FeedEngine {
    /** Fixed interval: a packed array of float32, one per slot; start time and interval in a .meta. */
    PHPFINA(5, 4, 20),
    /** Variable interval: 9-byte records (flag, time, value). */
    PHPTIMESERIES(2, 9, 12);

    private final int id;
    private final int pointSize;
    private final int segmentHeader;

    FeedEngine(int id, int pointSize, int segmentHeader) {
        this.id = id;
        this.pointSize = pointSize;
        this.segmentHeader = segmentHeader;
    }

    /** Emoncms's engine number ({@code Lib/enum.php}). */
    int id() {
        return id;
    }

    /** Bytes per point in the data file. */
    int pointSize() {
        return pointSize;
    }

    /** Bytes of a {@code feed/sync} segment header for this engine. */
    int segmentHeader() {
        return segmentHeader;
    }

    /** The engine with this number, if Ferry moves it. */
    static Optional<FeedEngine> of(int id) {
        for (FeedEngine e : values()) {
            if (e.id == id) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
