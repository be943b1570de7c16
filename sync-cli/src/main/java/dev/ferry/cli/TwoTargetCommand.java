package dev.ferry.cli;

import dev.ferry.core.SyncTargets;

import dev.ferry.api.SyncTarget;
import dev.ferry.api.TargetSpec;
import dev.ferry.core.CompareMode;
import dev.ferry.core.Filter;
import dev.ferry.core.SyncMode;
import dev.ferry.core.Shard;
import dev.ferry.core.SyncOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** What {@code copy}, {@code sync} and {@code check} share: two locations, comparison and filters. */
abstract class TwoTargetCommand implements Callable<Integer>, FilterRule.Holder {

    @ParentCommand
    FerryCommand parent;

    @Mixin
    CommonOptions common;

    /** The source location as the user gave it (SRC, or a pair's side). */
    abstract String source();

    /** The destination location as the user gave it. */
    abstract String destination();

    /** Filter rules that come after the command line's (a pair's own); none by default. */
    List<String> defaultFilterRules() {
        return List.of();
    }

    @Option(names = {"-c", "--checksum"}, description = "Compare by size and hash instead of size and time. Where "
            + "SRC and DST have no hash in common this warns and compares times; --checksum=strict refuses to run.")
    boolean checksum;

    /** {@code --checksum=strict}, which Main spells this way (picocli's optional values would take SRC). */
    @Option(names = Main.CHECKSUM_STRICT, hidden = true)
    boolean checksumStrict;

    @Option(names = "--stats", paramLabel = "DURATION", converter = Units.DurationConverter.class, defaultValue = "5s",
            description = "Without a terminal: a progress line this often while something changes "
                    + "(default: ${DEFAULT-VALUE}; off for none).")
    Duration stats;

    @Option(names = "--size-only", description = "Compare by size only.")
    boolean sizeOnly;

    @Option(names = "--modify-window", paramLabel = "DURATION", converter = Units.DurationConverter.class,
            description = "How far times may differ and still be equal, such as 2s (default: the coarser precision "
                    + "of the two targets).")
    Duration modifyWindow;

    // --include and --exclude land in filterRules, in command-line order (FilterRule); these two
    // fields only carry the options' declarations.
    @Option(names = "--include", paramLabel = "GLOB", parameterConsumer = FilterRule.class,
            description = "Only files matching GLOB (repeatable; with --exclude, the first matching rule decides).")
    List<String> includeOption;

    @Option(names = "--exclude", paramLabel = "GLOB", parameterConsumer = FilterRule.class,
            description = "Leave out files matching GLOB (repeatable); 'dir/**' skips a whole tree.")
    List<String> excludeOption;

    @Option(names = "--min-size", paramLabel = "SIZE", converter = Units.SizeConverter.class, defaultValue = "off",
            description = "Leave out files smaller than SIZE (B, K, M, G, T suffixes, binary; K if none).")
    long minSize;

    @Option(names = "--max-size", paramLabel = "SIZE", converter = Units.SizeConverter.class, defaultValue = "off",
            description = "Leave out files larger than SIZE.")
    long maxSize;

    @Option(names = "--min-age", paramLabel = "DURATION", converter = Units.DurationConverter.class,
            description = "Leave out files modified more recently than this: 10m, 2h, 7d...")
    Duration minAge;

    @Option(names = "--max-age", paramLabel = "DURATION", converter = Units.DurationConverter.class,
            description = "Leave out files modified longer ago than this.")
    Duration maxAge;

    @Option(names = "--checkers", paramLabel = "N", defaultValue = "8",
            description = "Directories listed and files compared at once (default: ${DEFAULT-VALUE}).")
    int checkers;

    @Option(names = "--fast-list", description = "List each side's whole tree in one go where the backend can "
            + "(S3: a request per 1,000 objects instead of one per directory); uses memory for the tree's listing.")
    boolean fastList;

    @Option(names = "--shard", paramLabel = "I/N", converter = ShardConverter.class,
            description = "Only shard I of N (0-based): the paths whose top-level name hashes to I, on both sides. "
                    + "N runs, one per shard (a Kubernetes Indexed Job, a Slurm array), do what one run does.")
    Shard shard;

    @Option(names = "--shard-bounds", paramLabel = "FILE", description = "With --shard I/N: take the key range FILE "
            + "gives shard I instead of a hash of the top-level name (splits a flat prefix); FILE is written by "
            + "'ferry sync SRC DST --shards N --plan --shard-bounds FILE'. One-way runs only.")
    java.nio.file.Path shardBounds;
    @Option(names = "--append", description = "A destination file that is a prefix of the source's (a log that only grew) "
            + "gets only the new tail, where the backend can append (local, FTP); the overlap is checked first, a rewritten "
            + "file is copied whole. Feeds (emoncms) always grow this way.")
    boolean appendGrown;

    @Option(names = "--src-opt", paramLabel = "KEY=VALUE",
            description = "An option for the source target (repeatable); VALUE env:VAR reads variable VAR.")
    Map<String, String> sourceOptions = new LinkedHashMap<>();

    @Option(names = "--dst-opt", paramLabel = "KEY=VALUE",
            description = "An option for the destination target (repeatable); VALUE env:VAR reads variable VAR.")
    Map<String, String> destinationOptions = new LinkedHashMap<>();

    @Option(names = "--json", description = "Print the result as JSON on stdout (and nothing else there).")
    boolean json;

    private final List<String> filterRules = new ArrayList<>();

    @Override
    public List<String> filterRules() {
        return filterRules;
    }

    CliEnv env() {
        return parent.env();
    }

    /** Whether this run writes {@code --shard-bounds} rather than reads it ({@code --shards N --plan}). */
    boolean writesShardBounds() {
        return false;
    }

    private Shard shardWithBounds(SyncMode mode) {
        if (shardBounds == null || writesShardBounds()) {
            return shard;
        }
        if (shard == null) {
            throw CliException.usage("--shard-bounds FILE goes with --shard I/N (or, to write FILE, with --shards N --plan)");
        }
        if (mode == SyncMode.TWO_WAY) {
            throw CliException.usage("bisync shards by top-level name only (--shard I/N without --shard-bounds): its "
                    + "state remembers deletions per shard, and key ranges move with the data");
        }
        try {
            return shard.withBounds(dev.ferry.core.ShardBounds.read(shardBounds));
        } catch (IOException e) {
            throw CliException.usage("cannot read --shard-bounds: " + e.getMessage());
        }
    }

    /** Options from the flags shared by every two-target command. */
    SyncOptions.Builder baseOptions(SyncMode mode) {
        common.check();
        checksum |= checksumStrict;
        if (checksum && sizeOnly) {
            throw CliException.usage("--checksum and --size-only contradict each other; pick one");
        }
        if (checkers < 1) {
            throw CliException.usage("--checkers must be at least 1");
        }
        Filter.Builder f = Filter.builder();
        try {
            List<String> rules = new ArrayList<>(filterRules);
            rules.addAll(defaultFilterRules()); // the first matching rule decides: the command line's win
            f.rules(rules);
            f.shard(shardWithBounds(mode));
        } catch (IllegalArgumentException e) {
            throw CliException.usage("bad filter: " + e.getMessage());
        }
        if (minSize >= 0) {
            f.minSize(minSize);
        }
        if (maxSize >= 0) {
            f.maxSize(maxSize);
        }
        if (minAge != null) {
            f.minAge(minAge);
        }
        if (maxAge != null) {
            f.maxAge(maxAge);
        }
        return SyncOptions.builder()
                .mode(mode)
                .compare(checksum ? CompareMode.CHECKSUM : sizeOnly ? CompareMode.SIZE_ONLY : CompareMode.SIZE_AND_MODTIME)
                .modifyWindow(modifyWindow)
                .filter(f.build())
                .checkers(checkers)
                .fastList(fastList)
                .appendGrown(appendGrown);
    }

    /** The progress display of this command, counting into {@code facts}. */
    Progress progress(CliEnv env, RunFacts facts) {
        if (stats != null && stats.isNegative()) {
            throw CliException.usage("--stats must be 0 or longer");
        }
        return new Progress(env, common.verbose, common.quiet, json, stats == null || stats.isZero() ? null : stats,
                facts);
    }

    /**
     * {@code --checksum} where the two targets share no hash: a warning in {@code facts} (the
     * engine then compares sizes and times), or with {@code --checksum=strict} a refusal.
     */
    void checkChecksum(SyncTarget s, SyncTarget d, RunFacts facts) {
        if (!checksum) {
            return;
        }
        java.util.Set<dev.ferry.api.HashAlgorithm> common = java.util.EnumSet.noneOf(dev.ferry.api.HashAlgorithm.class);
        common.addAll(s.capabilities().hashes());
        common.retainAll(d.capabilities().hashes());
        // A side that verifies content itself (crypt: rclone's cryptcheck) needs no hash in common.
        if (!common.isEmpty() || s.ability(dev.ferry.api.ContentVerifier.class).isPresent()
                || d.ability(dev.ferry.api.ContentVerifier.class).isPresent()) {
            return;
        }
        String why = "--checksum: " + s.description() + " (" + hashes(s) + ") and " + d.description() + " ("
                + hashes(d) + ") have no hash in common";
        if (checksumStrict) {
            throw new CliException(ExitCode.FATAL, why + "; refusing to run (--checksum=strict). Drop =strict to "
                    + "compare by size and modification time instead.");
        }
        facts.warn(SyncTargets.redact(why) + "; compared as without --checksum instead (size, and modification "
                + "time where both keep it)");
    }

    private static String hashes(SyncTarget t) {
        var h = t.capabilities().hashes();
        return h.isEmpty() ? "no hashes" : h.stream().map(Enum::name).sorted()
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** What a command does once both targets are open. */
    interface WithTargets {
        int apply(CliEnv env, SyncTarget source, SyncTarget destination);
    }

    /** Parses and opens SRC and DST, runs {@code body}, and closes both; returns its exit code. */
    int withTargets(WithTargets body) {
        CliEnv env = env();
        Targets targets = Targets.load(env, common.config);
        TargetSpec src = targets.parse(source(), sourceOptions, "source");
        TargetSpec dst = targets.parse(destination(), destinationOptions, "destination");
        SyncTarget s = null;
        SyncTarget d = null;
        try {
            s = targets.open(src, "source");
            d = targets.open(dst, "destination");
            return body.apply(env, s, d);
        } finally {
            closeQuietly(d, env);
            closeQuietly(s, env);
        }
    }

    /** The message of an exception that stopped a run before it could start. */
    static CliException fatal(IOException e) {
        String m = e.getMessage();
        return CliException.fatal(m == null || m.isBlank() ? e.getClass().getSimpleName() : m, e);
    }

    static void closeQuietly(SyncTarget target, CliEnv env) {
        if (target == null) {
            return;
        }
        try {
            target.close();
        } catch (IOException | RuntimeException e) {
            env.err().println("ferry: warning: closing " + target.description() + ": " + SyncTargets.redact(e.getMessage()));
        }
    }

    /** {@code I/N}. */
    static final class ShardConverter implements picocli.CommandLine.ITypeConverter<Shard> {
        @Override
        public Shard convert(String value) {
            return Shard.parse(value);
        }
    }
}
