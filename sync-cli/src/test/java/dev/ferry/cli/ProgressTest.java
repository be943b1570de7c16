package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Entry;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.SyncPath;
import dev.ferry.core.SyncAction;
import dev.ferry.core.SyncFailure;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncPlan;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private CliEnv env(boolean terminal) {
        return new CliEnv(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), k -> null, terminal, false);
    }

    private static SyncAction.CopyFile copy(String path, long size) {
        return new SyncAction.CopyFile(Entry.file(SyncPath.of(path), size).build(), Optional.empty(),
                SyncAction.Reason.MISSING);
    }

    @Test
    void statusShowsFilesBytesPercentRateAndEta() {
        SyncAction.CopyFile a = copy("a", 1000);
        SyncAction.CopyFile b = copy("b", 3000);
        try (Progress p = new Progress(env(false), false, true, false)) {
            assertThat(p.status(System.nanoTime())).startsWith("scanning: 0 entries");
            p.planned(new SyncPlan(SyncMode.COPY, "src", "dst", List.of(a, b), 0, List.of(), Optional.empty()));
            p.transferred(a, 1000);
            p.finished(a);
            p.transferred(b, 1000);
            String s = p.status(System.nanoTime() + 1_000_000_000L);
            assertThat(s).startsWith("1/2 files, 2.0 KiB/3.9 KiB (50%), ").contains("B/s").contains("ETA ");
            p.failed(b, new SyncFailure("b", SyncFailure.Stage.COPY, "disk full", false));
            assertThat(p.status(System.nanoTime())).endsWith(", 1 failed");
        }
    }

    @Test
    void verboseLinesAndNotices() {
        try (Progress p = new Progress(env(false), true, false, false)) {
            p.finished(copy("dir/x.txt", 12));
            p.finished(new SyncAction.DeleteFile(Entry.file(SyncPath.of("old\nname"), 1).build()));
            p.notice(new ListingNotice("link", ListingNotice.Reason.SYMLINK, "symbolic link not followed"));
            p.notice(ListingNotice.hostileName(SyncPath.ROOT, "..", "not a safe name"));
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("copied  dir/x.txt (12 B)\ndeleted old\\x0aname\n"
                .replace("\n", System.lineSeparator()));
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("ferry: notice: link: symbolic link not followed")
                .contains("ferry: error: ..: not a safe name");
    }

    @Test
    void quietShowsOnlyNothing() {
        try (Progress p = new Progress(env(true), false, true, false)) {
            p.finished(copy("a", 1));
            p.notice(new ListingNotice("link", ListingNotice.Reason.SYMLINK, "skipped"));
        }
        assertThat(out.size()).isZero();
        assertThat(err.size()).isZero();
    }

    @Test
    void theTerminalBlockShowsTheBarFilesDoneAndEachTransferInFlight() {
        SyncAction.CopyFile a = copy("photos/a.jpg", 1000);
        SyncAction.CopyFile b = copy("photos/b.jpg", 3000);
        SyncAction.CopyFile c = copy("c.bin", 4000);
        try (Progress p = new Progress(env(false), false, true, false)) {
            p.planned(new SyncPlan(SyncMode.COPY, "src", "dst", List.of(a, b, c), 0, List.of(), Optional.empty()));
            p.started(a);
            p.started(b);
            p.transferred(a, 1000);
            p.finished(a);
            p.transferred(b, 1500);
            p.started(c);
            List<String> block = p.screen(System.nanoTime() + 1_000_000_000L);
            assertThat(block.get(0)).startsWith("[").contains(" 31%  ").contains("2.4 KiB / 7.8 KiB").contains("ETA ");
            assertThat(block.get(1)).startsWith("Files: 1/3 done, 2 in flight");
            assertThat(block.subList(2, block.size())).containsExactly(
                    "  photos/b.jpg  50% [#####>....] 1.5 KiB / 2.9 KiB",
                    "  c.bin   0% [>.........] 0 B / 3.9 KiB");
        }
    }
}
