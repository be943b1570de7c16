package dev.ferry.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * A small streaming JSON writer (no library: JVM start-up time matters for a command line tool).
 * Strings are escaped fully, including control characters, U+2028/U+2029 and unpaired surrogates,
 * so the output is valid UTF-8 JSON whatever a file name holds.
 */
final class Json {

    private final StringBuilder b = new StringBuilder(256);
    /** One flag per open container: whether it has a member yet. */
    private final Deque<boolean[]> open = new ArrayDeque<>();
    private boolean afterName;

    Json beginObject() {
        separate();
        b.append('{');
        open.push(new boolean[1]);
        return this;
    }

    Json endObject() {
        open.pop();
        b.append('}');
        return this;
    }

    Json beginArray() {
        separate();
        b.append('[');
        open.push(new boolean[1]);
        return this;
    }

    Json endArray() {
        open.pop();
        b.append(']');
        return this;
    }

    Json name(String name) {
        separate();
        string(name);
        b.append(':');
        afterName = true;
        return this;
    }

    Json value(String s) {
        separate();
        if (s == null) {
            b.append("null");
        } else {
            string(s);
        }
        return this;
    }

    Json value(long n) {
        separate();
        b.append(n);
        return this;
    }

    Json value(double d) {
        separate();
        b.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.3f", d) : "null");
        return this;
    }

    Json value(boolean v) {
        separate();
        b.append(v);
        return this;
    }

    Json field(String name, String s) {
        return name(name).value(s);
    }

    Json field(String name, long n) {
        return name(name).value(n);
    }

    Json field(String name, boolean v) {
        return name(name).value(v);
    }

    Json field(String name, double v) {
        return name(name).value(v);
    }

    @Override
    public String toString() {
        return b.toString();
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        boolean[] first = open.peek();
        if (first != null) {
            if (first[0]) {
                b.append(',');
            }
            first[0] = true;
        }
    }

    private void string(String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    boolean unpaired = Character.isHighSurrogate(c)
                            && (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))
                            || Character.isLowSurrogate(c)
                            && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || c == 0x7f || unpaired) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
