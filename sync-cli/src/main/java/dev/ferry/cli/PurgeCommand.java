package dev.ferry.cli;

import dev.ferry.api.SyncTarget;
import dev.ferry.api.TargetSpec;
import dev.ferry.core.PairStore;
import dev.ferry.core.Purge;
import dev.ferry.core.SyncPair;
import dev.ferry.core.SyncTargets;
import java.io.IOException;
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
            Purge purge = Purge.of(target);
            Purge.Contents contents = purge.survey();
            contents.notices().forEach(n -> env.err().println("ferry: warning: " + Format.safe(SyncTargets.redact(n))));
            String what = contents.files() + " files (" + Format.bytes(contents.bytes()) + ") under "
                    + Targets.describe(spec);
            if (dryRun) {
                env.out().println("would delete " + what);
                return ExitCode.OK.code();
            }
            if (!Confirm.ask("Delete " + what + ", the remote data of pair '" + name + "'", yes, env)) {
                env.err().println("ferry: nothing deleted");
                return ExitCode.OK.code();
            }
            Purge.Result result = purge.deleteAll();
            result.failures().forEach(f -> env.err().println("ferry: failed: " + Format.safe(f)));
            if (!common.quiet) {
                env.out().println("deleted " + result.filesDeleted() + " of " + contents.files() + " files under "
                        + Targets.describe(spec));
            }
            return result.failures().isEmpty() ? ExitCode.OK.code() : ExitCode.FAILED.code();
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
}
