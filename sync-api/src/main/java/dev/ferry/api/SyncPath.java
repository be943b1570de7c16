package dev.ferry.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A normalized path relative to the root of a {@link SyncTarget}: segments joined by {@code /},
 * such as {@code photos/2024/img 001.jpg}. The empty path is the root itself.
 *
 * <p>This is the only way a path enters the engine, and it is what keeps a hostile listing from
 * writing outside a root: it rejects absolute paths, empty, {@code .} and {@code ..} segments,
 * NUL characters and backslashes (a separator on Windows, so {@code ..\..\etc} is refused
 * everywhere). Unicode is kept exactly as given: the NFC and NFD spellings of a name are two
 * different paths, as they are on the file systems that keep them apart.
 *
 * <p>Paths order segment by segment ({@code a/b} sorts before {@code a-b}), so a sorted listing
 * visits a directory's contents right after the directory itself.
 */
public final class SyncPath implements Comparable<SyncPath> {

    /** The root of a target. */
    public static final SyncPath ROOT = new SyncPath("");

    private final String value;

    private SyncPath(String value) {
        this.value = value;
    }

    /**
     * Parses a relative path such as {@code a/b/c.txt}; {@code ""} is the root.
     *
     * @throws IllegalArgumentException naming the problem, if the path is not normalized or could
     *     escape a root
     */
    public static SyncPath of(String path) {
        if (path == null) {
            throw new IllegalArgumentException("path is null");
        }
        if (path.isEmpty()) {
            return ROOT;
        }
        if (path.charAt(0) == '/') {
            throw new IllegalArgumentException("absolute path not allowed: " + quote(path));
        }
        int start = 0;
        while (true) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            checkName(path.substring(start, end), path);
            if (slash < 0) {
                break;
            }
            start = slash + 1;
        }
        return new SyncPath(path);
    }

    /** Builds a path from segments, each checked as by {@link #child(String)}. */
    public static SyncPath of(String first, String... more) {
        SyncPath p = ROOT.child(first);
        for (String name : more) {
            p = p.child(name);
        }
        return p;
    }

    /**
     * The path of a child named {@code name} inside this directory path.
     *
     * @throws IllegalArgumentException if {@code name} is not a single safe name
     */
    public SyncPath child(String name) {
        checkName(name, name);
        return new SyncPath(value.isEmpty() ? name : value + '/' + name);
    }

    /** Resolves a relative path (several segments) below this one. */
    public SyncPath resolve(SyncPath relative) {
        if (relative.isRoot()) {
            return this;
        }
        if (isRoot()) {
            return relative;
        }
        return new SyncPath(value + '/' + relative.value);
    }

    /** Whether this is the root. */
    public boolean isRoot() {
        return value.isEmpty();
    }

    /** The last segment; the empty string for the root. */
    public String name() {
        return value.substring(value.lastIndexOf('/') + 1);
    }

    /** The enclosing directory; the root's parent is the root. */
    public SyncPath parent() {
        int slash = value.lastIndexOf('/');
        return slash < 0 ? ROOT : new SyncPath(value.substring(0, slash));
    }

    /** Number of segments: 0 for the root, 1 for {@code a}, 2 for {@code a/b}. */
    public int depth() {
        if (value.isEmpty()) {
            return 0;
        }
        int n = 1;
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) == '/') {
                n++;
            }
        }
        return n;
    }

    /** The segments, outermost first. */
    public List<String> segments() {
        if (value.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        int slash;
        while ((slash = value.indexOf('/', start)) >= 0) {
            out.add(value.substring(start, slash));
            start = slash + 1;
        }
        out.add(value.substring(start));
        return Collections.unmodifiableList(out);
    }

    /** Whether {@code other} is this path or lies below it. */
    public boolean contains(SyncPath other) {
        if (isRoot() || value.equals(other.value)) {
            return true;
        }
        return other.value.length() > value.length()
                && other.value.startsWith(value)
                && other.value.charAt(value.length()) == '/';
    }

    /**
     * The path of {@code descendant} relative to this one.
     *
     * @throws IllegalArgumentException if it does not lie below this path
     */
    public SyncPath relativize(SyncPath descendant) {
        if (!contains(descendant)) {
            throw new IllegalArgumentException(quote(descendant.value) + " is not inside " + quote(value));
        }
        if (isRoot()) {
            return descendant;
        }
        if (descendant.value.length() == value.length()) {
            return ROOT;
        }
        return new SyncPath(descendant.value.substring(value.length() + 1));
    }

    /** The path with {@code /} separators, {@code ""} for the root. */
    @Override
    public String toString() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SyncPath other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** Segment-wise order: {@code /} sorts below every other character. */
    @Override
    public int compareTo(SyncPath other) {
        String a = value;
        String b = other.value;
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (x == '/') {
                    return -1;
                }
                if (y == '/') {
                    return 1;
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    /**
     * Checks that {@code name} is usable as one segment, and says why not.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static void checkName(String name) {
        checkName(name, name);
    }

    private static void checkName(String name, String whole) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty path segment in " + quote(whole));
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("'" + name + "' segment not allowed in " + quote(whole));
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/') {
                throw new IllegalArgumentException("'/' inside a name: " + quote(whole));
            }
            if (c == '\\') {
                throw new IllegalArgumentException("backslash in a name (a separator on Windows): " + quote(whole));
            }
            if (c == 0) {
                throw new IllegalArgumentException("NUL character in " + quote(whole));
            }
        }
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
