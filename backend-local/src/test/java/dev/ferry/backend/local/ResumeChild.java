package dev.ferry.backend.local;

import dev.ferry.api.SyncTarget;
import dev.ferry.api.SyncTargets;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncOptions;
import java.nio.file.Path;

/** Run in a child JVM by {@link ResumeTest}, which kills it half-way: a slow copy of SRC to DST. */
public final class ResumeChild {

    private ResumeChild() {}

    public static void main(String[] args) throws Exception {
        try (SyncTarget src = SyncTargets.load().open(args[0]);
                SyncTarget dst = SyncTargets.load().open(args[1])) {
            Sync.between(src, dst, SyncOptions.builder().stateDirectory(Path.of(args[2]))
                    .bandwidthLimit(Long.parseLong(args[3])).build()).run();
        }
    }
}
