package dev.ferry.cli;

import dev.ferry.core.SyncTargets;

import dev.ferry.core.SyncAction;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncFailure;
import dev.ferry.core.SyncPlan;
import dev.ferry.core.SyncReport;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** How plans, actions and reports are shown: as lines for people, as JSON for programs. */
final class Plans {

    private Plans() {}

    /**
     * One dry-run line: {@code copy   a/b.txt (1.2 KiB, new)}; in a two-way plan with the side
     * changed ({@code → B}, {@code on A}).
     */
    static String planned(SyncAction a, boolean twoWay) {
        return String.format(Locale.ROOT, "%-6s ", a.kind().verb()) + what(a, true) + side(a, twoWay);
    }

    /** One {@code -v} line for a finished action: {@code copied  a/b.txt (1.2 KiB)}. */
    static String done(SyncAction a, boolean twoWay) {
        return String.format(Locale.ROOT, "%-7s ", a.kind().done()) + what(a, false) + side(a, twoWay);
    }

    /** The object of an action's line: the path, a copy's size (and reason), a move's two paths. */
    private static String what(SyncAction a, boolean withReason) {
        return switch (a.kind()) {
            case COPY -> {
                SyncAction.CopyFile c = (SyncAction.CopyFile) a;
                yield shown(c.path()) + " (" + Format.bytes(c.source().size())
                        + (withReason ? ", " + reason(c.reason()) : "") + ")";
            }
            case MOVE -> shown(((SyncAction.MoveFile) a).file().path()) + " to " + shown(a.path());
            case APPEND -> {
                SyncAction.AppendFile g = (SyncAction.AppendFile) a;
                yield shown(g.path()) + " (bytes [" + g.from() + ", " + g.to() + "), " + Format.bytes(g.to() - g.from()) + ")";
            }
            case DELETE_DIRECTORY -> shown(a.path()) + "/";
            default -> shown(a.path());
        };
    }

    /** Two-way: which side an action changes, A being the source. */
    private static String side(SyncAction a, boolean twoWay) {
        if (!twoWay) {
            return "";
        }
        String s = a.side() == SyncAction.Side.SOURCE ? "A" : "B";
        return a.kind() == SyncAction.Kind.COPY ? " → " + s : " on " + s;
    }

    /** A path for people: the root as {@code .}, control characters escaped. */
    static String shown(dev.ferry.api.SyncPath path) {
        return path.isRoot() ? "." : Format.safe(path.toString());
    }

    /** The short word for why a file is copied. */
    static String reason(SyncAction.Reason r) {
        return switch (r) {
            case MISSING -> "new";
            case SIZE_DIFFERS -> "size differs";
            case MODTIME_DIFFERS -> "time differs";
            case HASH_DIFFERS -> "checksum differs";
            case REPLACES_DIRECTORY -> "replaces a directory";
            case CHANGED -> "changed";
            case RESTORES_DELETED -> "changed here, deleted there";
            case CONFLICT_WINNER -> "conflict winner";
        };
    }

    static String actionName(SyncAction a) {
        return a.kind().verb();
    }

    /**
     * One line after each run of a job:
     * {@code 12:00:05 ok: copied 3 (1.2 MiB), deleted 0, unchanged 10; next run 12:05:05}.
     */
    static String statusLine(dev.ferry.core.SyncJob.Status s, boolean failed) {
        java.time.format.DateTimeFormatter time = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")
                .withZone(java.time.ZoneId.systemDefault());
        StringBuilder b = new StringBuilder(s.lastRun().map(time::format).orElse("--:--:--")).append(' ');
        if (failed) {
            b.append("failed (").append(s.consecutiveFailures()).append(" in a row): ")
                    .append(Format.safe(SyncTargets.redact(s.lastError().orElse("unknown error"))));
        } else {
            SyncReport r = s.lastReport().orElseThrow();
            b.append("ok: copied ").append(r.filesCopied()).append(" (").append(Format.bytes(r.bytesCopied()))
                    .append("), deleted ").append(r.filesDeleted()).append(", unchanged ").append(r.unchangedFiles());
            if (!r.failures().isEmpty()) {
                b.append(", ").append(r.failures().size()).append(" failed");
            }
        }
        s.nextRun().ifPresent(t -> b.append(failed ? "; retry " : "; next run ").append(time.format(t)));
        return b.toString();
    }

    /** The exit code of a dry run: 3 if deletions are withheld, 1 if the scan failed somewhere. */
    static ExitCode exitCode(SyncPlan plan) {
        if (plan.deletionsWithheld().isPresent()) {
            return ExitCode.SAFETY_STOP;
        }
        return plan.scanFailures().isEmpty() ? ExitCode.OK : ExitCode.FAILED;
    }

    /** The exit code of a run: 3 if deletions were withheld, 1 if anything failed. */
    static ExitCode exitCode(SyncReport report) {
        if (report.safetyStop().isPresent()) {
            return ExitCode.SAFETY_STOP;
        }
        return report.failures().isEmpty() ? ExitCode.OK : ExitCode.FAILED;
    }

    /** Prints the plan's actions and a summary. */
    static void printPlan(SyncPlan plan, RunFacts facts, PrintStream out) {
        for (SyncAction a : plan.actions()) {
            out.println(planned(a, plan.mode() == SyncMode.TWO_WAY));
        }
        java.util.Map<SyncAction.Kind, Long> n = new java.util.EnumMap<>(SyncAction.Kind.class);
        for (SyncAction a : plan.actions()) {
            n.merge(a.kind(), 1L, Long::sum);
        }
        long copies = n.getOrDefault(SyncAction.Kind.COPY, 0L);
        long touches = n.getOrDefault(SyncAction.Kind.SET_TIME, 0L);
        long mkdirs = n.getOrDefault(SyncAction.Kind.MAKE_DIRECTORY, 0L);
        long moves = facts.moves();
        long conflicts = facts.conflicts();
        long fileDeletes = n.getOrDefault(SyncAction.Kind.DELETE_FILE, 0L);
        long dirDeletes = n.getOrDefault(SyncAction.Kind.DELETE_DIRECTORY, 0L);
        out.println("Dry run: would copy " + Format.count(copies, "file", "files") + " ("
                + Format.bytes(plan.bytesToCopy()) + "), update " + Format.count(touches, "time", "times")
                + ", create " + Format.count(mkdirs, "directory", "directories")
                + ", move " + Format.count(moves, "file", "files")
                + ", keep " + Format.count(conflicts, "conflict copy", "conflict copies") + ", delete "
                + Format.count(fileDeletes, "file", "files") + " and " + Format.count(dirDeletes, "directory",
                "directories") + "; " + plan.unchangedFiles() + " unchanged"
                + (facts.skippedNames() > 0 ? ", " + Format.count(facts.skippedNames(), "name", "names") + " skipped"
                : "") + ".");
        facts.warnings().forEach(w -> out.println("Warning: " + w));
        printFailures("Scan failures", plan.scanFailures(), out);
        plan.deletionsWithheld().ifPresent(w -> out.println("Deletions withheld: "
                + Format.count(plan.withheldDeletions(), "file", "files") + ": " + Format.safe(w)
                + " (nothing would be deleted)"));
    }

    /** Prints the end-of-run summary. */
    static void printReport(SyncReport r, RunFacts facts, PrintStream out) {
        double seconds = r.duration().toNanos() / 1e9;
        out.println("Copied:     " + Format.count(r.filesCopied(), "file", "files") + ", "
                + Format.bytes(r.bytesCopied()) + (r.bytesCopied() > 0 && seconds > 0
                ? " (" + Format.rate(r.bytesCopied() / seconds) + ")" : ""));
        out.println("Updated:    " + Format.count(r.modTimesUpdated(), "modification time", "modification times")
                + (r.modTimesUpdated() > 0 ? " (same content: only the time was set)" : ""));
        out.println("Moved:      " + Format.count(facts.moves(), "file", "files")
                + (facts.moves() > 0 ? " (renamed on the other side instead of sent again)" : ""));
        out.println("Conflicts:  " + facts.conflicts()
                + (facts.conflicts() > 0 ? " (the other version of each kept as *.sync-conflict-*)" : ""));
        out.println("Created:    " + Format.count(r.directoriesCreated(), "directory", "directories"));
        out.println("Deleted:    " + Format.count(r.filesDeleted(), "file", "files") + ", "
                + Format.count(r.directoriesDeleted(), "directory", "directories"));
        out.println("Unchanged:  " + Format.count(r.unchangedFiles(), "file", "files"));
        out.println("Skipped:    " + Format.count(facts.skippedNames(), "name", "names")
                + (facts.skippedNames() > 0
                ? " the listings left out (links, special or unreadable files; -v names them)"
                : ""));
        out.println("Withheld:   " + Format.count(facts.withheldDeletions(), "deletion", "deletions")
                + (facts.withheldDeletions() > 0 ? " (safety stop, see below)" : ""));
        out.println("Failed:     " + r.failures().size());
        out.println("Retries:    " + r.retries());
        out.println("Elapsed:    " + Format.duration(r.duration()));
        facts.warnings().forEach(w -> out.println("Warning: " + w));
        printFailures("Failures", r.failures(), out);
        r.safetyStop().ifPresent(s -> out.println("Safety stop: " + Format.safe(s) + "; nothing was deleted"));
    }

    static void printFailures(String heading, List<SyncFailure> failures, PrintStream out) {
        if (failures.isEmpty()) {
            return;
        }
        out.println(heading + ":");
        for (SyncFailure f : failures) {
            out.println("  " + Format.safe(SyncTargets.redact(f.toString())));
        }
    }

    static String planJson(String command, SyncPlan plan, RunFacts facts) {
        Json j = new Json().beginObject()
                .field("command", command)
                .field("dryRun", true)
                .field("mode", plan.mode().name().toLowerCase(Locale.ROOT))
                .field("source", plan.source())
                .field("destination", plan.destination());
        j.name("actions").beginArray();
        for (SyncAction a : plan.actions()) {
            j.beginObject().field("action", actionName(a)).field("path", a.path().toString())
                    .field("side", a.side() == SyncAction.Side.SOURCE ? "source" : "destination");
            if (a.kind() == SyncAction.Kind.COPY) {
                SyncAction.CopyFile c = (SyncAction.CopyFile) a;
                j.field("size", c.source().size()).field("reason", c.reason().name().toLowerCase(Locale.ROOT));
            }
            j.endObject();
        }
        j.endArray()
                .field("filesToCopy", plan.filesToCopy())
                .field("bytesToCopy", plan.bytesToCopy())
                .field("deletions", plan.deletions())
                .field("filesToMove", facts.moves())
                .field("conflicts", facts.conflicts())
                .field("modTimesToUpdate",
                        plan.actions().stream().filter(a -> a.kind() == SyncAction.Kind.SET_TIME).count())
                .field("unchangedFiles", plan.unchangedFiles())
                .field("skippedNames", facts.skippedNames())
                .field("withheldDeletions", plan.withheldDeletions());
        warningsJson(j, facts);
        failuresJson(j, "scanFailures", plan.scanFailures());
        j.field("deletionsWithheld", plan.deletionsWithheld().orElse(null))
                .field("exitCode", exitCode(plan).code());
        return j.endObject().toString();
    }

    static String reportJson(String command, SyncReport r, RunFacts facts) {
        Json j = new Json().beginObject()
                .field("command", command)
                .field("dryRun", false)
                .field("mode", r.mode().name().toLowerCase(Locale.ROOT))
                .field("source", r.source())
                .field("destination", r.destination())
                .field("started", r.started().toString())
                .field("durationSeconds", r.duration().toNanos() / 1e9)
                .field("filesCopied", r.filesCopied())
                .field("bytesCopied", r.bytesCopied())
                .field("modTimesUpdated", r.modTimesUpdated())
                .field("filesDeleted", r.filesDeleted())
                .field("directoriesCreated", r.directoriesCreated())
                .field("directoriesDeleted", r.directoriesDeleted())
                .field("filesMoved", facts.moves())
                .field("conflicts", facts.conflicts())
                .field("unchangedFiles", r.unchangedFiles())
                .field("skippedNames", facts.skippedNames())
                .field("withheldDeletions", facts.withheldDeletions())
                .field("retries", r.retries());
        warningsJson(j, facts);
        failuresJson(j, "failures", r.failures());
        j.field("safetyStop", r.safetyStop().orElse(null))
                .field("succeeded", r.succeeded())
                .field("exitCode", exitCode(r).code());
        return j.endObject().toString();
    }

    static void warningsJson(Json j, RunFacts facts) {
        j.name("warnings").beginArray();
        facts.warnings().forEach(j::value);
        j.endArray();
    }

    static void failuresJson(Json j, String name, List<SyncFailure> failures) {
        j.name(name).beginArray();
        for (SyncFailure f : failures) {
            j.beginObject()
                    .field("path", f.path())
                    .field("stage", f.stage().name().toLowerCase(Locale.ROOT))
                    .field("message", SyncTargets.redact(f.message()))
                    .field("retryable", f.retryable())
                    .endObject();
        }
        j.endArray();
    }
}
