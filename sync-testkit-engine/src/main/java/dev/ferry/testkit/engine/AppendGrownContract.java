package dev.ferry.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncAction;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncPlan;
import dev.ferry.core.SyncReport;
import dev.ferry.core.SyncTargets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Append-only sync of files ({@code --append}, {@link SyncOptions#appendGrown()}) from a local
 * folder to the target under test, which must have the {@link dev.ferry.api.Appender} ability: a
 * log that only grew sends only its tail (the plan shows the byte range, the report counts only
 * the tail); a log rewritten with other bytes is copied whole; without the option a grown file is
 * copied whole as before. A backend's test extends this and supplies a fresh target.
 */
public abstract class AppendGrownContract {

    /** The target under test, fresh and empty. */
    protected SyncTarget target;

    /** Working folders. */
    @TempDir
    protected Path tmp;

    private SyncTarget local;

    /** A fresh, empty target whose root may not exist yet. */
    protected abstract SyncTarget newTarget() throws Exception;

    @BeforeEach
    void open() throws Exception {
        target = newTarget();
        Files.createDirectories(tmp.resolve("src/logs"));
        local = SyncTargets.load().open(tmp.resolve("src").toString());
    }

    @AfterEach
    void close() throws IOException {
        if (target != null) {
            target.close();
        }
        if (local != null) {
            local.close();
        }
    }

    private static SyncOptions append(boolean on) {
        return SyncOptions.builder().appendGrown(on).build();
    }

    private static byte[] lines(int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to; i++) {
            b.append("2026-12-04T10:00:").append(i).append(" INFO line ").append(i).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] remote(String path) throws IOException {
        try (InputStream in = target.open(SyncPath.of(path), 0)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aGrownLogSendsOnlyItsTail() throws Exception {
        Path log = tmp.resolve("src/logs/app.log");
        Files.write(log, lines(0, 2000));
        assertThat(Sync.between(local, target, append(true)).run().failures()).isEmpty();
        long before = Files.size(log);

        byte[] tail = lines(2000, 2050);
        Files.write(log, tail, StandardOpenOption.APPEND);
        SyncPlan plan = Sync.between(local, target, append(true)).dryRun();
        assertThat(plan.actions()).hasSize(1);
        assertThat(plan.actions().get(0)).isInstanceOf(SyncAction.AppendFile.class);
        SyncAction.AppendFile a = (SyncAction.AppendFile) plan.actions().get(0);
        assertThat(a.from()).isEqualTo(before);
        assertThat(a.to()).isEqualTo(before + tail.length);

        SyncReport r = Sync.between(local, target, append(true)).execute(plan);
        assertThat(r.failures()).isEmpty();
        assertThat(r.bytesCopied()).isEqualTo(tail.length);
        assertThat(Arrays.equals(remote("logs/app.log"), Files.readAllBytes(log))).isTrue();
        assertThat(Sync.between(local, target, append(true)).dryRun().actions())
                .noneMatch(x -> x.kind() == SyncAction.Kind.COPY || x.kind() == SyncAction.Kind.APPEND);
    }

    @Test
    void aRewrittenLogIsCopiedWhole() throws Exception {
        Path log = tmp.resolve("src/logs/app.log");
        Files.write(log, lines(0, 1000));
        assertThat(Sync.between(local, target, append(true)).run().failures()).isEmpty();

        // Longer, but not a continuation: the first bytes changed (a rotated, rewritten log).
        byte[] rewritten = lines(5000, 6100);
        Files.write(log, rewritten);
        assertThat(rewritten.length).isGreaterThan((int) lines(0, 1000).length);
        SyncReport r = Sync.between(local, target, append(true)).run();
        assertThat(r.failures()).isEmpty();
        assertThat(r.bytesCopied()).isEqualTo(rewritten.length);
        assertThat(Arrays.equals(remote("logs/app.log"), rewritten)).isTrue();
    }

    @Test
    void withoutTheOptionAGrownFileIsCopiedWhole() throws Exception {
        Path log = tmp.resolve("src/logs/app.log");
        Files.write(log, lines(0, 500));
        assertThat(Sync.between(local, target, append(false)).run().failures()).isEmpty();
        Files.write(log, lines(500, 510), StandardOpenOption.APPEND);
        SyncPlan plan = Sync.between(local, target, append(false)).dryRun();
        assertThat(plan.actions()).allMatch(x -> x.kind() == SyncAction.Kind.COPY);
        SyncReport r = Sync.between(local, target, append(false)).execute(plan);
        assertThat(r.bytesCopied()).isEqualTo(Files.size(log));
        assertThat(Arrays.equals(remote("logs/app.log"), Files.readAllBytes(log))).isTrue();
    }
}
