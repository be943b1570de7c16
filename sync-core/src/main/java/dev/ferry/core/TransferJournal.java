package dev.ferry.core;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Remembers the large transfers in flight to one destination, so a process started after a
 * crash continues them (an upload id, a temporary file) instead of sending everything again.
 * One line per event, appended and flushed at once: {@code key TAB token} when a transfer
 * begins, {@code key TAB} when it ends, both Base64 (names may hold tabs and newlines). The
 * file goes away when nothing is in flight.
 */
final class TransferJournal {

    private final Path file;
    private final Map<String, String> live = new HashMap<>();
    private BufferedWriter out;
    private boolean tornTail;

    private TransferJournal(Path file) {
        this.file = file;
    }

    static TransferJournal open(Path file) throws IOException {
        TransferJournal j = new TransferJournal(file);
        try {
            // Lines are base64 (ASCII): read bytes as Latin-1 so a damaged byte makes its line
            // unreadable (skipped, like a torn line) instead of failing the whole file as bad UTF-8.
            byte[] bytes = Files.readAllBytes(file);
            // A torn last line has no newline: the next record must not be glued onto it.
            j.tornTail = bytes.length > 0 && bytes[bytes.length - 1] != '\n';
            for (String line : new String(bytes, StandardCharsets.ISO_8859_1).lines().toList()) {
                int tab = line.indexOf('\t');
                if (tab < 0) {
                    continue; // a torn last line
                }
                String key;
                String token;
                try {
                    key = decode(line.substring(0, tab));
                    token = decode(line.substring(tab + 1));
                } catch (IllegalArgumentException e) {
                    continue; // a torn last line
                }
                if (token.isEmpty()) {
                    j.live.remove(key);
                } else {
                    j.live.put(key, token);
                }
            }
        } catch (NoSuchFileException e) {
            // nothing in flight
        }
        return j;
    }

    synchronized Optional<String> token(String key) {
        return Optional.ofNullable(live.get(key));
    }

    synchronized void begun(String key, String token) throws IOException {
        live.put(key, token);
        append(encode(key) + '\t' + encode(token));
    }

    synchronized void ended(String key) throws IOException {
        if (live.remove(key) != null) {
            append(encode(key) + '\t');
        }
        if (live.isEmpty()) {
            close();
            Files.deleteIfExists(file);
        }
    }

    private void append(String line) throws IOException {
        if (out == null) {
            Files.createDirectories(file.getParent());
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        if (tornTail) {
            out.newLine();
            tornTail = false;
        }
        out.write(line);
        out.newLine();
        out.flush();
    }

    private static String encode(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String s) {
        return new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
    }

    synchronized void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
