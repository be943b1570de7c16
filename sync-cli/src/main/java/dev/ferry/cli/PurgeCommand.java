package dev.ferry.cli;

import dev.ferry.api.Entry;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.TargetSpec;
import dev.ferry.core.PairStore;
import dev.ferry.core.SyncPair;
import dev.ferry.core.SyncTargets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ferry purge NAME}: deletes everything under a pair's remote, after a confirmation that
 * names the remote and what it holds. The empty-source guard of {@code sync} does not apply (the
 * intent is explicit); instead a remote that holds another pair's remote, or that is the root of
 * its store, is refused, and the local folder is never touched.
 */
@Command(name = "purge", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Delete all of a sync pair's remote data (its local folder and configuration stay). Asks "
                + "first; refuses without a terminal unless --yes.")
final class PurgeCommand implements Callable<Integer> {

    @ParentCommand
    FerryCommand parent;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "NAME", description = "The sync pair whose remote data goes.")
    String name;

    @Option(names = {"-y", "--yes"}, description = "Do not ask.")
    boolean yes;

    @Option(names = {"-n", "--dry-run"}, description = "Count what would be deleted; delete nothing.")
    boolean dryRun;

    /** What the remote holds, deepest directories first so each is empty when it is deleted. */
    private record Tree(List<SyncPath> files, List<SyncPath> directories, long bytes, List<String> notices) {}

    @Override
    public Integer call() {
        CliEnv env = parent.env();
        common.check();
        PairStore store = PairStore.at(PairRunCommand.configFile(env, common.config));
        SyncPair pair;
        List<SyncPair> others;
        try {
            pair = store.require(name);
            others = store.list().stream().filter(p -> !p.name().equals(name)).toList();
        } catch (IOException e) {
            throw CliException.usage(e.getMessage());
        }
        Targets targets = Targets.load(env, common.config);
        TargetSpec spec = targets.parse(pair.remote(), Map.of(), "remote");
        String path = spec.location().getPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            throw CliException.usage("pair '" + name + "': its remote " + Targets.describe(spec) + " is the root of its "
                    + "store; purge deletes only below a pair's own folder");
        }
        for (SyncPair other : others) {
            TargetSpec o = targets.parse(other.remote(), Map.of(), "remote");
            if (inside(o, spec)) {
                throw CliException.usage("pair '" + name + "': its remote " + Targets.describe(spec) + " holds pair '"
                        + other.name() + "' (" + Targets.describe(o) + "); purge refused");
            }
        }
        SyncTarget target = targets.open(spec, "remote");
        try {
            Tree tree = walk(target);
            tree.notices.forEach(n -> env.err().println("ferry: warning: " + Format.safe(SyncTargets.redact(n))));
            String what = tree.files.size() + " files (" + Format.bytes(tree.bytes) + ") under "
                    + Targets.describe(spec);
            if (dryRun) {
                env.out().println("would delete " + what);
                return ExitCode.OK.code();
            }
            if (!Confirm.ask("Delete " + what + ", the remote data of pair '" + name + "'", yes, env)) {
                env.err().println("ferry: nothing deleted");
                return ExitCode.OK.code();
            }
            int failed = 0;
            for (SyncPath f : tree.files) {
                failed += deleteQuietly(target, f, env);
            }
            for (SyncPath d : tree.directories) {
                failed += deleteQuietly(target, d, env);
            }
            if (!common.quiet) {
                env.out().println("deleted " + (tree.files.size() - Math.min(failed, tree.files.size())) + " of "
                        + tree.files.size() + " files under " + Targets.describe(spec));
            }
            return failed == 0 ? ExitCode.OK.code() : ExitCode.FAILED.code();
        } catch (IOException e) {
            throw TwoTargetCommand.fatal(e);
        } finally {
            TwoTargetCommand.closeQuietly(target, env);
        }
    }

    /** Whether {@code inner} is {@code outer} or below it (same scheme, authority and path prefix). */
    private static boolean inside(TargetSpec inner, TargetSpec outer) {
        java.net.URI a = inner.location();
        java.net.URI b = outer.location();
        if (!a.getScheme().equals(b.getScheme()) || !java.util.Objects.equals(a.getAuthority(), b.getAuthority())) {
            return false;
        }
        String ip = a.getPath() == null ? "" : a.getPath();
        String op = b.getPath() == null ? "" : b.getPath();
        String outerDir = op.endsWith("/") ? op : op + "/";
        return ip.equals(op) || (ip + "/").startsWith(outerDir);
    }

    private static Tree walk(SyncTarget target) throws IOException {
        List<SyncPath> files = new ArrayList<>();
        List<SyncPath> dirs = new ArrayList<>();
        List<String> notices = new ArrayList<>();
        long[] bytes = {0};
        walk(target, SyncPath.ROOT, files, dirs, notices, bytes);
        return new Tree(files, dirs, bytes[0], notices);
    }

    private static void walk(SyncTarget target, SyncPath dir, List<SyncPath> files, List<SyncPath> dirs,
            List<String> notices, long[] bytes) throws IOException {
        List<SyncPath> subdirs = new ArrayList<>();
        target.list(dir, new ListingSink() {
            @Override
            public void entry(Entry e) {
                if (e.isFile()) {
                    files.add(e.path());
                    bytes[0] += e.size();
                } else {
                    subdirs.add(e.path());
                }
            }

            @Override
            public void notice(ListingNotice n) {
                notices.add(n.toString());
            }
        });
        for (SyncPath sub : subdirs) {
            walk(target, sub, files, dirs, notices, bytes);
            dirs.add(sub); // after its contents: deepest first
        }
    }

    private static int deleteQuietly(SyncTarget target, SyncPath path, CliEnv env) {
        try {
            target.delete(path);
            return 0;
        } catch (IOException | RuntimeException e) {
            env.err().println("ferry: failed: delete " + Format.safe(path.toString()) + ": "
                    + Format.safe(SyncTargets.redact(String.valueOf(e.getMessage()))));
            return 1;
        }
    }
}
