package dev.ferry.cli;

import dev.ferry.core.SyncTargets;

import dev.ferry.api.Entry;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.TargetSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ferry ls LOCATION}: every entry below a location, depth-first: each directory sorted by
 * name, a subdirectory's entries right after its line.
 * Notices (skipped symlinks, hostile names) go to stderr.
 */
@Command(name = "ls", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "List a location recursively: size, modification time, path (directories end in /).")
final class LsCommand implements Callable<Integer> {

    private static final int STAT_THREADS = 8;
    private static final String NO_TIME = String.format("%-23s", "-");

    @ParentCommand
    FerryCommand parent;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "LOCATION", description = "A path, a URI or remote:path.")
    String location;

    @Option(names = "--max-depth", paramLabel = "N", defaultValue = "-1",
            description = "Descend at most N levels (1: only the entries directly in LOCATION; default: no limit).")
    int maxDepth;

    @Option(names = "--no-stat", description = "Show only what the listing gives: no request per file for a time "
            + "the listing leaves out (S3 without listModTimes shows '-').")
    boolean noStat;

    @Option(names = "--opt", paramLabel = "KEY=VALUE",
            description = "An option for the target (repeatable); VALUE env:VAR reads variable VAR.")
    Map<String, String> options = new LinkedHashMap<>();

    @Override
    public Integer call() {
        common.check();
        if (maxDepth == 0 || maxDepth < -1) {
            throw CliException.usage("--max-depth must be 1 or more");
        }
        CliEnv env = parent.env();
        Targets targets = Targets.load(env, common.config);
        TargetSpec spec = targets.parse(location, options, "location");
        SyncTarget target = targets.open(spec, "location");
        try {
            return list(target, env);
        } finally {
            TwoTargetCommand.closeQuietly(target, env);
        }
    }

    private int list(SyncTarget target, CliEnv env) {
        PrintStream out = env.out();
        boolean[] errors = {false};
        boolean statTimes = !noStat && target.capabilities().keepsModTime();
        java.util.concurrent.ExecutorService pool = statTimes ? java.util.concurrent.Executors.newFixedThreadPool(
                STAT_THREADS, r -> {
                    Thread t = new Thread(r, "ferry-ls-stat");
                    t.setDaemon(true);
                    return t;
                }) : null;
        try {
            // Depth-first, each directory's entries sorted by name: the output is in path order.
            // Memory holds the directories on the current path, never the whole tree.
            ArrayDeque<java.util.Iterator<Entry>> stack = new ArrayDeque<>();
            stack.push(listOne(target, SyncPath.ROOT, env, errors, pool).iterator());
            StringBuilder line = new StringBuilder(128);
            while (!stack.isEmpty()) {
                java.util.Iterator<Entry> it = stack.peek();
                if (!it.hasNext()) {
                    stack.pop();
                    continue;
                }
                Entry e = it.next();
                line.setLength(0);
                String size = e.isDirectory() ? "-" : Long.toString(e.size());
                for (int i = size.length(); i < 12; i++) {
                    line.append(' ');
                }
                line.append(size).append("  ")
                        .append(e.modTime().map(Format::time).orElse(NO_TIME))
                        .append("  ").append(Format.safe(e.path().toString()));
                if (e.isDirectory()) {
                    line.append('/');
                }
                out.println(line);
                if (e.isDirectory() && (maxDepth < 0 || e.path().depth() < maxDepth)) {
                    stack.push(listOne(target, e.path(), env, errors, pool).iterator());
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        out.flush();
        return errors[0] ? ExitCode.FAILED.code() : ExitCode.OK.code();
    }

    /**
     * One directory's entries, sorted by name; a file the listing gave no time for (S3 keeps
     * times in per-object metadata) is asked for it, as rclone's {@code lsl} does, unless
     * {@code --no-stat}.
     */
    private List<Entry> listOne(SyncTarget target, SyncPath dir, CliEnv env, boolean[] errors,
            java.util.concurrent.ExecutorService pool) {
        List<Entry> entries = new ArrayList<>();
        ListingSink sink = new ListingSink() {
            @Override
            public void entry(Entry e) {
                entries.add(e);
            }

            @Override
            public void notice(ListingNotice n) {
                if (n.reason().isError()) {
                    errors[0] = true;
                }
                if (!common.quiet || n.reason().isError()) {
                    env.out().flush();
                    env.err().println("ferry: " + (n.reason().isError() ? "error" : "notice") + ": "
                            + Format.safe(n.location()) + ": " + Format.safe(n.detail()));
                }
            }
        };
        try {
            target.list(dir, sink);
        } catch (NotFoundException e) {
            if (dir.isRoot()) {
                throw CliException.fatal("not found: " + target.description()
                        + (e.getMessage() == null ? "" : " (" + SyncTargets.redact(e.getMessage()) + ")"), e);
            }
            return List.of(); // deleted while we listed: not an error
        } catch (IOException e) {
            if (dir.isRoot()) {
                throw TwoTargetCommand.fatal(e);
            }
            errors[0] = true;
            env.out().flush();
            env.err().println("ferry: error: cannot list " + Format.safe(dir.toString()) + "/: "
                    + Format.safe(SyncTargets.redact(String.valueOf(e.getMessage()))));
            return List.of();
        }
        entries.sort(Comparator.comparing((Entry e) -> e.path().name()));
        if (pool != null) {
            withTimes(target, entries, pool);
        }
        return entries;
    }

    /** Fills in times the listing left out, a few stats at once; a failed stat leaves "-". */
    private static void withTimes(SyncTarget target, List<Entry> entries, java.util.concurrent.ExecutorService pool) {
        List<java.util.concurrent.Future<Entry>> pending = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            if (e.isFile() && e.modTime().isEmpty()) {
                pending.add(pool.submit(() -> target.stat(e.path()).filter(Entry::isFile).orElse(e)));
            } else {
                pending.add(null);
            }
        }
        for (int i = 0; i < entries.size(); i++) {
            if (pending.get(i) == null) {
                continue;
            }
            try {
                entries.set(i, pending.get(i).get());
            } catch (java.util.concurrent.ExecutionException e) {
                // keep the listed entry: its time shows as "-"
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
