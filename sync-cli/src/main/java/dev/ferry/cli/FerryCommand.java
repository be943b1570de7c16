package dev.ferry.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ferry}: the top-level command; the work is in its subcommands. */
@Command(name = "ferry", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Keeps files in step between local disks and servers (FTP, S3, WebDAV, ...).",
        footerHeading = "%nLocations:%n",
        footer = {
            "  ./photos, /srv/backup              a local path",
            "  s3://bucket/dir?region=eu-west-1   a URI; the query string gives options",
            "  ftp://user@host/dir                the user (and user:password) from the URI",
            "  photos-ftp:2024/june               a named remote, plus a sub-path",
            "",
            "Named remotes are read from --config FILE, else $FERRY_CONFIG, else",
            "$XDG_CONFIG_HOME/ferry/ferry.conf, else ~/.config/ferry/ferry.conf:",
            "  [photos-ftp]",
            "  url = ftp://me@ftp.example.com/photos",
            "  password = env:PHOTOS_FTP_PASSWORD",
            "Any option of a remote may also come from FERRY_REMOTE_<NAME>_<KEY>,",
            "e.g. FERRY_REMOTE_PHOTOS_FTP_PASSWORD.",
            "",
            "Run 'ferry COMMAND --help' for the options of a command."
        })
final class FerryCommand implements Callable<Integer> {

    /**
     * The subcommands, by name. Main registers only the one being run when it can tell, since
     * picocli reads every registered command's annotations at start-up (tens of milliseconds).
     */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("copy", CopyCommand.class);
        m.put("sync", SyncCommand.class);
        m.put("bisync", BisyncCommand.class);
        m.put("check", CheckCommand.class);
        m.put("ls", LsCommand.class);
        m.put("backends", BackendsCommand.class);
        m.put("pair", PairCommand.class);
        m.put("push", PushCommand.class);
        m.put("pull", PullCommand.class);
        m.put("purge", PurgeCommand.class);
        m.put("remote", RemoteCommand.class);
        m.put("serve", ServeCommand.class);
        m.put("rc", RcCommand.class);
        m.put("syncthing", dev.ferry.cli.syncthing.SyncthingCommand.class);
        m.put("help", CommandLine.HelpCommand.class);
        return m;
    }

    private final CliEnv env;

    @Spec
    CommandSpec spec;

    FerryCommand(CliEnv env) {
        this.env = env;
    }

    CliEnv env() {
        return env;
    }

    @Override
    public Integer call() {
        env.err().println("ferry: missing command");
        spec.commandLine().usage(env.err());
        return ExitCode.USAGE.code();
    }
}
