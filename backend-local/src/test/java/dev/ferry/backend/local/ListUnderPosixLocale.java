package dev.ferry.backend.local;

import dev.ferry.api.Entry;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.SyncPath;
import java.nio.file.Path;

/**
 * Started by {@link UnrepresentableNameTest} in a JVM under {@code LC_ALL=C}: lists the directory
 * given as its argument through {@link LocalTarget} and prints what it saw, one line each, with
 * every non-ASCII character escaped (the child's stdout cannot spell them either).
 */
public final class ListUnderPosixLocale {

    private ListUnderPosixLocale() {}

    public static void main(String[] args) {
        System.out.println("ENCODING " + System.getProperty("sun.jnu.encoding"));
        try (LocalTarget t = new LocalTarget(Path.of(args[0]))) {
            t.list(SyncPath.ROOT, new ListingSink() {
                @Override
                public void entry(Entry entry) {
                    System.out.println("ENTRY " + escape(entry.path().toString()));
                }

                @Override
                public void notice(ListingNotice notice) {
                    System.out.println("NOTICE " + notice.reason() + " " + escape(notice.location()) + " | "
                            + escape(notice.detail()));
                }
            });
        } catch (Exception e) {
            System.out.println("ERROR " + escape(String.valueOf(e)));
        }
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(c < 0x80 ? String.valueOf((char) c) : String.format("\\u%04X", c)));
        return b.toString();
    }
}
