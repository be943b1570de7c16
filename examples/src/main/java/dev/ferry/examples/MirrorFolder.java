package dev.ferry.examples;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.core.Filter;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncPlan;
import dev.ferry.core.SyncReport;
import java.io.IOException;

/** Mirrors one target into another: the library snippet of the README, as a program. */
public final class MirrorFolder {

    private MirrorFolder() {}

    /** {@code MirrorFolder SOURCE DESTINATION}: any two locations, such as two folders. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: MirrorFolder SOURCE DESTINATION");
            System.err.println("  mirrors SOURCE into DESTINATION (any two locations ferry opens, e.g. two folders),");
            System.err.println("  leaving out *.tmp and deleting at most 100 files; prints the plan's size, then the result");
            System.exit(2);
        }
        SyncTargets targets = SyncTargets.load(); // every backend on the class path
        try (SyncTarget source = targets.open(args[0]);
                SyncTarget destination = targets.open(args[1])) {
            SyncOptions options = SyncOptions.builder()
                    .mode(SyncMode.MIRROR)
                    .filter(Filter.builder().exclude("*.tmp").build())
                    .maxDelete(100)
                    .build();
            Sync sync = Sync.between(source, destination, options);
            SyncPlan plan = sync.dryRun(); // inspect before acting
            System.out.println(plan.filesToCopy() + " to copy, " + plan.deletions() + " to delete");
            SyncReport report = sync.execute(plan);
            System.out.println(report.succeeded() ? "in sync" : "problems: " + report.failures());
        }
    }
}
