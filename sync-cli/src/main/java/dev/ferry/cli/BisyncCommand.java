package dev.ferry.cli;

import dev.ferry.core.ConflictPolicy;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** {@code ferry bisync A B}: changes on either side go to the other. */
@Command(name = "bisync", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Sync A and B both ways: new files, changes and deletions on either side go to the other, "
                + "judged against what both looked like after the last run. A file changed on both sides is a "
                + "conflict for --conflict. The first run merges both (deletes nothing). SRC is A, DST is B.")
final class BisyncCommand extends RunCommand {

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


    @Option(names = "--conflict", paramLabel = "POLICY", defaultValue = "keep-both", converter = PolicyConverter.class,
            description = "A file changed on both sides: keep-both (the older is kept as "
                    + "name.sync-conflict-DATE-TIME-ID.ext; default), newest, source-wins, destination-wins, stop.")
    ConflictPolicy conflict;

    @Option(names = "--max-conflicts", paramLabel = "N", defaultValue = "10",
            description = "Most conflict copies kept per file; older ones are deleted (default: ${DEFAULT-VALUE}).")
    int maxConflicts;

    @Override
    SyncMode mode() {
        return SyncMode.TWO_WAY;
    }

    @Override
    String commandName() {
        return "bisync";
    }

    @Override
    SyncOptions.Builder configure(SyncOptions.Builder options) {
        if (maxConflicts < 1) {
            throw CliException.usage("--max-conflicts must be at least 1");
        }
        return options.conflictPolicy(conflict).maxConflictCopies(maxConflicts);
    }

    /** {@code keep-both} and friends, as the help spells them. */
    static final class PolicyConverter implements ITypeConverter<ConflictPolicy> {
        @Override
        public ConflictPolicy convert(String value) {
            try {
                return ConflictPolicy.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("unknown conflict policy '" + value
                        + "'; use keep-both, newest, source-wins, destination-wins or stop");
            }
        }
    }
}
