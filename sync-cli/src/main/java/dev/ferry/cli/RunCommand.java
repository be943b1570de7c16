package dev.ferry.cli;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.core.RetryPolicy;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncJob;
import dev.ferry.core.RenameEvidence;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncPlan;
import dev.ferry.core.SyncReport;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Option;

/**
 * {@code ferry copy}, {@code sync} and {@code bisync}: one run between SRC and DST, or with
 * {@code --every} / {@code --watch} a job that keeps running.
 */
abstract class RunCommand extends TwoTargetCommand {

    @Option(names = {"-n", "--dry-run"}, description = "Show what would be done, change nothing.")
    boolean dryRun;

    @Option(names = "--transfers", paramLabel = "N", defaultValue = "4",
            description = "Files copied at once (default: ${DEFAULT-VALUE}).")
    int transfers;

    @Option(names = "--bwlimit", paramLabel = "SIZE", converter = Units.SizeConverter.class, defaultValue = "off",
            description = "Bandwidth limit per second across all transfers such as 10M (K if no suffix).")
    long bandwidthLimit;

    @Option(names = "--resume-from", paramLabel = "SIZE", converter = Units.SizeConverter.class, defaultValue = "8M",
            description = "Files this large or larger are sent resumably where the destination can: a run that "
                    + "dies half-way is continued by the next (default: ${DEFAULT-VALUE}; off for never).")
    long resumeFrom;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where runs keep what they remember: two-way state, resumable transfers, copies to "
                    + "servers that keep no times (default: $XDG_STATE_HOME/ferry, else ~/.local/state/ferry).")
    Path stateDir;

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

    @Option(names = "--every", paramLabel = "DURATION", converter = Units.DurationConverter.class,
            description = "Keep running: a run every DURATION (5m, 1h...), a status line after each; "
                    + "a failing run is retried with growing waits. Stop with Ctrl-C.")
    Duration every;

    @Option(names = "--watch", description = "Keep running: a run whenever files change below SRC (a local folder), "
            + "once they have been quiet for --debounce.")
    boolean watch;

    @Option(names = "--debounce", paramLabel = "DURATION", converter = Units.DurationConverter.class,
            defaultValue = "2s", description = "With --watch: how long changes must be quiet before a run "
            + "(default: ${DEFAULT-VALUE}).")
    Duration debounce;

    @Option(names = "--protect-changes", description = "Replace or create a file on DST only while it is still as "
            + "the scan saw it, checked as the new version goes in: an edit made on DST during the transfer is kept "
            + "and reported (bisync always does this).")
    boolean protectChanges;

    @Option(names = "--track-renames-strategy", paramLabel = "EVIDENCE", defaultValue = "hash",
            converter = EvidenceConverter.class,
            description = "What proves that a file moved (bisync, and sync --track-renames): hash (a hash both sides "
                    + "know, else the content; default) or modtime (the same size and time suffice).")
    RenameEvidence renameEvidence;

    @Option(names = "--keep-modes", negatable = true, description = "POSIX modes (0755, 0600) travel with files and "
            + "created directories where both sides keep them: local disk, S3 (as rclone's metadata), FTP servers with "
            + "SITE CHMOD (default: off; push and pull follow the pair's setting).")
    Boolean keepModes;

    /** For tests: stop after this many runs of a --every/--watch job. */
    @Option(names = "--max-runs", hidden = true, defaultValue = "0")
    int maxRuns;

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
                .retry(retry)
                .resumableFrom(resumeFrom < 0 ? Long.MAX_VALUE : resumeFrom)
                .stateDirectory(stateDir == null ? null : stateDir.toAbsolutePath())
                .protectChanges(protectChanges)
                .renameEvidence(renameEvidence)
                .keepModes(Boolean.TRUE.equals(keepModes));

        configure(b);
        if (every != null && (every.isZero() || every.isNegative())) {
            throw CliException.usage("--every must be longer than 0, such as 30s or 5m");
        }
        if (watch && (debounce == null || debounce.isNegative())) {
            throw CliException.usage("--debounce must be 0 or longer, such as 2s");
        }
        if ((every != null || watch) && (dryRun || json)) {
            throw CliException.usage("--every and --watch keep running; they do not go with --dry-run or --json");
        }
        return withTargets((env, s, d) -> dryRun ? dryRun(env, s, d, b)
                : every != null || watch ? runJob(env, s, d, b) : run(env, s, d, b));
    }

    /** {@code --every} / {@code --watch}: a job that runs until interrupted, a status line per run. */
    private int runJob(CliEnv env, SyncTarget s, SyncTarget d, SyncOptions.Builder b) {
        RunFacts facts = new RunFacts();
        checkChecksum(s, d, facts);
        facts.warnings().forEach(w -> env.err().println("ferry: warning: " + w));
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger count = new AtomicInteger();
        AtomicBoolean lastFailed = new AtomicBoolean();
        SyncJob.Builder jb = SyncJob.builder(s).destination(destination(), d).options(b.build())
                .listener(new SyncJob.Listener() {
                    @Override
                    public void runEnded(SyncJob.Status status, boolean failed) {
                        lastFailed.set(failed);
                        if (!common.quiet || failed) {
                            env.out().println(Plans.statusLine(status, failed));
                            env.out().flush();
                        }
                        if (maxRuns > 0 && count.incrementAndGet() >= maxRuns) {
                            done.countDown();
                        }
                    }
                });
        if (every != null) {
            jb.every(every);
        }
        if (watch) {
            Path local;
            try {
                local = Path.of(URI.create(s.description()));
            } catch (IllegalArgumentException | FileSystemNotFoundException e) {
                throw CliException.usage("--watch needs a local folder as SRC, not " + s.description());
            }
            jb.watch(local, debounce);
        }
        Thread hook = new Thread(done::countDown, "ferry-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (SyncJob job = jb.build()) {
            job.start();
            if (every == null) {
                job.trigger(); // watching only: bring things in step first
            }
            done.await();
        } catch (IOException e) {
            throw fatal(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: that is how we got here
            }
        }
        return lastFailed.get() ? ExitCode.FAILED.code() : ExitCode.OK.code();
    }

    private int dryRun(CliEnv env, SyncTarget s, SyncTarget d, SyncOptions.Builder b) {
        RunFacts facts = new RunFacts();
        checkChecksum(s, d, facts);
        SyncPlan plan;
        try (Progress progress = progress(env, facts)) {
            plan = Sync.between(s, d, b.listener(progress).build()).dryRun();
        } catch (IOException e) {
            throw fatal(e);
        }
        facts.dryRun(plan);
        if (json) {
            env.out().println(Plans.planJson(commandName(), plan, facts));
        } else if (!common.quiet) {
            Plans.printPlan(plan, facts, env.out());
        } else {
            facts.warnings().forEach(w -> env.err().println("ferry: warning: " + w));
        }
        return Plans.exitCode(plan).code();
    }

    private int run(CliEnv env, SyncTarget s, SyncTarget d, SyncOptions.Builder b) {
        RunFacts facts = new RunFacts();
        checkChecksum(s, d, facts);
        SyncReport report;
        try (Progress progress = progress(env, facts)) {
            report = Sync.between(s, d, b.listener(progress).build()).run();
        } catch (IOException e) {
            throw fatal(e);
        }
        if (json) {
            env.out().println(Plans.reportJson(commandName(), report, facts));
        } else if (!common.quiet) {
            Plans.printReport(report, facts, env.out());
        } else {
            facts.warnings().forEach(w -> env.err().println("ferry: warning: " + w));
            report.failures().forEach(f -> env.err().println("ferry: failed: " + Format.safe(SyncTargets.redact(f.toString()))));
            report.safetyStop().ifPresent(r -> env.err().println("ferry: safety stop: " + Format.safe(r)));
        }
        return Plans.exitCode(report).code();
    }

    /** {@code hash} or {@code modtime}, rclone's words. */
    static final class EvidenceConverter implements picocli.CommandLine.ITypeConverter<RenameEvidence> {
        @Override
        public RenameEvidence convert(String value) {
            try {
                return RenameEvidence.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "unknown rename evidence '" + value + "'; use hash or modtime");
            }
        }
    }
}
