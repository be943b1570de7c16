package dev.ferry.cli;

import dev.ferry.core.Sync;
import dev.ferry.core.SyncAction;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncPlan;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code ferry check SRC DST}: what a mirror would change, as differences. A file to copy is
 * missing on or differs on DST; a file to delete is only on DST; a file whose time alone would be
 * set has equal content and is not a difference.
 */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Compare SRC and DST and list the differences; change nothing. Exit status 1 if they differ.")
final class CheckCommand extends TwoTargetCommand {

    @picocli.CommandLine.Mixin
    Locations locations;

    @Override
    String source() {
        return locations.source;
    }

    @Override
    String destination() {
        return locations.destination;
    }


    /** One difference. */
    record Difference(String kind, String path, String detail) {}

    @Override
    public Integer call() {
        var options = baseOptions(SyncMode.MIRROR).maxDelete(-1).maxDeletePercent(100);
        return withTargets((env, s, d) -> {
            RunFacts facts = new RunFacts();
            checkChecksum(s, d, facts);
            SyncPlan plan;
            try (Progress progress = progress(env, facts)) {
                plan = Sync.between(s, d, options.listener(progress).build()).dryRun();
            } catch (IOException e) {
                throw fatal(e);
            }
            return report(env, plan, facts);
        });
    }

    private int report(CliEnv env, SyncPlan plan, RunFacts facts) {
        List<Difference> differences = new ArrayList<>();
        long equal = plan.unchangedFiles();
        for (SyncAction a : plan.actions()) {
            switch (a.kind()) {
                case COPY -> {
                    SyncAction.Reason why = ((SyncAction.CopyFile) a).reason();
                    differences.add(why == SyncAction.Reason.MISSING
                            ? new Difference("missing", a.path().toString(), "not on destination")
                            : new Difference("differs", a.path().toString(), Plans.reason(why)));
                }
                case APPEND -> differences.add(new Difference("differs", a.path().toString(), "destination is behind by "
                        + (((SyncAction.AppendFile) a).to() - ((SyncAction.AppendFile) a).from()) + " bytes"));
                case DELETE_FILE -> differences.add(new Difference("extra", a.path().toString(), "only on destination"));
                case SET_TIME -> equal++;
                default -> { }
            }
        }
        boolean incomplete = !plan.scanFailures().isEmpty() || plan.deletionsWithheld().isPresent();
        ExitCode code = differences.isEmpty() && !incomplete ? ExitCode.OK : ExitCode.FAILED;

        if (json) {
            Json j = new Json().beginObject()
                    .field("command", "check")
                    .field("source", plan.source())
                    .field("destination", plan.destination());
            j.name("differences").beginArray();
            for (Difference diff : differences) {
                j.beginObject().field("difference", diff.kind()).field("path", diff.path())
                        .field("detail", diff.detail()).endObject();
            }
            j.endArray().field("equalFiles", equal);
            Plans.failuresJson(j, "scanFailures", plan.scanFailures());
            j.field("incomplete", plan.deletionsWithheld().orElse(null))
                    .field("skippedNames", facts.skippedNames());
            Plans.warningsJson(j, facts);
            j.field("exitCode", code.code());
            env.out().println(j.endObject());
            return code.code();
        }
        if (common.quiet) {
            facts.warnings().forEach(w -> env.err().println("ferry: warning: " + w));
        } else {
            for (Difference diff : differences) {
                env.out().printf("%-8s %s (%s)%n", diff.kind(), Format.safe(diff.path()), diff.detail());
            }
            if (differences.isEmpty()) {
                env.out().println("No differences: " + Format.count(equal, "file", "files") + " equal.");
            } else {
                long missing = differences.stream().filter(x -> x.kind().equals("missing")).count();
                long differ = differences.stream().filter(x -> x.kind().equals("differs")).count();
                long extra = differences.size() - missing - differ;
                env.out().println(Format.count(differences.size(), "difference", "differences") + ": " + differ
                        + " differing, " + missing + " missing on destination, " + extra + " only on destination; "
                        + Format.count(equal, "file", "files") + " equal.");
            }
            if (facts.skippedNames() > 0) {
                env.out().println("Skipped:  " + Format.count(facts.skippedNames(), "name", "names")
                        + " the listings left out (links, special or unreadable files; -v names them)");
            }
            facts.warnings().forEach(w -> env.out().println("Warning: " + w));
            Plans.printFailures("Scan failures", plan.scanFailures(), env.out());
            plan.deletionsWithheld().ifPresent(w -> env.out().println("Incomplete: " + Format.safe(w)
                    + "; files only on the destination may not all be listed."));
        }
        return code.code();
    }
}
