package dev.ferry.backend.emoncms;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * A feed's data bytes from an offset, through {@code feed/export.json}. The server's {@code start}
 * is a byte offset it rounds down to a whole point; for PHPFina it then steps back one more point
 * (the one-point overlap: the last point a client holds may have been updated in place). This
 * asks for the point the offset lies in and skips exactly the bytes before the offset, so the
 * stream starts at the byte asked for, for both engines.
 */
final class FeedReads {

    private final EmoncmsHttp http;

    FeedReads(EmoncmsHttp http) {
        this.http = http;
    }

    InputStream open(FeedMeta feed, long offset) throws IOException {
        int ps = feed.engine().pointSize();
        long aligned = offset - offset % ps;
        // What PHPFina::export will start at for a given start: floor(start/4)*4, minus 4 when >= 4.
        long serverStart = feed.engine() == FeedEngine.PHPFINA && aligned >= 4 ? aligned - 4 : aligned;
        InputStream in = http.getStream("feed/export.json", Map.of("id", String.valueOf(feed.id()), "start", String.valueOf(aligned)));
        long skip = offset - serverStart;
        try {
            in.skipNBytes(skip);
        } catch (java.io.EOFException e) {
            in.close();
            return InputStream.nullInputStream(); // the offset is at or past the end
        } catch (IOException e) {
            in.close();
            throw e;
        }
        return in;
    }
}
