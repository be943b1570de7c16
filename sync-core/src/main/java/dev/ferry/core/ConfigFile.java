package dev.ferry.core;

import dev.ferry.api.InvalidTargetException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Ferry's config file as text: the one parser of its sections, and the one way to change it.
 * Sections are named remotes ({@code [photos-ftp]}, read by {@link RemotesConfig}) and typed
 * sections whose header names a kind and a name ({@code [pair data]}, {@code [settings pairs]},
 * {@code [job photos]}). Edits keep every other line as the user wrote it, comments included.
 *
 * <p>{@link #update} is how a command changes the file: under a lock (so two processes adding a
 * pair at once both land), from the file as it is now, written to a temporary file with
 * owner-only permissions, forced to disk and renamed over the old one (so a crash leaves the old
 * file or the new one, never half of either). Instances are immutable.
 */
public final class ConfigFile {

    /** Section kinds other than remotes. */
    public static final Set<String> KINDS = Set.of("pair", "settings", "job");

    /** The kind of an untyped section: a named remote. */
    public static final String REMOTE = "remote";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();

    /**
     * One {@code key = value} line.
     *
     * @param line its line number, 1-based (0 for a setting not yet written)
     */
    public record Setting(String key, String value, int line) {
        /** Validates. */
        public Setting {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        /** A setting to write. */
        public static Setting of(String key, String value) {
            return new Setting(key, value, 0);
        }
    }

    /**
     * One section.
     *
     * @param kind {@link #REMOTE} for {@code [name]}, else the first word of {@code [kind name]}
     * @param name the section's name
     * @param line the header's line number
     * @param settings its settings in file order (a key may repeat; whether that is allowed is
     *     the reader's rule)
     */
    public record Section(String kind, String name, int line, List<Setting> settings) {
        /** Validates and copies. */
        public Section {
            settings = List.copyOf(settings);
        }

        /** The first value of {@code key}. */
        public Optional<String> value(String key) {
            return settings.stream().filter(s -> s.key().equals(key)).map(Setting::value).findFirst();
        }

        /** Every value of {@code key}, in order. */
        public List<String> values(String key) {
            return settings.stream().filter(s -> s.key().equals(key)).map(Setting::value).toList();
        }
    }

    private record Span(Section section, int from, int to) {}

    /** A change to the file, for {@link #update}. */
    @FunctionalInterface
    public interface Edit {
        /** The file as it should be, given the file as it is. */
        ConfigFile apply(ConfigFile current) throws IOException;
    }

    private final String fileName;
    private final List<String> lines;
    private final List<Span> spans;

    private ConfigFile(String fileName, List<String> lines, List<Span> spans) {
        this.fileName = fileName;
        this.lines = lines;
        this.spans = spans;
    }

    /**
     * Parses config text.
     *
     * @param fileName how to name the file in messages
     * @throws InvalidTargetException naming file and line for a malformed header or line
     */
    public static ConfigFile parse(String text, String fileName) throws InvalidTargetException {
        List<String> lines = new ArrayList<>(List.of(text.split("\r\n|\r|\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1); // the final newline
        }
        if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
            lines.set(0, lines.get(0).substring(1));
        }
        List<Span> spans = new ArrayList<>();
        String kind = null;
        String name = null;
        int headerIndex = -1;
        List<Setting> settings = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]")) {
                    throw error(fileName, lineNo, "a section header must look like [name] or [kind name]");
                }
                if (kind != null) {
                    spans.add(new Span(new Section(kind, name, headerIndex + 1, settings), headerIndex, i));
                }
                String inside = line.substring(1, line.length() - 1).strip();
                String[] words = inside.split("\\s+");
                if (words.length == 2) {
                    if (!KINDS.contains(words[0])) {
                        throw error(fileName, lineNo, "unknown section kind '" + words[0] + "' (known: "
                                + String.join(", ", new java.util.TreeSet<>(KINDS)) + "; a remote is [name])");
                    }
                    kind = words[0];
                    name = words[1];
                } else if (words.length == 1) {
                    kind = REMOTE;
                    name = words[0];
                } else {
                    throw error(fileName, lineNo, "a section header must look like [name] or [kind name]");
                }
                if (!NAME.matcher(name).matches() || name.length() < 2) {
                    throw error(fileName, lineNo, "invalid " + (kind.equals(REMOTE) ? "remote" : kind) + " name '"
                            + name + "': use letters, digits, '_', '-', '.', at least two characters");
                }
                for (Span sp : spans) {
                    if (sp.section.kind().equals(kind) && sp.section.name().equals(name)) {
                        throw error(fileName, lineNo, (kind.equals(REMOTE) ? "remote [" + name + "]" : "[" + kind + " "
                                + name + "]") + " is defined twice (first at line " + sp.section.line() + ")");
                    }
                }
                headerIndex = i;
                settings = new ArrayList<>();
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw error(fileName, lineNo, "expected 'key = value', '[name]' or a comment");
            }
            String key = line.substring(0, eq).strip();
            if (kind == null) {
                throw error(fileName, lineNo, "option '" + key + "' before the first [section]");
            }
            if (!KEY.matcher(key).matches()) {
                throw error(fileName, lineNo, "invalid option name '" + key + "'");
            }
            settings.add(new Setting(key, unquote(line.substring(eq + 1).strip()), lineNo));
        }
        if (kind != null) {
            spans.add(new Span(new Section(kind, name, headerIndex + 1, settings), headerIndex, lines.size()));
        }
        return new ConfigFile(fileName, List.copyOf(lines), List.copyOf(spans));
    }

    /**
     * Reads a config file; a missing file is an empty one.
     *
     * @throws InvalidTargetException if it is not UTF-8 or malformed (naming file and line)
     */
    public static ConfigFile read(Path file) throws IOException {
        return parse(readText(file).orElse(""), file.toString());
    }

    /** The file this came from, for messages. */
    public String fileName() {
        return fileName;
    }

    /** Every section, in file order. */
    public List<Section> sections() {
        return spans.stream().map(Span::section).toList();
    }

    /** The sections of one kind ({@link #REMOTE}, {@code pair}...), in file order. */
    public List<Section> sections(String kind) {
        return sections().stream().filter(s -> s.kind().equals(kind)).toList();
    }

    /** One section. */
    public Optional<Section> section(String kind, String name) {
        return sections(kind).stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * This file with the section {@code [kind name]} holding exactly {@code settings}: replaced
     * in place where it was, else appended at the end.
     *
     * @throws IllegalArgumentException for a bad name or key, or a value that cannot be written on one line
     */
    public ConfigFile with(String kind, String name, List<Setting> settings) throws InvalidTargetException {
        if (!NAME.matcher(name).matches() || name.length() < 2) {
            throw new IllegalArgumentException("invalid name '" + name
                    + "': use letters, digits, '_', '-', '.', at least two characters");
        }
        List<String> block = new ArrayList<>();
        block.add(kind.equals(REMOTE) ? "[" + name + "]" : "[" + kind + " " + name + "]");
        for (Setting s : settings) {
            if (!KEY.matcher(s.key()).matches()) {
                throw new IllegalArgumentException("invalid option name '" + s.key() + "'");
            }
            if (s.value().indexOf('\n') >= 0 || s.value().indexOf('\r') >= 0) {
                throw new IllegalArgumentException("option '" + s.key() + "' cannot hold a line break");
            }
            block.add(s.key() + " = " + quote(s.value()));
        }
        List<String> out = new ArrayList<>(lines);
        Optional<Span> old = spans.stream()
                .filter(sp -> sp.section.kind().equals(kind) && sp.section.name().equals(name)).findFirst();
        if (old.isPresent()) {
            int end = trimTrailing(out, old.get().from, old.get().to);
            out.subList(old.get().from, end).clear();
            out.addAll(old.get().from, block);
        } else {
            if (!out.isEmpty() && !out.get(out.size() - 1).isBlank()) {
                out.add("");
            }
            out.addAll(block);
        }
        return parse(String.join("\n", out) + "\n", fileName);
    }

    /** This file without the section {@code [kind name]} (unchanged if there is none). */
    public ConfigFile without(String kind, String name) throws InvalidTargetException {
        Optional<Span> old = spans.stream()
                .filter(sp -> sp.section.kind().equals(kind) && sp.section.name().equals(name)).findFirst();
        if (old.isEmpty()) {
            return this;
        }
        List<String> out = new ArrayList<>(lines);
        int end = trimTrailing(out, old.get().from, old.get().to);
        // The blank lines after it go too, so removing what was appended leaves the file as it was.
        while (end < out.size() && out.get(end).isBlank()) {
            end++;
        }
        int from = old.get().from;
        if (end == out.size()) {
            while (from > 0 && out.get(from - 1).isBlank()) {
                from--; // the blank line that set an appended section apart
            }
        }
        out.subList(from, end).clear();
        return parse(out.isEmpty() ? "" : String.join("\n", out) + "\n", fileName);
    }

    /** The file's text, as it would be written. */
    public String text() {
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    /**
     * Changes the file at {@code file} safely: under a lock shared with other processes, reads it
     * as it is now (missing means empty), applies {@code edit}, and replaces the file atomically
     * with the result, owner-only (0600), forced to disk. The parent directory is created (0700)
     * if missing. A symbolic link to the file is followed and kept.
     *
     * @return the file as written
     * @throws InvalidTargetException if the current file is malformed (nothing is written)
     */
    public static ConfigFile update(Path file, Edit edit) throws IOException {
        Path target = file.toAbsolutePath();
        if (Files.isSymbolicLink(target)) {
            target = target.toRealPath();
        }
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(dir);
            }
        }
        Path lockFile = dir.resolve("." + target.getFileName() + ".lock");
        IN_PROCESS.lock();
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lockChannel.lock()) {
            ConfigFile before = parse(readText(target).orElse(""), file.toString());
            ConfigFile after = edit.apply(before);
            if (after.text().equals(before.text()) && Files.exists(target)) {
                return after;
            }
            writeAtomically(target, after.text());
            return after;
        } finally {
            IN_PROCESS.unlock();
        }
    }

    private static void writeAtomically(Path target, String text) throws IOException {
        Path dir = target.getParent();
        Path temp;
        while (true) {
            temp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + ".tmp");
            try {
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                break;
            } catch (FileAlreadyExistsException e) {
                // another name
            } catch (UnsupportedOperationException e) {
                Files.createFile(temp);
                break;
            }
        }
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every file system lets a directory be forced; the rename itself is atomic.
        }
    }

    static Optional<String> readText(Path file) throws IOException {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (CharacterCodingException e) {
            throw new InvalidTargetException(file + ": not UTF-8 text");
        }
    }

    /** Index after the last line of a span that is not blank or a comment (those belong to what follows). */
    private static int trimTrailing(List<String> lines, int from, int to) {
        int end = to;
        while (end > from + 1) {
            String l = lines.get(end - 1).strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
                end--;
            } else {
                break;
            }
        }
        return end;
    }

    static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private static String quote(String v) {
        boolean needs = !v.equals(v.strip()) || v.length() >= 2
                && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"));
        return needs ? "\"" + v + "\"" : v;
    }

    static InvalidTargetException error(String file, int line, String message) {
        return new InvalidTargetException(file + ":" + line + ": " + message);
    }

    @Override
    public String toString() {
        return "ConfigFile[" + fileName + ", " + spans.size() + " sections]";
    }
}
