package dev.ferry.cli;

import dev.ferry.core.SyncMode;
import picocli.CommandLine.Command;

/** {@code ferry sync SRC DST}. */
@Command(name = "sync", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Make DST identical to SRC: copy new and changed files, delete what SRC does not have. "
                + "Try --dry-run first.")
final class SyncCommand extends RunCommand {

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


    @picocli.CommandLine.Option(names = "--track-renames", description = "A file that moved on SRC is moved on DST "
            + "(server-side where DST can) instead of deleted and sent again; proven as --track-renames-strategy says.")
    boolean trackRenames;

    @picocli.CommandLine.Option(names = "--shards", paramLabel = "N", description = "With --plan: how SRC splits "
            + "into N shards (files, bytes and top-level names per shard), for choosing N; nothing is changed.")
    Integer shards;

    @picocli.CommandLine.Option(names = "--plan", description = "With --shards N: print the shard plan and stop; "
            + "with --shard-bounds FILE too, split by key ranges from a listing sample and write the cuts to FILE.")
    boolean plan;

    @Override
    boolean writesShardBounds() {
        return plan;
    }

    @Override
    public Integer call() {
        if (shards == null && !plan) {
            return super.call();
        }
        if (shards == null || !plan) {
            throw CliException.usage("--shards N and --plan go together: 'ferry sync SRC DST --shards N --plan'");
        }
        if (shards < 1) {
            throw CliException.usage("--shards must be at least 1");
        }
        dev.ferry.core.Filter filter = baseOptions(mode()).build().filter();
        return withTargets((env, s, d) -> {
            java.util.List<dev.ferry.core.ShardPlan.Part> parts;
            boolean estimated = false;
            try {
                if (shardBounds != null) {
                    dev.ferry.core.ShardPlan.KeyRanges ranges = dev.ferry.core.ShardPlan.keyRanges(s, shards, filter,
                            dev.ferry.core.ShardPlan.DEFAULT_SAMPLE);
                    ranges.bounds().write(shardBounds);
                    parts = ranges.parts();
                    estimated = ranges.estimated();
                } else {
                    parts = dev.ferry.core.ShardPlan.of(s, shards, filter);
                }
            } catch (java.io.IOException e) {
                throw fatal(e);
            }
            String about = estimated ? "~" : "";
            Json j = new Json().beginArray();
            for (dev.ferry.core.ShardPlan.Part p : parts) {
                if (json) {
                    j.beginObject().field("shard", p.shard().index() + "/" + p.shard().count()).field("files", p.files())
                            .field("bytes", p.bytes()).field("estimated", estimated);
                    if (p.shard().byKeyRange()) {
                        j.field("from", p.shard().bounds().from(p.shard().index()))
                                .field("until", p.shard().bounds().until(p.shard().index()));
                    } else {
                        j.name("topLevel").beginArray();
                        p.topLevel().forEach(j::value);
                        j.endArray();
                    }
                    j.endObject();
                } else {
                    java.util.List<String> shown = p.topLevel().subList(0, Math.min(8, p.topLevel().size()));
                    env.out().println("shard " + Format.safe(p.shard().toString()) + ": " + about + p.files() + " files, "
                            + about + Format.bytes(p.bytes())
                            + (shown.isEmpty() ? "" : ": " + Format.safe(String.join(", ", shown))
                            + (p.topLevel().size() > shown.size() ? ", ... (" + p.topLevel().size() + " names)" : "")));
                }
            }
            if (json) {
                env.out().println(j.endArray());
            } else if (shardBounds != null) {
                env.out().println("cuts written to " + Format.safe(shardBounds.toString()) + ": run shard I as 'ferry sync SRC DST"
                        + " --shard I/" + shards + " --shard-bounds " + Format.safe(shardBounds.toString()) + "'"
                        + (estimated ? " (~: estimated from a sample of " + dev.ferry.core.ShardPlan.DEFAULT_SAMPLE + " paths)" : ""));
            }
            return ExitCode.OK.code();
        });
    }

    @Override
    dev.ferry.core.SyncOptions.Builder configure(dev.ferry.core.SyncOptions.Builder options) {
        return options.trackRenames(trackRenames);
    }
    @Override
    SyncMode mode() {
        return SyncMode.MIRROR;
    }

    @Override
    String commandName() {
        return "sync";
    }
}
