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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ferry ls LOCATION}: every entry below a location, breadth-first, streamed as the listings
 * come (within a directory in the order the target gives). Notices (skipped symlinks, hostile
 * names) go to stderr.
 */
@Command(name = "ls", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "List a location recursively: size, modification time, path (directories end in /).")
final class LsCommand implements Callable<Integer> {

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
        PrintStream err = env.err();
        ArrayDeque<SyncPath> queue = new ArrayDeque<>();
        queue.add(SyncPath.ROOT);
        boolean[] errors = {false};
        StringBuilder line = new StringBuilder(128);
        ListingSink sink = new ListingSink() {
            @Override
            public void entry(Entry e) {
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
                    if (maxDepth < 0 || e.path().depth() < maxDepth) {
                        queue.add(e.path());
                    }
                }
                out.println(line);
            }

            @Override
            public void notice(ListingNotice n) {
                if (n.reason().isError()) {
                    errors[0] = true;
                }
                if (!common.quiet || n.reason().isError()) {
                    err.println("ferry: " + (n.reason().isError() ? "error" : "notice") + ": "
                            + Format.safe(n.location()) + ": " + Format.safe(n.detail()));
                }
            }
        };
        while (!queue.isEmpty()) {
            SyncPath dir = queue.poll();
            try {
                target.list(dir, sink);
            } catch (NotFoundException e) {
                if (dir.isRoot()) {
                    throw CliException.fatal("not found: " + target.description()
                            + (e.getMessage() == null ? "" : " (" + SyncTargets.redact(e.getMessage()) + ")"), e);
                }
                // Deleted while we listed: not an error.
            } catch (IOException e) {
                if (dir.isRoot()) {
                    throw TwoTargetCommand.fatal(e);
                }
                errors[0] = true;
                out.flush();
                err.println("ferry: error: cannot list " + Format.safe(dir.toString()) + "/: "
                        + Format.safe(SyncTargets.redact(String.valueOf(e.getMessage()))));
            }
        }
        out.flush();
        return errors[0] ? ExitCode.FAILED.code() : ExitCode.OK.code();
    }
}
