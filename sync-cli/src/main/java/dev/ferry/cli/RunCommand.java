package dev.ferry.cli;

import dev.ferry.api.SyncTargets;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.RetryPolicy;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncPlan;
import dev.ferry.core.SyncReport;
import java.io.IOException;
import picocli.CommandLine.Option;

/** {@code ferry copy} and {@code ferry sync}: one run from SRC to DST. */
abstract class RunCommand extends TwoTargetCommand {

    @Option(names = {"-n", "--dry-run"}, description = "Show what would be done, change nothing.")
    boolean dryRun;

    @Option(names = "--transfers", paramLabel = "N", defaultValue = "4",
            description = "Files copied at once (default: ${DEFAULT-VALUE}).")
    int transfers;

    @Option(names = "--bwlimit", paramLabel = "SIZE", converter = Units.SizeConverter.class, defaultValue = "off",
            description = "Bandwidth limit per second across all transfers such as 10M (K if no suffix).")
    long bandwidthLimit;

    @Option(names = "--max-delete", paramLabel = "N", defaultValue = "-1",
            description = "Delete nothing if the run would delete more than N files (default: no limit).")
    long maxDelete;

    @Option(names = "--max-delete-percent", paramLabel = "P", defaultValue = "100",
            description = "Delete nothing if the run would delete more than P%% of the destination's files.")
    int maxDeletePercent;

    @Option(names = "--no-verify", description = "Do not compare hashes after transfers.")
    boolean noVerify;

    @Option(names = "--retries", paramLabel = "N", description = "Attempts per operation on transient errors "
            + "(default: 5; 1 for no retries).")
    Integer retries;

    abstract SyncMode mode();

    /** Options only one command has (two-way's conflict policy); the default adds nothing. */
    SyncOptions.Builder configure(SyncOptions.Builder options) {
        return options;
    }

    abstract String commandName();

    @Override
    public Integer call() {
        SyncOptions.Builder b = baseOptions(mode());
        if (transfers < 1) {
            throw CliException.usage("--transfers must be at least 1");
        }
        if (maxDelete < -1) {
            throw CliException.usage("--max-delete must be 0 or more");
        }
        if (maxDeletePercent < 0 || maxDeletePercent > 100) {
            throw CliException.usage("--max-delete-percent must be within 0..100");
        }
        RetryPolicy retry = RetryPolicy.DEFAULT;
        if (retries != null) {
            if (retries < 1) {
                throw CliException.usage("--retries must be at least 1 (1 means no retries)");
            }
            retry = new RetryPolicy(retries, retry.initialBackoff(), retry.maxBackoff(), retry.runRetryBudget());
        }
        b.transfers(transfers)
                .bandwidthLimit(Math.max(0, bandwidthLimit))
                .maxDelete(maxDelete)
                .maxDeletePercent(maxDeletePercent)
                .verify(!noVerify)
                .retry(retry);

        configure(b);
        return withTargets((env, s, d) -> dryRun ? dryRun(env, s, d, b) : run(env, s, d, b));
    }

    private int dryRun(CliEnv env, SyncTarget s, SyncTarget d, SyncOptions.Builder b) {
        SyncPlan plan;
        try (Progress progress = new Progress(env, common.verbose, common.quiet, json)) {
            plan = Sync.between(s, d, b.listener(progress).build()).dryRun();
        } catch (IOException e) {
            throw fatal(e);
        }
        if (json) {
            env.out().println(Plans.planJson(commandName(), plan));
        } else if (!common.quiet) {
            Plans.printPlan(plan, env.out());
        }
        return Plans.exitCode(plan).code();
    }

    private int run(CliEnv env, SyncTarget s, SyncTarget d, SyncOptions.Builder b) {
        SyncReport report;
        try (Progress progress = new Progress(env, common.verbose, common.quiet, json)) {
            report = Sync.between(s, d, b.listener(progress).build()).run();
        } catch (IOException e) {
            throw fatal(e);
        }
        if (json) {
            env.out().println(Plans.reportJson(commandName(), report));
        } else if (!common.quiet) {
            Plans.printReport(report, env.out());
        } else {
            report.failures().forEach(f -> env.err().println("ferry: failed: " + Format.safe(SyncTargets.redact(f.toString()))));
            report.safetyStop().ifPresent(r -> env.err().println("ferry: safety stop: " + Format.safe(r)));
        }
        return Plans.exitCode(report).code();
    }
}
