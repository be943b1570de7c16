package dev.ferry.cli.syncthing;

import dev.ferry.api.NotFoundException;
import dev.ferry.backend.syncthing.FolderConfig;
import dev.ferry.backend.syncthing.FolderStatus;
import dev.ferry.backend.syncthing.FolderType;
import dev.ferry.backend.syncthing.SyncthingNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry syncthing folder list|add|remove}. */
@Command(name = "folder", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "list|add|remove",
        description = "List, add or remove folders.",
        subcommands = {FolderCommand.ListFolders.class, FolderCommand.AddFolder.class, FolderCommand.RemoveFolder.class})
final class FolderCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: list, add or remove");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the folders with their state.")
    static final class ListFolders extends NodeCommand {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            SyncthingNode node = connect.node();
            List<Object> rows = new ArrayList<>();
            for (FolderConfig f : node.folders()) {
                FolderStatus s;
                try {
                    s = node.folderStatus(f.id());
                } catch (NotFoundException e) {
                    s = null; // removed meanwhile
                }
                if (json) {
                    rows.add(Output.folder(f, s));
                } else {
                    Output.out(spec).printf("%-16s %-12s %-10s %s  shared with %d device(s)%n", f.id(), f.type().wireName(),
                            s == null ? "?" : s.state(), f.path(), f.devices().size());
                }
            }
            if (json) {
                Output.json(spec, rows);
            }
            return 0;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a folder (or replace the one with this ID).")
    static final class AddFolder extends NodeCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The folder ID, the same on every device.")
        String id;

        @Parameters(index = "1", paramLabel = "PATH", description = "Where it lives on the node's machine.")
        Path path;

        @Option(names = "--label", description = "A name for people.")
        String label = "";

        @Option(names = "--type", paramLabel = "TYPE", description = "sendreceive (default), sendonly or receiveonly.")
        String type = "sendreceive";

        @Option(names = "--share", paramLabel = "DEVICE_ID", description = "Share with this device (repeatable).")
        List<String> share = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            FolderConfig config;
            try {
                FolderConfig.Builder b = FolderConfig.builder(id, path.toAbsolutePath()).label(label).type(FolderType.parse(type));
                share.forEach(d -> b.share(SyncthingCommand.deviceId(spec, d)));
                config = b.build();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            connect.node().addFolder(config);
            Output.out(spec).println("added folder " + id + " at " + config.path());
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a folder (its files stay on disk).")
    static final class RemoveFolder extends NodeCommand {
        @Parameters(paramLabel = "ID", description = "The folder ID.")
        String id;

        @Override
        public Integer call() throws Exception {
            try {
                connect.node().removeFolder(id);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            Output.out(spec).println("removed folder " + id);
            return 0;
        }
    }
}
