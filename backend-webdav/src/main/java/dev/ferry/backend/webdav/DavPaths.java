package dev.ferry.backend.webdav;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * URL paths, one segment at a time: names are percent-encoded when a request is built and
 * decoded exactly once when a server's {@code href} is read, so a name such as {@code 100%25.txt}
 * on the server is {@code 100%.txt} here and never {@code 100%.txt} decoded a second time.
 */
final class DavPaths {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private DavPaths() {}

    /** Percent-encodes every byte of the UTF-8 name except RFC 3986 unreserved characters. */
    static String encode(String segment) {
        byte[] bytes = segment.getBytes(StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(bytes.length + 8);
        for (byte x : bytes) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return b.toString();
    }

    /** Joins encoded segments under an origin; {@code collection} adds the trailing slash. */
    static String url(String origin, List<String> segments, boolean collection) {
        StringBuilder b = new StringBuilder(origin);
        for (String s : segments) {
            b.append('/').append(encode(s));
        }
        if (collection || segments.isEmpty()) {
            b.append('/');
        }
        return b.toString();
    }

    /**
     * Decodes one raw segment once ({@code +} stays a plus: this is a path, not a form); empty
     * when an escape is malformed or the bytes are not UTF-8.
     */
    static Optional<String> decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return Optional.of(raw);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
                    b = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.writeBytes(b);
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /**
     * The decoded segments of an {@code href}, which servers give as an absolute path or a full
     * URL; empty if it cannot be read. A trailing slash (a collection) adds no segment.
     */
    static Optional<List<String>> hrefSegments(String href) {
        String path = href.trim();
        if (!path.startsWith("/")) {
            try {
                URI u = new URI(path);
                path = u.getRawPath();
                if (path == null) {
                    return Optional.empty();
                }
            } catch (URISyntaxException e) {
                return Optional.empty();
            }
        }
        List<String> out = new ArrayList<>();
        for (String s : path.split("/", -1)) {
            if (s.isEmpty()) {
                continue;
            }
            Optional<String> d = decode(s);
            if (d.isEmpty()) {
                return Optional.empty();
            }
            out.add(d.get());
        }
        return Optional.of(out);
    }
}
